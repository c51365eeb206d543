"""Cross-table asset checks (the per-table pandera checks are emitted by the assets themselves)."""

import dagster as dg

from news_etl.defs.resources import NewsStore

POOL = "duckdb"

# check name -> (asset it guards, blocking, description)
_CHECKS = {
    "offsets_inside_body": ("entities", True, "Every row's offsets point inside its article's body."),
    "text_matches_body": ("quotes", True, "Entity text, quote text and casualty phrase equal the body at their offsets."),
    "no_orphan_rows": ("casualties", True, "No enrichment row belongs to an article that does not exist."),
    "unique_article_ids": ("articles", True, "No article id appears twice."),
    "every_file_accounted_for": ("raw_documents", True,
                                 "Every input file is an article, a duplicate of one, or a reject with a reason."),
}


def _make_check(name: str, asset: str, blocking: bool, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(name=name, asset=asset, blocking=blocking, description=description, pool=POOL)
    def _check(news_store: NewsStore) -> dg.AssetCheckResult:
        bad, checked = news_store.store.run_check(name)
        return dg.AssetCheckResult(
            passed=len(bad) == 0,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"violations": len(bad),
                      "scope": "whole database" if checked < 0 else f"{checked} articles enriched since the last pass",
                      "sample": dg.MetadataValue.md(bad.head(10).astype(str).to_markdown(index=False) if len(bad) else "none")},
        )

    return _check


integrity_checks = [_make_check(n, *spec) for n, spec in _CHECKS.items()]
