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
from dataclasses import dataclass, field
from datetime import datetime

from spacy.tokens import Doc

from news_etl.nlp.extensions import doc_text
from news_etl.nlp.casualties.dates import event_date, paragraph_of, paragraphs
from news_etl.nlp.casualties.lexicon import PLACE_STOP_WORDS, ROLE_NOUNS, SURVIVABLE_KINDS
from news_etl.nlp.casualties.location import clean_place, dateline_place, location_for, place_entities, with_town
from news_etl.nlp.casualties.counts import Count
from news_etl.nlp.casualties.records import Casualty
from news_etl.nlp.casualties.source import reported_via
from news_etl.nlp.casualties.triggers.figures import Figure, figures_in_sentence


@dataclass(slots=True)
class _Candidate:
    """A record before de-duplication, with what the comparison needs: whether its place is
    stated in its own clause, the noun of a singular ("a woman", "the officer"), whether
    it refers back (a pronoun or a definite singular), and the names of its victims."""

    record: Casualty
    local: bool
    indef: str | None
    anaphoric: bool = False
    names: set[str] = field(default_factory=set)


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
    text = doc_text(doc)
    paras = paragraphs(text)
    town = dateline_place(text)
    lead_town = town or next((clean_place(e) for e in places if e.start_char < 300 and e.label_ == "GPE"), None)
    cands: list[_Candidate] = []
    for sent in doc.sents:
        for fig in figures_in_sentence(sent):
            c = fig.count
            start, end = _phrase_bounds(doc, fig)
            loc, local = location_for(fig, sent, places)
            loc = with_town(loc, town) if loc is None else with_town(loc, lead_town)
            record = Casualty(
                category=fig.category,
                kind=fig.kind,
                count_low=c.low,
                count_high=c.high,
                qualifier=c.qualifier,
                is_vague=c.vague,
                phrase=text[start:end],
                start_char=start,
                end_char=end,
                who=c.who,
                location=loc,
                event_date=event_date(fig, sent, paragraph_of(paras, sent), doc, published_at),
                hedge=fig.hedge,
                reported_via=reported_via(fig, sent),
                sentence=sent.text.strip(),
            )
            if fig.kind == "hospitalized":
                local = False  # "taken to a hospital in X": where treated, not where hurt
            names = _victim_names(doc, c)
            cands.append(_Candidate(record, local, c.indef, c.anaphoric, names))
    return _dedupe(cands)


def _victim_names(doc: Doc, c: Count) -> set[str]:
    """Name words of a figure's victims: the names in its count, or for a pronoun ("he
    died") the name of the nearest person mentioned before it in the sentence."""
    names = {doc[i].text for i in c.tokens if doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper()
             and not doc[i].is_upper and doc[i].ent_type_ in ("PERSON", "")}
    if names or not (c.anaphoric and c.indef is None and c.tokens):
        return names
    pron = doc[c.tokens[0]]
    before = doc[pron.sent.start:pron.i]
    # a PERSON entity, or a name as subject that the tagger left unlabelled ("Hall was taken")
    names = [t for t in before if t.pos_ == "PROPN" and (t.ent_type_ == "PERSON" or (
        t.ent_type_ == "" and t.dep_ in ("nsubj", "nsubjpass")))]
    return {names[-1].text} if names else set()


def _words(s: str | None) -> set[str]:
    return set(re.findall(r"\w+", (s or "").casefold())) - PLACE_STOP_WORDS


def _head_words(who: str | None) -> set[str]:
    """Nouns of a victim phrase, singular ("men" -> "man", "brothers" -> "brother")."""
    out = set()
    for w in re.findall(r"\w+", (who or "").casefold()):
        out.add(w)
        out.add(re.sub(r"men$", "man", w))
        out.add(re.sub(r"s$", "", w))
    return out


def _refers_back(new: _Candidate, old: _Candidate) -> bool:
    """An anaphor introduces no new victim: a pronoun ("he died"), or a definite singular
    whose noun is a role ("the victim"), names someone of the earlier figure ("the man"
    after "a man and a woman") or undergoes the same act as the earlier single victim;
    a name already among the earlier figure's victims."""
    r, o = new.record, old.record
    if new.names and r.count_low == 1 and new.names & old.names:
        # a person dies or is hurt once; an arrest and a charge are separate events
        return r.category != "arrested" or (o.count_low == 1 and r.kind == o.kind)
    if not new.anaphoric or (new.names and old.names):
        return False  # "he" resolved to another name than the earlier victims
    if new.indef is None or new.indef in ROLE_NOUNS:
        return True
    if o.count_low == 1 and r.kind is not None and r.kind == o.kind:
        return True  # the same act told again ("police shot a man" ... "the driver was shot")
    return new.indef in _head_words(o.who)


def _same_figure(new: _Candidate, old: _Candidate) -> bool:
    """The same category and number (or the same vague phrase) with compatible places;
    or a later mention of someone the earlier figure counts (:func:`_refers_back`)."""
    r, o = new.record, old.record
    if o.category != r.category:
        return False
    if _refers_back(new, old):
        return True
    if r.is_vague or o.is_vague:
        return r.is_vague and o.is_vague and r.phrase.split()[0].lower() == o.phrase.split()[0].lower()
    ra = r.count_low if r.count_low is not None else r.count_high
    oa = o.count_low if o.count_low is not None else o.count_high
    if ra != oa:
        return False
    if new.indef and old.indef and new.indef != old.indef:
        return False  # "a woman was killed" and "a child was killed": two people
    if ra == 1 and new.names and old.names and not new.names & old.names:
        return False  # two single victims with different names are two people
    lr, lo = _words(r.location), _words(o.location)
    return not (new.local and old.local) or not lr or not lo or bool(lr & lo)


def _dedupe(cands: list[_Candidate]) -> list[Casualty]:
    """One record per distinct figure: the same category and number (or the same vague
    phrase) with compatible places is the same figure, kept at its first mention; the
    later mention fills the place, victims, hedge, source and kind the first one lacks."""
    out: list[_Candidate] = []
    for cand in cands:
        dup = next((o for o in reversed(out) if _same_figure(cand, o)), None)
        if dup is None:
            out.append(cand)
            continue
        dup.names |= cand.names
        for k in ("location", "who", "hedge", "reported_via", "kind"):
            if getattr(dup.record, k) is None and getattr(cand.record, k) is not None:
                setattr(dup.record, k, getattr(cand.record, k))
    return [c.record for c in out if not _died_later(c, out)]


def _died_later(c: _Candidate, cands: list[_Candidate]) -> bool:
    """A named victim who was shot, stabbed or hospitalised and whom a killed figure of the
    same article names too is counted as killed only ("X was shot" ... "X died")."""
    if c.record.category != "injured" or c.record.kind not in SURVIVABLE_KINDS or not c.names:
        return False
    if c.record.count_low != 1:
        return False
    return any(o.record.category == "killed" and c.names & o.names for o in cands)
