"""Every table of the warehouse, declared once: columns, types, nullability, key, checks, description.

Everything else is derived from these declarations:

- the DuckDB DDL and its DuckLake variant (:func:`ddl`; :mod:`news_etl.warehouse.store` runs it),
- the pandera schema of each validated table (:func:`pandera_schema`; :mod:`news_etl.warehouse.validate`),
- the typed pandas frames the stages build (:func:`frame`),
- ``news-etl tables`` and the Dagster column metadata (:func:`describe`, ``Column.description``),
- the column comments stored in the database itself (``COMMENT ON COLUMN``, visible in
  ``duckdb_columns()``).

The SQL surface is a contract: add columns and tables, never rename. No dagster imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import pandas as pd
import pandera.pandas as pa

HEX16 = r"^[0-9a-f]{16}$"
SHA256 = r"^[0-9a-f]{64}$"
CATEGORIES = ("killed", "injured", "missing", "arrested", "displaced", "other")
QUALIFIERS = ("exact", "at_least", "more_than", "about", "up_to", "vague")
QUOTE_KINDS = ("direct", "partial", "indirect")
ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)


def _is_text(values: pd.Series) -> bool | pd.Series:
    """Every value is text or missing. One scan in pandas' C code (``infer_dtype``) when they all
    are; element by element only when some are not, to name the failing rows."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return True
    return values.map(lambda v: isinstance(v, str)) | values.isna()


#: The check of a VARCHAR column's values. Frames keep text as Python objects (None for NULL), and
#: pandera's own ``str`` dtype check then tests each value and formats a report even when all
#: pass (about a third of the validation time); this one passes a clean column in one scan. Its
#: name is the one pandera's check gave the failures it recorded in ``validation_failures``.
TEXT_CHECK = pa.Check(_is_text, name="dtype('string[pyarrow]')")


@dataclass(frozen=True)
class Column:
    """One column: DuckDB type, nullability, pandera checks and a one-line description."""

    name: str
    type: str
    description: str
    nullable: bool = True
    checks: tuple[pa.Check, ...] = ()
    primary_key: bool = False  # the key (unique, kept by the store's writes; no index, see ddl)
    storage: str = ""  # extra DDL, e.g. "USING COMPRESSION uncompressed"

    @property
    def pandas_dtype(self) -> str | None:
        """The pandas dtype a frame of this table gives the column (None: plain objects)."""
        if self.type in ("INTEGER", "BIGINT"):
            return "Int64"
        if self.type == "DOUBLE":
            return "Float64"
        if self.type == "BOOLEAN":
            return "boolean"  # nullable: a missing value stays NULL (numpy bool would turn NaN into True)
        if self.type == "TIMESTAMPTZ":
            return "datetime64[us, UTC]"
        return None

    @property
    def pandera_dtype(self):
        """The dtype pandera checks (None: no dtype check: text columns have :data:`TEXT_CHECK`,
        lists and dates none)."""
        return None if self.type == "VARCHAR" else self.pandas_dtype

    @property
    def pandera_checks(self) -> list[pa.Check]:
        return ([TEXT_CHECK] if self.type == "VARCHAR" else []) + list(self.checks)


@dataclass(frozen=True)
class RowCheck:
    """A check over whole rows; ``columns`` are named in validation failures."""

    name: str
    fn: Callable[[pd.DataFrame], pd.Series]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: its columns in order, its key, row checks and what it holds.

    ``span_text``: the column that must equal the article body at ``start_char:end_char``
    (checked by :mod:`news_etl.warehouse.validate` with the bodies passed in).
    ``validated``: batches are checked with pandera before they are written.
    ``article_child``: rows hang off an article and are replaced with it.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_checks: tuple[RowCheck, ...] = ()
    span_text: str | None = None
    validated: bool = False
    article_child: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# --------------------------------------------------------------------------------------
# Checks shared by several tables
# --------------------------------------------------------------------------------------

def _offsets_ordered(df: pd.DataFrame) -> pd.Series:
    return (df["start_char"] >= 0) & (df["end_char"] > df["start_char"])


OFFSETS_ORDERED = RowCheck("offsets_ordered", _offsets_ordered, ("start_char", "end_char"))
ARTICLE_ID = Column("article_id", "VARCHAR", "the article (first 16 hex digits of its content hash)",
                    nullable=False, checks=(pa.Check.str_matches(HEX16),))


def _offsets(what: str) -> tuple[Column, Column]:
    return (Column("start_char", "INTEGER", f"{what}: first character in articles.body (0-based)", nullable=False),
            Column("end_char", "INTEGER", f"{what}: end character in articles.body (exclusive)", nullable=False))


def _authors_are_names(s: pd.Series) -> pd.Series:
    return s.map(lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v))


# --------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------

SOURCE_FILES = Table("source_files", "every input file seen, with its hash and what became of it", (
    Column("source_path", "VARCHAR", "path relative to the input folder", nullable=False, primary_key=True),
    Column("content_hash", "VARCHAR", "SHA-256 of the file's bytes (NULL if unreadable)"),
    Column("size_bytes", "BIGINT", "file size"),
    Column("modified_at", "TIMESTAMPTZ", "file modification time"),
    Column("status", "VARCHAR", "ingested | duplicate | rejected", nullable=False),
    Column("article_id", "VARCHAR", "the article these bytes became (first one for multi-record files)"),
    Column("first_seen_at", "TIMESTAMPTZ", "when a run first saw the file", nullable=False),
    Column("last_seen_at", "TIMESTAMPTZ", "when a run last read the file", nullable=False),
    Column("documents", "INTEGER", "documents read from the file (records of JSONL/WARC files)"),
    Column("records_skipped", "INTEGER", "WARC records that are not HTML 200 responses"),
), key=("source_path",))

RAW_DOCUMENTS = Table("raw_documents", "the decoded input documents, by content hash", (
    Column("article_id", "VARCHAR", "first 16 hex digits of content_hash", nullable=False, primary_key=True),
    Column("content_hash", "VARCHAR", "SHA-256 of the document's bytes", nullable=False),
    Column("source_path", "VARCHAR", "the file it came from", nullable=False),
    Column("source_record", "VARCHAR", "record id inside a JSONL/WARC file"),
    Column("format", "VARCHAR", "html | text | record", nullable=False),
    Column("encoding", "VARCHAR", "the character encoding it was decoded with"),
    Column("size_bytes", "BIGINT", "size of the document's bytes"),
    Column("url", "VARCHAR", "the page URL when the input gives one"),
    Column("content", "VARCHAR", "decoded text; stored uncompressed so cleaning reads stay linear",
           nullable=False, storage="USING COMPRESSION uncompressed"),
    Column("ingested_at", "TIMESTAMPTZ", "when it was stored", nullable=False),
    Column("fetched_at", "TIMESTAMPTZ", "WARC-Date of a crawled response"),
), key=("article_id",))

ARTICLES = Table("articles", "one row per article: metadata and the cleaned body all offsets point into", (
    Column("article_id", "VARCHAR", "first 16 hex digits of content_hash", nullable=False, primary_key=True,
           checks=(pa.Check.str_matches(HEX16),)),
    Column("source_path", "VARCHAR", "the file it came from", nullable=False, checks=(pa.Check.str_length(min_value=1),)),
    Column("url", "VARCHAR", "page URL"),
    Column("title", "VARCHAR", "headline"),
    Column("subtitle", "VARCHAR", "dek / standfirst"),
    Column("authors", "VARCHAR[]", "author names (bylines without roles and outlets)",
           checks=(pa.Check(_authors_are_names, name="authors_is_list_of_names"),)),
    Column("publisher", "VARCHAR", "the outlet that ran it"),
    Column("published_at", "TIMESTAMPTZ", "first publication time (UTC)"),
    Column("updated_at", "TIMESTAMPTZ", "last update time (UTC)"),
    Column("language", "VARCHAR", "ISO 639 code, from metadata or the text",
           checks=(pa.Check.str_matches(r"^[a-z]{2,3}$"),)),
    Column("body", "VARCHAR", "the cleaned article text; every offset points into it", nullable=False,
           checks=(pa.Check(lambda s: s.str.strip().str.len() > 0, name="body_not_blank"),)),
    Column("word_count", "INTEGER", "words in the body", nullable=False, checks=(pa.Check.gt(0),)),
    Column("content_hash", "VARCHAR", "SHA-256 of the raw document", nullable=False,
           checks=(pa.Check.str_matches(SHA256),)),
    Column("image_caption", "VARCHAR", "lead image caption"),
    Column("image_credit", "VARCHAR", "lead image credit"),
    Column("extraction_method", "VARCHAR", "which cleaner produced the body"),
    Column("cleaned_at", "TIMESTAMPTZ", "when it was cleaned", nullable=False),
    Column("enriched_at", "TIMESTAMPTZ", "NULL until the enrichment stage has run"),
    Column("nlp_model", "VARCHAR", "spaCy model package and version used"),
    Column("enrichment_status", "VARCHAR", "NULL (pending) | done | skipped: <reason> | failed: <reason>"),
    Column("duplicate_of", "VARCHAR", "near-duplicate (same story elsewhere): the first article's id"),
    Column("body_simhash", "BIGINT", "64-bit SimHash of the body (near-duplicate candidates)"),
    Column("reclean_requested", "BOOLEAN", "TRUE: clean again from raw_documents (news-etl reprocess)"),
), key=("article_id",), validated=True, row_checks=(
    RowCheck("article_id_is_hash_prefix", lambda df: df["content_hash"].str[:16] == df["article_id"],
             ("article_id", "content_hash")),
    RowCheck("updated_not_before_published",
             lambda df: df["updated_at"].isna() | df["published_at"].isna() | (df["updated_at"] >= df["published_at"]),
             ("published_at", "updated_at")),
))

SENTENCES = Table("sentences", "sentences of each body, with offsets", (
    ARTICLE_ID,
    Column("sentence_index", "INTEGER", "position in the article (0-based)", nullable=False, checks=(pa.Check.ge(0),)),
    *_offsets("sentence"),
    Column("text", "VARCHAR", "the sentence", nullable=False),
), key=("article_id", "sentence_index"), row_checks=(OFFSETS_ORDERED,), span_text="text",
    validated=True, article_child=True)

ENTITIES = Table("entities", "named entities with offsets and a canonical name per article", (
    ARTICLE_ID,
    Column("entity_index", "INTEGER", "position in the article (0-based)", nullable=False, checks=(pa.Check.ge(0),)),
    Column("text", "VARCHAR", "the mention as written", nullable=False, checks=(pa.Check.str_length(min_value=1),)),
    Column("label", "VARCHAR", "spaCy label (PERSON, ORG, GPE, ...)", nullable=False,
           checks=(pa.Check.isin(list(ENTITY_LABELS)),)),
    Column("canonical_name", "VARCHAR", "the fullest form of the name in the article", nullable=False,
           checks=(pa.Check.str_length(min_value=1),)),
    *_offsets("mention"),
    Column("sentence_index", "INTEGER", "the sentence it is in"),
    Column("entity_id", "VARCHAR", "the real-world person, organisation or place across articles "
                                   "(named_entities.entity_id)"),
    Column("place_id", "VARCHAR", "for place mentions (GPE, LOC, FAC): the place it names (places.place_id)"),
), key=("article_id", "entity_index"), row_checks=(OFFSETS_ORDERED,), span_text="text",
    validated=True, article_child=True)

QUOTES = Table("quotes", "quotes (direct/partial/indirect) with speaker, resolved speaker, cue, outlet", (
    Column("quote_id", "VARCHAR", "<article_id>-q<n>", nullable=False),
    ARTICLE_ID,
    Column("quote_text", "VARCHAR", "the quoted words as printed", nullable=False,
           checks=(pa.Check.str_length(min_value=1),)),
    Column("speaker", "VARCHAR", "the speaker mention as written (may be a pronoun or description)"),
    Column("speaker_resolved", "VARCHAR", "the fullest name the article gives for the speaker"),
    Column("is_direct", "BOOLEAN", "kind = direct", nullable=False),
    Column("kind", "VARCHAR", "direct | partial | indirect", nullable=False, checks=(pa.Check.isin(list(QUOTE_KINDS)),)),
    Column("cue", "VARCHAR", "the speech verb or phrase (said, told, according to)"),
    Column("reported_via", "VARCHAR", "the outlet credited for the quote"),
    *_offsets("quote"),
    Column("speaker_start_char", "INTEGER", "speaker mention: first character in the body"),
    Column("speaker_end_char", "INTEGER", "speaker mention: end character in the body"),
    Column("sentence", "VARCHAR", "the sentence around the quote"),
    Column("nested", "BOOLEAN", "a quote inside another quote (its own speaker)"),
    Column("content_start_char", "INTEGER", "the reported content: the quote itself, or for a partial/indirect "
                                            "quote the whole clause around it (start)"),
    Column("content_end_char", "INTEGER", "the reported content (end)"),
    Column("speaker_entity_id", "VARCHAR", "the resolved speaker's identity across articles "
                                           "(named_entities.entity_id)"),
), key=("quote_id",), span_text="quote_text", validated=True, article_child=True, row_checks=(
    OFFSETS_ORDERED,
    RowCheck("is_direct_iff_kind_direct", lambda df: df["is_direct"] == (df["kind"] == "direct"), ("is_direct", "kind")),
))

CITATIONS = Table("citations", "outlets each article credits", (
    ARTICLE_ID,
    Column("outlet", "VARCHAR", "the outlet's name", nullable=False, checks=(pa.Check.str_length(min_value=1),)),
    Column("phrase", "VARCHAR", "the crediting phrase as written", nullable=False,
           checks=(pa.Check.str_length(min_value=1),)),
    *_offsets("phrase"),
), row_checks=(OFFSETS_ORDERED,), span_text="phrase", validated=True, article_child=True)

CASUALTIES = Table("casualties", "casualty figures: category, bounds, qualifier, who, where, when, hedge, outlet", (
    Column("casualty_id", "VARCHAR", "<article_id>-c<n>", nullable=False),
    ARTICLE_ID,
    Column("category", "VARCHAR", "killed | injured | missing | arrested | displaced | other", nullable=False,
           checks=(pa.Check.isin(list(CATEGORIES)),)),
    Column("kind", "VARCHAR", "finer type (e.g. hospitalised, hostage)"),
    Column("count_low", "BIGINT", "lower bound (NULL when vague or 'up to')", checks=(pa.Check.ge(0),)),
    Column("count_high", "BIGINT", "upper bound (NULL when vague or open-ended)", checks=(pa.Check.ge(0),)),
    Column("qualifier", "VARCHAR", "exact | at_least | more_than | about | up_to | vague", nullable=False,
           checks=(pa.Check.isin(list(QUALIFIERS)),)),
    Column("is_vague", "BOOLEAN", "a quantity without a number (dozens, several)", nullable=False),
    Column("phrase", "VARCHAR", "the figure's phrase as written", nullable=False,
           checks=(pa.Check.str_length(min_value=1),)),
    Column("who", "VARCHAR", "the victims as described"),
    Column("location", "VARCHAR", "the place given for the figure, most specific first"),
    Column("event_date", "DATE", "the day of the event when the text gives it"),
    Column("hedge", "VARCHAR", "a hedge on the figure (reportedly, at least, claimed)"),
    Column("reported_via", "VARCHAR", "the outlet or source credited for the figure"),
    *_offsets("phrase"),
    Column("sentence", "VARCHAR", "the sentence around the figure"),
    Column("place_id", "VARCHAR", "the place of the figure's location (places.place_id)"),
), key=("casualty_id",), span_text="phrase", validated=True, article_child=True, row_checks=(
    OFFSETS_ORDERED,
    RowCheck("bounds_ordered",
             lambda df: df["count_low"].isna() | df["count_high"].isna() | (df["count_low"] <= df["count_high"]),
             ("count_low", "count_high")),
    RowCheck("vague_has_no_bounds", lambda df: ~df["is_vague"] | (df["count_low"].isna() & df["count_high"].isna()),
             ("is_vague", "count_low", "count_high")),
))

PLACES = Table("places", "places named in the articles, from the offline GeoNames gazetteer", (
    Column("place_id", "VARCHAR", "gn:<GeoNames id>; a first-level region outside the US: adm1:<CC>.<admin1 code>",
           nullable=False, primary_key=True),
    Column("name", "VARCHAR", "the GeoNames name (English)", nullable=False),
    Column("country_code", "VARCHAR", "ISO 3166 country code", nullable=False),
    Column("admin1", "VARCHAR", "first-level division, GeoNames style (UA.07, US.IL); NULL for a country"),
    Column("latitude", "DOUBLE", "WGS84 latitude (a country: its capital; a US state: centre of its cities; "
                                 "another first-level region: mean of its places)"),
    Column("longitude", "DOUBLE", "WGS84 longitude"),
    Column("population", "BIGINT", "population (GeoNames)"),
    Column("geonames_id", "BIGINT", "the GeoNames feature id (NULL for a first-level region outside the US)"),
    Column("feature", "VARCHAR", "country | admin1 | city"),
), key=("place_id",), validated=True)

REJECTED_FILES = Table("rejected_files", "every input that did not become an article: stage and reason", (
    Column("source_path", "VARCHAR", "the file", nullable=False),
    Column("content_hash", "VARCHAR", "SHA-256 of the rejected bytes"),
    Column("stage", "VARCHAR", "ingest | clean | validate | enrich", nullable=False),
    Column("reason", "VARCHAR", "why, in words", nullable=False),
    Column("rejected_at", "TIMESTAMPTZ", "when", nullable=False),
))

VALIDATION_FAILURES = Table("validation_failures",
                            "rows kept out of a table by its pandera schema: table, column, check, value", (
    Column("table_name", "VARCHAR", "the table the row was meant for", nullable=False),
    Column("article_id", "VARCHAR", "the article of the failing row"),
    Column("column_name", "VARCHAR", "the failing column(s)"),
    Column("check_name", "VARCHAR", "the check that failed", nullable=False),
    Column("failure_case", "VARCHAR", "the failing value(s)"),
    Column("failed_at", "TIMESTAMPTZ", "when", nullable=False),
))

DAILY_COUNTS = Table("daily_counts", "per-day counts (refreshed by the daily schedule)", (
    Column("day", "DATE", "publication day (else cleaning day)"),
    Column("articles", "BIGINT", "articles that day"),
    Column("entities", "HUGEINT", "entity mentions"),
    Column("quotes", "HUGEINT", "quotes"),
    Column("casualty_figures", "HUGEINT", "casualty figures"),
))

#: Every stored table in creation order (daily_counts is derived by SQL, see store.refresh_daily_counts).
TABLES: dict[str, Table] = {t.name: t for t in (
    SOURCE_FILES, RAW_DOCUMENTS, ARTICLES, SENTENCES, ENTITIES, QUOTES, CITATIONS, CASUALTIES, PLACES,
    REJECTED_FILES, VALIDATION_FAILURES,
)}
#: Every table, the derived roll-up included.
ALL_TABLES: dict[str, Table] = {**TABLES, DAILY_COUNTS.name: DAILY_COUNTS}
#: Tables whose rows hang off an article (deleted and rewritten together).
ARTICLE_CHILD_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.article_child)
#: Tables whose batches are validated with pandera before they are written.
VALIDATED_TABLES: tuple[str, ...] = tuple(n for n, t in TABLES.items() if t.validated)


def table(name: str) -> Table:
    try:
        return ALL_TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}") from None


def ddl(t: Table, lake: bool = False) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for a table.

    Key columns are NOT NULL, without a PRIMARY KEY index: the store keeps keys unique by its
    writes (anti-join inserts, delete-then-insert replacements, every write transaction taking the
    one-row write lock, see :mod:`news_etl.warehouse.store`), and the table's validation schema
    checks uniqueness within a batch. An index would make every small append expensive: DuckDB
    appends to an indexed table's last row group, and the next checkpoint rewrites that whole row
    group -- for ``raw_documents`` all stored pages, ~4 s per write at 5,000 pages (measured)
    instead of ~0.2 s (a new row group); without it a small run's cost does not grow with the corpus.

    ``lake``: the DuckLake variant of the same declaration: DuckLake has no per-column compression,
    so ``storage`` is dropped. Types, NOT NULL and comments are the same.
    """
    cols = []
    for c in t.columns:
        parts = [f'"{c.name}"', c.type]
        if c.storage and not lake:
            parts.append(c.storage)
        if not c.nullable or c.primary_key:
            parts.append("NOT NULL")
        cols.append(" ".join(parts))
    return f'CREATE TABLE IF NOT EXISTS "{t.name}" (\n    ' + ",\n    ".join(cols) + "\n)"


def comments(t: Table) -> list[str]:
    """``COMMENT ON`` statements: the descriptions, stored in the database itself."""
    def q(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    out = [f'COMMENT ON TABLE "{t.name}" IS {q(t.description)}']
    out += [f'COMMENT ON COLUMN "{t.name}"."{c.name}" IS {q(c.description)}' for c in t.columns]
    return out


def columns(name: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a table's columns."""
    return [(c.name, c.type) for c in table(name).columns]


def frame(name: str, rows: Sequence[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, typed as the table declares."""
    cols = table(name).columns
    rows = rows if isinstance(rows, list) else list(rows)
    # Built column by column as plain objects: pandas would otherwise infer Arrow-backed strings
    # for text columns, to be copied back into objects below (~3 s per GB of pages ingested).
    df = pd.DataFrame({c.name: pd.Series([r.get(c.name) for r in rows], dtype=object) for c in cols})
    for c in cols:
        dt = c.pandas_dtype
        if dt == "datetime64[us, UTC]":
            df[c.name] = pd.to_datetime(df[c.name], utc=True).astype(dt)
        elif dt is not None:
            df[c.name] = df[c.name].astype(dt)
        elif c.type == "VARCHAR":
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
    return df


def pandera_schema(name: str, extra_checks: Sequence[pa.Check] = ()) -> pa.DataFrameSchema:
    """The pandera schema of a table, from its declaration (plus checks bound at call time)."""
    t = table(name)
    single_key = t.key[0] if len(t.key) == 1 else None
    cols = {c.name: pa.Column(c.pandera_dtype, checks=c.pandera_checks, nullable=c.nullable,
                              unique=c.name == single_key, required=True)
            for c in t.columns}
    checks = [pa.Check(rc.fn, name=rc.name) for rc in t.row_checks] + list(extra_checks)
    return pa.DataFrameSchema(cols, checks=checks, unique=list(t.key) if len(t.key) > 1 else None,
                              strict=False, name=t.name)


def row_check_columns() -> dict[str, tuple[str, ...]]:
    """check name -> the columns a row-wise check looks at (to name them in failures)."""
    out: dict[str, tuple[str, ...]] = {}
    for t in TABLES.values():
        for rc in t.row_checks:
            out[rc.name] = rc.columns
        if t.span_text:
            out[span_check_name(t)] = (t.span_text, "start_char", "end_char")
    return out


def span_check_name(t: Table) -> str:
    return f"{t.span_text}_equals_body_at_offsets"


def describe(name: str) -> str:
    return table(name).description
