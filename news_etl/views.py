"""SQL views over the tables: the answers analysts ask for, registered by :mod:`news_etl.store`."""

VIEWS: dict[str, str] = {
    "article_overview": """
        CREATE OR REPLACE VIEW article_overview AS
        SELECT a.article_id, a.title, a.publisher, a.published_at, a.language, a.word_count, a.source_path,
               (SELECT count(*) FROM entities e WHERE e.article_id = a.article_id) AS n_entities,
               (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id) AS n_quotes,
               (SELECT count(*) FROM casualties c WHERE c.article_id = a.article_id) AS n_casualties
        FROM articles a""",
    "who_said_what": """
        CREATE OR REPLACE VIEW who_said_what AS
        SELECT coalesce(q.speaker_resolved, q.speaker) AS speaker, q.quote_text, q.kind, q.cue,
               q.reported_via, a.title, a.publisher, a.published_at, q.article_id, q.start_char, q.end_char
        FROM quotes q JOIN articles a USING (article_id)""",
    "entity_mentions": """
        CREATE OR REPLACE VIEW entity_mentions AS
        SELECT e.canonical_name, e.label, count(*) AS mentions, count(DISTINCT e.article_id) AS articles
        FROM entities e GROUP BY ALL""",
    "casualty_reports": """
        CREATE OR REPLACE VIEW casualty_reports AS
        SELECT c.category,
               coalesce(c.location, '(unknown)') AS location,
               coalesce(c.event_date, CAST(a.published_at AS DATE)) AS event_day,
               count(DISTINCT c.article_id) AS n_articles,
               -- ACLED/UCDP practice: best = most conservative precise figure; low/high = range across reports
               min(coalesce(c.count_low, c.count_high)) FILTER (WHERE NOT c.is_vague) AS best,
               min(c.count_low) AS low,
               max(coalesce(c.count_high, c.count_low)) AS high,
               list(DISTINCT c.reported_via) FILTER (WHERE c.reported_via IS NOT NULL) AS reported_via,
               list(DISTINCT c.article_id) AS article_ids
        FROM casualties c JOIN articles a USING (article_id)
        GROUP BY ALL""",
}
