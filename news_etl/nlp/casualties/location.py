"""The place of a casualty figure: the most specific place the sentence ties to it."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.casualties.lexicon import PLACE_LABELS, PLACE_NOUNS, PLACE_PREPS, REPORT_VERBS, STREET_WORDS
from news_etl.nlp.casualties.triggers.figures import Figure
from news_etl.nlp.places import known_places


def place_entities(doc: Doc, gazetteer: frozenset[str] | None = None) -> list[Span]:
    """Place entities (not a single word that is the surname of a person of the article),
    plus known place names (``gazetteer``, default: :func:`known_places`) the
    tagger took for a person or an organisation where the grammar says place ("in Valencia",
    "the city of Valencia")."""
    gazetteer = known_places() if gazetteer is None else gazetteer
    # "Police arrested Ethley" tagged as a place after "Stephen Ethley": a person's surname
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    out = []
    for e in doc.ents:
        if e.label_ in PLACE_LABELS:
            if len(e) == 1 and e.text in surnames and e.text not in gazetteer:
                continue
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
    if t.isupper() and len(t) > 3:
        t = t.title()  # a dateline "CLEVELAND"
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return re.sub(r"(?:'s|’s)$", "", t).strip(" ,.;:")


def _with_container(e: Span, places: list[Span]) -> str:
    """A place with the place it is written in ("Cleveland, Ohio"): when ``e`` is the second
    of two places joined by a comma, both, the more specific first."""
    before = [p for p in places if p.end == e.start - 1]
    if before and e.doc[e.start - 1].text == ",":
        return f"{clean_place(before[0])}, {clean_place(e)}"
    return clean_place(e)


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


def _is_residence(e: Span) -> bool:
    """A place after a person's name is where they live, not where it happened: "Ann Lee of
    Shaker Heights", "Bo Kim, 35, of Easton"."""
    r = e.root
    if r.dep_ != "pobj" or r.head.lower_ != "of":
        return False
    h = r.head.head
    return (h.pos_ == "PROPN" and h.ent_type_ == "PERSON") or (h.pos_ == "NUM" and h.head.ent_type_ == "PERSON")


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

    Residences ("Ann Lee of Easton") are left out. Most specific first: places in the
    figure's clause (trigger subtree without conjoined clauses) in text order; else the nearest place in a prepositional phrase
    of the sentence, else the nearest place in the sentence; else (anaphora such as "the
    latter bombing") the most recent place in the preceding context.
    """
    trig = fig.trigger
    clause_root, ids, other_ids = _clause_ids(fig)
    places = [e for e in places if not _is_residence(e)]
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
        return _with_container(prev[-1], places) or None, False
    # a lead sentence: the place often follows in the next sentences
    nxt = [e for e in places if e.start >= sent.end and e.start - sent.end < 60]
    if nxt:
        return clean_place(nxt[0]) or None, False
    return None, False


#: a news dateline near the top: "CLEVELAND, Ohio --", "GARDEN GROVE –", "HANOI, Vietnam (AP) —"
_DATELINE = re.compile(
    r"(?:^|\s)([A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,3})(, [A-Z][A-Za-z.]+(?: [A-Z][a-z.]+)?)?"
    r"\s*(?:\([^)\n]{0,30}\)\s*)?(?:—|–|--|-|>>)\s")


def dateline_place(text: str) -> str | None:
    """The place of a dateline in the first 300 characters ("ORANGE — A man ..." ->
    "Orange", "DAYTON, Ohio --" -> "Dayton, Ohio"), or None."""
    m = _DATELINE.search(text[:300])
    if m is None or len(m.group(1)) < 3:
        return None
    return m.group(1).title() + (m.group(2) or "")


def with_town(loc: str | None, town: str | None) -> str | None:
    """A street-level place completed with the article's town (its dateline, else the first
    town named in its lead), most specific first ("Smith Street" -> "Smith Street,
    Orange"); the town alone when no place, or only the dateline's state, is stated."""
    if town is None:
        return loc
    if loc is None or loc in town.split(", ")[1:]:
        return town  # no place, or only the state the dateline names
    last = loc.split(",")[-1].split()
    if last and last[-1].lower() in STREET_WORDS and town.split(",")[0].lower() not in loc.lower():
        return f"{loc}, {town}"
    return loc
