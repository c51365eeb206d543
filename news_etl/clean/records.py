"""Cleaning of scraped-article records (one JSON object with url/html/text/title/date/authors...)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from news_etl.clean.article import CleanedArticle, CleaningError
from news_etl.clean.authors import normalise_authors
from news_etl.clean.dates import parse_datetime
from news_etl.clean.html import clean_html
from news_etl.clean.language import detect_language, norm_lang
from news_etl.clean.text import norm_space, paragraphs, word_count

__all__ = ["clean_record"]


def clean_record(payload: str) -> CleanedArticle:
    """Clean one scraped-article record (JSON object with url/html/text/title/date/authors...).

    HTML goes through :func:`clean_html`; a plain ``text`` field is taken as the article
    text (scrapers already removed the page around it). Fields the record states
    explicitly (title, date, authors, publisher, language, url) win over what the
    cleaner found in the page.
    """
    try:
        rec = json.loads(payload)
    except ValueError as err:
        raise CleaningError(f"no extractable article text: record is not JSON ({err})") from err
    if not isinstance(rec, dict):
        raise CleaningError("no extractable article text: record is not a JSON object")
    url = rec.get("url")
    if rec.get("html"):
        c = clean_html(rec["html"], url=url)
    else:
        body = paragraphs(rec.get("text") or "")
        if word_count(body) < 3:
            raise CleaningError("no extractable article text: the record's text field has fewer than 3 words")
        c = CleanedArticle(body=body, url=url, language=detect_language(body), method="record-text")
    if rec.get("title"):
        c.title = norm_space(rec["title"])
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
        c.publisher = norm_space(rec["publisher"])
    if rec.get("language") and not c.language:
        c.language = norm_lang(rec["language"])
    if url:
        c.url = url
    c.method = c.method if c.method.startswith("record") else f"record+{c.method}"
    return c
