"""Whitespace, paragraph and comparison helpers shared by the cleaning modules."""
from __future__ import annotations

import re
import unicodedata

__all__ = ["element_text", "norm_space", "paragraphs", "text_key", "word_count"]

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def norm_space(s: str | None) -> str:
    """NFC text with every run of horizontal (incl. non-breaking and zero-width) space made one space."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s)
    return _WS.sub(" ", s).strip()


def word_count(s: str) -> int:
    return len(re.findall(r"\w+", s or ""))


def paragraphs(text: str) -> str:
    """trafilatura's one-paragraph-per-line text to paragraphs separated by a blank line."""
    lines = [norm_space(line) for line in (text or "").splitlines()]
    return "\n\n".join(line for line in lines if line)


def text_key(s: str | None) -> str:
    """Loose comparison key: NFKC, casefold, letters and digits only."""
    s = unicodedata.normalize("NFKC", s or "").casefold()
    return re.sub(r"[\W_]+", "", s)


def element_text(el) -> str:
    """Normalised text content of an lxml element ("" for ``None``)."""
    return norm_space(el.text_content()) if el is not None else ""
