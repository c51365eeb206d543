"""The worker pool of one run, warm for every stage (:func:`pool_for_run`). No dagster imports.

:func:`news_etl.stages.workers.run_pool` starts the processes; this module decides whether a run
has enough documents for them, and what a worker needs before its first task: the spaCy pipeline,
then the cleaner's and the report charts' libraries, so that no stage's first task pays for an
import or a lazy cache. The pool's fork server does it once, while the parent is still starting the
run and ingesting (:mod:`news_etl.stages.preload`); each worker, forked from it, finds it done.
"""

from __future__ import annotations

import contextlib

from news_etl.stages.workers import pool_size_for_run, run_pool


def warm_worker(model: str | None) -> None:
    """A run-pool worker's start: the spaCy pipeline (cached per process), the cleaner, the charts."""
    from news_etl.nlp.pipeline import load_nlp
    from news_etl.report.build import warm_up as warm_charts
    from news_etl.stages.clean import warm_up as warm_cleaner

    load_nlp(model)
    warm_cleaner()
    warm_charts()


def pool_for_run(documents: int, workers: int | None, model: str | None):
    """:func:`~news_etl.stages.workers.run_pool` for a run of about ``documents`` documents when
    that is enough work for ``workers`` (None or 0: one per core) processes; else a context that
    does nothing."""
    n = pool_size_for_run(documents, workers)
    return run_pool(n, model, initializer=warm_worker) if n > 1 else contextlib.nullcontext()
