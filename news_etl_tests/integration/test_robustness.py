"""No input can break the pipeline: generated bad input (hypothesis), mutated real pages (fuzz),
and a run killed mid-way (SIGKILL) that a re-run completes exactly once."""

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_etl import stages
from news_etl.cli import main
from news_etl.warehouse import store
from news_etl_tests.conftest import ROOT, SEED, html_article, query

EXTENSIONS = [".html", ".htm", ".txt", ".json", ".jsonl", ".warc", ".gz", ".html.gz", ".txt.gz", ".jsonl.gz",
              ".pdf", ""]


def assert_accounted(database, names: set[str]) -> None:
    """Every input file is an article, a duplicate of one, or a reject with a reason."""
    files = dict(query(database, "SELECT source_path, status FROM source_files"))
    assert set(files) == names
    assert set(files.values()) <= {"ingested", "duplicate", "rejected"}
    for path, status in files.items():
        if status == "rejected":
            assert query(database, "SELECT count(*) FROM rejected_files WHERE source_path = ? AND reason <> ''",
                         [path])[0][0] >= 1, path
    # Every stored document became an article or has a reject with its content hash.
    assert query(database, """SELECT count(*) FROM raw_documents r
                              WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = r.article_id)
                                AND NOT EXISTS (SELECT 1 FROM rejected_files j WHERE j.content_hash = r.content_hash)
                           """) == [(0,)]
    with store.connection(database, read_only=True) as con:
        for check in store.INTEGRITY_QUERIES:
            assert len(store.integrity_violations(con, check)) == 0, check


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                               st.sampled_from(["url", "html", "text", "title", "date", "authors", "content", "x"]),
                               kids, max_size=5), max_leaves=12)
tags = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<html>", "<body>", "<script>", "</script>", "<br>",
                        "<article>", "<!--", "-->", "<title>", "&amp;", "&#0;", "<![CDATA[", "\x00", "\ufeff"])
html_soup = st.lists(st.one_of(tags, st.text(max_size=40)), max_size=40).map("".join)
contents = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    html_soup.map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(json_values, max_size=5).map(lambda vs: "\n".join(json.dumps(v) for v in vs).encode()),
    st.binary(max_size=500).map(gzip.compress),
    st.binary(max_size=500).map(lambda b: gzip.compress(b)[: max(1, len(b) // 3)]),
    st.just(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n"),
)
names = st.text(alphabet=st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)),
                min_size=1, max_size=12).filter(lambda n: not n.startswith(".") and n.strip() == n)
files = st.dictionaries(st.tuples(names, st.sampled_from(EXTENSIONS)).map("".join), contents, min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files)
def test_generated_bad_input_never_raises_and_is_accounted_for(batch):
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "in"
        inbox.mkdir()
        written = set()
        for name, data in batch.items():
            try:
                (inbox / name).write_bytes(data)
                written.add(name)
            except OSError:  # a name the file system refuses (too long in bytes, ...)
                continue
        database = Path(tmp) / "news.duckdb"
        stages.ingest_folder(database, inbox, max_bytes=1_000_000)
        stages.clean_pending(database)
        assert_accounted(database, written)


def _mutations(data: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    out = []
    for i in range(6):
        b = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out.append((f"flip{i}", bytes(b)))
    out.append(("trunc", data[: len(data) // 3]))
    out.append(("nul", data[:100] + b"\x00" * 50 + data[100:]))
    out.append(("nested", b"<div>" * 3000 + data + b"</span>" * 50))
    out.append(("unclosed", data.replace(b"</p>", b"").replace(b"</article>", b"")))
    out.append(("mixed-enc", data[: len(data) // 2] + data[len(data) // 2:].decode("utf-8", "ignore").encode("utf-16")))
    out.append(("scripts", b"<script>" + data + b"</script>"))
    out.append(("gz-trunc", gzip.compress(data)[:-20]))
    return out


def test_fuzzed_real_pages_through_the_whole_pipeline(tmp_path, nlp):
    rng = random.Random(20261125)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for base_name, data in (("seed", SEED.read_bytes()), ("page", html_article(3).encode())):
        ext = ".txt" if base_name == "seed" else ".html"
        for tag, mutated in _mutations(data, rng):
            name = f"{base_name}-{tag}{'.txt.gz' if tag == 'gz-trunc' else ext}"
            (inbox / name).write_bytes(mutated)
    database = tmp_path / "news.duckdb"
    stages.ingest_folder(database, inbox)
    stages.clean_pending(database)
    rep = stages.enrich_pending(database, nlp)
    assert_accounted(database, {p.name for p in inbox.iterdir()})
    assert query(database, "SELECT count(*) FROM articles")[0][0] >= 10   # most mutations still yield text
    assert rep.processed == query(database, "SELECT count(*) FROM articles WHERE enrichment_status = 'done'")[0][0]


#: The killed run's arguments. One process does the work (``--workers 1``): the kill is aimed at
#: the process that writes the batches; pools against in-process are compared in test_pipeline.
def _run_args(inbox, database, batch_size=4) -> list[str]:
    return ["run", "--input", str(inbox), "--database", str(database), "--batch-size", str(batch_size),
            "--workers", "1"]


def _cli(inbox, database, batch_size=4):
    env = dict(os.environ)
    env.pop("DAGSTER_HOME", None)
    return subprocess.Popen([sys.executable, "-m", "news_etl.cli", *_run_args(inbox, database, batch_size)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _count(database, sql):
    try:
        with store.connection(database, read_only=True, timeout_s=2) as con:
            return con.execute(sql).fetchall()[0][0]
    except Exception:
        return None


def test_killed_run_then_rerun_equals_one_clean_run(tmp_path, inbox, monkeypatch):
    for i in range(24):
        (inbox / f"story-{i:02d}.html").write_text(html_article(100 + i))
    killed = tmp_path / "killed.duckdb"
    proc = _cli(inbox, killed)
    deadline = time.time() + 300  # the loop ends at the first committed batch; the margin is for a busy machine
    state = None
    while time.time() < deadline and proc.poll() is None:
        done = _count(killed, "SELECT count(*) FROM articles WHERE enrichment_status IS NOT NULL")
        if done is not None and done > 0:  # mid-enrichment: some batches committed, others not
            state = done
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert state is not None and state < 25
    # The database is consistent after the kill: no half-written article.
    assert_accounted_partial = query(killed, """SELECT count(*) FROM entities e JOIN articles a USING (article_id)
                                                WHERE a.enrichment_status IS NULL""")
    assert assert_accounted_partial == [(0,)]

    # The re-run and the reference run are the same command, in-process (the kill needed a
    # process of its own; they do not).
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(_run_args(inbox, killed)) == 0
    clean = tmp_path / "clean.duckdb"
    assert main(_run_args(inbox, clean)) == 0
    for t in ("source_files", "raw_documents", "articles", "sentences", "entities", "quotes", "citations",
              "casualties", "rejected_files"):
        assert query(killed, f"SELECT count(*) FROM {t}") == query(clean, f"SELECT count(*) FROM {t}"), t
    key = "SELECT article_id, body, enrichment_status FROM articles ORDER BY 1"
    assert query(killed, key) == query(clean, key)
    ents = "SELECT article_id, entity_index, text, start_char FROM entities ORDER BY 1, 2"
    assert query(killed, ents) == query(clean, ents)
