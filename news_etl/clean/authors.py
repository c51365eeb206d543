"""Author strings (bylines, meta tags, schema.org names) to a clean list of person names."""
from __future__ import annotations

import re
from typing import Iterable

from news_etl.clean.lexicon import JOB_WORDS, NAME_PARTICLES, ORG_WORDS, PLACEHOLDER_AUTHORS, PURE_JOB_WORDS
from news_etl.clean.text import norm_space, text_key

__all__ = ["looks_like_person", "normalise_authors"]

_JOB_WORDS = re.compile(r"\b(?:" + "|".join(JOB_WORDS) + r")\b", re.I)
_PURE_JOB = re.compile(r"(?:(?:" + "|".join(PURE_JOB_WORDS) + r")\s*)+", re.I)
_ORG_WORDS = re.compile(r"\b(?:" + "|".join(ORG_WORDS) + r")\b", re.I)


def _clean_author(name: str) -> str:
    """One byline piece without e-mails, URLs, handles, a leading "By"/"Written by" and a
    trailing "| ..." part."""
    n = norm_space(name)
    n = re.sub(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+", " ", n)
    n = re.sub(r"^(?:written\s+|story\s+|words\s+|reporting\s+|text\s+)?by\s*[:\-]?\s+", "", n, flags=re.I)
    n = re.sub(r"\s*\|.*$", "", n)
    n = norm_space(n).strip(" ,;:-–—|·/")
    return n


def _split_authors(values: Iterable[str]) -> list[str]:
    """Byline strings split at ``;``, ``|``, newlines, commas, "and", "&" and "with"."""
    raw: list[str] = []
    for v in values:
        if not v:
            continue
        v = str(v)
        parts = re.split(r"\s*;\s*|\s*\|\s*|\s*\n\s*", v)
        for part in parts:
            part = _clean_author(part)
            if not part:
                continue
            pieces = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+with\s+", part)
            pieces = [p for p in (_clean_author(p) for p in pieces) if p]
            # "Doe, Jane" (exactly two one-word pieces from a comma) -> "Jane Doe"
            if (len(pieces) == 2 and "," in part and " and " not in part
                    and all(re.fullmatch(r"[^\W\d_][\w'\-.]*", p) for p in pieces)
                    and not any(_JOB_WORDS.search(p) or _ORG_WORDS.search(p) for p in pieces)):
                pieces = [f"{pieces[1]} {pieces[0]}"]
            raw.extend(pieces)
    return raw


def normalise_authors(values: Iterable[str] | str | None, *, publisher: str | None = None,
                      keep_org: bool = True, trusted: bool = False) -> list[str]:
    """Split and clean author strings.

    ``"By A and B"`` -> ``["A", "B"]``; ``"A, Outlet Staff"`` -> ``["A"]``; e-mails, URLs,
    handles and trailing job titles ("A, Senior Reporter") are dropped; duplicates removed.
    ``"Last, First"`` pairs (one-word parts) are re-joined as ``"First Last"``.
    Organisation names (e.g. the publisher itself) are kept only when they are the sole
    author and ``keep_org`` is true.  ``trusted`` (names typed ``Person`` in schema.org
    data) skips the job-title/organisation filters.
    """
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    raw = _split_authors(values)
    pub_key = text_key(publisher)
    out: list[str] = []
    orgs: list[str] = []
    for name in raw:
        if re.search(r"\d{3,}|[<>{}=]", name) or len(name) > 60 or len(name) < 2:
            continue
        low = name.casefold()
        if low in PLACEHOLDER_AUTHORS:
            continue
        if trusted:
            if _PURE_JOB.fullmatch(name):
                continue
            if name not in out:
                out.append(name)
            continue
        # "Jane Doe, Outlet Staff" was split already; the "Outlet Staff" piece is a job title
        if _JOB_WORDS.search(name) and len(name.split()) >= 1 and not looks_like_person(name):
            if _ORG_WORDS.search(name) or re.search(r"\bstaff\b", name, re.I):
                orgs.append(name)
            continue
        if (pub_key and text_key(name) == pub_key) or (_ORG_WORDS.search(name) and not looks_like_person(name)):
            orgs.append(name)
            continue
        if name not in out:
            out.append(name)
    if not out and keep_org and orgs:
        out = list(dict.fromkeys(orgs))[:2]
    return out


def looks_like_person(name: str) -> bool:
    """2-4 capitalised words, no organisation/job vocabulary."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    if _JOB_WORDS.search(name) or _ORG_WORDS.search(name):
        return False
    return all(w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in words)
