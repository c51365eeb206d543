"""Typed records of the quote extractor: one ``Quote`` per quotes-table row, one ``Citation``
per citations-table row (the table columns without the ids, in the same order as the rows
``dataclasses.asdict`` makes of them)."""

from __future__ import annotations

from dataclasses import dataclass

from news_etl.nlp.extensions import record_type


@record_type
@dataclass(slots=True)
class Quote:
    """A quote and its speaker. Offsets are char offsets into the article body."""

    quote_text: str                  # the text inside the marks (or the reported clause)
    kind: str                        # direct | partial | indirect
    is_direct: bool                  # kind == "direct"
    speaker: str | None              # the speaker mention as written
    speaker_start_char: int | None
    speaker_end_char: int | None
    speaker_resolved: str | None     # the fullest name the article gives the speaker
    cue: str | None                  # the speech verb or tag ("said", "puts it", "according to")
    reported_via: str | None         # the outlet that carried the words ("told CNN")
    start_char: int
    end_char: int
    sentence: str                    # the sentence(s) holding the quote
    nested: bool                     # a quote inside another quote (its own speaker)
    content: str                     # the attributed content: the quote, or a partial quote's clause
    content_start_char: int
    content_end_char: int


@record_type
@dataclass(slots=True)
class Citation:
    """An outlet the article credits, with the crediting phrase ("per CNN")."""

    outlet: str
    phrase: str
    start_char: int
    end_char: int
