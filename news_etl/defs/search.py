"""The ``search_index`` asset: the BM25 full-text index over articles (title + body), refreshed each run.

Thin wrapper over :func:`news_etl.warehouse.search.build_index`; ``news-etl search`` and the SQL
macro ``fts_main_articles.match_bm25`` read it. DuckDB's ``fts`` extension is loaded from its
PyPI wheel (nothing is downloaded).
"""

import dagster as dg

from news_etl.defs.checks import eager_after_checks
from news_etl.defs.resources import NewsStore
from news_etl.warehouse import search

POOL = "duckdb"


def _mode(stats: search.IndexStats) -> str:
    return "updated in place" if stats.updated else "built anew" if stats.rebuilt else "unchanged"


@dg.asset(
    group_name="marts",
    kinds={"duckdb"},
    pool=POOL,
    deps=["articles"],
    automation_condition=eager_after_checks(),
    description="BM25 full-text index over articles (title and body), DuckDB fts schema "
                f"{search.INDEX_SCHEMA}: brought up to date by each run in which articles changed (the articles added, re-cleaned or removed are applied to it; built anew when most changed). Search with `news-etl search \"TEXT\"` "
                f"or in SQL with {search.INDEX_SCHEMA}.match_bm25(article_id, 'TEXT').",
)
def search_index(context: dg.AssetExecutionContext, news_store: NewsStore) -> dg.MaterializeResult:
    stats = search.refresh_index(news_store.store)
    context.log.info(f"search index: {stats.documents} articles, {stats.terms} terms "
                     f"({_mode(stats)}, {stats.seconds:.2f}s)")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": stats.documents,
        "terms": stats.terms,
        "seconds": round(stats.seconds, 3),
        "rebuilt": stats.rebuilt,
        "mode": _mode(stats),
        "index_schema": search.INDEX_SCHEMA,
    })
