"""Quotes with their speakers (functional core, no dagster): ``extract_quotes`` and the
``news_quotes`` spaCy component.

``extract_quotes(doc)`` finds

* direct quotes  -- “We will respond,” he said.
* partial quotes -- complained that the volume was “extremely dangerous.”
* indirect speech -- Zelensky's office said it was demanding a ceasefire (no marks)

with straight or curly, double or single marks, nested quotes (one row each, flagged
``nested``), unbalanced marks, quotes broken by their speech tag and quotes running over
several paragraphs (one row per paragraph). Scare quotes, labels and titles are dropped.

Each speaker mention is resolved within the article by :mod:`news_etl.nlp.people`, whose
tables the ``news_people`` component builds once per Doc (``doc._.people``); the outlet
mentions come from ``news_citations`` (``doc._.outlets``). Both are built here only when the
Doc did not go through those components. ``extract_citations(doc)`` lists every outlet the
article credits ("per CNN", "reports the Washington Post", "as the BBC puts it").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from news_etl.nlp.names import clean_entity_text
from news_etl.nlp.people import ArticleContext
from news_etl.nlp.people_parse import noun_phrase, subject_of
from news_etl.nlp.extensions import FindThenAnnotate, doc_text, record_extension
from news_etl.nlp.quotes.attribution import Speaker, SpeakerFinder, is_label, nested_kind, quote_kind
from news_etl.nlp.quotes.lexicon import (
    DIRECTIVE_VERBS, GOV_VERBS, INDIRECT_VERBS, ORG_SPEAKER_PRONOUNS, PERSON_SPEAKER_PRONOUNS, QUALIFIED_UNKNOWN_HEADS,
    UNKNOWN_QUALIFIERS, UNKNOWN_SPEAKERS,
)
from news_etl.nlp.quotes.outlets import find_citations, find_outlets
from news_etl.nlp.quotes.parse import cue_text, is_speech, tok_at
from news_etl.nlp.quotes.records import Citation, Quote
from news_etl.nlp.quotes.spans import ALL_MARKS, QuoteSpan, find_quote_spans

record_extension("quotes")

#: A transcript turn: a speaker label in capitals and a colon opening the quoted words
#: ("PENCE: Well, look, …").
_TURN_LABEL_RE = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}):[^\S\n]+(?=\S)")

#: Marks that put a complement out of indirect speech (an apostrophe does not).
_QUOTING_MARKS = ALL_MARKS - {"'"}
#: An opening single mark: ‘ or ‹, or an apostrophe-like mark after a space or bracket and
#: before a letter ('like this'); a mark inside or after a word is an apostrophe (Trump’s,
#: don’t, voters’).
_OPEN_SINGLE_RE = re.compile(r"[‘‹]|(?:(?<=^)|(?<=[\s(\[]))['’](?=\w)")


def holds_quote_marks(s: str) -> bool:
    """Does ``s`` hold quotation marks? Double marks, or an opening single mark; apostrophes
    in possessives and contractions ("Trump’s", "don’t") are not quotation marks."""
    return any(ch in _QUOTING_MARKS - {"‘", "’", "‹", "›"} for ch in s) or bool(_OPEN_SINGLE_RE.search(s))


class QuoteExtractor:
    """The quotes of one Doc: quote-mark spans, their speakers, then the rows."""

    def __init__(self, doc: Doc, people: ArticleContext | None = None, outlets: list[Span] | None = None):
        self.doc = doc
        self.text = doc_text(doc)
        self.ctx = people if people is not None else ArticleContext.build(doc)
        self.outlets = outlets if outlets is not None else find_outlets(doc)
        self.finder = SpeakerFinder(doc, self.ctx, self.outlets)

    # --- quotes in marks -------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        """Direct and partial quotes (and the quotes nested in them), in text order."""
        text = self.text
        spans = find_quote_spans(text)
        self.ctx.set_quoted([(q.start, q.end) for q in spans if q.parent is None])
        rows: list[Quote | None] = [None] * len(spans)
        speakers: list[Speaker | None] = [None] * len(spans)
        turns = self._transcript_turns(spans)
        opens = sorted(q.open_mark for q in spans if q.open_mark is not None and q.parent is None
                       and len(text[q.start:q.end].split()) > 2)
        for idx, q in enumerate(spans):
            if q.parent is not None:
                continue
            next_open = next((o for o in opens if q.close_mark is not None and o > q.close_mark), None)
            if idx in turns:
                spk, outlet = turns[idx], None
            else:
                spk, outlet = self.finder.attribute(idx, spans, speakers, rows, next_open)
            kind = quote_kind(text, q, spk)
            if not self._keep(q, kind, spk):
                continue
            speakers[idx] = spk
            rows[idx] = self._row(q, kind, spk, outlet)
            self._note_speaker(spk, rows[idx])
        self._speaker_from_later_paragraph(spans, rows, speakers)
        self._nested_speakers(spans, rows)
        out = [r for r in rows if r is not None]
        out.sort(key=lambda r: r.start_char)
        return out

    def _transcript_turns(self, spans: list[QuoteSpan]) -> dict[int, Speaker]:
        """Transcript turns: quoted paragraphs that open with a speaker label in capitals and a
        colon ("“WALLACE: Let's start …” / “PENCE: Well, look …”). Two or more such turns make a
        transcript: the label is each turn's speaker and the quote starts after it."""
        found = {}
        for idx, q in enumerate(spans):
            if q.parent is not None or q.open_mark is None:
                continue
            m = _TURN_LABEL_RE.match(self.text, q.start, q.end)
            if m is None or len(m.group(1)) > 30 or len(m.group(1).replace(".", "")) < 2:
                continue
            found[idx] = m
        if len(found) < 2:
            return {}
        turns = {}
        for idx, m in found.items():
            label = self.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if label is None:
                continue
            spans[idx].start = m.end()
            turns[idx] = Speaker(label, None, ":", "turn")
        return turns

    def _keep(self, q: QuoteSpan, kind: str, spk: Speaker | None) -> bool:
        """Drop single-quoted spans without a speaker, labels and titles (unless tagged as
        direct speech), one- or two-word partial quotes without a strong cue, and partial
        quotes without a speaker."""
        if q.single and q.open_mark is not None:
            # top-level single quotes: only with a speaker and not a label
            if spk is None or spk.span is None:
                return False
        nwords = len(re.findall(r"\w+", self.text[q.start:q.end]))
        if is_label(self.doc, q) and not (spk is not None and spk.method in ("post", "pre") and nwords >= 2
                                          and kind == "direct"):
            return False
        if kind == "partial" and nwords <= 2 and not (spk is not None and (
                spk.method == "post" or (spk.method == "gov" and spk.cue is not None and (
                    spk.cue.lemma_.lower() in GOV_VERBS or is_speech(spk.cue, True))))):
            return False
        if kind == "partial" and (spk is None or spk.span is None):
            return False
        return True

    def _note_speaker(self, spk: Speaker | None, row: Quote) -> None:
        """Record a resolved speaker as a pronoun antecedent for the quotes that follow, as a
        PERSON or an organisation ("it said" -> ORG)."""
        if spk is None or spk.span is None or not row.speaker_resolved:
            return
        lab = "PERSON"
        e = self.ctx.ent_by_token.get(spk.span.root.i)
        if e is not None:
            lab = e.label_
        elif spk.span.root.lower_ in ORG_SPEAKER_PRONOUNS:
            lab = "ORG"
        elif spk.span.root.lower_ not in PERSON_SPEAKER_PRONOUNS:
            lab = "ORG" if row.speaker_resolved and not any(
                e2.label_ == "PERSON" and self.ctx.canon(e2) == row.speaker_resolved
                for e2 in self.doc.ents) else "PERSON"
        self.ctx.add_speaker(spk.span.start_char, row.speaker_resolved, lab)

    def _speaker_from_later_paragraph(self, spans: list[QuoteSpan], rows: list[Quote | None],
                                      speakers: list[Speaker | None]) -> None:
        """A quote running over paragraphs whose tag comes in a later paragraph:
        “A.  /  “B,” she said.  -> A gets B's speaker."""
        for idx in range(len(spans) - 1, -1, -1):
            q = spans[idx]
            k = q.cont_of
            if k is None or rows[idx] is None or rows[k] is None:
                continue
            weak = speakers[k] is None or speakers[k].span is None or speakers[k].method not in ("post", "pre", "turn")
            if weak and rows[idx].speaker is not None and speakers[idx] is not None and \
                    speakers[idx].method in ("post", "pre", "cont"):
                speakers[k] = speakers[idx]
                rows[k] = self._row(spans[k], rows[k].kind, speakers[idx], None, rows[idx].reported_via)

    def _nested_speakers(self, spans: list[QuoteSpan], rows: list[Quote | None]) -> None:
        """Nested quotes: the speaker of the clause around them; the outer quote then belongs
        to whoever quotes that speaker."""
        for idx, q in enumerate(spans):
            if q.parent is None or rows[q.parent] is None:
                continue
            outer = spans[q.parent]
            inner_spk = self.finder.governing(q)
            if inner_spk is None or inner_spk.span is None or inner_spk.method != "gov":
                inner_spk = None
            if inner_spk is None:
                inner_spk = self.finder.governing(QuoteSpan(outer.start, outer.end, outer.open_mark, outer.close_mark))
            row = self._row(q, nested_kind(self.text, q), inner_spk, None)
            rows[idx] = row
            prow = rows[q.parent]
            # the outer speaker must differ from the inner one: climb further for the quoter
            if inner_spk is not None and inner_spk.span is not None and prow.speaker_resolved == row.speaker_resolved \
                    and prow.speaker == row.speaker:
                higher = self.finder.governing(outer, skip_subject_of={inner_spk.span.root.i})
                if higher is not None and higher.span is not None:
                    rows[q.parent] = self._row(outer, prow.kind, higher, None, prow.reported_via)

    # --- rows ------------------------------------------------------------------------------
    def _row(self, q: QuoteSpan, kind: str, spk: Speaker | None, outlet: Span | None,
             via_name: str | None = None) -> Quote:
        """The record of one quote: an unknown speaker ("a voice", "an unidentified man") is
        left empty; the outlet that carried the words is kept unless it is the speaker."""
        text = self.text
        span = spk.span if spk is not None else None
        if span is not None and (span.root.lower_ in UNKNOWN_SPEAKERS or any(
                t.lower_ in UNKNOWN_QUALIFIERS and t.i < span.root.i for t in span)
                and span.root.lower_ in QUALIFIED_UNKNOWN_HEADS):
            span = None
        resolved = self.ctx.resolve(span) if span is not None else None
        if span is not None and spk is not None and spk.method == "turn":
            # a transcript label ("PENCE"): the article's person of that surname, else the label
            resolved = self.ctx.surnames.get(span.text.lower()) or span.text.title()
        speaker_outlet = None
        if span is not None:
            speaker_outlet = next((o for o in self.outlets if o.start >= span.start and o.end <= span.end
                                   and o.root.i == span.root.i or (o.start <= span.root.i < o.end)), None)
        via = via_name
        if via is None and outlet is not None:
            oname = clean_entity_text(outlet.text)
            if not (speaker_outlet is not None and clean_entity_text(speaker_outlet.text) == oname) and \
                    oname != resolved:
                via = oname
        tok = tok_at(self.doc, q.start)
        end_tok = tok_at(self.doc, max(q.start, q.end - 1))
        if tok is not None and end_tok is not None:
            sent = text[tok.sent.start_char:end_tok.sent.end_char].strip()
        else:
            sent = text[q.start:q.end]
        cs, ce = self._content(q, kind, spk)
        return Quote(
            quote_text=text[q.start:q.end],
            kind=kind,
            is_direct=kind == "direct",
            speaker=span.text if span is not None else None,
            speaker_start_char=span.start_char if span is not None else None,
            speaker_end_char=span.end_char if span is not None else None,
            speaker_resolved=resolved,
            cue=spk.cue_text if spk is not None else None,
            reported_via=via,
            start_char=q.start,
            end_char=q.end,
            sentence=sent,
            nested=q.parent is not None,
            content=text[cs:ce],
            content_start_char=cs,
            content_end_char=ce,
        )

    def _content(self, q: QuoteSpan, kind: str, spk: Speaker | None) -> tuple[int, int]:
        """The attributed content: the quote itself for a direct quote; for a partial quote the
        clause of the cue verb that holds it ("that the volume … was “extremely dangerous.”")."""
        if kind != "partial" or spk is None or spk.cue is None:
            return q.start, q.end
        doc = self.doc
        cue = spk.cue
        t = tok_at(doc, q.start)
        if t is None:
            return q.start, q.end
        path = t
        for _ in range(30):
            if path.head is path or path.head.i == cue.i:
                break
            path = path.head
        if path.head.i != cue.i or path.dep_ in ("nsubj", "nsubjpass", "punct", "aux", "auxpass", "neg"):
            return q.start, q.end
        lo, hi = path.left_edge, path.right_edge
        if path.dep_ in ("oprd", "xcomp", "acomp") or (path.dep_ == "prep" and path.lower_ == "as"):
            # an object and what the speaker called it: "described the law as a “crazy
            # system”", "called half of the supporters “deplorables”" -- the object belongs
            # to the content
            objs = [c for c in cue.children if c.dep_ == "dobj" and c.i < path.i]
            if objs:
                lo = objs[0].left_edge
        if spk.span is not None and spk.span.start <= hi.i and spk.span.end > lo.i:
            return q.start, q.end
        cs, ce = lo.idx, hi.idx + len(hi.text)
        # keep the closing mark inside (scorers ignore punctuation; offsets stay valid)
        cs = min(cs, q.start)
        ce = max(ce, q.end)
        return cs, ce

    # --- indirect speech -------------------------------------------------------------------
    def indirect(self, quoted: list[Quote]) -> list[Quote]:
        """Reported speech without marks, unless it holds or overlaps a quote:

        * the complement clause of a speech verb, with or without "that", before or after
          the verb ("Zelensky's office said it was demanding a ceasefire"; "The plan is dead,
          officials said");
        * a parenthetical tag inside or after the clause it reports ("The plan, he said, is
          dead" -- the parser hangs the tag on the clause as ``parataxis``);
        * the to-infinitive of a verb of ordering or promising ("urged voters to stay home",
          "vowed to fight on" -- Levin's advise / promise classes), with its addressee;
        * "according to X" -- the clause the phrase qualifies, with X as the source.
        """
        doc, text = self.doc, self.text
        marked = [(r.start_char, r.end_char) for r in quoted]
        rows: list[Quote] = []
        taken: list[tuple[int, int]] = []

        def add(left: int, right: int, subj: Span | None, cue, cue_label: str | None, method: str) -> None:
            cs = doc[left].idx
            ce = doc[right].idx + len(doc[right].text)
            # skip complements holding quotation marks (handled as direct/partial quotes)
            if holds_quote_marks(text[cs:ce]) or any(a < ce and cs < b for a, b in marked + taken):
                return
            if doc[left].lower_ == "that" and left < right:
                cs = doc[left + 1].idx
            while cs < ce and text[cs] in " ,;:\n":
                cs += 1
            while ce > cs and text[ce - 1] in " ,.;:\n":
                ce -= 1
            if len(text[cs:ce].split()) < 3 or subj is None:
                return
            q = QuoteSpan(cs, ce, None, None)
            rows.append(self._row(q, "indirect", Speaker(subj, cue, cue_label, method), self.finder.according(q)[1]))
            taken.append((cs, ce))

        for t in doc:
            if t.pos_ != "VERB":
                continue
            lem = t.lemma_.lower()
            if lem in INDIRECT_VERBS:
                comps = [c for c in t.children if c.dep_ == "ccomp"]
                if comps:
                    comp = comps[0]
                    left, right = comp.left_edge.i, comp.right_edge.i
                    if len(comps) > 1 and comps[-1].i > t.i > comp.i:
                        # "The plan, he said, is dead": one clause split by its tag
                        right = comps[-1].right_edge.i
                    add(left, right, subject_of(t), t, cue_text(t), "indirect")
                    continue
                if t.dep_ == "parataxis" and t.head.pos_ in ("VERB", "AUX") and not any(
                        c.dep_ in ("dobj", "xcomp", "advcl", "prep") for c in t.children):
                    # a parenthetical tag: the clause it hangs on, without the tag when it ends it
                    head = t.head
                    left, right = head.left_edge.i, head.right_edge.i
                    if t.left_edge.i > left and t.right_edge.i >= right - 1:
                        right = t.left_edge.i - 1
                    add(left, right, subject_of(t), t, cue_text(t), "indirect-tag")
                    continue
            if lem in DIRECTIVE_VERBS:
                xs = [c for c in t.children if c.dep_ == "xcomp" and c.i > t.i and
                      any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
                if xs:
                    objs = [c for c in t.children if c.dep_ in ("dobj", "dative") and c.i < xs[0].i]
                    left = objs[0].left_edge.i if objs else xs[0].left_edge.i
                    add(left, xs[0].right_edge.i, subject_of(t), t, cue_text(t), "indirect-directive")
        for t in doc:
            # "according to X, CLAUSE" / "CLAUSE, according to X"
            if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
                continue
            to = doc[t.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"] or \
                [c for c in t.children if c.dep_ == "pobj"]
            head = t.head
            if not objs or head.pos_ not in ("VERB", "AUX") or head.i == t.i:
                continue
            src_ok = noun_phrase(objs[0])
            left, right = head.left_edge.i, head.right_edge.i
            if t.i <= left + 1:
                # the phrase opens the sentence: the clause after it
                left = max(left, to.right_edge.i + 1)
            elif t.left_edge.i > head.i:
                # the phrase closes the clause
                right = min(right, t.left_edge.i - 1)
            if left >= right:
                continue
            add(left, right, src_ok, t, "according to", "indirect-according")
        return rows


def extract_quotes(doc: Doc, include_indirect: bool = True) -> list[Quote]:
    """Quotes of one article with their speakers, in text order (see the module docstring)."""
    ex = QuoteExtractor(doc, doc._.people, doc._.outlets)
    rows = ex.quotes()
    if include_indirect:
        rows = rows + ex.indirect(rows)
        rows.sort(key=lambda r: r.start_char)
    return rows


def extract_citations(doc: Doc) -> list[Citation]:
    """Every outlet the article credits, once per outlet (first crediting phrase)."""
    outlets = doc._.outlets if doc._.outlets is not None else find_outlets(doc)
    return find_citations(doc, outlets)


# ---------------------------------------------------------------------------------------
# spaCy component
# ---------------------------------------------------------------------------------------

class QuotesComponent(FindThenAnnotate):
    """``news_quotes``: the article's quotes (``doc._.quotes``, and ``doc.spans["quotes"]``
    labelled with the kind)."""

    def __init__(self, nlp: Language, name: str, include_indirect: bool = True):
        self.name = name
        self.include_indirect = include_indirect

    def find(self, doc: Doc) -> list[Quote]:
        return extract_quotes(doc, include_indirect=self.include_indirect)

    def set_annotations(self, doc: Doc, quotes: list[Quote]) -> None:
        doc._.quotes = quotes
        doc.spans["quotes"] = [doc.char_span(q.start_char, q.end_char, label=q.kind, alignment_mode="expand")
                               for q in quotes]


@Language.factory("news_quotes", default_config={"include_indirect": True},
                  requires=["doc._.people", "doc._.outlets", "token.dep"],
                  assigns=["doc._.quotes", "doc.spans"])
def news_quotes(nlp: Language, name: str, include_indirect: bool) -> QuotesComponent:
    """Quotes and their speakers."""
    return QuotesComponent(nlp, name, include_indirect)
