"""pandera schemas: good rows pass, bad rows are dropped and named (table, article, column, check)."""

from datetime import datetime, timezone

from news_etl.warehouse import store
from news_etl.warehouse.validate import validate

BODY = "Kyiv was shelled on Monday. 11 people were killed."


def _article(**over):
    h = "ab" * 32
    row = {"article_id": h[:16], "source_path": "a.txt", "url": None, "title": "T", "subtitle": None,
           "authors": ["Jane Doe"], "publisher": "P", "published_at": datetime(2022, 2, 28, 12, tzinfo=timezone.utc),
           "updated_at": None, "language": "en", "body": BODY, "word_count": 9, "content_hash": h,
           "cleaned_at": datetime.now(timezone.utc)}
    row.update(over)
    return row


def test_valid_article_passes():
    v = validate("articles", store.frame("articles", [_article()]))
    assert v.ok and len(v.valid) == 1


def test_bad_articles_are_dropped_and_named():
    good = _article()
    bad_lang = _article(article_id="cd" * 8, content_hash="cd" * 32, language="English")
    bad_dates = _article(article_id="ef" * 8, content_hash="ef" * 32,
                         updated_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    v = validate("articles", store.frame("articles", [good, bad_lang, bad_dates]))
    assert list(v.valid["article_id"]) == [good["article_id"]]
    named = set(zip(v.failures["article_id"], v.failures["column_name"].fillna("")))
    assert ("cd" * 8, "language") in named
    assert any(a == "ef" * 8 for a, _ in named)
    assert "language" in v.summary() and "cdcdcdcdcdcdcdcd" in v.summary()


def test_offsets_must_match_the_body():
    rows = [
        {"article_id": "ab" * 8, "entity_index": 0, "text": "Kyiv", "label": "GPE", "canonical_name": "Kyiv",
         "start_char": 0, "end_char": 4, "sentence_index": 0},
        {"article_id": "ab" * 8, "entity_index": 1, "text": "Monday", "label": "DATE", "canonical_name": "Monday",
         "start_char": 3, "end_char": 9, "sentence_index": 0},  # wrong offsets
    ]
    v = validate("entities", store.frame("entities", rows), bodies={"ab" * 8: BODY})
    assert list(v.valid["text"]) == ["Kyiv"] and list(v.valid.columns) == [c for c, _ in store.columns("entities")]
    assert "text_equals_body_at_offsets" in " ".join(v.failures["check_name"])


def test_casualty_bounds_and_categories():
    base = {"casualty_id": "x-c0", "article_id": "ab" * 8, "category": "killed", "kind": None, "count_low": 11,
            "count_high": 11, "qualifier": "exact", "is_vague": False, "phrase": "11 people were killed",
            "start_char": 28, "end_char": 49}
    bad = dict(base, casualty_id="x-c1", count_low=12, count_high=3)
    worse = dict(base, casualty_id="x-c2", category="exploded")
    v = validate("casualties", store.frame("casualties", [base, bad, worse]), bodies={"ab" * 8: BODY})
    assert list(v.valid["casualty_id"]) == ["x-c0"]
    checks = " ".join(v.failures["check_name"].astype(str))
    assert "bounds_ordered" in checks and "isin" in checks


def test_missing_booleans_stay_null_not_true():
    # A row without the nullable BOOLEAN reclean_requested must not come out TRUE (NaN -> True).
    df = store.frame("articles", [_article()])
    assert df["reclean_requested"].isna().all()
    q = store.frame("quotes", [{"quote_id": "q", "article_id": "ab" * 8, "quote_text": "x", "is_direct": False,
                                "kind": "partial", "start_char": 0, "end_char": 1}])
    assert q["is_direct"].tolist() == [False] and q["nested"].isna().all()


def test_text_columns_take_text_or_null_and_name_the_rows_that_are_not():
    """VARCHAR columns: text and NULL pass (one scan); any other value fails, named by its row."""
    ok = [_article(), _article(article_id="cd" * 8, content_hash="cd" * 32, subtitle=None, publisher=None)]
    assert validate("articles", store.frame("articles", ok)).ok
    numeric_title = _article(article_id="ef" * 8, content_hash="ef" * 32, title=1234)
    listed_publisher = _article(article_id="01" * 8, content_hash="01" * 32, publisher=["P", "Q"])
    v = validate("articles", store.frame("articles", [*ok, numeric_title, listed_publisher]))
    assert sorted(v.valid["article_id"]) == ["ab" * 8, "cd" * 8]
    failed = set(zip(v.failures["article_id"], v.failures["column_name"], v.failures["check_name"]))
    assert ("ef" * 8, "title", "dtype('string[pyarrow]')") in failed
    assert ("01" * 8, "publisher", "dtype('string[pyarrow]')") in failed
    assert "1234" in set(v.failures["failure_case"])
