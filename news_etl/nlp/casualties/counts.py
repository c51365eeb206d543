"""Quantities of victim phrases: numbers -> :class:`Count`.

A count is read off the noun phrase the grammar ties to a casualty word: a number with
its qualifier ("at least 26 civilians"), a vague quantity ("dozens of people"), a
singular ("a police officer", a name, a pronoun) or an enumeration that adds up ("a
woman and a man" = 2). Numbers that are ages, years, percentages, money or times are
never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.casualties.lexicon import (
    ARTICLE_SCALES,
    INDEFINITE_VAGUE_HEADS,
    NEGATIVE_DETS,
    NO_ONE_WORDS,
    NON_COUNT_ENTS,
    NON_COUNT_NEXT_WORDS,
    NON_COUNT_PREFIXES,
    NON_VICTIM_NOUNS,
    PAIR_NOUNS,
    PERSON_NOUNS,
    PERSON_SUFFIXES,
    PERSONAL_PRONOUNS,
    QUALIFIERS,
    REFLEXIVE_PRONOUNS,
    SINGULAR_DETS,
    SINGULAR_PRONOUNS,
    TOTAL_NOUNS,
    VAGUE_MODIFIERS,
    VAGUE_NOUN_HEADS,
    VAGUE_PRONOUNS,
    VAGUE_SCALE_DETS,
)
from news_etl.nlp.numbers import is_number_word, parse_number, parse_ordinal
from news_etl.nlp.numbers_lexicon import SCALES

#: (words, qualifier) in the lexicon's order: the first pattern that matches wins
_QUALIFIER_PATTERNS = [(tuple(phrase.split()), q) for phrase, q in QUALIFIERS.items()]


@dataclass
class Count:
    """A quantity read off a victim phrase: bounds, qualifier, and the tokens that state it."""

    low: int | None
    high: int | None
    qualifier: str
    tokens: list[int] = field(default_factory=list)  # token indices to include in the phrase
    who: str | None = None
    singular: bool = False  # count 1 from a determiner, a name or a pronoun
    indef: str | None = None  # head lemma of a singular person noun ("a woman", "the officer")
    anaphoric: bool = False  # a pronoun or a definite singular ("he", "the victim"): someone named before

    @property
    def vague(self) -> bool:
        return self.qualifier == "vague"

    @property
    def anchor(self) -> int | None:
        return self.low if self.low is not None else self.high


def is_num(t: Token) -> bool:
    """A number token: a number word, or digits the tagger reads as a numeral."""
    return is_number_word(t.text) or (t.like_num and t.pos_ == "NUM" and re.fullmatch(r"[\d.,]+", t.text) is not None)


def _number_span(t: Token) -> tuple[int, int]:
    """Token range [start, end) of the number phrase around ``t`` ("2.5 million", "a dozen")."""
    doc = t.doc
    start, end = t.i, t.i + 1
    while start > 0:
        p = doc[start - 1]
        if is_num(p) or p.lower_ in SCALES or p.lower_ == "dozen":
            start -= 1
        elif p.text == "-" and start > 1 and is_num(doc[start - 2]):
            start -= 2
        else:
            break
    while end < len(doc):
        n = doc[end]
        if is_num(n) or n.lower_ in SCALES or n.lower_ == "dozen":
            end += 1
        elif n.text == "-" and end + 1 < len(doc) and is_num(doc[end + 1]):
            end += 2
        else:
            break
    if start > 0 and doc[start - 1].lower_ in ("a", "an") and doc[start].lower_ in ARTICLE_SCALES:
        start -= 1
    return start, end


def _qualifier_before(doc: Doc, start: int) -> tuple[str, int]:
    """Qualifier words right before token ``start`` ("at least 26"): (qualifier, new start)."""
    words = [t.lower_ for t in doc[max(0, start - 3):start]]
    for pattern, q in _QUALIFIER_PATTERNS:
        n = len(pattern)
        if n <= len(words) and tuple(words[-n:]) == pattern:
            return q, start - n
    return "exact", start


def _is_non_count_number(t: Token, start: int, end: int) -> bool:
    """Ages, years, percentages, money, times: numbers that are never casualty counts."""
    doc = t.doc
    if t.ent_type_ in NON_COUNT_ENTS and not (t.ent_type_ == "DATE" and t.head.lower_ in PERSON_NOUNS and t.dep_ == "nummod"):
        # "53" after a name is an age (DATE); "two days" is a duration.
        return True
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and (nxt.lower_ in NON_COUNT_NEXT_WORDS or nxt.text == "-"):
        return True
    if start > 0 and doc[start - 1].text in NON_COUNT_PREFIXES:
        return True
    if start > 1 and doc[start - 1].text == "," and doc[start - 2].pos_ == "PROPN" and not (
            t.dep_ == "nummod" and t.head.i > t.i and t.head.tag_ == "NNS"):
        return True  # "Abdallah, 37" / "Nazeh, 53," -- not "On Monday, 12 people" (a plural noun)
    value = parse_number(doc[start:end].text)
    if value is not None and 1900 <= value <= 2100 and end - start == 1 and "," not in t.text and not (
            t.dep_ == "nummod" and is_person_noun(t.head)):
        return True  # a year, unless it counts people ("2000 people")
    return False


def is_person_noun(t: Token) -> bool:
    """A noun naming people: a person noun ("civilians"), a PERSON/NORP entity, a noun ending
    like one ("fishermen", "journalist"), or "a 19-year-old" used as a noun."""
    low = t.lower_
    lem = t.lemma_.lower()
    if low == "old" and any(c.lemma_.lower() == "year" for c in t.children):
        return True  # "a 19-year-old" used as a noun
    if t.ent_type_ in ("PERSON", "NORP"):
        return True
    if low in PERSON_NOUNS or lem in PERSON_NOUNS:
        return True
    return t.pos_ == "NOUN" and len(low) > 4 and low.endswith(PERSON_SUFFIXES)


def _numeric_count(num_tok: Token) -> Count | None:
    """A stated number with its qualifier ("at least 26", "10 or more", "up to 2.5 million")."""
    doc = num_tok.doc
    start, end = _number_span(num_tok)
    if _is_non_count_number(num_tok, start, end):
        return None
    text = doc[start:end].text
    value = parse_number(text)
    if value is None or value <= 0:
        return None
    q, qstart = _qualifier_before(doc, start)
    # "10 or more"
    if end + 1 < len(doc) and doc[end].lower_ == "or" and doc[end + 1].lower_ == "more":
        q = "at_least"
    toks = list(range(qstart, end))
    if q == "exact" or q == "about":
        return Count(value, value, q, toks)
    if q in ("at_least", "more_than"):
        return Count(value, None, q, toks)
    return Count(None, value, q, toks)  # up_to


def _vague_count(t: Token) -> Count:
    """A vague quantity head: "dozens", "a handful", "hundreds of thousands"."""
    start = t.i
    doc = t.doc
    if start > 0 and doc[start - 1].lower_ in ("a", "an") and t.lower_ in INDEFINITE_VAGUE_HEADS:
        start -= 1
    end = t.i + 1
    # "hundreds of thousands", "dozens of people"
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in VAGUE_NOUN_HEADS:
        end += 2
    return Count(None, None, "vague", list(range(start, end)))


def of_objects(t: Token, preps: tuple[str, ...] = ("of",)) -> list[Token]:
    """Objects of a prepositional phrase on ``t`` ("five of the victims", "the deaths of 11
    people", "a toll of 31")."""
    return [p for ch in t.children if ch.dep_ == "prep" and ch.lower_ in preps
            for p in ch.children if p.dep_ == "pobj"]


def _numeric_head_count(h: Token) -> Count | None:
    """The head is a number: "two of them", "five of the victims", "11 killed"."""
    c = _numeric_count(h)
    if c is not None:
        c.tokens.append(h.i)
        # "two of them", "five of the victims"
        for p in of_objects(h):
            c.who = p.text
            c.tokens.append(p.i)
    return c


def _vague_head_count(h: Token) -> Count | None:
    """The head is a vague quantity: "dozens of people", "a handful", "several"."""
    low = h.lower_
    if low in VAGUE_NOUN_HEADS or (low in INDEFINITE_VAGUE_HEADS and any(
            c.lower_ in ("a", "an") for c in h.children)):
        c = _vague_count(h)
        for p in of_objects(h):
            if p.lower_ not in VAGUE_NOUN_HEADS:
                c.who = p.text
                c.tokens.append(p.i)
        return c
    if low in VAGUE_PRONOUNS and h.pos_ in ("ADJ", "PRON", "DET", "NOUN"):
        return Count(None, None, "vague", [h.i])
    return None


def _modifier_count(h: Token, children: list[Token]) -> Count | None:
    """A quantity modifying the noun: "11 people", "several civilians", "both pilots",
    "a total of 58 people"."""
    for c in children:
        if c.dep_ in ("nummod", "quantmod", "compound", "amod") and is_num(c) and c.i < h.i:
            cnt = _numeric_count(c)
            if cnt is not None:
                cnt.tokens.append(h.i)
                cnt.who = h.text
                return cnt
    for c in children:
        if c.dep_ in ("nummod", "amod", "det", "quantmod") and c.i < h.i and c.lower_ in VAGUE_MODIFIERS:
            cnt = Count(None, None, "vague", [c.i, h.i], who=h.text)
            return cnt
        if c.dep_ in ("nummod", "det") and c.lower_ in VAGUE_SCALE_DETS:
            return Count(None, None, "vague", [c.i, h.i], who=h.text)
    if h.lower_ in ("both",):
        return Count(2, 2, "exact", [h.i])
    for c in children:
        if c.dep_ in ("det", "predet") and c.lower_ == "both" and is_person_noun(h):
            return Count(2, 2, "exact", [c.i, h.i], who=h.text)
    if h.lemma_.lower() in TOTAL_NOUNS and h.pos_ == "NOUN":
        # "a total of 58 people"
        for p in of_objects(h):
            inner = np_count(p, allow_singular=False)
            if inner is not None and not inner.vague:
                inner.tokens.append(h.i)
                return inner
    return None


def _singular_count(h: Token, children: list[Token]) -> Count | None:
    """One person: "a police officer", "another man", "a man, John Smith", a name, a pronoun."""
    if h.tag_ in ("NN", "NNP") or h.pos_ in ("PROPN", "NOUN") or is_person_noun(h):
        for c in children:
            if c.dep_ in ("det", "nummod") and c.lower_ in SINGULAR_DETS and c.i < h.i and is_person_noun(h):
                return Count(1, 1, "exact", [c.i, h.i], who=h.text, singular=True, indef=h.lemma_.lower())
        for c in children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.pos_ == "PROPN" and is_person_noun(h):
                ent = _ent_of(c)
                toks = [h.i] + (list(range(ent.start, ent.end)) if ent is not None else [c.i])
                return Count(1, 1, "exact", toks, who=ent.text if ent is not None else c.text, singular=True)
        if h.pos_ == "PROPN" and (h.ent_type_ == "PERSON" or (
                h.ent_type_ == "" and h.text[:1].isupper() and h.dep_ in ("dobj", "nsubjpass"))):
            ent = _ent_of(h)
            toks = list(range(ent.start, ent.end)) if ent is not None else [h.i]
            return Count(1, 1, "exact", toks, who=ent.text if ent is not None else h.text, singular=True)
    definite = _definite_singular(h, children)
    if definite is not None:
        return definite
    low = h.lower_
    if (low in PERSONAL_PRONOUNS or low in REFLEXIVE_PRONOUNS) and h.pos_ == "PRON":
        return Count(1, 1, "exact", [h.i], who=h.text, singular=True, anaphoric=True)
    if low in SINGULAR_PRONOUNS and h.pos_ in ("PRON", "NUM", "DET"):
        return Count(1, 1, "exact", [h.i], singular=True)
    return None


def _has_age(h: Token) -> bool:
    """An age modifier on a noun or a name: "32-year-old Smith", "a 17-year-old girl"."""
    return any(c.lower_ == "old" and any(g.lemma_.lower() == "year" for g in c.children)
               for c in h.children if c.dep_ in ("amod", "compound", "nmod"))


def _definite_singular(h: Token, children: list[Token]) -> Count | None:
    """One person named before: a definite singular person noun ("the officer was
    injured", "the driver was killed"), or a name with an age ("32-year-old Smith")
    whatever entity label the tagger gave it."""
    if h.pos_ == "PROPN" and _has_age(h):
        return Count(1, 1, "exact", [h.i], who=h.text, singular=True)
    if h.tag_ != "NN" or not is_person_noun(h):
        return None
    if any(c.dep_ == "amod" and parse_ordinal(c.text) for c in children):
        return None  # "the second victim": one of a series counted elsewhere
    for c in children:
        if c.i < h.i and c.dep_ == "det" and c.lower_ in ("the", "this", "that"):
            return Count(1, 1, "exact", [c.i, h.i], who=h.text, singular=True, indef=h.lemma_.lower(),
                         anaphoric=True)
    return None


def _pair_count(h: Token) -> Count | None:
    """A pair of people counts 2: "a couple of bystanders", "left a local couple dead"."""
    if h.lemma_.lower() not in PAIR_NOUNS or not any(c.dep_ == "det" for c in h.children):
        return None
    objs = of_objects(h)
    if objs and not is_person_noun(objs[0]):
        return None  # "a couple of days"
    return Count(2, 2, "exact", [h.i] + [o.i for o in objs[:1]], who=objs[0].text if objs else h.text)


def np_count(h: Token, *, allow_singular: bool = True) -> Count | None:
    """The quantity of the noun phrase headed by ``h``, or None if it states none.

    Negated phrases ("no one", "no civilians") state none; so do nouns that are never
    victims ("two years", "six locations"). Singulars count only when allowed.
    """
    low = h.lower_
    if low in NEGATIVE_DETS or low in NO_ONE_WORDS:
        return None
    if any(c.dep_ in ("det", "neg", "advmod") and c.lower_ in NEGATIVE_DETS for c in h.children):
        return None  # "no one", "no civilians"
    if is_num(h) and low not in SCALES:
        return _numeric_head_count(h)
    cnt = _vague_head_count(h)
    if cnt is not None:
        return cnt
    if h.pos_ != "PROPN" and (low in NON_VICTIM_NOUNS or h.lemma_.lower() in NON_VICTIM_NOUNS):
        return None  # a surname ("Miles") is a person, not a unit
    pair = _pair_count(h)
    if pair is not None:
        return pair
    children = list(h.children)
    for c in children:
        if c.dep_ == "det" and c.lower_ in NEGATIVE_DETS:
            return None
    cnt = _modifier_count(h, children)
    if cnt is not None or not allow_singular:
        return cnt
    return _singular_count(h, children)


def _ent_of(t: Token) -> Span | None:
    """The entity a token belongs to (a name of several tokens: "Deborah Dudley")."""
    for e in t.doc.ents:
        if e.start <= t.i < e.end:
            return e
    return None


def _sum_enumeration(numeric: list[Count], members: list[Token]) -> Count:
    """An enumeration adds up; qualifiers of the members are dropped unless all agree."""
    total = sum(c.anchor or 0 for c in numeric)
    quals = {c.qualifier for c in numeric}
    q = quals.pop() if len(quals) == 1 else "exact"
    toks = [i for c in numeric for i in c.tokens] + [m.i for m in members]
    who = " and ".join(c.who for c in numeric if c.who) or None
    if q in ("at_least", "more_than"):
        return Count(total, None, q, toks, who)
    if q == "up_to":
        return Count(None, total, q, toks, who)
    return Count(total, total, q, toks, who)


def _semicolon_members(h: Token) -> int:
    """Further names of a list whose items are set off by semicolons, as the parser leaves
    them unattached: "killing Ann Lee, 20, of Easton; Bo Kim of Troy; and Cy Orr" -> 2."""
    doc, sent = h.doc, h.sent
    i = h.i + 1
    while i < sent.end and doc[i].text != ";" and doc[i].pos_ not in ("VERB", "AUX"):
        i += 1  # the rest of the first item ("Ann Lee, 20, of Easton, Ohio")
    n = 0
    while i < sent.end and doc[i].text == ";":
        j = i + 1
        while j < sent.end and doc[j].text != ";":
            j += 1
        if not any(t.ent_type_ == "PERSON" for t in doc[i + 1:j]):
            break
        n += 1
        i = j
    return n


def _apposed_members(h: Token, a: Token) -> list[Token]:
    """Members of an enumeration in apposition to ``h``: a counted noun restated by the list
    stays one member ("two people, a man and a woman"); an uncounted plural gives way to the
    list ("the journalists Ann Lee and Bo Kim"); a description of a name is no new member
    ("Ann Lee, the owner of X, and Bo Kim")."""
    rest = [c for c in a.conjuncts if c.i > a.i]
    own = np_count(h, allow_singular=False)
    if own is not None and not own.vague:
        return [h]
    describes = h.pos_ == "PROPN" and a.pos_ == "NOUN" and not is_num(a) and not any(
        ch.dep_ == "nummod" for ch in a.children)
    if describes:
        return [h] + rest
    if h.pos_ == "NOUN" and h.tag_ == "NNS" and a.pos_ == "PROPN":
        return [a] + rest
    return [h, a] + rest


def victims_count(h: Token, *, allow_singular: bool = True) -> Count | None:
    """Quantity of a victim phrase, summing an enumeration ("a woman and a man" = 2)."""
    members = [h] + [c for c in h.conjuncts if c.i > h.i]
    if len(members) == 1:
        appos = [c for c in h.children if c.dep_ == "appos" and c.conjuncts]
        if appos:
            members = _apposed_members(h, appos[0])
            if len(members) == 1:
                return np_count(h, allow_singular=allow_singular)
    if len(members) == 1:
        cnt = np_count(h, allow_singular=allow_singular)
        more = _semicolon_members(h) if cnt is not None and cnt.singular else 0
        if more:
            return Count(1 + more, 1 + more, "exact", cnt.tokens, who=cnt.who)
        return cnt
    counts = []
    for m in members:
        c = np_count(m, allow_singular=True)
        if c is None and m.pos_ in ("NOUN", "PROPN") and m.tag_ in ("NN", "NNP") and (is_person_noun(m) or (
                m.pos_ == "PROPN" and any(x.ent_type_ == "PERSON" for x in members))):
            # bare singular member of an enumeration: "a woman and man"; a name in a list of names
            c = Count(1, 1, "exact", [m.i], who=m.text, singular=True)
        counts.append(c)
    first = counts[0]
    if first is None and not any(counts):
        return None
    numeric = [c for c in counts if c is not None and not c.vague]
    if not numeric:
        vag = [c for c in counts if c is not None]
        return vag[0] if vag else None
    if len(numeric) == 1:
        c = numeric[0]
        if c.singular and not allow_singular:
            return None
        return c
    return _sum_enumeration(numeric, members)
