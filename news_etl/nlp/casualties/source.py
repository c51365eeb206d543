"""The outlet or body a casualty figure is attributed to ("the BBC reported", "according to Reuters")."""

from __future__ import annotations

import re

from spacy.tokens import Span

from news_etl.nlp.casualties.lexicon import REPORT_VERBS
from news_etl.nlp.casualties.triggers.figures import Figure


def reported_via(fig: Figure, sent: Span) -> str | None:
    """An ORG in the sentence that reports: subject of a report verb ("the BBC reported"),
    or object of "per"/"according to". One governing the trigger wins, else the first."""
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
