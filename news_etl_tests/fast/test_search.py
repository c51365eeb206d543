"""Full-text search without the pipeline: extension wheels offline, the BM25 index, snippets, bad queries."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from news_etl.warehouse import extensions, search, store

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


def _article(con, aid: str, title: str, body: str, publisher: str = "Wire", day: int = 1) -> None:
    con.execute(
        """INSERT INTO articles (article_id, source_path, title, publisher, published_at, body, word_count,
                                 content_hash, cleaned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [aid, f"{aid}.txt", title, publisher, datetime(2024, 3, day, tzinfo=timezone.utc), body,
         len(body.split()), aid * 4, NOW])


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database file with the schema and three articles (no index), made once and copied per test."""
    path = tmp_path_factory.mktemp("search") / "template.duckdb"
    with store.connection(path) as c:
        store.ensure_schema(c)
        _article(c, "a" * 16, "Shelling in Kharkiv kills two",
                 "Russian shelling hit Kharkiv on Monday, killing two people, officials said. " * 3
                 + "Rescue teams worked through the night in the Saltivka district.", day=2)
        _article(c, "b" * 16, "Talks in Belarus", "Delegations met near the border; Kharkiv was mentioned once.")
        _article(c, "c" * 16, "Київ: budget vote", "Parliament in Київ approved the 2024 budget. Café owners protested.")
    return path


@pytest.fixture
def con(template, tmp_path):
    shutil.copy(template, tmp_path / "db.duckdb")
    c = duckdb.connect(str(tmp_path / "db.duckdb"))
    yield c
    c.close()


@pytest.fixture(scope="module")
def indexed(template):
    """The template with its index built, shared by the tests that only read."""
    path = template.with_name("indexed.duckdb")
    shutil.copy(template, path)
    c = duckdb.connect(str(path))
    search.build_index(c)
    yield c
    c.close()


# ---- extension wheels ------------------------------------------------------------------

def test_pins_match_duckdb_exactly():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = dict(re.match(r"([\w-]+)==([\w.]+)", d).groups() for d in deps if d.startswith("duckdb"))
    assert pins["duckdb"] == duckdb.__version__
    for name in ("fts", "ducklake", "postgres"):
        assert pins[f"duckdb-extension-{name}"] == pins["duckdb"]
        assert extensions.extension_path(name).is_file()


def test_extension_path_is_the_file_inside_the_wheel():
    path = extensions.extension_path("fts")
    assert path.name == "fts.duckdb_extension" and path.parent.name == f"v{duckdb.__version__}"
    assert path.parent.parent.parent.name == "duckdb_extension_fts"


def test_missing_wheel_and_wrong_version_say_what_to_install():
    with pytest.raises(extensions.ExtensionUnavailable) as err:
        extensions.extension_path("nosuchext")
    assert f"pip install duckdb-extension-nosuchext=={duckdb.__version__}" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(extensions.ExtensionUnavailable) as err:
        extensions.extension_path("fts", version="9.9.9")
    assert f"for DuckDB {duckdb.__version__}, not 9.9.9" in str(err.value)
    assert "pip install duckdb-extension-fts==9.9.9" in str(err.value)
    with pytest.raises(ValueError):
        extensions.load(duckdb.connect(), "fts; DROP TABLE x")


def test_a_missing_wheel_is_reported_when_loading(monkeypatch):
    monkeypatch.setattr(extensions, "package_name", lambda name: f"duckdb_extension_{name}_not_installed")
    with pytest.raises(extensions.ExtensionUnavailable, match="duckdb-extension-fts=="):
        extensions.load(duckdb.connect(), "fts")


def test_load_uses_the_wheel_with_no_repository_and_a_fresh_extension_directory(tmp_path):
    # Nothing installed yet, autoinstall off and the repositories unreachable: only the wheel can work.
    c = duckdb.connect(config={"extension_directory": str(tmp_path / "ext"), "autoinstall_known_extensions": False})
    c.execute("SET custom_extension_repository = 'http://127.0.0.1:9/'")
    c.execute("SET autoinstall_extension_repository = 'http://127.0.0.1:9/'")
    path = extensions.load(c, "fts")
    (loaded, installed_from), = c.execute("SELECT loaded, installed_from FROM duckdb_extensions() "
                                         "WHERE extension_name = 'fts'").fetchall()
    assert loaded and installed_from == str(path)
    assert extensions.load(c, "fts") == path  # a second load is a no-op
    assert c.execute("SELECT stem('shelling', 'porter')").fetchall() == [("shell",)]


def test_load_falls_back_to_a_private_directory_when_the_extension_directory_is_unwritable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    c = duckdb.connect(config={"extension_directory": str(blocker / "ext"), "autoinstall_known_extensions": False})
    extensions.load(c, "fts")
    assert c.execute("SELECT stem('shelling', 'porter')").fetchall() == [("shell",)]
    assert c.execute("SELECT current_setting('extension_directory')").fetchall()[0][0] == \
        str(extensions.fallback_directory())


@pytest.mark.skipif(shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0,
                    reason="unshare -rn (a network namespace) is not available here")
def test_index_and_search_with_no_network_at_all(tmp_path):
    # No network namespace, and a HOME that does not exist: DuckDB's own extension directory is unusable.
    code = ("import duckdb; from news_etl.warehouse import extensions, search; c = duckdb.connect();"
            "c.execute(\"CREATE TABLE articles AS SELECT 'abcdef0123456789' AS article_id, 'Kharkiv' AS title, "
            "'Shelling in Kharkiv' AS body, 'Wire' AS publisher, now() AS published_at, now() AS cleaned_at\");"
            "search.build_index(c); print(search.search(c, 'kharkiv')[0].article_id);"
            "[extensions.load(c, n) for n in ('ducklake', 'postgres')];"
            f"c.execute(\"ATTACH 'ducklake:{tmp_path}/meta.ducklake' AS lake (DATA_PATH '{tmp_path}/data/')\");"
            "print(c.execute('CREATE TABLE lake.t AS SELECT 42 AS x; SELECT x FROM lake.t').fetchall())")
    out = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True, text=True,
                         env={"HOME": str(tmp_path / "no-home"), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["abcdef0123456789", "[(42,)]"]


# ---- index and ranked search ---------------------------------------------------------------

def test_search_ranks_by_bm25_with_snippets(indexed):
    hits = search.search(indexed, "Kharkiv shelling")
    assert [h.article_id for h in hits] == ["a" * 16, "b" * 16]
    top = hits[0]
    assert (top.rank, top.title, top.publisher) == (1, "Shelling in Kharkiv kills two", "Wire")
    assert top.published_at.date().isoformat() == "2024-03-02" and top.score > hits[1].score > 0
    assert "shelling hit Kharkiv" in top.snippet and "\n" not in top.snippet
    assert [h.rank for h in search.search(indexed, "Kharkiv", limit=1)] == [1]


def test_stems_digits_accents_and_other_scripts_are_searchable(indexed):
    assert [h.article_id for h in search.search(indexed, "shelled")] == ["a" * 16]
    assert [h.article_id for h in search.search(indexed, "2024")] == ["c" * 16]
    assert [h.article_id for h in search.search(indexed, "Київ")] == ["c" * 16]
    assert [h.article_id for h in search.search(indexed, "cafe")] == ["c" * 16]
    assert search.search(indexed, "xyzzy") == []


@pytest.mark.parametrize("query", ['"Kharkiv" AND shelling', "(Kharkiv) OR shelling*", "title:Kharkiv shelling",
                                   "Kharkiv -shelling ^2 ~ {} [] \\ ' ;", "Kharkiv'); DROP TABLE articles; --"])
def test_fts_syntax_characters_are_plain_separators(indexed, query):
    assert [h.article_id for h in search.search(indexed, query)][:1] == ["a" * 16]
    assert indexed.execute("SELECT count(*) FROM articles").fetchall() == [(3,)]


@pytest.mark.parametrize("query, message", [("", "empty query"), ("   \n", "empty query"),
                                            ("the and of", "nothing to search for"),
                                            ("!!! () :: *", "nothing to search for")])
def test_queries_with_nothing_to_search_are_refused_in_one_line(indexed, query, message):
    with pytest.raises(search.SearchError, match=message) as err:
        search.search(indexed, query)
    assert "\n" not in str(err.value)


def test_a_database_without_an_index_says_how_to_build_one(con):
    with pytest.raises(search.SearchError, match="no search index yet: run `news-etl run`"):
        search.search(con, "Kharkiv")


def test_rebuilding_picks_up_new_articles_and_coverage_shows_staleness(con):
    stats = search.build_index(con)
    assert stats.documents == 3 and stats.terms > 10 and stats.rebuilt
    assert not search.build_index(con).rebuilt  # same articles: the index is kept
    assert search.build_index(con, force=True).rebuilt
    _article(con, "d" * 16, "Odesa port", "A drone struck the port of Odesa.")
    assert search.coverage(con) == (3, 4) and search.search(con, "Odesa") == []
    assert search.build_index(con).rebuilt
    assert search.coverage(con) == (4, 4)
    assert [h.article_id for h in search.search(con, "Odesa drone")] == ["d" * 16]
    con.execute("UPDATE articles SET cleaned_at = cleaned_at + INTERVAL 1 HOUR WHERE article_id = ?", ["d" * 16])
    assert search.build_index(con).rebuilt  # a re-cleaned article (new body) is indexed again


def _index_tables(con) -> dict[str, list]:
    """The index's contents without its internal ids: what a search reads."""
    s = search.INDEX_SCHEMA
    queries = {"docs": f"SELECT name, len FROM {s}.docs",
               "terms": f"SELECT d.name, t.fieldid, k.term FROM {s}.terms t JOIN {s}.docs d USING (docid) "
                        f"JOIN {s}.dict k USING (termid)",
               "dict": f"SELECT term, df FROM {s}.dict", "stats": f"SELECT num_docs, avgdl FROM {s}.stats"}
    return {name: sorted(con.execute(q).fetchall()) for name, q in queries.items()}


def test_an_updated_index_equals_one_built_anew(con, tmp_path):
    """Articles added, re-cleaned and removed are applied to the index's tables; the result is
    what the extension's full build gives (same documents, lengths, terms, frequencies, scores)."""
    for i, (title, body) in enumerate([("Flood in Perth", "The river Tay flooded Perth; two drowned."),
                                       ("Budget vote", "MPs voted on the budget late on Tuesday."),
                                       ("Storm Bert", "Storm Bert closed roads and flooded homes in Wales."),
                                       ("Port strike", "Dock workers struck at the port of Felixstowe."),
                                       ("Rail fares", "Rail fares rise in March, the operators said."),
                                       ("Bridge reopens", "The Forth bridge reopened after repairs."),
                                       ("Wildfire", "A wildfire near Athens forced evacuations."),
                                       ("Election", "Voters in Perth and Kinross elect a new MP.")]):
        _article(con, f"{i}" * 16, title, body)
    assert search.build_index(con, force=True).documents == 11
    con.execute("DELETE FROM articles WHERE article_id = ?", ["b" * 16])
    con.execute("UPDATE articles SET body = 'Flood barriers held in Perth.', cleaned_at = cleaned_at + INTERVAL 1 HOUR "
                "WHERE article_id = ?", ["0" * 16])
    _article(con, "e" * 16, "Zwolle flooding", "Floods reached Zwolle; the dykes held.")
    _article(con, "f" * 16, "The", "and the of")  # only stop words: a document of length 0
    assert search.update_index(con)
    updated = _index_tables(con)
    scores = {q: [(h.article_id, h.score) for h in search.search(con, q)] for q in ("flood perth", "Zwolle", "port")}
    fresh = tmp_path / "fresh.duckdb"
    con.execute("CHECKPOINT")
    shutil.copy(tmp_path / "db.duckdb", fresh)
    with duckdb.connect(str(fresh)) as other:
        assert search.build_index(other, force=True).rebuilt
        assert _index_tables(other) == updated
        assert {q: [(h.article_id, h.score) for h in search.search(other, q)] for q in scores} == scores
    assert ("e" * 16, 0) not in [(n, ln) for n, ln in updated["docs"]] and ("f" * 16, 0) in updated["docs"]
    assert "b" * 16 not in [n for n, _ in updated["docs"]]


def test_an_index_is_built_anew_when_most_articles_changed(con):
    search.build_index(con, force=True)
    for c in "def":
        _article(con, c * 16, "Odesa port", "A drone struck the port of Odesa.")
    assert not search.update_index(con)  # 3 new of 3 indexed: more than half
    assert search.coverage(con) == (3, 6)
    assert search.build_index(con).documents == 6  # built anew


def test_the_readme_sql_gives_the_same_order(indexed):
    rows = indexed.execute("""SELECT article_id, fts_main_articles.match_bm25(article_id, 'kharkiv shelling') AS score
                          FROM articles WHERE score IS NOT NULL ORDER BY score DESC""").fetchall()
    assert [r[0] for r in rows] == [h.article_id for h in search.search(indexed, "kharkiv shelling")]


# ---- snippets (pure) ---------------------------------------------------------------------

def test_snippet_centres_on_the_densest_hits():
    text = " ".join(f"w{i}" for i in range(100)) + " kharkiv was shelled again. " + " ".join(f"z{i}" for i in range(100))
    out = search.snippet(text, {"kharkiv", "shelled"}, words=10)
    assert out.startswith("…") and out.endswith("…")
    assert "kharkiv was shelled" in out and len(out.strip("…").split()) == 10
    assert out.strip("…").split()[0] == "w97"  # three words of lead-in


def test_snippet_prefers_distinct_terms_over_repeats():
    text = "kharkiv kharkiv kharkiv kharkiv. " + "filler " * 40 + "shelling near kharkiv today. " + "tail " * 40
    out = search.snippet(text, {"kharkiv", "shelling"}, words=8)
    assert "shelling near kharkiv" in out


def test_snippet_without_hits_or_words():
    assert search.snippet("One two three four five", set(), words=3) == "One two three…"
    assert search.snippet("Short   text\nhere.", {"text"}, words=30) == "Short text here."
    assert search.snippet("", {"x"}) == "" and search.snippet(" -- ", {"x"}) == "--"


def test_normalise_matches_the_index():
    assert search.normalise("Café") == "cafe" and search.normalise("KYÏV") == "kyiv"
