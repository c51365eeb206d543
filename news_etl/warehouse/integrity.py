"""The cross-table integrity checks as queries (read-only; no dagster imports).

Each query returns the offending rows (at most 50); an empty result means the invariant holds.
:func:`news_etl.warehouse.store.run_integrity_check` runs them for the asset checks and keeps
the bookkeeping of :data:`SCOPED_CHECKS` (the store owns every write).
"""

from __future__ import annotations

import pandas as pd

#: Each query returns the offending rows; an empty result means the invariant holds. The ones that
#: read article bodies name the articles they look at ``{articles}``: the whole table, or the
#: articles a scoped check reads (:data:`SCOPED_CHECKS`).
INTEGRITY_QUERIES: dict[str, str] = {
    "offsets_inside_body": """
        SELECT t.tbl, t.article_id, t.start_char, t.end_char FROM (
            SELECT 'entities' AS tbl, article_id, start_char, end_char FROM entities
            UNION ALL SELECT 'sentences', article_id, start_char, end_char FROM sentences
            UNION ALL SELECT 'quotes', article_id, start_char, end_char FROM quotes
            UNION ALL SELECT 'citations', article_id, start_char, end_char FROM citations
            UNION ALL SELECT 'casualties', article_id, start_char, end_char FROM casualties) t
        JOIN {articles} a USING (article_id)
        WHERE t.start_char < 0 OR t.end_char > length(a.body) OR t.end_char <= t.start_char
        LIMIT 50""",
    "text_matches_body": """
        SELECT 'entities' AS tbl, e.article_id, e.start_char, e.text FROM entities e JOIN {articles} a USING (article_id)
        WHERE substr(a.body, e.start_char + 1, e.end_char - e.start_char) <> e.text
        UNION ALL
        SELECT 'quotes', q.article_id, q.start_char, q.quote_text FROM quotes q JOIN {articles} a USING (article_id)
        WHERE substr(a.body, q.start_char + 1, q.end_char - q.start_char) <> q.quote_text
        UNION ALL
        SELECT 'casualties', c.article_id, c.start_char, c.phrase FROM casualties c JOIN {articles} a USING (article_id)
        WHERE substr(a.body, c.start_char + 1, c.end_char - c.start_char) <> c.phrase
        LIMIT 50""",
    "no_orphan_rows": """
        SELECT t.tbl, t.article_id FROM (
            SELECT DISTINCT 'entities' AS tbl, article_id FROM entities
            UNION ALL SELECT DISTINCT 'sentences', article_id FROM sentences
            UNION ALL SELECT DISTINCT 'quotes', article_id FROM quotes
            UNION ALL SELECT DISTINCT 'citations', article_id FROM citations
            UNION ALL SELECT DISTINCT 'casualties', article_id FROM casualties) t
        WHERE t.article_id NOT IN (SELECT article_id FROM articles)
        LIMIT 50""",
    "unique_article_ids": """
        SELECT article_id, count(*) AS n FROM articles GROUP BY article_id HAVING count(*) > 1 LIMIT 50""",
    "every_file_accounted_for": """
        SELECT s.source_path, s.status FROM source_files s
        WHERE (s.status IN ('ingested', 'duplicate') AND s.article_id NOT IN (SELECT article_id FROM raw_documents))
           OR (s.status = 'rejected' AND NOT EXISTS (SELECT 1 FROM rejected_files j WHERE j.source_path = s.source_path))
        LIMIT 50""",
}


#: Bookkeeping of :func:`~news_etl.warehouse.store.run_integrity_check`: (check, article, the
#: enrichment it passed). The
#: checks that compare rows with article bodies read only articles enriched since they last
#: passed, so a run's checks cost what the run added, not what the database holds.
CHECKED_TABLE = "_news_etl_checked"

#: The checks that read only articles not yet passed (their queries take ``{articles}``).
SCOPED_CHECKS = ("offsets_inside_body", "text_matches_body")

UNCHECKED_SQL = f"""
    SELECT a.article_id, a.enriched_at FROM articles a
    WHERE a.enriched_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM "{CHECKED_TABLE}" k
        WHERE k.check_name = $name AND k.article_id = a.article_id AND k.enriched_at = a.enriched_at)"""


def integrity_violations(con, name: str) -> pd.DataFrame:
    """The check's violations over the whole database (the rows that break the invariant)."""
    return con.execute(integrity_query(name)).df()


def integrity_query(name: str, articles: str = "articles") -> str:
    """The check's query over ``articles`` (a table name or a parenthesised query of its rows)."""
    return INTEGRITY_QUERIES[name].replace("{articles}", articles)
