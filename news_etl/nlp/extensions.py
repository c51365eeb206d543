"""The Doc extensions of the news components, registered in one place.

Two kinds:

- **records** (``doc._.quotes``, ``doc._.citations``, ``doc._.casualties``, ``doc._.published_at``):
  the components' output. They travel with the Doc through ``doc.to_bytes()``, so
  ``nlp.pipe(texts, n_process=N)`` works with the components in anyone's pipeline: the record
  dataclasses, dates and datetimes are packed by a msgpack encoder registered with srsly.
- **working state** (``doc._.people``, ``doc._.outlets``): objects the components share while a
  Doc goes through the pipeline (the article's people, the outlet spans). They are kept on the
  Doc in ``doc.user_hooks`` (which spaCy never serializes, unlike ``doc.user_data``), so a Doc
  that comes back from another process has them unset and a component that needs them builds
  them; and they die with the Doc (the state holds Spans of its Doc: a table keyed by the Doc,
  even a weak one, would keep every Doc alive for the life of the process).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import srsly
from spacy.tokens import Doc

_RECORDS: dict[str, type] = {}


def record_type(cls: type) -> type:
    """Class decorator: the dataclass can be stored on a Doc and serialized with it."""
    _RECORDS[cls.__name__] = cls
    return cls


def record_extension(name: str) -> None:
    """``doc._.<name>``, stored in ``doc.user_data`` (serialized with the Doc); default None."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


class _StateSlot:
    """Getter and setter of one state extension: a key of ``doc.user_hooks``; picklable by name
    (``nlp.pipe(n_process=N)`` under spawn/forkserver pickles the extensions' getters)."""

    def __init__(self, name: str):
        self.name = name
        self.key = f"news_etl.{name}"  # spaCy's own hooks have plain names ("sents", "vector", ...)

    def get(self, doc: Doc):
        return doc.user_hooks.get(self.key)

    def set(self, doc: Doc, value) -> None:
        doc.user_hooks[self.key] = value


def state_extension(name: str) -> None:
    """``doc._.<name>``, kept beside the Doc for as long as it lives (never serialized)."""
    if Doc.has_extension(name):
        return
    slot = _StateSlot(name)
    Doc.set_extension(name, getter=slot.get, setter=slot.set)


_TEXT_KEY = "news_etl.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc and kept with it (in ``doc.user_hooks``, as the working
    state): spaCy's ``Doc.text`` joins every token anew on each access, which made it the largest
    cost of the components when called per mention. A Doc's text never changes (tokenization and
    retokenization keep it). It is kept with the Doc's length, because ``Span.as_doc()`` hands its
    new Doc the *same* hooks dict: a Doc of another length joins its own text."""
    kept = doc.user_hooks.get(_TEXT_KEY)
    if kept is None or kept[0] != len(doc):
        kept = doc.user_hooks[_TEXT_KEY] = (len(doc), doc.text)
    return kept[1]


_TAG = "__news_etl__"


@srsly.msgpack_encoders("news_etl")
def encode(obj, chain=None):
    """msgpack: a record as its class name and field values; dates and datetimes as ISO text."""
    name = type(obj).__name__
    if name in _RECORDS and isinstance(obj, _RECORDS[name]):
        return {_TAG: name, "v": [getattr(obj, f.name) for f in dataclasses.fields(obj)]}
    if isinstance(obj, datetime):
        return {_TAG: "datetime", "v": obj.isoformat()}
    if isinstance(obj, date):
        return {_TAG: "date", "v": obj.isoformat()}
    return obj if chain is None else chain(obj)


@srsly.msgpack_decoders("news_etl")
def decode(obj, chain=None):
    """The inverse of :func:`encode`."""
    if isinstance(obj, dict) and _TAG in obj:
        kind, v = obj[_TAG], obj["v"]
        if kind == "datetime":
            return datetime.fromisoformat(v)
        if kind == "date":
            return date.fromisoformat(v)
        return _RECORDS[kind](*v)
    return obj if chain is None else chain(obj)


class FindThenAnnotate:
    """The shape of a rule-based spaCy component (as spaCy's own): ``__call__`` finds the
    results, then sets them on the Doc. Subclasses implement ``find`` and ``set_annotations``."""

    name = ""

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.find(doc))
        return doc

    def find(self, doc: Doc):  # pragma: no cover - abstract
        raise NotImplementedError

    def set_annotations(self, doc: Doc, found) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
