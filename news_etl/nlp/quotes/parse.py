"""Small helpers on the spaCy parse shared by the quote and citation rules."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.quotes.lexicon import SPEECH_VERBS, TAG_VERBS


def tok_at(doc: Doc, char: int) -> Token | None:
    """The token covering char offset ``char`` (None past the end)."""
    sp = doc.char_span(char, char + 1, alignment_mode="expand")
    return sp[0] if sp is not None and len(sp) else None


def toks_between(doc: Doc, a: int, b: int) -> Span | None:
    """The tokens covering chars ``a`` to ``b``."""
    sp = doc.char_span(a, b, alignment_mode="expand")
    return sp


def is_speech(tok: Token, strict: bool = False) -> bool:
    """A verb that introduces words: a speech verb ("said"), "put it", "point out", "rule out";
    ``strict``: only those strong enough to be a tag after a quote without a comma."""
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


def leading_np(toks: list[Token], k: int) -> Span | None:
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


def cue_text(tok: Token) -> str:
    """The cue as written: the verb, with its particle ("pointed out") or "it" ("puts it")."""
    doc = tok.doc
    if tok.lemma_.lower() == "put" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "it":
        return doc[tok.i:tok.i + 2].text
    prt = [c for c in tok.children if c.dep_ == "prt" and c.i == tok.i + 1]
    if prt:
        return doc[tok.i:tok.i + 2].text
    return tok.text
