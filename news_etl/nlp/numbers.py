"""Number words and figures in news text: "11", "1,200", "eleven", "twenty-five",
"2.5 million", "a dozen", "three hundred", plus vague quantities ("dozens", "several").

Pure Python, no dependencies; the word tables live in :mod:`news_etl.nlp.numbers_lexicon`.
Used by :mod:`news_etl.nlp.casualties`.
"""

from __future__ import annotations

import re

from news_etl.nlp.numbers_lexicon import ORDINALS, SCALES, TENS, UNITS

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)


def is_number_word(word: str) -> bool:
    """True for a token that can be part of a number ("11", "eleven", "million", "dozen")."""
    w = word.lower()
    if _DIGITS.match(w):
        return True
    if w in UNITS or w in TENS or w in SCALES or w == "dozen":
        return True
    if "-" in w:
        parts = w.split("-")
        return len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS
    return False


#: No casualty figure is larger than the world's population; larger "numbers" are errors or not counts.
MAX_COUNT = 10_000_000_000


def parse_number(text: str) -> int | None:
    """The integer a number phrase states, or None (also for values above :data:`MAX_COUNT`).

    >>> parse_number("2.5 million"), parse_number("twenty-five"), parse_number("a dozen")
    (2500000, 25, 12)
    """
    words = [w for w in re.split(r"[\s-]+", text.lower().replace(" and ", " ")) if w]
    if words and words[0] in ("a", "an"):
        words = words[1:] or words
    if not words:
        return None
    total = 0
    current: float = 0
    seen = False
    for w in words:
        if _DIGITS.match(w):
            current += float(w.replace(",", ""))
            seen = True
        elif w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w in SCALES:
            scale = SCALES[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    value = total + current
    if value != int(value) or value > MAX_COUNT:
        return None
    return int(value)


def parse_ordinal(word: str) -> int | None:
    """"sixth" -> 6, "10th" -> 10, else None."""
    w = word.lower()
    if w in ORDINALS:
        return ORDINALS[w]
    m = _ORDINAL_DIGITS.match(w)
    if m:
        return int(m.group(1))
    return None
