"""Casualty figures of a parsed article as :class:`Casualty` records, one per distinct figure.

The method is dependency-based: find casualty words (verbs "killed", "died", "wounded",
adjectives "dead", "missing", nouns "deaths", "hostages", "death toll"), then attach the
quantity of the victim phrase the grammar ties to them (passive subject "11 people were
killed", object "killing at least 26", reduced relative "11 people reported killed", "the
death toll rose to 10", ordinals "the sixth person to die", enumerations "a woman and a
man were injured"). A short linear fallback covers parses that leave the number
unattached. Numbers that are ages, years, percentages, money or times are never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from spacy.tokens import Doc

from news_etl.nlp.casualties.dates import event_date, paragraph_of, paragraphs
from news_etl.nlp.casualties.lexicon import PLACE_STOP_WORDS
from news_etl.nlp.casualties.location import location_for, place_entities
from news_etl.nlp.casualties.records import Casualty
from news_etl.nlp.casualties.source import reported_via
from news_etl.nlp.casualties.triggers.figures import Figure, figures_in_sentence


@dataclass(slots=True)
class _Candidate:
    """A record before de-duplication, with what the comparison needs: whether its place is
    stated in its own clause, and the noun of an indefinite singular ("a woman")."""

    record: Casualty
    local: bool
    indef: str | None


def _phrase_bounds(doc: Doc, fig: Figure) -> tuple[int, int]:
    """Character range of the figure's phrase: count, trigger and kept tokens within its sentence."""
    ids = set(fig.count.tokens) | set(fig.extra_tokens) | {fig.trigger.i}
    sent = fig.trigger.sent
    ids = {i for i in ids if sent.start <= i < sent.end} or {fig.trigger.i}
    lo, hi = min(ids), max(ids)
    start = doc[lo].idx
    end = doc[hi].idx + len(doc[hi].text)
    return start, end


def extract_casualties(doc: Doc, published_at: datetime | None = None) -> list[Casualty]:
    """One record per distinct casualty figure stated in ``doc`` (see module docstring)."""
    places = place_entities(doc)
    paras = paragraphs(doc.text)
    cands: list[_Candidate] = []
    for sent in doc.sents:
        for fig in figures_in_sentence(sent):
            c = fig.count
            start, end = _phrase_bounds(doc, fig)
            loc, local = location_for(fig, sent, places)
            record = Casualty(
                category=fig.category,
                kind=fig.kind,
                count_low=c.low,
                count_high=c.high,
                qualifier=c.qualifier,
                is_vague=c.vague,
                phrase=doc.text[start:end],
                start_char=start,
                end_char=end,
                who=c.who,
                location=loc,
                event_date=event_date(fig, sent, paragraph_of(paras, sent), doc, published_at),
                hedge=fig.hedge,
                reported_via=reported_via(fig, sent),
                sentence=sent.text.strip(),
            )
            cands.append(_Candidate(record, local, c.indef))
    return _dedupe(cands)


def _words(s: str | None) -> set[str]:
    return set(re.findall(r"\w+", (s or "").casefold())) - PLACE_STOP_WORDS


def _same_figure(new: _Candidate, old: _Candidate) -> bool:
    """The same category and number (or the same vague phrase) with compatible places."""
    r, o = new.record, old.record
    if o.category != r.category:
        return False
    if r.is_vague or o.is_vague:
        return r.is_vague and o.is_vague and r.phrase.split()[0].lower() == o.phrase.split()[0].lower()
    ra = r.count_low if r.count_low is not None else r.count_high
    oa = o.count_low if o.count_low is not None else o.count_high
    if ra != oa:
        return False
    if new.indef and old.indef and new.indef != old.indef:
        return False  # "a woman was killed" and "a child was killed": two people
    lr, lo = _words(r.location), _words(o.location)
    return not (new.local and old.local) or not lr or not lo or bool(lr & lo)


def _dedupe(cands: list[_Candidate]) -> list[Casualty]:
    """One record per distinct figure: the same category and number (or the same vague
    phrase) with compatible places is the same figure, kept at its first mention; the
    later mention fills the place, victims, hedge, source and kind the first one lacks."""
    out: list[_Candidate] = []
    for cand in cands:
        dup = next((o for o in out if _same_figure(cand, o)), None)
        if dup is None:
            out.append(cand)
            continue
        for k in ("location", "who", "hedge", "reported_via", "kind"):
            if getattr(dup.record, k) is None and getattr(cand.record, k) is not None:
                setattr(dup.record, k, getattr(cand.record, k))
    return [c.record for c in out]
