"""The inbox sensor: a new file starts a run; the same bytes again request nothing."""

import os
import shutil

import dagster as dg

from news_etl.defs.sensors import inbox_sensor
from news_etl.defs.resources import NewsInbox, NewsStore
from news_etl_tests.conftest import SEED, copy_database, query


def _tick(instance, inbox, database, cursor=None):
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor,
                                  resources={"inbox": NewsInbox(path=str(inbox)),
                                             "news_store": NewsStore(database=str(database))})
    result = inbox_sensor(ctx)
    return result, ctx.cursor


def _run_main_job(seed_run, inbox, database):
    """The database a run of the main job on ``inbox`` (the seed alone) leaves behind.

    That run is the session's: conftest.seed_run materialises the whole graph on the same file
    once; its database is copied here, and the inbox file gets the modification time that run
    recorded for it (a run records the size and time of the file it read).
    """
    assert sorted(p.name for p in inbox.iterdir()) == [SEED.name]
    assert seed_run.result.success
    st = (seed_run.inbox / SEED.name).stat()
    os.utime(inbox / SEED.name, ns=(st.st_atime_ns, st.st_mtime_ns))
    copy_database(seed_run.database, database)
    return True


def _requests(result):
    if isinstance(result, dg.SkipReason):
        return []
    if isinstance(result, dg.RunRequest):
        return [result]
    return list(result.run_requests or [])


def test_drop_file_run_request_then_same_bytes_request_nothing(tmp_path, database, instance, monkeypatch, seed_run):
    monkeypatch.setenv("NEWS_ETL_SETTLE_SECONDS", "0")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result, cursor = _tick(instance, inbox, database)
    assert _requests(result) == []

    shutil.copy(SEED, inbox / SEED.name)
    result, cursor = _tick(instance, inbox, database, cursor)
    (req,) = _requests(result)
    assert req.tags["news_etl/new_files"] == "1" and len(req.tags["news_etl/batch"]) == 20
    # Run what it requested (the main job's assets) and find the article.
    assert _run_main_job(seed_run, inbox, database)
    assert query(database, "SELECT title FROM articles") == [("Ukraine-Russia Talks End, as Bombing Escalates",)]

    # Nothing changed: nothing requested.
    result, cursor = _tick(instance, inbox, database, cursor)
    assert _requests(result) == []
    # The same bytes under a new name: detected by content, nothing requested.
    shutil.copy(SEED, inbox / "copy.txt")
    result, cursor = _tick(instance, inbox, database, cursor)
    assert _requests(result) == [] and "already stored" in result.skip_message
    # A changed file (new content) is requested again.
    (inbox / "copy.txt").write_text(SEED.read_text() + "\nA late correction paragraph was added to this story.\n")
    result, cursor = _tick(instance, inbox, database, cursor)
    assert len(_requests(result)) == 1


def test_a_file_still_being_written_waits_for_the_next_tick(tmp_path, database, instance, monkeypatch, seed_run):
    monkeypatch.setenv("NEWS_ETL_SETTLE_SECONDS", "3600")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    result, cursor = _tick(instance, inbox, database)
    assert _requests(result) == [] and "still being written" in result.skip_message
    monkeypatch.setenv("NEWS_ETL_SETTLE_SECONDS", "0")
    result, cursor = _tick(instance, inbox, database, cursor)
    assert len(_requests(result)) == 1
    # The same bytes as a JSON-lines copy's whole-file hash are recognised too (source_files).
    assert _run_main_job(seed_run, inbox, database)
    (inbox / "again.txt").write_bytes(SEED.read_bytes())
    result, cursor = _tick(instance, inbox, database, cursor)
    assert _requests(result) == []


def test_files_with_old_times_are_found_and_the_cursor_stays_small(tmp_path, database, instance, monkeypatch,
                                                                   seed_run):
    from news_etl.ingest import watch

    monkeypatch.setenv("NEWS_ETL_SETTLE_SECONDS", "5")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    assert _run_main_job(seed_run, inbox, database)
    old = 1_000_000_000  # 2001: a file moved or copied in keeps its old modification time
    (inbox / "moved-in.txt").write_text("A council report\n\nThe council met on Monday and approved the budget "
                                        "for the new library after a long debate about its cost.\n")
    os.utime(inbox / "moved-in.txt", (old, old))
    result, cursor = _tick(instance, inbox, database)
    (req,) = _requests(result)
    assert req.tags["news_etl/new_files"] == "1" and req.tags["news_etl/first_file"] == "moved-in.txt"
    # Touched copies of stored bytes are remembered by digest, never more than MAX_REMEMBERED.
    monkeypatch.setattr(watch, "MAX_REMEMBERED", 3)
    for i in range(5):
        shutil.copy(SEED, inbox / f"copy-{i}.txt")
        os.utime(inbox / f"copy-{i}.txt", (old, old))
    os.remove(inbox / "moved-in.txt")
    result, cursor = _tick(instance, inbox, database, cursor)
    assert _requests(result) == [] and "already stored" in result.skip_message
    import json
    assert len(json.loads(cursor)["stored"]) == 3
