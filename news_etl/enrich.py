"""Enrichment core: turn one spaCy Doc of an article body into table rows.

No dagster imports. Every row carries the article id and character offsets into
the stored body (``articles.body``), so any fact can be checked in one query.
"""

from __future__ import annotations

import bisect
from datetime import datetime
from typing import Any

from spacy.tokens import Doc

from news_etl.casualties import extract_casualties
from news_etl.nlp import canonical_names
from news_etl.quotes import extract_citations, extract_quotes

CHILD_TABLES = ("sentences", "entities", "quotes", "citations", "casualties")


def _sentence_rows(article_id: str, doc: Doc) -> tuple[list[dict], list[int]]:
    rows, starts = [], []
    i = 0
    for s in doc.sents:
        # Trim white space so offsets point at text.
        text = s.text
        lead = len(text) - len(text.lstrip())
        start = s.start_char + lead
        text = text.strip()
        if not text:
            continue
        rows.append({"article_id": article_id, "sentence_index": i, "start_char": start,
                     "end_char": start + len(text), "text": text})
        starts.append(start)
        i += 1
    return rows, starts


def _sentence_index(starts: list[int], char: int) -> int | None:
    i = bisect.bisect_right(starts, char) - 1
    return i if i >= 0 else None


def rows_for_doc(article_id: str, doc: Doc, published_at: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """All child-table rows for one article (dict: table name -> list of row dicts)."""
    sentences, starts = _sentence_rows(article_id, doc)
    ents = list(doc.ents)
    names = canonical_names(ents)
    entities = [
        {"article_id": article_id, "entity_index": i, "text": e.text, "label": e.label_,
         "canonical_name": n or e.text, "start_char": e.start_char, "end_char": e.end_char,
         "sentence_index": _sentence_index(starts, e.start_char)}
        for i, (e, n) in enumerate(zip(ents, names))
    ]
    quotes = []
    for i, q in enumerate(extract_quotes(doc)):
        row = {"quote_id": f"{article_id}-q{i:03d}", "article_id": article_id}
        row.update(q)
        quotes.append(row)
    citations = [{"article_id": article_id, **c} for c in extract_citations(doc)]
    casualties = []
    for i, c in enumerate(extract_casualties(doc, published_at)):
        row = {"casualty_id": f"{article_id}-c{i:03d}", "article_id": article_id}
        row.update(c)
        casualties.append(row)
    return {"sentences": sentences, "entities": entities, "quotes": quotes,
            "citations": citations, "casualties": casualties}
