"""The typed record of one casualty figure (a row of the ``casualties`` table without ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from news_etl.nlp.extensions import record_type


@record_type
@dataclass(slots=True)
class Casualty:
    """One distinct casualty figure; the fields are the ``casualties`` columns, in row order.

    ``count_low``/``count_high`` are the bounds the qualifier gives ("at least 26" -> 26,
    None); a vague figure ("dozens") has neither. ``phrase`` is ``doc.text[start_char:end_char]``.
    """

    category: str
    kind: str | None
    count_low: int | None
    count_high: int | None
    qualifier: str
    is_vague: bool
    phrase: str
    start_char: int
    end_char: int
    who: str | None
    location: str | None
    event_date: date | None
    hedge: str | None
    reported_via: str | None
    sentence: str
