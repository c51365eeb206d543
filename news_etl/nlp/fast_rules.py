"""Exact, faster stand-ins for the model's ``attribute_ruler`` and rule ``lemmatizer``.

Both of the model's pipes spend most of their time in per-token Python work whose result
depends only on a few token attributes. The stand-ins compute the same result once per
distinct attribute combination (a cache), read and write the Doc in whole columns
(``doc.to_array`` / ``doc.from_array``), and give *identical* annotations:

- :class:`FastAttributeRuler` evaluates the model's own AttributeRuler patterns (read from the
  pipe, never copied) with spaCy's semantics: every pattern is matched against the Doc as it is
  before any change, then the matches are applied in pattern order, so a later pattern overrides
  an earlier one on the attributes both set (``AttributeRuler.match`` sorts by pattern index).
  Supported: token specs on string attributes (``ORTH``, ``LOWER``, ``TAG``, ``DEP`` …) and flags
  (``IS_SPACE`` …) with a value, ``IN``, ``NOT_IN`` or ``REGEX``; patterns of any fixed length
  (no ``OP``) and any ``index``. Attributes set: ``POS``, ``TAG``, ``DEP``, ``LEMMA``, ``MORPH``.
- :class:`FastLemmatizer` computes a lemma once per distinct (text, POS, morphology), what the
  model's own cache keys on (spaCy recomputes base forms every time); in ``rule`` mode with
  spaCy's own rule step, searching the lemma index as a set (spaCy scans a list of up to 57,000
  words per candidate form), in ``lookup`` mode by calling the pipe.

:func:`install` puts them in a loaded pipeline after the model's pipes, which it disables (they
stay in ``nlp.components`` and can be switched back). A model whose patterns use anything else
keeps its own pipe. No dagster imports.
"""

from __future__ import annotations

import re
import warnings
from typing import Callable

import numpy
import spacy
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.errors import Warnings
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

#: Token attributes a pattern may test (strings compared by hash) and flags (compared as 0/1).
_STRING_KEYS = {"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "PREFIX",
                "SUFFIX", "ENT_TYPE"}
_FLAG_KEYS = {k for k in IDS if k.startswith(("IS_", "LIKE_"))} - {"IS_SENT_START"}
#: Attributes a pattern may set (plain struct fields, as ``set_token_attrs`` sets them).
_SET_ATTRS = (POS, TAG, DEP, LEMMA, MORPH)
_CACHE_MAX = 200_000


class Unsupported(ValueError):
    """The pipe uses a feature the stand-in does not reproduce; keep the model's pipe."""


def _predicate(key: str, value, strings) -> tuple[frozenset | None, Callable[[int], bool]]:
    """A test on the attribute's value (a hash or a flag), with spaCy Matcher semantics: the
    accepted values when the test is membership (a value, ``IN``), and the test itself."""
    if isinstance(value, bool) or (isinstance(value, int) and key in _FLAG_KEYS):
        want = int(value)
        return frozenset([want]), lambda v: v == want
    if isinstance(value, str) and key in _STRING_KEYS:
        want = strings.add(value)
        return frozenset([want]), lambda v: v == want
    if not isinstance(value, dict) or not value or key not in _STRING_KEYS:
        raise Unsupported(f"{key}: {value!r}")
    tests = []
    for op, arg in value.items():
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            ids = frozenset(get_string_id(a) for a in arg)
            tests.append((lambda v, ids=ids: v in ids) if op == "IN" else (lambda v, ids=ids: v not in ids))
        elif op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            tests.append(lambda v, rx=rx: bool(rx.search(strings[v])))
        else:
            raise Unsupported(f"{key}: {op} {arg!r}")
    if list(value) == ["IN"]:
        return ids, tests[0]
    return None, lambda v: all(t(v) for t in tests)


class FastAttributeRuler:
    """The model's AttributeRuler patterns, applied per distinct token (see the module doc).

    Every token spec of every pattern gets a bit; a token's bits (the specs it satisfies) are the
    AND over the tested attributes of a per-(attribute, value) mask, cached.
    """

    def __init__(self, ruler, name: str = "fast_attribute_ruler"):
        self.name = name
        self.vocab = ruler.vocab
        self._source = ruler
        self._cols: list[str] = []
        self._specs: dict[str, int] = {}                      # spec text -> bit number
        self._member: list[dict[int, int]] = []               # per column: value -> bits accepting it
        self._other: list[list[tuple[int, Callable]]] = []    # per column: (bit, test) of other tests
        self._tested: list[int] = []                          # per column: bits testing it
        self._single: list[tuple[int, int]] = []              # (pattern index, spec bit)
        self._multi: list[tuple[int, tuple[int, ...], int]] = []  # (pattern index, spec bits, target)
        self._attrs: list[dict[int, int]] = []
        for i, attrs in enumerate(ruler.attrs):
            if not set(attrs) <= set(_SET_ATTRS):
                raise Unsupported(f"pattern {i} sets {attrs}")
            self._attrs.append(dict(attrs))
            index = ruler.indices[i]
            for pattern in ruler.matcher.get(str(i))[1]:
                bits = tuple(self._spec(tok) for tok in pattern)
                if not -len(bits) <= index < len(bits):
                    raise Unsupported(f"pattern {i}: index {index}")
                if len(bits) == 1:
                    self._single.append((i, bits[0]))
                else:
                    self._multi.append((i, bits, index % len(bits)))
        self._all = (1 << len(self._specs)) - 1
        self._masks: list[dict[int, int]] = [{} for _ in self._cols]
        self._found: dict[int, tuple[tuple[int, int], ...]] = {}

    def __reduce__(self):
        """Pickled as the model's pipe it stands in for (its tests are closures), rebuilt on load:
        ``nlp.pipe(n_process=N)`` under the spawn and forkserver start methods pickles the pipeline."""
        return (type(self), (self._source, self.name))

    def _spec(self, tok: dict) -> int:
        """The bit of a token spec (specs written the same share one)."""
        text = repr(sorted(tok.items()))
        if text in self._specs:
            return 1 << self._specs[text]
        bit = 1 << len(self._specs)
        self._specs[text] = len(self._specs)
        for key, value in tok.items():
            key = key.upper()
            key = "ORTH" if key == "TEXT" else key
            accepted, test = _predicate(key, value, self.vocab.strings)
            if key not in self._cols:
                self._cols.append(key)
                self._member.append({})
                self._other.append([])
                self._tested.append(0)
            c = self._cols.index(key)
            self._tested[c] |= bit
            if accepted is None:
                self._other[c].append((bit, test))
            else:
                for v in accepted:
                    self._member[c][v] = self._member[c].get(v, 0) | bit
        return bit

    def _mask(self, c: int, v: int) -> int:
        """The specs a token whose column ``c`` holds ``v`` may satisfy (all that do not test c)."""
        mask = (self._all & ~self._tested[c]) | self._member[c].get(v, 0)
        for bit, test in self._other[c]:
            if test(v):
                mask |= bit
        masks = self._masks[c]
        if len(masks) > _CACHE_MAX:
            masks.clear()
        masks[v] = mask
        return mask

    def _assignments(self, pids: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """(column, value) pairs the patterns set, applied in order (later patterns win)."""
        out: dict[int, int] = {}
        for pid in pids:
            out.update(self._attrs[pid])
        return tuple((_SET_ATTRS.index(a), v) for a, v in out.items())

    def _for_mask(self, mask: int) -> tuple[tuple[int, int], ...]:
        found = self._found[mask] = self._assignments(tuple(i for i, b in self._single if mask & b))
        return found

    def _token_masks(self, doc: Doc) -> list[int]:
        n = len(doc)
        columns = doc.to_array([IDS[c] for c in self._cols]).reshape(n, -1).T.tolist()
        masks = [self._all] * n
        for c, values in enumerate(columns):
            cache = self._masks[c]
            masks = [m & (cache[v] if v in cache else self._mask(c, v)) for m, v in zip(masks, values)]
        return masks

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n or not self._cols:
            return doc
        masks = self._token_masks(doc)
        extra: dict[int, list[int]] = {}                  # token -> multi-token patterns setting it
        for pid, bits, target in self._multi:             # fixed length: check every start
            first, length = bits[0], len(bits)
            for start in [i for i, m in enumerate(masks[:n - length + 1]) if m & first]:
                if all(masks[start + j] & bits[j] for j in range(1, length)):
                    extra.setdefault(start + target, []).append(pid)
        out = doc.to_array(list(_SET_ATTRS)).tolist()
        found = self._found
        for i, mask in enumerate(masks):
            assign = found[mask] if mask in found else self._for_mask(mask)
            if i in extra:
                pids = {p for p, b in self._single if mask & b} | set(extra[i])
                assign = self._assignments(tuple(sorted(pids)))
            row = out[i]
            for col, value in assign:
                row[col] = value
        doc.from_array(list(_SET_ATTRS), numpy.array(out, dtype=numpy.uint64))
        return doc


class FastLemmatizer:
    """The model's lemmatizer, asked once per distinct (text, POS, morphology).

    In ``rule`` mode a new token goes through :meth:`_rule_lemma`, spaCy's own
    ``Lemmatizer.rule_lemmatize`` step for step except that the lemma index is searched as a
    set (spaCy scans the list: up to 57,000 words per look-up); other modes call the pipe.
    """

    def __init__(self, lemmatizer, name: str = "fast_lemmatizer"):
        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise Unsupported(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        self.name = name
        self.lemmatizer = lemmatizer
        self._own_rules = (lemmatizer.mode == "rule" and spacy.about.__version__.startswith("3.")
                           and getattr(type(lemmatizer), "rule_lemmatize", None) is Lemmatizer.rule_lemmatize)
        self._index: dict[str, frozenset] = {}
        self._cache: dict[tuple[int, int, int], int] = {}

    def _rule_lemma(self, token) -> str:
        """``Lemmatizer.rule_lemmatize(token)[0]`` (spaCy 3), with a set for the lemma index."""
        lem = self.lemmatizer
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            if univ_pos == "":
                warnings.warn(Warnings.W108)
            return string.lower()
        if lem.is_base_form(token):
            return string.lower()
        index_table = lem.lookups.get_table("lemma_index", {})
        exc_table = lem.lookups.get_table("lemma_exc", {})
        rules_table = lem.lookups.get_table("lemma_rules", {})
        if not any((index_table.get(univ_pos), exc_table.get(univ_pos), rules_table.get(univ_pos))):
            return string if univ_pos == "propn" else string.lower()
        if univ_pos not in self._index:
            self._index[univ_pos] = frozenset(index_table.get(univ_pos, {}))
        index = self._index[univ_pos]
        exceptions = exc_table.get(univ_pos, {})
        rules = rules_table.get(univ_pos, {})
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        return forms[0]

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if not lem._validated:
            lem._validate_tables()
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        cache, strings, overwrite = self._cache, doc.vocab.strings, lem.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                token = doc[i]
                value = strings.add(self._rule_lemma(token) if self._own_rules else lem.lemmatize(token)[0])
                if len(cache) > _CACHE_MAX:
                    cache.clear()
                cache[key] = value
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("news_fast_attribute_ruler", default_config={"source": "attribute_ruler"})
def news_fast_attribute_ruler(nlp: Language, name: str, source: str) -> FastAttributeRuler:
    """The pipeline's ``source`` AttributeRuler, applied per distinct token (exact)."""
    return FastAttributeRuler(nlp.get_pipe(source), name)


@Language.factory("news_fast_lemmatizer", default_config={"source": "lemmatizer"})
def news_fast_lemmatizer(nlp: Language, name: str, source: str) -> FastLemmatizer:
    """The pipeline's ``source`` lemmatizer, cached per distinct token (exact)."""
    return FastLemmatizer(nlp.get_pipe(source), name)


_STAND_INS = {"attribute_ruler": "news_fast_attribute_ruler", "lemmatizer": "news_fast_lemmatizer"}


def install(nlp: Language) -> list[str]:
    """Put the stand-ins after the model's ``attribute_ruler`` and ``lemmatizer`` and disable
    those (a pipe the stand-in cannot reproduce stays as it is). Returns the pipes replaced."""
    replaced = []
    for source, factory in _STAND_INS.items():
        name = f"fast_{source}"
        if source not in nlp.pipe_names or name in nlp.component_names:
            continue
        try:
            nlp.add_pipe(factory, name=name, after=source, config={"source": source})
        except Unsupported:
            continue
        nlp.disable_pipe(source)
        replaced.append(source)
    return replaced
