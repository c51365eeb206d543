"""Every input format through the real pipeline core into a real DuckDB file."""

import gzip
import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from news_etl import stages
from news_etl_tests.conftest import SEED, html_article, query

GERMAN = ("<html lang='en'><head><title>Neue Hilfen</title></head><body><article>" + "".join(
    "<p>Die Bundesregierung hat am Dienstag neue Massnahmen zur Unterstuetzung der Landwirte beschlossen, "
    "teilte das Ministerium in Berlin mit. Die Opposition kritisierte das Paket als unzureichend und forderte "
    "mehr Geld fuer kleine Betriebe.</p>" for _ in range(3)) + "</article></body></html>")


def run_core(inbox, database, nlp=None, **kw):
    reps = [stages.ingest_folder(database, inbox, **kw), stages.clean_pending(database)]
    if nlp is not None:
        reps.append(stages.enrich_pending(database, nlp))
    return reps


def _warc(records) -> bytes:
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, status, ctype, body in records:
        http = StatusAndHeaders(f"{status} X", [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    w.write_record(w.create_warc_record("https://example.org/a", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return buf.getvalue()


def test_gzip_json_jsonl_and_encodings(tmp_path, database):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.html.gz").write_bytes(gzip.compress(html_article(1).encode()))
    (inbox / "seed.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (inbox / "cp1252.html").write_bytes(html_article(2).replace("\u201c", "\u201c").encode("cp1252"))
    (inbox / "utf16.html").write_bytes(html_article(3).encode("utf-16"))
    (inbox / "latin1.htm").write_bytes(
        ('<meta charset="iso-8859-1">' + html_article(4).replace("Flooding", "Inondation \xe0 Caf\xe9")
         .replace("\u201c", '"').replace("\u201d", '"')).encode("latin-1"))
    records = [
        {"url": "https://x.example/1", "title": "Quake shakes region", "date": "2024-05-01T10:00:00Z",
         "authors": ["Ana Ruiz"], "text": "A strong earthquake shook the region on Wednesday.\n"
                                          "Officials said 4 people were killed and 30 injured."},
        {"url": "https://x.example/2", "html": html_article(5), "author": "Bo Lin"},
        {"url": "https://x.example/3", "text": 12345},                  # wrong type
        ["not", "an", "object"],                                        # wrong shape
    ]
    (inbox / "scrape.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken json\n")
    (inbox / "dump.json").write_text(json.dumps({"articles": [{"content": "Rain fell over the city all day, "
                                                                          "flooding three streets.", "title": "Rain"}]}))
    ing, cl = run_core(inbox, database)
    assert cl.rejected == 0, query(database, "select * from rejected_files")
    titles = {t for (t,) in query(database, "SELECT title FROM articles")}
    assert {"Flooding in Lagos kills 4", "Ukraine-Russia Talks End, as Bombing Escalates", "Quake shakes region",
            "Rain"} <= titles
    assert len(query(database, "SELECT * FROM articles")) == 8
    (quake,) = query(database, "SELECT authors, published_at, url, body FROM articles WHERE title = 'Quake shakes region'")
    assert quake[0] == ["Ana Ruiz"] and quake[1].year == 2024 and quake[2] == "https://x.example/1"
    assert "4 people were killed" in quake[3]
    bodies = " ".join(b for (b,) in query(database, "SELECT body FROM articles"))
    assert "\u201cWe are doing everything" in bodies          # cp1252 / utf-16 curly quotes survived
    assert "Inondation à Café" in " ".join(t for (t,) in query(database, "SELECT title FROM articles"))
    rejects = {r for (r,) in query(database, "SELECT reason FROM rejected_files WHERE source_path = 'scrape.jsonl'")}
    assert any("line 3: field 'text' should be a string" in r for r in rejects)
    assert any("line 4: record is a JSON list" in r for r in rejects)
    assert any("line 5: invalid JSON" in r for r in rejects)
    assert dict(query(database, "SELECT source_path, documents FROM source_files"))["scrape.jsonl"] == 2


def test_warc_responses_become_articles_and_the_rest_is_counted(tmp_path, database):
    inbox = tmp_path / "in"
    inbox.mkdir()
    warc = _warc([
        ("https://news.example/flood", "200", "text/html; charset=utf-8", html_article(6).encode()),
        ("https://news.example/quake", "200", "text/html", html_article(7).encode()),
        ("https://news.example/logo.png", "200", "image/png", b"\x89PNG...."),
        ("https://news.example/gone", "404", "text/html", b"<html>not found</html>"),
    ])
    (inbox / "crawl.warc").write_bytes(warc)
    (inbox / "crawl2.warc.gz").write_bytes(gzip.compress(_warc([
        ("https://news.example/storm", "200", "text/html", html_article(8).encode())])))
    (inbox / "corrupt.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntrunc")
    run_core(inbox, database)
    urls = {u for (u,) in query(database, "SELECT url FROM articles")}
    assert urls == {"https://news.example/flood", "https://news.example/quake", "https://news.example/storm"}
    assert query(database, "SELECT count(*) FROM raw_documents WHERE fetched_at IS NOT NULL") == [(3,)]
    files = {p: (st, d, sk) for p, st, d, sk in
             query(database, "SELECT source_path, status, documents, records_skipped FROM source_files")}
    assert files["crawl.warc"] == ("ingested", 2, 3)        # png, 404 and the request record skipped, counted
    assert files["corrupt.warc"][0] == "rejected"
    (reason,) = query(database, "SELECT reason FROM rejected_files WHERE source_path = 'corrupt.warc'")[0]
    assert "WARC" in reason


def test_non_english_is_stored_and_skips_english_enrichment(tmp_path, database, nlp):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "de.html").write_text(GERMAN)
    (inbox / "en.html").write_text(html_article(9))
    run_core(inbox, database, nlp)
    langs = dict(query(database, "SELECT language, enrichment_status FROM articles"))
    assert langs["de"] == "skipped: language 'de' is not English" and langs["en"] == "done"
    assert query(database, """SELECT count(*) FROM entities JOIN articles USING (article_id)
                              WHERE language = 'de'""") == [(0,)]


def test_near_duplicates_are_stored_and_linked(tmp_path, database):
    inbox = tmp_path / "in"
    (inbox / "site_a").mkdir(parents=True)
    (inbox / "site_b").mkdir()
    story = html_article(10)
    (inbox / "site_a" / "story.html").write_text(story)
    other = (story.replace("<nav>Home | World | Sport</nav>", "<nav>News | Local</nav>")
             .replace("Subscribe to our newsletter", "Copyright Site B")
             .replace("(report 10)", "(report 10, updated)"))
    (inbox / "site_b" / "story.html").write_text(other)
    (inbox / "unrelated.html").write_text("<html><body><article>" + "".join(
        f"<p>{p}</p>" for p in SEED.read_text().split("\n\n")[2:5]) + "</article></body></html>")
    run_core(inbox, database)
    rows = dict(query(database, "SELECT source_path, duplicate_of FROM articles"))
    ids = dict(query(database, "SELECT source_path, article_id FROM articles"))
    assert rows["site_a/story.html"] is None and rows["unrelated.html"] is None
    assert rows["site_b/story.html"] == ids["site_a/story.html"]


@pytest.mark.parametrize("name, data, why", [
    ("trunc.txt.gz", gzip.compress(SEED.read_bytes())[:900], "truncated gzip"),
    ("notgzip.txt.gz", b"this is not gzip at all", "invalid gzip"),
    ("bomb.html.gz", gzip.compress(b"\0" * (3 * 1024 * 1024)), "decompression bomb"),
    ("deep.html", ("<div>" * 5000 + "x" + "</div>" * 10).encode(), "no extractable"),
    ("nobody.html", b"<html><head><title>t</title></head></html>", "no extractable"),
    ("wrong.json", b'{"title": ["a"], "text": "x y z w"}', "should be a string"),
])
def test_bad_input_is_rejected_with_a_clear_reason(tmp_path, database, name, data, why):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / name).write_bytes(data)
    (inbox / "fine.html").write_text(html_article(12))
    run_core(inbox, database, max_bytes=2 * 1024 * 1024)
    reasons = query(database, "SELECT stage, reason FROM rejected_files WHERE source_path = ?", [name])
    assert reasons and why in reasons[0][1], reasons
    assert query(database, "SELECT count(*) FROM articles WHERE source_path = 'fine.html'") == [(1,)]


def test_awkward_file_names_and_symlinks(tmp_path, database):
    inbox = tmp_path / "in"
    inbox.mkdir()
    names = ["with space.html", "quote's \"double\".html", "ünïcødé – файл.html"]
    for i, n in enumerate(names):
        (inbox / n).write_text(html_article(20 + i))
    (inbox / "link.html").symlink_to(inbox / names[0])
    (inbox / "dangling.html").symlink_to(inbox / "missing.html")
    run_core(inbox, database)
    files = dict(query(database, "SELECT source_path, status FROM source_files"))
    assert all(files[n] == "ingested" for n in names[1:]), files
    # The link and its target are the same bytes: one article, the other path a duplicate of it.
    assert sorted([files[names[0]], files["link.html"]]) == ["duplicate", "ingested"]
    assert files["dangling.html"] == "rejected"
    assert len(query(database, "SELECT source_path FROM articles")) == 3


def test_huge_pages_are_slimmed_or_rejected_with_a_reason(tmp_path, database):
    inbox = tmp_path / "in"
    inbox.mkdir()
    para = "<p>Officials said the storm damaged hundreds of homes along the coast on Tuesday night.</p>\n"
    (inbox / "huge.html").write_text("<html><body><article>" + para * 160_000 + "</article></body></html>")
    blob = "<script>var d=" + "[" + ",".join(['"' + "x" * 500 + '"'] * 6000) + "];</script>"
    (inbox / "scripty.html").write_text(f"<html><head><title>Council vote</title>{blob}</head><body><article>"
                                        + html_article(30).split("<article>")[1])
    run_core(inbox, database)
    (reason,) = query(database, "SELECT reason FROM rejected_files WHERE source_path = 'huge.html'")[0]
    assert reason.startswith("page too large:") and "limit 12,000,000" in reason
    (body,) = query(database, "SELECT body FROM articles WHERE source_path = 'scripty.html'")[0]
    assert "emergency coordinator" in body and "xxxx" not in body
