"""Near-duplicate detection (the same wire story on two sites). No dagster imports.

A 64-bit SimHash of the body (trafilatura's implementation) finds candidates cheaply
(in SQL: Hamming distance of two BIGINTs); a word-shingle Jaccard similarity confirms
them, so short or boilerplate-heavy texts are not linked by accident.
"""

from __future__ import annotations

import itertools
import re
from hashlib import blake2b

#: Candidates: SimHash Hamming distance at most this (of 64 bits).
MAX_HAMMING = 8
#: Confirmation: Jaccard similarity of word 3-shingles at least this.
MIN_JACCARD = 0.6
#: Bodies shorter than this are never linked (too little text to judge).
MIN_WORDS = 40

_WORD = re.compile(r"\w+")


def simhash(text: str) -> int:
    """The body's 64-bit SimHash as a signed integer (fits DuckDB BIGINT).

    The value of trafilatura's ``Simhash(text).hash`` (same tokens, same blake2b token hashes,
    same sign rule), with the per-bit vote counted by numpy instead of a 64-element Python list
    per token: stored hashes stay comparable across versions (a test holds the two equal).
    """
    import numpy as np
    from trafilatura.deduplication import sample_tokens  # imported where pages are cleaned

    tokens = sample_tokens(text, 64)
    hashes = np.frombuffer(b"".join(blake2b(t.encode(), digest_size=8).digest() for t in tokens), dtype=">u8")
    ones = np.unpackbits(hashes.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little").sum(axis=0) \
        if len(tokens) else np.zeros(64, dtype=np.int64)
    h = sum(1 << i for i in range(64) if 2 * int(ones[i]) - len(tokens) >= 0)
    return h - (1 << 64) if h >= (1 << 63) else h


def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingles (0..1)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def hamming(a: int, b: int) -> int:
    return bin((a ^ b) & 0xFFFFFFFFFFFFFFFF).count("1")


def long_enough(text: str) -> bool:
    """At least :data:`MIN_WORDS` words (counted up to there, not through the whole body)."""
    return sum(1 for _ in itertools.islice(_WORD.finditer(text), MIN_WORDS)) >= MIN_WORDS


def find_duplicate(body: str, h: int, candidates: list[tuple[str, int, str]]) -> str | None:
    """The id of the first candidate (id, simhash, body) that is a near-duplicate of ``body``."""
    if not long_enough(body):
        return None
    for cid, ch, cbody in candidates:
        if hamming(h, ch) <= MAX_HAMMING and long_enough(cbody) and similarity(body, cbody) >= MIN_JACCARD:
            return cid
    return None
