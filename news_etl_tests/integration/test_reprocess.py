"""The re-process / backfill path: stored articles processed again, rows replaced, never duplicated."""

import dagster as dg

from news_etl import stages
from news_etl.warehouse import store
from news_etl.cli import main
from news_etl_tests.conftest import query

CHILD = ("sentences", "entities", "quotes", "citations", "casualties")


def _counts(db):
    return {t: query(db, f"SELECT count(*) FROM {t}")[0][0] for t in ("articles", *CHILD)}


def test_reprocess_enrich_and_clean_replace_rows(inbox, seeded_database, monkeypatch):
    # The seed as the whole graph stored it (a copy of the session's run, conftest.seed_run).
    database = seeded_database
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    before = _counts(database)
    (t0,) = query(database, "SELECT enriched_at FROM articles")[0]
    # An analyst removes a quote row by mistake; re-enrichment restores exactly the extractor's rows.
    with store.connection(database) as con:
        con.execute("DELETE FROM quotes WHERE quote_id = (SELECT min(quote_id) FROM quotes)")
    assert main(["reprocess", "--stage", "enrich", "--input", str(inbox), "--database", str(database)]) == 0
    assert _counts(database) == before
    assert query(database, "SELECT enriched_at FROM articles")[0][0] > t0
    # Clean again from the raw document: same article id, rows rebuilt, nothing doubled.
    assert main(["reprocess", "--stage", "clean", "--input", str(inbox), "--database", str(database)]) == 0
    assert _counts(database) == before
    assert query(database, "SELECT reclean_requested, enrichment_status FROM articles") == [(None, "done")]


def test_retry_rejected_after_a_cleaner_failure(inbox, database):
    stages.ingest_folder(database, inbox)
    (h,) = query(database, "SELECT content_hash FROM raw_documents")[0]
    # A cleaner bug rejected the document (as the per-file boundary records it).
    with store.connection(database) as con:
        con.execute("INSERT INTO rejected_files VALUES (?, ?, 'clean', 'cleaner failed: KeyError: x', now())",
                    ["000_210ea27e4310d9e6.txt", h])
    stages.clean_pending(database)
    assert query(database, "SELECT count(*) FROM articles") == [(0,)]
    with store.connection(database) as con:
        out = store.mark_for_reprocess(con, "enrich", [], retry_rejected=True)
    assert out == {"articles": 0, "rejects_retried": 1}
    stages.ingest_folder(database, inbox)
    stages.clean_pending(database)
    assert query(database, "SELECT count(*) FROM articles") == [(1,)]
    assert query(database, "SELECT count(*) FROM rejected_files") == [(0,)]


def test_backfill_from_the_launchpad_config(inbox, seeded_database, instance):
    from news_etl.defs.assets import articles, enrichment, raw_documents
    from news_etl.defs.resources import NewsInbox, NewsStore, RunWorkers, SpacyModel

    # The seed already stored (a copy of the session's run, conftest.seed_run); the launchpad's
    # run below materialises a selection of the graph with a reprocess config.
    database = seeded_database
    assets = [raw_documents, articles, enrichment]
    res = {"news_store": NewsStore(database=str(database)), "inbox": NewsInbox(path=str(inbox)),
           "spacy_model": SpacyModel()}
    res["run_workers"] = RunWorkers(**res)
    before = _counts(database)
    (aid,) = query(database, "SELECT article_id FROM articles")[0]
    r = dg.materialize(assets, resources=res, instance=instance,
                       run_config={"ops": {"enrichment": {"config": {"reprocess": aid}}}})
    assert r.success
    md = {m.asset_key.to_user_string(): m.materialization.metadata for m in r.get_asset_materialization_events()}
    assert md["entities"]["articles_enriched"].value == 1 and md["entities"]["new_rows"].value == before["entities"]
    assert _counts(database) == before


def test_a_failing_reclean_keeps_the_stored_article(inbox, database):
    stages.ingest_folder(database, inbox)
    stages.clean_pending(database)
    (aid, body) = query(database, "SELECT article_id, body FROM articles")[0]
    # The (improved) cleaner now finds nothing in this document.
    with store.connection(database) as con:
        con.execute("UPDATE raw_documents SET content = '   '")
        store.mark_for_reprocess(con, "clean", [aid])
    stages.clean_pending(database)
    assert query(database, "SELECT article_id, body, reclean_requested FROM articles") == [(aid, body, None)]
    assert query(database, "SELECT count(*) FROM rejected_files") == [(0,)]
    assert query(database, "SELECT check_name FROM validation_failures WHERE article_id = ?", [aid]) == [
        ("reclean_failed",)]
