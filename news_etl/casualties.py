"""Casualty figures from a parsed article: how many were killed, injured, missing,
arrested, displaced, kidnapped or held hostage, with qualifier, place and date.

Functional core (no dagster). The method is dependency-based: find casualty words
(verbs "killed", "died", "wounded", adjectives "dead", "missing", nouns "deaths",
"hostages", "death toll"), then attach the quantity of the victim phrase the grammar
ties to them (passive subject "11 people were killed", object "killing at least 26",
reduced relative "11 people reported killed", "the death toll rose to 10", ordinals "the
sixth person to die", enumerations "a woman and a man were injured"). A short linear
fallback covers parses that leave the number unattached. Numbers that are ages, years,
percentages, money or times are never counts.

``extract_casualties(doc, published_at)`` returns one dict per distinct figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from spacy.tokens import Doc, Span, Token

from .numbers import MULTIPLES, SCALES, VAGUE_WORDS, is_number_word, parse_number, parse_ordinal

PLACE_LABELS = {"GPE", "LOC", "FAC"}

# --------------------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------------------

#: verb lemma -> (category, kind, transitive)
VERB_TRIGGERS: dict[str, tuple[str, str | None, bool]] = {
    "kill": ("killed", None, True),
    "murder": ("killed", "murdered", True),
    "slay": ("killed", None, True),
    "assassinate": ("killed", None, True),
    "behead": ("killed", None, True),
    "massacre": ("killed", None, True),
    "execute": ("killed", "executed", True),
    "die": ("killed", "died", False),
    "perish": ("killed", "died", False),
    "drown": ("killed", "drowned", False),
    "wound": ("injured", None, True),
    "injure": ("injured", None, True),
    "hurt": ("injured", None, True),
    "maim": ("injured", None, True),
    "hospitalize": ("injured", "hospitalized", True),
    "hospitalise": ("injured", "hospitalized", True),
    "arrest": ("arrested", None, True),
    "detain": ("arrested", "detained", True),
    "apprehend": ("arrested", None, True),
    "evacuate": ("displaced", "evacuated", True),
    "displace": ("displaced", None, True),
    "relocate": ("displaced", "relocated", True),
    "resettle": ("displaced", "resettled", True),
    "flee": ("displaced", "fled", False),
    "kidnap": ("other", "kidnapped", True),
    "abduct": ("other", "abducted", True),
    "chain": ("other", "held captive", True),
}
#: surface forms the tagger sometimes leaves as adjectives / nouns
ADJ_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "dead": ("killed", None),
    "killed": ("killed", None),
    "missing": ("missing", None),
    "unaccounted": ("missing", "unaccounted for"),
    "injured": ("injured", None),
    "wounded": ("injured", None),
    "hurt": ("injured", None),
    "hospitalized": ("injured", "hospitalized"),
    "hospitalised": ("injured", "hospitalized"),
    "homeless": ("displaced", "homeless"),
    "captive": ("other", "held captive"),
    "kidnapped": ("other", "kidnapped"),
    "abducted": ("other", "abducted"),
    "arrested": ("arrested", None),
    "detained": ("arrested", "detained"),
    "displaced": ("displaced", None),
    "evacuated": ("displaced", "evacuated"),
}
#: noun lemma -> (category, kind); these need an explicit quantity on the noun itself
NOUN_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "death": ("killed", None),
    "fatality": ("killed", None),
    "killing": ("killed", None),
    "murder": ("killed", "murdered"),
    "homicide": ("killed", None),
    "dead": ("killed", None),
    "injury": ("injured", None),
    "hostage": ("other", "hostages"),
    "captive": ("other", "held captive"),
    "evacuee": ("displaced", "evacuated"),
    "arrest": ("arrested", None),
    "detention": ("arrested", "detained"),
}
#: verbs whose "to death" is not a killing
NOT_DEATH_VERBS = {"sentence", "condemn", "bore", "scare", "frighten", "love", "work", "worry"}
FATAL_VERBS = {"stab", "shoot", "wound", "injure", "strike", "hit", "beat", "attack", "maul", "run"}

PERSON_NOUNS = set("""
man woman men women boy girl child children kid baby infant toddler teen teenager youth person people
persons individual adult minor resident civilian soldier troop trooper officer policeman policewoman
cop agent deputy sergeant marine sailor airman serviceman servicewoman member citizen journalist
reporter photographer cameraman worker student pilot driver passenger suspect victim protester
protestor demonstrator guard firefighter doctor nurse medic paramedic patient mother father son
daughter brother sister wife husband friend neighbor neighbour pedestrian cyclist motorist tourist
migrant refugee worshipper militant fighter commander leader official hostage captive prisoner
detainee inmate employee staffer teacher priest elder villager farmer miner activist player fan owner
manager customer shopper bystander gunman attacker assailant shooter bomber male female rebel
insurgent settler crew crewman guest visitor colleague relative local spectator athlete
""".split())
PERSON_SUFFIXES = ("man", "woman", "men", "women", "ist", "ian", "ians", "ee", "ees", "person", "people")

PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
SINGULAR_DETS = {"a", "an", "another", "one"}
VAGUE_NOUN_HEADS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "handful"}
NEGATIVE_DETS = {"no", "none", "nobody", "neither"}
IRREALIS_AUX = {"to", "will", "would", "could", "might", "may", "should", "can", "must", "'ll", "wo", "ca"}
NON_COUNT_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"}
NON_VICTIM_NOUNS = {
    "year", "years", "percent", "%", "count", "counts", "charge", "charges", "time", "times",
    "day", "days", "hour", "hours", "minute", "minutes", "week", "weeks", "month", "months",
    "mile", "miles", "kilometre", "kilometres", "kilometer", "kilometers", "dollar", "dollars",
    "location", "locations", "house", "houses", "home", "homes", "building", "buildings",
    "shell", "shells", "missile", "missiles", "rocket", "rockets", "strike", "strikes",
    "attack", "attacks", "incident", "incidents", "case", "cases", "point", "points",
}

HEDGE_VERBS = {
    "report": "reported", "suspect": "suspected", "allege": "alleged", "claim": "claimed",
    "believe": "believed", "fear": "feared", "presume": "presumed", "confirm": "confirmed",
    "feared": "feared", "estimate": "estimated",
}
HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "presumably", "possibly", "probably", "likely"}
REPORT_VERBS = {"report", "say", "tell", "cite", "quote", "claim", "announce", "confirm", "note", "write"}

_QUALIFIERS: list[tuple[tuple[str, ...], str]] = [
    (("no", "fewer", "than"), "at_least"),
    (("no", "less", "than"), "at_least"),
    (("at", "least"), "at_least"),
    (("a", "minimum", "of"), "at_least"),
    (("more", "than"), "more_than"),
    (("in", "excess", "of"), "more_than"),
    (("upwards", "of"), "more_than"),
    (("over",), "more_than"),
    (("as", "many", "as"), "up_to"),
    (("up", "to"), "up_to"),
    (("fewer", "than"), "up_to"),
    (("less", "than"), "up_to"),
    (("nearly",), "up_to"),
    (("almost",), "up_to"),
    (("under",), "up_to"),
    (("an", "estimated"), "about"),
    (("about",), "about"),
    (("around",), "about"),
    (("roughly",), "about"),
    (("approximately",), "about"),
    (("estimated",), "about"),
    (("some",), "about"),
    (("nearly",), "about"),
]


# --------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------


@dataclass
class Count:
    low: int | None
    high: int | None
    qualifier: str
    tokens: list[int] = field(default_factory=list)  # token indices to include in the phrase
    who: str | None = None
    singular: bool = False  # count 1 from a determiner, a name or a pronoun
    indef: str | None = None  # head lemma of an indefinite singular ("a woman" -> "woman")

    @property
    def vague(self) -> bool:
        return self.qualifier == "vague"

    @property
    def anchor(self) -> int | None:
        return self.low if self.low is not None else self.high


def _is_num(t: Token) -> bool:
    return is_number_word(t.text) or (t.like_num and t.pos_ == "NUM" and re.fullmatch(r"[\d.,]+", t.text) is not None)


def _number_span(t: Token) -> tuple[int, int]:
    """Token range [start, end) of the number phrase around ``t`` ("2.5 million", "a dozen")."""
    doc = t.doc
    start, end = t.i, t.i + 1
    while start > 0:
        p = doc[start - 1]
        if _is_num(p) or p.lower_ in SCALES or p.lower_ == "dozen":
            start -= 1
        elif p.text == "-" and start > 1 and _is_num(doc[start - 2]):
            start -= 2
        else:
            break
    while end < len(doc):
        n = doc[end]
        if _is_num(n) or n.lower_ in SCALES or n.lower_ == "dozen":
            end += 1
        elif n.text == "-" and end + 1 < len(doc) and _is_num(doc[end + 1]):
            end += 2
        else:
            break
    if start > 0 and doc[start - 1].lower_ in ("a", "an") and doc[start].lower_ in ("dozen", "hundred", "thousand", "million"):
        start -= 1
    return start, end


def _qualifier_before(doc: Doc, start: int) -> tuple[str, int]:
    """Qualifier words right before token ``start``: (qualifier, new start)."""
    words = [t.lower_ for t in doc[max(0, start - 3):start]]
    for pattern, q in _QUALIFIERS:
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
    if nxt is not None and (nxt.lower_ in ("%", "percent", "per", "-year", "year", "years") or nxt.text == "-"):
        return True
    if start > 0 and doc[start - 1].text in ("$", "£", "€", "#", "No.", "no."):
        return True
    if start > 1 and doc[start - 1].text == "," and doc[start - 2].pos_ == "PROPN":
        return True  # "Abdallah, 37" / "Nazeh, 53,"
    value = parse_number(doc[start:end].text)
    if value is not None and 1900 <= value <= 2100 and end - start == 1 and "," not in t.text and not (
            t.dep_ == "nummod" and _is_person_noun(t.head)):
        return True  # a year, unless it counts people ("2000 people")
    return False


def _is_person_noun(t: Token) -> bool:
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
    start = t.i
    doc = t.doc
    if start > 0 and doc[start - 1].lower_ in ("a", "an") and t.lower_ in ("handful", "few", "number"):
        start -= 1
    end = t.i + 1
    # "hundreds of thousands", "dozens of people"
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in VAGUE_NOUN_HEADS:
        end += 2
    return Count(None, None, "vague", list(range(start, end)))


def np_count(h: Token, *, allow_singular: bool = True) -> Count | None:
    """The quantity of the noun phrase headed by ``h``, or None if it states none."""
    low = h.lower_
    if low in NEGATIVE_DETS or low in ("nobody", "noone"):
        return None
    if any(c.dep_ in ("det", "neg", "advmod") and c.lower_ in NEGATIVE_DETS for c in h.children):
        return None  # "no one", "no civilians"
    if _is_num(h) and h.lower_ not in SCALES:
        c = _numeric_count(h)
        if c is not None:
            c.tokens.append(h.i)
            # "two of them", "five of the victims"
            for ch in h.children:
                if ch.dep_ == "prep" and ch.lower_ == "of":
                    for p in ch.children:
                        if p.dep_ == "pobj":
                            c.who = p.text
                            c.tokens.append(p.i)
        return c
    if low in VAGUE_NOUN_HEADS or (low in ("few", "number", "handful") and any(
            c.lower_ in ("a", "an") for c in h.children)):
        c = _vague_count(h)
        for ch in h.children:
            if ch.dep_ == "prep" and ch.lower_ == "of":
                for p in ch.children:
                    if p.dep_ == "pobj" and p.lower_ not in VAGUE_NOUN_HEADS:
                        c.who = p.text
                        c.tokens.append(p.i)
        return c
    if low in ("several", "many", "some", "numerous") and h.pos_ in ("ADJ", "PRON", "DET", "NOUN"):
        return Count(None, None, "vague", [h.i])
    if low in NON_VICTIM_NOUNS or h.lemma_.lower() in NON_VICTIM_NOUNS:
        return None
    children = list(h.children)
    for c in children:
        if c.dep_ == "det" and c.lower_ in NEGATIVE_DETS:
            return None
    for c in children:
        if c.dep_ in ("nummod", "quantmod", "compound", "amod") and _is_num(c) and c.i < h.i:
            cnt = _numeric_count(c)
            if cnt is not None:
                cnt.tokens.append(h.i)
                cnt.who = h.text
                return cnt
    for c in children:
        if c.dep_ in ("nummod", "amod", "det", "quantmod") and c.i < h.i and (
                c.lower_ in ("several", "many", "some", "numerous", "multiple", "countless", "dozens", "hundreds", "thousands", "scores")):
            cnt = Count(None, None, "vague", [c.i, h.i], who=h.text)
            return cnt
        if c.dep_ in ("nummod", "det") and c.lower_ in ("dozens", "hundreds", "thousands"):
            return Count(None, None, "vague", [c.i, h.i], who=h.text)
    if low in ("both",):
        return Count(2, 2, "exact", [h.i])
    for c in children:
        if c.dep_ in ("det", "predet") and c.lower_ == "both" and _is_person_noun(h):
            return Count(2, 2, "exact", [c.i, h.i], who=h.text)
    if h.lemma_.lower() in ("total", "number", "tally") and h.pos_ == "NOUN":
        # "a total of 58 people"
        for ch in children:
            if ch.dep_ == "prep" and ch.lower_ == "of":
                for p in ch.children:
                    if p.dep_ == "pobj":
                        inner = np_count(p, allow_singular=False)
                        if inner is not None and not inner.vague:
                            inner.tokens.append(h.i)
                            return inner
    if not allow_singular:
        return None
    # singular: "a police officer", "another man", a name, a pronoun
    if h.tag_ in ("NN", "NNP") or h.pos_ in ("PROPN", "NOUN") or _is_person_noun(h):
        for c in children:
            if c.dep_ in ("det", "nummod") and c.lower_ in SINGULAR_DETS and c.i < h.i and _is_person_noun(h):
                return Count(1, 1, "exact", [c.i, h.i], who=h.text, singular=True, indef=h.lemma_.lower())
        for c in children:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON" and c.pos_ == "PROPN" and _is_person_noun(h):
                ent = _ent_of(c)
                toks = [h.i] + (list(range(ent.start, ent.end)) if ent is not None else [c.i])
                return Count(1, 1, "exact", toks, who=ent.text if ent is not None else c.text, singular=True)
        if h.pos_ == "PROPN" and (h.ent_type_ == "PERSON" or (
                h.ent_type_ == "" and h.text[:1].isupper() and h.dep_ in ("dobj", "nsubjpass"))):
            ent = _ent_of(h)
            toks = list(range(ent.start, ent.end)) if ent is not None else [h.i]
            return Count(1, 1, "exact", toks, who=ent.text if ent is not None else h.text, singular=True)
    if low in PERSONAL_PRONOUNS and h.pos_ == "PRON":
        return Count(1, 1, "exact", [h.i], who=h.text, singular=True)
    if low in ("another", "one") and h.pos_ in ("PRON", "NUM", "DET"):
        return Count(1, 1, "exact", [h.i], singular=True)
    return None


def _ent_of(t: Token) -> Span | None:
    for e in t.doc.ents:
        if e.start <= t.i < e.end:
            return e
    return None


def victims_count(h: Token, *, allow_singular: bool = True) -> Count | None:
    """Quantity of a victim phrase, summing an enumeration ("a woman and a man" = 2)."""
    members = [h] + [c for c in h.conjuncts if c.i > h.i]
    if len(members) == 1:
        appos = [c for c in h.children if c.dep_ == "appos" and c.conjuncts]
        if appos:
            members = [h, appos[0]] + [c for c in appos[0].conjuncts if c.i > appos[0].i]
    if len(members) == 1:
        return np_count(h, allow_singular=allow_singular)
    counts = []
    for m in members:
        c = np_count(m, allow_singular=True)
        if c is None and m.pos_ in ("NOUN", "PROPN") and m.tag_ in ("NN", "NNP") and _is_person_noun(m):
            # bare singular member of an enumeration: "a woman and man"
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
    # an enumeration adds up; qualifiers of the members are dropped unless all agree
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


# --------------------------------------------------------------------------------------
# Triggers and attachment
# --------------------------------------------------------------------------------------


@dataclass
class Figure:
    category: str
    kind: str | None
    count: Count
    trigger: Token
    extra_tokens: list[int] = field(default_factory=list)
    hedge: str | None = None


def _irrealis(v: Token) -> bool:
    for c in v.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ == "aux" and c.lower_ in IRREALIS_AUX:
            return True
    return False


def _subjects(v: Token, deps=("nsubj", "nsubjpass")) -> list[Token]:
    return [c for c in v.children if c.dep_ in deps]


def _resolve_relative(h: Token, v: Token) -> Token:
    if h.lower_ in ("who", "that", "which", "whom") and v.dep_ == "relcl":
        return v.head
    return h


def _condition_holder(h: Token) -> list[Token]:
    """Who is "in injured condition": the object of the verb, or the noun, the phrase modifies."""
    if h.dep_ != "pobj" or h.head.head.i == h.i:
        return []
    g = h.head.head
    if g.pos_ in ("VERB", "AUX"):
        return [c for c in g.children if c.dep_ in ("dobj", "nsubjpass")][:1]
    return [g]


def _climb_victims(v: Token, depth: int = 0) -> list[Token]:
    """Victims for a trigger with no argument of its own: reduced relatives and raising."""
    if depth > 3:
        return []
    if v.dep_ == "amod" and v.head.lemma_ in ("condition", "state"):
        return _condition_holder(v.head)
    if v.dep_ in ("acl", "amod", "relcl") and v.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return [v.head]
    if v.dep_ in ("xcomp", "oprd", "conj", "acomp", "ccomp", "advcl") and v.head.i != v.i:
        h = v.head
        if v.dep_ == "ccomp" and h.lemma_ in REPORT_VERBS:
            return []
        if v.dep_ == "advcl" and (v.tag_ != "VBN" or any(c.dep_ == "mark" for c in v.children)):
            return []
        subj = _subjects(h)
        if v.dep_ in ("xcomp", "oprd", "acomp"):
            objs = [c for c in h.children if c.dep_ == "dobj"]
            if objs:
                return objs
        if subj:
            return [_resolve_relative(subj[0], h)]
        return _climb_victims(h, depth + 1)
    return []


def _linear_fallback(t: Token, direction: int) -> list[Token]:
    """The nearest quantity next to the trigger when the parse attached none ("26 people died")."""
    doc = t.doc
    sent = t.sent
    out = []
    i = t.i + direction
    steps = 0
    while sent.start <= i < sent.end and steps < 5:
        w = doc[i]
        if w.dep_ in ("aux", "auxpass", "neg", "advmod") and w.head.i == t.i:
            i += direction
            steps += 1
            continue
        if w.pos_ in ("VERB", "AUX") or w.text in (";", ":", "—", "(", ")") or w.lower_ in ("and", "but", "while", "after", "before", "when", "who"):
            break
        if w.pos_ == "PUNCT" and w.text == ",":
            break
        if (w.pos_ in ("NOUN", "PROPN", "PRON") and w.dep_ != "compound") or _is_num(w) or w.lower_ in VAGUE_NOUN_HEADS:
            out.append(w)
            break
        i += direction
        steps += 1
    return out


def _verb_victims(v: Token, transitive: bool) -> tuple[list[Token], bool]:
    """(victim heads, whether singular counts are allowed) for a verb trigger."""
    dobj = [c for c in v.children if c.dep_ == "dobj"]
    pass_subj = _subjects(v, ("nsubjpass",))
    subj = _subjects(v, ("nsubj",))
    if transitive:
        if dobj:
            return dobj, True
        if pass_subj:
            return [_resolve_relative(pass_subj[0], v)], True
        if subj:
            s = _resolve_relative(subj[0], v)
            # "eight killed", "dozens hospitalized" (parsed as active): quantities only;
            # a relative pronoun ("a girl who was kidnapped") resolves to its noun.
            if s.i != subj[0].i or v.tag_ == "VBN":
                return [s], True
            return [s], False
    else:
        if subj or pass_subj:
            return [_resolve_relative((subj or pass_subj)[0], v)], True
    climbed = _climb_victims(v)
    if climbed:
        return climbed, True
    if transitive and v.tag_ in ("VBG", "VB") or (transitive and v.tag_ == "VBD" and not subj):
        fb = _linear_fallback(v, +1)
        if fb:
            return fb, False
    return _linear_fallback(v, -1), False


def _adj_victims(a: Token) -> tuple[list[Token], bool]:
    h = a.head
    if any(c.dep_ in ("nummod", "quantmod") and (_is_num(c) or c.lower_ in VAGUE_WORDS) for c in a.children):
        return [a], True  # "left three dead", "11 dead"
    if a.dep_ == "amod":
        # "in injured condition": the condition belongs to the noun before "in"
        if h.lemma_ in ("condition", "state"):
            return _condition_holder(h), True
        return [h], True
    if a.dep_ in ("acomp", "oprd", "xcomp", "attr", "advmod", "ccomp", "conj", "dep", "advcl") and h.i != a.i:
        objs = [c for c in h.children if c.dep_ == "dobj"]
        if objs and a.dep_ in ("oprd", "xcomp", "ccomp", "advmod", "dep"):
            return objs, True
        subj = _subjects(h)
        if subj:
            return [_resolve_relative(subj[0], h)], True
        if objs:
            return objs, True
        if h.dep_ in ("acl", "relcl") and h.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [h.head], True
    subj = _subjects(a)
    if subj:
        return subj, True
    return _linear_fallback(a, -1), False


def _trigger_of(t: Token) -> tuple[str, str | None, str] | None:
    """(category, kind, role) for a casualty word; role is 'verb', 'intrans', 'adj' or 'noun'."""
    low = t.lower_
    lem = t.lemma_.lower()
    if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBN", "VBD", "VBG", "VBZ", "VBP", "VB"):
        if lem in VERB_TRIGGERS:
            cat, kind, trans = VERB_TRIGGERS[lem]
            return cat, kind, "verb" if trans else "intrans"
        if lem in ("suffer", "sustain") and any(
                c.dep_ == "dobj" and c.lemma_.lower() in ("injury", "wound", "burn") for c in t.children):
            return "injured", None, "intrans"  # "two firefighters suffered minor injuries"
        if any(c.lower_ == "fatally" for c in t.children) and lem in FATAL_VERBS:
            return "killed", None, "verb"
        for c in t.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "into") and lem not in NOT_DEATH_VERBS:
                objs = [p for p in c.children if p.dep_ == "pobj"]
                if c.lower_ == "to" and lem in ("take", "rush", "airlift", "transport", "bring", "admit", "send") and any(
                        p.lemma_.lower() == "hospital" for p in objs):
                    return "injured", "hospitalized", "verb"  # "3 people were taken to hospital"
                if c.lower_ == "to" and any(p.lower_ == "death" for p in objs):
                    return "killed", f"{lem} to death" if lem != "put" else "executed", "verb"
                if c.lower_ == "into" and any(p.lower_ == "custody" for p in objs):
                    return "arrested", "in custody", "verb"
        if low in ADJ_TRIGGERS and t.tag_ in ("VBN",):
            cat, kind = ADJ_TRIGGERS[low]
            return cat, kind, "adj"
        if low == "missing" and not any(c.dep_ == "dobj" for c in t.children):
            return "missing", None, "intrans"  # "three soldiers are missing" (tagged as a verb)
        return None
    if t.pos_ == "ADJ" and low in ADJ_TRIGGERS:
        cat, kind = ADJ_TRIGGERS[low]
        return cat, kind, "adj"
    if t.pos_ in ("NOUN", "PROPN") and (lem in NOUN_TRIGGERS or low in NOUN_TRIGGERS):
        cat, kind = NOUN_TRIGGERS.get(lem) or NOUN_TRIGGERS[low]
        return cat, kind, "noun"
    if t.pos_ in ("NOUN", "PROPN", "ADJ") and low in ADJ_TRIGGERS:
        cat, kind = ADJ_TRIGGERS[low]
        return cat, kind, "adj"
    return None


def _hedge_for(t: Token, victim: Token | None) -> str | None:
    cands = [t] + ([victim] if victim is not None else [])
    for x in cands:
        for c in x.children:
            if c.lower_ in HEDGE_ADVERBS:
                return c.lower_
            if c.dep_ in ("amod", "acl") and c.lemma_.lower() in HEDGE_VERBS and c.tag_ in ("VBN", "JJ"):
                return HEDGE_VERBS[c.lemma_.lower()]
    h = t
    for _ in range(2):
        if h.dep_ in ("xcomp", "oprd", "acomp") and h.head.lemma_.lower() in HEDGE_VERBS:
            return HEDGE_VERBS[h.head.lemma_.lower()]
        if h.dep_ in ("conj",):
            h = h.head
            continue
        break
    if victim is not None and victim.head.i == t.head.i and victim.head.lemma_.lower() in HEDGE_VERBS and victim.head.i != t.i:
        return HEDGE_VERBS[victim.head.lemma_.lower()]
    return None


def _figures_in_sentence(sent: Span) -> list[Figure]:
    figs: list[Figure] = []
    used_counts: set[int] = set()

    def add(cat, kind, cnt, trig, extra=(), victim=None):
        if cnt is None:
            return
        ids = set(cnt.tokens) | {trig.i} | set(extra)
        lo, hi = min(ids), max(ids)
        if any(x.is_space and "\n" in x.text for x in sent.doc[lo:hi]) or "\n\n" in sent.doc[lo:hi + 1].text:
            return  # the parse ran across a paragraph break
        key = min(cnt.tokens) if cnt.tokens else trig.i
        if (key, cat) in used_counts:
            return
        used_counts.add((key, cat))
        figs.append(Figure(cat, kind, cnt, trig, list(extra), _hedge_for(trig, victim)))

    for t in sent:
        # --- death toll -------------------------------------------------------------
        is_tally = t.lemma_.lower() in ("number", "tally", "count") and t.pos_ == "NOUN" and any(
            ch.dep_ == "prep" and ch.lower_ == "of" and any(
                p.dep_ == "pobj" and p.lower_ in ("dead", "deaths", "fatalities", "victims", "people killed")
                for p in ch.children) for ch in t.children)
        if (t.lemma_.lower() == "toll" and t.pos_ == "NOUN") or is_tally:
            heads = []
            for ch in t.children:
                if ch.dep_ == "prep" and ch.lower_ in ("of", "at"):
                    heads += [p for p in ch.children if p.dep_ == "pobj"]
            v = t.head
            if t.dep_ in ("nsubj", "nsubjpass", "dobj") and v.i != t.i:
                for ch in v.children:
                    if ch.i == t.i:
                        continue
                    if ch.dep_ == "prep" and ch.lower_ in ("to", "at", "of"):
                        heads += [p for p in ch.children if p.dep_ == "pobj"]
                    elif ch.dep_ in ("attr", "dobj") and t.dep_ != "dobj":
                        heads.append(ch)
            for hd in heads:
                cnt = victims_count(hd, allow_singular=False)
                if cnt is not None:
                    add("killed", "death toll", cnt, t, [t.i, v.i] if v.i != t.i else [t.i], hd)
            continue
        # --- ordinals stating a running toll ----------------------------------------
        if t.dep_ == "amod" and parse_ordinal(t.text) and parse_ordinal(t.text) > 1:
            n = t.head
            val = parse_ordinal(t.text)
            dies = [c for c in n.children if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in ("die", "kill")]
            is_subject_of_death = n.dep_ in ("nsubj", "nsubjpass") and n.head.lemma_.lower() in ("die", "kill")
            # "A second woman, Deborah Dudley, died"
            if n.lemma_.lower() in ("victim", "fatality", "death") and n.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
                dies = dies or [n]
            if dies or is_subject_of_death:
                trig = dies[0] if dies else n.head
                add("killed", "running toll", Count(val, val, "exact", [t.i, n.i], who=n.text), trig,
                    [trig.i], n)
            continue
        # --- "in custody" -------------------------------------------------------------
        if t.lower_ == "custody" and t.dep_ == "pobj" and t.head.lower_ == "in":
            v = t.head.head
            if _irrealis(v):
                continue
            victims = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            if v.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                victims = [v]
            for hd in victims[:1]:
                add("arrested", "in custody", victims_count(hd), t, [t.head.i, t.i], hd)
            continue
        trig = _trigger_of(t)
        if trig is None:
            continue
        cat, kind, role = trig
        if role == "noun":
            # "quadruple murders", "50 million deaths", "250 hostages", "the deaths of 11 people"
            cnt = None
            if t.i > 0 and t.doc[t.i - 1].lower_ in MULTIPLES:  # "the quadruple murders case"
                m = MULTIPLES[t.doc[t.i - 1].lower_]
                cnt = Count(m, m, "exact", [t.i - 1])
            for c in t.children:
                if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in MULTIPLES:
                    m = MULTIPLES[c.lower_]
                    cnt = Count(m, m, "exact", [c.i])
            if cnt is None:
                cnt = np_count(t, allow_singular=False)
            if cnt is None:
                for ch in t.children:
                    if ch.dep_ == "prep" and ch.lower_ == "of":
                        for p in ch.children:
                            if p.dep_ == "pobj":
                                cnt = victims_count(p, allow_singular=False)
            taker = None
            if kind in ("hostages", "held captive"):
                if t.dep_ in ("oprd", "dobj", "attr", "xcomp", "npadvmod", "advmod") and t.head.lemma_.lower() in ("take", "hold", "keep", "be", "remain"):
                    taker = t.head
                else:
                    taker = next((c for c in t.children if c.dep_ in ("amod", "acl") and c.lemma_.lower() in ("take", "hold", "keep")), None)
            if cnt is None and taker is not None:
                # "about 250 taken hostage", "held six women hostage"
                v = taker
                objs = [c for c in v.children if c.dep_ in ("dobj", "npadvmod", "nsubjpass") and c.i != t.i]
                subj = _subjects(v)
                hd = objs or [(_resolve_relative(s, v)) for s in subj] or _climb_victims(v) or _linear_fallback(v, -1)
                if hd and not _irrealis(v):
                    cnt = victims_count(hd[0])
                    if cnt is not None:
                        add(cat, kind, cnt, t, [v.i, t.i], hd[0])
                continue
            if cnt is not None and not (t.head.lower_ in ("of",) and t.head.head.lower_ in ("count", "counts", "charge", "charges")):
                add(cat, kind, cnt, t, [t.i], t)
            continue
        if role in ("verb", "intrans"):
            if _irrealis(t):
                continue
            victims, allow_singular = _verb_victims(t, role == "verb")
            extra = [t.i]
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in ("to", "into"):
                    objs = [p for p in c.children if p.dep_ == "pobj" and p.lower_ in ("death", "custody", "hospital")]
                    if objs:
                        extra += [c.i, objs[0].i]
                if c.dep_ in ("oprd", "acomp") and c.lower_ == "dead":
                    extra.append(c.i)
            if cat == "displaced" and kind == "fled":
                allow_singular = False
        else:  # adjective
            gov = t.head if t.dep_ in ("acomp", "oprd", "xcomp", "attr") else t
            if _irrealis(gov) or _irrealis(t):
                continue
            if t.dep_ in ("oprd", "acomp", "xcomp") and _trigger_of(t.head) is not None:
                continue  # "shot dead": the verb carries it ... unless the verb is no trigger
            victims, allow_singular = _adj_victims(t)
            extra = [t.i]
            if t.dep_ in ("oprd", "xcomp") and t.head.lemma_.lower() in ("hold", "keep", "find", "leave", "shoot"):
                extra.append(t.head.i)
                if t.head.lemma_.lower() == "shoot":
                    cat, kind = "killed", "shot dead"
        if cat == "displaced":
            allow_singular = False
        if t.dep_ == "amod" and t.head.lemma_ in ("condition", "state"):
            extra.append(t.head.i)  # "two pilots in injured condition"
        for hd in victims[:1]:
            if hd.dep_ in ("det",):
                continue
            cnt = victims_count(hd, allow_singular=allow_singular)
            if cnt is None:
                continue
            if cnt.singular and not _is_person_noun(hd) and hd.pos_ not in ("PRON", "PROPN") and not hd.conjuncts:
                continue
            if cnt.singular and hd.pos_ == "PRON" and kind == "hospitalized":
                continue  # "she had been hospitalized": a patient, not a casualty figure
            add(cat, kind, cnt, t, extra, hd)
        # elliptical numbers conjoined to the trigger: "26 people died ... and five from artillery"
        for c in t.children:
            if c.dep_ == "conj" and _is_num(c):
                cnt = np_count(c, allow_singular=False)
                if cnt is not None:
                    add(cat, kind, cnt, t, [], c)
    return figs


# --------------------------------------------------------------------------------------
# Context: place, date, source
# --------------------------------------------------------------------------------------


_PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "state", "county", "area"}


def _place_ents(doc: Doc) -> list[Span]:
    """Place entities, plus known place names the tagger took for a person or an
    organisation where the grammar says place ("in Valencia", "the city of Valencia")."""
    try:
        from .nlp import known_places

        gaz = known_places()
    except Exception:  # pragma: no cover - gazetteer unavailable
        gaz = frozenset()
    out = []
    for e in doc.ents:
        if e.label_ in PLACE_LABELS:
            out.append(e)
        elif e.label_ in ("PERSON", "ORG") and e.text in gaz:
            r = e.root
            if r.dep_ == "pobj" and (r.head.lower_ in ("in", "at", "near", "outside", "across") or (
                    r.head.lower_ == "of" and r.head.head.lower_ in _PLACE_NOUNS)):
                out.append(e)
    return out


def _clean_place(e: Span) -> str:
    t = " ".join(e.text.split())
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return re.sub(r"(?:'s|’s)$", "", t).strip(" ,.;:")


def _subtree_ids(t: Token) -> set[int]:
    return {x.i for x in t.subtree}


def _in_prep(e: Span, stop: Token) -> bool:
    """True when the place sits in a prepositional phrase ("in Kharkiv", "along the Line")."""
    t = e.root
    while t.i != stop.i and t.head.i != t.i:
        if t.dep_ == "pobj":
            return True
        if t.dep_ not in ("compound", "appos", "conj", "pobj", "prep", "amod", "poss"):
            return False
        t = t.head
    return False


def _location_for(fig: Figure, sent: Span, places: list[Span], doc: Doc) -> tuple[str | None, bool]:
    """(place, stated in the figure's own clause) for a figure.

    Most specific first: places in the figure's clause (trigger subtree without
    conjoined clauses) in text order; else the nearest place in a prepositional phrase
    of the sentence, else the nearest place in the sentence; else (anaphora such as "the
    latter bombing") the most recent place in the preceding context.
    """
    trig = fig.trigger
    clause_root = trig
    if trig.dep_ in ("acomp", "oprd", "xcomp", "amod", "attr") and trig.head.i != trig.i:
        clause_root = trig.head
    ids = _subtree_ids(clause_root)
    for c in clause_root.children:
        if c.dep_ in ("conj", "ccomp", "advcl", "parataxis") and c.i not in fig.count.tokens:
            ids -= _subtree_ids(c)
    # places inside other figures' clauses and agents ("India attacked") are not this figure's
    other_ids: set[int] = set()
    for c in trig.children:
        if c.dep_ == "conj" and c.i not in fig.count.tokens:
            other_ids |= _subtree_ids(c)
    all_in_sent = [e for e in places if sent.start <= e.start < sent.end
                   and not (e.root.dep_ == "nsubj" and e.root.head.lemma_.lower() not in REPORT_VERBS)]
    in_sent = [e for e in all_in_sent if e.root.i not in other_ids] or all_in_sent
    chosen = [e for e in in_sent if e.root.i in ids]
    prep_chosen = [e for e in chosen if _in_prep(e, clause_root)]
    chosen = prep_chosen or chosen
    if chosen:
        names: list[str] = []
        for e in chosen:
            n = _clean_place(e)
            if n and n not in names:
                names.append(n)
        return ", ".join(names[:3]) or None, True
    if in_sent:
        preps = [e for e in in_sent if _in_prep(e, sent.root)]
        e = min(preps or in_sent, key=lambda e: abs(e.root.i - trig.i))
        return _clean_place(e) or None, False
    prev = [e for e in places if e.end <= sent.start and sent.start - e.end < 400
            and not (e.root.dep_ == "nsubj" and e.root.head.lemma_.lower() not in REPORT_VERBS)]
    if prev:
        return _clean_place(prev[-1]) or None, False
    # a lead sentence: the place often follows in the next sentences
    nxt = [e for e in places if e.start >= sent.end and e.start - sent.end < 60]
    if nxt:
        return _clean_place(nxt[0]) or None, False
    return None, False


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _resolve_date(text: str, published_at: datetime | None) -> date | None:
    low = text.lower()
    base = published_at.date() if published_at else None
    for i, w in enumerate(_WEEKDAYS):
        if re.search(rf"\b{w}\b", low):
            if base is None:
                return None
            return base - timedelta(days=(base.weekday() - i) % 7)
    if base is not None:
        if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", low):
            return base
        if re.search(r"\b(yesterday|last night)\b", low):
            return base - timedelta(days=1)
    if not re.search(r"\d", low):
        return None
    try:
        import dateparser

        settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
        if published_at is not None:
            settings["RELATIVE_BASE"] = published_at.replace(tzinfo=None)
        elif not re.search(r"\b(1[89]|20)\d\d\b", low):
            return None
        d = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # pragma: no cover - dateparser edge cases
        return None
    return d.date() if d else None


def _event_date(fig: Figure, sent: Span, para: tuple[int, int], doc: Doc,
                published_at: datetime | None) -> date | None:
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    in_sent = [e for e in dates if sent.start <= e.start < sent.end]
    in_sent.sort(key=lambda e: abs(e.root.i - fig.trigger.i))
    for e in in_sent:
        d = _resolve_date(e.text, published_at)
        if d is not None:
            return d
    in_para = [e for e in dates if para[0] <= e.start_char < para[1] and not (sent.start <= e.start < sent.end)]
    in_para.sort(key=lambda e: abs(e.start - sent.start))
    for e in in_para:
        d = _resolve_date(e.text, published_at)
        if d is not None:
            return d
    return published_at.date() if published_at is not None else None


def _reported_via(fig: Figure, sent: Span) -> str | None:
    doc = sent.doc
    best = None
    ancestors = {a.i for a in fig.trigger.ancestors} | {fig.trigger.i}
    for e in doc.ents:
        if e.label_ != "ORG" or not (sent.start <= e.start < sent.end):
            continue
        r = e.root
        ok = False
        if r.dep_ in ("nsubj",) and r.head.lemma_.lower() in REPORT_VERBS:
            ok = True
            verb = r.head
        elif r.dep_ == "pobj" and (r.head.lower_ == "per" or (
                r.head.lower_ == "to" and r.head.head.lower_ == "according")):
            ok = True
            verb = r.head.head
        if ok:
            name = re.sub(r"^(?:the|The)\s+", "", e.text).strip()
            if verb.i in ancestors or r.head.i in ancestors:
                return name
            best = best or name
    return best


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def _phrase_bounds(doc: Doc, fig: Figure) -> tuple[int, int]:
    ids = set(fig.count.tokens) | set(fig.extra_tokens) | {fig.trigger.i}
    sent = fig.trigger.sent
    ids = {i for i in ids if sent.start <= i < sent.end} or {fig.trigger.i}
    lo, hi = min(ids), max(ids)
    start = doc[lo].idx
    end = doc[hi].idx + len(doc[hi].text)
    return start, end


def _words(s: str | None) -> set[str]:
    return set(re.findall(r"\w+", (s or "").casefold())) - {"the", "of", "in", "a", "and", "near"}


def extract_casualties(doc: Doc, published_at: datetime | None = None) -> list[dict]:
    """One dict per distinct casualty figure stated in ``doc`` (see module docstring)."""
    places = _place_ents(doc)
    paras = _paragraphs(doc.text)
    rows: list[dict] = []
    for sent in doc.sents:
        for fig in _figures_in_sentence(sent):
            c = fig.count
            start, end = _phrase_bounds(doc, fig)
            loc, local = _location_for(fig, sent, places, doc)
            para = next((p for p in paras if p[0] <= sent.start_char < p[1] + 1), (sent.start_char, sent.end_char))
            rows.append({
                "category": fig.category,
                "kind": fig.kind,
                "count_low": c.low,
                "count_high": c.high,
                "qualifier": c.qualifier,
                "is_vague": c.vague,
                "phrase": doc.text[start:end],
                "start_char": start,
                "end_char": end,
                "who": c.who,
                "location": loc,
                "_local": local,
                "_indef": c.indef,
                "event_date": _event_date(fig, sent, para, doc, published_at),
                "hedge": fig.hedge,
                "reported_via": _reported_via(fig, sent),
                "sentence": sent.text.strip(),
            })
    return _dedupe(rows)


def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per distinct figure: the same category and number (or the same vague
    phrase) with compatible places is the same figure, kept at its first mention."""
    out: list[dict] = []
    for r in rows:
        dup = None
        for o in out:
            if o["category"] != r["category"]:
                continue
            if r["is_vague"] or o["is_vague"]:
                if r["is_vague"] and o["is_vague"] and r["phrase"].split()[0].lower() == o["phrase"].split()[0].lower():
                    dup = o
                    break
                continue
            ra = r["count_low"] if r["count_low"] is not None else r["count_high"]
            oa = o["count_low"] if o["count_low"] is not None else o["count_high"]
            if ra != oa:
                continue
            if r["_indef"] and o["_indef"] and r["_indef"] != o["_indef"]:
                continue  # "a woman was killed" and "a child was killed": two people
            lr, lo = _words(r["location"]), _words(o["location"])
            if not (r["_local"] and o["_local"]) or not lr or not lo or lr & lo:
                dup = o
                break
        if dup is None:
            out.append(r)
        else:
            for k in ("location", "who", "hedge", "reported_via", "kind"):
                if dup[k] is None and r[k] is not None:
                    dup[k] = r[k]
    for r in out:
        r.pop("_local", None)
        r.pop("_indef", None)
    return out

