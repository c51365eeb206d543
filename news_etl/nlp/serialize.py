"""Enrichment core: turn one spaCy Doc of an article body into table rows.

No dagster imports. Every row carries the article id and character offsets into
the stored body (``articles.body``), so any fact can be checked in one query.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict
from typing import Any

from spacy.tokens import Doc

from news_etl.nlp.casualties import extract_casualties
from news_etl.nlp.gazetteer import gazetteer, link_places, place_for_location
from news_etl.nlp.identity import entity_id
from news_etl.nlp.names import canonical_names
from news_etl.nlp.quotes import extract_citations, extract_quotes




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


def _records(doc: Doc, name: str, extract) -> list:
    """The component's records on the Doc; computed here only for a pipeline without that component."""
    found = getattr(doc._, name)
    return found if found is not None else extract(doc)


def rows_for_doc(article_id: str, doc: Doc, reuse: bool = True) -> dict[str, list[dict[str, Any]]]:
    """All child-table rows for one article (dict: table name -> list of row dicts), and the
    ``places`` its place mentions name.

    Quotes, citations, casualty figures and place links are the records the news components put
    on the Doc (``doc._.quotes``, ``doc._.citations``, ``doc._.casualties``, ``doc._.place_links``);
    ids, entity identities and place ids are added here. The canonical names are the ones
    ``news_people`` computed for the same entities (``reuse=False``: computed again, for checks).
    """
    sentences, starts = _sentence_rows(article_id, doc)
    links = _records(doc, "place_links", link_places)
    place_at = {(link.start_char, link.end_char): link.place_id for link in links}
    ents = list(doc.ents)
    entities = []
    for i, (e, n) in enumerate(zip(ents, canonical_names(ents, reuse=reuse))):
        place = place_at.get((e.start_char, e.end_char))
        entities.append({"article_id": article_id, "entity_index": i, "text": e.text, "label": e.label_,
                         "canonical_name": n or e.text, "start_char": e.start_char, "end_char": e.end_char,
                         "sentence_index": _sentence_index(starts, e.start_char),
                         "entity_id": entity_id(e.label_, n or e.text, place), "place_id": place})
    named = {}
    for r in entities:  # canonical name -> identity (the first label a name has in the article)
        named.setdefault(r["canonical_name"], r["entity_id"])
    quotes = [{"quote_id": f"{article_id}-q{i:03d}", "article_id": article_id, **asdict(q),
               "speaker_entity_id": named.get(q.speaker_resolved) if q.speaker_resolved else None}
              for i, q in enumerate(_records(doc, "quotes", extract_quotes))]
    citations = [{"article_id": article_id, **asdict(c)} for c in _records(doc, "citations", extract_citations)]
    casualties = [{"casualty_id": f"{article_id}-c{i:03d}", "article_id": article_id, **asdict(c),
                   "place_id": place_for_location(c.location, links)}
                  for i, c in enumerate(_records(doc, "casualties",
                                                 lambda d: extract_casualties(d, d._.published_at)))]
    places = {pid: asdict(gazetteer().place(pid)) for pid in
              [link.place_id for link in links] + [c["place_id"] for c in casualties if c["place_id"]]}
    return {"sentences": sentences, "entities": entities, "quotes": quotes,
            "citations": citations, "casualties": casualties, "places": list(places.values())}
