"""Rule-based speaker resolution within one article (functional core, no dagster).

Resolves a speaker mention (a spaCy span) to the fullest name the article gives:

* a PERSON or ORG name -> its canonical name in the article (surname -> full name,
  first name -> full name when unique, acronym -> its spelled-out form);
* a pronoun -> the most recent compatible speaker or subject before it;
* "the statement" / "TNO's report" -> the organisation that issued it, when named;
* "the department" / "the center" -> the most recent organisation whose name holds that
  word, else the most recent organisation that spoke;
* a title or description ("the spokesman", "China's ambassador to Britain") -> the person
  the article names with that title, when exactly one; otherwise ``None``.

Indefinite descriptions ("an aide", "an officer", "two activists") stay unresolved.

The lookup tables are built once per Doc by the ``news_people`` pipeline component
(``doc._.people``); the quote extractor reuses them. The word lists live in
:mod:`news_etl.nlp.people_lexicon`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from news_etl.nlp.extensions import FindThenAnnotate, state_extension
from news_etl.nlp.names import canonical_names, clean_entity_text, guess_genders
from news_etl.nlp.people_lexicon import (
    ALIAS_LEADING_WORDS, ARTICLES, BAD_SUBJECT_ENTS, DEFINITE_DETS, DOC_NOUNS, FEMALE_PRONOUNS,
    GENERIC_ORG_NOUNS, GPE_ALIASES, INDEFINITE_DETS, ISSUER_PREPOSITIONS, IT_PRONOUNS,
    MALE_PRONOUNS, NAME_JOINERS, NP_PREPOSITIONS, ORG_LABELS, ORG_NOUNS, PAPER_NOUNS,
    PERSON_PRONOUNS, POSSESSED_BODY_NOUNS, POSSESSED_ROLE_NOUNS, PRONOUNS, QUANTITY_WORDS,
    RELATIVE_PRONOUNS, SPEAKER_LABELS, THEY_PRONOUNS,
)

state_extension("people")

_ACRONYM_RE = re.compile(r"([A-Z][\w'’&.-]*(?:\s+(?:of|for|and|the|on|de|&|[A-Z][\w'’&.-]*))*\s+[A-Z][\w'’&.-]*)\s*\(([A-Z][A-Za-z&.]{1,9})\)")


def _norm(s: str) -> str:
    """A description as a lookup key: lower case, no leading article ("The Spokesman," -> spokesman)."""
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip(), flags=re.I)
    return " ".join(s.lower().split()).strip(" ,.;:")


@dataclass
class Candidate:
    pos: int            # char offset of the mention
    name: str           # resolved name
    label: str          # PERSON / ORG / ...
    weight: int = 1     # 2 = a speaker or a sentence subject


@dataclass
class ArticleContext:
    """Per-article lookup tables built once (``ArticleContext.build(doc)``).

    ``set_quoted`` starts one quote extraction: it records the quoted spans and clears what
    the previous extraction added (speakers, the organisation mentions filtered by quotes),
    so extracting twice from the same Doc gives the same result.
    """

    doc: Doc
    ent_canon: dict[tuple[int, int], str] = field(default_factory=dict)   # (start, end) token -> name
    ent_by_token: dict[int, Span] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)          # description -> names
    candidates: list[Candidate] = field(default_factory=list)           # sorted by pos
    speakers: list[Candidate] = field(default_factory=list)             # added while extracting
    genders: dict[str, str] = field(default_factory=dict)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    _orgs: list[Candidate] | None = None
    quoted_starts: list[int] = field(default_factory=list)

    # ------------------------------------------------------------------
    @classmethod
    def build(cls, doc: Doc) -> "ArticleContext":
        ctx = cls(doc)
        ents = list(doc.ents)
        names = canonical_names(ents)
        full_names = {n for e, n in zip(ents, names) if e.label_ == "PERSON" and len(n.split()) >= 2}
        by_last: dict[str, set[str]] = {}
        for n in full_names:
            by_last.setdefault(n.split()[-1].lower(), set()).add(n)
        ctx.surnames = {k: next(iter(v)) for k, v in by_last.items() if len(v) == 1}
        ctx.acronyms = _acronyms(doc.text)
        # an organisation named in full, then by its initials: "National Audit Office" … "the NAO"
        for e in ents:
            full = clean_entity_text(e.text)
            words = [w for w in full.split() if w.lower() not in ARTICLES]
            if e.label_ in ORG_LABELS and len(words) >= 2 and all(w[:1].isupper() for w in words):
                ctx.acronyms.setdefault("".join(w[0] for w in words).lower(), " ".join(words))
        for e, n in zip(ents, names):
            if e.label_ == "PERSON":
                # kept equal to news_etl.nlp.names.canonical_names (the entity table's key), so a
                # lone first name ("Donna") stays as written
                pass
            elif e.label_ in ORG_LABELS:
                key = n.lower().replace(".", "")
                if key in ctx.acronyms:
                    n = ctx.acronyms[key]
                elif n.lower() in GPE_ALIASES:
                    n = GPE_ALIASES[n.lower()]
            ctx.ent_canon[(e.start, e.end)] = n
            for t in range(e.start, e.end):
                ctx.ent_by_token[t] = e
        ctx.aliases = _person_aliases(doc, ctx.canon)
        ctx.genders = guess_genders(doc, ctx.canon, ctx.in_quote)
        ctx._build_candidates()
        return ctx

    # ------------------------------------------------------------------
    def canon(self, ent: Span) -> str:
        """The entity's name in the article (surname -> full name, acronym -> spelled out)."""
        return self.ent_canon.get((ent.start, ent.end)) or clean_entity_text(ent.text)

    def _build_candidates(self) -> None:
        """Antecedents for pronouns: PERSON, ORG, NORP and GPE mentions, weighted up as a
        sentence subject or the name apposed or compounded to one ("Spokesman Dmitry Peskov said")."""
        cands = []
        for e in self.doc.ents:
            if e.label_ not in ("PERSON",) and e.label_ not in ("ORG", "NORP", "GPE"):
                continue
            w = 2 if e.root.dep_ in ("nsubj", "nsubjpass") or (
                e.root.dep_ in ("appos", "compound") and e.root.head.dep_ in ("nsubj", "nsubjpass")) else 1
            cands.append(Candidate(e.start_char, self.canon(e), e.label_, w))
        cands.sort(key=lambda c: c.pos)
        self.candidates = cands

    # ------------------------------------------------------------------
    def add_speaker(self, pos: int, name: str | None, label: str) -> None:
        """A resolved speaker becomes the strongest antecedent for the pronouns after it."""
        if name:
            self.speakers.append(Candidate(pos, name, label, 3))

    def _recent(self, pos: int, labels: set[str], gender: str | None = None,
                window: int = 1500) -> str | None:
        """Anaphora: the most recent compatible mention before ``pos`` (within ``window`` chars),
        outside quotes when possible, of the pronoun's gender when known."""
        pool = [c for c in self.candidates + self.speakers
                if c.pos < pos and c.label in labels and pos - c.pos <= window]
        if not pool:
            return None
        pool = [c for c in pool if not self.in_quote(c.pos)] or pool
        if gender:
            ok = [c for c in pool if self.genders.get(c.name, gender) == gender]
            pool = ok or pool
        # recency, with a small preference for speakers and sentence subjects
        best = max(pool, key=lambda c: c.pos + 200 * (c.weight >= 2))
        return best.name

    def _salient_subject(self, pron: Token, labels: set[str], gender: str | None,
                         sentences: int = 4, depth: int = 0) -> str | None:
        """Centering: a pronoun continues the subject of the discourse -- the nearest subject
        before it (in its own sentence, then the main subject of each earlier sentence) that
        agrees with it: an entity of the right kind and gender (titles, given names, earlier
        pronouns), written outside quotes. Pronouns and descriptions the text does not tie to
        a name are passed over (they continue the same chain); a plural name ("Lib Dems") is
        not a he/she antecedent."""
        doc = self.doc
        sent = pron.sent
        # own sentence: subjects of the clauses the pronoun's clause hangs on ("X said he …")
        ancestors = {a.i for a in pron.head.ancestors}
        own = [t for t in sent if t.i < pron.i and t.dep_ in ("nsubj", "nsubjpass") and t.head.i in ancestors]
        groups = [sorted(own, key=lambda t: -t.i)]
        s = sent
        for _ in range(sentences):
            if s.start == 0:
                break
            s = doc[s.start - 1].sent
            # earlier sentences: the subject of the main clause (and of clauses joined to it)
            mains = {s.root.i} | {c.i for c in s.root.children if c.dep_ == "conj"}
            groups.append([t for t in s if t.dep_ in ("nsubj", "nsubjpass") and t.head.i in mains])
        for subs in groups:
            for t in subs:
                if self.in_quote(t.idx):
                    continue
                name = self._agreeing_name(t, labels, gender)
                if name is not None:
                    return name
                if depth < 6 and t.lower_ in (MALE_PRONOUNS if gender == "m" else FEMALE_PRONOUNS if gender == "f"
                                              else IT_PRONOUNS if "ORG" in labels else ()):
                    # the same pronoun earlier: it continues that pronoun's chain
                    return self._salient_subject(t, labels, gender, sentences, depth + 1)
        return None

    def _agreeing_name(self, t: Token, labels: set[str], gender: str | None) -> str | None:
        """The name of subject ``t`` (its entity, or a name apposed to it) when it agrees with
        a pronoun of kind ``labels`` and ``gender``."""
        ent = self.ent_by_token.get(t.i)
        if ent is None:
            ent = next((self.ent_by_token[c.i] for c in t.children
                        if c.dep_ in ("appos", "compound") and c.i in self.ent_by_token), None)
        if ent is None:
            if "PERSON" in labels and t.pos_ == "PROPN" and t.lower_ in self.surnames:
                # a surname the tagger missed ("Mr Balls, who …, had suggested")
                name = self.surnames[t.lower_]
                return name if not gender or self.genders.get(name, gender) == gender else None
            return None
        label = "ORG" if ent.label_ in ORG_LABELS else ent.label_
        if label not in labels or ("PERSON" in labels and t.tag_ in ("NNPS", "NNS")):
            return None
        name = self.canon(ent)
        if gender and self.genders.get(name, gender) != gender:
            return None
        return name

    def _next(self, pos: int, labels: set[str], gender: str | None = None, window: int = 800) -> str | None:
        """Cataphora (a headline pronoun before any name): the first compatible subject after."""
        pool = [c for c in self.candidates if c.pos > pos and c.label in labels and c.pos - pos <= window
                and c.weight >= 2 and not self.in_quote(c.pos)]
        if gender:
            pool = [c for c in pool if self.genders.get(c.name, gender) == gender]
        return pool[0].name if pool else None

    def in_quote(self, pos: int) -> bool:
        """Is char ``pos`` inside a quote (words in a quote are not the writer's mentions)?"""
        i = bisect_right(self.quoted_starts, pos) - 1
        return i >= 0 and pos < self.quoted[i][1]

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        """Start a quote extraction over the quoted char ``spans`` (see the class docstring)."""
        self.quoted = sorted(spans)
        self.quoted_starts = [a for a, _ in self.quoted]
        self.speakers = []
        self._orgs = None
        self.genders = guess_genders(self.doc, self.canon, self.in_quote)

    # ------------------------------------------------------------------
    def resolve(self, span: Span | None, pos: int | None = None) -> str | None:
        """The fullest name for the speaker mention ``span`` (or None): an apposed name, a
        pronoun's antecedent, a surname's full name, an entity's canonical name, a name
        attached to a title ("ambassador Liu Xiaming"), else a description (see
        :meth:`_resolve_description`)."""
        if span is None or len(span) == 0:
            return None
        pos = span.start_char if pos is None else pos
        head = span.root
        low = head.lower_
        # a name in apposition: "One of the protesters, Hayley Walsh,"
        for c in head.children:
            if c.dep_ == "appos" and c.i in self.ent_by_token and self.ent_by_token[c.i].label_ == "PERSON":
                return self.canon(self.ent_by_token[c.i])
        # pronouns
        if head.pos_ == "PRON" or low in PRONOUNS:
            if low in PERSON_PRONOUNS:
                g = "m" if low in MALE_PRONOUNS else "f" if low in FEMALE_PRONOUNS else None
                return (self._salient_subject(head, {"PERSON"}, g) or self._recent(pos, {"PERSON"}, g)
                        or self._next(pos, {"PERSON"}, g))
            if low in IT_PRONOUNS:
                return self._salient_subject(head, {"ORG"}, None) or self._recent(pos, {"ORG", "NORP", "GPE"})
            if low in THEY_PRONOUNS:
                return self._recent(pos, {"ORG", "NORP", "GPE"}) or None
            return None
        # a speaker named by a surname the tagger missed or mislabelled ("Kuleba said")
        ent = self.ent_by_token.get(head.i)
        if head.pos_ == "PROPN" and (ent is None or ent.label_ != "PERSON") and \
                (ent is None or len(ent) == 1) and head.lower_ in self.surnames:
            return self.surnames[head.lower_]
        # entity at the head
        if ent is not None and ent.label_ in SPEAKER_LABELS:
            return self.canon(ent)
        named = self._titled_name(span)
        if named is not None:
            return named
        return self._resolve_description(span, pos)

    def _titled_name(self, span: Span) -> str | None:
        """A PERSON name after the head of a title: "ambassador Liu Xiaming" (apposition or
        compound), "the spokesman, Dmitry Peskov", "ambassador to Britain Liu Xiaming"."""
        doc = self.doc
        head = span.root
        # a name attached to the head by apposition or compound: "ambassador Liu Xiaming"
        for c in head.children:
            if c.dep_ in ("appos", "compound", "npadvmod") and c.i in self.ent_by_token and (
                    c.dep_ == "appos" or span.start <= c.i < span.end):
                e = self.ent_by_token[c.i]
                if e.label_ == "PERSON" and e.start > head.i:
                    return self.canon(e)
        # the span ends with a PERSON name not hanging on a preposition
        last = span[-1]
        if last.i in self.ent_by_token:
            e = self.ent_by_token[last.i]
            if e.label_ == "PERSON" and e.start > head.i and e.root.dep_ not in ("pobj", "poss") and \
                    not any(t.dep_ == "prep" and t.head.i in range(span.start, span.end) and t.i > head.i
                            and e.root in t.subtree and t.i < e.start and
                            not any(x.ent_type_ in ("GPE", "NORP", "ORG") for x in doc[t.i + 1:e.start])
                            for t in span):
                return self.canon(e)
            if e.label_ == "PERSON" and e.start > head.i:
                # "ambassador to Britain Liu Xiaming": a place right before the name
                between = doc[head.i + 1:e.start]
                if len(between) >= 2 and between[0].lower_ == "to" and all(
                        x.ent_type_ in ("GPE", "NORP", "LOC") or x.is_punct for x in between[1:]):
                    return self.canon(e)
        return None

    def _resolve_description(self, span: Span, pos: int) -> str | None:
        """A description: indefinite ("an aide") and counted ("two officials") ones stay
        unresolved; "TNO's report" -> TNO; a known alias of one person; "Zelensky's office";
        "the statement" -> its issuer; "the department" -> the organisation named before."""
        head = span.root
        lemma = head.lemma_.lower()
        det = next((c for c in head.children if c.dep_ == "det"), None)
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        indefinite = det is not None and det.lower_ in INDEFINITE_DETS
        if indefinite or (det is None and poss is None and head.tag_ in ("NNS",)):
            return None
        if any(t.like_num or t.lower_ in QUANTITY_WORDS for t in span if t.i < head.i):
            return None
        # possessor speaks through its documents: "TNO's report"
        if poss is not None and (lemma in DOC_NOUNS or head.lower_ in DOC_NOUNS):
            pe = self.ent_by_token.get(poss.i)
            if pe is not None:
                return self.canon(pe)
            if poss.lower_ in PERSON_PRONOUNS or poss.lower_ in IT_PRONOUNS:
                # "His message", "its report": whoever the possessive pronoun stands for
                return self.resolve(self.doc[poss.i:poss.i + 1])
        # description known as an alias of a named person
        desc = _norm(span.text)
        hit = self._alias_lookup(desc, pos)
        if hit:
            return hit
        if poss is not None and lemma in POSSESSED_ROLE_NOUNS:
            pe = self.ent_by_token.get(poss.i)
            if pe is not None and lemma in POSSESSED_BODY_NOUNS:
                return f"{self.canon(pe)}'s {head.text}"
            return None
        if det is not None and det.lower_ in DEFINITE_DETS or poss is not None:
            if lemma in DOC_NOUNS or head.lower_ in DOC_NOUNS:
                # "the report" with no issuer written next to it is anaphoric, like "it": the
                # organisation the discourse is about
                return self._issuer_of(lemma, pos) or self._salient_subject(head, {"ORG"}, None)
            if lemma in ORG_NOUNS or head.lower_ in ORG_NOUNS:
                mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i in self.ent_by_token
                        and self.ent_by_token[c.i].label_ in ("GPE", "NORP", "ORG")]
                if mods and not any(c.dep_ == "prep" for c in head.children):
                    return clean_entity_text(self.doc[mods[0].left_edge.i:head.i + 1].text)
                return self._org_for(head, pos)
        return None

    def _alias_lookup(self, desc: str, pos: int) -> str | None:
        """The one person the article gives description ``desc`` ("the spokesman", "the
        commander of Kowloon West district"); None when no one or several."""
        if not desc or desc in PRONOUNS:
            return None
        names = set()
        for alias, ns in self.aliases.items():
            if alias == desc or alias.endswith(" " + desc) or (len(desc.split()) >= 2 and desc in alias):
                names |= ns
        if len(names) == 1:
            return next(iter(names))
        return None

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

    def _org_mentions(self) -> list[Candidate]:
        """Organisation-like mentions: ORG names, untagged proper-noun names ending in an
        organisation word ("Storm Prediction Center"), and sources after "according to"."""
        if self._orgs is not None:
            return self._orgs
        doc = self.doc
        out: list[Candidate] = []
        for e in doc.ents:
            if e.label_ in ("ORG", "GPE", "NORP", "FAC"):
                w = 2 if _role_weight(e.root) else 1
                out.append(Candidate(e.start_char, self.canon(e), e.label_, w))
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
                    out.append(Candidate(t.idx, doc[i:j + 1].text, "ORG", 2 if _role_weight(last) else 1))
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


# ----------------------------------------------------------------------------------------
# Tables built once per article
# ----------------------------------------------------------------------------------------

def _acronyms(text: str) -> dict[str, str]:
    """Acronyms spelled out in parentheses: "Israel Defense Forces (IDF)" -> idf: the tail of
    the phrase whose initials spell the acronym."""
    acronyms: dict[str, str] = {}
    for m in _ACRONYM_RE.finditer(text):
        full, acr = m.group(1), m.group(2)
        words = [w for w in re.split(r"\s+", full) if w[:1].isupper()]
        letters = "".join(w[0] for w in words)
        acr_letters = acr.replace(".", "").upper()
        # keep the tail of the phrase whose initials spell the acronym
        for k in range(len(words)):
            if "".join(w[0] for w in words[k:]).upper() == acr_letters:
                start = full.find(words[k])
                acronyms[acr_letters.lower()] = full[start:]
                break
        else:
            if letters.upper().endswith(acr_letters[:2]):
                acronyms.setdefault(acr_letters.lower(), full)
    return acronyms


def _add_alias(aliases: dict[str, set[str]], desc_tokens: list[Token], name: str) -> None:
    """Record a description of ``name`` (up to ten words, without a leading "the"/"and")."""
    words = [t.text for t in desc_tokens if not t.is_punct or t.text in ("'s", "’s")]
    while words and words[0].lower() in ALIAS_LEADING_WORDS:
        words = words[1:]
    if not words or len(words) > 10:
        return
    desc = _norm(" ".join(words).replace(" 's", "'s").replace(" ’s", "'s"))
    if desc and desc not in PRONOUNS:
        aliases.setdefault(desc, set()).add(name)


def _person_aliases(doc: Doc, canon: Callable[[Span], str]) -> dict[str, set[str]]:
    """Descriptions the article gives a named person (description -> names): a title right
    before the name ("fisheries bureau spokesman Nazario Briguera") or an apposition after
    it ("Cheuk Hau-yip, the commander of Kowloon West district,") or before it
    ("MEC for ... Affairs, Jacob Mamabolo, said")."""
    aliases: dict[str, set[str]] = {}
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        name = canon(e)
        # title or description right before the name: "fisheries bureau spokesman Nazario Briguera"
        i = e.start - 1
        pre: list[Token] = []
        while i >= 0 and i >= e.sent.start:
            t = doc[i]
            if (t.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "PART", "NUM") or (
                    t.pos_ == "ADP" and t.lower_ in ("to", "for"))) and not t.is_punct \
                    and t.ent_type_ != "PERSON" or t.text in ("'s", "’s"):
                pre.insert(0, t)
                i -= 1
                continue
            break
        while pre and pre[0].pos_ in ("ADP", "PART"):
            pre = pre[1:]
        if pre and any(t.pos_ in ("NOUN", "PROPN") for t in pre) and pre[-1].pos_ in ("NOUN", "PROPN"):
            _add_alias(aliases, pre, name)
        # apposition after the name: "Cheuk Hau-yip, the commander of Kowloon West district,"
        if e.end < len(doc) and doc[e.end].text == ",":
            j, app = e.end + 1, []
            while j < len(doc) and j < e.sent.end and doc[j].text not in (",", ".", ";", "(", ")") \
                    and doc[j].pos_ not in ("VERB", "AUX"):
                app.append(doc[j])
                j += 1
            if app and app[0].lower_ in ARTICLES or (app and app[0].text in ("'s", "’s")) or \
                    (len(app) > 1 and app[1].text in ("'s", "’s")):
                if app and app[0].lower_ not in ("a", "an"):
                    _add_alias(aliases, app, name)
        # apposition before the name: "MEC for ... Affairs, Jacob Mamabolo, said"
        if e.start >= 2 and doc[e.start - 1].text == "," and e.end < len(doc) and doc[e.end].text == ",":
            j, app = e.start - 2, []
            while j >= e.sent.start and doc[j].text not in (",", ".", ";") and doc[j].pos_ not in ("VERB", "AUX"):
                app.insert(0, doc[j])
                j -= 1
            if app and any(t.pos_ in ("NOUN", "PROPN") for t in app):
                _add_alias(aliases, app, name)
    return aliases


# ----------------------------------------------------------------------------------------
# Parse helpers (also used by the quote extractor)
# ----------------------------------------------------------------------------------------

def _role_weight(tok: Token) -> bool:
    """Is ``tok`` a subject, a passive agent or the source after 'according to' / 'per'?"""
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return True
    if tok.dep_ in ("appos", "compound", "poss") and tok.head.dep_ in ("nsubj", "nsubjpass") and tok.dep_ != "poss":
        return True
    if tok.dep_ == "pobj" and (tok.head.dep_ == "agent" or tok.head.lower_ == "per" or (
            tok.head.lower_ == "to" and tok.head.i > 0 and tok.doc[tok.head.i - 1].lower_ == "according")):
        return True
    return False


def noun_phrase(tok: Token) -> Span:
    """The noun phrase headed by ``tok``: its subtree cut at the first comma, apposition,
    relative clause or parenthesis after the head."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i
    for t in tok.rights:
        if t.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis") or t.text in (",", "(", "—", "–"):
            break
        if t.dep_ == "prep" and t.lower_ not in NP_PREPOSITIONS:
            break
        right = t.right_edge.i
    # trim any comma or parenthesis inside the right part
    for i in range(tok.i + 1, right + 1):
        if doc[i].text in (",", "(", "—", "–", ";", ":", '"', "“", "”"):
            right = i - 1
            break
    for i in range(tok.i - 1, left - 1, -1):
        if doc[i].text in (",", "(", ")", "—", "–", ";", ":", '"', "“", "”", "'"):
            left = i + 1
            break
    while left < tok.i and doc[left].is_punct:
        left += 1
    return doc[left:right + 1]


def subject_of(verb: Token) -> Span | None:
    """Subject of a verb, through conjunctions, auxiliaries and participle clauses (a participle
    the parser hung on a reported clause belongs to the reporting clause: "X said Y was fine,
    adding …" -> X); a relative pronoun gives way to the noun it stands for ("Kall, who said" -> Kall)."""
    v = verb
    for _ in range(4):
        # two subjects (a parse split of "Usdaw general secretary John Hannett"): the person first
        subjects = sorted((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")),
                          key=lambda c: c.ent_type_ != "PERSON")
        for c in subjects:
            if c.ent_type_ in BAD_SUBJECT_ENTS:
                return None
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
                return noun_phrase(v.head)
            if c.dep_ == "nsubjpass":
                # "was told by X": the agent speaks
                for a in v.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                return noun_phrase(p)
            return noun_phrase(c)
        if v.dep_ == "xcomp" and v.head is not v:
            # object control: "led the journalist to fear …", "urged him to say …" -- the
            # object of the verb above is the subject of the infinitive
            objs = [c for c in v.head.children if c.dep_ == "dobj" and c.i < v.i]
            if objs and any(a.dep_ == "aux" and a.lower_ == "to" for a in v.children):
                return noun_phrase(objs[0])
        if v.dep_ in ("conj", "advcl", "xcomp", "acl") and v.head is not v:
            if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.dep_ == "ccomp" and v.head.head.i != v.head.i:
                # "X said Y sounded fine, adding …": a participle hung on the reported clause
                # belongs to the reporting one
                v = v.head.head
                continue
            v = v.head
            continue
        break
    return None


# ----------------------------------------------------------------------------------------
# spaCy component
# ----------------------------------------------------------------------------------------

class PeopleComponent(FindThenAnnotate):
    """``news_people``: builds the article's speaker-resolution tables once per Doc."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def find(self, doc: Doc) -> ArticleContext:
        return ArticleContext.build(doc)

    def set_annotations(self, doc: Doc, people: ArticleContext) -> None:
        doc._.people = people


@Language.factory("news_people", default_config={}, requires=["doc.ents", "token.dep"],
                  assigns=["doc._.people"])
def news_people(nlp: Language, name: str) -> PeopleComponent:
    """The article's people: names, titles, aliases and pronoun antecedents (``doc._.people``)."""
    return PeopleComponent(nlp, name)
