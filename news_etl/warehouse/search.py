"""Full-text search over the articles: a BM25 index (DuckDB's ``fts`` extension) and ranked hits.

The index lives in the database as the schema ``fts_main_articles`` (its tables, and the macro
``fts_main_articles.match_bm25(article_id, 'query')``), so any SQL session can search too
(README, "Search"). It is a snapshot of ``articles``: :func:`build_index` brings it up to date
(the ``search_index`` asset does so on every run), applying the articles added, re-cleaned or
removed since (:func:`update_index`), or building it anew when most changed.

On a DuckLake catalog the fts extension cannot store its index (its tables have a column type
DuckLake does not take), so the index is kept beside the lake in a local DuckDB file (a copy of
the articles' searchable columns plus the index, under ``NEWS_ETL_CACHE_DIR/search/``), brought
up to date whenever the lake's articles differ from those it was built from: :func:`lake_index`. ``news-etl
search`` works the same on both; the ``fts_main_articles`` macros are then in that file, not in
the lake. ``fts`` comes from its PyPI wheel through
:mod:`news_etl.warehouse.extensions`: nothing is downloaded.

The query is tokenised like the text (lower case, accents stripped, anything but letters and
digits is a separator, Porter stems, English stop words dropped), so FTS syntax characters
(quotes, parentheses, colons, ``*``) are plain separators, never syntax. No dagster imports.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from news_etl import settings
from news_etl.warehouse import extensions, store
from news_etl.warehouse.location import Backoff

INDEX_SCHEMA = "fts_main_articles"
#: Indexed text: the headline and the cleaned body. Separators: anything but letters and digits
#: (the extension's default drops digits and non-Latin letters too).
FIELDS = ("title", "body")
IGNORE = r"[^\p{L}\p{N}]+"
BUILD_SQL = (f"PRAGMA create_fts_index('articles', 'article_id', {', '.join(repr(f) for f in FIELDS)}, "
             f"stemmer = 'porter', stopwords = 'english', ignore = '{IGNORE}', "
             f"strip_accents = 1, lower = 1, overwrite = 1)")

#: What the index was built from: the settings, and each article's id, cleaning time and title.
FINGERPRINT_SQL = """SELECT concat_ws(':', ?, count(*), coalesce(bit_xor(hash(article_id, cleaned_at, title)), 0))
                     FROM articles"""

SEARCH_SQL = f"""
SELECT article_id, title, publisher, published_at, score, body
FROM (SELECT *, {INDEX_SCHEMA}.match_bm25(article_id, $query) AS score FROM articles)
WHERE score IS NOT NULL
ORDER BY score DESC, published_at DESC NULLS LAST, article_id
LIMIT $limit
"""

#: Words of a body, for snippets (letters and digits, as the index splits them).
WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 28


class SearchError(ValueError):
    """A search that cannot run; the message is one line, meant for the user."""


@dataclass(frozen=True)
class IndexStats:
    documents: int
    terms: int
    seconds: float
    rebuilt: bool = True  #: the index changed (updated in place or built anew)
    updated: bool = False  #: changed by :func:`update_index` (not built anew)


@dataclass(frozen=True)
class SearchHit:
    rank: int
    article_id: str
    title: str | None
    publisher: str | None
    published_at: datetime | None
    score: float
    snippet: str


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load ``fts`` from its wheel (raises :class:`extensions.ExtensionUnavailable`)."""
    extensions.load(con, "fts")


def build_index(con: duckdb.DuckDBPyConnection, force: bool = False) -> IndexStats:
    """Bring the BM25 index over ``articles`` (title + body) up to date with the articles.

    Skipped when the articles are those the index was built from (same ids, cleaning times and
    titles, same index settings; the fingerprint is the comment of the index's ``docs`` table).
    Otherwise the articles added, changed or removed since are applied to the index
    (:func:`update_index`: the same tables a full build writes, with the same contents, at a cost
    that follows the change, not the database), or, when ``force``, when most articles changed or
    the index predates the per-article fingerprints, it is built anew.
    """
    t0 = time.perf_counter()
    load_fts(con)
    settings_crc = zlib.crc32(BUILD_SQL.encode())
    fingerprint = con.execute(FINGERPRINT_SQL, [settings_crc]).fetchall()[0][0]
    stored = _stored_fingerprint(con)
    rebuilt = force or stored != fingerprint
    updated = rebuilt and not force and _can_update(con, stored, settings_crc) and update_index(con)
    if rebuilt:
        if not updated:
            con.execute(BUILD_SQL)
            con.execute(f"ALTER TABLE {INDEX_SCHEMA}.docs ADD COLUMN {DOC_FINGERPRINT} UBIGINT")
            con.execute(f"UPDATE {INDEX_SCHEMA}.docs d SET {DOC_FINGERPRINT} = a.fp "
                        f"FROM ({ARTICLE_FINGERPRINTS}) a WHERE a.article_id = d.name")
        con.execute(f"COMMENT ON TABLE {INDEX_SCHEMA}.docs IS '{fingerprint}'")  # digits and colons only
    docs = con.execute(f"SELECT num_docs FROM {INDEX_SCHEMA}.stats").fetchall()[0][0]
    terms = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.dict").fetchall()[0][0]
    return IndexStats(documents=int(docs or 0), terms=int(terms), seconds=time.perf_counter() - t0, rebuilt=rebuilt,
                      updated=bool(updated))


#: Each indexed article's fingerprint (a column the index's ``docs`` table gets beside the
#: extension's own): what :func:`update_index` compares to find the articles that changed.
DOC_FINGERPRINT = "news_etl_fingerprint"
ARTICLE_FINGERPRINTS = "SELECT article_id, hash(article_id, cleaned_at, title) AS fp FROM articles"
#: Above this share of the index's documents changed, building anew is cheaper than updating.
UPDATE_AT_MOST = 0.5


def _can_update(con: duckdb.DuckDBPyConnection, stored: str | None, settings_crc: int) -> bool:
    """An index built with these settings, with the per-article fingerprints."""
    if not stored or not stored.startswith(f"{settings_crc}:"):
        return False
    return bool(con.execute("SELECT count(*) FROM duckdb_columns() WHERE schema_name = ? AND table_name = 'docs' "
                            "AND column_name = ? AND database_name = current_database()",
                            [INDEX_SCHEMA, DOC_FINGERPRINT]).fetchall()[0][0])


def update_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Apply the articles added, changed and removed since the index was built to its tables, as
    the extension's build defines them (``create_fts_index``): ``docs`` (id, name, number of
    terms), ``terms`` (one row per kept token: not a stop word, stemmed), ``dict`` (each term's
    document frequency; terms no document has are dropped) and ``stats`` (documents, mean length).
    Scores are then those of a full build (tested). False, with nothing changed, when more than
    :data:`UPDATE_AT_MOST` of the documents changed (a full build is cheaper then)."""
    s = INDEX_SCHEMA
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_gone AS
            SELECT d.docid FROM {s}.docs d LEFT JOIN ({ARTICLE_FINGERPRINTS}) a ON a.article_id = d.name
            WHERE a.article_id IS NULL OR a.fp IS DISTINCT FROM d.{DOC_FINGERPRINT}""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_new AS
            SELECT a.article_id, a.fp, (SELECT coalesce(max(docid), -1) FROM {s}.docs)
                                       + row_number() OVER (ORDER BY a.article_id) AS docid
            FROM ({ARTICLE_FINGERPRINTS}) a
            WHERE NOT EXISTS (SELECT 1 FROM {s}.docs d WHERE d.name = a.article_id AND d.{DOC_FINGERPRINT} = a.fp)""")
        changed = con.execute("SELECT (SELECT count(*) FROM _fts_gone) + (SELECT count(*) FROM _fts_new)").fetchall()[0][0]
        total = con.execute(f"SELECT count(*) FROM {s}.docs").fetchall()[0][0]
        if changed > UPDATE_AT_MOST * max(total, 1):
            con.execute("ROLLBACK")
            return False
        fields = " UNION ALL ".join(
            f"""SELECT n.docid, (SELECT fieldid FROM {s}.fields WHERE field = '{f}') AS fieldid,
                       unnest({s}.tokenize(x."{f}")) AS w
                FROM _fts_new n JOIN articles x ON x.article_id = n.article_id""" for f in FIELDS)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_terms AS
            SELECT docid, fieldid, stem(w, 'porter') AS term FROM ({fields})
            WHERE w NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM {s}.stopwords)""")
        # Terms whose document frequency changes: those of the documents removed and added.
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_touched AS
            SELECT DISTINCT termid FROM {s}.terms WHERE docid IN (SELECT docid FROM _fts_gone)""")
        con.execute(f"DELETE FROM {s}.terms WHERE docid IN (SELECT docid FROM _fts_gone)")
        con.execute(f"DELETE FROM {s}.docs WHERE docid IN (SELECT docid FROM _fts_gone)")
        con.execute(f"""INSERT INTO {s}.dict (termid, term, df)
            SELECT (SELECT coalesce(max(termid), -1) FROM {s}.dict) + row_number() OVER (ORDER BY term), term, 0
            FROM (SELECT DISTINCT term FROM _fts_terms WHERE term NOT IN (SELECT term FROM {s}.dict))""")
        con.execute(f"""INSERT INTO {s}.terms (docid, fieldid, termid)
            SELECT t.docid, t.fieldid, d.termid FROM _fts_terms t JOIN {s}.dict d ON d.term = t.term""")
        con.execute(f"""INSERT INTO {s}.docs (docid, name, len, {DOC_FINGERPRINT})
            SELECT n.docid, n.article_id, (SELECT count(*) FROM _fts_terms t WHERE t.docid = n.docid), n.fp
            FROM _fts_new n""")
        con.execute(f"""INSERT INTO _fts_touched SELECT DISTINCT d.termid FROM _fts_terms t
                        JOIN {s}.dict d ON d.term = t.term""")
        con.execute(f"""UPDATE {s}.dict d SET df = c.df FROM (
            SELECT k.termid, count(DISTINCT t.docid) AS df FROM (SELECT DISTINCT termid FROM _fts_touched) k
            LEFT JOIN {s}.terms t ON t.termid = k.termid GROUP BY k.termid) c WHERE c.termid = d.termid""")
        con.execute(f"DELETE FROM {s}.dict WHERE df = 0")
        con.execute(f"""UPDATE {s}.stats SET num_docs = x.n, avgdl = x.avgdl FROM (
            SELECT count(docid) AS n, sum(len) / count(len) AS avgdl FROM {s}.docs) x""")
        for t in ("_fts_gone", "_fts_new", "_fts_terms", "_fts_touched"):
            con.execute(f"DROP TABLE {t}")
        con.execute("COMMIT")
        return True
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def _stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """None: no index; '': an index without a fingerprint; else the fingerprint it was built from."""
    rows = con.execute("SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs' "
                       "AND database_name = current_database()", [INDEX_SCHEMA]).fetchall()
    return (rows[0][0] or "") if rows else None


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return _stored_fingerprint(con) is not None


def coverage(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(articles in the index, articles in the table): they differ until the next run refreshes it."""
    indexed = con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.docs").fetchall()[0][0]
    return indexed, con.execute("SELECT count(*) FROM articles").fetchall()[0][0]


def query_terms(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    """The stemmed terms the index would look up for ``text`` (stop words and separators dropped)."""
    rows = con.execute(
        f"""SELECT DISTINCT stem(t, 'porter') FROM (SELECT unnest({INDEX_SCHEMA}.tokenize(?)) AS t)
            WHERE t <> '' AND t NOT IN (SELECT sw FROM {INDEX_SCHEMA}.stopwords) ORDER BY 1""", [text]).fetchall()
    return [r[0] for r in rows]


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = 10) -> list[SearchHit]:
    """Articles ranked by BM25 for ``text``, best first, each with a snippet around its matches.

    Raises :class:`SearchError` for an empty query, a query with no searchable word, or a
    database without an index.
    """
    if not text or not text.strip():
        raise SearchError("empty query: give some words to search for, e.g. news-etl search \"Kharkiv shelling\"")
    if limit < 1:
        raise SearchError(f"limit must be at least 1, not {limit}")
    if not has_index(con):
        raise SearchError("the database has no search index yet: run `news-etl run` (the search_index asset "
                          "builds it)")
    load_fts(con)
    terms = query_terms(con, text)
    if not terms:
        raise SearchError(f"nothing to search for in {text.strip()!r}: it has only punctuation or common words "
                          "(the, and, of ...)")
    rows = con.execute(SEARCH_SQL, {"query": text, "limit": limit}).fetchall()
    matching = _matching_words(con, [r[5] or "" for r in rows] + [r[1] or "" for r in rows], terms)
    return [SearchHit(rank=i, article_id=aid, title=title, publisher=publisher, published_at=published,
                      score=float(score), snippet=snippet(body or "", matching))
            for i, (aid, title, publisher, published, score, body) in enumerate(rows, start=1)]


def search_file(database: str | Path, text: str, limit: int = 10,
                timeout_s: float = 60.0) -> tuple[list[SearchHit], tuple[int, int]]:
    """:func:`search` on a database file opened read-only, with the index's :func:`coverage`."""
    if store.location_of(database).is_lake:
        with lake_index(database, timeout_s=timeout_s) as (con, _):
            return search(con, text, limit=limit), coverage(con)
    with store.connection(database, read_only=True, timeout_s=timeout_s) as con:
        return search(con, text, limit=limit), coverage(con)


#: The columns of ``articles`` a lake's local index copies (what :data:`SEARCH_SQL` reads).
LAKE_COLUMNS = "article_id, title, body, publisher, published_at, cleaned_at"


def lake_index_path(database) -> Path:
    """The local index file of a lake (one per catalog, in ``NEWS_ETL_CACHE_DIR/search/``)."""
    loc = store.location_of(database)
    key = hashlib.sha256((loc.postgres or str(Path(loc.path).resolve())).encode()).hexdigest()[:16]
    return Path(settings.get("NEWS_ETL_CACHE_DIR")).expanduser() / "search" / f"lake-{key}.duckdb"


def _attach_waiting(con: duckdb.DuckDBPyConnection, path: Path, timeout_s: float) -> None:
    """ATTACH the local index file as ``search_index``, waiting (jittered back-off) while another
    process holds its lock (two runs into one lake both refresh the index at their end)."""
    backoff = Backoff(timeout_s)
    while True:
        try:
            con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS search_index")
            return
        except duckdb.IOException as err:
            if "lock" not in str(err).lower() or backoff.expired:
                raise
            backoff.wait()


@contextlib.contextmanager
def lake_index(database, timeout_s: float = 60.0, force: bool = False):
    """A connection on a lake's local index (its ``articles`` copy made current), with its stats."""
    path = lake_index_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with store.connection(database, read_only=True, timeout_s=timeout_s) as con:
        load_fts(con)
        _attach_waiting(con, path, timeout_s)
        fingerprint = con.execute(FINGERPRINT_SQL, [zlib.crc32(BUILD_SQL.encode())]).fetchall()[0][0]
        con.execute("USE search_index")
        if force or _stored_fingerprint(con) != fingerprint:
            con.execute(f"CREATE OR REPLACE TABLE articles AS SELECT {LAKE_COLUMNS} FROM lake.main.articles")
        stats = build_index(con, force=force)
        yield con, stats


def refresh_index(database) -> IndexStats:
    """(Re)build the index of a DuckDB file (in it) or of a lake (beside it); what the asset runs."""
    if store.location_of(database).is_lake:
        with lake_index(database) as (_, stats):
            return stats
    with store.connection(database) as con:
        store.ensure_schema(con)
        return build_index(con)


def _matching_words(con: duckdb.DuckDBPyConnection, texts: list[str], terms: list[str]) -> set[str]:
    """The distinct (normalised) words of ``texts`` whose stem is one of ``terms``."""
    words = sorted({normalise(w) for t in texts for w in WORD.findall(t)})
    if not words:
        return set()
    rows = con.execute("SELECT w FROM (SELECT unnest(?) AS w) WHERE stem(w, 'porter') IN (SELECT unnest(?))",
                       [words, terms]).fetchall()
    return {r[0] for r in rows}


def normalise(word: str) -> str:
    """Lower case without accents, as the index sees a word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(text: str, matching: set[str], words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around its densest run of matching words, on one line.

    ``matching``: normalised words (see :func:`normalise`) that count as hits. The window with
    the most distinct hits (then the most hits, then the earliest) is chosen, starting a few
    words before its first hit; "…" marks text cut at either end. No hit: the opening words.
    """
    spans = [(m.start(), m.end(), normalise(m.group())) for m in WORD.finditer(text)]
    if not spans:
        return " ".join(text.split())
    hits = [j for j, (_, _, w) in enumerate(spans) if w in matching]
    best, best_key = 0, (0, 0)
    for i in hits:  # the best window can always start at a hit
        window = [spans[j][2] for j in hits if i <= j < i + words]
        key = (len(set(window)), len(window))
        if key > best_key:
            best, best_key = i, key
    if hits:
        best = max(0, min(best - 3, len(spans) - words))
    last = min(best + words, len(spans)) - 1
    start = 0 if best == 0 else spans[best][0]
    end = len(text) if last == len(spans) - 1 else spans[last][1]
    body = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
