"""The analyst views, the HTML report (checked in headless Chromium) and the README's SQL examples.

Real pipeline (Dagster materialisation into a real DuckDB file), real matplotlib, real browser.
The browser test is skipped with a message when Debian's chromium or playwright is missing.
"""

import base64
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from news_etl.warehouse import search, store
from news_etl.report.build import CHARTS, HTML_NAME, build_report
from news_etl.warehouse.views import VIEWS
from news_etl_tests.conftest import ROOT, SEEDS, html_article, materialize_all

CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
DOCS_WITH_SQL = [ROOT / "README.md", ROOT / "docs" / "views-and-report.md"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Columns the views had before this change: a contract (later versions add, never rename).
OLD_COLUMNS = {
    "who_said_what": ["speaker", "quote_text", "kind", "cue", "reported_via", "title", "publisher", "published_at",
                      "article_id", "start_char", "end_char"],
    "casualty_reports": ["category", "location", "event_day", "n_articles", "best", "low", "high", "reported_via",
                         "article_ids"],
    "entity_mentions": ["canonical_name", "label", "mentions", "articles"],
    "article_overview": ["article_id", "title", "publisher", "published_at", "language", "word_count", "source_path",
                         "n_entities", "n_quotes", "n_casualties"],
}


@pytest.fixture(scope="module")
def rich_db(tmp_path_factory):
    """The seed plus six synthetic HTML pages, through the real Dagster graph."""
    import dagster as dg

    base = tmp_path_factory.mktemp("report")
    inbox = base / "inbox"
    shutil.copytree(SEEDS, inbox)
    for i in range(6):
        (inbox / f"page_{i}.html").write_text(html_article(i), encoding="utf-8")
    database = base / "db" / "news.duckdb"
    with dg.instance_for_test() as instance:
        result = materialize_all(inbox, database, instance)
    assert result.success
    return database


def _rows(database, sql, params=None):
    with store.connection(database, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _columns(database, view):
    with store.connection(database, read_only=True) as con:
        return [r[0] for r in con.execute(f'DESCRIBE "{view}"').fetchall()]


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------

def test_every_view_runs_and_returns_rows(rich_db):
    for view in VIEWS:
        (n,) = _rows(rich_db, f'SELECT count(*) FROM "{view}"')[0]
        assert n > 0, f"view {view} returned no rows"
    for view, cols in OLD_COLUMNS.items():
        have = _columns(rich_db, view)
        assert have[: len(cols)] == cols, f"{view}: existing columns changed: {have}"


def test_views_answer_the_questions(rich_db):
    # who said what: resolved speaker, outlet, title, day
    rows = _rows(rich_db, "SELECT speaker, quote_text, outlet, title, published_day FROM who_said_what "
                          "WHERE speaker = 'Volodymyr Zelensky'")
    assert rows and all(r[2] == "Newser" and r[3] and r[4] for r in rows)

    # top speakers: ordered by quotes, no bare pronouns, counts match who_said_what on unique articles
    top = _rows(rich_db, "SELECT speaker, quotes, articles FROM top_speakers")
    assert [r[1] for r in top] == sorted((r[1] for r in top), reverse=True)
    assert not {r[0].lower() for r in top} & {"he", "she", "they", "it"}
    speaker, quotes, _ = top[0]
    (expected,) = _rows(rich_db, "SELECT count(*) FROM who_said_what WHERE speaker = ? AND NOT is_duplicate_article",
                        [speaker])[0]
    assert quotes == expected

    # entity mentions per day add up to the mentions of named entities in unique articles
    (by_day,) = _rows(rich_db, "SELECT sum(mentions) FROM entity_mentions_by_day")[0]
    (direct,) = _rows(rich_db, "SELECT count(*) FROM entities e JOIN articles a USING (article_id) "
                               "WHERE a.duplicate_of IS NULL AND e.label IN ('PERSON','ORG','GPE','LOC','NORP',"
                               "'FAC','EVENT','PRODUCT','WORK_OF_ART','LAW')")[0]
    assert by_day == direct

    # co-occurrence: each unordered pair once, both entities really in each listed article
    pairs = _rows(rich_db, "SELECT entity_a, label_a, entity_b, label_b, articles, article_ids, entity_id_a, "
                           "entity_id_b FROM entity_cooccurrence")
    assert len({(ia, ib) for *_, ia, ib in pairs}) == len(pairs)
    assert all((a, la) <= (b, lb) and n == len(ids) for a, la, b, lb, n, ids, _, _ in pairs)
    *_, ids, ia, ib = pairs[0]
    for aid in ids:
        there = {r[0] for r in _rows(rich_db, "SELECT entity_id FROM entities WHERE article_id = ?", [aid])}
        assert {ia, ib} <= there

    # outlets cited: the seed credits CNN, the Washington Post, ...; every synthetic page credits Reuters
    outlets = {r[0]: r for r in _rows(rich_db, "SELECT outlet, articles, citations, quotes, casualty_figures "
                                               "FROM outlets_cited")}
    assert {"CNN", "Washington Post", "Reuters"} <= set(outlets)
    assert outlets["Washington Post"][4] >= 1          # casualty figures reported via the Post
    assert outlets["CNN"][3] >= 1                      # a quote reported via CNN
    (unique_pages,) = _rows(rich_db, "SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0]
    assert outlets["Reuters"][1] == unique_pages       # seed ("per Reuters") + every unique synthetic page


def test_casualty_reports_best_low_high_and_no_near_duplicates(rich_db, tmp_path):
    # In the real database: no article flagged as a near-duplicate is behind any figure.
    dups = {r[0] for r in _rows(rich_db, "SELECT article_id FROM articles WHERE duplicate_of IS NOT NULL")}
    behind = {aid for (ids,) in _rows(rich_db, "SELECT article_ids FROM casualty_reports") for aid in ids}
    assert behind and not behind & dups
    # The seed: "11 people reported killed" (per the Washington Post) is one precise figure.
    killed = _rows(rich_db, "SELECT best, low, high FROM casualty_reports WHERE category = 'killed' AND best = 11")
    assert killed == [(11, 11, 11)]

    # Three reports of one event (two articles + a near-duplicate of one of them): best = most
    # conservative precise figure, low/high = range; the near-duplicate is left out.
    db = tmp_path / "t.duckdb"
    with store.connection(db) as con:
        store.ensure_schema(con)
        for aid, dup in (("a1", None), ("a2", None), ("a3", "a1")):
            con.execute("INSERT INTO articles (article_id, source_path, title, published_at, body, word_count, "
                        "content_hash, cleaned_at, duplicate_of) VALUES (?, ?, 't', TIMESTAMPTZ '2024-05-02 10:00:00+00', "
                        "'body', 1, ?, now(), ?)", [aid, aid, aid, dup])
        figures = [("a1", 12, 12, "exact", False), ("a1", 10, None, "at_least", False),
                   ("a2", 15, 20, "exact", False), ("a2", None, None, "vague", True), ("a3", 3, 900, "exact", False)]
        for i, (aid, lo, hi, qual, vague) in enumerate(figures):
            con.execute("INSERT INTO casualties (casualty_id, article_id, category, count_low, count_high, qualifier, "
                        "is_vague, phrase, location, event_date, start_char, end_char) "
                        "VALUES (?, ?, 'killed', ?, ?, ?, ?, 'p', 'Gaza', DATE '2024-05-01', 0, 1)",
                        [f"c{i}", aid, lo, hi, qual, vague])
        row = con.execute("SELECT best, low, high, n_articles, list_sort(article_ids) FROM casualty_reports").fetchall()
    assert row == [(10, 10, 20, 2, ["a1", "a2"])]


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

def _assert_self_contained(html_text: str) -> None:
    assert "<script" not in html_text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html_text, re.I), "external reference"
    assert "url(" not in html_text.lower()
    assert not re.search(r"<link\b", html_text, re.I)


CHARTS_FIRST = f"{next(iter(CHARTS))}.png"


def test_build_report_files(rich_db, tmp_path):
    res = build_report(rich_db, tmp_path / "out")
    assert res.html_path == tmp_path / "out" / HTML_NAME and res.html_path.exists()
    assert set(res.chart_paths) == set(CHARTS)
    for p in res.png_paths:
        assert p.read_bytes().startswith(PNG_MAGIC) and p.stat().st_size > 5000
    assert not res.empty and res.notes == []
    (n_articles,) = _rows(rich_db, "SELECT count(*) FROM articles")[0]
    assert res.counts["articles"] == n_articles and res.counts["casualty_reports"] > 0
    assert res.preview_png.startswith(PNG_MAGIC) and len(res.preview_png) < 20_000
    text = res.html_path.read_text(encoding="utf-8")
    _assert_self_contained(text)
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(embedded) == len(CHARTS)
    assert all(base64.b64decode(b).startswith(PNG_MAGIC) for b in embedded)

    # Given an open connection, it uses it and leaves no TEMP views or tables behind; the charts are drawn by
    # the map function it is given (the news_report asset gives it the run's worker pool).
    drawn = []

    def recording_map(fn, jobs):
        drawn.extend(job[0] for job in jobs)
        return map(fn, jobs)

    with store.connection(rich_db, read_only=True) as con:
        again = build_report(con, tmp_path / "again", map_charts=recording_map)
        temp_views = con.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()[0][0]
        temp_tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall()[0][0]
        # named_entities is computed once (a TEMP table) for the report: the same rows as the view.
        stored = con.execute("SELECT count(*), sum(mentions) FROM named_entities").fetchall()
    assert again.counts["articles"] == n_articles and temp_views == 0 and temp_tables == 0
    assert again.counts["named_entities"] == stored[0][0] > 0
    assert sorted(drawn) == sorted(CHARTS) and set(again.chart_paths) == set(CHARTS)


def test_unchanged_data_keeps_the_report_and_new_data_redraws_it(rich_db, tmp_path):
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(rich_db, db)
    out = tmp_path / "out"
    first = build_report(db, out)
    assert not first.unchanged
    stamps = {p: p.stat().st_mtime_ns for p in [first.html_path, *first.png_paths]}
    again = build_report(db, out)
    assert again.unchanged and again.counts == first.counts and again.preview_png == first.preview_png
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps          # nothing was rewritten
    (out / CHARTS_FIRST).unlink()                                        # a missing file: drawn again
    assert not build_report(db, out).unchanged and (out / CHARTS_FIRST).exists()
    with store.connection(db) as con:                                   # new data: drawn again
        con.execute("""UPDATE quotes SET speaker_resolved = 'Somebody Else' WHERE coalesce(speaker_resolved, speaker) =
                       (SELECT speaker FROM top_speakers ORDER BY quotes DESC, speaker LIMIT 1)""")
    changed = build_report(db, out)
    assert not changed.unchanged and "Somebody Else" in changed.html_path.read_text(encoding="utf-8")


def test_a_chart_is_drawn_again_only_when_its_data_changed(rich_db, tmp_path):
    """New rows that leave a chart's inputs (CHART_INPUTS) as they were: the report is written again
    (its counts changed), each such chart's PNG is reused, not drawn; a changed input redraws its chart."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(rich_db, db)
    out = tmp_path / "out"
    first = build_report(db, out)
    stamps = {p.name: p.stat().st_mtime_ns for p in first.png_paths}
    drawn = []

    def recording_map(fn, jobs):
        drawn.extend(job[0] for job in jobs)
        return map(fn, jobs)

    with store.connection(db) as con:  # a reject: the counts change, no chart's data does
        con.execute("INSERT INTO rejected_files (source_path, stage, reason, rejected_at) "
                    "VALUES ('x.pdf', 'ingest', 'unsupported file type', now())")
    again = build_report(db, out, map_charts=recording_map)
    assert not again.unchanged and again.counts["rejected_files"] == first.counts["rejected_files"] + 1
    assert drawn == [] and {p.name: p.stat().st_mtime_ns for p in again.png_paths} == stamps
    assert again.preview_png == first.preview_png and again.html_path.read_text(encoding="utf-8").count(
        "data:image/png;base64,") == len(CHARTS)
    with store.connection(db) as con:  # the top speaker renamed: only the speakers' chart changes
        con.execute("""UPDATE quotes SET speaker_resolved = 'Somebody Else' WHERE coalesce(speaker_resolved, speaker) =
                       (SELECT speaker FROM top_speakers ORDER BY quotes DESC, speaker LIMIT 1)""")
    build_report(db, out, map_charts=recording_map)
    assert drawn == ["top_speakers"]


def test_report_of_an_empty_or_missing_database(tmp_path):
    empty_db = tmp_path / "empty.duckdb"
    store.init_database(empty_db)
    bare_db = tmp_path / "bare.duckdb"
    duckdb.connect(str(bare_db)).close()   # a DuckDB file without any table
    zero_db = tmp_path / "zero.duckdb"
    zero_db.touch()
    for source in (empty_db, tmp_path / "missing.duckdb", bare_db, zero_db):
        res = build_report(source, tmp_path / f"out_{source.stem}")
        assert res.empty and res.counts["articles"] == 0
        assert all(p.read_bytes().startswith(PNG_MAGIC) for p in res.png_paths)
        text = res.html_path.read_text(encoding="utf-8")
        assert "No data yet" in text
        _assert_self_contained(text)


def test_news_report_asset(rich_db, tmp_path):
    import dagster as dg

    from news_etl.defs.report import news_report
    from news_etl.defs.resources import NewsStore

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [news_report], resources={"news_store": NewsStore(database=str(rich_db))}, instance=instance,
            run_config={"ops": {"news_report": {"config": {"output_dir": str(tmp_path / "r")}}}})
    assert result.success
    md = result.asset_materializations_for_node("news_report")[0].metadata
    assert md["path"].value == str((tmp_path / "r" / HTML_NAME).resolve())
    assert Path(md["path"].value).exists()
    assert "![chart](data:image/png;base64," in md["chart_preview"].value
    assert len(md["chart_preview"].value) < 30_000
    (n_articles,) = _rows(rich_db, "SELECT count(*) FROM articles")[0]
    assert md["rows_articles"].value == n_articles and md["rows_who_said_what"].value > 0


def test_report_renders_in_chromium(rich_db, tmp_path):
    pw = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM}: run `make browser` (apt-get install chromium)")
    full = build_report(rich_db, tmp_path / "full")
    empty_db = tmp_path / "empty.duckdb"
    store.init_database(empty_db)
    empty = build_report(empty_db, tmp_path / "empty")
    ARTIFACTS.mkdir(exist_ok=True)

    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            outside = []
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                       else (outside.append(route.request.url), route.abort()))
            for res, expect_rows in ((full, True), (empty, False)):
                page.goto(res.html_path.as_uri())
                page.wait_for_load_state("load")
                imgs = page.eval_on_selector_all(
                    "img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight, e.alt])")
                assert len(imgs) == len(CHARTS)
                assert all(done and w > 0 and h > 0 for done, w, h, _ in imgs), imgs
                assert page.locator("h1").inner_text() == "News report"
                h2 = page.locator("h2").all_inner_texts()
                for heading in ("Casualty figures", "Who said what", "Outlets cited", "Entities"):
                    assert heading in h2
                assert page.locator("table tbody tr").count() > 0      # at least the table of row counts
                if expect_rows:
                    assert page.locator("#no-data").count() == 0
                    assert page.locator("table tbody tr", has_text="killed").count() > 0
                    assert page.locator("table tbody tr", has_text="Volodymyr Zelensky").count() > 0
                    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
                else:
                    assert page.locator("#no-data").is_visible()
            assert outside == [], f"the report asked the network for {outside}"
        finally:
            browser.close()


# --------------------------------------------------------------------------------------
# README examples
# --------------------------------------------------------------------------------------

def sql_statements(markdown: str) -> list[str]:
    """Every statement of every fenced ```sql block (comment lines dropped, split on ';')."""
    out = []
    for block in re.findall(r"^```sql[^\n]*\n(.*?)^```", markdown, flags=re.S | re.M):
        lines = [ln for ln in block.splitlines() if not ln.strip().startswith("--")]
        out += [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
    return out


def test_every_sql_example_in_the_docs_runs(seed_run):
    # The seed database of the session's whole-graph run (conftest.seed_run), opened read-only.
    assert seed_run.result.success
    database = seed_run.database
    checked = 0
    with store.connection(database, read_only=True) as con:
        search.load_fts(con)  # the search examples call the index's macros (fts from its wheel)
        for doc in DOCS_WITH_SQL:
            if not doc.exists():
                continue
            statements = sql_statements(doc.read_text(encoding="utf-8"))
            if doc.name == "README.md":
                assert statements, "README.md has no ```sql examples"
            for sql in statements:
                try:
                    con.execute(sql).fetchall()
                except duckdb.Error as err:
                    pytest.fail(f"{doc.name}: example does not run against the seed database:\n{sql}\n-> {err}")
                checked += 1
    assert checked > 0


def test_report_with_many_days_and_odd_values(tmp_path):
    """Many days (line charts on a date axis), a vague-only figure, odd names: still a full report."""
    con = duckdb.connect(":memory:")
    store.ensure_schema(con)
    for d in range(45):
        aid = f"a{d:02d}"
        con.execute("INSERT INTO articles (article_id, source_path, title, published_at, body, word_count, content_hash, "
                    "cleaned_at) VALUES (?, ?, 'T <b>&amp;</b>', TIMESTAMPTZ '2024-01-01 10:00:00+00' + to_days(?), 'x', 1, ?, "
                    "now())", [aid, aid, d, aid])
        con.execute("INSERT INTO casualties (casualty_id, article_id, category, count_low, count_high, qualifier, "
                    "is_vague, phrase, location, start_char, end_char) VALUES (?, ?, ?, ?, ?, ?, ?, 'p', ?, 0, 1)",
                    [f"c{d}", aid, "killed" if d % 3 else "displaced", None if d == 7 else d, None if d == 7 else d,
                     "vague" if d == 7 else "exact", d == 7, None if d % 5 == 0 else "東京 " + "X" * (d % 4)])
        con.execute("INSERT INTO entities (article_id, entity_index, text, label, canonical_name, start_char, end_char, "
                    "sentence_index) VALUES (?, 0, 'Ann', 'PERSON', ?, 0, 1, 0)",
                    [aid, "Ann " + "Very-Long-Surname" * 4 if d % 2 else "Ann"])
        con.execute("INSERT INTO quotes (quote_id, article_id, quote_text, speaker, is_direct, kind, start_char, end_char) "
                    "VALUES (?, ?, '<script>alert(1)</script>', ?, true, 'direct', 0, 1)",
                    [f"q{d}", aid, None if d % 4 == 0 else ("he" if d % 4 == 1 else "Bob <Smith>")])
    res = build_report(con, tmp_path / "out")
    con.close()
    assert not res.empty and res.notes == []
    assert res.counts["articles"] == 45 and res.counts["top_speakers"] == 1
    text = res.html_path.read_text(encoding="utf-8")
    _assert_self_contained(text)                                  # the quote's <script> is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "Bob &lt;Smith&gt;" in text
    assert all(p.read_bytes().startswith(PNG_MAGIC) and p.stat().st_size > 5000 for p in res.png_paths)
