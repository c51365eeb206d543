"""Photo captions and their credits ("Two men talk. (Jane Doe/AP Photo)")."""
from __future__ import annotations

import re

from news_etl.clean.lexicon import CREDIT_SOURCES
from news_etl.clean.text import norm_space

__all__ = ["PREFIX_CREDIT", "TRAILING_CREDIT", "split_caption_credit"]

_CREDIT_SOURCES = "|".join(CREDIT_SOURCES)
#: A closing parenthesis naming a photo source: "... (Jane Doe/AP Photo)", "(Getty Images)".
TRAILING_CREDIT = re.compile(
    r"\s*(\((?=[^()]*\b(?:" + _CREDIT_SOURCES + r")\b)[^()]{2,120}\))\s*$", re.I)
#: A line that is only a labelled credit: "Photo: Getty", "Image credit: Reuters".
PREFIX_CREDIT = re.compile(
    r"^(?:photo|image|picture|credit|photograph|photo credit|image credit)\s*:\s*(.+)$", re.I)
_INLINE_CREDIT = re.compile(
    r"\s*(?:[|/]\s*)?((?:photo|image|picture|credit|photograph)s?\s*(?:credit)?\s*:\s*[^.]{2,80}|"
    r"(?:photo|image|picture)s?\s+by\s+[^.]{2,80})\.?\s*$", re.I)


def split_caption_credit(text: str) -> tuple[str | None, str | None]:
    """Split a photo caption from its credit.

    ``"Two men talk. (Jane Doe/AP Photo)"`` -> ``("Two men talk.", "(Jane Doe/AP Photo)")``;
    ``"Two men talk. Photo: Getty"`` -> ``("Two men talk.", "Photo: Getty")``;
    ``"Credit: Reuters"`` -> ``(None, "Credit: Reuters")``.
    """
    t = norm_space(text)
    if not t:
        return None, None
    m = TRAILING_CREDIT.search(t)
    if m:
        cap = t[: m.start()].strip() or None
        return cap, m.group(1)
    m = PREFIX_CREDIT.match(t)
    if m:
        return None, t
    m = _INLINE_CREDIT.search(t)
    if m and m.start() > 0:
        return t[: m.start()].strip(" |/") or None, m.group(1).strip()
    return t, None
