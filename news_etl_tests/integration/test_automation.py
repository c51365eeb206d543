"""The automation sensor has something to evaluate: the marts follow the tables they read, once
the blocking integrity checks of those tables have passed."""

import dagster as dg

from news_etl.defs.checks import integrity_specs
from news_etl.definitions import defs

UPSTREAM = ["raw_documents", "articles", "sentences", "entities", "quotes", "citations", "casualties"]
MARTS = {"daily_counts", "news_report", "search_index"}


def _materialize(instance, key: str, checks_pass: bool = True) -> None:
    """A materialization of ``key`` and, as its step would record them, its blocking checks' results."""
    instance.report_runless_asset_event(dg.AssetMaterialization(key))
    for spec in integrity_specs(key):
        instance.report_runless_asset_event(dg.AssetCheckEvaluation(
            asset_key=spec.asset_key, check_name=spec.name, passed=checks_pass, blocking=spec.blocking))


def _requested(result) -> set[str]:
    return {r.key.to_user_string() for r in result.results if r.true_subset.size}


def test_marts_are_requested_when_the_tables_they_read_change():
    d = defs()
    assert d.resolve_sensor_def("news_automation")
    with dg.instance_for_test() as instance:
        for key in UPSTREAM + sorted(MARTS):
            _materialize(instance, key)
        first = dg.evaluate_automation_conditions(defs=d, instance=instance)
        assert first.total_requested == 0  # everything is up to date

        _materialize(instance, "quotes")  # a run updated quotes only
        second = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=first.cursor)
        assert _requested(second) == MARTS - {"search_index"}  # the index reads articles only

        for key in sorted(MARTS - {"search_index"}):  # the marts catch up
            _materialize(instance, key)
        third = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=second.cursor)
        assert third.total_requested == 0
        _materialize(instance, "articles")  # e.g. a re-clean
        fourth = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=third.cursor)
        assert _requested(fourth) == {"search_index"}


def test_a_failed_blocking_check_holds_back_the_marts_until_it_passes():
    d = defs()
    with dg.instance_for_test() as instance:
        for key in UPSTREAM + sorted(MARTS):
            _materialize(instance, key)
        first = dg.evaluate_automation_conditions(defs=d, instance=instance)
        assert integrity_specs("quotes")  # quotes has a blocking check (text_matches_body)

        _materialize(instance, "quotes", checks_pass=False)  # new quotes whose text does not match the body
        second = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=first.cursor)
        assert not _requested(second) & {"daily_counts", "news_report"}

        _materialize(instance, "quotes")  # fixed and materialized again: its check passes
        third = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=second.cursor)
        assert _requested(third) == MARTS - {"search_index"}
