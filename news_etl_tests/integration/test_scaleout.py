"""The pipeline under Dagster's multiprocess executor: shards in parallel processes, Parquet
outputs merged into DuckDB, with the same rows as the ordinary single-writer pipeline."""

import shutil

import dagster as dg

from news_etl import stages
from news_etl_tests.conftest import SEED, html_article, query

TABLES = ("articles", "sentences", "entities", "quotes", "citations", "casualties", "rejected_files")


def scaleout_job():
    from news_etl.definitions import defs

    return defs().resolve_job_def("scaleout_job")


def test_sharded_multiprocess_run_matches_the_single_writer_pipeline(tmp_path, monkeypatch, nlp):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED, inbox)
    for i in range(7):
        (inbox / f"s{i}.html").write_text(html_article(60 + i))
    (inbox / "empty.txt").write_text("")
    sharded = tmp_path / "sharded.duckdb"
    monkeypatch.setenv("NEWS_ETL_INPUT", str(inbox))
    monkeypatch.setenv("NEWS_ETL_DATABASE", str(sharded))
    monkeypatch.setenv("NEWS_ETL_STAGING", str(tmp_path / "staging"))
    monkeypatch.setenv("NEWS_ETL_SHARDS", "2")  # two shards: two processes at once (max_concurrent 2)
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        result = dg.execute_job(dg.reconstructable(scaleout_job), instance=instance)
        assert result.success
        starts = [e for e in result.all_events if e.event_type_value == "STEP_START"
                  and e.step_key.startswith("sharded_load.process_shard")]
        assert len(starts) == 2
        assert len({e.pid for e in starts}) == 2          # each shard in its own process
        assert all(e.pid != result.dagster_run.run_id for e in starts)
    assert sorted(p.name for p in (tmp_path / "staging").iterdir()) == ["shard=000", "shard=001"]

    single = tmp_path / "single.duckdb"
    stages.ingest_folder(single, inbox)
    stages.clean_pending(single)
    stages.enrich_pending(single, nlp)
    for t in TABLES:
        assert query(sharded, f"SELECT count(*) FROM {t}") == query(single, f"SELECT count(*) FROM {t}"), t
    same = "SELECT article_id, title, body, enrichment_status FROM articles ORDER BY 1"
    assert query(sharded, same) == query(single, same)
    ents = "SELECT article_id, entity_index, text, canonical_name, start_char FROM entities ORDER BY 1, 2"
    assert query(sharded, ents) == query(single, ents)
    assert all((tmp_path / "staging" / f"shard={i:03d}" / "_MERGED").exists() for i in range(2))
    # A merge retried after a crash (shard not yet marked merged) replaces rows by key: nothing doubles.
    from news_etl.stages import shards
    for i in range(2):
        (tmp_path / "staging" / f"shard={i:03d}" / "_MERGED").rename(tmp_path / "staging" / f"shard={i:03d}" / "_SUCCESS")
    shards.merge_shards(sharded, tmp_path / "staging")
    for t in TABLES:
        assert query(sharded, f"SELECT count(*) FROM {t}") == query(single, f"SELECT count(*) FROM {t}"), t
