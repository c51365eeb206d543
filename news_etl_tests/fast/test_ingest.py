"""Ingestion core: discovery, reading, decoding and rejection reasons (no Dagster)."""

import os

from news_etl.ingest.reader import article_id_for, decode_bytes, discover, read_source, sha256


def _read(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    src = next(s for s in discover(tmp_path) if s.source_path == name)
    return read_source(src)


def test_discover_is_recursive_sorted_and_relative(tmp_path):
    for rel in ["b.html", "a/z.txt", "a/c d é.txt", ".hidden.txt", "a/.git/x.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("hello")
    found = [s.source_path for s in discover(tmp_path)]
    assert found == ["b.html", "a/c d é.txt", "a/z.txt"] or sorted(found) == sorted(["b.html", "a/c d é.txt", "a/z.txt"])
    assert ".hidden.txt" not in found and all(".git" not in f for f in found)


def test_identity_is_the_content_hash(tmp_path):
    r = _read(tmp_path, "x.txt", b"Some news text.\n")
    assert r.rejection is None
    doc = r.documents[0]
    assert doc.content_hash == sha256(b"Some news text.\n")
    assert doc.article_id == article_id_for(doc.content_hash) == doc.content_hash[:16]
    assert doc.fmt == "text" and doc.source_path == "x.txt"


def test_rejects_carry_stage_and_reason(tmp_path):
    cases = {
        "empty.txt": (b"", "empty file"),
        "blank.html": (b"   \n\t ", "empty file"),
        "nul.html": (b"<html>\x00\x00\x00</html>", "NUL bytes"),
        "binary.txt": (bytes(range(1, 32)) * 200, "binary content"),
        "doc.pdf": (b"%PDF-1.4", "unsupported file type"),
    }
    for name, (data, why) in cases.items():
        r = _read(tmp_path, name, data)
        assert r.documents == [], name
        assert r.rejection is not None and r.rejection.stage == "ingest", name
        assert why in r.rejection.reason, (name, r.rejection.reason)


def test_size_limit_is_a_clear_reject(tmp_path):
    p = tmp_path / "big.html"
    p.write_bytes(b"<p>x</p>" * 1000)
    src = next(discover(tmp_path))
    r = read_source(src, max_bytes=100)
    assert r.rejection and "over the 100-byte limit" in r.rejection.reason


def test_broken_symlink_and_unreadable_file_are_rejected(tmp_path):
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    r = next(read_source(s) for s in discover(tmp_path) if s.source_path == "dangling.html")
    assert r.rejection and "broken symlink" in r.rejection.reason
    if os.geteuid() != 0:  # root can read anything
        p = tmp_path / "locked.txt"
        p.write_text("secret")
        p.chmod(0)
        r = next(read_source(s) for s in discover(tmp_path) if s.source_path == "locked.txt")
        assert r.rejection and "cannot be read" in r.rejection.reason


def test_decoding_boms_declared_charsets_and_windows_1252():
    text, enc, problem = decode_bytes("<p>Café “quoted”</p>".encode("utf-16"), "html")
    assert problem is None and "Café “quoted”" in text and enc == "utf-16"
    latin = '<meta charset="iso-8859-1"><p>Caf\xe9 na\xefve</p>'.encode("latin-1")
    text, enc, problem = decode_bytes(latin, "html")
    assert problem is None and "Café naïve" in text and enc == "iso-8859-1"
    cp = "He said \u201cno\u201d \u2014 twice".encode("cp1252")
    text, enc, problem = decode_bytes(cp, "text")
    assert problem is None and "\u201cno\u201d \u2014" in text and enc == "cp1252"
    text, enc, problem = decode_bytes("plain ünïcode".encode("utf-8"), "text")
    assert (text, enc, problem) == ("plain ünïcode", "utf-8", None)


def test_ingestion_batches_are_bounded_by_bytes_and_their_memory_handed_back(tmp_path, monkeypatch):
    """A batch is written once it holds INGEST_BATCH_BYTES of documents (not only a file count),
    and the parent hands the freed memory back after each write (glibc, as on this machine)."""
    import platform

    import news_etl.stages.ingest as ingest
    import news_etl.stages.workers as workers
    from news_etl.warehouse.store import Store

    for i in range(5):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{i}.txt").write_text(f"Story {i}\n\n" + "Officials said the road reopened. " * 40)
    writes = []
    monkeypatch.setattr(ingest, "INGEST_BATCH_BYTES", 2_000)  # about two of these files
    monkeypatch.setattr(Store, "write_ingest", lambda self, b: writes.append(len(b.raw_documents)))
    rep = ingest.ingest_folder(Store(tmp_path / "db.duckdb"), tmp_path / "in", batch_size=1000)
    assert rep.processed == 5 and writes == [2, 2, 1]
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert workers.release_freed_memory() is True
