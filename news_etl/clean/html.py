"""Cleaning of news web pages: main text and metadata of one HTML page (:func:`clean_html`).

trafilatura gives the main text; a metadata layer (:mod:`news_etl.clean.metadata`) reads
schema.org JSON-LD, ``og:``/``article:`` meta tags, ``<h1>`` and trafilatura's own
metadata, and picks/normalises the best title, authors, dates, publisher, language, dek
and lead-image caption.  Raises :class:`CleaningError` (a ``ValueError``) with a human
reason when no article text can be extracted.

Body extraction (measured on the Zyte article-extraction benchmark, see
``benchmarks/bench_cleaning.py``): trafilatura with ``favor_precision=True`` and
``include_comments=False``; when that keeps less than a quarter of what the default
settings extract (precision mode occasionally drops the whole article), the default
extraction is used instead.
"""
from __future__ import annotations

import re

from news_etl.clean.article import CleanedArticle, CleaningError, require_text
from news_etl.clean.authors import normalise_authors
from news_etl.clean.captions import split_caption_credit
from news_etl.clean.language import detect_language, norm_lang
from news_etl.clean.metadata import (
    HtmlMeta,
    choose_date,
    choose_publisher,
    choose_title,
    collect_html_meta,
    needs_trafilatura_metadata,
    site_names,
    trafilatura_metadata,
)
from news_etl.clean.text import element_text, paragraphs, text_key, word_count

__all__ = ["FALLBACK_BELOW_WORDS", "MAX_MARKUP_CHARS", "SLIM_ABOVE_CHARS", "clean_html", "slim_html"]

#: The precision-mode body is checked against a default-mode extraction only when it is this short
#: (a second trafilatura pass costs as much as the first; long precise bodies are never truncated ones).
FALLBACK_BELOW_WORDS = 150


def _extract_text(tree, url: str | None) -> str:
    """trafilatura body (see module docstring); trafilatura works on a copy of ``tree``."""
    import trafilatura

    doc = trafilatura.bare_extraction(tree, url=url, favor_precision=True, include_comments=False)
    precise = (doc.text if doc is not None else None) or ""
    text = precise
    if word_count(precise) < FALLBACK_BELOW_WORDS:
        default = trafilatura.extract(tree, url=url, include_comments=False) or ""
        if word_count(precise) < 0.25 * word_count(default):
            text = default
    return text


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


def _load_tree(html):
    """The parsed page; :class:`CleaningError` for input that is no (parsable) HTML or too large."""
    html = require_text(html, "HTML text")
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
    return tree


def _extract_body(tree, md: HtmlMeta, url: str | None) -> tuple[str, str]:
    """(body, method): trafilatura's text, or the JSON-LD ``articleBody`` when trafilatura finds
    (almost) nothing."""
    text = _extract_text(tree, url)
    method = "trafilatura"
    body = paragraphs(text)
    if word_count(body) < 5 and md.article_body and word_count(md.article_body) >= 20:
        body = paragraphs(re.sub(r"<[^>]+>", " ", md.article_body))
        method = "jsonld"
    if not body or word_count(body) < 3:
        visible = word_count(element_text(tree.find(".//body")) if tree.find(".//body") is not None else "")
        raise CleaningError(
            "no extractable article text: no main text block found "
            f"(page has {visible} visible words; boilerplate, paywall or non-article page?)")
    return body, method


def _choose_authors(md: HtmlMeta, traf: dict, publisher: str | None) -> list[str]:
    """Authors: schema.org Person entries, then meta tags, then other JSON-LD authors, then trafilatura."""
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
    return authors


def _drop_headline_lines(body: str, title: str | None, h1: list[str]) -> str:
    """trafilatura sometimes keeps the headline as the first line of the text."""
    heads = {text_key(t) for t in [title, *h1] if t}
    paras = body.split("\n\n")
    while len(paras) > 1 and text_key(paras[0]) in heads:
        paras.pop(0)
    return "\n\n".join(paras)


def _choose_subtitle(md: HtmlMeta, title: str | None) -> str | None:
    """Dek: the first description of >= 4 words that is not the headline."""
    for d in md.description:
        if d and d.casefold() != (title or "").casefold() and word_count(d) >= 4:
            return d
    return None


def _choose_caption(md: HtmlMeta) -> tuple[str | None, str | None]:
    caption, credit = (None, None)
    if md.caption:
        caption, credit = split_caption_credit(md.caption)
        if md.credit and not credit:
            credit = md.credit
    return caption, credit


def _choose_language(body: str, md: HtmlMeta) -> str | None:
    """The text decides when it is long enough to tell (templates often declare lang="en"
    on every page); the page's declaration is the fallback for short bodies."""
    language = detect_language(body)
    if language is None:
        for cand in md.language:
            language = norm_lang(cand)
            if language:
                break
    return language


def clean_html(html: str, url: str | None = None) -> CleanedArticle:
    """Main text and metadata of a news web page."""
    tree = _load_tree(html)
    md = collect_html_meta(tree)
    body, method = _extract_body(tree, md, url)

    traf = trafilatura_metadata(tree, url or md.url) if needs_trafilatura_metadata(md) else {}
    page_url = url or md.url or traf.get("url")
    publisher = choose_publisher(md, traf.get("sitename"))
    sites = site_names(page_url, publisher, traf.get("sitename"), *md.publisher)
    title = choose_title(md, traf.get("title"), sites)
    authors = _choose_authors(md, traf, publisher)

    published = choose_date(md.published + [traf.get("date")])
    updated = choose_date(md.modified)
    if updated is not None and published is not None and updated < published:
        updated = None

    body = _drop_headline_lines(body, title, md.h1)
    caption, credit = _choose_caption(md)
    return CleanedArticle(
        body=body, title=title, subtitle=_choose_subtitle(md, title), authors=authors, publisher=publisher,
        published_at=published, updated_at=updated, url=page_url, language=_choose_language(body, md),
        image_caption=caption, image_credit=credit, method=method)
