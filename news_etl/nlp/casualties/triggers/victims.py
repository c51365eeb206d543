"""Victim phrases of casualty verbs and adjectives, found along the dependency parse.

Object of an active verb ("killing at least 26"), passive subject ("11 people were
killed"), reduced relative ("11 people reported killed"), raising ("are feared dead"),
predicative adjective ("left three dead"), and a short linear fallback for parses that
leave the number unattached ("26 people died").
"""

from __future__ import annotations

from spacy.tokens import Token

from news_etl.nlp.casualties.counts import is_num
from news_etl.nlp.casualties.lexicon import (
    BELIEF_VERBS,
    CONDITION_NOUNS,
    HEDGE_VERBS,
    IRREALIS_AUX,
    LINEAR_STOP_PUNCT,
    LINEAR_STOP_WORDS,
    RELATIVE_PRONOUNS,
    REPORT_VERBS,
    VAGUE_NOUN_HEADS,
)
from news_etl.nlp.numbers_lexicon import VAGUE_WORDS


def irrealis(v: Token) -> bool:
    """Negated or modal/infinitival predicates ("was not killed", "could kill", "to kill")
    state no casualty."""
    for c in v.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "aux" and c.lower_ in IRREALIS_AUX and not (c.lower_ == "to" and _hedged_infinitive(v)):
            return True
    return _unasserted_complement(v)


def _hedged_infinitive(v: Token) -> bool:
    """An infinitive complementing a hedge verb states a hedged figure, not an irrealis one:
    "are feared to be dead", "are believed to have died", "were reported to be missing"."""
    return v.dep_ == "xcomp" and v.head.i != v.i and v.head.lemma_.lower() in HEDGE_VERBS


def _unasserted_complement(v: Token) -> bool:
    """A clause complementing a belief verb that is itself unasserted states nothing:
    "leads many to believe he has killed himself", "would think they died"."""
    h = v.head
    return (v.dep_ == "ccomp" and h.i != v.i and h.lemma_.lower() in BELIEF_VERBS
            and any(c.dep_ in ("aux", "neg") and (c.lower_ in IRREALIS_AUX or c.dep_ == "neg") for c in h.children))


def subjects(v: Token, deps=("nsubj", "nsubjpass")) -> list[Token]:
    """The subjects (active or passive) of a predicate."""
    return [c for c in v.children if c.dep_ in deps]


def resolve_relative(h: Token, v: Token) -> Token:
    """A relative pronoun subject ("a girl who was kidnapped") stands for the noun it modifies."""
    if h.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
        return v.head
    return h


def _condition_holder(h: Token) -> list[Token]:
    """Who is "in injured condition": the object of the verb, or the noun, the phrase modifies."""
    if h.dep_ != "pobj" or h.head.head.i == h.i:
        return []
    g = h.head.head
    if g.pos_ in ("VERB", "AUX"):
        held = [c for c in g.children if c.dep_ in ("dobj", "nsubjpass")][:1]
        # "a woman is in critical condition", "the victim, who remains in stable condition"
        return held or [resolve_relative(s, g) for s in subjects(g, ("nsubj",))][:1]
    return [g]


def climb_victims(v: Token, depth: int = 0) -> list[Token]:
    """Victims for a trigger with no argument of its own: reduced relatives and raising."""
    if depth > 3:
        return []
    if v.dep_ == "amod" and v.head.lemma_ in CONDITION_NOUNS:
        return _condition_holder(v.head)
    if v.dep_ in ("acl", "amod", "relcl") and v.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return [v.head]
    if v.dep_ in ("xcomp", "oprd", "conj", "acomp", "ccomp", "advcl") and v.head.i != v.i:
        h = v.head
        if v.dep_ == "ccomp" and h.lemma_ in REPORT_VERBS:
            return []
        if v.dep_ == "advcl" and (v.tag_ != "VBN" or any(c.dep_ == "mark" for c in v.children)):
            return []
        subj = subjects(h)
        if v.dep_ in ("xcomp", "oprd", "acomp"):
            objs = [c for c in h.children if c.dep_ == "dobj"]
            if objs:
                return objs
        if subj:
            return [resolve_relative(subj[0], h)]
        return climb_victims(h, depth + 1)
    return []


def linear_fallback(t: Token, direction: int) -> list[Token]:
    """The nearest quantity next to the trigger when the parse attached none ("26 people died")."""
    doc = t.doc
    sent = t.sent
    out = []
    i = t.i + direction
    steps = 0
    while sent.start <= i < sent.end and steps < 5:
        w = doc[i]
        if w.dep_ in ("aux", "auxpass", "neg", "advmod") and w.head.i == t.i:
            i += direction
            steps += 1
            continue
        if w.pos_ in ("VERB", "AUX") or w.text in LINEAR_STOP_PUNCT or w.lower_ in LINEAR_STOP_WORDS:
            break
        if w.pos_ == "PUNCT" and w.text == ",":
            break
        if (w.pos_ in ("NOUN", "PROPN", "PRON") and w.dep_ != "compound") or is_num(w) or w.lower_ in VAGUE_NOUN_HEADS:
            out.append(w)
            break
        i += direction
        steps += 1
    return out


def verb_victims(v: Token, transitive: bool) -> tuple[list[Token], bool]:
    """(victim heads, whether singular counts are allowed) for a verb trigger: object of an
    active verb, passive subject, subject of an intransitive, else climb or look around."""
    dobj = [c for c in v.children if c.dep_ == "dobj"]
    pass_subj = subjects(v, ("nsubjpass",))
    subj = subjects(v, ("nsubj",))
    if transitive:
        if dobj:
            return dobj, True
        if pass_subj:
            return [resolve_relative(pass_subj[0], v)], True
        if subj:
            s = resolve_relative(subj[0], v)
            # "eight killed", "dozens hospitalized" (parsed as active): quantities only;
            # a relative pronoun ("a girl who was kidnapped") resolves to its noun.
            if s.i != subj[0].i or v.tag_ == "VBN":
                return [s], True
            return [s], False
    else:
        if subj or pass_subj:
            return [resolve_relative((subj or pass_subj)[0], v)], True
    climbed = climb_victims(v)
    if climbed:
        return climbed, True
    if transitive and v.tag_ in ("VBG", "VB") or (transitive and v.tag_ == "VBD" and not subj):
        fb = linear_fallback(v, +1)
        if fb:
            return fb, False
    return linear_fallback(v, -1), False


def adj_victims(a: Token) -> tuple[list[Token], bool]:
    """(victim heads, singulars allowed) for an adjective trigger: its own quantity ("11
    dead"), the noun it modifies ("injured civilians"), the subject or object of the verb
    it complements ("left three dead", "are feared dead")."""
    h = a.head
    if any(c.dep_ in ("nummod", "quantmod") and (is_num(c) or c.lower_ in VAGUE_WORDS) for c in a.children):
        return [a], True  # "left three dead", "11 dead"
    if a.dep_ == "amod":
        # "in injured condition": the condition belongs to the noun before "in"
        if h.lemma_ in CONDITION_NOUNS:
            return _condition_holder(h), True
        return [h], True
    if a.dep_ in ("acomp", "oprd", "xcomp", "attr", "advmod", "ccomp", "conj", "dep", "advcl") and h.i != a.i:
        objs = [c for c in h.children if c.dep_ == "dobj"]
        if objs and a.dep_ in ("oprd", "xcomp", "ccomp", "advmod", "dep"):
            return objs, True
        subj = subjects(h)
        if subj:
            return [resolve_relative(subj[0], h)], True
        if objs:
            return objs, True
        if h.dep_ in ("acl", "relcl") and h.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [h.head], True
    subj = subjects(a)
    if subj:
        return subj, True
    if h.dep_ == "xcomp" and h.i != a.i and subjects(h.head):
        return [subjects(h.head)[0]], True  # "150 people are feared to be dead"
    return linear_fallback(a, -1), False
