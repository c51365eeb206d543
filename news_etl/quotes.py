"""Quotes with their speakers, and the outlets an article credits (functional core).

``extract_quotes(doc)`` finds

* direct quotes  -- “We will respond,” he said.
* partial quotes -- complained that the volume was “extremely dangerous.”
* indirect speech -- Zelensky's office said it was demanding a ceasefire (no marks)

with straight or curly, double or single marks, nested quotes (one row each, flagged
``nested``), unbalanced marks, quotes broken by their speech tag and quotes running over
several paragraphs (one row per paragraph). Scare quotes, labels and titles are dropped.

Each speaker mention is resolved within the article by :mod:`news_etl.coref`.
``extract_citations(doc)`` lists every outlet the article credits ("per CNN",
"reports the Washington Post", "as the BBC puts it").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from news_etl.coref import ArticleContext, _np, _subject
from news_etl.nlp import clean_entity_text

# ---------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------

#: Verbs that introduce someone's words (lemmas).
SPEECH_VERBS = {
    "say", "tell", "add", "state", "write", "tweet", "post", "explain", "note", "claim", "warn",
    "insist", "argue", "ask", "answer", "reply", "respond", "announce", "declare", "confirm",
    "deny", "admit", "acknowledge", "reveal", "report", "remark", "comment", "conclude", "recall",
    "complain", "urge", "describe", "suggest", "predict", "promise", "vow", "pledge", "assert",
    "allege", "maintain", "stress", "emphasise", "emphasize", "shout", "scream", "yell", "whisper",
    "mutter", "joke", "sing", "chant", "cry", "exclaim", "detail", "share", "caution", "concede",
    "observe", "plead", "demand", "propose", "testify", "recount", "quip", "boast", "accuse",
    "criticise", "criticize", "blast", "slam", "praise", "dub", "brand", "label", "term",
    "reiterate", "repeat", "counter", "retort", "dismiss", "lament", "speak", "inform", "call",
    "continue", "begin", "finish", "wonder", "muse", "sigh", "beg", "order", "instruct", "advise",
    "recommend", "caution", "indicate", "find", "show", "read", "tout", "hail", "decry", "condemn",
    "concur", "chime", "interject", "summarize", "summarise", "elaborate", "clarify", "specify",
    "estimate", "forecast", "project", "signal", "hint", "acknowledge", "characterize",
    "characterise", "thank", "apologize", "apologise", "welcome", "question", "challenge",
    "mention", "point", "put", "rule", "cite", "highlight", "underline", "underscore",
    "reassure", "assure", "tease", "gush", "rave", "rant", "snap", "fume", "confide", "concede",
    "disclose", "relay", "quote", "broadcast", "publish", "announce", "mourn", "lament", "vent",
    "utter", "holler", "bellow", "sob", "murmur", "growl", "plead", "reason", "contend", "rap",
}
#: Verbs strong enough to be a speech tag after a quote even without a comma.
TAG_VERBS = SPEECH_VERBS - {"continue", "begin", "finish", "find", "show", "read", "call", "put",
                            "point", "rule", "order", "project", "signal", "welcome", "question",
                            "challenge", "publish", "broadcast", "cite", "indicate", "estimate",
                            "forecast", "thank", "hail", "praise", "decry", "condemn", "label",
                            "brand", "dub", "term", "describe", "characterize", "characterise",
                            "mourn", "tout"} | {"order", "read"}
#: Verbs that make a clause holding a partial quote someone's words (dependency walk).
GOV_VERBS = SPEECH_VERBS - {"respond", "answer", "continue", "begin", "finish", "read", "order",
                            "welcome", "question", "challenge", "project", "signal", "rule", "thank",
                            "find", "show", "indicate", "publish", "broadcast", "point", "put",
                            "estimate", "forecast", "recommend", "advise", "instruct", "share",
                            "relay", "quote", "cite", "speak", "inform", "apologize", "apologise"}
GOV_VERBS |= {"see", "view", "consider", "compare", "call", "describe", "put"}

#: Verbs whose ``that``-clause is reported speech (indirect quotes).
INDIRECT_VERBS = {
    "say", "tell", "add", "state", "write", "tweet", "explain", "note", "claim", "warn", "insist",
    "argue", "announce", "declare", "confirm", "deny", "admit", "acknowledge", "reveal", "report",
    "remark", "conclude", "complain", "suggest", "predict", "promise", "vow", "pledge", "assert",
    "allege", "maintain", "stress", "emphasise", "emphasize", "concede", "testify", "reiterate",
    "indicate", "estimate", "disclose", "accuse", "demand", "urge", "contend", "agree",
}

#: Mentions that say the speaker is unknown ("A voice is then heard saying").
UNKNOWN_SPEAKERS = {"voice", "voices", "someone", "somebody", "anyone", "anybody"}

#: News outlets (lower case, without a leading "the").
KNOWN_OUTLETS = {
    "cnn", "bbc", "bbc news", "ap", "associated press", "the associated press", "afp",
    "agence france-presse", "agence france presse", "reuters", "bloomberg", "bloomberg news", "npr",
    "abc", "abc news", "nbc", "nbc news", "cbs", "cbs news", "fox news", "fox", "msnbc", "cnbc",
    "sky news", "al jazeera", "new york times", "nyt", "washington post", "wall street journal",
    "wsj", "guardian", "observer", "telegraph", "daily telegraph", "independent", "financial times",
    "ft", "economist", "politico", "axios", "usa today", "los angeles times", "la times",
    "boston globe", "chicago tribune", "new yorker", "atlantic", "newsweek", "vox", "buzzfeed news",
    "huffpost", "huffington post", "daily mail", "mail on sunday", "sun", "mirror", "daily mirror",
    "daily beast", "tass", "ria novosti", "interfax", "xinhua", "kyodo", "kyodo news", "yonhap",
    "dpa", "ansa", "efe", "people", "variety", "hollywood reporter", "rolling stone", "semafor",
    "the hill", "hill", "business insider", "insider", "wired", "techcrunch", "verge", "nikkei",
    "south china morning post", "times of israel", "haaretz", "jerusalem post", "kyiv independent",
    "ukrainska pravda", "le monde", "der spiegel", "spiegel", "bild", "times", "sunday times",
    "the times", "daily express", "express", "evening standard", "metro", "itv", "itv news",
    "channel 4 news", "cbc", "cbc news", "ctv", "global news", "abc australia", "sydney morning herald",
    "pbs", "propublica", "the intercept", "intercept", "vice", "vice news", "slate", "salon",
    "time", "time magazine", "forbes", "fortune", "cnet", "the new york post", "new york post",
    "daily news", "miami herald", "houston chronicle", "san francisco chronicle", "seattle times",
    "dallas morning news", "deadline", "tmz", "page six", "e! news", "us weekly", "axios",
    "newsmax", "breitbart", "daily caller", "the daily wire", "daily wire", "national review",
    "new york magazine", "the cut", "nbc dfw", "ria", "rt", "sputnik", "al arabiya", "anadolu",
    "press trust of india", "pti", "ani", "times of india", "hindustan times", "dawn", "the hindu",
    "straits times", "korea herald", "japan times", "asahi", "yomiuri", "le figaro", "el pais",
    "el país", "corriere della sera", "la repubblica", "die zeit", "faz", "süddeutsche zeitung",
    "nos", "aftonbladet", "svt", "yle", "nrk", "rte", "irish times", "politico europe",
    "euronews", "deutsche welle", "dw", "france 24", "rfi", "voice of america", "voa",
    "radio free europe", "rfe/rl", "meduza", "novaya gazeta", "kommersant", "izvestia", "vedomosti",
}
#: One key per outlet for its usual short and long names.
OUTLET_ALIASES = {
    "associated press": "ap", "the associated press": "ap", "agence france-presse": "afp",
    "agence france presse": "afp", "new york times": "nyt", "the new york times": "nyt",
    "wall street journal": "wsj", "financial times": "ft", "huffington post": "huffpost",
    "bbc news": "bbc", "cnn": "cnn", "voice of america": "voa", "deutsche welle": "dw",
    "press trust of india": "pti", "bloomberg news": "bloomberg", "abc news": "abc",
    "nbc news": "nbc", "cbs news": "cbs", "itv news": "itv", "cbc news": "cbc", "kyodo news": "kyodo",
}
#: Words that introduce an outlet's name: "newspaper Dagens Nyheter", "broadcaster NHK".
OUTLET_INTRO = {"newspaper", "daily", "broadcaster", "outlet", "magazine", "tabloid", "paper",
                "agency", "channel", "network", "station", "website", "weekly", "publication"}


def outlet_key(name: str) -> str:
    low = clean_entity_text(name).lower()
    return OUTLET_ALIASES.get(low, low)


_OUTLET_WORDS = {"times", "post", "news", "journal", "herald", "tribune", "guardian", "telegraph",
                 "gazette", "daily", "press", "radio", "tv", "television", "broadcasting", "magazine",
                 "chronicle", "observer", "independent", "mail", "express", "wire", "today",
                 "newspaper", "reporter", "inquirer", "courier", "examiner", "dispatch", "sentinel",
                 "bulletin", "monitor", "review", "weekly", "globe", "star", "mirror"}
_SHORT_OUTLETS = {"ap", "afp", "cnn", "bbc", "npr", "abc", "nbc", "cbs", "wsj", "nyt", "ft", "pti",
                  "ani", "dw", "voa", "rt", "cbc", "ctv", "pbs", "itv", "tass", "efe", "dpa", "svt",
                  "yle", "nrk", "rte", "nos", "rfi", "tmz", "faz"}

_OPEN_DQ = "“„«"
_CLOSE_DQ = "”»"
_OPEN_SQ = "‘‹"
_CLOSE_SQ = "’›"
_ALL_MARKS = set(_OPEN_DQ + _CLOSE_DQ + _OPEN_SQ + _CLOSE_SQ + "\"'")
_WORD = re.compile(r"\w", re.UNICODE)
_TITLE_SMALL = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
                "from", "is", "my", "your", "vs", "de", "la", "le"}
_TITLE_CUES = {"album", "song", "single", "track", "film", "movie", "book", "novel", "show",
               "series", "titled", "entitled", "called", "named", "dubbed", "episode", "play",
               "poem", "headline", "article", "column", "essay", "report", "documentary",
               "programme", "program", "podcast", "painting", "exhibition", "operation", "hashtag",
               "slogan", "sign", "signs", "banner", "motto", "tagline", "nicknamed", "known", "as"}


# ---------------------------------------------------------------------------------------
# Quote spans
# ---------------------------------------------------------------------------------------

@dataclass
class _QSpan:
    start: int                 # first char of the text inside the marks
    end: int                   # one past the last char inside the marks
    open_mark: int | None      # char offset of the opening mark (None: continued paragraph)
    close_mark: int | None     # char offset of the closing mark (None: unclosed)
    single: bool = False       # delimited by single quote marks
    parent: int | None = None  # index of the enclosing quote (nested quotes)
    cont_of: int | None = None  # index of the quote this paragraph continues


def _is_word(ch: str) -> bool:
    return bool(ch) and bool(_WORD.match(ch))


def _sq_open_ok(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{“\"—–-/") and (_is_word(nxt) or nxt in "“\"$£€[(.")


def _sq_close_ok(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (not prev.isspace()) and (nxt.isspace() or nxt in ".,;:!?)]}”\"—–-/" or i + 1 >= len(text))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _single_pairs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Pairs of single quote marks (open, close) inside text[lo:hi], apostrophes skipped."""
    pairs = []
    i = lo
    while i < hi:
        ch = text[i]
        opens = ch in "‘'" and _sq_open_ok(text, i)
        # a right mark typed as an opener before a capital: ’Cause, ’Hands up’
        opens = opens or (ch == "’" and _sq_open_ok(text, i) and i + 1 < hi and text[i + 1].isupper())
        if opens:
            # find a closing mark
            j = i + 1
            found = None
            while j < hi and text[j] != "\n":
                c = text[j]
                if c in "’'" and _sq_close_ok(text, j) and j > i + 1:
                    # a plural possessive ("fans’ perspective") closes only if no better one follows
                    found = j
                    break
                if c in "“”\"":
                    break
                j += 1
            if found is not None and len(text[i + 1:found].split()) <= 60:
                pairs.append((i, found))
                i = found + 1
                continue
        i += 1
    return pairs


def find_quote_spans(text: str) -> list[_QSpan]:
    """Quotation-mark spans of ``text``: top-level double-quoted spans, top-level single-quoted
    spans and single-quoted spans nested in a double-quoted one."""
    spans: list[_QSpan] = []
    # paragraphs
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry: int | None = None   # index of a quote left open at the end of the previous paragraph
    for ps, pe in paras:
        open_at: int | None = None
        i = ps
        top: list[_QSpan] = []
        # continuation of an unclosed quote from the previous paragraph
        if carry is not None:
            lead = text[ps:pe].lstrip()
            if lead[:1] in _OPEN_DQ + '"':
                pass  # a new opening mark continues the quote: handled below, linked by cont_of
            elif lead[:1] and (lead[:1].islower() or lead[:1].isdigit()) and any(c in text[ps:pe] for c in _CLOSE_DQ + '"'):
                # broken paragraph inside a quote: extend the open quote up to its close mark
                j = ps
                while j < pe and text[j] not in _CLOSE_DQ + '"':
                    j += 1
                prev = spans[carry]
                prev.end = _strip(text, prev.start, j)[1]
                prev.close_mark = j
                i = j + 1
                carry = None
            else:
                carry = None
        while i < pe:
            ch = text[i]
            if ch in _OPEN_DQ or ch in _CLOSE_DQ or ch == '"':
                prev = text[i - 1] if i > ps else " "
                nxt = text[i + 1] if i + 1 < pe else " "
                if open_at is None:
                    is_open = ch in _OPEN_DQ or (ch == '"' and not nxt.isspace()) or (
                        ch in _CLOSE_DQ and (prev.isspace() or i == ps) and not nxt.isspace())
                    if is_open:
                        open_at = i
                else:
                    is_close = ch in _CLOSE_DQ or ch == '"' or (
                        ch in _OPEN_DQ and not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?"))
                    if is_close:
                        s, e = _strip(text, open_at + 1, i)
                        if e > s:
                            q = _QSpan(s, e, open_at, i)
                            if carry is not None and not top and text[ps:open_at].strip() == "":
                                q.cont_of = carry
                            top.append(q)
                        carry = None
                        open_at = None
                    else:
                        # a second opening mark: the first one was never closed; end it before this one
                        s, e = _strip(text, open_at + 1, i)
                        if e > s and len(text[s:e].split()) >= 3:
                            top.append(_QSpan(s, e, open_at, None))
                        open_at = i
            i += 1
        new_carry = None
        if open_at is not None:
            s, e = _strip(text, open_at + 1, pe)
            if e > s:
                q = _QSpan(s, e, open_at, None)
                if carry is not None and not top and text[ps:open_at].strip() == "":
                    q.cont_of = carry
                top.append(q)
                new_carry = len(spans) + len(top) - 1
        # top-level single-quoted spans outside the double-quoted ones
        covered = [(q.open_mark if q.open_mark is not None else q.start, (q.close_mark or q.end)) for q in top]
        for a, b in _single_pairs(text, ps, pe):
            if any(x <= a <= y for x, y in covered):
                continue
            s, e = _strip(text, a + 1, b)
            if e > s:
                top.append(_QSpan(s, e, a, b, single=True))
        top.sort(key=lambda q: q.start)
        # re-index carry after sorting
        if new_carry is not None:
            last_open = [k for k, q in enumerate(top) if q.close_mark is None and not q.single]
            new_carry = len(spans) + last_open[-1] if last_open else None
        for q in top:
            idx = len(spans)
            spans.append(q)
            if not q.single:
                for a, b in _single_pairs(text, q.start, q.end + (1 if q.close_mark is None else 0)):
                    s, e = _strip(text, a + 1, b)
                    if e > s and e <= q.end:
                        spans.append(_QSpan(s, e, a, b, single=True, parent=idx))
        carry = new_carry
    return spans


# ---------------------------------------------------------------------------------------
# Helpers on the parse
# ---------------------------------------------------------------------------------------

def _tok_at(doc: Doc, char: int) -> Token | None:
    sp = doc.char_span(char, char + 1, alignment_mode="expand")
    return sp[0] if sp is not None and len(sp) else None


def _toks_between(doc: Doc, a: int, b: int) -> Span | None:
    sp = doc.char_span(a, b, alignment_mode="expand")
    return sp


def _is_speech(tok: Token, strict: bool = False) -> bool:
    lem = tok.lemma_.lower()
    lex = TAG_VERBS if strict else SPEECH_VERBS
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB"):
        return False
    if lem == "put":
        return any(c.lower_ == "it" for c in tok.children) or tok.nbor(1).lower_ == "it" if tok.i + 1 < len(tok.doc) else False
    if lem == "point":
        return any(c.lower_ == "out" for c in tok.children)
    if lem == "rule":
        return any(c.lower_ == "out" for c in tok.children)
    return lem in lex or tok.lower_ in lex


def _leading_np(toks: list[Token], k: int) -> Span | None:
    """The noun phrase that opens ``toks`` and ends before ``toks[k]`` (the verb), allowing an
    apposition between commas: '” Flynn, a top Trump surrogate, said'."""
    if k == 0 or toks[0].pos_ not in ("PROPN", "PRON", "DET", "NOUN", "ADJ", "NUM"):
        return None
    j = 0
    while j < k and (toks[j].pos_ in ("PROPN", "PRON", "DET", "NOUN", "ADJ", "NUM", "PART")
                     or toks[j].text in ("’s", "'s", "-", ".")):
        if toks[j].pos_ == "PRON" and j > 0:
            break
        j += 1
    if j == 0:
        return None
    if j < k and toks[j].text != "," and toks[j].pos_ not in ("ADV", "AUX"):
        return None
    if j < k and toks[j].text == "," and not any(x.text == "," for x in toks[j + 1:k]):
        return None
    doc = toks[0].doc
    return doc[toks[0].i:toks[j - 1].i + 1]


def _cue_text(tok: Token) -> str:
    doc = tok.doc
    if tok.lemma_.lower() == "put" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "it":
        return doc[tok.i:tok.i + 2].text
    prt = [c for c in tok.children if c.dep_ == "prt" and c.i == tok.i + 1]
    if prt:
        return doc[tok.i:tok.i + 2].text
    return tok.text


def _outlet_name(span_text: str) -> str | None:
    """The outlet's name when ``span_text`` names a news outlet, else None."""
    name = clean_entity_text(span_text)
    low = name.lower()
    if low in KNOWN_OUTLETS:
        return name
    words = low.split()
    if len(words) >= 2 and words[-1] in _OUTLET_WORDS and name[:1].isupper():
        return name
    return None


@dataclass
class _Speaker:
    span: Span | None
    cue: Token | None = None
    cue_text: str | None = None
    method: str = ""


# ---------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------

class _Extractor:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.ctx = ArticleContext.build(doc)
        self.outlets = self._find_outlets()

    # --- outlets -----------------------------------------------------------------------
    def _find_outlets(self) -> list[Span]:
        doc = self.doc
        found: list[Span] = []
        taken = set()
        for e in doc.ents:
            if e.label_ in ("ORG", "PERSON", "WORK_OF_ART", "GPE", "NORP", "PRODUCT", "FAC"):
                if _outlet_name(e.text):
                    found.append(e)
                    taken.update(range(e.start, e.end))
        # outlets the model did not tag: match known names on capitalised tokens
        words = [t for t in doc]
        i = 0
        while i < len(words):
            if i in taken or not words[i].text[:1].isupper():
                i += 1
                continue
            best = None
            for n in (4, 3, 2, 1):
                if i + n > len(words):
                    continue
                sp = doc[i:i + n]
                if any(k in taken for k in range(i, i + n)):
                    continue
                low = sp.text.lower()
                if low in KNOWN_OUTLETS and (n > 1 or (low in _SHORT_OUTLETS and sp.text.isupper())
                                             or low in ("reuters", "bloomberg", "guardian", "politico", "axios",
                                                        "xinhua", "interfax", "tass", "telegraph", "newsweek")):
                    if n == 1 and low in ("people", "time", "times", "sun", "mirror", "express", "independent",
                                          "observer", "metro", "variety", "fortune", "insider", "vice", "hill"):
                        continue
                    best = sp
                    break
            if best is not None:
                found.append(best)
                taken.update(range(best.start, best.end))
                i = best.end
            else:
                i += 1
        # "newspaper Dagens Nyheter", "state broadcaster NHK", "news agency Yonhap"
        for t in doc:
            if t.lower_ in OUTLET_INTRO and t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN" \
                    and doc[t.i + 1].text[:1].isupper() and t.i + 1 not in taken:
                j = t.i + 1
                while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and j - t.i <= 4:
                    j += 1
                e = self.ctx.ent_by_token.get(t.i + 1)
                if e is not None and e.label_ in ("GPE", "NORP", "LOC", "DATE"):
                    continue
                start = t.i if t.text[:1].isupper() and t.i not in taken else t.i + 1   # "Daily Maverick"
                found.append(doc[start:j])
                taken.update(range(start, j))
        # later mentions of an outlet introduced that way
        intro_names = {tuple(x.text for x in sp) for sp in found}
        for i in range(len(doc)):
            for n in {len(k) for k in intro_names}:
                if i + n <= len(doc) and tuple(x.text for x in doc[i:i + n]) in intro_names and \
                        not any(k in taken for k in range(i, i + n)):
                    found.append(doc[i:i + n])
                    taken.update(range(i, i + n))
        found.sort(key=lambda s: s.start)
        return found

    def _outlet_at(self, tok: Token) -> Span | None:
        for o in self.outlets:
            if o.start <= tok.i < o.end:
                return o
        return None

    def citation_of(self, o: Span) -> tuple[int, int] | None:
        """(start_char, end_char) of the phrase crediting outlet span ``o``, or None."""
        doc = self.doc
        root = o.root
        # "per CNN", "according to Reuters", "via AP", "told the BBC", "(Reuters)"
        left = o.start - 1
        while left >= 0 and doc[left].lower_ in ("the",):
            left -= 1
        if left >= 0:
            w = doc[left].lower_
            if w in ("per", "via"):
                return doc[left].idx, o.end_char
            if w == "to" and left >= 1 and doc[left - 1].lower_ in ("according", "speaking", "spoke", "told",
                                                                     "talking", "said", "interview"):
                return doc[left - 1].idx, o.end_char
            if w == "with" and left >= 1 and doc[left - 1].lower_ in ("interview", "conversation", "speaking"):
                return doc[left - 1].idx, o.end_char
            if w == "by" and left >= 1 and doc[left - 1].lemma_.lower() in ("report", "obtain", "publish", "see",
                                                                           "review", "cite", "quote", "reveal", "first"):
                return doc[left - 1].idx, o.end_char
            if doc[left].lemma_.lower() in ("tell",) and doc[left].pos_ == "VERB":
                return doc[left].idx, o.end_char
            if doc[left].text == "(" and o.end < len(doc) and doc[o.end].text == ")":
                return o.start_char, o.end_char
        # subject of a verb: "the Washington Post notes", "as the BBC puts it", "reports the Washington Post"
        if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ in ("dobj", "attr", "npadvmod", "appos", "conj")
                                                     and root.head.pos_ == "VERB"
                                                     and root.head.i < o.start and _is_speech(root.head)):
            v = root.head
            if root.dep_ == "nsubj" and v.pos_ in ("VERB", "AUX"):
                lem = v.lemma_.lower()
                if _is_speech(v) or lem in ("see", "find", "learn", "obtain", "publish", "confirm", "cite",
                                            "quote", "describe", "call", "view", "count", "reach", "break",
                                            "run", "carry", "review", "analyze", "analyse", "examine",
                                            "estimate", "tally", "calculate", "interview", "survey", "poll"):
                    s, e = min(o.start_char, v.idx), max(o.end_char, v.idx + len(v.text))
                    if v.i > o.start and lem == "put" and v.i + 1 < len(doc) and doc[v.i + 1].lower_ == "it":
                        e = doc[v.i + 1].idx + 2
                    if v.i < o.start - 4 or v.i > o.end + 3:
                        s, e = o.start_char, o.end_char
                    return s, e
            if root.head.i < o.start and _is_speech(root.head):
                return root.head.idx, o.end_char
        # inverted tag: "reports the Washington Post", "said the BBC"
        if left >= 0 and doc[left].pos_ == "VERB" and _is_speech(doc[left]) and doc[left].i == o.start - 1 - \
                sum(1 for t in doc[left + 1:o.start] if t.lower_ == "the"):
            return doc[left].idx, o.end_char
        return None

    # --- speaker of one quote -----------------------------------------------------------
    def _post_tag(self, q: _QSpan, next_open: int | None) -> _Speaker | None:
        """Speech tag after the closing mark: “…,” he said / “…,” said X / “…” Kelce shared."""
        if q.close_mark is None:
            return None
        doc, text = self.doc, self.text
        qtext = text[q.start:q.end]
        after = q.close_mark + 1
        limit = text.find("\n", after)
        limit = len(text) if limit < 0 else limit
        if next_open is not None:
            limit = min(limit, next_open)
        sp = _toks_between(doc, after, limit)
        if sp is None or len(sp) == 0:
            return None
        first = next((t for t in sp if not t.is_space), None)
        if first is None:
            return None
        ends_sentence = qtext.rstrip()[-1:] in ".!?"
        full_stop = qtext.rstrip()[-1:] == "." and not (first.text[:1].islower() or first.is_punct)
        toks = [t for t in sp if not t.is_space and t.idx >= after][:40]
        # "“…” ― Steve Quinlan." / "“…” - Name, city"
        m = re.match(r"[^\S\n]*([―—–]|--?)[^\S\n]*(?=[A-Z])", text[after:limit])
        if m:
            name_tok = _tok_at(doc, after + m.end())
            if name_tok is not None and name_tok.pos_ == "PROPN" and name_tok.idx == after + m.end():
                e = self.ctx.ent_by_token.get(name_tok.i)
                if e is not None and e.label_ == "PERSON":
                    span = e
                else:
                    j = name_tok.i
                    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].idx < limit:
                        j += 1
                    span = doc[name_tok.i:j + 1]
                return _Speaker(span, None, m.group(1), "post")
        for k, t in enumerate(toks):
            if t.text in (".", ";", "!", "?") and k > 0:
                break
            if t.pos_ in ("VERB", "AUX") and _is_speech(t, strict=True):
                between = toks[:k]
                subj = _subject(t)
                lead = _leading_np(toks, k)
                if lead is not None and (subj is None or not (toks[0].i <= subj.start and subj.end <= t.i)):
                    # the parse put the subject elsewhere; the name right after the mark wins
                    subj = lead
                starts_tag = subj is not None and subj.start <= toks[0].i + 1 and subj.start >= toks[0].i
                if k > 9 and not starts_tag:
                    break
                if any(b.pos_ == "VERB" and not b.text[:1].isupper() for b in between) and not starts_tag:
                    break
                if ends_sentence and k > 4 and not starts_tag:
                    break
                if full_stop:
                    # “…” Obama said.  (a full stop inside the marks, then a short tag)
                    if not starts_tag or k > 6 or any(c.dep_ in ("ccomp", "xcomp") and c.i > t.i for c in t.children):
                        break
                if subj is None or subj.start < sp.start - 0 and subj.end_char > q.start:
                    # inverted order: "said Jessica Dorsey"
                    subj = None
                    nxt = [x for x in toks[k + 1:] if not x.is_punct]
                    if nxt and nxt[0].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"):
                        head = nxt[0]
                        while head.head is not head and head.head.i > t.i and head.dep_ in (
                                "compound", "det", "amod", "poss", "case", "nummod"):
                            head = head.head
                        subj = _np(head)
                    elif between:
                        nouns = [b for b in between if b.pos_ in ("PROPN", "NOUN", "PRON")]
                        if nouns:
                            subj = _np(nouns[-1])
                if subj is not None and subj.start_char < after:
                    return None
                return _Speaker(subj, t, _cue_text(t), "post")
            if t.lower_ in ("according", "per") and k <= 1:
                return None
            if k >= 10 and t.text in (".", ";", "“", '"'):
                break
        return None

    def _pre_tag(self, q: _QSpan) -> _Speaker | None:
        """Tag before the opening mark: X said: “…” / X confirmed, “…” / warning: “…”."""
        if q.open_mark is None:
            return None
        doc, text = self.doc, self.text
        j = q.open_mark - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j] not in ":,":
            return None
        colon = text[j] == ":"
        para_start = text.rfind("\n", 0, q.open_mark) + 1
        sp = _toks_between(doc, para_start, j)
        if sp is None or len(sp) == 0:
            return None
        # nearest speech verb before the mark in the same sentence
        for t in reversed(list(sp)):
            if t.text in (".", "!", "?", "”", '"') and t.i < sp.end - 1:
                break
            if _is_speech(t):
                subj = _subject(t)
                return _Speaker(subj, t, _cue_text(t), "pre")
        if colon:
            # "… rolling out a new campaign message: “It's about me.”": the clause's subject
            last = sp[-1]
            root = last.sent.root
            if root.i < sp.end and root.pos_ in ("VERB", "AUX"):
                subj = _subject(root)
                if subj is not None and subj.root.pos_ in ("PROPN", "NOUN") and subj.end <= sp.end:
                    return _Speaker(subj, root, _cue_text(root), "pre-colon")
        return None

    def _governing(self, q: _QSpan, skip_subject_of: set[int] | None = None) -> _Speaker | None:
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
            seen = 0
            while seen < 8:
                seen += 1
                if v.i not in inside and v.pos_ in ("VERB", "AUX") or (v.i in inside and v.head is v and v.pos_ in ("VERB", "AUX")):
                    subj = _subject(v)
                    if subj is not None and subj.start in inside:
                        subj = None
                    if subj is not None and (skip_subject_of is None or subj.root.i not in skip_subject_of):
                        if v.lemma_.lower() in GOV_VERBS and _is_speech(v) or v.lemma_.lower() in (
                                "see", "view", "consider", "compare"):
                            return _Speaker(subj, v, _cue_text(v), "gov")
                        if fallback is None and v.i not in inside:
                            fallback = _Speaker(subj, v, _cue_text(v), "gov-fallback")
                        if fallback is None and v.i in inside:
                            fallback = _Speaker(subj, None, None, "gov-inside")
                if v.head is v:
                    break
                v = v.head
        if fallback is None and span[0].pos_ in ("VERB", "AUX") and span[0].tag_ in ("VBD", "VBZ", "VBP"):
            # the quote starts with the verb: its subject is the noun phrase right before it
            np = self._np_before(q.open_mark if q.open_mark is not None else q.start)
            if np is not None:
                return _Speaker(np, None, None, "gov-before")
        return fallback

    def _np_before(self, char: int) -> Span | None:
        doc = self.doc
        t = _tok_at(doc, char)
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
        return _np(doc[i])

    def _according(self, q: _QSpan) -> tuple[_Speaker | None, Span | None]:
        """'per X' / 'according to X' / 'reports X' in the quote's sentence: (source, outlet)."""
        doc = self.doc
        tok = _tok_at(doc, q.start)
        end_tok = _tok_at(doc, max(q.start, q.end - 1))
        if tok is None or end_tok is None:
            return None, None
        sent_start = tok.sent.start
        sent_end = end_tok.sent.end
        # extend over the tag sentence that follows a quote ending in punctuation
        if sent_end < len(doc) and (q.close_mark is not None):
            ct = _tok_at(doc, q.close_mark)
            if ct is not None:
                sent_end = max(sent_end, ct.sent.end)
        src, outlet = None, None
        for t in doc[sent_start:sent_end]:
            if q.start <= t.idx < q.end:
                continue
            low = t.lower_
            if t.lemma_.lower() in ("tell", "interview") and t.pos_ == "VERB" or (
                    low == "with" and t.i > 0 and doc[t.i - 1].lower_ in ("interview", "conversation")) or (
                    low == "to" and t.i > 0 and doc[t.i - 1].lower_ in ("speaking", "spoke", "talking")):
                # "told CNN", "in an interview with the BBC": the outlet carried the words
                for c in t.children:
                    if c.dep_ in ("dobj", "dative", "pobj"):
                        o = self._outlet_at(c)
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
                    np = _np(ob)
                    o = self._outlet_at(ob) or next((x for x in self.outlets if x.start >= np.start and x.end <= np.end),
                                                    None)
                    if o is not None:
                        outlet = outlet or o
                    else:
                        src = src or _Speaker(np, t, "according to" if low == "to" else low, "according")
        return src, outlet

    def _previous_statement(self, q: _QSpan) -> _Speaker | None:
        """Speech-verb subject in the sentence(s) right before the quote (untagged quote)."""
        doc = self.doc
        tok = _tok_at(doc, q.open_mark if q.open_mark is not None else q.start)
        if tok is None:
            return None
        sent = tok.sent
        prev_sents = []
        s = sent
        for _ in range(2):
            if s.start == 0:
                break
            s = doc[s.start - 1].sent
            prev_sents.append(s)
        for s in prev_sents:
            if any(t.text in _ALL_MARKS for t in s):
                return None
            for t in s:
                if t.dep_ == "ROOT" and _is_speech(t):
                    subj = _subject(t)
                    if subj is not None:
                        return _Speaker(subj, t, _cue_text(t), "prev-sent")
            break
        return None

    # --- filters -----------------------------------------------------------------------
    def _is_label(self, q: _QSpan) -> bool:
        """Titles, names and labels in quote marks (“The Alchemy”, “PRESS”, “one country, two
        systems” formula)."""
        doc, text = self.doc, self.text
        qt = text[q.start:q.end]
        words = re.findall(r"[\w’'-]+", qt)
        if not words:
            return True
        if qt.isupper() and len(words) <= 3:
            return True
        caps = [w for w in words if w.lower() not in _TITLE_SMALL]
        title_case = caps and all(w[:1].isupper() or w[:1].isdigit() for w in caps)
        before = text[max(0, (q.open_mark or q.start) - 40):(q.open_mark or q.start)].lower()
        prev_word = re.findall(r"[\w’'-]+", before)[-1:] or [""]
        if title_case and len(words) <= 8 and qt.rstrip()[-1:] not in ".?!" and (qt.rstrip()[-1:] != "," or len(words) >= 2) and (
                len(words) >= 2 or prev_word[0] in _TITLE_CUES or (q.open_mark and text[q.open_mark - 1:q.open_mark] != " ")):
            # a capitalised phrase not ending like speech: a title, unless a speech tag follows at once
            return True
        if title_case and prev_word[0] in _TITLE_CUES and len(words) <= 8:
            return True
        if before.rstrip().endswith(("so-called", "so called", "dubbed", "nicknamed", "known as")) and len(words) <= 6:
            return True
        if title_case and len(words) <= 8 and len(words) >= 2 and (
                prev_word[0] in ("of", "on", "in", "at", "from", "to", "s", "’s", "'s") or before.rstrip().endswith(("'s", "’s"))):
            # “State of the Union.” after "on CNN's": a programme title
            return True
        # the quote modifies a noun that follows it: “one country, two systems” formula
        if q.close_mark is not None and len(words) <= 6 and qt.rstrip()[-1:] not in ",.?!":
            nt = _tok_at(doc, q.close_mark + 1) if q.close_mark + 1 < len(text) and text[q.close_mark + 1] != " " else None
            if nt is None and q.close_mark + 2 < len(text):
                nt = _tok_at(doc, q.close_mark + 2)
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

    def _kind(self, q: _QSpan, speaker: _Speaker | None) -> str:
        text = self.text
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
            if qt[:1].isupper() or qt[:1] in "‘'\"“":
                return "direct"
            # second half of a quote broken by its tag: “My hope,” he said, “is that …”
            window = text[max(0, q.open_mark - 90):q.open_mark]
            last_close = max(window.rfind(c) for c in "”\"")
            if last_close >= 0 and "\n" not in window[last_close:] and window[max(0, last_close - 1)] in ",!?" and \
                    re.search(r"\b(said|says|added|adds|told|tells|wrote|writes|continued|explained|noted|argued|insisted|asked)\b",
                              window[last_close:]):
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
        if len(lead_words) <= 2 and all(w.lower().strip(",") in ("but", "and", "so", "yet", "or", "still",
                                                                  "then", "now", "however", "also", "meanwhile",
                                                                  "again", "indeed", "instead", "later")
                                        for w in lead_words):
            if speaker is not None and speaker.method == "post":
                return "direct"
        return "partial"

    # --- main ----------------------------------------------------------------------------
    def quotes(self) -> list[dict]:
        doc, text = self.doc, self.text
        spans = find_quote_spans(text)
        self.ctx.set_quoted([(q.start, q.end) for q in spans if q.parent is None])
        rows: list[dict | None] = [None] * len(spans)
        speakers: list[_Speaker | None] = [None] * len(spans)
        opens = sorted(q.open_mark for q in spans if q.open_mark is not None and q.parent is None
                       and len(text[q.start:q.end].split()) > 2)
        for idx, q in enumerate(spans):
            if q.parent is not None:
                continue
            next_open = next((o for o in opens if q.close_mark is not None and o > q.close_mark), None)
            spk = None
            if q.cont_of is not None:
                # a paragraph continuing a quote: its own tag, else the quote's speaker
                spk = self._post_tag(q, next_open)
                if (spk is None or spk.span is None) and speakers[q.cont_of] is not None:
                    spk = speakers[q.cont_of]
                    spk = _Speaker(spk.span, spk.cue, spk.cue_text, "cont")
            if spk is None:
                spk = self._post_tag(q, next_open)
            if spk is None:
                spk = self._pre_tag(q)
            if spk is None:
                pre = self._kind(q, None)
                if pre == "partial" or q.single:
                    spk = self._governing(q)
            src, outlet = self._according(q)
            if spk is None and src is not None:
                spk = src
            if spk is None or spk.span is None:
                # an untagged quote right after another quote of the same paragraph or the
                # next paragraph: same speaker
                prev_i = next((k for k in range(idx - 1, -1, -1) if spans[k].parent is None and rows[k] is not None),
                              None)
                para_start = text.rfind("\n", 0, q.open_mark or q.start) + 1
                if prev_i is not None and speakers[prev_i] is not None and speakers[prev_i].span is not None:
                    pq = spans[prev_i]
                    gap = text[(pq.close_mark or pq.end) + 1:(q.open_mark or q.start)]
                    cue_in_gap = speakers[prev_i].cue is not None and \
                        (pq.close_mark or pq.end) < speakers[prev_i].cue.idx < (q.open_mark or q.start)
                    if (pq.end >= para_start and (len(gap.strip()) < 100 or cue_in_gap)) or (
                            gap.count("\n") >= 1 and gap.strip() == ""):
                        spk = _Speaker(speakers[prev_i].span, speakers[prev_i].cue, speakers[prev_i].cue_text,
                                       "prev-quote")
                if spk is None or spk.span is None:
                    ps = self._previous_statement(q)
                    if ps is not None:
                        spk = ps
            kind = self._kind(q, spk)
            if q.single and q.open_mark is not None:
                # top-level single quotes: only with a speaker and not a label
                if spk is None or spk.span is None:
                    continue
            nwords = len(re.findall(r"\w+", text[q.start:q.end]))
            if self._is_label(q) and not (spk is not None and spk.method in ("post", "pre") and nwords >= 2
                                          and kind == "direct"):
                continue
            if kind == "partial" and nwords <= 2 and not (spk is not None and (
                    spk.method == "post" or (spk.method == "gov" and spk.cue is not None and (
                        spk.cue.lemma_.lower() in GOV_VERBS or _is_speech(spk.cue, True))))):
                continue
            if kind == "partial" and (spk is None or spk.span is None):
                continue
            speakers[idx] = spk
            rows[idx] = self._row(q, kind, spk, outlet)
            if spk is not None and spk.span is not None and rows[idx]["speaker_resolved"]:
                lab = "PERSON"
                e = self.ctx.ent_by_token.get(spk.span.root.i)
                if e is not None:
                    lab = e.label_
                elif spk.span.root.lower_ in ("it", "they", "we"):
                    lab = "ORG"
                elif spk.span.root.lower_ not in ("he", "she", "i"):
                    lab = "ORG" if rows[idx]["speaker_resolved"] and not any(
                        e2.label_ == "PERSON" and self.ctx.canon(e2) == rows[idx]["speaker_resolved"]
                        for e2 in doc.ents) else "PERSON"
                self.ctx.add_speaker(spk.span.start_char, rows[idx]["speaker_resolved"], lab)
        # a quote running over paragraphs whose tag comes in a later paragraph:
        # “A.  /  “B,” she said.  -> A gets B's speaker
        for idx in range(len(spans) - 1, -1, -1):
            q = spans[idx]
            k = q.cont_of
            if k is None or rows[idx] is None or rows[k] is None:
                continue
            weak = speakers[k] is None or speakers[k].span is None or speakers[k].method not in ("post", "pre")
            if weak and rows[idx]["speaker"] is not None and speakers[idx] is not None and \
                    speakers[idx].method in ("post", "pre", "cont"):
                speakers[k] = speakers[idx]
                rows[k] = self._row(spans[k], rows[k]["kind"], speakers[idx], None, rows[idx]["reported_via"])
        # nested quotes: the speaker of the clause around them; the outer quote then belongs
        # to whoever quotes that speaker
        for idx, q in enumerate(spans):
            if q.parent is None or rows[q.parent] is None:
                continue
            outer = spans[q.parent]
            inner_spk = self._governing(q)
            if inner_spk is None or inner_spk.span is None or inner_spk.method != "gov":
                inner_spk = None
            if inner_spk is None:
                inner_spk = self._governing(_QSpan(outer.start, outer.end, outer.open_mark, outer.close_mark))
            row = self._row(q, self._nested_kind(q), inner_spk, None)
            row["nested"] = True
            rows[idx] = row
            prow = rows[q.parent]
            # the outer speaker must differ from the inner one: climb further for the quoter
            if inner_spk is not None and inner_spk.span is not None and prow["speaker_resolved"] == row["speaker_resolved"] \
                    and prow["speaker"] == row["speaker"]:
                higher = self._governing(outer, skip_subject_of={inner_spk.span.root.i})
                if higher is not None and higher.span is not None:
                    rows[q.parent] = self._row(outer, prow["kind"], higher, None, prow["reported_via"])
        out = [r for r in rows if r is not None]
        out.sort(key=lambda r: r["start_char"])
        return out

    def _nested_kind(self, q: _QSpan) -> str:
        text = self.text
        j = (q.open_mark or q.start) - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        return "direct" if j < 0 or text[j] in "“\":,\n" else "partial"

    def _row(self, q: _QSpan, kind: str, spk: _Speaker | None, outlet: Span | None,
             via_name: str | None = None) -> dict:
        text = self.text
        span = spk.span if spk is not None else None
        if span is not None and (span.root.lower_ in UNKNOWN_SPEAKERS or any(
                t.lower_ in ("unidentified", "unknown", "unnamed", "anonymous") and t.i < span.root.i for t in span)
                and span.root.lower_ in ("voice", "person", "man", "woman", "caller", "speaker")):
            span = None
        resolved = self.ctx.resolve(span) if span is not None else None
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
        tok = _tok_at(self.doc, q.start)
        end_tok = _tok_at(self.doc, max(q.start, q.end - 1))
        if tok is not None and end_tok is not None:
            sent = text[tok.sent.start_char:end_tok.sent.end_char].strip()
        else:
            sent = text[q.start:q.end]
        cs, ce = self._content(q, kind, spk)
        return {
            "quote_text": text[q.start:q.end],
            "kind": kind,
            "is_direct": kind == "direct",
            "speaker": span.text if span is not None else None,
            "speaker_start_char": span.start_char if span is not None else None,
            "speaker_end_char": span.end_char if span is not None else None,
            "speaker_resolved": resolved,
            "cue": spk.cue_text if spk is not None else None,
            "reported_via": via,
            "start_char": q.start,
            "end_char": q.end,
            "sentence": sent,
            "nested": q.parent is not None,
            "content": text[cs:ce],
            "content_start_char": cs,
            "content_end_char": ce,
        }

    def _content(self, q: _QSpan, kind: str, spk: _Speaker | None) -> tuple[int, int]:
        """The attributed content: the quote itself for a direct quote; for a partial quote the
        clause of the cue verb that holds it ("that the volume … was “extremely dangerous.”")."""
        if kind != "partial" or spk is None or spk.cue is None:
            return q.start, q.end
        doc = self.doc
        cue = spk.cue
        t = _tok_at(doc, q.start)
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
        if path.dep_ == "prep" and path.lower_ == "as":
            # "described the law as a “crazy system”": the object belongs to the content
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

    # --- indirect speech -----------------------------------------------------------------
    def indirect(self, quoted: list[dict]) -> list[dict]:
        doc, text = self.doc, self.text
        marked = [(r["start_char"], r["end_char"]) for r in quoted]
        rows = []
        for t in doc:
            if t.pos_ != "VERB" or t.lemma_.lower() not in INDIRECT_VERBS:
                continue
            comps = [c for c in t.children if c.dep_ == "ccomp"]
            if not comps:
                continue
            comp = comps[0]
            left, right = comp.left_edge.i, comp.right_edge.i
            if left < t.i < right:
                continue
            cs = doc[left].idx
            ce = doc[right].idx + len(doc[right].text)
            # skip complements holding quotation marks (handled as direct/partial quotes)
            if any(ch in _ALL_MARKS - {"'"} for ch in text[cs:ce]) or any(a < ce and cs < b for a, b in marked):
                continue
            while cs < ce and text[cs] in " ,":
                cs += 1
            while ce > cs and text[ce - 1] in " ,.":
                ce -= 1
            if doc[left].lower_ == "that" and left < right:
                cs = doc[left + 1].idx
            if len(text[cs:ce].split()) < 3:
                continue
            subj = _subject(t)
            if subj is None:
                continue
            q = _QSpan(cs, ce, None, None)
            row = self._row(q, "indirect", _Speaker(subj, t, _cue_text(t), "indirect"), self._according(q)[1])
            rows.append(row)
        return rows


def extract_quotes(doc: Doc, include_indirect: bool = True) -> list[dict]:
    """Quotes of one article with their speakers (see the module docstring for the keys)."""
    ex = _Extractor(doc)
    rows = ex.quotes()
    if include_indirect:
        rows = rows + ex.indirect(rows)
        rows.sort(key=lambda r: r["start_char"])
    return rows


def extract_citations(doc: Doc) -> list[dict]:
    """Every outlet the article credits, once per outlet (first crediting phrase)."""
    ex = _Extractor(doc)
    out, seen = [], set()
    for o in ex.outlets:
        ph = ex.citation_of(o)
        if ph is None:
            continue
        name = clean_entity_text(o.text)
        key = outlet_key(name)
        if key in seen:
            continue
        seen.add(key)
        s, e = ph
        out.append({"outlet": name, "phrase": doc.text[s:e], "start_char": s, "end_char": e})
    return out
