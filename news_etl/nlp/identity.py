"""One identity per real-world person, organisation or place, across articles.

An entity id is derived from the entity's name alone (no lookup of other rows), so it is
deterministic, the same in every process and every run, and a new article joins an existing
identity simply by producing the same id; ``news-etl reprocess`` rebuilds them all.

- Places: the gazetteer's place (``place:gn:703448``): "Kyiv", "Kiev" and "Kyiv region" are one.
- People: the article's canonical name (titles removed, a surname joined to the full name it
  stands for in the article), folded to ASCII, lower case, initials dropped, and the spelling
  variants of transliterated surname endings made one ("Zelensky", "Zelenskyy", "Zelenskiy").
  First and last name both count, so John Smith and Jane Smith never merge.
- Organisations and other names: the canonical name folded the same way ("the Kremlin's" ->
  "kremlin").
No dagster imports.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

from news_etl.nlp.names import clean_entity_text, person_tokens

#: Transliterations of Slavic adjectival surname endings (-ський/-ский): -yy, -iy, -ii, -yi, -ij -> -y.
_TRANSLIT_ENDING = re.compile(r"(?:yy|iy|ii|yi|ij|yj)$")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def fold(text: str) -> str:
    """ASCII, lower case, punctuation removed, white space folded."""
    t = text if text.isascii() else anyascii(text)
    return " ".join(_NON_WORD.sub(" ", t.lower().replace("'s ", " ")).split())


def person_key(name: str) -> str:
    """The identity key of a person's name: first and last name, folded, initials dropped,
    transliterated surname endings unified."""
    words = [fold(w) for w in person_tokens(name)]
    words = [w for w in " ".join(words).split() if len(w) > 1]
    if not words:
        return fold(name)
    words[-1] = _TRANSLIT_ENDING.sub("y", words[-1])
    return " ".join(words[:1] + words[-1:]) if len(words) > 1 else words[0]


def entity_key(label: str, name: str, place_id: str | None = None) -> str:
    if place_id:
        return f"place:{place_id}"
    if label == "PERSON":
        return f"person:{person_key(name)}"
    return f"{label.lower()}:{fold(clean_entity_text(name))}"


def entity_id(label: str, name: str, place_id: str | None = None) -> str:
    """A short deterministic id for the entity (see :func:`entity_key`)."""
    k = entity_key(label, name, place_id)
    kind = k.split(":", 1)[0][:3]
    return f"{kind}-{hashlib.sha1(k.encode('utf-8')).hexdigest()[:12]}"
