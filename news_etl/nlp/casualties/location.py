"""The place of a casualty figure: the most specific place the sentence ties to it."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.casualties.lexicon import PLACE_LABELS, PLACE_NOUNS, PLACE_PREPS, REPORT_VERBS
from news_etl.nlp.casualties.triggers.figures import Figure
from news_etl.nlp.places import known_places


def place_entities(doc: Doc, gazetteer: frozenset[str] | None = None) -> list[Span]:
    """Place entities, plus known place names (``gazetteer``, default: :func:`known_places`) the
    tagger took for a person or an organisation where the grammar says place ("in Valencia",
    "the city of Valencia")."""
    gazetteer = known_places() if gazetteer is None else gazetteer
    out = []
    for e in doc.ents:
        if e.label_ in PLACE_LABELS:
            out.append(e)
        elif e.label_ in ("PERSON", "ORG") and e.text in gazetteer:
            r = e.root
            if r.dep_ == "pobj" and (r.head.lower_ in PLACE_PREPS or (
                    r.head.lower_ == "of" and r.head.head.lower_ in PLACE_NOUNS)):
                out.append(e)
    return out


def clean_place(e: Span) -> str:
    """A place name without a leading "the" or a possessive "'s" ("the Kharkiv's" -> "Kharkiv")."""
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


def _is_agent(e: Span) -> bool:
    """A place as the subject of a verb other than a report verb is an agent ("India attacked")."""
    return e.root.dep_ == "nsubj" and e.root.head.lemma_.lower() not in REPORT_VERBS


def _clause_ids(fig: Figure) -> tuple[Token, set[int], set[int]]:
    """(clause root, token ids of the figure's clause, token ids of conjoined clauses of
    other figures) -- the clause is the trigger's subtree without conjoined clauses."""
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
    return clause_root, ids, other_ids


def location_for(fig: Figure, sent: Span, places: list[Span]) -> tuple[str | None, bool]:
    """(place, stated in the figure's own clause) for a figure.

    Most specific first: places in the figure's clause (trigger subtree without
    conjoined clauses) in text order; else the nearest place in a prepositional phrase
    of the sentence, else the nearest place in the sentence; else (anaphora such as "the
    latter bombing") the most recent place in the preceding context.
    """
    trig = fig.trigger
    clause_root, ids, other_ids = _clause_ids(fig)
    all_in_sent = [e for e in places if sent.start <= e.start < sent.end and not _is_agent(e)]
    in_sent = [e for e in all_in_sent if e.root.i not in other_ids] or all_in_sent
    chosen = [e for e in in_sent if e.root.i in ids]
    prep_chosen = [e for e in chosen if _in_prep(e, clause_root)]
    chosen = prep_chosen or chosen
    if chosen:
        names: list[str] = []
        for e in chosen:
            n = clean_place(e)
            if n and n not in names:
                names.append(n)
        return ", ".join(names[:3]) or None, True
    if in_sent:
        preps = [e for e in in_sent if _in_prep(e, sent.root)]
        e = min(preps or in_sent, key=lambda e: abs(e.root.i - trig.i))
        return clean_place(e) or None, False
    prev = [e for e in places if e.end <= sent.start and sent.start - e.end < 400 and not _is_agent(e)]
    if prev:
        return clean_place(prev[-1]) or None, False
    # a lead sentence: the place often follows in the next sentences
    nxt = [e for e in places if e.start >= sent.end and e.start - sent.end < 60]
    if nxt:
        return clean_place(nxt[0]) or None, False
    return None, False
