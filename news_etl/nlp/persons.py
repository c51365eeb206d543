"""``news_persons``: people and organisations told apart by what a name is made of.

The small model tags some full names as organisations or places ("Volodymyr Zelenskiy arrived")
and some outlets as people ("Newser"). Two patterns correct it:

- **Given name + surname is a person.** A two- or three-word name in title case whose first word
  is a given name (the first-name list of the ``gender-guesser`` package), none of whose words
  is an organisation or place designator ("Party", "University", "Street"), and which is not a
  place the gazetteer knows ("Virginia Beach"), is a PERSON whatever the model said.
- **An outlet is not a person.** A PERSON mention that is the name of a news outlet the quote
  extractor knows (and that has no given name) is an ORG.
- **A byline or a photo credit names no one in the story.** A PERSON mention that opens a line
  after "By", or stands in a credit ("Photo: …", "Photograph by …", "… /Getty Images",
  "(AP Photo/…)"), is not an entity of the article: it is dropped from ``doc.ents``.
No dagster imports.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from news_etl.nlp.extensions import doc_text
from news_etl.nlp.gazetteer import gazetteer
from news_etl.nlp.names import gender_detector
from news_etl.nlp.persons_lexicon import BYLINE_OPENERS, CREDIT_WORDS, NAME_DESIGNATORS
from news_etl.nlp.quotes.lexicon import KNOWN_OUTLETS

#: "Jane Roe/Getty Images": a slash and an agency name right after the name.
_AGENCY_AFTER = re.compile(r"\s?/\s?[A-Z]")
RELABELLED_AS_PERSON = ("ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART")


def given_name_gender(word: str) -> str | None:
    """'male', 'female' or 'andy' (either) for a given name; None for a word that is not one."""
    g = gender_detector().get_gender(word)
    return None if g == "unknown" else {"mostly_male": "male", "mostly_female": "female"}.get(g, g)


def looks_like_a_personal_name(span: Span) -> bool:
    """Given name + surname (+ one more name), title case, no designator, not a known place."""
    words = [t.text for t in span if not t.is_punct]
    if not 2 <= len(words) <= 3 or len(words) != len(span):
        return False
    if not all(w[:1].isupper() and w[1:].replace("-", "").replace("'", "").isalpha() and not w.isupper()
               for w in words):
        return False
    if any(w.lower() in NAME_DESIGNATORS for w in words):
        return False
    if gazetteer().candidates(span.text):
        return False
    return given_name_gender(words[0]) is not None


def _outlet_keys() -> set[str]:
    return {o.lower() for o in KNOWN_OUTLETS}


def _line_before(e: Span, text: str) -> str:
    start = text.rfind("\n", 0, e.start_char) + 1
    return text[start:e.start_char]


def is_byline_or_credit(e: Span, text: str | None = None) -> bool:
    """The mention is a byline ("By Jane Roe" opening a line) or a picture credit ("Photo: Jane
    Roe", "Photograph by Jane Roe", "(AP Photo/Jane Roe)", "Jane Roe/Getty Images").

    ``text`` is ``e.doc.text``, when the caller has it (``Doc.text`` joins every token anew)."""
    text = doc_text(e.doc) if text is None else text
    before = _line_before(e, text).strip().lower()
    if before in BYLINE_OPENERS:
        return True
    words = before.replace(":", " ").replace("(", " ").replace("/", " ").split()
    if words and (words[-1] in CREDIT_WORDS or (len(words) > 1 and words[-2] in CREDIT_WORDS and words[-1] == "by")):
        return True
    return _AGENCY_AFTER.match(text, e.end_char) is not None


def relabel(doc: Doc) -> list[Span]:
    """The Doc's entities with the corrections applied (bylines and credits dropped)."""
    outlets = _outlet_keys()
    text = doc_text(doc)
    out = []
    for e in doc.ents:
        if e.label_ == "PERSON" and is_byline_or_credit(e, text):
            continue
        if e.label_ in RELABELLED_AS_PERSON and looks_like_a_personal_name(e):
            e = Span(doc, e.start, e.end, label="PERSON")
        elif e.label_ == "PERSON" and e.text.lower().removeprefix("the ") in outlets \
                and given_name_gender(e[0].text) is None:
            e = Span(doc, e.start, e.end, label="ORG")
        out.append(e)
    return out


@Language.component("news_persons", requires=["doc.ents"], assigns=["doc.ents"])
def news_persons(doc: Doc) -> Doc:
    """People and organisations told apart by what a name is made of (see the module)."""
    ents = relabel(doc)
    if len(ents) != len(doc.ents) or any(a.label_ != b.label_ for a, b in zip(ents, doc.ents)):
        doc.ents = filter_spans(ents)
    return doc
