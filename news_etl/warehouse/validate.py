"""Validation of every batch before it is written, with the pandera schemas derived from
:mod:`news_etl.warehouse.tables`.

No dagster imports. :func:`validate` splits a frame into the rows that pass and a
frame of failures (table, article, column, check, failing value) so that bad rows
never reach the tables silently: they are recorded in ``validation_failures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from news_etl.warehouse.tables import Table, pandera_schema, row_check_columns, span_check_name
from news_etl.warehouse.tables import table as table_def

def _span_matches(t: Table, bodies: Mapping[str, str]) -> pa.Check:
    """Row check: the table's text column equals the article body at the row's offsets."""
    col = t.span_text

    def check(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [isinstance(b, str) and b[s:e] == x for b, s, e, x in
             zip(df["article_id"].map(lambda a: bodies.get(a)), df["start_char"], df["end_char"], df[col])],
            index=df.index,
        )

    return pa.Check(check, name=span_check_name(t))


#: The columns a row-wise (DataFrame-level) check looks at, to name them in failures.
_ROW_CHECK_COLUMNS = row_check_columns()

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


_SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def schema_for(name: str, bodies: Mapping[str, str] | None = None) -> pa.DataFrameSchema:
    """The table's pandera schema; with ``bodies`` (article id -> body) also the text-at-offsets check."""
    t = table_def(name)
    if bodies is not None and t.span_text:
        return pandera_schema(name, [_span_matches(t, bodies)])
    if name not in _SCHEMAS:
        _SCHEMAS[name] = pandera_schema(name)
    return _SCHEMAS[name]


def validate(table: str, df: pd.DataFrame, bodies: Mapping[str, str] | None = None) -> Validated:
    """Validate ``df`` against the table's schema; drop and report failing rows.

    ``bodies`` (article id -> stored body) turns on the check that a row's text equals the
    body at its offsets, for tables that have offsets.
    """
    schema = schema_for(table, bodies)
    if len(df) == 0:
        return Validated(df, empty_failures())
    try:
        return Validated(schema.validate(df, lazy=True), empty_failures())
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
        return Validated(valid, failures)
