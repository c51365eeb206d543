"""Article metadata of an HTML page: schema.org JSON-LD, ``<meta>`` tags, ``<h1>``/``<title>``
and trafilatura's own metadata, and the choice of the best title, publisher and dates.
"""
from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable
from urllib.parse import urlparse

from news_etl.clean.dates import parse_datetime
from news_etl.clean.lexicon import (
    ARTICLE_TYPE_WORDS,
    AUTHOR_META_KEYS,
    MODIFIED_META_KEYS,
    NON_ARTICLE_TYPES,
    PUBLISHED_META_KEYS,
    TITLE_META_KEYS,
)
from news_etl.clean.text import element_text, norm_space, text_key

__all__ = [
    "HtmlMeta",
    "choose_date",
    "choose_publisher",
    "choose_title",
    "collect_html_meta",
    "needs_trafilatura_metadata",
    "site_names",
    "strip_site_suffix",
    "trafilatura_metadata",
]

_ARTICLE_TYPES = re.compile("|".join(ARTICLE_TYPE_WORDS), re.I)


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
        t in NON_ARTICLE_TYPES for t in _types(obj))


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


def _meta(tree) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in tree.xpath("//meta[@content]"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        if key:
            val = norm_space(m.get("content"))
            if val:
                out.setdefault(key, []).append(val)
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for k in keys:
        if meta.get(k):
            return meta[k][0]
    return None


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|\*|»|/)\s+")


def strip_site_suffix(title: str, sites: Iterable[str | None]) -> str:
    """Drop " | Site", " - Site" (and prefixes "Site | ") when the part names the site."""
    keys = {k for k in (text_key(s) for s in sites) if k and len(k) >= 3}
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not keys:
        return title

    def is_site(part: str) -> bool:
        k = text_key(part)
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


def site_names(url: str | None, *names: str | None) -> list[str]:
    """Names the site may go by in a title: the given names, then host name forms of ``url``."""
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
class HtmlMeta:
    """Every candidate value the page's structured metadata gives, in order of reliability."""
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


def collect_html_meta(tree) -> HtmlMeta:
    """Candidates from JSON-LD first, then from ``<meta>`` tags and the page's elements."""
    md = HtmlMeta()
    _read_jsonld(md, tree)
    _read_page_meta(md, tree)
    return md


def _read_jsonld(md: HtmlMeta, tree) -> None:
    objs = _jsonld_objects(tree)
    articles = [o for o in objs if _is_article(o)]
    # the page's own article: its headline is the printed <h1>; then ones with headline and date
    h1_keys = {text_key(element_text(h)) for h in tree.xpath("//h1")}
    articles.sort(key=lambda o: (not (isinstance(o.get("headline"), str)
                                      and text_key(html_lib.unescape(o["headline"])) in h1_keys),
                                 not o.get("headline"), not o.get("datePublished")))
    for o in articles:
        _read_jsonld_article(md, o)
    for o in objs:
        if "WebSite" in _types(o) or "NewsMediaOrganization" in _types(o):
            md.publisher.extend(_names(o))


def _read_jsonld_article(md: HtmlMeta, o: dict) -> None:
    for k in ("headline", "alternativeHeadline"):
        v = o.get(k)
        if isinstance(v, str) and norm_space(v):
            if k == "headline":
                md.titles.append(norm_space(html_lib.unescape(v)))
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
        md.description.append(norm_space(html_lib.unescape(o["description"])))
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
        if isinstance(cap, str) and norm_space(cap):
            md.caption = norm_space(html_lib.unescape(cap))
            cred = img.get("creditText") or img.get("copyrightHolder") or img.get("author")
            cred_names = _names(cred)
            if cred_names:
                md.credit = norm_space(cred_names[0])
    body = o.get("articleBody")
    if isinstance(body, str) and len(body) > len(md.article_body or ""):
        md.article_body = body


def _read_page_meta(md: HtmlMeta, tree) -> None:
    meta = _meta(tree)
    md.og_title = _first(meta, *TITLE_META_KEYS)
    t = tree.find(".//title")
    md.html_title = element_text(t) or None
    md.h1 = [x for x in (element_text(h) for h in tree.xpath("//h1")) if x]
    for k in AUTHOR_META_KEYS:
        for v in meta.get(k, []):
            if k == "twitter:creator" or re.match(r"https?://", v):
                continue
            md.authors_meta.append(v)
        if md.authors_meta:
            break
    md.published.extend(meta.get(k)[0] for k in PUBLISHED_META_KEYS if meta.get(k))
    md.modified.extend(meta.get(k)[0] for k in MODIFIED_META_KEYS if meta.get(k))
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
            cap = element_text(fig.find(".//figcaption"))
            if cap:
                md.caption = cap


def choose_title(md: HtmlMeta, traf_title: str | None, sites: list[str]) -> str | None:
    """Headline: the printed ``<h1>`` when metadata confirms it, else the JSON-LD headline,
    else og:title / trafilatura / ``<title>`` without the " | Site" suffix."""
    metas = [strip_site_suffix(c, sites) for c in (md.og_title, traf_title, md.html_title) if c]
    confirm = {text_key(t) for t in md.titles + metas if text_key(t)}
    for h in md.h1:
        if text_key(h) in confirm and len(h) <= 300:
            return h
    if md.titles:
        return md.titles[0]
    for cand in metas:
        # the printed <h1> wins over a shortened/SEO title that it contains
        for h in md.h1:
            kh, kc = text_key(h), text_key(cand)
            if kh and kc and kc in kh and len(h) <= 300:
                return h
        return cand
    if len(md.h1) == 1 and 3 <= len(md.h1[0]) <= 300:
        return md.h1[0]
    return None


def choose_publisher(md: HtmlMeta, traf_site: str | None) -> str | None:
    """First publisher name that is neither a URL nor longer than 80 characters."""
    for cand in md.publisher + [traf_site]:
        c = norm_space(cand)
        if c and not re.match(r"https?://", c) and len(c) <= 80:
            return c
    return None


def choose_date(cands: Iterable[str | None]) -> datetime | None:
    """First candidate that parses to a plausible news date (1990 to next year)."""
    for c in cands:
        d = parse_datetime(c)
        if d is not None and 1990 <= d.year <= datetime.now().year + 1:
            return d
    return None


def needs_trafilatura_metadata(md: HtmlMeta) -> bool:
    """trafilatura's metadata pass (htmldate, heuristics) costs about a third of the cleaning;
    it runs only when the page's structured metadata leaves a field to find."""
    return not (md.titles or md.og_title) or not md.publisher or not md.published \
        or not (md.authors_ld or md.authors_meta)


def trafilatura_metadata(tree, url: str | None) -> dict:
    """trafilatura's metadata of the page; called last, as it may alter ``tree``."""
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(tree, url).as_dict()
    except Exception:  # a metadata heuristic failing must not lose the article
        return {}
