"""Casualty words: which tokens state a casualty (verb, adjective or noun), of which
category and kind, and the hedge that qualifies them ("reportedly", "feared dead")."""

from __future__ import annotations

from spacy.tokens import Token

from news_etl.nlp.casualties.lexicon import (
    ADJ_TRIGGERS,
    FATAL_VERBS,
    HEDGE_ADVERBS,
    HEDGE_VERBS,
    HOSPITAL_VERBS,
    INJURY_NOUNS,
    NOT_DEATH_VERBS,
    NOUN_TRIGGERS,
    SUFFER_VERBS,
    VERB_TRIGGERS,
)


def _phrasal_verb_trigger(t: Token, lem: str) -> tuple[str, str | None, str] | None:
    """A verb that is no casualty word on its own: "suffered injuries", "fatally shot",
    "taken to hospital", "stabbed to death", "taken into custody"."""
    if lem in SUFFER_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in INJURY_NOUNS for c in t.children):
        return "injured", None, "intrans"  # "two firefighters suffered minor injuries"
    if any(c.lower_ == "fatally" for c in t.children) and lem in FATAL_VERBS:
        return "killed", None, "verb"
    for c in t.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "into") and lem not in NOT_DEATH_VERBS:
            objs = [p for p in c.children if p.dep_ == "pobj"]
            if c.lower_ == "to" and lem in HOSPITAL_VERBS and any(
                    p.lemma_.lower() == "hospital" for p in objs):
                return "injured", "hospitalized", "verb"  # "3 people were taken to hospital"
            if c.lower_ == "to" and any(p.lower_ == "death" for p in objs):
                return "killed", f"{lem} to death" if lem != "put" else "executed", "verb"
            if c.lower_ == "into" and any(p.lower_ == "custody" for p in objs):
                return "arrested", "in custody", "verb"
    return None


def _verb_trigger(t: Token) -> tuple[str, str | None, str] | None:
    """A token tagged as a verb: a casualty verb ("killed", "died"), a phrasal casualty
    verb, a participle of a casualty adjective ("injured"), or "are missing"."""
    low = t.lower_
    lem = t.lemma_.lower()
    if lem in VERB_TRIGGERS:
        cat, kind, trans = VERB_TRIGGERS[lem]
        return cat, kind, "verb" if trans else "intrans"
    phrasal = _phrasal_verb_trigger(t, lem)
    if phrasal is not None:
        return phrasal
    if low in ADJ_TRIGGERS and t.tag_ in ("VBN",):
        cat, kind = ADJ_TRIGGERS[low]
        return cat, kind, "adj"
    if low == "missing" and not any(c.dep_ == "dobj" for c in t.children):
        return "missing", None, "intrans"  # "three soldiers are missing" (tagged as a verb)
    return None


def trigger_of(t: Token) -> tuple[str, str | None, str] | None:
    """(category, kind, role) for a casualty word; role is 'verb', 'intrans', 'adj' or 'noun'."""
    low = t.lower_
    lem = t.lemma_.lower()
    if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBN", "VBD", "VBG", "VBZ", "VBP", "VB"):
        return _verb_trigger(t)
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


def hedge_for(t: Token, victim: Token | None) -> str | None:
    """The hedge of a figure: a hedging adverb ("reportedly killed"), a hedging participle
    ("the alleged victims"), or a hedging verb the trigger complements ("are feared dead",
    "were reported killed")."""
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
