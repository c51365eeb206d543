"""Organisations as speakers (:class:`OrganisationSources`, a part of
:class:`news_etl.nlp.people.ArticleContext`): who issued "the statement", which organisation
"the department" stands for. Functional core, no dagster."""

from __future__ import annotations

from spacy.tokens import Token

from news_etl.nlp.names import clean_entity_text
from news_etl.nlp.people_lexicon import GENERIC_ORG_NOUNS, ISSUER_PREPOSITIONS, NAME_JOINERS, ORG_NOUNS, PAPER_NOUNS
from news_etl.nlp.people_parse import noun_phrase, role_weight, subject_of
from news_etl.nlp.people_tables import Candidate


class OrganisationSources:
    """Methods of :class:`news_etl.nlp.people.ArticleContext` that find organisations: the
    issuer of a document, the organisation a generic word stands for, the article's
    organisation mentions."""

    def _issuer_of(self, lemma: str, pos: int) -> str | None:
        """Who issued the most recent '<statement>' before ``pos``."""
        doc = self.doc
        for t in reversed(doc[: doc.char_span(pos, pos + 1, alignment_mode="expand").start
                              if doc.char_span(pos, pos + 1, alignment_mode="expand") is not None else len(doc)]):
            if t.lemma_.lower() != lemma and t.lower_ != lemma:
                continue
            # "TNO's statement", "a statement from the ministry", "statement by X"
            for c in t.children:
                if c.dep_ in ("poss", "compound") and c.i in self.ent_by_token:
                    return self.canon(self.ent_by_token[c.i])
                if c.dep_ == "prep" and c.lower_ in ISSUER_PREPOSITIONS:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            r = self.resolve(noun_phrase(g), g.idx)
                            if r:
                                return r
            if t.head.lower_ == "to" and t.head.i > 0 and self.doc[t.head.i - 1].lower_ == "according":
                # "according to the report": the report is the source, not the clause's subject
                return None
            # "X said in a statement", "X issued a statement"
            h = t
            for _ in range(4):
                if h.dep_ in ("pobj", "dobj", "prep", "npadvmod", "nsubj") and h.head is not h:
                    h = h.head
                else:
                    break
                if h.pos_ in ("VERB", "AUX"):
                    subj = subject_of(h)
                    if subj is not None and subj.root.lemma_.lower() != lemma:
                        return self.resolve(subj, subj.start_char)
                    break
            return None
        return None

    def _author_at_first_mention(self, head: Token) -> str | None:
        """A document first mentioned with no issuer ("…, a report says.") is the work of the
        organisation the text names as a subject in that sentence or the next one ("The
        National Audit Office praised …")."""
        lemma = head.lemma_.lower()
        first = next((t for t in self.doc[:head.i] if t.lemma_.lower() == lemma), None)
        if first is None or first.i == head.i:
            return None
        sents = [first.sent]
        if first.sent.end < len(self.doc):
            sents.append(self.doc[first.sent.end].sent)
        for s in sents:
            for t in s:
                if t.dep_ in ("nsubj", "nsubjpass") and t.i in self.ent_by_token and not self.in_quote(t.idx):
                    e = self.ent_by_token[t.i]
                    if self.label(e) == "ORG":
                        return self.canon(e)
        return None

    def _org_mentions(self) -> list[Candidate]:
        """Organisation-like mentions: ORG names, untagged proper-noun names ending in an
        organisation word ("Storm Prediction Center"), and sources after "according to"."""
        if self._orgs is not None:
            return self._orgs
        doc = self.doc
        out: list[Candidate] = []
        for e in doc.ents:
            if self.label(e) in ("ORG", "GPE", "NORP", "FAC"):
                w = 2 if role_weight(e.root) else 1
                out.append(Candidate(e.start_char, self.canon(e), self.label(e), w))
        i = 0
        while i < len(doc):
            t = doc[i]
            if t.pos_ == "PROPN" and t.text[:1].isupper() and not t.ent_type_:
                j = i
                while j + 1 < len(doc) and (doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper() or (
                        doc[j + 1].lower_ in NAME_JOINERS and j + 2 < len(doc)
                        and doc[j + 2].text[:1].isupper())):
                    j += 1
                last = doc[j]
                if last.lower_ in ORG_NOUNS and j > i:
                    out.append(Candidate(t.idx, doc[i:j + 1].text, "ORG", 2 if role_weight(last) else 1))
                i = j + 1
                continue
            if t.lower_ == "to" and i > 0 and doc[i - 1].lower_ == "according" or t.lower_ == "per":
                for c in t.children:
                    if c.dep_ == "pobj" and any(x.pos_ == "PROPN" for x in c.subtree):
                        ent = self.ent_by_token.get(c.i)
                        name = self.canon(ent) if ent is not None else clean_entity_text(noun_phrase(c).text)
                        out.append(Candidate(c.idx, name, "ORG", 2))
            i += 1
        out = [c for c in out if not self.in_quote(c.pos)]
        out.sort(key=lambda c: c.pos)
        self._orgs = out
        return out

    def _org_for(self, head: Token, pos: int) -> str | None:
        """The organisation "the <noun>" stands for: the latest one named with that word
        ("the center" -> Storm Prediction Center), else for a generic word ("the agency") the
        latest organisation that spoke, else for "the newspaper" the name after that word."""
        word = head.lower_
        pool = [c for c in self._org_mentions() if c.pos < pos and pos - c.pos <= 3000]
        for c in reversed(pool):
            if word in c.name.lower().split():
                return c.name
        if word in GENERIC_ORG_NOUNS:
            strong = [c for c in pool if c.weight >= 2 and c.label == "ORG" or c.weight >= 2 and c.label not in
                      ("GPE", "NORP")]
            if strong:
                return strong[-1].name
        if word in PAPER_NOUNS:
            # "newspaper Dagens Nyheter": the name following the word
            for t in reversed(self.doc[: head.i]):
                if t.lower_ in PAPER_NOUNS and t.i + 1 < len(self.doc) and t.nbor(1).text[:1].isupper():
                    j = t.i + 1
                    while j < len(self.doc) and self.doc[j].text[:1].isupper() and self.doc[j].pos_ == "PROPN":
                        j += 1
                    return self.doc[t.i + 1:j].text
        return None
