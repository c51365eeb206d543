"""The ``news_casualties`` spaCy component: casualty figures as Doc annotations.

Reads ``doc._.published_at`` (datetime or None: the base for "on Monday", "yesterday")
and assigns ``doc._.casualties`` (list of :class:`Casualty`) and a span group (default
``doc.spans["casualties"]``, one span per figure's phrase, labelled with its category).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from news_etl.nlp.casualties.extract import extract_casualties
from news_etl.nlp.extensions import FindThenAnnotate, record_extension
from news_etl.nlp.casualties.records import Casualty

record_extension("published_at")
record_extension("casualties")


class CasualtyComponent(FindThenAnnotate):
    """Finds the figures of a Doc, then sets them on it."""

    def __init__(self, nlp: Language, name: str, spans_key: str = "casualties"):
        self.name = name
        self.spans_key = spans_key

    def find(self, doc: Doc) -> list[Casualty]:
        return extract_casualties(doc, doc._.published_at)

    def set_annotations(self, doc: Doc, records: list[Casualty]) -> None:
        doc._.casualties = records
        spans: list[Span] = []
        for r in records:
            span = doc.char_span(r.start_char, r.end_char, label=r.category, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans


@Language.factory("news_casualties", default_config={"spans_key": "casualties"},
                  requires=["doc.ents", "doc.sents", "token.dep", "token.pos", "token.lemma"],
                  assigns=["doc._.casualties", "doc.spans"])
def news_casualties(nlp: Language, name: str, spans_key: str) -> CasualtyComponent:
    """Casualty figures: how many were killed, injured, missing, arrested, displaced,
    kidnapped or held hostage (``doc._.casualties``, ``doc.spans[spans_key]``)."""
    return CasualtyComponent(nlp, name, spans_key)
