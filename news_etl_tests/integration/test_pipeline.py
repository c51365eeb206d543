"""Full Dagster materialisations into real DuckDB files, on the seed and on bad input."""

import shutil
from datetime import datetime, timezone

import dagster as dg

from news_etl.definitions import defs
from news_etl.warehouse import store
from news_etl_tests.conftest import SEED, materialize_all, query

BOILERPLATE = ["Get the news faster", "Tap to install our app", "Install the Newser News app",
               "in two easy steps", "Tap in your navigation bar", "Tap to Add to Home Screen"]


def test_definitions_load_and_name_everything():
    d = defs()
    dg.Definitions.validate_loadable(d)
    keys = {k.to_user_string() for k in d.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {"raw_documents", "articles", "sentences", "entities", "quotes", "citations", "casualties",
                    "daily_counts", "news_report", "search_index", "sharded_load"}
    assert d.resolve_job_def("news_etl_job") and d.resolve_sensor_def("inbox_sensor")
    assert d.resolve_schedule_def("daily_rollup").cron_schedule == "15 2 * * *"


def test_seed_end_to_end_and_rerun_adds_nothing(seed_run, seeded_database, instance):
    # The session's materialisation of the seed (conftest.seed_run) is this test's first run.
    r, database = seed_run.result, seed_run.database
    assert r.success
    evals = r.get_asset_check_evaluations()
    assert evals and all(e.passed for e in evals), [e.check_name for e in evals if not e.passed]

    (row,) = query(database, """SELECT source_path, title, subtitle, authors, publisher, published_at, updated_at,
                                       language, body, word_count, image_caption, image_credit FROM articles""")
    (path, title, subtitle, authors, publisher, published, updated, language, body, words, caption, credit) = row
    assert path == SEED.name
    assert title == "Ukraine-Russia Talks End, as Bombing Escalates"
    assert subtitle == "Two sides were headed back to their capitals to assess"
    assert authors == ["John Johnson"] and publisher == "Newser" and language == "en"
    assert published == datetime(2022, 2, 28, 12, 48, tzinfo=timezone.utc)
    assert updated == datetime(2022, 2, 28, 17, 5, tzinfo=timezone.utc)
    for para in ("Update: The first day of talks", "The good news is that delegations",
                 "Before the talks began, Zelensky's office said"):
        assert para in body
    for junk in BOILERPLATE + ["Sergei Kholodilin", "They're Talking Face to Face"]:
        assert junk not in body, junk
    assert "Sergei Kholodilin/BelTA Pool Photo via AP" in (credit or "")
    assert caption.startswith("Vladimir Medinsky, the head of the Russian delegation")
    assert words == len(body.split())

    ents = query(database, "SELECT DISTINCT canonical_name, label FROM entities")
    persons = {n for n, lab in ents if lab == "PERSON"}
    places = {n for n, lab in ents if lab in ("GPE", "LOC")}
    assert {"Volodymyr Zelensky", "Vladimir Medinsky", "Dmitry Peskov"} <= persons
    assert {"Kyiv", "Kharkiv", "Belarus"} <= places
    # Every entity is traceable: its text is the body at its offsets.
    bad = query(database, """SELECT count(*) FROM entities e JOIN articles a USING (article_id)
                             WHERE substr(a.body, e.start_char + 1, e.end_char - e.start_char) <> e.text""")
    assert bad == [(0,)]
    # A bare surname resolves to the full name within the article.
    assert ("Volodymyr Zelensky",) in query(database,
                                            "SELECT canonical_name FROM entities WHERE text = 'Zelensky'")

    # Places on the map: the seed's Kharkiv and Kyiv are in Ukraine at their coordinates, and both
    # casualty figures have a place.
    places = dict((r[0], r[1:]) for r in query(database, """SELECT p.name, p.country_code, round(p.latitude),
        round(p.longitude) FROM entities e JOIN places p USING (place_id) WHERE e.text IN ('Kharkiv', 'Kyiv')"""))
    assert places == {"Kharkiv": ("UA", 50.0, 36.0), "Kyiv": ("UA", 50.0, 31.0)}
    assert query(database, """SELECT c.category, p.name FROM casualties c JOIN places p USING (place_id)
                              ORDER BY c.category""") == [("injured", "Kharkiv"), ("killed", "Kharkiv")]

    before = {t: query(database, f"SELECT count(*) FROM {t}")[0][0]
              for t in ("source_files", "raw_documents", "articles", "entities", "sentences", "quotes",
                        "casualties", "citations", "rejected_files")}
    # The second run goes into a copy of that database (the shared one stays read-only).
    database = seeded_database
    r2 = materialize_all(seed_run.inbox, database, instance)
    assert r2.success
    after = {t: query(database, f"SELECT count(*) FROM {t}")[0][0] for t in before}
    assert after == before
    new_rows = {m.asset_key.to_user_string(): m.materialization.metadata["new_rows"].value
                for m in r2.get_asset_materialization_events() if "new_rows" in m.materialization.metadata}
    assert new_rows["raw_documents"] == 0 and new_rows["articles"] == 0 and new_rows["entities"] == 0


def test_every_file_is_an_article_a_duplicate_or_a_reject(inbox, database, instance):
    (inbox / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(SEED, inbox / "nested" / "deeper" / "same bytes, other name.txt")
    (inbox / "empty.html").write_bytes(b"")
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (inbox / "binary.txt").write_bytes(b"\x00\x01" * 300)
    (inbox / "script-only.html").write_text("<html><head><script>var a=1;</script></head><body></body></html>")
    (inbox / "ok page.html").write_text(
        "<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1>"
        + "".join(f"<p>Paragraph {i}: the storm damaged homes along the coast, officials said on Tuesday, "
                  f"and crews worked through the night to restore power to thousands.</p>" for i in range(6))
        + "</article></body></html>")
    r = materialize_all(inbox, database, instance)
    assert r.success
    files = dict(query(database, "SELECT source_path, status FROM source_files"))
    assert files == {
        SEED.name: "ingested", "nested/deeper/same bytes, other name.txt": "duplicate",
        "empty.html": "rejected", "photo.jpg": "rejected", "binary.txt": "rejected",
        "script-only.html": "ingested", "ok page.html": "ingested",
    }
    rejects = {p: (stage, reason) for p, stage, reason in
               query(database, "SELECT source_path, stage, reason FROM rejected_files")}
    assert set(rejects) == {"empty.html", "photo.jpg", "binary.txt", "script-only.html"}
    assert rejects["script-only.html"][0] == "clean" and "no extractable" in rejects["script-only.html"][1]
    assert rejects["photo.jpg"][0] == "ingest" and "unsupported file type" in rejects["photo.jpg"][1]
    titles = {t for (t,) in query(database, "SELECT title FROM articles")}
    assert "Storm hits coast" in titles and len(titles) == 2
    # Nothing is lost: every file is accounted for, and a re-run keeps it that way without duplicating.
    materialize_all(inbox, database, instance)
    assert query(database, "SELECT count(*) FROM rejected_files") == [(4,)]
    assert query(database, "SELECT count(*) FROM articles") == [(2,)]


def test_worker_pool_gives_the_same_rows_as_one_process(tmp_path, nlp):
    from news_etl import stages
    from news_etl_tests.conftest import html_article

    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED, inbox)
    for i in range(11):
        (inbox / f"s{i}.html").write_text(html_article(40 + i))
    from news_etl.report.build import build_report
    from news_etl.stages.workers import run_pool

    reps = {}
    for workers in (1, 2):  # in-process; a pool per stage (batches of 4: enough work for one)
        db = tmp_path / f"w{workers}.duckdb"
        stages.ingest_folder(db, inbox)
        c = stages.clean_pending(db, batch_size=4, workers=workers)
        e = stages.enrich_pending(db, nlp, batch_size=4, workers=workers, model_name=None)
        reps[workers] = (c, e)
    # One pool for the whole run, started first (its workers load the model): used by every stage,
    # even one asked for a single process, and by the report's charts.
    run_db = tmp_path / "run.duckdb"
    with run_pool(2, None):
        stages.ingest_folder(run_db, inbox)
        reps["run"] = (stages.clean_pending(run_db, batch_size=4, workers=1),
                       stages.enrich_pending(run_db, nlp, batch_size=4, workers=1, model_name=None))
        pooled = build_report(run_db, tmp_path / "rep-run")
    alone = build_report(run_db, tmp_path / "rep-alone")
    assert reps[2][0].notes == ["workers: 2"] and reps[2][1].notes == ["workers: 2"]
    assert reps["run"][0].notes == ["workers: 2"] and reps["run"][1].notes == ["workers: 2"]
    assert reps[1][1].notes == ["workers: 1"]
    for sql in ("SELECT article_id, title, body, duplicate_of FROM articles ORDER BY 1",
                "SELECT * EXCLUDE (quote_id) FROM quotes ORDER BY article_id, start_char",
                "SELECT article_id, entity_index, text, label, canonical_name FROM entities ORDER BY 1, 2",
                "SELECT * EXCLUDE (casualty_id) FROM casualties ORDER BY article_id, start_char"):
        assert query(tmp_path / "w1.duckdb", sql) == query(tmp_path / "w2.duckdb", sql) == query(run_db, sql), sql
    assert query(tmp_path / "w2.duckdb", "SELECT count(*) FROM articles WHERE enrichment_status = 'done'") == [(12,)]
    assert pooled.preview_png == alone.preview_png and all(
        p.read_bytes() == alone.chart_paths[k].read_bytes() for k, p in pooled.chart_paths.items())


def test_a_dagster_run_starts_its_worker_pool_first_and_stops_it_at_the_end(tmp_path, instance, monkeypatch):
    """The run_workers resource: a run with enough documents gets one warm pool for all its steps."""
    from news_etl.defs.assets import articles, enrichment, raw_documents
    from news_etl.defs.resources import NewsInbox, NewsStore, RunWorkers, SpacyModel
    from news_etl.stages import workers
    from news_etl_tests.conftest import html_article

    monkeypatch.setattr(workers, "POOL_DOCS_PER_WORKER", 1)  # two documents are enough here
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(2):
        (inbox / f"s{i}.html").write_text(html_article(60 + i))
    res = {"news_store": NewsStore(database=str(tmp_path / "db.duckdb"), workers=2),
           "inbox": NewsInbox(path=str(inbox)), "spacy_model": SpacyModel()}
    result = dg.materialize([raw_documents, articles, enrichment], resources={**res, "run_workers": RunWorkers(**res)},
                            instance=instance)
    assert result.success
    md = {m.asset_key.to_user_string(): m.materialization.metadata for m in result.get_asset_materialization_events()}
    assert md["raw_documents"]["run_worker_processes"].value == 2
    assert md["entities"]["workers"].value == "workers: 2"  # two documents: no per-stage pool would start
    assert workers.run_pool_size() == 0  # stopped with the run
    assert query(tmp_path / "db.duckdb", "SELECT count(*) FROM articles WHERE enrichment_status = 'done'") == [(2,)]


def test_noop_rerun_processes_nothing(inbox, database):
    from news_etl import stages
    from news_etl_tests.conftest import html_article

    for i in range(3):
        (inbox / f"s{i}.html").write_text(html_article(70 + i))
    stages.ingest_folder(database, inbox)
    stages.clean_pending(database)
    assert query(database, "SELECT count(*) FROM articles WHERE reclean_requested IS NOT NULL") == [(0,)]
    stamp = query(database, "SELECT article_id, cleaned_at FROM articles ORDER BY 1")
    again = stages.clean_pending(database)
    assert again.seen == 0 and again.written["articles"] == 0
    assert query(database, "SELECT article_id, cleaned_at FROM articles ORDER BY 1") == stamp


def test_cleaning_reads_pending_content_in_byte_bounded_batches_and_misses_none(tmp_path):
    """The content read is cut by bytes (at least one row per read); walking the rowid cursor
    returns every pending document once, and a re-clean request comes back flagged."""
    from news_etl import stages
    from news_etl.warehouse import store
    from news_etl_tests.conftest import html_article

    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(9):
        (inbox / f"s{i}.html").write_text(html_article(20 + i))
    db = tmp_path / "t.duckdb"
    stages.ingest_folder(db, inbox)
    sizes = dict(query(db, "SELECT rowid, size_bytes FROM raw_documents"))
    budget = 2 * max(sizes.values())

    def walk():
        seen, after, reads = [], -1, 0
        with store.connection(db) as con:
            while rows := store.pending_for_cleaning(con, limit=5, after=after, max_bytes=budget):
                reads += 1
                assert len(rows) <= 5 and (len(rows) == 1 or sum(sizes[r["pos"]] for r in rows) <= budget)
                assert all(len(r["content"]) > 0 for r in rows)
                seen += [(r["pos"], r["article_id"], r["is_reclean"]) for r in rows]
                after = rows[-1]["pos"]
        return seen, reads

    seen, reads = walk()
    assert reads >= 5 and len(seen) == 9 and not any(r for *_, r in seen)
    assert sorted(a for _, a, _ in seen) == sorted(a for (a,) in query(db, "SELECT article_id FROM raw_documents"))
    stages.clean_pending(db)
    assert walk()[0] == []
    one = seen[3][1]
    with store.connection(db) as con:
        con.execute("UPDATE articles SET reclean_requested = true WHERE article_id = ?", [one])
    assert [(a, r) for _, a, r in walk()[0]] == [(one, True)]


def test_a_failing_integrity_check_fails_its_asset_step_and_nothing_downstream_runs_in_that_run(seeded_database, instance, inbox):
    # The integrity checks run inside the step of the asset they guard: a blocking one that fails
    # fails that step (Dagster's blocking check), so the roll-up below it is not built on bad rows.
    with store.connection(seeded_database) as con:
        con.execute("INSERT INTO casualties BY NAME SELECT * REPLACE ('no-such-article' AS article_id) "
                    "FROM casualties LIMIT 1")
    r = materialize_all(inbox, seeded_database, instance, raise_on_error=False)
    assert not r.success
    verdicts = {e.check_name: e.passed for e in r.get_asset_check_evaluations()}
    assert verdicts["no_orphan_rows"] is False
    assert verdicts["offsets_inside_body"] and verdicts["every_file_accounted_for"]
    failed = {e.step_key for e in r.all_events if e.is_step_failure}
    assert failed == {"enrichment"}
    # news-etl run's "failed step" line names the check, not only that one failed.
    from news_etl.cli import _step_failures
    assert [(step, "no_orphan_rows" in why) for step, why in _step_failures(r)] == [("enrichment", True)]
    built = {e.asset_key.to_user_string() for e in r.get_asset_materialization_events()}
    assert "daily_counts" not in built and "casualties" in built
