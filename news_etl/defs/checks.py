"""Cross-table integrity checks, run inside the step of the asset they guard.

The per-table pandera checks are emitted by the assets too. Running the integrity checks in the
asset's own step (``check_specs``), not as five steps of their own, saves each run five Dagster
steps and two database connections (one per guarded asset instead of one per check); a blocking
check that fails still fails its asset's step, so nothing downstream runs in that run (Dagster's
``DagsterAssetCheckFailedError``), and the marts' automation waits for upstream blocking checks
to pass (:func:`eager_after_checks`). A check no longer runs alone: it runs with its asset. The
queries live in :mod:`news_etl.warehouse.integrity`.
"""

import dagster as dg

from news_etl.defs.resources import NewsStore

# check name -> (asset it guards, blocking, description)
_CHECKS = {
    "offsets_inside_body": ("entities", True, "Every row's offsets point inside its article's body."),
    "text_matches_body": ("quotes", True, "Entity text, quote text and casualty phrase equal the body at their offsets."),
    "no_orphan_rows": ("casualties", True, "No enrichment row belongs to an article that does not exist."),
    "unique_article_ids": ("articles", True, "No article id appears twice."),
    "every_file_accounted_for": ("raw_documents", True,
                                 "Every input file is an article, a duplicate of one, or a reject with a reason."),
}


def eager_after_checks() -> dg.AutomationCondition:
    """``eager()``, once every blocking check of the asset's upstream assets has passed: the
    automation sensor does not build a mart from tables whose integrity check failed (in a run,
    the failed check's step already stops what is downstream of it)."""
    return (dg.AutomationCondition.eager() & dg.AutomationCondition.all_deps_blocking_checks_passed()) \
        .with_label("eager, after upstream blocking checks passed")


def _guarding(assets: tuple[str, ...]) -> dict[str, tuple[str, bool, str]]:
    return {name: spec for name, spec in _CHECKS.items() if spec[0] in assets}


def integrity_specs(*assets: str) -> list[dg.AssetCheckSpec]:
    """The check specs of the integrity checks that guard ``assets`` (for the asset's ``check_specs``)."""
    return [dg.AssetCheckSpec(name, asset=asset, blocking=blocking, description=description)
            for name, (asset, blocking, description) in _guarding(assets).items()]


def integrity_results(news_store: NewsStore, *assets: str) -> list[dg.AssetCheckResult]:
    """Run the integrity checks that guard ``assets`` (one connection) and return their results."""
    checks = _guarding(assets)
    found = news_store.store.run_checks(list(checks))
    out = []
    for name, (asset, _, _) in checks.items():
        bad, checked = found[name]
        out.append(dg.AssetCheckResult(
            check_name=name, asset_key=asset,
            passed=len(bad) == 0,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"violations": len(bad),
                      "scope": "whole database" if checked < 0 else f"{checked} articles enriched since the last pass",
                      "sample": dg.MetadataValue.md(bad.head(10).astype(str).to_markdown(index=False) if len(bad) else "none")},
        ))
    return out
