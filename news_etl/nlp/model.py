"""Which spaCy model the pipeline uses, and its label: answered without importing spaCy.

Everything that only needs the model's *name* (Dagster resources, asset metadata, the CLI)
imports this module; :mod:`news_etl.nlp.pipeline` (spaCy and the news components) is imported
only where documents are processed, so a run with nothing to enrich never pays for it.
"""

from __future__ import annotations

from importlib import metadata

from news_etl import settings

MODEL_ENV = "NEWS_ETL_SPACY_MODEL"
DEFAULT_MODEL = settings.SETTINGS[MODEL_ENV].default


def model_name() -> str:
    """The configured spaCy model name (env ``NEWS_ETL_SPACY_MODEL``, else the default)."""
    return settings.get(MODEL_ENV) or DEFAULT_MODEL


def model_label(name: str | None = None) -> str:
    """``<package>-<version>`` of an installed model, without loading it (``-?``: not a package)."""
    name = name or model_name()
    try:
        return f"{name}-{metadata.version(name)}"
    except (metadata.PackageNotFoundError, ValueError):
        return f"{name}-?"
