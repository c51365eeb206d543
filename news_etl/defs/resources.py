"""Resources: the store (a DuckDB file or a DuckLake catalog), the input folder, the spaCy model, the scale-out split.

Values come from :mod:`news_etl.settings`: a variable set in the environment is bound with
``dg.EnvVar`` (the web UI shows where it came from), otherwise the setting's default applies.
"""

import contextlib
import os

import dagster as dg
from pydantic import PrivateAttr

from news_etl import settings
from news_etl.nlp import model as nlp_model
from news_etl.warehouse.store import Store


class NewsStore(dg.ConfigurableResource):
    """The DuckDB file or DuckLake catalog. Every write goes through :class:`news_etl.warehouse.store.Store`."""

    database: str = settings.SETTINGS["NEWS_ETL_DATABASE"].default
    #: DuckLake only: where the table data goes ('' = NEWS_ETL_DATA_PATH, else the lake's default).
    data_path: str = ""
    #: Articles per batch: memory is bounded by it, and each batch commits on its own.
    batch_size: int = int(settings.SETTINGS["NEWS_ETL_BATCH_SIZE"].default)
    #: Worker processes for cleaning and spaCy (0: one per core, up to 4; 1: in-process).
    #: Pools are only started when a stage has at least two batches of work.
    workers: int = 0

    @property
    def store(self) -> Store:
        """The handle the stages take."""
        return Store(self.database, self.data_path or None)

    def connection(self, read_only: bool = False):
        return self.store.connection(read_only=read_only)


class NewsInbox(dg.ConfigurableResource):
    """The folder of raw news files (searched recursively)."""

    path: str = settings.SETTINGS["NEWS_ETL_INPUT"].default


class SpacyModel(dg.ConfigurableResource):
    """The spaCy pipeline; the model name is configurable (env ``NEWS_ETL_SPACY_MODEL``)."""

    model: str = nlp_model.DEFAULT_MODEL
    _nlp: object = PrivateAttr(default=None)

    def get(self):
        if self._nlp is None:
            from news_etl.nlp.pipeline import load_nlp  # spaCy only where documents are processed

            self._nlp = load_nlp(self.model)  # cached per process
        return self._nlp


class RunWorkers(dg.ConfigurableResource):
    """The run's worker processes: started when the run starts, when it has enough documents
    (:func:`news_etl.stages.runpool.pool_for_run`), so they load the spaCy model while the files
    are ingested; cleaning, enrichment and the report's charts share them; stopped at the run's end.
    A run started by ``news-etl run`` has its pool already (this resource then starts none)."""

    news_store: NewsStore
    inbox: NewsInbox
    spacy_model: SpacyModel
    _stack: object = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        from news_etl.stages.pending import pending_work
        from news_etl.stages.runpool import pool_for_run
        from news_etl.stages.workers import run_pool_size

        self._stack = contextlib.ExitStack()
        if run_pool_size():  # the run's pool is open already (news-etl run): no second listing
            return
        documents = pending_work(self.news_store.store, self.inbox.path).documents \
            if os.path.exists(self.inbox.path) else 0
        self._stack.enter_context(pool_for_run(documents, self.news_store.workers, self.spacy_model.model))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._stack is not None:
            self._stack.close()


class ScaleOut(dg.ConfigurableResource):
    """How the input is split: the number of shards and where shard outputs go (local or mounted storage)."""

    shards: int = 4
    staging_dir: str = "data/staging"


def _env(name: str):
    """``dg.EnvVar`` when the variable is set, else the setting's default (typed)."""
    s = settings.SETTINGS[name]
    if os.environ.get(name) in (None, ""):
        return s.kind(s.default)
    return dg.EnvVar.int(name) if s.kind is int else dg.EnvVar(name)


def default_resources() -> dict:
    news_store = NewsStore(database=_env("NEWS_ETL_DATABASE"), data_path=_env("NEWS_ETL_DATA_PATH"),
                           batch_size=_env("NEWS_ETL_BATCH_SIZE"), workers=_env("NEWS_ETL_WORKERS"))
    inbox = NewsInbox(path=_env("NEWS_ETL_INPUT"))
    spacy_model = SpacyModel(model=_env("NEWS_ETL_SPACY_MODEL"))
    return {
        "news_store": news_store,
        "inbox": inbox,
        "spacy_model": spacy_model,
        "run_workers": RunWorkers(news_store=news_store, inbox=inbox, spacy_model=spacy_model),
        "scaleout": ScaleOut(shards=_env("NEWS_ETL_SHARDS"), staging_dir=_env("NEWS_ETL_STAGING")),
    }


@dg.definitions
def resources() -> dg.Definitions:
    """The resources every asset, check, sensor and job of the code location uses."""
    return dg.Definitions(resources=default_resources(), executor=dg.in_process_executor)
