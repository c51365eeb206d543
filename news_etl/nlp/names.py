"""Canonical names of entities within one article (titles, possessives and 'the' removed)."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Iterable

from spacy.tokens import Doc, Span

from news_etl.nlp.derived import cache_file, load_or_build
from news_etl.nlp.people_lexicon import FEMALE_PRONOUNS, FEMALE_TITLES, MALE_PRONOUNS, MALE_TITLES

PLACE_LABELS = {"GPE", "LOC", "FAC"}


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


def person_tokens(text: str) -> list[str]:
    toks = [t for t in re.split(r"\s+", clean_entity_text(text)) if t]
    while toks and toks[0].lower().rstrip(".") in _TITLES:
        toks = toks[1:]
    return toks


#: Doc -> (the entities' (start, end, label), their canonical names): the last answer per Doc, so
#: ``news_people`` and the serializer compute the names of an article once.
_LAST: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def canonical_names(ents: Iterable[Span], reuse: bool = True) -> list[str]:
    """A canonical name per entity of one article, aligned with ``ents``.

    PERSON: the fullest name in the article that ends with the same surname
    ("Zelensky" -> "Volodymyr Zelensky"); a surname shared by two different full
    names stays as written. Other labels: the text without 'the' and possessives,
    folded to the longest variant with the same case-insensitive key.

    The answer depends only on the spans (their Doc's text, offsets and labels), so the last one
    per Doc is kept and given again for the same spans (``reuse=False``: always computed).
    """
    ents = list(ents)
    if not ents:
        return []
    doc, key = ents[0].doc, tuple((e.start, e.end, e.label) for e in ents)
    last = _LAST.get(doc) if reuse else None
    if last is not None and last[0] == key and all(e.doc is doc for e in ents):
        return list(last[1])
    out = _canonical_names(ents)
    _LAST[doc] = (key, tuple(out))
    return out


def _canonical_names(ents: list[Span]) -> list[str]:
    # Full person names by surname.
    full_by_surname: dict[str, set[str]] = {}
    for e in ents:
        if e.label_ == "PERSON":
            toks = person_tokens(e.text)
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
            toks = person_tokens(e.text)
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


# --------------------------------------------------------------------------------------
# Gender of the people named in one article (pronoun agreement)
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def gender_detector():
    """The ``gender-guesser`` detector (case-insensitive), built once per process and shared;
    its parsed name table comes from the derived-data cache (parsing the list costs seconds)."""
    return load_or_build(cache_file("gender-names", (), ("gender-guesser",)), _build_gender_detector)


def _build_gender_detector():
    import gender_guesser.detector as gd  # noqa: PLC0415 -- loads its name list on first use

    return gd.Detector(case_sensitive=False)


def _given_name_gender(word: str) -> str | None:
    """'m' or 'f' for a given name of (mostly) one gender, else None."""
    g = gender_detector().get_gender(word)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(g)


def guess_genders(doc: Doc, canon: Callable[[Span], str], in_quote: Callable[[int], bool]) -> dict[str, str]:
    """Gender of a PERSON from an honorific (Mr, Ms), else a given name of one gender, else the
    first personal pronoun after them whose nearest preceding PERSON subject is them."""
    genders: dict[str, str] = {}
    male, female = MALE_PRONOUNS, FEMALE_PRONOUNS
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        name = canon(e)
        # a title right before or at the start of the name ("Ms Dunn")
        for k in (e.start - 1, e.start):
            title = doc[k].lower_.rstrip(".") if k >= 0 else ""
            if title in MALE_TITLES:
                genders.setdefault(name, "m")
            elif title in FEMALE_TITLES:
                genders.setdefault(name, "f")
    # a given name of one gender ("Clara Dunn")
    for e in doc.ents:
        words = [w for w in e.text.split() if w.lower().rstrip(".") not in MALE_TITLES + FEMALE_TITLES]
        if e.label_ == "PERSON" and len(words) >= 2 and canon(e) not in genders:
            g = _given_name_gender(words[0])
            if g is not None:
                genders[canon(e)] = g
    # pronoun following a subject mention in the same or next sentence
    for e in doc.ents:
        if e.label_ != "PERSON" or e.root.dep_ not in ("nsubj", "nsubjpass", "appos", "compound"):
            continue
        name = canon(e)
        if name in genders:
            continue
        sent = e.sent
        end = min(len(doc), sent.end + 25)
        before = [t for t in doc[sent.start:e.start] if t.lower_ in male | female and not in_quote(t.idx)]
        if before and e.root.dep_ in ("nsubj", "nsubjpass") and not any(
                x.ent_type_ == "PERSON" for x in doc[before[-1].i:e.start]):
            genders[name] = "m" if before[-1].lower_ in male else "f"
            continue
        for t in doc[e.end:end]:
            if in_quote(t.idx):
                continue
            if t.ent_type_ == "PERSON" and t.i >= e.end:
                break
            if t.lower_ in male:
                genders[name] = "m"
                break
            if t.lower_ in female:
                genders[name] = "f"
                break
    return genders
