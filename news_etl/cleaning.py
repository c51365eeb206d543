"""Cleaning stage: raw news pages (HTML or plain-text dumps) to one clean article record.

Functional core, no Dagster.  Two entry points:

* :func:`clean_html` - trafilatura for the main text, plus a metadata layer that
  reads schema.org JSON-LD, ``og:``/``article:`` meta tags, ``<h1>`` and trafilatura's
  own metadata, and picks/normalises the best title, authors, dates, publisher,
  language, dek and lead-image caption.
* :func:`clean_text_dump` - a page saved as plain text; see :mod:`news_etl.textdump`.

Both raise :class:`CleaningError` (a ``ValueError``) with a human reason when no
article text can be extracted.

Body extraction (measured on the Zyte article-extraction benchmark, see
``benchmarks/bench_cleaning.py``): trafilatura with ``favor_precision=True`` and
``include_comments=False``; when that keeps less than a quarter of what the default
settings extract (precision mode occasionally drops the whole article), the default
extraction is used instead.
"""
from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable
from urllib.parse import urlparse

__all__ = [
    "CleanedArticle",
    "CleaningError",
    "clean_html",
    "clean_text_dump",
    "detect_language",
    "normalise_authors",
    "parse_datetime",
    "split_caption_credit",
]


@dataclass
class CleanedArticle:
    body: str                      # main text; paragraphs separated by "\n\n"; no boilerplate
    title: str | None = None
    subtitle: str | None = None    # dek / standfirst
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None   # site name / outlet
    published_at: datetime | None = None   # timezone-aware (UTC if page gives no zone)
    updated_at: datetime | None = None     # timezone-aware
    url: str | None = None
    language: str | None = None    # ISO 639-1, e.g. "en"
    image_caption: str | None = None
    image_credit: str | None = None
    method: str = ""               # "trafilatura" | "jsonld" | "textdump"


class CleaningError(ValueError):
    """No article text could be extracted; the message says why."""


# --------------------------------------------------------------------------- helpers

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _norm_space(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s)
    return _WS.sub(" ", s).strip()


def _word_count(s: str) -> int:
    return len(re.findall(r"\w+", s or ""))


def _paragraphs(text: str) -> str:
    """trafilatura's one-paragraph-per-line text to paragraphs separated by a blank line."""
    lines = [_norm_space(line) for line in (text or "").splitlines()]
    return "\n\n".join(line for line in lines if line)


def _key(s: str | None) -> str:
    """Loose comparison key: NFKC, casefold, letters and digits only."""
    s = unicodedata.normalize("NFKC", s or "").casefold()
    return re.sub(r"[\W_]+", "", s)


# --------------------------------------------------------------------------- dates

# US/UK zone abbreviations printed on news pages -> UTC offset in hours.
TZ_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "SAST": 2, "EAT": 3, "WAT": 1, "JST": 9, "KST": 9,
    "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6, "MST": -7, "MDT": -6,
    "MT": -7, "PST": -8, "PDT": -7, "PT": -8, "AKST": -9, "AKDT": -8, "HST": -10,
    "MYT": 8, "PHT": 8, "WIB": 7, "ICT": 7, "PKT": 5, "NPT": 5.75, "CAT": 2, "GST": 4,
    "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "BRT": -3, "ART": -3,
}

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_RELATIVE_DATE = re.compile(r"\b(?:ago|yesterday|today|tomorrow|just now|last|next)\b", re.I)


def _tz_for_abbreviation(abbr: str, naive: datetime | None = None) -> timezone | None:
    abbr = abbr.upper().strip(".")
    if abbr not in TZ_ABBREVIATIONS:
        return None
    hours = TZ_ABBREVIATIONS[abbr]
    # generic "ET/CT/MT/PT" follow US daylight saving time
    if abbr in {"ET", "CT", "MT", "PT"} and naive is not None and _us_dst(naive):
        hours += 1
    return timezone(timedelta(hours=hours), abbr)


def _us_dst(d: datetime) -> bool:
    """US daylight saving time (second Sunday of March to first Sunday of November)."""

    def nth_sunday(year: int, month: int, n: int) -> datetime:
        first = datetime(year, month, 1)
        offset = (6 - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (n - 1))

    start = nth_sunday(d.year, 3, 2).replace(hour=2)
    end = nth_sunday(d.year, 11, 1).replace(hour=2)
    return start <= d.replace(tzinfo=None) < end


def parse_datetime(value: Any, *, default_tz: timezone = timezone.utc) -> datetime | None:
    """Parse a date/time string from a page into a timezone-aware datetime.

    Keeps the time and the zone the page gives (ISO offsets and zone abbreviations such
    as EST/CDT/BST); naive values are taken as ``default_tz`` (UTC).  Date-only values
    give midnight.  Returns ``None`` for values that hold no date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=default_tz)
    s = _norm_space(str(value))
    if not s or not re.search(r"\d", s):
        return None
    if _RELATIVE_DATE.search(s):  # "3 hours ago": needs the crawl time, which we do not have
        return None
    if _ISO_RE.match(s):
        iso = s.replace("Z", "+00:00").replace(" ", "T", 1) if "T" not in s else s.replace("Z", "+00:00")
        iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)       # +0100 -> +01:00
        iso = re.sub(r"\.(\d{6})\d+", r".\1", iso)                # nanoseconds
        try:
            d = datetime.fromisoformat(iso)
            return d if d.tzinfo else d.replace(tzinfo=default_tz)
        except ValueError:
            pass
    # free text: pull a trailing zone abbreviation out ourselves (dateparser does not
    # know every one and mis-handles some), parse the rest with dateparser.
    tz = None
    offset = None
    m = re.search(r"\b(?:GMT|UTC)\s*([+\-])\s*(\d{1,2})(?::?(\d{2}))?\b", s)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        offset = timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
        s = (s[: m.start()] + " " + s[m.end():]).strip(" ,")
    else:
        for m in re.finditer(r"(?<![\w])([A-Z]{1,5})(?![\w])", s):
            if m.group(1) in TZ_ABBREVIATIONS and m.group(1) not in {"Z"}:
                tz = m.group(1)
                s = (s[: m.start()] + " " + s[m.end():]).strip(" ,(")
                break
    s = re.sub(r"\b(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|$|,))", r"\1:\2", s, flags=re.I)  # "12.42" -> "12:42"
    s = re.sub(r"\b(a|p)\.\s?m\.", r"\1m", s, flags=re.I)          # "5:10 p.m." -> "5:10 pm"
    s = re.sub(r"\s+at\s+", " ", s, flags=re.I)
    d = _dateparser_parse(s)
    if d is None:
        return None
    if d.tzinfo is None:
        if offset is not None:
            d = d.replace(tzinfo=offset)
        elif tz:
            d = d.replace(tzinfo=_tz_for_abbreviation(tz, d))
        else:
            d = d.replace(tzinfo=default_tz)
    return d


def _dateparser_parse(s: str) -> datetime | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        from dateutil import parser as du

        try:
            return du.parse(s, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    return dateparser.parse(
        s,
        languages=["en"],
        settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                  "REQUIRE_PARTS": ["day", "month", "year"]},
    ) or dateparser.parse(s, settings={"REQUIRE_PARTS": ["month", "year"]})


# --------------------------------------------------------------------------- authors

_JOB_WORDS = re.compile(
    r"\b(?:senior|chief|staff|editor|editors|editorial|correspondent|reporter|writer|columnist|"
    r"contributor|contributing|producer|photographer|analyst|director|manager|intern|"
    r"journalist|news desk|desk|bureau|team|updated|published|posted|follow|twitter|email)\b",
    re.I,
)
_PURE_JOB = re.compile(
    r"(?:(?:senior|junior|chief|staff|deputy|associate|assistant|executive|managing|political|"
    r"news|sports?|business|features?|foreign|investigative|digital|breaking|trending|"
    r"editor|editors|correspondent|reporter|writer|columnist|contributor|contributing|producer|"
    r"photographer|analyst|journalist|intern|and|&|of|the|at|in)\s*)+", re.I)
_ORG_WORDS = re.compile(
    r"\b(?:news|press|media|inc|ltd|llc|group|network|agency|associated|reuters|afp|"
    r"times|post|nast|journal|herald|daily|tribune|magazine|staff)\b",
    re.I,
)


def _clean_author(name: str) -> str:
    n = _norm_space(name)
    n = re.sub(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+", " ", n)
    n = re.sub(r"^(?:written\s+|story\s+|words\s+|reporting\s+|text\s+)?by\s*[:\-]?\s+", "", n, flags=re.I)
    n = re.sub(r"\s*\|.*$", "", n)
    n = _norm_space(n).strip(" ,;:-–—|·/")
    return n


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
    pub_key = _key(publisher)
    out: list[str] = []
    orgs: list[str] = []
    for name in raw:
        if re.search(r"\d{3,}|[<>{}=]", name) or len(name) > 60 or len(name) < 2:
            continue
        low = name.casefold()
        if low in {"staff", "admin", "administrator", "editor", "editors", "author", "unknown",
                   "anonymous", "none", "null", "guest", "contributor", "by"}:
            continue
        if trusted:
            if _PURE_JOB.fullmatch(name):
                continue
            if name not in out:
                out.append(name)
            continue
        # "Jane Doe, Outlet Staff" was split already; the "Outlet Staff" piece is a job title
        if _JOB_WORDS.search(name) and len(name.split()) >= 1 and not _looks_like_person(name):
            if _ORG_WORDS.search(name) or re.search(r"\bstaff\b", name, re.I):
                orgs.append(name)
            continue
        if (pub_key and _key(name) == pub_key) or (_ORG_WORDS.search(name) and not _looks_like_person(name)):
            orgs.append(name)
            continue
        if name not in out:
            out.append(name)
    if not out and keep_org and orgs:
        out = list(dict.fromkeys(orgs))[:2]
    return out


def _looks_like_person(name: str) -> bool:
    """2-4 capitalised words, no organisation/job vocabulary."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    if _JOB_WORDS.search(name) or _ORG_WORDS.search(name):
        return False
    return all(w[:1].isupper() or w.casefold() in {"de", "van", "von", "der", "da", "di", "la", "le", "bin", "al", "el", "du"}
               for w in words)


# --------------------------------------------------------------------------- captions

_CREDIT_SOURCES = (
    r"photo|photos|photograph|image|images|picture|pictures|pool|file|ap|afp|reuters|getty|"
    r"epa|shutterstock|alamy|istock|courtesy|credit|supplied|handout|via|anadolu|xinhua|"
    r"sipa|bloomberg|upi|pa|wire|dpa|video|screenshot|screengrab|illustration"
)
_TRAILING_CREDIT = re.compile(
    r"\s*(\((?=[^()]*\b(?:" + _CREDIT_SOURCES + r")\b)[^()]{2,120}\))\s*$", re.I)
_PREFIX_CREDIT = re.compile(
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
    t = _norm_space(text)
    if not t:
        return None, None
    m = _TRAILING_CREDIT.search(t)
    if m:
        cap = t[: m.start()].strip() or None
        return cap, m.group(1)
    m = _PREFIX_CREDIT.match(t)
    if m:
        return None, t
    m = _INLINE_CREDIT.search(t)
    if m and m.start() > 0:
        return t[: m.start()].strip(" |/") or None, m.group(1).strip()
    return t, None


# --------------------------------------------------------------------------- language

_LANGID = None


def detect_language(text: str, *, min_words: int = 12, min_prob: float = 0.6) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid, or ``None`` when too short/uncertain."""
    global _LANGID
    if _word_count(text) < min_words:
        return None
    try:
        if _LANGID is None:
            from py3langid.langid import _load_identifier

            _LANGID = _load_identifier(norm_probs=True)
        lang, prob = _LANGID.classify(text[:5000])
    except ImportError:  # pragma: no cover - py3langid is a dependency
        return None
    return lang if prob >= min_prob else None


def _norm_lang(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    if not m:
        return None
    code = m.group(1).lower()
    if len(code) == 3:
        code = {"eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
                "por": "pt", "ita": "it", "nld": "nl", "dut": "nl", "rus": "ru", "ukr": "uk",
                "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja"}.get(code)
    return code


# --------------------------------------------------------------------------- HTML metadata

_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|BlogPosting|LiveBlog|Review|Story", re.I)


def _jsonld_objects(tree) -> list[dict]:
    out: list[dict] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        data = None
        for candidate in (raw, re.sub(r"[\x00-\x1f]+", " ", raw), re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]+", " ", raw))):
            try:
                data = json.loads(candidate)
                break
            except ValueError:
                continue
        if data is None:
            continue
        stack = [data]
        while stack:
            x = stack.pop(0)
            if isinstance(x, list):
                stack.extend(x)
            elif isinstance(x, dict):
                out.append(x)
                for k in ("@graph", "mainEntity"):
                    if isinstance(x.get(k), (list, dict)):
                        stack.append(x[k])
    return out


def _types(obj: dict) -> list[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def _is_article(obj: dict) -> bool:
    return any(_ARTICLE_TYPES.search(t) for t in _types(obj)) and not any(
        t in {"WebSite", "Organization", "Person", "BreadcrumbList", "ImageObject", "VideoObject"} for t in _types(obj))


def _names(value: Any) -> list[str]:
    """Names from a schema.org author/publisher value (str, dict or list)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [html_lib.unescape(value)]
    if isinstance(value, dict):
        n = value.get("name")
        if isinstance(n, list):
            return [x for x in n if isinstance(x, str)]
        if isinstance(n, str):
            return [html_lib.unescape(n)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [f"{given} {family}"]
        return []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _person_flags(value: Any) -> list[bool]:
    items = value if isinstance(value, list) else [value]
    return [isinstance(v, dict) and "Person" in _types(v) for v in items]


def _text(el) -> str:
    return _norm_space(el.text_content()) if el is not None else ""


def _meta(tree) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in tree.xpath("//meta[@content]"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        if key:
            val = _norm_space(m.get("content"))
            if val:
                out.setdefault(key, []).append(val)
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k][0]
    return None


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|\*|»|/)\s+")


def _strip_site_suffix(title: str, sites: Iterable[str | None]) -> str:
    """Drop " | Site", " - Site" (and prefixes "Site | ") when the part names the site."""
    keys = {k for k in (_key(s) for s in sites) if k and len(k) >= 3}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not keys:
        return title

    def is_site(part: str) -> bool:
        k = _key(part)
        return bool(k) and any(k == s or (len(k) >= 4 and (k in s or s in k)) for s in keys)

    seps = _TITLE_SEPARATORS.findall(title)
    # strip from the right
    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip()


def _site_names(url: str | None, *names: str | None) -> list[str]:
    out = [n for n in names if n]
    if url:
        host = urlparse(url).hostname or ""
        host = re.sub(r"^(?:www\d?|m|amp|edition|news)\.", "", host)
        parts = host.split(".")
        if parts:
            out.append(parts[0])
            if len(parts) > 2:
                out.append(".".join(parts[:-1]))
            out.append(host)
    return out


@dataclass
class _HtmlMeta:
    titles: list[str] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    og_title: str | None = None
    html_title: str | None = None
    authors_ld: list[str] = field(default_factory=list)
    authors_ld_person: bool = False
    authors_meta: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    publisher: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    url: str | None = None
    caption: str | None = None
    credit: str | None = None
    article_body: str | None = None


def _collect_html_meta(tree) -> _HtmlMeta:
    md = _HtmlMeta()
    objs = _jsonld_objects(tree)
    articles = [o for o in objs if _is_article(o)]
    # the page's own article: its headline is the printed <h1>; then ones with headline and date
    h1_keys = {_key(_text(h)) for h in tree.xpath("//h1")}
    articles.sort(key=lambda o: (not (isinstance(o.get("headline"), str)
                                      and _key(html_lib.unescape(o["headline"])) in h1_keys),
                                 not o.get("headline"), not o.get("datePublished")))
    for o in articles:
        for k in ("headline", "alternativeHeadline"):
            v = o.get(k)
            if isinstance(v, str) and _norm_space(v):
                if k == "headline":
                    md.titles.append(_norm_space(html_lib.unescape(v)))
        a = o.get("author") or o.get("creator")
        names = _names(a)
        if names and not md.authors_ld:
            md.authors_ld = names
            md.authors_ld_person = any(_person_flags(a))
        for k, dest in (("datePublished", md.published), ("dateCreated", md.published),
                        ("dateModified", md.modified)):
            v = o.get(k)
            if isinstance(v, list):
                v = v[0] if v else None
            if isinstance(v, str) and v.strip():
                dest.append(v.strip())
        md.publisher.extend(_names(o.get("publisher")))
        if isinstance(o.get("description"), str):
            md.description.append(_norm_space(html_lib.unescape(o["description"])))
        lang = o.get("inLanguage")
        if isinstance(lang, dict):
            lang = lang.get("name") or lang.get("alternateName")
        if isinstance(lang, str):
            md.language.append(lang)
        if isinstance(o.get("url"), str) and not md.url:
            md.url = o["url"]
        img = o.get("image")
        if isinstance(img, list):
            img = next((i for i in img if isinstance(i, dict)), None)
        if isinstance(img, dict) and md.caption is None:
            cap = img.get("caption") or img.get("description")
            if isinstance(cap, str) and _norm_space(cap):
                md.caption = _norm_space(html_lib.unescape(cap))
                cred = img.get("creditText") or img.get("copyrightHolder") or img.get("author")
                cred_names = _names(cred)
                if cred_names:
                    md.credit = _norm_space(cred_names[0])
        body = o.get("articleBody")
        if isinstance(body, str) and len(body) > len(md.article_body or ""):
            md.article_body = body
    for o in objs:
        if "WebSite" in _types(o) or "NewsMediaOrganization" in _types(o):
            md.publisher.extend(_names(o))

    meta = _meta(tree)
    md.og_title = _first(meta, "og:title", "twitter:title", "dc.title", "sailthru.title", "parsely-title")
    t = tree.find(".//title")
    md.html_title = _text(t) or None
    md.h1 = [x for x in (_text(h) for h in tree.xpath("//h1")) if x]
    for k in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
              "dcterms.creator", "byl", "citation_author", "twitter:creator"):
        for v in meta.get(k, []):
            if k == "twitter:creator" or re.match(r"https?://", v):
                continue
            md.authors_meta.append(v)
        if md.authors_meta:
            break
    md.published.extend(meta.get(k)[0] for k in (
        "article:published_time", "og:article:published_time", "datepublished", "pubdate",
        "publishdate", "publish-date", "dc.date.issued", "dcterms.created", "dc.date",
        "sailthru.date", "parsely-pub-date", "date", "article.published", "cxenseparse:recs:publishtime")
        if meta.get(k))
    md.modified.extend(meta.get(k)[0] for k in (
        "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
        "article.updated") if meta.get(k))
    # <time> elements with pubdate/itemprop
    for el in tree.xpath('//*[@itemprop="datePublished"]'):
        v = el.get("content") or el.get("datetime")
        if v:
            md.published.append(v)
    for el in tree.xpath('//*[@itemprop="dateModified"]'):
        v = el.get("content") or el.get("datetime")
        if v:
            md.modified.append(v)
    md.publisher.extend(meta.get("og:site_name", []) + meta.get("application-name", []) + meta.get("publisher", []))
    md.description.extend(meta.get("og:description", []) + meta.get("description", []) + meta.get("twitter:description", []))
    html_lang = tree.xpath("/html/@lang|/html/@xml:lang") if tree.tag == "html" else tree.xpath("//html/@lang")
    md.language.extend(html_lang)
    md.language.extend(meta.get("og:locale", []) + meta.get("content-language", []) + meta.get("dc.language", []) + meta.get("language", []))
    canon = tree.xpath('//link[@rel="canonical"]/@href')
    md.url = _first(meta, "og:url") or (canon[0] if canon else None) or md.url
    if md.caption is None:
        for fig in tree.xpath("//article//figure[figcaption] | //main//figure[figcaption]")[:1]:
            cap = _text(fig.find(".//figcaption"))
            if cap:
                md.caption = cap
    return md


def _choose_title(md: _HtmlMeta, traf_title: str | None, sites: list[str]) -> str | None:
    """Headline: the printed ``<h1>`` when metadata confirms it, else the JSON-LD headline,
    else og:title / trafilatura / ``<title>`` without the " | Site" suffix."""
    metas = [_strip_site_suffix(c, sites) for c in (md.og_title, traf_title, md.html_title) if c]
    confirm = {_key(t) for t in md.titles + metas if _key(t)}
    for h in md.h1:
        if _key(h) in confirm and len(h) <= 300:
            return h
    if md.titles:
        return md.titles[0]
    for cand in metas:
        # the printed <h1> wins over a shortened/SEO title that it contains
        for h in md.h1:
            kh, kc = _key(h), _key(cand)
            if kh and kc and kc in kh and len(h) <= 300:
                return h
        return cand
    if len(md.h1) == 1 and 3 <= len(md.h1[0]) <= 300:
        return md.h1[0]
    return None


def _choose_publisher(md: _HtmlMeta, traf_site: str | None) -> str | None:
    for cand in md.publisher + [traf_site]:
        c = _norm_space(cand)
        if c and not re.match(r"https?://", c) and len(c) <= 80:
            return c
    return None


def _choose_date(cands: Iterable[str | None]) -> datetime | None:
    for c in cands:
        d = parse_datetime(c)
        if d is not None and 1990 <= d.year <= datetime.now().year + 1:
            return d
    return None


#: The precision-mode body is checked against a default-mode extraction only when it is this short
#: (a second trafilatura pass costs as much as the first; long precise bodies are never truncated ones).
FALLBACK_BELOW_WORDS = 150


def _extract_text(tree, url: str | None) -> str:
    """trafilatura body (see module docstring); trafilatura works on a copy of ``tree``."""
    import trafilatura

    doc = trafilatura.bare_extraction(tree, url=url, favor_precision=True, include_comments=False)
    precise = (doc.text if doc is not None else None) or ""
    text = precise
    if _word_count(precise) < FALLBACK_BELOW_WORDS:
        default = trafilatura.extract(tree, url=url, include_comments=False) or ""
        if _word_count(precise) < 0.25 * _word_count(default):
            text = default
    return text


def _needs_trafilatura_metadata(md: _HtmlMeta) -> bool:
    """trafilatura's metadata pass (htmldate, heuristics) costs about a third of the cleaning;
    it runs only when the page's structured metadata leaves a field to find."""
    return not (md.titles or md.og_title) or not md.publisher or not md.published \
        or not (md.authors_ld or md.authors_meta)


def _trafilatura_metadata(tree, url: str | None) -> dict:
    """trafilatura's metadata of the page; called last, as it may alter ``tree``."""
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(tree, url).as_dict()
    except Exception:  # a metadata heuristic failing must not lose the article
        return {}


#: Longest article body accepted (characters); longer "articles" are dumps, not stories, and
#: would exceed what spaCy processes in one document.
MAX_BODY_CHARS = 1_000_000


def check_body_length(body: str) -> None:
    if len(body) > MAX_BODY_CHARS:
        raise CleaningError(f"article body too long: {len(body):,} characters (limit {MAX_BODY_CHARS:,})")


#: Pages above this size are slimmed (scripts, styles, SVG and comments removed) before parsing.
SLIM_ABOVE_CHARS = 1_000_000
#: Markup left after slimming above this size is not an article page: rejected, memory stays bounded.
MAX_MARKUP_CHARS = 12_000_000
_HEAVY_TAGS = ("script", "style", "svg", "noscript", "template")


def slim_html(html: str) -> str:
    """Drop script/style/svg/noscript/template elements and comments, in one linear pass.

    JSON-LD scripts (``application/ld+json``) are kept: they carry the metadata. An element
    that is never closed is cut to the end of the page.
    """
    low = html.lower()
    out, pos, n = [], 0, len(html)
    while pos < n:
        lt = low.find("<", pos)
        if lt < 0:
            break
        if low.startswith("<!--", lt):
            end = low.find("-->", lt + 4)
            out.append(html[pos:lt])
            pos = n if end < 0 else end + 3
            continue
        tag = next((t for t in _HEAVY_TAGS if low.startswith(t, lt + 1)
                    and (lt + 1 + len(t) >= n or not low[lt + 1 + len(t)].isalnum())), None)
        if tag is None:
            out.append(html[pos:lt + 1])
            pos = lt + 1
            continue
        gt = low.find(">", lt)
        if tag == "script" and gt > 0 and "ld+json" in low[lt:gt]:
            out.append(html[pos:lt + 1])
            pos = lt + 1
            continue
        end = low.find(f"</{tag}", lt)
        out.append(html[pos:lt])
        if end < 0:
            pos = n
        else:
            close = low.find(">", end)
            pos = n if close < 0 else close + 1
    out.append(html[pos:])
    return "".join(out)


def clean_html(html: str, url: str | None = None) -> CleanedArticle:
    """Main text and metadata of a news web page."""
    if html is None or not isinstance(html, (str, bytes)):
        raise CleaningError(f"no extractable article text: input is {type(html).__name__}, not HTML text")
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        raise CleaningError("no extractable article text: input is empty")
    if not re.search(r"<\s*[a-zA-Z!]", html[:100_000]):
        raise CleaningError("no extractable article text: input contains no HTML markup")
    if len(html) > SLIM_ABOVE_CHARS:
        html = slim_html(html)
        if len(html) > MAX_MARKUP_CHARS:
            raise CleaningError(
                f"page too large: {len(html):,} characters of markup after removing scripts and styles "
                f"(limit {MAX_MARKUP_CHARS:,}); not an article page")

    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise CleaningError("no extractable article text: HTML could not be parsed")
    md = _collect_html_meta(tree)
    text = _extract_text(tree, url)
    method = "trafilatura"
    body = _paragraphs(text)
    if _word_count(body) < 5 and md.article_body and _word_count(md.article_body) >= 20:
        body = _paragraphs(re.sub(r"<[^>]+>", " ", md.article_body))
        method = "jsonld"
    if not body or _word_count(body) < 3:
        visible = _word_count(_text(tree.find(".//body")) if tree.find(".//body") is not None else "")
        raise CleaningError(
            "no extractable article text: no main text block found "
            f"(page has {visible} visible words; boilerplate, paywall or non-article page?)")

    traf = _trafilatura_metadata(tree, url or md.url) if _needs_trafilatura_metadata(md) else {}
    page_url = url or md.url or traf.get("url")
    publisher = _choose_publisher(md, traf.get("sitename"))
    sites = _site_names(page_url, publisher, traf.get("sitename"), *md.publisher)
    title = _choose_title(md, traf.get("title"), sites)

    # authors: schema.org Person entries, then meta tags, then trafilatura
    if md.authors_ld and md.authors_ld_person:
        authors = normalise_authors(md.authors_ld, publisher=publisher, trusted=True)
    else:
        authors = []
    if not authors and md.authors_meta:
        authors = normalise_authors(md.authors_meta, publisher=publisher)
    if not authors and md.authors_ld:
        authors = normalise_authors(md.authors_ld, publisher=publisher)
    if not authors and traf.get("author"):
        authors = normalise_authors(traf["author"], publisher=publisher)

    published = _choose_date(md.published + [traf.get("date")])
    updated = _choose_date(md.modified)
    if updated is not None and published is not None and updated < published:
        updated = None

    # trafilatura sometimes keeps the headline as the first line of the text
    heads = {_key(t) for t in [title, *md.h1] if t}
    paras = body.split("\n\n")
    while len(paras) > 1 and _key(paras[0]) in heads:
        paras.pop(0)
    body = "\n\n".join(paras)

    subtitle = None
    for d in md.description:
        if d and d.casefold() != (title or "").casefold() and _word_count(d) >= 4:
            subtitle = d
            break

    caption, credit = (None, None)
    if md.caption:
        caption, credit = split_caption_credit(md.caption)
        if md.credit and not credit:
            credit = md.credit

    # The text decides when it is long enough to tell (templates often declare lang="en"
    # on every page); the page's declaration is the fallback for short bodies.
    language = detect_language(body)
    if language is None:
        for cand in md.language:
            language = _norm_lang(cand)
            if language:
                break

    return CleanedArticle(
        body=body, title=title, subtitle=subtitle, authors=authors, publisher=publisher,
        published_at=published, updated_at=updated, url=page_url, language=language,
        image_caption=caption, image_credit=credit, method=method)


def clean_text_dump(text: str, url: str | None = None) -> CleanedArticle:
    """Article record from a news page saved as plain text (see :mod:`news_etl.textdump`)."""
    from news_etl.textdump import parse_text_dump

    return parse_text_dump(text, url=url)


# --------------------------------------------------------------------------- records
def clean_record(payload: str) -> CleanedArticle:
    """Clean one scraped-article record (JSON object with url/html/text/title/date/authors...).

    HTML goes through :func:`clean_html`; a plain ``text`` field is taken as the article
    text (scrapers already removed the page around it). Fields the record states
    explicitly (title, date, authors, publisher, language, url) win over what the
    cleaner found in the page.
    """
    import json as _json

    try:
        rec = _json.loads(payload)
    except ValueError as err:
        raise CleaningError(f"no extractable article text: record is not JSON ({err})") from err
    if not isinstance(rec, dict):
        raise CleaningError("no extractable article text: record is not a JSON object")
    url = rec.get("url")
    if rec.get("html"):
        c = clean_html(rec["html"], url=url)
    else:
        body = _paragraphs(rec.get("text") or "")
        if _word_count(body) < 3:
            raise CleaningError("no extractable article text: the record's text field has fewer than 3 words")
        c = CleanedArticle(body=body, url=url, language=detect_language(body), method="record-text")
    if rec.get("title"):
        c.title = _norm_space(rec["title"])
    if rec.get("date") is not None:
        value = rec["date"]
        if isinstance(value, (int, float)):
            value = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
        d = parse_datetime(value)
        if d is not None:
            c.published_at = d
    if rec.get("authors"):
        c.authors = normalise_authors(rec["authors"], publisher=rec.get("publisher")) or c.authors
    if rec.get("publisher"):
        c.publisher = _norm_space(rec["publisher"])
    if rec.get("language") and not c.language:
        c.language = _norm_lang(rec["language"])
    if url:
        c.url = url
    c.method = c.method if c.method.startswith("record") else f"record+{c.method}"
    return c
