"""Rule-based speaker resolution within one article (functional core, no dagster).

Resolves a speaker mention (a spaCy span) to the fullest name the article gives:

* a PERSON or ORG name -> its canonical name in the article (surname -> full name,
  first name -> full name when unique, acronym -> its spelled-out form);
* a pronoun -> the most recent compatible speaker or subject before it;
* "the statement" / "TNO's report" -> the organisation that issued it, when named;
* "the department" / "the center" -> the most recent organisation whose name holds that
  word, else the most recent organisation that spoke;
* a title or description ("the spokesman", "China's ambassador to Britain") -> the person
  the article names with that title, when exactly one ("England coach Sven Smith" ->
  "the England coach"; "Jo Bloggs, 30," -> "the 30-year-old"); a bare age description with
  no one of that age -> the salient person, like "he"; otherwise ``None``.

Animacy and agreement: a document or communication noun ("the report", "his pitch") is
resolved only to its issuer or possessor, never to a person merely named before it; "it" is
never a person, a building or a geographic place; the entity labels are made consistent
within the article first (:func:`news_etl.nlp.people_tables.article_labels`: "Zephyr 3" is
no person, "coach Sven Smith" is one, "Acme" after "Acme Group" is the company).

Indefinite descriptions ("an aide", "an officer", "two activists") stay unresolved.

The lookup tables are built once per Doc by the ``news_people`` pipeline component
(``doc._.people``; :mod:`news_etl.nlp.people_tables`); the quote extractor reuses them.
Organisation sources are in :mod:`news_etl.nlp.people_orgs`, parse helpers in
:mod:`news_etl.nlp.people_parse`, the word lists in :mod:`news_etl.nlp.people_lexicon`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from news_etl.nlp.extensions import FindThenAnnotate, doc_text, state_extension
from news_etl.nlp.names import canonical_names, clean_entity_text, guess_genders
from news_etl.nlp.people_lexicon import (
    ARTICLES, DEFINITE_DETS, DOC_NOUNS, FEMALE_PRONOUNS, GPE_ALIASES, INDEFINITE_DETS, IT_PRONOUNS,
    MALE_PRONOUNS, ORG_LABELS, ORG_NOUNS, PERSON_PRONOUNS, POSSESSED_BODY_NOUNS, POSSESSED_ROLE_NOUNS,
    PRONOUNS, QUANTITY_WORDS, SPEAKER_LABELS, THEY_PRONOUNS,
)
from news_etl.nlp.people_orgs import OrganisationSources
from news_etl.nlp.people_parse import noun_phrase
from news_etl.nlp.people_tables import (
    AGE_RE, Candidate, acronyms, article_labels, given_name_gender, is_definite, norm_description,
    person_ages, person_aliases,
)

state_extension("people")


@dataclass
class ArticleContext(OrganisationSources):
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
    labels: dict[tuple[int, int], str] = field(default_factory=dict)    # (start, end) -> label in the article
    ages: dict[str, set[str]] = field(default_factory=dict)             # "30" -> names given that age

    # ------------------------------------------------------------------
    @classmethod
    def build(cls, doc: Doc) -> "ArticleContext":
        ctx = cls(doc)
        ents = list(doc.ents)
        names = canonical_names(ents)
        ctx.labels, relabelled_names = article_labels(ents, names)
        names = [relabelled_names.get((e.start, e.end), n) for e, n in zip(ents, names)]
        full_names = {n for e, n in zip(ents, names) if ctx.label(e) == "PERSON" and len(n.split()) >= 2}
        by_last: dict[str, set[str]] = {}
        for n in full_names:
            by_last.setdefault(n.split()[-1].lower(), set()).add(n)
        ctx.surnames = {k: next(iter(v)) for k, v in by_last.items() if len(v) == 1}
        ctx.acronyms = acronyms(doc_text(doc))
        # an organisation named in full, then by its initials: "National Audit Office" … "the NAO"
        for e in ents:
            full = clean_entity_text(e.text)
            words = [w for w in full.split() if w.lower() not in ARTICLES]
            if ctx.label(e) in ORG_LABELS and len(words) >= 2 and all(w[:1].isupper() for w in words):
                ctx.acronyms.setdefault("".join(w[0] for w in words).lower(), " ".join(words))
        for e, n in zip(ents, names):
            if ctx.label(e) == "PERSON":
                # kept equal to news_etl.nlp.names.canonical_names (the entity table's key), so a
                # lone first name ("Donna") stays as written
                pass
            elif ctx.label(e) in ORG_LABELS:
                key = n.lower().replace(".", "")
                if key in ctx.acronyms:
                    n = ctx.acronyms[key]
                elif n.lower() in GPE_ALIASES:
                    n = GPE_ALIASES[n.lower()]
            ctx.ent_canon[(e.start, e.end)] = n
            for t in range(e.start, e.end):
                ctx.ent_by_token[t] = e
        ctx.aliases = person_aliases(doc, ctx.canon, ctx.label)
        ctx.ages = person_ages(doc, ctx.canon, ctx.label)
        ctx.genders = ctx._genders()
        ctx._build_candidates()
        return ctx

    # ------------------------------------------------------------------
    def label(self, ent: Span) -> str:
        """The entity's label in the article (see :func:`article_labels`)."""
        return self.labels.get((ent.start, ent.end), ent.label_)

    def _genders(self) -> dict[str, str]:
        """Genders of the article's people, with the given name of a person the tagger
        called an organisation ("coach Sven Smith")."""
        genders = guess_genders(self.doc, self.canon, self.in_quote)
        things = {self.canon(e) for e in self.doc.ents if e.label_ == "PERSON" and self.label(e) != "PERSON"}
        genders = {n: g for n, g in genders.items() if n not in things}
        for e in self.doc.ents:
            if e.label_ != "PERSON" and self.label(e) == "PERSON":
                name = self.canon(e)
                if len(name.split()) >= 2 and name not in genders:
                    g = given_name_gender(name.split()[0].split("-")[0])
                    if g is not None:
                        genders[name] = g
        return genders

    def canon(self, ent: Span) -> str:
        """The entity's name in the article (surname -> full name, acronym -> spelled out)."""
        return self.ent_canon.get((ent.start, ent.end)) or clean_entity_text(ent.text)

    def _build_candidates(self) -> None:
        """Antecedents for pronouns: PERSON, ORG, NORP and GPE mentions, weighted up as a
        sentence subject or the name apposed or compounded to one ("Spokesman Dmitry Peskov said")."""
        cands = []
        for e in self.doc.ents:
            label = self.label(e)
            if label not in ("PERSON", "ORG", "NORP", "GPE"):
                continue
            w = 2 if e.root.dep_ in ("nsubj", "nsubjpass") or (
                e.root.dep_ in ("appos", "compound") and e.root.head.dep_ in ("nsubj", "nsubjpass")) else 1
            cands.append(Candidate(e.start_char, self.canon(e), label, w))
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
        n = skipped = 0
        while n < sentences:
            if s.start == 0:
                break
            s = doc[s.start - 1].sent
            if self._quoted_sentence(s) and skipped < sentences:
                # the writer's discourse goes on outside quotes: a quoted sentence is not
                # counted (up to as many again)
                skipped += 1
                continue
            n += 1
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

    def _quoted_sentence(self, s: Span) -> bool:
        """Is sentence ``s`` all inside quotes (its first and last words quoted)?"""
        words = [t for t in s if not t.is_punct and not t.is_space]
        return bool(words) and self.in_quote(words[0].idx) and self.in_quote(words[-1].idx)

    def _agreeing_name(self, t: Token, labels: set[str], gender: str | None) -> str | None:
        """The name of subject ``t`` (its entity, or a name apposed to it) when it agrees with
        a pronoun of kind ``labels`` and ``gender``."""
        ent = self.ent_by_token.get(t.i)
        if "PERSON" in labels and (ent is None or ent.label_ == "DATE") and is_definite(t):
            # a description the text ties to one person ("the home secretary", "the 30-year-old")
            name = self._tied_person(noun_phrase(t))
            if name is not None:
                return name if not gender or self.genders.get(name, gender) == gender else None
        if ent is None:
            ent = next((self.ent_by_token[c.i] for c in t.children
                        if c.dep_ in ("appos", "compound") and c.i in self.ent_by_token), None)
        if ent is None:
            if "PERSON" in labels and t.pos_ == "PROPN" and t.lower_ in self.surnames:
                # a surname the tagger missed ("Mr Balls, who …, had suggested")
                name = self.surnames[t.lower_]
                return name if not gender or self.genders.get(name, gender) == gender else None
            return None
        label = "ORG" if self.label(ent) in ORG_LABELS else self.label(ent)
        if label == "ORG" and self.label(ent) in ("FAC", "LOC"):
            # agreement: a building or a geographic place ("the stadium", "the river") is
            # never the "it" that speaks
            return None
        if label not in labels or ("PERSON" in labels and t.tag_ in ("NNPS", "NNS")):
            return None
        name = self.canon(ent)
        if gender and self.genders.get(name, gender) != gender:
            return None
        return name

    def _tied_person(self, span: Span) -> str | None:
        """The one person a description is tied to by the text: an alias (a title before the
        name, an apposition) or an age ("Jo Bloggs, 30," -> "the 30-year-old")."""
        hit = self._alias_lookup(norm_description(span.text), span.start_char)
        if hit:
            return hit
        m = AGE_RE.search(span.text)
        if m and len(self.ages.get(m.group(1), ())) == 1:
            return next(iter(self.ages[m.group(1)]))
        return None

    def _person_description(self, span: Span, pos: int) -> str | None:
        """Definite-description anaphora: an age description ("the 30-year-old") with no name
        tied to it stands, like "he"/"she", for the person the discourse is about (the salient
        subject before it). Role nouns ("the senator") are left alone: they may name anyone."""
        head = span.root
        if AGE_RE.search(span.text) is None or any(c.dep_ in ("prep", "relcl", "acl") for c in head.children):
            # a role noun ("the senator", "the announcer") may be anyone: only a bare age
            # description is anaphoric like a pronoun
            return None
        return self._salient_subject(head, {"PERSON"}, None)

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
        self.genders = self._genders()

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
            if c.dep_ == "appos" and c.i in self.ent_by_token and self.label(self.ent_by_token[c.i]) == "PERSON":
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
        if head.pos_ == "PROPN" and (ent is None or self.label(ent) != "PERSON") and \
                (ent is None or len(ent) == 1) and head.lower_ in self.surnames:
            return self.surnames[head.lower_]
        # entity at the head
        if ent is not None and self.label(ent) in SPEAKER_LABELS:
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
                if self.label(e) == "PERSON" and e.start > head.i:
                    return self.canon(e)
        # the span ends with a PERSON name not hanging on a preposition
        last = span[-1]
        if last.i in self.ent_by_token:
            e = self.ent_by_token[last.i]
            if self.label(e) == "PERSON" and e.start > head.i and e.root.dep_ not in ("pobj", "poss") and \
                    not any(t.dep_ == "prep" and t.head.i in range(span.start, span.end) and t.i > head.i
                            and e.root in t.subtree and t.i < e.start and
                            not any(x.ent_type_ in ("GPE", "NORP", "ORG") for x in doc[t.i + 1:e.start])
                            for t in span):
                return self.canon(e)
            if self.label(e) == "PERSON" and e.start > head.i:
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
        if AGE_RE.search(span.text) is None and \
                any(t.like_num or t.lower_ in QUANTITY_WORDS for t in span if t.i < head.i):
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
        hit = self._tied_person(span)
        if hit:
            return hit
        if det is not None and det.lower_ == "the" and poss is None:
            hit = self._person_description(span, pos)
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
                return self._issuer_of(lemma, pos) or self._author_at_first_mention(head) or \
                    self._salient_subject(head, {"ORG"}, None)
            if lemma in ORG_NOUNS or head.lower_ in ORG_NOUNS:
                mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i in self.ent_by_token
                        and self.label(self.ent_by_token[c.i]) in ("GPE", "NORP", "ORG")]
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
