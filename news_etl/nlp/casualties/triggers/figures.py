"""Casualty figures in a sentence: each pattern attaches a quantity to a casualty word.

Patterns, tried on every token in this order (the first that applies to a token decides):
death tolls ("the death toll rose to 10"), ordinals stating a running toll ("the sixth
person to die"), "in custody", casualty nouns ("50 million deaths", "250 hostages"),
casualty verbs and adjectives ("11 people were killed", "left three dead"), and
elliptical numbers conjoined to a trigger ("26 died ... and five from artillery").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from news_etl.nlp.casualties.counts import Count, is_num, is_person_noun, np_count, of_objects, victims_count
from news_etl.nlp.casualties.lexicon import (
    ASSAULT_VERBS,
    CHARGE_NOUNS,
    CONDITION_NOUNS,
    DEATH_LEMMAS,
    DESTINATION_NOUNS,
    HOSTAGE_GOVERNORS,
    HOSTAGE_VERBS,
    ILLNESS_NOUNS,
    PREDICATE_VERBS,
    TALLY_NOUNS,
    TALLY_OF_WORDS,
    VICTIM_NOUNS,
)
from news_etl.nlp.casualties.triggers.victims import (
    adj_victims,
    climb_victims,
    irrealis,
    linear_fallback,
    resolve_relative,
    subjects,
    verb_victims,
)
from news_etl.nlp.casualties.triggers.words import hedge_for, trigger_of
from news_etl.nlp.numbers import parse_ordinal
from news_etl.nlp.numbers_lexicon import MULTIPLES, VAGUE_WORDS


@dataclass
class Figure:
    """A casualty word with the quantity attached to it (before place, date and source)."""

    category: str
    kind: str | None
    count: Count
    trigger: Token
    extra_tokens: list[int] = field(default_factory=list)
    hedge: str | None = None


class _Figures:
    """The figures of one sentence; one figure per (first count token, category)."""

    def __init__(self, sent: Span):
        self.sent = sent
        self.figs: list[Figure] = []
        self.used: set[tuple[int, str]] = set()

    def add(self, cat: str, kind: str | None, cnt: Count | None, trig: Token, extra=(), victim: Token | None = None):
        if cnt is None:
            return
        ids = set(cnt.tokens) | {trig.i} | set(extra)
        lo, hi = min(ids), max(ids)
        doc = self.sent.doc
        if any(x.is_space and "\n" in x.text for x in doc[lo:hi]) or "\n\n" in doc[lo:hi + 1].text:
            return  # the parse ran across a paragraph break
        key = min(cnt.tokens) if cnt.tokens else trig.i
        if (key, cat) in self.used:
            return
        self.used.add((key, cat))
        self.figs.append(Figure(cat, kind, cnt, trig, list(extra), hedge_for(trig, victim)))


    def final(self) -> list[Figure]:
        """The figures, without an injury of someone the same sentence says died ("was
        rushed to hospital in critical condition and died"): a victim who died is killed."""
        dead = {i for f in self.figs if f.category == "killed" for i in f.count.tokens}
        return [f for f in self.figs if not (f.category == "injured" and dead & set(f.count.tokens))]


def _is_toll(t: Token) -> bool:
    """"toll", or a tally noun counting the dead ("the number of dead", "the count of victims")."""
    if t.lemma_.lower() == "toll" and t.pos_ == "NOUN":
        return True
    return t.lemma_.lower() in TALLY_NOUNS and t.pos_ == "NOUN" and any(
        ch.dep_ == "prep" and ch.lower_ == "of" and any(
            p.dep_ == "pobj" and p.lower_ in TALLY_OF_WORDS for p in ch.children) for ch in t.children)


def death_toll(t: Token, figs: _Figures) -> None:
    """Death toll: "the death toll rose to 10", "a toll of 31", "the number of dead rose to 31",
    "the death toll was 12" -- the number is the object of "of"/"at" on the toll noun or of
    "to"/"at"/"of", the attribute or the object of the toll's verb."""
    heads = of_objects(t, ("of", "at"))
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
            figs.add("killed", "death toll", cnt, t, [t.i, v.i] if v.i != t.i else [t.i], hd)


def _is_running_toll_ordinal(t: Token) -> bool:
    return t.dep_ == "amod" and bool(parse_ordinal(t.text)) and parse_ordinal(t.text) > 1


def running_toll(t: Token, figs: _Figures) -> None:
    """Ordinal stating a running toll: "the sixth person to die", "a second woman, Deborah
    Dudley, died", "the third victim" -- the ordinal is the count."""
    n = t.head
    val = parse_ordinal(t.text)
    dies = [c for c in n.children if c.dep_ in ("relcl", "acl") and c.lemma_.lower() in DEATH_LEMMAS]
    is_subject_of_death = n.dep_ in ("nsubj", "nsubjpass") and n.head.lemma_.lower() in DEATH_LEMMAS
    # "A second woman, Deborah Dudley, died"
    if n.lemma_.lower() in VICTIM_NOUNS and n.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and not (
            n.dep_ in ("nsubj", "nsubjpass") and n.head.pos_ == "VERB"):
        dies = dies or [n]  # "he was the third victim"; not "the second victim was treated"
    if dies or is_subject_of_death:
        trig = dies[0] if dies else n.head
        figs.add("killed", "running toll", Count(val, val, "exact", [t.i, n.i], who=n.text), trig,
                 [trig.i], n)


def _is_in_custody(t: Token) -> bool:
    return t.lower_ == "custody" and t.dep_ == "pobj" and t.head.lower_ == "in"


def in_custody(t: Token, figs: _Figures) -> None:
    """"in custody": "he's in custody", "two suspects in custody" -- the subject or object of
    the verb the phrase belongs to, or the noun it modifies."""
    v = t.head.head
    if irrealis(v):
        return
    victims = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if v.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        victims = [v]
    for hd in victims[:1]:
        figs.add("arrested", "in custody", victims_count(hd), t, [t.head.i, t.i], hd)


def _multiple_count(t: Token) -> Count | None:
    """A multiple before the noun: "the quadruple murders case", "double homicide"."""
    cnt = None
    if t.i > 0 and t.doc[t.i - 1].lower_ in MULTIPLES:  # "the quadruple murders case"
        m = MULTIPLES[t.doc[t.i - 1].lower_]
        cnt = Count(m, m, "exact", [t.i - 1])
    for c in t.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.lower_ in MULTIPLES:
            m = MULTIPLES[c.lower_]
            cnt = Count(m, m, "exact", [c.i])
    return cnt


def _new_person(p: Token) -> Count | None:
    """An indefinite singular person after a casualty noun counts one: "the death of a
    man", "the killing of a teenager" (a definite one, "the death of the man", refers back)."""
    cnt = victims_count(p)
    return cnt if cnt is not None and cnt.singular and cnt.indef and not cnt.anaphoric else None


def _hostage_taker(t: Token) -> Token | None:
    """The verb of "taken hostage", "held captive", "hostages held by ..."."""
    if t.dep_ in ("oprd", "dobj", "attr", "xcomp", "npadvmod", "advmod") and t.head.lemma_.lower() in HOSTAGE_GOVERNORS:
        return t.head
    return next((c for c in t.children if c.dep_ in ("amod", "acl") and c.lemma_.lower() in HOSTAGE_VERBS), None)


def hostages_taken(t: Token, cat: str, kind: str | None, v: Token, figs: _Figures) -> None:
    """Hostages without a number on the noun: "about 250 taken hostage", "held six women
    hostage" -- the object or subject of the taking verb."""
    objs = [c for c in v.children if c.dep_ in ("dobj", "npadvmod", "nsubjpass") and c.i != t.i]
    subj = subjects(v)
    hd = objs or [(resolve_relative(s, v)) for s in subj] or climb_victims(v) or linear_fallback(v, -1)
    if hd and not irrealis(v):
        cnt = victims_count(hd[0])
        if cnt is not None:
            figs.add(cat, kind, cnt, t, [v.i, t.i], hd[0])


def casualty_noun(t: Token, cat: str, kind: str | None, figs: _Figures) -> None:
    """Casualty noun with its own quantity: "quadruple murders", "50 million deaths",
    "250 hostages", "the deaths of 11 people", "about 250 taken hostage"."""
    cnt = _multiple_count(t)
    if cnt is None:
        cnt = np_count(t, allow_singular=False)
    if cnt is None:
        for p in of_objects(t):
            cnt = victims_count(p, allow_singular=False) or _new_person(p)
    taker = _hostage_taker(t) if kind in ("hostages", "held captive") else None
    if cnt is None and taker is not None:
        hostages_taken(t, cat, kind, taker, figs)
        return
    if cnt is not None and not (t.head.lower_ in ("of",) and t.head.head.lower_ in CHARGE_NOUNS):
        figs.add(cat, kind, cnt, t, [t.i], t)


def _verb_phrase(t: Token, role: str, cat: str, kind: str | None) -> tuple[list[Token], bool, list[int]]:
    """Victims, singulars allowed, and phrase tokens of a casualty verb: "taken into
    custody", "sentenced to death", "shot dead"."""
    victims, allow_singular = verb_victims(t, role == "verb")
    extra = [t.i]
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "into"):
            objs = [p for p in c.children if p.dep_ == "pobj" and p.lower_ in DESTINATION_NOUNS]
            if objs:
                extra += [c.i, objs[0].i]
        if c.dep_ in ("oprd", "acomp") and c.lower_ == "dead":
            extra.append(c.i)
    if cat == "displaced" and kind == "fled":
        allow_singular = False
    return victims, allow_singular, extra


def _not_a_person(hd: Token) -> bool:
    """The object of a verb of violence that is no person: "shot a 68" (golf), "shot a
    video", "stabbed the tyres" -- only people are casualties of "shot"/"stabbed"."""
    if hd.pos_ == "PRON" or hd.ent_type_ == "PERSON" or is_person_noun(hd):
        return False
    if is_num(hd):
        return hd.dep_ == "dobj" and not of_objects(hd)
    return hd.pos_ in ("NOUN", "PROPN") and hd.lower_ not in VAGUE_WORDS


def _for_illness(t: Token) -> bool:
    """A hospital stay "with" or "for" an illness is no casualty: "admitted to hospital with
    depression", "hospitalised for pneumonia"."""
    return any(p.lemma_.lower() in ILLNESS_NOUNS or p.lower_ in ILLNESS_NOUNS
               for c in t.children if c.dep_ == "prep" and c.lower_ in ("with", "for")
               for p in c.children if p.dep_ == "pobj")


def casualty_predicate(t: Token, cat: str, kind: str | None, role: str, figs: _Figures) -> None:
    """Casualty verb or adjective and its victim phrase: passive subject ("11 people were
    killed"), object ("killing at least 26"), reduced relative ("11 people reported killed"),
    predicative adjective ("left three dead", "shot dead", "found two pilots in injured
    condition"); then elliptical numbers conjoined to it."""
    if role in ("verb", "intrans"):
        if irrealis(t):
            return
        victims, allow_singular, extra = _verb_phrase(t, role, cat, kind)
    else:  # adjective
        gov = t.head if t.dep_ in ("acomp", "oprd", "xcomp", "attr") else t
        if irrealis(gov) or irrealis(t):
            return
        if t.dep_ in ("oprd", "acomp", "xcomp") and trigger_of(t.head) is not None:
            return  # "shot dead": the verb carries it ... unless the verb is no trigger
        victims, allow_singular = adj_victims(t)
        extra = [t.i]
        if t.dep_ in ("oprd", "xcomp") and t.head.lemma_.lower() in PREDICATE_VERBS:
            extra.append(t.head.i)
            if t.head.lemma_.lower() == "shoot":
                cat, kind = "killed", "shot dead"
    if cat == "displaced":
        allow_singular = False
    if t.dep_ == "amod" and t.head.lemma_ in CONDITION_NOUNS:
        extra.append(t.head.i)  # "two pilots in injured condition"
    for hd in victims[:1]:
        if hd.dep_ in ("det",):
            continue
        cnt = victims_count(hd, allow_singular=allow_singular)
        if cnt is None:
            continue
        if cnt.singular and not is_person_noun(hd) and hd.pos_ not in ("PRON", "PROPN") and not hd.conjuncts:
            continue
        if kind in ASSAULT_VERBS.values() and _not_a_person(hd):
            continue
        if cnt.anaphoric and t.dep_ == "amod":
            continue  # "the missing girl", "the injured man": a person already introduced
        if kind == "hospitalized" and _for_illness(t):
            continue
        if cnt.singular and hd.pos_ == "PRON" and kind == "hospitalized":
            continue  # "she had been hospitalized": a patient, not a casualty figure
        figs.add(cat, kind, cnt, t, extra, hd)
    elliptical_numbers(t, cat, kind, figs)


def elliptical_numbers(t: Token, cat: str, kind: str | None, figs: _Figures) -> None:
    """Elliptical numbers conjoined to the trigger: "26 people died ... and five from artillery"."""
    for c in t.children:
        if c.dep_ == "conj" and is_num(c):
            cnt = np_count(c, allow_singular=False)
            if cnt is not None:
                figs.add(cat, kind, cnt, t, [], c)


def figures_in_sentence(sent: Span) -> list[Figure]:
    """Every casualty figure the patterns find in ``sent``, in token order."""
    figs = _Figures(sent)
    for t in sent:
        if _is_toll(t):
            death_toll(t, figs)
        elif _is_running_toll_ordinal(t):
            running_toll(t, figs)
        elif _is_in_custody(t):
            in_custody(t, figs)
        else:
            trig = trigger_of(t)
            if trig is None:
                continue
            cat, kind, role = trig
            if role == "noun":
                casualty_noun(t, cat, kind, figs)
            else:
                casualty_predicate(t, cat, kind, role, figs)
    return figs.final()
