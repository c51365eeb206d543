"""Casualty words: which tokens state a casualty (verb, adjective or noun), of which
category and kind, and the hedge that qualifies them ("reportedly", "feared dead")."""

from __future__ import annotations

from spacy.tokens import Token

from news_etl.nlp.casualties.lexicon import (
    ADJ_TRIGGERS,
    ASSAULT_VERBS,
    CHARGE_VERBS,
    CONDITION_ADJS,
    CONDITION_NOUNS,
    CRIME_WORDS,
    CUSTODY_NOUNS,
    DEATH_LEMMAS,
    FACE_VERBS,
    FATAL_VERBS,
    HEDGE_ADVERBS,
    HEDGE_VERBS,
    HOSPITAL_VERBS,
    INJURY_NOUNS,
    NOT_DEATH_VERBS,
    NOUN_TRIGGERS,
    REFLEXIVE_PRONOUNS,
    SUFFER_VERBS,
    VERB_TRIGGERS,
)


def _phrasal_verb_trigger(t: Token, lem: str) -> tuple[str, str | None, str] | None:
    """A verb that is no casualty word on its own: "suffered injuries", "fatally shot",
    "taken to hospital", "stabbed to death", "taken into custody"."""
    if lem in SUFFER_VERBS and any(
            (c.dep_ == "dobj" and c.lemma_.lower() in INJURY_NOUNS) or (
                c.dep_ == "prep" and c.lower_ == "from" and any(p.lemma_.lower() in INJURY_NOUNS for p in c.children))
            for c in t.children):
        return "injured", None, "intrans"  # "two firefighters suffered minor injuries", "suffering from a wound"
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
            if c.lower_ == "into" and any(p.lower_ in CUSTODY_NOUNS for p in objs):
                return "arrested", "in custody", "verb"  # "taken into custody", "booked into jail"
    return _charge_trigger(t, lem)


def _charge_trigger(t: Token, lem: str) -> tuple[str, str | None, str] | None:
    """Criminal-charge phrases that state an arrest: "was charged with murder", "police
    charged him with", "two men are facing charges", "turned himself in"."""
    if lem in CHARGE_VERBS and any(c.dep_ == "prep" and c.lower_ == "with" and _names_crime(c) for c in t.children):
        return "arrested", "charged", "verb"
    if lem in FACE_VERBS and any(c.dep_ == "dobj" and c.lemma_.lower() == "charge" for c in t.children):
        return "arrested", "charged", "intrans"
    if lem == "turn" and any(c.lower_ in REFLEXIVE_PRONOUNS and c.dep_ == "dobj" for c in t.children) and any(
            c.dep_ == "prt" and c.lower_ == "in" for c in t.children):
        return "arrested", "surrendered", "intrans"
    return None


def _names_crime(prep: Token) -> bool:
    """The object of "charged with" names a crime: "murder", "aggravated assault", "one
    count of murder", "carrying a concealed weapon" (not "misconduct", "avoiding tests")."""
    for p in prep.children:
        if p.dep_ not in ("pobj", "pcomp"):
            continue
        words = [p] + [c for c in p.children if c.dep_ in ("amod", "compound", "dobj")] + [
            o for c in p.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children]
        if any(w.lemma_.lower() in CRIME_WORDS or w.lower_ in CRIME_WORDS for w in words):
            return True
    return False


def _died_too(t: Token) -> bool:
    """An assault verb whose victim died in the same clause: "shot dead", "was shot and
    killed", "was stabbed and later died" -- the death carries the figure."""
    linked = [c for c in t.children if c.dep_ == "conj"] + ([t.head] if t.dep_ == "conj" else [])
    if any(x.lemma_.lower() in DEATH_LEMMAS or x.lemma_.lower() in ("murder", "pronounce") for x in linked):
        return True
    return any(c.dep_ in ("acomp", "oprd", "xcomp") and c.lower_ == "dead" for c in t.children)


def _assault_trigger(t: Token, lem: str) -> tuple[str, str | None, str] | None:
    """A verb of violence with no death stated, as a finite verb or a passive participle:
    "a man was shot", "police shot a man", "she was stabbed" (injured). "shot at" (fired
    upon), "shot down" (a particle verb) and "shot dead" / "shot and killed" (the death is
    the figure) are not injuries."""
    if lem not in ASSAULT_VERBS or _died_too(t) or t.tag_ not in ("VBN", "VBD", "VBZ", "VBP"):
        return None  # a gerund or bare infinitive names the act ("admitted to shooting X")
    if any(c.dep_ == "prt" for c in t.children):
        return None  # a particle verb is another verb ("shot down", "shot up")
    if any(c.dep_ == "prep" and c.lower_ == "at" and not list(c.children) for c in t.children):
        return None  # "the car was shot at"
    return "injured", ASSAULT_VERBS[lem], "verb"


def condition_trigger(t: Token) -> tuple[str, str | None, str] | None:
    """"in critical / serious / stable condition": the state of a patient after an incident."""
    if t.lower_ in CONDITION_ADJS and t.dep_ == "amod" and t.head.lemma_.lower() in CONDITION_NOUNS and (
            t.head.dep_ == "pobj" and t.head.head.lower_ == "in"):
        return "injured", "condition", "adj"
    return None


def _verb_trigger(t: Token) -> tuple[str, str | None, str] | None:
    """A token tagged as a verb: a casualty verb ("killed", "died"), a phrasal casualty
    verb, a participle of a casualty adjective ("injured"), or "are missing"."""
    low = t.lower_
    lem = t.lemma_.lower()
    if lem in VERB_TRIGGERS:
        cat, kind, trans = VERB_TRIGGERS[lem]
        return cat, kind, "verb" if trans else "intrans"
    phrasal = _phrasal_verb_trigger(t, lem) or _assault_trigger(t, lem)
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
    cond = condition_trigger(t)
    if cond is not None:
        return cond
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
        if h.dep_ in ("conj",) or (h.dep_ in ("acomp", "attr") and h.head.lemma_.lower() == "be"):
            h = h.head  # "were killed and ...", "are feared to be dead"
            continue
        break
    if victim is not None and victim.head.i == t.head.i and victim.head.lemma_.lower() in HEDGE_VERBS and victim.head.i != t.i:
        return HEDGE_VERBS[victim.head.lemma_.lower()]
    return None
