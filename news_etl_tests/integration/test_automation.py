"""The automation sensor has something to evaluate: the marts follow the tables they read."""

import dagster as dg

from news_etl.definitions import defs

UPSTREAM = ["raw_documents", "articles", "sentences", "entities", "quotes", "citations", "casualties"]
MARTS = {"daily_counts", "news_report", "search_index"}


def test_marts_are_requested_when_the_tables_they_read_change():
    d = defs()
    assert d.resolve_sensor_def("news_automation")
    with dg.instance_for_test() as instance:
        for key in UPSTREAM + sorted(MARTS):
            instance.report_runless_asset_event(dg.AssetMaterialization(key))
        first = dg.evaluate_automation_conditions(defs=d, instance=instance)
        assert first.total_requested == 0  # everything is up to date

        instance.report_runless_asset_event(dg.AssetMaterialization("quotes"))  # a run updated quotes only
        second = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=first.cursor)
        requested = {r.key.to_user_string() for r in second.results if r.true_subset.size}
        assert requested == MARTS - {"search_index"}  # the index reads articles only

        for key in sorted(MARTS - {"search_index"}):  # the marts catch up
            instance.report_runless_asset_event(dg.AssetMaterialization(key))
        third = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=second.cursor)
        assert third.total_requested == 0
        instance.report_runless_asset_event(dg.AssetMaterialization("articles"))  # e.g. a re-clean
        fourth = dg.evaluate_automation_conditions(defs=d, instance=instance, cursor=third.cursor)
        assert {r.key.to_user_string() for r in fourth.results if r.true_subset.size} == {"search_index"}
