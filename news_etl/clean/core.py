"""One entry point for the cleaning stage: a raw document of any ingested format to a :class:`CleanedArticle`."""
from __future__ import annotations

from news_etl.clean.article import CleanedArticle
from news_etl.clean.html import clean_html
from news_etl.clean.records import clean_record
from news_etl.clean.textdump import clean_text_dump

__all__ = ["clean_document"]


def clean_document(fmt: str, content: str, url: str | None) -> CleanedArticle:
    """Clean one raw document by its format: ``"html"`` pages, ``"record"`` JSON records,
    anything else as a plain-text dump."""
    if fmt == "html":
        return clean_html(content, url=url)
    if fmt == "record":
        return clean_record(content)
    return clean_text_dump(content, url=url)
