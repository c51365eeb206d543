"""Number words of English news text (data only): cardinals, scales, ordinals, multiples and
the words that state an unspecified quantity. Read by :mod:`news_etl.nlp.numbers` and the
casualty extractor. No element is listed twice in one literal.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SPECIAL = {"dozen": 12, "both": 2, "a couple of": 2, "score": 20}

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100,
}
MULTIPLES = {"double": 2, "twin": 2, "triple": 3, "quadruple": 4, "quintuple": 5, "sextuple": 6}

#: Words that state an unspecified quantity. Kept as the figure's phrase, bounds None.
VAGUE_WORDS = {
    "dozens", "hundreds", "thousands", "millions", "billions", "scores", "tens", "several",
    "some", "many", "numerous", "multiple", "countless", "few", "handful", "number",
}
