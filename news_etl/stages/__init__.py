"""The pipeline's stages as plain functions (no dagster imports).

Each stage streams in batches: it reads a batch of pending work with a short connection,
processes it without holding the database lock (in worker processes when there is enough
work), and hands the result to a sink, which writes it in one transaction. Memory is bounded
by the batch size, not the corpus; a crash loses at most the batch in flight, which the next
run picks up again (work is "pending" until its write commits).

- :mod:`news_etl.stages.ingest`: files -> ``source_files``, ``raw_documents``, rejects
- :mod:`news_etl.stages.clean`: raw documents -> validated ``articles``
- :mod:`news_etl.stages.enrich`: articles -> spaCy + news components -> child tables
- :mod:`news_etl.stages.shards`: the same per-batch functions over one shard, into Parquet
- :mod:`news_etl.stages.runpool`: one warm worker pool per run (model, cleaner, charts)
"""

import importlib

#: Imported on first use (PEP 562), so a light submodule (``stages.pending``) does not import them all.
_LAZY = {"clean_pending": "clean", "enrich_pending": "enrich", "ingest_folder": "ingest", "StageReport": "report"}
__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"news_etl.stages.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'news_etl.stages' has no attribute {name!r}")
