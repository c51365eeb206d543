"""The exact stand-ins of the model's attribute_ruler and lemmatizer (news_etl.nlp.fast_rules)
give the same token attributes as the model's own pipes."""

from __future__ import annotations

import pytest

from news_etl.nlp import fast_rules
from news_etl.nlp.pipeline import load_nlp

#: Written to reach the model's patterns: pronouns and possessives, auxiliaries and modals,
#: negation, contractions and the two-token rules (gonna, gotta, let's, y'all, "there is"),
#: subordinators, determiners used as pronouns, white space tokens and an empty Doc.
SENTENCES = [
    "I told her that we'd gone, but she said it wasn't hers and they'd have to ask themselves.",
    "Let's see: y'all are gonna need what you've got, and I gotta go, c'mon.",
    "There is nothing anyone can do, there were somebody's cars and there's ol' Bob doin' fine.",
    "If he does that, it'll be because those who had been asked didn't, won't or can't.",
    "The minister, who has been in office since 2019, gets what he wants; his aides got none.",
    "Ain't nobody said 'em words.  \n\n  Once upon a time, here and then, well, it is.",
    "These are mine, yours and ours; that one was itself broken, this is not.",
    "\n",
    "",
]


@pytest.fixture(scope="module")
def pipelines():
    return load_nlp(fast_rules=False), load_nlp(fast_rules=True)


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.morph.key, t.lemma_, t.dep_, t.head.i, t.is_sent_start,
             t.ent_type_) for t in doc]


def test_the_fast_pipes_replace_the_models(pipelines):
    off, on = pipelines
    assert "attribute_ruler" in off.pipe_names and "fast_attribute_ruler" not in off.pipe_names
    assert "fast_attribute_ruler" in on.pipe_names and "fast_lemmatizer" in on.pipe_names
    assert "attribute_ruler" not in on.pipe_names and "lemmatizer" not in on.pipe_names
    assert on.pipe_names.index("fast_attribute_ruler") < on.pipe_names.index("fast_lemmatizer")


@pytest.mark.parametrize("text", SENTENCES)
def test_same_attributes_as_the_models_pipes(pipelines, text):
    off, on = pipelines
    assert _attrs(on(text)) == _attrs(off(text))


def test_same_attributes_on_a_doc_of_all_sentences(pipelines):
    off, on = pipelines
    text = " ".join(SENTENCES) * 3
    assert _attrs(on(text)) == _attrs(off(text))


def test_every_pattern_of_the_model_is_reproduced(pipelines):
    """The fast ruler took every pattern (none is left to the model's pipe)."""
    off, on = pipelines
    ruler = off.get_pipe("attribute_ruler")
    fast = on.get_pipe("fast_attribute_ruler")
    n_patterns = sum(len(ruler.matcher.get(str(i))[1]) for i in range(len(ruler.attrs)))
    assert len(fast._single) + len(fast._multi) == n_patterns


def test_an_unsupported_pattern_keeps_the_models_pipe():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    assert fast_rules.install(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]


def test_the_rule_lemma_is_spacys_for_words_of_every_part_of_speech(pipelines):
    """FastLemmatizer's own rule step (a set for the lemma index) against spaCy's
    ``rule_lemmatize`` on exception words, inflected forms and unknown words, with morphology."""
    from spacy.tokens import Doc

    off, on = pipelines
    lem = off.get_pipe("lemmatizer")
    fast = on.get_pipe("fast_lemmatizer")
    assert fast._own_rules
    exc = lem.lookups.get_table("lemma_exc")
    words = [w for table in exc.values() for w in list(table)[:40]]
    words += ["cities", "running", "bigger", "studied", "wolves", "Kyiv's", "ran", "better", "xyzzies", "3rd"]
    for pos, morph in [("NOUN", ""), ("NOUN", "Number=Plur"), ("VERB", "Tense=Past|VerbForm=Fin"),
                       ("VERB", "VerbForm=Inf"), ("ADJ", "Degree=Cmp"), ("ADV", ""), ("PROPN", ""),
                       ("AUX", "")]:
        doc = Doc(off.vocab, words=words, pos=[pos] * len(words), morphs=[morph] * len(words))
        for t in doc:
            assert fast._rule_lemma(t) == lem.rule_lemmatize(t)[0], (t.text, pos, morph)
