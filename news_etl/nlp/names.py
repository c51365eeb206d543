"""Canonical names of entities within one article (titles, possessives and 'the' removed)."""

from __future__ import annotations

import re
from typing import Iterable

from spacy.tokens import Span

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
