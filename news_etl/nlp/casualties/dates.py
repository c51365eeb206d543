"""The event date of a casualty figure, resolved against the publication time."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span

from news_etl.nlp.casualties.lexicon import WEEKDAYS
from news_etl.nlp.casualties.triggers.figures import Figure


@lru_cache(maxsize=4096)
def resolve_date(text: str, published_at: datetime | None) -> date | None:
    """The day a DATE mention names: a weekday ("on Monday": the last such day up to
    publication), a deictic day ("yesterday", "last night", "today"), or a calendar date
    parsed by dateparser (needs digits; without a publication time, a year too).

    Cached: a figure's sentence and paragraph dates are asked for again by the next figure."""
    low = text.lower()
    base = published_at.date() if published_at else None
    for i, w in enumerate(WEEKDAYS):
        if re.search(rf"\b{w}\b", low):
            if base is None:
                return None
            return base - timedelta(days=(base.weekday() - i) % 7)
    if base is not None:
        if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
            return base
        if re.search(r"\b(yesterday|last night)\b", low):
            return base - timedelta(days=1)
    if not re.search(r"\d", low):
        return None
    try:
        import dateparser

        settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
        if published_at is not None:
            settings["RELATIVE_BASE"] = published_at.replace(tzinfo=None)
        elif not re.search(r"\b(1[89]|20)\d\d\b", low):
            return None
        d = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # pragma: no cover - dateparser edge cases
        return None
    return d.date() if d else None


def event_date(fig: Figure, sent: Span, para: tuple[int, int], doc: Doc,
               published_at: datetime | None) -> date | None:
    """The figure's date: the resolvable DATE nearest the trigger in its sentence, else the
    one nearest the sentence in its paragraph, else the publication day."""
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    in_sent = [e for e in dates if sent.start <= e.start < sent.end]
    in_sent.sort(key=lambda e: abs(e.root.i - fig.trigger.i))
    for e in in_sent:
        d = resolve_date(e.text, published_at)
        if d is not None:
            return d
    in_para = [e for e in dates if para[0] <= e.start_char < para[1] and not (sent.start <= e.start < sent.end)]
    in_para.sort(key=lambda e: abs(e.start - sent.start))
    for e in in_para:
        d = resolve_date(e.text, published_at)
        if d is not None:
            return d
    return published_at.date() if published_at is not None else None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs of ``text`` (separated by a blank line)."""
    out = []
    pos = 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def paragraph_of(paras: list[tuple[int, int]], sent: Span) -> tuple[int, int]:
    """The paragraph a sentence starts in (the sentence itself when none holds it)."""
    return next((p for p in paras if p[0] <= sent.start_char < p[1] + 1), (sent.start_char, sent.end_char))
