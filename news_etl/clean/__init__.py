"""Cleaning stage: raw news pages (HTML, scraped records or plain-text dumps) to one clean article record.

Functional core, no Dagster.  :func:`clean_document` dispatches by format to
:func:`clean_html` (:mod:`news_etl.clean.html`), :func:`clean_record`
(:mod:`news_etl.clean.records`) or :func:`clean_text_dump` (:mod:`news_etl.clean.textdump`);
all raise :class:`CleaningError` (a ``ValueError``) with a human reason when no article
text can be extracted.
"""
from news_etl.clean.article import CleanedArticle, CleaningError, check_body_length
from news_etl.clean.core import clean_document
from news_etl.clean.html import clean_html
from news_etl.clean.records import clean_record
from news_etl.clean.textdump import clean_text_dump

__all__ = [
    "CleanedArticle",
    "CleaningError",
    "check_body_length",
    "clean_document",
    "clean_html",
    "clean_record",
    "clean_text_dump",
]
