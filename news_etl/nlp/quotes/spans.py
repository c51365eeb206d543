"""Quotation-mark spans of a text: the scan that pairs quote marks, before any parsing.

Handles straight and curly, double and single marks; nested single quotes inside a double
quote; an opening mark never closed (the span runs to the end of its paragraph); and a quote
running over several paragraphs, where each new paragraph reopens the quote with its own
mark (one span per paragraph, linked by ``cont_of``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN_DQ = "“„«"
_CLOSE_DQ = "”»"
_OPEN_SQ = "‘‹"
_CLOSE_SQ = "’›"
#: Every quotation mark, straight or curly, single or double.
ALL_MARKS = frozenset(_OPEN_DQ + _CLOSE_DQ + _OPEN_SQ + _CLOSE_SQ + "\"'")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass
class QuoteSpan:
    """Char offsets of one quote and its marks."""

    start: int                 # first char of the text inside the marks
    end: int                   # one past the last char inside the marks
    open_mark: int | None      # char offset of the opening mark (None: continued paragraph)
    close_mark: int | None     # char offset of the closing mark (None: unclosed)
    single: bool = False       # delimited by single quote marks
    parent: int | None = None  # index of the enclosing quote (nested quotes)
    cont_of: int | None = None  # index of the quote this paragraph continues


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(_WORD.match(ch))


def _sq_open_ok(text: str, i: int) -> bool:
    """A single mark opens a quote after a space or an opening bracket and before a word (not
    an apostrophe inside a word: don't)."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{“\"—–-/") and (_is_word(nxt) or nxt in "“\"$£€[(.")


def _sq_close_ok(text: str, i: int) -> bool:
    """A single mark closes a quote after a non-space and before a space or punctuation."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (not prev.isspace()) and (nxt.isspace() or nxt in ".,;:!?)]}”\"—–-/" or i + 1 >= len(text))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Offsets ``s``..``e`` without the white space at either end."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _single_pairs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Pairs of single quote marks (open, close) inside text[lo:hi], apostrophes skipped."""
    pairs = []
    i = lo
    while i < hi:
        ch = text[i]
        opens = ch in "‘'" and _sq_open_ok(text, i)
        # a right mark typed as an opener before a capital: ’Cause, ’Hands up’
        opens = opens or (ch == "’" and _sq_open_ok(text, i) and i + 1 < hi and text[i + 1].isupper())
        if opens:
            # find a closing mark
            j = i + 1
            found = None
            while j < hi and text[j] != "\n":
                c = text[j]
                if c in "’'" and _sq_close_ok(text, j) and j > i + 1:
                    # a plural possessive ("fans’ perspective") closes only if no better one follows
                    found = j
                    break
                if c in "“”\"":
                    break
                j += 1
            if found is not None and len(text[i + 1:found].split()) <= 60:
                pairs.append((i, found))
                i = found + 1
                continue
        i += 1
    return pairs


def _opens_continuation(text: str, i: int, ps: int) -> bool:
    """A straight mark shaped as an opener (left-flanking: space before, a word after) right
    after a sentence end, while a quote is open: the open quote ended unclosed at that
    sentence end and a new paragraph of it starts here (texts whose paragraph breaks were
    lost: “… the government. "That's going to be …”)."""
    if text[i] != '"' or i == ps or not text[i - 1].isspace():
        return False
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if not (_is_word(nxt) or nxt in "'‘"):
        return False
    j = i - 1
    while j >= ps and text[j].isspace():
        j -= 1
    return j >= ps and text[j] in ".!?"


def _paragraph_quote(text: str, ps: int, open_at: int, close: int | None, end: int, carry: int | None,
                     top: list[QuoteSpan]) -> QuoteSpan | None:
    """The double quote opened at ``open_at`` and running to ``end`` (its closing mark
    ``close``, None when the paragraph ends first), or None when empty. The first quote of a
    paragraph that opens it continues the quote left open at the end of the previous one
    (index ``carry``)."""
    s, e = _strip(text, open_at + 1, end)
    if e <= s:
        return None
    q = QuoteSpan(s, e, open_at, close)
    if carry is not None and not top and text[ps:open_at].strip() == "":
        q.cont_of = carry
    return q


def _resume(text: str, ps: int, pe: int, spans: list[QuoteSpan], carry: int) -> tuple[int, int | None]:
    """(where to scan from, quote still carried) for paragraph ``ps``..``pe`` after one that
    left quote ``carry`` open: a new opening mark continues it (linked later by cont_of); a
    paragraph broken inside the quote (lower-case start) extends it up to its closing mark."""
    lead = text[ps:pe].lstrip()
    if lead[:1] in _OPEN_DQ + '"':
        return ps, carry
    if lead[:1] and (lead[:1].islower() or lead[:1].isdigit()) and any(c in text[ps:pe] for c in _CLOSE_DQ + '"'):
        j = ps
        while j < pe and text[j] not in _CLOSE_DQ + '"':
            j += 1
        prev = spans[carry]
        prev.end = _strip(text, prev.start, j)[1]
        prev.close_mark = j
        return j + 1, None
    return ps, None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quotation-mark spans of ``text``: top-level double-quoted spans, top-level single-quoted
    spans and single-quoted spans nested in a double-quoted one."""
    spans: list[QuoteSpan] = []
    # paragraphs
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry: int | None = None   # index of a quote left open at the end of the previous paragraph
    for ps, pe in paras:
        open_at: int | None = None
        i = ps
        top: list[QuoteSpan] = []
        links: list[tuple[QuoteSpan, QuoteSpan]] = []   # (continued, continuation) on one line
        cont_from: QuoteSpan | None = None   # the quote the one opened at ``open_at`` continues

        def end_quote(close: int | None, end: int) -> QuoteSpan | None:
            """Record the quote opened at ``open_at`` (linked to the one it continues)."""
            q = _paragraph_quote(text, ps, open_at, close, end, carry, top)
            if q is not None:
                top.append(q)
                if cont_from is not None:
                    links.append((cont_from, q))
            return q
        if carry is not None:
            i, carry = _resume(text, ps, pe, spans, carry)
        while i < pe:
            ch = text[i]
            if ch in _OPEN_DQ or ch in _CLOSE_DQ or ch == '"':
                prev = text[i - 1] if i > ps else " "
                nxt = text[i + 1] if i + 1 < pe else " "
                if open_at is None:
                    is_open = ch in _OPEN_DQ or (ch == '"' and not nxt.isspace()) or (
                        ch in _CLOSE_DQ and (prev.isspace() or i == ps) and not nxt.isspace())
                    if is_open:
                        open_at = i
                elif _opens_continuation(text, i, ps):
                    cont_from = end_quote(None, i)
                    carry = None
                    open_at = i
                else:
                    is_close = ch in _CLOSE_DQ or ch == '"' or (
                        ch in _OPEN_DQ and not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?"))
                    if is_close:
                        end_quote(i, i)
                        cont_from = None
                        carry = None
                        open_at = None
                    elif text[open_at] == '"' and ch == "“" and 0 <= text.find("”", i + 1, pe):
                        # a curly pair inside a quote opened by a straight mark is a quote within
                        # the quote ("PENCE: … an episode of “Shark Tank.” But …"): skip it
                        i = text.find("”", i + 1, pe)
                    else:
                        # a second opening mark: the first one was never closed; end it before this one
                        s, e = _strip(text, open_at + 1, i)
                        if e > s and len(text[s:e].split()) >= 3:
                            top.append(QuoteSpan(s, e, open_at, None))
                        cont_from = None
                        open_at = i
            i += 1
        new_carry = None
        if open_at is not None:
            if end_quote(None, pe) is not None:
                new_carry = len(spans) + len(top) - 1
        # top-level single-quoted spans outside the double-quoted ones
        covered = [(q.open_mark if q.open_mark is not None else q.start, (q.close_mark or q.end)) for q in top]
        for a, b in _single_pairs(text, ps, pe):
            if any(x <= a <= y for x, y in covered):
                continue
            s, e = _strip(text, a + 1, b)
            if e > s:
                top.append(QuoteSpan(s, e, a, b, single=True))
        top.sort(key=lambda q: q.start)
        for a, b in links:
            b.cont_of = len(spans) + next(k for k, x in enumerate(top) if x is a)
        # re-index carry after sorting
        if new_carry is not None:
            last_open = [k for k, q in enumerate(top) if q.close_mark is None and not q.single]
            new_carry = len(spans) + last_open[-1] if last_open else None
        for q in top:
            idx = len(spans)
            spans.append(q)
            if not q.single:
                for a, b in _single_pairs(text, q.start, min(len(text), q.end + (1 if q.close_mark is None else 0))):
                    s, e = _strip(text, a + 1, b)
                    if e > s and e <= q.end:
                        spans.append(QuoteSpan(s, e, a, b, single=True, parent=idx))
        carry = new_carry
    return spans


