"""The Dagster code location ``news_etl``: everything in the ``news_etl.defs`` package, loaded by
Dagster's own loader (nothing is listed by hand). The work lives in the functional core."""

import dagster as dg

import news_etl.defs


@dg.definitions
def defs() -> dg.Definitions:
    return dg.components.load_defs(news_etl.defs)
