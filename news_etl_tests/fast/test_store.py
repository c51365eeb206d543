"""The store's writes, directly, on real DuckDB files: one transaction per write, replace-by-article
semantics, no duplicate rows on replay, and nothing half-written when a write fails."""

from datetime import datetime, timezone

import duckdb
import pandas as pd
import pytest

from news_etl.warehouse.batches import CleanBatch, EnrichmentBatch, IngestBatch
from news_etl.warehouse.store import Store, integrity_violations
from news_etl.warehouse.tables import frame

AT = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
BODY = "Officials said 3 people were hurt in Springfield."
HASH = "ab" * 32
AID = HASH[:16]


def _ingest() -> IngestBatch:
    src = frame("source_files", [{"source_path": "a.txt", "content_hash": HASH, "size_bytes": 10, "modified_at": AT,
                                  "status": "ingested", "article_id": AID, "first_seen_at": AT, "last_seen_at": AT,
                                  "documents": 1, "records_skipped": 0}])
    raw = frame("raw_documents", [{"article_id": AID, "content_hash": HASH, "source_path": "a.txt", "format": "text",
                                   "content": BODY, "ingested_at": AT, "size_bytes": len(BODY)}])
    return IngestBatch(src, raw, frame("rejected_files", []))


def _clean(body: str = BODY) -> CleanBatch:
    art = {"article_id": AID, "source_path": "a.txt", "authors": [], "body": body, "word_count": len(body.split()),
           "content_hash": HASH, "cleaned_at": AT}
    return CleanBatch(frame("articles", [art]))


def _enrichment(n_sentences: int = 1) -> EnrichmentBatch:
    sents = frame("sentences", [{"article_id": AID, "sentence_index": i, "start_char": 0, "end_char": len(BODY),
                                 "text": BODY} for i in range(n_sentences)])
    status = pd.DataFrame({"article_id": [AID], "enriched_at": [AT], "nlp_model": ["m"], "enrichment_status": ["done"]})
    return EnrichmentBatch(status, {"sentences": sents})


def _count(store: Store, table: str) -> int:
    with store.connection(read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def test_replayed_batches_add_no_rows(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    for _ in range(2):
        store.write(_ingest(), _clean(), _enrichment())
    assert [_count(store, t) for t in ("source_files", "raw_documents", "articles", "sentences")] == [1, 1, 1, 1]
    with store.connection(read_only=True) as con:
        assert con.execute("SELECT enrichment_status FROM articles").fetchall() == [("done",)]


def test_a_recleaned_article_loses_its_old_enrichment_rows(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    store.write(_ingest(), _clean(), _enrichment(n_sentences=2))
    assert _count(store, "sentences") == 2
    store.write_clean(_clean(BODY + " More."))  # new body: the old offsets would be wrong
    assert _count(store, "sentences") == 0
    with store.connection(read_only=True) as con:
        assert con.execute("SELECT body, enrichment_status FROM articles").fetchall() == [(BODY + " More.", None)]
    assert store.count_pending("enrich") == 1


def test_a_failing_write_leaves_nothing_half_written(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    bad = _enrichment()
    bad.children["not_a_table"] = frame("sentences", [])
    with pytest.raises(ValueError, match="unknown child table"):
        store.write(_ingest(), _clean(), bad)
    assert [_count(store, t) for t in ("source_files", "raw_documents", "articles")] == [0, 0, 0]


def test_schema_comes_from_the_declarations_with_comments(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        (comment,) = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'quotes' "
                                 "AND column_name = 'speaker_resolved'").fetchone()
        nullable = con.execute("SELECT is_nullable FROM duckdb_columns() WHERE table_name = 'articles' "
                               "AND column_name = 'body'").fetchone()[0]
    assert "fullest name" in comment and nullable is False


def test_pending_batches_walk_the_queue_once(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    store.write(_ingest())
    assert store.count_pending("clean") == 1
    batches = list(store.pending("clean", 10))
    assert len(batches) == 1 and batches[0][0]["article_id"] == AID and batches[0][0]["content"] == BODY
    store.write_clean(_clean())
    assert store.count_pending("clean") == 0 and list(store.pending("clean", 10)) == []


def test_schema_is_rewritten_only_when_its_fingerprint_changes(tmp_path):
    from news_etl.warehouse import store as store_mod

    s = Store(tmp_path / "db.duckdb")
    s.ensure_schema()
    with s.connection() as con:
        assert con.execute('SELECT schema_fingerprint FROM "_news_etl_lock"').fetchall() == \
            [(store_mod.schema_fingerprint(),)]
        con.execute("DROP VIEW who_said_what")
        store_mod.ensure_schema(con)  # current fingerprint: one query, nothing rewritten
        assert not con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'who_said_what'").fetchone()[0]
        con.execute('UPDATE "_news_etl_lock" SET schema_fingerprint = \'from an older version\'')
        store_mod.ensure_schema(con)  # another version's schema: tables, columns and views brought up to date
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'who_said_what'").fetchone()[0] == 1


def test_pending_counts_are_what_the_stages_would_process(tmp_path):
    s = Store(tmp_path / "db.duckdb")
    assert s.pending_counts() == {"clean": 0, "enrich": 0}  # no database yet
    s.ensure_schema()
    s.write(_ingest())
    assert s.pending_counts() == {"clean": 1, "enrich": 0}
    s.write(_clean())
    assert s.pending_counts() == {"clean": 0, "enrich": 1}
    s.write(_enrichment())
    assert s.pending_counts() == {"clean": 0, "enrich": 0}
    s.mark_for_reprocess("clean", [AID])
    assert s.pending_counts()["clean"] == 1 == len(list(s.pending("clean", 10)))
    rej = frame("rejected_files", [{"source_path": "a.txt", "content_hash": HASH, "stage": "clean",
                                    "reason": "no text", "rejected_at": AT}])
    s.write(IngestBatch(frame("source_files", []), frame("raw_documents", []), rej))
    assert s.pending_counts()["clean"] == 0 == len(list(s.pending("clean", 10)))  # the cleaner rejected it


def _sentence_batch(end_char: int, at: datetime) -> EnrichmentBatch:
    sents = frame("sentences", [{"article_id": AID, "sentence_index": 0, "start_char": 0, "end_char": end_char,
                                 "text": BODY[:end_char]}])
    status = pd.DataFrame({"article_id": [AID], "enriched_at": [at], "nlp_model": ["m"], "enrichment_status": ["done"]})
    return EnrichmentBatch(status, {"sentences": sents})


def test_body_checks_read_only_articles_enriched_since_they_last_passed(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    store.write(_ingest(), _clean(), _sentence_batch(len(BODY), AT))
    bad, checked = store.run_checks(["offsets_inside_body"])["offsets_inside_body"]
    assert (len(bad), checked) == (0, 1)
    assert store.run_checks(["offsets_inside_body"])["offsets_inside_body"][1] == 0  # passed once: not read again
    # The article is enriched again, with a row past the end of its body: checked, and failing
    # on every run until it is mended.
    later = datetime(2026, 1, 3, tzinfo=timezone.utc)
    with store.connection() as con:
        con.execute("UPDATE articles SET enriched_at = ?", [later])
        con.execute("UPDATE sentences SET end_char = ?", [len(BODY) + 5])
    for _ in range(2):
        bad, checked = store.run_checks(["offsets_inside_body"])["offsets_inside_body"]
        assert (len(bad), checked) == (1, 1)
        assert bad["article_id"].tolist() == [AID]
    # The whole-database query sees the same violation; the unscoped checks always read everything.
    with store.connection(read_only=True) as con:
        assert len(integrity_violations(con, "offsets_inside_body")) == 1
    assert store.run_checks(["no_orphan_rows"])["no_orphan_rows"][1] == -1
    # Mended: it passes, and the bookkeeping keeps one row per check and article.
    with store.connection() as con:
        con.execute("UPDATE sentences SET end_char = ?", [len(BODY)])
    assert [len(x) if i == 0 else x for i, x in enumerate(store.run_checks(["offsets_inside_body"])["offsets_inside_body"])] == [0, 1]
    with store.connection(read_only=True) as con:
        assert con.execute("SELECT article_id, enriched_at FROM _news_etl_checked "
                           "WHERE check_name = 'offsets_inside_body'").fetchall() == [(AID, later)]


def _many_ingested(ids: range) -> IngestBatch:
    hashes = [f"{i:016x}" * 4 for i in ids]
    src = frame("source_files", [{"source_path": f"{h[:16]}.txt", "content_hash": h, "size_bytes": 10,
                                  "modified_at": AT, "status": "ingested", "article_id": h[:16], "first_seen_at": AT,
                                  "last_seen_at": AT, "documents": 1, "records_skipped": 0} for h in hashes])
    raw = frame("raw_documents", [{"article_id": h[:16], "content_hash": h, "source_path": f"{h[:16]}.txt",
                                   "format": "text", "content": BODY, "ingested_at": AT, "size_bytes": len(BODY)}
                                  for h in hashes])
    return IngestBatch(src, raw, frame("rejected_files", []))


def test_a_small_write_leaves_the_stored_pages_where_they_are(tmp_path):
    """No key index on the keyed tables: once a row group holds a full vector (2,048 rows), a small
    write after a checkpoint starts a new row group, so the checkpoint writes only that (DuckDB
    appends to an indexed table's last row group and rewrites it -- every stored page -- at each
    checkpoint); a replay adds nothing."""
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    store.write(_many_ingested(range(2048)))
    blocks = "SELECT DISTINCT block_id FROM pragma_storage_info('raw_documents') WHERE row_group_id = 0 ORDER BY 1"
    with store.connection(read_only=True) as con:
        before = con.execute(blocks).fetchall()
    for _ in range(2):  # the second is a replay
        store.write(_many_ingested(range(2048, 2050)))
    with store.connection(read_only=True) as con:
        keyed = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN "
                            "('PRIMARY KEY', 'UNIQUE')").fetchall()[0][0]
        groups = con.execute("SELECT row_group_id, max(count) FROM pragma_storage_info('raw_documents') "
                             "GROUP BY ALL ORDER BY 1").fetchall()
        after = con.execute(blocks).fetchall()
    assert keyed == 0 and groups == [(0, 2048), (1, 2)] and after == before
    assert [_count(store, t) for t in ("source_files", "raw_documents")] == [2050, 2050]


def _raw_groups(store: Store) -> list[tuple[int, int]]:
    with store.connection(read_only=True) as con:
        return con.execute("SELECT row_group_id, max(count) FROM pragma_storage_info('raw_documents') "
                           "GROUP BY ALL ORDER BY 1").fetchall()


def test_writes_append_row_groups_that_compact_merges(tmp_path):
    """The pipeline's writes only append: the checkpoint after each write merges no small row groups
    (merging rewrote every page written since the last full row group, at every write), and
    ``compact`` merges them afterwards, every row kept; deleted rows are dropped too."""
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    for start in range(0, 300, 100):
        store.write(_many_ingested(range(start, start + 100)))
    assert _raw_groups(store) == [(0, 100), (1, 100), (2, 100)]
    with store.connection() as con:
        con.execute("DELETE FROM raw_documents WHERE article_id IN "
                    "(SELECT article_id FROM raw_documents ORDER BY article_id LIMIT 50)")
    merged = store.compact()
    assert merged["raw_documents"] == (3, 1) and merged["source_files"] == (3, 1)
    assert _raw_groups(store) == [(0, 250)]
    assert [_count(store, t) for t in ("source_files", "raw_documents")] == [300, 250]


def test_merging_at_each_write_is_a_setting(tmp_path, monkeypatch):
    """NEWS_ETL_DUCKDB_MERGE_ON_WRITE=1: DuckDB's default, each checkpoint merges the small row groups."""
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MERGE_ON_WRITE", "1")
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    for start in range(0, 300, 100):
        store.write(_many_ingested(range(start, start + 100)))
    assert _raw_groups(store) == [(0, 300)]


def test_a_database_with_key_indexes_is_rebuilt_without_them_once(tmp_path):
    """A database an earlier version made (PRIMARY KEY on the keyed tables) keeps its rows, comments
    and views, and loses the indexes the first time the current version opens it."""
    from news_etl.warehouse import store as store_mod
    from news_etl.warehouse.tables import TABLES, ddl

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        for t in TABLES.values():  # the earlier declaration: the key column with a PRIMARY KEY index
            old = ddl(t)
            for c in t.columns:
                if c.primary_key:
                    old = old.replace(f'"{c.name}" {c.type} NOT NULL', f'"{c.name}" {c.type} PRIMARY KEY', 1)
            con.execute(old)
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
                           ).fetchall()[0][0] == 4
    store = Store(path)
    store.write(_ingest(), _clean())  # the first write also brings the schema up to date
    store.write(_ingest(), _clean())
    with store.connection(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
                           ).fetchall()[0][0] == 0
        assert con.execute("SELECT article_id, body FROM articles").fetchall() == [(AID, BODY)]
        assert con.execute("SELECT count(*) FROM unique_articles").fetchall()[0][0] == 1
        (comment,) = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'raw_documents'").fetchone()
        nullable = con.execute("SELECT is_nullable FROM duckdb_columns() WHERE table_name = 'raw_documents' "
                               "AND column_name = 'article_id'").fetchone()[0]
        compression = con.execute("SELECT DISTINCT compression FROM pragma_storage_info('raw_documents') "
                                  "WHERE column_name = 'content' AND segment_type = 'VARCHAR'").fetchall()
    assert comment and nullable is False and compression == [("Uncompressed",)]
    assert store_mod.drop_key_indexes(duckdb.connect(str(path)), TABLES["articles"]) is False


def test_overlapping_writes_in_one_process_store_each_article_once(tmp_path):
    """Two writers in one process (two connections to the same file) write the same new article at
    the same time: the write lock makes the later one conflict and run again, and its anti-join then
    sees the winner's row."""
    import threading

    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    gate = threading.Barrier(2)
    errors = []

    def write():
        try:
            gate.wait()
            store.write(_ingest(), _clean())
        except Exception as err:  # noqa: BLE001 -- reported below
            errors.append(err)

    for _ in range(5):
        threads = [threading.Thread(target=write) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert [_count(store, t) for t in ("source_files", "raw_documents", "articles")] == [1, 1, 1]


def test_unseen_files_are_the_new_and_the_changed_ones(tmp_path):
    """The no-op check's comparison (plain DuckDB, no pandas): a file is unseen when it is not
    recorded, or its size or modification time (to the millisecond) differs from the record."""
    from news_etl.warehouse import queue

    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    store.write(_ingest())  # a.txt, 10 bytes, modified at AT
    ms = int(AT.timestamp() * 1000)
    listing = [("new.txt", 5, ms), ("a.txt", 10, ms + 1), ("a.txt", 11, ms), ("a.txt", 10, ms + 5)]
    with store.connection(read_only=True) as con:
        assert queue.unseen_files(con, listing) == [("a.txt", 10, ms + 5), ("a.txt", 11, ms), ("new.txt", 5, ms)]
        assert queue.unseen_files(con, []) == []
    frame_in = pd.DataFrame(listing, columns=["source_path", "size_bytes", "mtime_ms"])
    assert list(store.unseen_files(frame_in)["source_path"]) == ["a.txt", "a.txt", "new.txt"]
    with duckdb.connect() as empty:  # no tables yet: every file is unseen
        assert queue.unseen_files(empty, listing[:1]) == listing[:1]


def _pages(b: int, n: int = 200, size: int = 100_000) -> IngestBatch:
    hashes = [f"{b:08x}{i:08x}" * 4 for i in range(n)]
    src = frame("source_files", [{"source_path": f"{h[:16]}.html", "content_hash": h, "size_bytes": size,
                                  "modified_at": AT, "status": "ingested", "article_id": h[:16], "first_seen_at": AT,
                                  "last_seen_at": AT, "documents": 1, "records_skipped": 0} for h in hashes])
    raw = frame("raw_documents", [{"article_id": h[:16], "content_hash": h, "source_path": f"{h[:16]}.html",
                                   "format": "html", "content": (h * (size // 64 + 1))[:size], "ingested_at": AT,
                                   "size_bytes": size} for h in hashes])
    return IngestBatch(src, raw, frame("rejected_files", []))


def test_a_memory_cap_too_small_for_the_pages_is_a_clear_error_and_loses_nothing(tmp_path, monkeypatch):
    """Pages written under a DuckDB cap too small to checkpoint them: DuckDB's FATAL error becomes one
    sentence naming the setting; every committed batch is kept, and with a larger cap the writes go on."""
    from news_etl.warehouse.store import StoreOutOfMemory

    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "64MB")
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MERGE_ON_WRITE", "1")  # merging: each checkpoint rewrites more pages
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    written = 0
    with pytest.raises(StoreOutOfMemory, match=r"NEWS_ETL_DUCKDB_MEMORY=64MB\) while checkpointing") as err:
        for b in range(10):  # 100 KB pages, 200 per write: DuckDB needs more than 64 MB to checkpoint them
            store.write(_pages(b))
            written = b + 1
    assert "NEWS_ETL_DUCKDB_MEMORY=1GB" in str(err.value) and "\n" not in str(err.value)
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "1GB")
    assert _count(store, "raw_documents") == 200 * (written + 1)  # the failing write's commit is durable
    store.write(_pages(written))  # replayed: nothing doubled
    store.write(_pages(99))
    assert _count(store, "raw_documents") == 200 * (written + 2)


def test_appending_writes_need_no_more_memory_as_the_pages_grow(tmp_path, monkeypatch):
    """The writes that the 64 MB cap could not checkpoint when each checkpoint merged the small row
    groups (the test above) all pass when writes only append: a write's memory is its own batch's."""
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "64MB")
    store = Store(tmp_path / "db.duckdb")
    store.ensure_schema()
    for b in range(10):
        store.write(_pages(b))
    assert _count(store, "raw_documents") == 2000 and len(_raw_groups(store)) == 10


def test_the_compact_command_says_what_it_merged(tmp_path, capsys):
    from news_etl import cli

    db = tmp_path / "db.duckdb"
    assert cli.main(["compact", "--database", str(db)]) == 2  # no database yet: said, nothing created
    assert "does not exist" in capsys.readouterr().err and not db.exists()
    store = Store(db)
    store.ensure_schema()
    for start in range(0, 200, 100):
        store.write(_many_ingested(range(start, start + 100)))
    assert cli.main(["compact", "--database", str(db)]) == 0
    out = capsys.readouterr().out
    assert "raw_documents: 2 -> 1" in out and "source_files: 2 -> 1" in out
    assert _raw_groups(store) == [(0, 200)]
