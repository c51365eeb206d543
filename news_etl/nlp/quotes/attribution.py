"""Who said a quote: the speech-tag rules, and the filters that tell a quote from a label.

Speaker rules, tried in this order for each quote (:meth:`SpeakerFinder.attribute`):

* post-tag: a tag after the closing mark -- “…,” he said / “…,” said X / “…” ― Name;
* pre-tag: a tag before the opening mark -- X said: “…” / X confirmed, “…”;
* governing verb: the speech verb the quote hangs on in the parse (partial quotes:
  complained that the volume was “extremely dangerous”);
* according to: "per X" / "according to X" in the quote's sentence (an outlet there is the
  outlet that carried the words);
* previous quote: an untagged quote right after another quote has the same speaker;
* previous statement: the subject of the speech verb in the sentence before.

Filters: :func:`is_label` (titles, names and labels in quote marks) and :func:`quote_kind`
(direct or partial).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.extensions import doc_text
from news_etl.nlp.people import ArticleContext
from news_etl.nlp.people_parse import noun_phrase, subject_of
from news_etl.nlp.quotes.lexicon import (
    BROKEN_TAG_VERBS, DEMONSTRATIVES, GOV_VERBS, LABEL_INTRO_PHRASES, LEAD_CONJUNCTIONS, OPINION_VERBS, PERSON_SPEAKER_PRONOUNS,
    SPOKE_TO_WORDS,
    TITLE_CUES, TITLE_PREPOSITIONS, TITLE_SMALL_WORDS,
)
from news_etl.nlp.quotes.outlets import outlet_at
from news_etl.nlp.quotes.parse import cue_text, is_speech, leading_np, tok_at, toks_between
from news_etl.nlp.quotes.records import Quote
from news_etl.nlp.quotes.spans import ALL_MARKS, QuoteSpan

#: The tag of the first half of a quote broken by its tag: “My hope,” he said, “is that …”.
_BROKEN_TAG_RE = re.compile(r"\b(" + "|".join(BROKEN_TAG_VERBS) + r")\b")


@dataclass
class Speaker:
    """A speaker mention with the cue that attributes the quote to it and the rule that found it."""

    span: Span | None
    cue: Token | None = None
    cue_text: str | None = None
    method: str = ""


class SpeakerFinder:
    """The speaker rules for the quotes of one Doc (the article's people and outlet mentions
    are built once and shared)."""

    def __init__(self, doc: Doc, ctx: ArticleContext, outlets: list[Span]):
        self.doc = doc
        self.text = doc_text(doc)
        self.ctx = ctx
        self.outlets = outlets

    def attribute(self, idx: int, spans: list[QuoteSpan], speakers: list[Speaker | None],
                  rows: list[Quote | None], next_open: int | None) -> tuple[Speaker | None, Span | None]:
        """(speaker, outlet that carried the words) of top-level quote ``spans[idx]``, trying the
        rules in the module docstring's order; ``speakers`` and ``rows`` hold the earlier quotes."""
        q = spans[idx]
        spk = None
        if q.cont_of is not None:
            # a paragraph continuing a quote: its own tag, else the quote's speaker
            spk = self.post_tag(q, next_open)
            if (spk is None or spk.span is None) and speakers[q.cont_of] is not None:
                spk = speakers[q.cont_of]
                spk = Speaker(spk.span, spk.cue, spk.cue_text, "cont")
        if spk is None:
            spk = self.post_tag(q, next_open)
        if spk is None:
            spk = self.pre_tag(q)
        if spk is None:
            pre = quote_kind(self.text, q, None)
            if pre == "partial" or q.single:
                spk = self.governing(q)
        src, outlet = self.according(q)
        if spk is None and src is not None:
            spk = src
        if spk is None or spk.span is None:
            spk = self._untagged(idx, spans, speakers, rows) or spk
        return spk, outlet

    def _untagged(self, idx: int, spans: list[QuoteSpan], speakers: list[Speaker | None],
                  rows: list[Quote | None]) -> Speaker | None:
        """Speaker of an untagged quote, carried through the discourse: a speaker introduced
        between the previous quote and this one wins; else the previous quote's speaker (a run
        of quotes, an interview answer after a question); else the speaker introduced in the
        sentences before."""
        q = spans[idx]
        direct = quote_kind(self.text, q, None) == "direct"
        prev_i = next((k for k in range(idx - 1, -1, -1) if spans[k].parent is None and rows[k] is not None), None)
        stop = 0
        if prev_i is not None:
            stop = (spans[prev_i].close_mark or spans[prev_i].end) + 1
        ps = self.previous_statement(q, stop, direct)
        if ps is not None:
            return ps
        return previous_quote_speaker(self.text, idx, spans, speakers, rows)

    def post_tag(self, q: QuoteSpan, next_open: int | None) -> Speaker | None:
        """Speech tag after the closing mark: “…,” he said / “…,” said X / “…” Kelce shared /
        “…” ― Steve Quinlan."""
        if q.close_mark is None:
            return None
        doc, text = self.doc, self.text
        qtext = text[q.start:q.end]
        after = q.close_mark + 1
        limit = text.find("\n", after)
        limit = len(text) if limit < 0 else limit
        if next_open is not None:
            limit = min(limit, next_open)
        sp = toks_between(doc, after, limit)
        if sp is None or len(sp) == 0:
            return None
        first = next((t for t in sp if not t.is_space), None)
        if first is None:
            return None
        ends_sentence = qtext.rstrip()[-1:] in ".!?"
        full_stop = qtext.rstrip()[-1:] == "." and not (first.text[:1].islower() or first.is_punct)
        toks = [t for t in sp if not t.is_space and t.idx >= after][:40]
        dash = self._dash_tag(after, limit)
        if dash is not None:
            return dash
        if toks and toks[0].text in (".", ";", "!", "?"):
            # “…”. X said …: the full stop after the closing mark ends the quote's sentence, so a
            # tag after it belongs to the next sentence
            return None
        for k, t in enumerate(toks):
            if t.text in (".", ";", "!", "?") and k > 0:
                break
            if t.pos_ in ("VERB", "AUX") and is_speech(t, strict=True):
                if any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) or any(
                        b.pos_ == "CCONJ" and k2 > 0 and toks[k2 - 1].text == "," for k2, b in enumerate(toks[:k])):
                    # an infinitive ("… for him to speak") or a verb of a new coordinated clause
                    # (“…” in response, and he urged …) is not the quote's speech tag
                    break
                is_tag, subj = self._tag_subject(toks, k, sp, q, ends_sentence, full_stop)
                if not is_tag:
                    break
                if subj is not None and subj.start_char < after:
                    return None
                return Speaker(subj, t, cue_text(t), "post")
            if t.lower_ in ("according", "per") and k <= 1:
                return None
            if k >= 10 and t.text in (".", ";", "“", '"'):
                break
        return None

    def _dash_tag(self, after: int, limit: int) -> Speaker | None:
        """A name after a dash: "“…” ― Steve Quinlan." / "“…” - Name, city"."""
        doc, text = self.doc, self.text
        m = re.match(r"[^\S\n]*([―—–]|--?)[^\S\n]*(?=[A-Z])", text[after:limit])
        if m:
            name_tok = tok_at(doc, after + m.end())
            if name_tok is not None and name_tok.pos_ == "PROPN" and name_tok.idx == after + m.end():
                e = self.ctx.ent_by_token.get(name_tok.i)
                if e is not None and e.label_ == "PERSON":
                    span = e
                else:
                    j = name_tok.i
                    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].idx < limit:
                        j += 1
                    span = doc[name_tok.i:j + 1]
                return Speaker(span, None, m.group(1), "post")
        return None

    def _tag_subject(self, toks: list[Token], k: int, sp: Span, q: QuoteSpan, ends_sentence: bool,
                     full_stop: bool) -> tuple[bool, Span | None]:
        """(is a tag, subject) for the speech verb ``toks[k]`` after a quote: “…,” Flynn, a
        surrogate, said / “…,” said Jessica Dorsey. Not a tag when the verb is too far from the
        mark or another clause comes first."""
        t = toks[k]
        between = toks[:k]
        subj = subject_of(t)
        lead = leading_np(toks, k)
        if lead is not None and (subj is None or not (toks[0].i <= subj.start and subj.end <= t.i)):
            # the parse put the subject elsewhere; the name right after the mark wins
            subj = lead
        starts_tag = subj is not None and subj.start <= toks[0].i + 1 and subj.start >= toks[0].i
        if k > 9 and not starts_tag:
            return False, None
        if any(b.pos_ == "VERB" and not b.text[:1].isupper() for b in between) and not starts_tag:
            return False, None
        if ends_sentence and k > 4 and not starts_tag:
            return False, None
        if full_stop:
            # “…” Obama said.  (a full stop inside the marks, then a short tag)
            if not starts_tag or k > 6 or any(c.dep_ in ("ccomp", "xcomp") and c.i > t.i for c in t.children):
                return False, None
        if subj is None or subj.start < sp.start - 0 and subj.end_char > q.start:
            # inverted order: "said Jessica Dorsey"
            subj = None
            nxt = [x for x in toks[k + 1:] if not x.is_punct]
            if nxt and nxt[0].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"):
                head = nxt[0]
                while head.head is not head and head.head.i > t.i and head.dep_ in (
                        "compound", "det", "amod", "poss", "case", "nummod"):
                    head = head.head
                subj = noun_phrase(head)
            elif between:
                nouns = [b for b in between if b.pos_ in ("PROPN", "NOUN", "PRON")]
                if nouns:
                    subj = noun_phrase(nouns[-1])
        return True, subj

    def pre_tag(self, q: QuoteSpan) -> Speaker | None:
        """Tag before the opening mark: X said: “…” / X confirmed, “…” / warning: “…”."""
        if q.open_mark is None:
            return None
        doc, text = self.doc, self.text
        j = q.open_mark - 1
        while j >= 0 and text[j] in " \t\n":
            j -= 1
        if j < 0 or text[j] not in ":,":
            return None
        colon = text[j] == ":"
        if "\n" in text[j:q.open_mark] and not colon:
            return None
        # a paragraph ending in a colon introduces the quote that opens the next one
        # ("Caddell continued:  ¶  “The health issue …”")
        para_start = text.rfind("\n", 0, j) + 1
        sp = toks_between(doc, para_start, j)
        if sp is None or len(sp) == 0:
            return None
        # nearest speech verb before the mark in the same sentence
        for t in reversed(list(sp)):
            if t.text in (".", "!", "?", "”", '"') and t.i < sp.end - 1:
                break
            if is_speech(t):
                subj = subject_of(t)
                if subj is None and t.i + 1 < sp.end and doc[t.i + 1].pos_ in ("PROPN", "NOUN", "DET"):
                    # inverted tag before the mark: "Said Ellis: “…”"
                    head = doc[t.i + 1]
                    while head.head is not head and head.head.i > t.i and head.head.i < sp.end and \
                            head.dep_ in ("compound", "det", "amod", "poss", "case"):
                        head = head.head
                    np = noun_phrase(head)
                    subj = doc[max(np.start, t.i + 1):max(np.end, t.i + 2)]
                return Speaker(subj, t, cue_text(t), "pre")
        if colon:
            # "… rolling out a new campaign message: “It's about me.”": the clause's subject
            root = sp[-1]
            while root.head.i != root.i and root.head.i < sp.end:
                root = root.head   # the clause before the colon, even when the parse hangs it on the quote
            if root.pos_ in ("VERB", "AUX"):
                subj = subject_of(root)
                if subj is not None and subj.end <= sp.end and (subj.root.pos_ in ("PROPN", "NOUN") or
                                                                subj.root.lower_ in PERSON_SPEAKER_PRONOUNS):
                    return Speaker(subj, root, cue_text(root), "pre-colon")
        return None

    def governing(self, q: QuoteSpan, skip_subject_of: set[int] | None = None) -> Speaker | None:
        """Speech verb governing the quote in the dependency tree (partial quotes)."""
        doc = self.doc
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        inside = set(range(span.start, span.end))
        # tokens in the quote whose head is outside: the attachment points
        attach = [t for t in span if t.head.i not in inside or t.head is t]
        heads = []
        for t in attach:
            h = t.head if t.head.i not in inside else t
            heads.append(h)
        fallback = None
        for h in heads:
            v = h
            opinion = None
            seen = 0
            while seen < 30:   # the whole head chain: the speech verb can sit high above
                seen += 1
                if v.i not in inside and v.pos_ in ("VERB", "AUX") or (v.i in inside and v.head is v and v.pos_ in ("VERB", "AUX")):
                    subj = subject_of(v)
                    if subj is not None and (subj.start in inside or (
                            len(subj) == 1 and subj.root.lower_ in DEMONSTRATIVES)):
                        # a subject inside the quote, or a demonstrative ("said that was not
                        # her view and dismissed …" parsed with "that" as subject), never speaks
                        subj = None
                    if subj is not None and (skip_subject_of is None or subj.root.i not in skip_subject_of):
                        if v.lemma_.lower() in GOV_VERBS and is_speech(v):
                            return Speaker(subj, v, cue_text(v), "gov")
                        if v.lemma_.lower() in OPINION_VERBS and opinion is None:
                            # a verb of judging inside a reported clause ("told them he would
                            # consider it a “personal insult”"): the speech verb above reports it
                            opinion = Speaker(subj, v, cue_text(v), "gov")
                        if fallback is None and v.i not in inside and self._speaker_like(subj):
                            fallback = Speaker(subj, v, cue_text(v), "gov-fallback")
                        if fallback is None and v.i in inside:
                            fallback = Speaker(subj, None, None, "gov-inside")
                if v.head is v:
                    break
                v = v.head
            if opinion is not None:
                return opinion
        if fallback is None and span[0].pos_ in ("VERB", "AUX") and span[0].tag_ in ("VBD", "VBZ", "VBP"):
            # the quote starts with the verb: its subject is the noun phrase right before it
            np = self._np_before(q.open_mark if q.open_mark is not None else q.start)
            if np is not None:
                return Speaker(np, None, None, "gov-before")
        return fallback

    def _speaker_like(self, subj: Span) -> bool:
        """Can the subject of a non-speech verb stand for whoever speaks? A name, a person or
        organisation entity, or a personal pronoun -- not a common noun phrase ("a machine",
        "the question") nor "it"."""
        root = subj.root
        if root.lower_ in PERSON_SPEAKER_PRONOUNS or root.lower_ in ("they", "we"):
            return True
        ent = self.ctx.ent_by_token.get(root.i)
        return root.pos_ == "PROPN" or (ent is not None and ent.label_ in ("PERSON", "ORG", "NORP"))

    def _np_before(self, char: int) -> Span | None:
        """The noun phrase right before char ``char``, past any parenthesis (same sentence)."""
        doc = self.doc
        t = tok_at(doc, char)
        if t is None:
            return None
        i = t.i - 1
        depth = 0
        while i >= 0:
            x = doc[i]
            if x.text == ")":
                depth += 1
            elif x.text == "(":
                depth -= 1
            elif depth == 0 and not x.is_punct:
                break
            elif depth == 0 and x.text in ".!?;:":
                return None
            i -= 1
        if i < 0 or doc[i].pos_ not in ("PROPN", "NOUN", "PRON"):
            return None
        return noun_phrase(doc[i])

    def according(self, q: QuoteSpan) -> tuple[Speaker | None, Span | None]:
        """'per X' / 'according to X' / 'reports X' in the quote's sentence: (source, outlet)."""
        doc = self.doc
        tok = tok_at(doc, q.start)
        end_tok = tok_at(doc, max(q.start, q.end - 1))
        if tok is None or end_tok is None:
            return None, None
        sent_start = tok.sent.start
        sent_end = end_tok.sent.end
        # extend over the tag sentence that follows a quote ending in punctuation
        if sent_end < len(doc) and (q.close_mark is not None):
            ct = tok_at(doc, q.close_mark)
            if ct is not None:
                sent_end = max(sent_end, ct.sent.end)
        src, outlet = None, None
        for t in doc[sent_start:sent_end]:
            if q.start <= t.idx < q.end:
                continue
            low = t.lower_
            if t.lemma_.lower() in ("tell", "interview") and t.pos_ == "VERB" or (
                    low == "with" and t.i > 0 and doc[t.i - 1].lower_ in ("interview", "conversation")) or (
                    low == "to" and t.i > 0 and doc[t.i - 1].lower_ in SPOKE_TO_WORDS):
                # "told CNN", "in an interview with the BBC": the outlet carried the words
                for c in t.children:
                    if c.dep_ in ("dobj", "dative", "pobj"):
                        o = outlet_at(self.outlets, c)
                        if o is not None:
                            outlet = outlet or o
                continue
            if low == "per" or (low == "to" and t.i > 0 and doc[t.i - 1].lower_ == "according") or (
                    low == "via" and t.i > 0):
                objs = [c for c in t.children if c.dep_ == "pobj"]
                if not objs and t.i + 1 < len(doc):
                    nxt = doc[t.i + 1]
                    objs = [nxt.head if nxt.dep_ in ("det", "compound") and nxt.head.i > t.i else nxt]
                for ob in objs:
                    np = noun_phrase(ob)
                    o = outlet_at(self.outlets, ob) or next(
                        (x for x in self.outlets if x.start >= np.start and x.end <= np.end), None)
                    if o is not None:
                        outlet = outlet or o
                    else:
                        src = src or Speaker(np, t, "according to" if low == "to" else low, "according")
        return src, outlet

    def previous_statement(self, q: QuoteSpan, stop: int = 0, person_subject: bool = True) -> Speaker | None:
        """Speaker introduced in the sentences right before an untagged quote (up to three back,
        none before char ``stop``, none holding a quote): the subject of a speech verb at any
        depth ("…, he claims.", "…, said Ms Deans."), else a person who is the subject of the
        sentence that introduces the quote ("Mr Brown outlined his view.")."""
        doc = self.doc
        tok = tok_at(doc, q.open_mark if q.open_mark is not None else q.start)
        if tok is None:
            return None
        s = tok.sent
        for _ in range(3):
            if s.start == 0 or doc[s.start - 1].idx < stop:
                break
            s = doc[s.start - 1].sent
            lo = s.start
            while lo < s.end and doc[lo].idx < stop:
                lo += 1
            part = doc[lo:s.end]
            if len(part) == 0 or any(t.text in ALL_MARKS - {"'", "’"} or self.ctx.in_quote(t.idx) for t in part):
                return None
            spk = self._statement_in(part, person_subject)
            if spk is not None:
                return spk
        return None

    def _statement_in(self, sent: Span, person_subject: bool = True) -> Speaker | None:
        """The speaker a sentence introduces: the subject of its reporting speech verb, else its
        root's subject when that is a person or a personal pronoun."""
        def depth(t: Token) -> int:
            return sum(1 for _ in t.ancestors)

        # the reporting clause first: the speech verb nearest the root ("X warned that
        # developers must tell …" -> X), then the last one
        verbs = [t for t in sent if t.pos_ in ("VERB", "AUX") and is_speech(t, strict=True)]
        for t in sorted(verbs, key=lambda t: (depth(t), -t.i)):
            subj = subject_of(t)
            if subj is not None and (subj.start < sent.start or self.ctx.in_quote(subj.start_char)):
                # the parse gave the verb a second subject inside the quote before the tag
                # (“My reaction …,” the strategist said): the subject in the tag speaks
                own = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i >= sent.start
                       and not self.ctx.in_quote(c.idx)]
                subj = noun_phrase(own[0]) if own else None
            if subj is not None and subj.root.pos_ in ("PROPN", "NOUN", "PRON") and \
                    subj.root.lower_ not in ("it", "there", "this", "that"):
                return Speaker(subj, t, cue_text(t), "prev-sent")
        subj = subject_of(sent.root) if person_subject and sent.root.pos_ in ("VERB", "AUX") else None
        if subj is not None and (subj.root.lower_ in PERSON_SPEAKER_PRONOUNS or any(
                self.ctx.ent_by_token.get(t.i) is not None and self.ctx.ent_by_token[t.i].label_ == "PERSON"
                for t in subj)):
            return Speaker(subj, sent.root, cue_text(sent.root), "prev-sent")
        return None


def previous_quote_speaker(text: str, idx: int, spans: list[QuoteSpan], speakers: list[Speaker | None],
                           rows: list[Quote | None]) -> Speaker | None:
    """An untagged quote right after another quote has that quote's speaker: in the same
    paragraph, in the next one after the tag (“…,” Donna Kelce said. ¶ “Every week …”), or
    after a short aside or interviewer's question that names no new speaker."""
    q = spans[idx]
    prev_i = next((k for k in range(idx - 1, -1, -1) if spans[k].parent is None and rows[k] is not None), None)
    para_start = text.rfind("\n", 0, q.open_mark or q.start) + 1
    if prev_i is not None and speakers[prev_i] is not None and speakers[prev_i].span is not None:
        pq = spans[prev_i]
        gap = text[(pq.close_mark or pq.end) + 1:(q.open_mark or q.start)]
        cue_in_gap = speakers[prev_i].cue is not None and \
            (pq.close_mark or pq.end) < speakers[prev_i].cue.idx < (q.open_mark or q.start)
        only_marks = re.sub(r"[\W_]", "", gap) == ""
        if (pq.end >= para_start and (len(gap.strip()) < 100 or cue_in_gap)) or only_marks or (
                cue_in_gap and len(gap.strip()) < 100) or (
                gap.count("\n") <= 2 and len(gap.strip()) < 300):
            return Speaker(speakers[prev_i].span, speakers[prev_i].cue, speakers[prev_i].cue_text, "prev-quote")
    return None


# ---------------------------------------------------------------------------------------
# Filters and kinds
# ---------------------------------------------------------------------------------------

def is_label(doc: Doc, q: QuoteSpan) -> bool:
    """Titles, names and labels in quote marks (“The Alchemy”, “PRESS”, “one country, two
    systems” formula)."""
    text = doc_text(doc)
    qt = text[q.start:q.end]
    words = re.findall(r"[\w’'-]+", qt)
    if not words:
        return True
    if qt.isupper() and len(words) <= 3:
        return True
    caps = [w for w in words if w.lower() not in TITLE_SMALL_WORDS]
    title_case = caps and all(w[:1].isupper() or w[:1].isdigit() for w in caps)
    before = text[max(0, (q.open_mark or q.start) - 40):(q.open_mark or q.start)].lower()
    prev_word = re.findall(r"[\w’'-]+", before)[-1:] or [""]
    if title_case and len(words) <= 8 and qt.rstrip()[-1:] not in ".?!" and (qt.rstrip()[-1:] != "," or len(words) >= 2) and (
            len(words) >= 2 or prev_word[0] in TITLE_CUES or (q.open_mark and text[q.open_mark - 1:q.open_mark] != " ")):
        # a capitalised phrase not ending like speech: a title, unless a speech tag follows at once
        return True
    if title_case and prev_word[0] in TITLE_CUES and len(words) <= 8:
        return True
    if before.rstrip().endswith(LABEL_INTRO_PHRASES) and len(words) <= 6:
        return True
    if title_case and len(words) <= 8 and len(words) >= 2 and (
            prev_word[0] in TITLE_PREPOSITIONS or before.rstrip().endswith(("'s", "’s"))):
        # “State of the Union.” after "on CNN's": a programme title
        return True
    # the quote modifies a noun that follows it: “one country, two systems” formula
    if q.close_mark is not None and len(words) <= 6 and qt.rstrip()[-1:] not in ",.?!":
        nt = tok_at(doc, q.close_mark + 1) if q.close_mark + 1 < len(text) and text[q.close_mark + 1] != " " else None
        if nt is None and q.close_mark + 2 < len(text):
            nt = tok_at(doc, q.close_mark + 2)
        if nt is not None and nt.idx > q.close_mark and nt.pos_ == "NOUN" and nt.text.islower() and \
                nt.dep_ not in ("nsubj", "dobj"):
            return True
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is not None and len(words) <= 6 and q.close_mark is not None:
        inside = set(range(span.start, span.end))
        outs = [t for t in span if t.head.i not in inside]
        if outs and all(t.dep_ in ("compound", "amod", "nmod", "nummod") and t.head.i >= span.end
                        and t.head.pos_ in ("NOUN", "PROPN") for t in outs):
            return True
    return False


def quote_kind(text: str, q: QuoteSpan, speaker: Speaker | None) -> str:
    """direct: the quote opens a sentence or a paragraph, follows a colon, or is the second half
    of a quote broken by its tag; partial: it sits inside the writer's sentence ("called it
    “extremely dangerous”")."""
    if q.cont_of is not None or q.open_mark is None:
        return "direct"
    qt = text[q.start:q.end]
    j = q.open_mark - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    prev = text[j] if j >= 0 else "\n"
    if prev in "\n.!?:" or j < 0:
        return "direct"
    if prev == ",":
        if re.search(r"\bthat\s*$", text[max(0, j - 12):j]):
            # "said that, “Of course we will …”": the quote is the writer's that-clause
            return "partial"
        if qt[:1].isupper() or qt[:1] in "‘'\"“":
            return "direct"
        # second half of a quote broken by its tag: “My hope,” he said, “is that …”
        window = text[max(0, q.open_mark - 90):q.open_mark]
        last_close = max(window.rfind(c) for c in "”\"")
        if last_close >= 0 and "\n" not in window[last_close:] and window[max(0, last_close - 1)] in ",!?" and \
                _BROKEN_TAG_RE.search(window[last_close:]):
            return "direct"
        return "partial"
    if prev in "”\"’'":
        return "direct"
    # a sentence-initial conjunction or adverb only ("But “let them try…,” he said")
    k = j
    while k >= 0 and text[k] not in ".!?\n:;":
        k -= 1
    lead = text[k + 1:q.open_mark].strip()
    lead_words = lead.split()
    if len(lead_words) <= 2 and all(w.lower().strip(",") in LEAD_CONJUNCTIONS for w in lead_words):
        if speaker is not None and speaker.method == "post":
            return "direct"
    return "partial"


def nested_kind(text: str, q: QuoteSpan) -> str:
    """A nested quote is direct when it opens its clause (after a mark, a colon or a comma)."""
    j = (q.open_mark or q.start) - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return "direct" if j < 0 or text[j] in "“\":,\n" else "partial"
