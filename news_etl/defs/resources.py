"""Resources: where the DuckDB file and the input folder are, and the spaCy model (loaded once per process)."""

import os

import dagster as dg
from pydantic import PrivateAttr

from news_etl import nlp as nlp_core
from news_etl import store

DATABASE_ENV = "NEWS_ETL_DATABASE"
INPUT_ENV = "NEWS_ETL_INPUT"
DEFAULT_DATABASE = "data/news.duckdb"
DEFAULT_INPUT = "seeds"


class NewsStore(dg.ConfigurableResource):
    """The DuckDB file. Every write goes through :mod:`news_etl.store` (short, retried connections)."""

    database: str = DEFAULT_DATABASE
    #: Articles per batch: memory is bounded by it, and each batch commits on its own.
    batch_size: int = 64
    #: Worker processes for cleaning and spaCy (0: one per core, up to 4; 1: in-process).
    #: Pools are only started when a stage has at least two batches of work.
    workers: int = 0

    def connection(self, read_only: bool = False):
        return store.connection(self.database, read_only=read_only)


class NewsInbox(dg.ConfigurableResource):
    """The folder of raw news files (searched recursively)."""

    path: str = DEFAULT_INPUT


class SpacyModel(dg.ConfigurableResource):
    """The spaCy pipeline; the model name is configurable (env ``NEWS_ETL_SPACY_MODEL``)."""

    model: str = nlp_core.DEFAULT_MODEL
    _nlp: object = PrivateAttr(default=None)

    def get(self):
        if self._nlp is None:
            self._nlp = nlp_core.load_nlp(self.model)  # cached per process
        return self._nlp


def default_resources() -> dict:
    return {
        "news_store": NewsStore(database=os.getenv(DATABASE_ENV, DEFAULT_DATABASE),
                                batch_size=int(os.getenv("NEWS_ETL_BATCH_SIZE", "64")),
                                workers=int(os.getenv("NEWS_ETL_WORKERS", "0"))),
        "inbox": NewsInbox(path=os.getenv(INPUT_ENV, DEFAULT_INPUT)),
        "spacy_model": SpacyModel(model=nlp_core.model_name()),
    }
