"""pandera schemas: one per table, applied to every batch before it is written.

No dagster imports. :func:`validate` splits a frame into the rows that pass and a
frame of failures (table, article, column, check, failing value) so that bad rows
never reach the tables silently: they are recorded in ``validation_failures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

HEX16 = r"^[0-9a-f]{16}$"
CATEGORIES = ["killed", "injured", "missing", "arrested", "displaced", "other"]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "up_to", "vague"]
QUOTE_KINDS = ["direct", "partial", "indirect"]
ENTITY_LABELS = [
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
]


def _offsets_ordered(df: pd.DataFrame) -> pd.Series:
    return (df["start_char"] >= 0) & (df["end_char"] > df["start_char"])


def _span_matches(text_col: str):
    """Row check: the text column equals the article body at the row's offsets.

    Needs a ``_body`` column (dropped before writing) holding the article body.
    """

    def check(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [isinstance(b, str) and b[s:e] == t for b, s, e, t in
             zip(df["_body"], df["start_char"], df["end_char"], df[text_col])],
            index=df.index,
        )

    check.__name__ = f"{text_col}_equals_body_at_offsets"
    return pa.Check(check, name=f"{text_col}_equals_body_at_offsets")


ARTICLES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16), unique=True),
        "source_path": pa.Column(str, pa.Check.str_length(min_value=1)),
        "url": pa.Column(str, nullable=True),
        "title": pa.Column(str, nullable=True),
        "subtitle": pa.Column(str, nullable=True),
        "authors": pa.Column(object, pa.Check(lambda s: s.map(lambda v: isinstance(v, list) and all(isinstance(x, str) and x for x in v)),
                                              name="authors_is_list_of_names")),
        "publisher": pa.Column(str, nullable=True),
        "published_at": pa.Column("datetime64[us, UTC]", nullable=True),
        "updated_at": pa.Column("datetime64[us, UTC]", nullable=True),
        "language": pa.Column(str, pa.Check.str_matches(r"^[a-z]{2,3}$"), nullable=True),
        "body": pa.Column(str, pa.Check(lambda s: s.str.strip().str.len() > 0, name="body_not_blank")),
        "word_count": pa.Column("Int64", pa.Check.gt(0)),
        "content_hash": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
    },
    checks=[
        pa.Check(lambda df: df["content_hash"].str[:16] == df["article_id"], name="article_id_is_hash_prefix"),
        pa.Check(lambda df: df["updated_at"].isna() | df["published_at"].isna() | (df["updated_at"] >= df["published_at"]),
                 name="updated_not_before_published"),
    ],
    strict=False,
    name="articles",
)

SENTENCES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16)),
        "sentence_index": pa.Column("Int64", pa.Check.ge(0)),
        "start_char": pa.Column("Int64"),
        "end_char": pa.Column("Int64"),
        "text": pa.Column(str),
    },
    checks=[pa.Check(_offsets_ordered, name="offsets_ordered"), _span_matches("text")],
    unique=["article_id", "sentence_index"],
    name="sentences",
)

ENTITIES = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16)),
        "entity_index": pa.Column("Int64", pa.Check.ge(0)),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "label": pa.Column(str, pa.Check.isin(ENTITY_LABELS)),
        "canonical_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "start_char": pa.Column("Int64"),
        "end_char": pa.Column("Int64"),
        "sentence_index": pa.Column("Int64", nullable=True),
    },
    checks=[pa.Check(_offsets_ordered, name="offsets_ordered"), _span_matches("text")],
    unique=["article_id", "entity_index"],
    name="entities",
)

QUOTES = pa.DataFrameSchema(
    {
        "quote_id": pa.Column(str, unique=True),
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16)),
        "quote_text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "speaker": pa.Column(str, nullable=True),
        "speaker_resolved": pa.Column(str, nullable=True),
        "is_direct": pa.Column("boolean", nullable=False),
        "kind": pa.Column(str, pa.Check.isin(QUOTE_KINDS)),
        "cue": pa.Column(str, nullable=True),
        "reported_via": pa.Column(str, nullable=True),
        "start_char": pa.Column("Int64"),
        "end_char": pa.Column("Int64"),
    },
    checks=[
        pa.Check(_offsets_ordered, name="offsets_ordered"),
        _span_matches("quote_text"),
        pa.Check(lambda df: df["is_direct"] == (df["kind"] == "direct"), name="is_direct_iff_kind_direct"),
    ],
    name="quotes",
)

CITATIONS = pa.DataFrameSchema(
    {
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16)),
        "outlet": pa.Column(str, pa.Check.str_length(min_value=1)),
        "phrase": pa.Column(str, pa.Check.str_length(min_value=1)),
        "start_char": pa.Column("Int64"),
        "end_char": pa.Column("Int64"),
    },
    checks=[pa.Check(_offsets_ordered, name="offsets_ordered"), _span_matches("phrase")],
    name="citations",
)

CASUALTIES = pa.DataFrameSchema(
    {
        "casualty_id": pa.Column(str, unique=True),
        "article_id": pa.Column(str, pa.Check.str_matches(HEX16)),
        "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
        "count_low": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "count_high": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
        "is_vague": pa.Column("boolean", nullable=False),
        "phrase": pa.Column(str, pa.Check.str_length(min_value=1)),
        "start_char": pa.Column("Int64"),
        "end_char": pa.Column("Int64"),
    },
    checks=[
        pa.Check(_offsets_ordered, name="offsets_ordered"),
        _span_matches("phrase"),
        pa.Check(lambda df: df["count_low"].isna() | df["count_high"].isna() | (df["count_low"] <= df["count_high"]),
                 name="bounds_ordered"),
        pa.Check(lambda df: ~df["is_vague"] | (df["count_low"].isna() & df["count_high"].isna()),
                 name="vague_has_no_bounds"),
    ],
    name="casualties",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "citations": CITATIONS,
    "casualties": CASUALTIES,
}

#: The columns a row-wise (DataFrame-level) check looks at, to name them in failures.
_ROW_CHECK_COLUMNS = {
    "offsets_ordered": ["start_char", "end_char"],
    "text_equals_body_at_offsets": ["text", "start_char", "end_char"],
    "quote_text_equals_body_at_offsets": ["quote_text", "start_char", "end_char"],
    "phrase_equals_body_at_offsets": ["phrase", "start_char", "end_char"],
    "is_direct_iff_kind_direct": ["is_direct", "kind"],
    "bounds_ordered": ["count_low", "count_high"],
    "vague_has_no_bounds": ["is_vague", "count_low", "count_high"],
    "article_id_is_hash_prefix": ["article_id", "content_hash"],
    "updated_not_before_published": ["published_at", "updated_at"],
}

FAILURE_COLUMNS = ["table_name", "article_id", "column_name", "check_name", "failure_case", "failed_at"]


@dataclass
class Validated:
    valid: pd.DataFrame
    failures: pd.DataFrame  # FAILURE_COLUMNS

    @property
    def ok(self) -> bool:
        return len(self.failures) == 0

    def summary(self, limit: int = 10) -> str:
        """One line per failure: table, article, column, check, value — names rows and columns."""
        lines = []
        for r in self.failures.head(limit).itertuples(index=False):
            lines.append(f"{r.table_name}: article {r.article_id} column {r.column_name or '(row)'} "
                         f"failed {r.check_name} (value: {str(r.failure_case)[:80]})")
        if len(self.failures) > limit:
            lines.append(f"... and {len(self.failures) - limit} more")
        return "\n".join(lines)


def empty_failures() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FAILURE_COLUMNS})


def validate(table: str, df: pd.DataFrame) -> Validated:
    """Validate ``df`` against the table's schema; drop and report failing rows.

    A ``_body`` helper column is used for offset checks and dropped from the result.
    """
    schema = SCHEMAS[table]
    if len(df) == 0:
        return Validated(df.drop(columns=["_body"], errors="ignore"), empty_failures())
    try:
        out = schema.validate(df, lazy=True)
        return Validated(out.drop(columns=["_body"], errors="ignore"), empty_failures())
    except SchemaErrors as err:
        fc = err.failure_cases
        now = datetime.now(timezone.utc)
        bad_index = set(fc["index"].dropna().tolist())
        rows, seen = [], set()
        for r in fc.itertuples(index=False):
            idx = r.index
            art = None
            if idx is not None and not (isinstance(idx, float) and pd.isna(idx)) and idx in df.index and "article_id" in df:
                art = df.at[idx, "article_id"]
            if r.schema_context == "DataFrameSchema":
                # A row-wise check over several columns: one failure per row, the row's own columns named.
                col, case = None, None
                if idx in df.index and r.check in _ROW_CHECK_COLUMNS:
                    cols = _ROW_CHECK_COLUMNS[r.check]
                    col = ",".join(cols)
                    case = "; ".join(f"{c}={str(df.at[idx, c])[:60]!r}" for c in cols if c in df)
            else:
                col = r.column if isinstance(r.column, str) else None
                case = None if r.failure_case is None else str(r.failure_case)
            key = (idx, col, str(r.check))
            if key in seen:
                continue
            seen.add(key)
            rows.append({"table_name": table, "article_id": art, "column_name": col,
                         "check_name": str(r.check), "failure_case": case, "failed_at": now})
        failures = pd.DataFrame(rows, columns=FAILURE_COLUMNS)
        if not bad_index:
            # A schema-wide failure (missing column, wrong dtype for the whole column): nothing passes.
            valid = df.iloc[0:0]
        else:
            valid = df.drop(index=[i for i in bad_index if i in df.index])
            valid = schema.validate(valid, lazy=False) if len(valid) else valid
        return Validated(valid.drop(columns=["_body"], errors="ignore"), failures)
