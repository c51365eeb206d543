"""Each table declared once: the DDL, the pandera schema, the frames and the descriptions are
derived from :mod:`news_etl.warehouse.tables` and agree with each other."""

from dataclasses import fields

import pandas as pd
import pytest

from news_etl.warehouse import tables
from news_etl.warehouse.validate import validate


@pytest.mark.parametrize("name", list(tables.TABLES))
def test_every_column_is_described_and_typed(name):
    t = tables.table(name)
    assert t.description and all(c.description and c.type for c in t.columns)
    assert len(set(t.column_names)) == len(t.column_names)
    assert set(t.key) <= set(t.column_names)
    df = tables.frame(name, [])
    assert list(df.columns) == t.column_names


def test_not_null_columns_are_checked_by_the_derived_pandera_schema():
    row = {"article_id": "ab" * 8, "sentence_index": 0, "start_char": 0, "end_char": 4, "text": None}
    v = validate("sentences", tables.frame("sentences", [row]))
    assert not v.ok and "text" in set(v.failures["column_name"])


def test_the_key_is_unique_in_a_batch():
    row = {"article_id": "ab" * 8, "sentence_index": 0, "start_char": 0, "end_char": 4, "text": "Kyiv"}
    v = validate("sentences", tables.frame("sentences", [row, row]))
    assert not v.ok and len(v.valid) == 0


def test_ddl_names_every_column_with_its_constraints():
    ddl = tables.ddl(tables.table("articles"))
    assert '"article_id" VARCHAR NOT NULL' in ddl and '"body" VARCHAR NOT NULL' in ddl and "PRIMARY KEY" not in ddl
    assert "USING COMPRESSION uncompressed" in tables.ddl(tables.table("raw_documents"))


def test_frames_keep_missing_booleans_null_and_type_timestamps():
    df = tables.frame("quotes", [{"quote_id": "q", "article_id": "ab" * 8, "quote_text": "x", "is_direct": False,
                                  "kind": "partial", "start_char": 0, "end_char": 1}])
    assert df["nested"].isna().all() and str(df["start_char"].dtype) == "Int64"
    arts = tables.frame("articles", [{"cleaned_at": "2024-01-01T00:00:00Z"}])
    assert isinstance(arts["cleaned_at"].iloc[0], pd.Timestamp) and str(arts["cleaned_at"].dt.tz) == "UTC"


def test_extractor_records_are_the_table_columns_less_ids():
    from news_etl.nlp.casualties import Casualty
    from news_etl.nlp.quotes import Citation, Quote

    # ids and the cross-article identities/places are added by the serializer
    for record, table, ids in ((Quote, "quotes", {"quote_id", "article_id", "speaker_entity_id"}),
                               (Citation, "citations", {"article_id"}),
                               (Casualty, "casualties", {"casualty_id", "article_id", "place_id"})):
        cols = set(tables.table(table).column_names) - ids
        names = {f.name for f in fields(record)}
        assert cols <= names, (table, cols - names)
        assert names - cols <= {"content"}, (table, names - cols)  # content: the reported clause's text


@pytest.mark.parametrize("name", list(tables.ALL_TABLES))
def test_the_readme_documents_every_column(name):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `{name}` |")]
    missing = [c for c in tables.table(name).column_names if f"`{c}" not in row]
    assert not missing, (name, missing)
