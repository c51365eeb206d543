"""News outlets an article names, and the phrases that credit them ("per CNN",
"reports the Washington Post", "as the BBC puts it").

``find_outlets`` finds the outlet mentions once per Doc (the ``news_citations`` component
keeps them in ``doc._.outlets`` for the quote extractor); ``find_citations`` lists every
outlet the article credits, once per outlet (first crediting phrase).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from news_etl.nlp.names import clean_entity_text
from news_etl.nlp.quotes.lexicon import (
    AMBIGUOUS_OUTLET_WORDS, CREDIT_BEFORE_BY, CREDIT_BEFORE_TO, CREDIT_BEFORE_WITH, KNOWN_OUTLETS,
    OUTLET_ALIASES, OUTLET_INTRO, OUTLET_SUBJECT_VERBS, OUTLET_WORDS, SHORT_OUTLETS, SINGLE_WORD_OUTLETS,
)
from news_etl.nlp.extensions import FindThenAnnotate, doc_text, record_extension, state_extension
from news_etl.nlp.quotes.parse import is_speech
from news_etl.nlp.quotes.records import Citation

state_extension("outlets")
record_extension("citations")


def outlet_key(name: str) -> str:
    """One key per outlet for its short and long names ("Associated Press" and "AP" -> ap)."""
    low = clean_entity_text(name).lower()
    return OUTLET_ALIASES.get(low, low)


def outlet_name(span_text: str) -> str | None:
    """The outlet's name when ``span_text`` names a news outlet (a known outlet, or a
    capitalised name ending in an outlet word: "Kyiv Post"), else None."""
    name = clean_entity_text(span_text)
    low = name.lower()
    if low in KNOWN_OUTLETS:
        return name
    words = low.split()
    if len(words) >= 2 and words[-1] in OUTLET_WORDS and name[:1].isupper():
        return name
    return None


# ---------------------------------------------------------------------------------------
# Outlet mentions
# ---------------------------------------------------------------------------------------

def find_outlets(doc: Doc) -> list[Span]:
    """Outlet mentions, in text order: tagged entities that name an outlet, known names the
    model did not tag, names after an outlet word ("newspaper Dagens Nyheter") and the later
    mentions of names found that way."""
    found: list[Span] = []
    taken: set[int] = set()
    _tagged_outlets(doc, found, taken)
    _untagged_known_outlets(doc, found, taken)
    _introduced_outlets(doc, found, taken)
    _later_mentions(doc, found, taken)
    found.sort(key=lambda s: s.start)
    return found


def _add(found: list[Span], taken: set[int], span: Span) -> None:
    found.append(span)
    taken.update(range(span.start, span.end))


def _tagged_outlets(doc: Doc, found: list[Span], taken: set[int]) -> None:
    """Entities whose text names an outlet ("the Washington Post" tagged ORG)."""
    for e in doc.ents:
        if e.label_ in ("ORG", "PERSON", "WORK_OF_ART", "GPE", "NORP", "PRODUCT", "FAC"):
            if outlet_name(e.text):
                _add(found, taken, e)


#: Every leading part of a known name (lower case): a name can start only at a token whose
#: text is one of them.
_OUTLET_PREFIXES = frozenset(name[:k] for name in KNOWN_OUTLETS for k in range(1, len(name) + 1))


def _untagged_known_outlets(doc: Doc, found: list[Span], taken: set[int]) -> None:
    """Outlets the model did not tag: known names (longest first, up to four tokens) on
    capitalised tokens; one word only when it is an acronym in capitals ("AP") or an
    unambiguous name ("Reuters"), never a common word ("People", "Time")."""
    texts = [t.text for t in doc]
    i = 0
    while i < len(texts):
        # A known name starts with this token's text: skip tokens that begin none.
        if i in taken or not texts[i][:1].isupper() or texts[i].lower() not in _OUTLET_PREFIXES:
            i += 1
            continue
        best = None
        for n in (4, 3, 2, 1):
            if i + n > len(texts):
                continue
            if any(k in taken for k in range(i, i + n)):
                continue
            sp = doc[i:i + n]
            low = sp.text.lower()
            if low in KNOWN_OUTLETS and (n > 1 or (low in SHORT_OUTLETS and sp.text.isupper())
                                         or low in SINGLE_WORD_OUTLETS):
                if n == 1 and low in AMBIGUOUS_OUTLET_WORDS:
                    continue
                best = sp
                break
        if best is not None:
            _add(found, taken, best)
            i = best.end
        else:
            i += 1


def _introduced_outlets(doc: Doc, found: list[Span], taken: set[int]) -> None:
    """A name after an outlet word: "newspaper Dagens Nyheter", "state broadcaster NHK",
    "news agency Yonhap" (not a place or a date: "the daily Kyiv")."""
    for t in doc:
        if t.lower_ in OUTLET_INTRO and t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" \
                and doc[t.i + 1].text[:1].isupper() and t.i + 1 not in taken:
            j = t.i + 1
            while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and j - t.i <= 4:
                j += 1
            if doc[t.i + 1].ent_type_ in ("GPE", "NORP", "LOC", "DATE"):
                continue
            start = t.i if t.text[:1].isupper() and t.i not in taken else t.i + 1   # "Daily Maverick"
            _add(found, taken, doc[start:j])


def _later_mentions(doc: Doc, found: list[Span], taken: set[int]) -> None:
    """Later mentions of an outlet introduced that way (same tokens)."""
    intro_names = {tuple(x.text for x in sp) for sp in found}
    lengths = {len(k) for k in intro_names}
    texts = [t.text for t in doc]
    for i in range(len(texts)):
        for n in lengths:
            if i + n <= len(texts) and tuple(texts[i:i + n]) in intro_names and \
                    not any(k in taken for k in range(i, i + n)):
                _add(found, taken, doc[i:i + n])


def outlet_at(outlets: list[Span], tok: Token) -> Span | None:
    """The outlet mention holding ``tok``, if any."""
    for o in outlets:
        if o.start <= tok.i < o.end:
            return o
    return None


# ---------------------------------------------------------------------------------------
# Crediting phrases
# ---------------------------------------------------------------------------------------

def citation_of(doc: Doc, o: Span) -> tuple[int, int] | None:
    """(start_char, end_char) of the phrase crediting outlet span ``o``, or None: a
    preposition ("per CNN", "according to Reuters", "via AP", "told the BBC", "(Reuters)"),
    the outlet as subject of a speech or finding verb ("the Washington Post notes", "as the
    BBC puts it"), or an inverted tag ("reports the Washington Post")."""
    root = o.root
    left = o.start - 1
    while left >= 0 and doc[left].lower_ in ("the",):
        left -= 1
    if left >= 0:
        phrase = _credit_before(doc, o, left)
        if phrase is not None:
            return phrase
    # subject of a verb: "the Washington Post notes", "as the BBC puts it", "reports the Washington Post"
    if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ in ("dobj", "attr", "npadvmod", "appos", "conj")
                                                 and root.head.pos_ == "VERB"
                                                 and root.head.i < o.start and is_speech(root.head)):
        v = root.head
        if root.dep_ == "nsubj" and v.pos_ in ("VERB", "AUX"):
            lem = v.lemma_.lower()
            if is_speech(v) or lem in OUTLET_SUBJECT_VERBS:
                s, e = min(o.start_char, v.idx), max(o.end_char, v.idx + len(v.text))
                if v.i > o.start and lem == "put" and v.i + 1 < len(doc) and doc[v.i + 1].lower_ == "it":
                    e = doc[v.i + 1].idx + 2
                if v.i < o.start - 4 or v.i > o.end + 3:
                    s, e = o.start_char, o.end_char
                return s, e
        if root.head.i < o.start and is_speech(root.head):
            return root.head.idx, o.end_char
    # inverted tag: "reports the Washington Post", "said the BBC"
    if left >= 0 and doc[left].pos_ == "VERB" and is_speech(doc[left]) and doc[left].i == o.start - 1 - \
            sum(1 for t in doc[left + 1:o.start] if t.lower_ == "the"):
        return doc[left].idx, o.end_char
    return None


def _credit_before(doc: Doc, o: Span, left: int) -> tuple[int, int] | None:
    """A crediting word right before the outlet (``left``, past any "the"): "per CNN",
    "via AP", "according to Reuters", "in an interview with the BBC", "reported by the Post",
    "told CNN", "(Reuters)"."""
    w = doc[left].lower_
    if w in ("per", "via"):
        return doc[left].idx, o.end_char
    if w == "to" and left >= 1 and doc[left - 1].lower_ in CREDIT_BEFORE_TO:
        return doc[left - 1].idx, o.end_char
    if w == "with" and left >= 1 and doc[left - 1].lower_ in CREDIT_BEFORE_WITH:
        return doc[left - 1].idx, o.end_char
    if w == "by" and left >= 1 and doc[left - 1].lemma_.lower() in CREDIT_BEFORE_BY:
        return doc[left - 1].idx, o.end_char
    if doc[left].lemma_.lower() in ("tell",) and doc[left].pos_ == "VERB":
        return doc[left].idx, o.end_char
    if doc[left].text == "(" and o.end < len(doc) and doc[o.end].text == ")":
        return o.start_char, o.end_char
    return None


def find_citations(doc: Doc, outlets: list[Span]) -> list[Citation]:
    """Every outlet the article credits, once per outlet (first crediting phrase)."""
    out, seen = [], set()
    for o in outlets:
        ph = citation_of(doc, o)
        if ph is None:
            continue
        name = clean_entity_text(o.text)
        key = outlet_key(name)
        if key in seen:
            continue
        seen.add(key)
        s, e = ph
        out.append(Citation(outlet=name, phrase=doc_text(doc)[s:e], start_char=s, end_char=e))
    return out


# ---------------------------------------------------------------------------------------
# spaCy component
# ---------------------------------------------------------------------------------------

class CitationsComponent(FindThenAnnotate):
    """``news_citations``: the outlet mentions (``doc._.outlets``) and the outlets the article
    credits (``doc._.citations``, ``doc.spans["citations"]`` labelled with the outlet)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def find(self, doc: Doc) -> tuple[list[Span], list[Citation]]:
        outlets = find_outlets(doc)
        return outlets, find_citations(doc, outlets)

    def set_annotations(self, doc: Doc, found: tuple[list[Span], list[Citation]]) -> None:
        outlets, citations = found
        doc._.outlets = outlets
        doc._.citations = citations
        doc.spans["citations"] = [doc.char_span(c.start_char, c.end_char, label=c.outlet, alignment_mode="expand")
                                  for c in citations]


@Language.factory("news_citations", default_config={}, requires=["doc.ents", "token.dep"],
                  assigns=["doc._.outlets", "doc._.citations", "doc.spans"])
def news_citations(nlp: Language, name: str) -> CitationsComponent:
    """Outlets the article names and credits."""
    return CitationsComponent(nlp, name)
