"""SQL views over the tables: the answers analysts ask for, registered by :mod:`news_etl.warehouse.store`.

``VIEWS`` maps view name -> ``CREATE OR REPLACE VIEW`` statement; :func:`news_etl.warehouse.store.ensure_schema`
runs them in dict order, so a view must come after every view it reads.

Near-duplicate articles (``articles.duplicate_of`` set: the same story seen again) are left out of
every aggregate view through ``unique_articles``, so one story reprinted by ten sites counts once.
``unique_articles`` also works on a database whose ``articles`` table predates the
``duplicate_of`` column (``UNION ALL BY NAME`` with an empty row set supplies the column as NULL),
so adding these views never breaks an existing database file.
"""

#: Entity labels that name something (people, organisations, places, groups, events, ...).
#: Numbers, dates and times are left out of the per-day and co-occurrence views.
NAMED_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")

#: Speakers that are only a pronoun (the resolver found no name) are not ranked in ``top_speakers``.
PRONOUNS = ("he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "one")

_NAMED = ", ".join(f"'{label}'" for label in NAMED_LABELS)
_PRONOUNS = ", ".join(f"'{p}'" for p in PRONOUNS)

#: The ``daily_counts`` roll-up table (refreshed by the schedule, :func:`news_etl.warehouse.store.refresh_daily_counts`).
DAILY_COUNTS_SQL = """
CREATE OR REPLACE TABLE daily_counts AS
WITH days AS (
    SELECT article_id, CAST(coalesce(published_at, cleaned_at) AS DATE) AS day FROM articles
)
SELECT d.day,
       count(*) AS articles,
       sum((SELECT count(*) FROM entities e WHERE e.article_id = d.article_id)) AS entities,
       sum((SELECT count(*) FROM quotes q WHERE q.article_id = d.article_id)) AS quotes,
       sum((SELECT count(*) FROM casualties c WHERE c.article_id = d.article_id)) AS casualty_figures
FROM days d GROUP BY d.day ORDER BY d.day
"""

#: The day an article belongs to (the same rule as the daily_counts roll-up).
_DAY = "CAST(coalesce(a.published_at, a.cleaned_at) AS DATE)"
#: The outlet that ran an article: its publisher, else the host of its URL.
_OUTLET = ("coalesce(a.publisher, nullif(regexp_extract(a.url, '^[a-zA-Z]+://(?:www\\.)?([^/:?#]+)', 1), ''))")


def _clean_outlet(expr: str) -> str:
    """Trim an outlet name and drop a leading 'the ' so 'the Washington Post' = 'Washington Post'."""
    return f"nullif(regexp_replace(trim({expr}), '^the\\s+', '', 'i'), '')"


VIEWS: dict[str, str] = {
    # Every article that is not a near-duplicate of another one (all articles columns, plus
    # duplicate_of, which is NULL here by definition).
    "unique_articles": """
        CREATE OR REPLACE VIEW unique_articles AS
        SELECT * FROM (
            SELECT * FROM articles
            UNION ALL BY NAME
            SELECT CAST(NULL AS VARCHAR) AS duplicate_of WHERE false
        ) a
        WHERE a.duplicate_of IS NULL""",
    "article_overview": """
        CREATE OR REPLACE VIEW article_overview AS
        SELECT a.article_id, a.title, a.publisher, a.published_at, a.language, a.word_count, a.source_path,
               (SELECT count(*) FROM entities e WHERE e.article_id = a.article_id) AS n_entities,
               (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id) AS n_quotes,
               (SELECT count(*) FROM casualties c WHERE c.article_id = a.article_id) AS n_casualties
        FROM articles a""",
    # Who said what: one row per quote (all articles; is_duplicate_article flags reprints).
    "who_said_what": f"""
        CREATE OR REPLACE VIEW who_said_what AS
        SELECT coalesce(q.speaker_resolved, q.speaker) AS speaker, q.quote_text, q.kind, q.cue,
               q.reported_via, a.title, a.publisher, a.published_at, q.article_id, q.start_char, q.end_char,
               q.quote_id,
               q.speaker AS speaker_as_written,
               q.speaker_resolved,
               q.is_direct,
               {_OUTLET} AS outlet,
               {_DAY} AS published_day,
               u.article_id IS NULL AS is_duplicate_article
        FROM quotes q
        JOIN articles a USING (article_id)
        LEFT JOIN (SELECT article_id FROM unique_articles) u ON u.article_id = q.article_id""",
    # One row per real-world person, organisation or place (entities.entity_id, deterministic:
    # spelling variants and transliterations share it; see news_etl.nlp.identity).
    "named_entities": f"""
        CREATE OR REPLACE VIEW named_entities AS
        WITH m AS (
            SELECT e.entity_id, e.canonical_name, e.text, e.label, e.article_id, e.place_id,
                   {_DAY} AS day
            FROM entities e JOIN articles a USING (article_id)
            WHERE e.entity_id IS NOT NULL AND e.label IN ({_NAMED})
        ), names AS (
            SELECT entity_id, canonical_name, label, count(*) AS n FROM m GROUP BY ALL
        ), best AS (  -- the most frequent canonical form (then the longest), and its most frequent label
            SELECT entity_id, first(canonical_name ORDER BY n DESC, length(canonical_name) DESC, canonical_name) AS name,
                   first(label ORDER BY n DESC, label) AS label
            FROM names GROUP BY entity_id
        )
        SELECT b.entity_id, coalesce(p.name, b.name) AS name, b.label,
               list_sort(list_distinct(list(m.canonical_name) || list(m.text))) AS aliases,
               count(*) AS mentions, count(DISTINCT m.article_id) AS articles,
               min(m.day) AS first_seen, max(m.day) AS last_seen,
               min(m.place_id) AS place_id
        FROM m JOIN best b USING (entity_id)
        LEFT JOIN places p ON p.place_id = m.place_id
        GROUP BY b.entity_id, coalesce(p.name, b.name), b.label""",
    "entity_mentions": """
        CREATE OR REPLACE VIEW entity_mentions AS
        SELECT coalesce(n.name, e.canonical_name) AS canonical_name, e.label, count(*) AS mentions,
               count(DISTINCT e.article_id) AS articles, e.entity_id
        FROM entities e LEFT JOIN named_entities n USING (entity_id)
        GROUP BY coalesce(n.name, e.canonical_name), e.label, e.entity_id""",
    # Casualty figures by category, place and day across the (non-duplicate) articles reporting them.
    "casualty_reports": f"""
        CREATE OR REPLACE VIEW casualty_reports AS
        SELECT c.category,
               coalesce(c.location, '(unknown)') AS location,
               coalesce(c.event_date, CAST(a.published_at AS DATE)) AS event_day,
               count(DISTINCT c.article_id) AS n_articles,
               -- ACLED/UCDP practice: best = most conservative precise figure; low/high = range across reports
               min(coalesce(c.count_low, c.count_high)) FILTER (WHERE NOT c.is_vague) AS best,
               min(c.count_low) AS low,
               max(coalesce(c.count_high, c.count_low)) AS high,
               list_sort(list(DISTINCT c.reported_via) FILTER (WHERE c.reported_via IS NOT NULL)) AS reported_via,
               list_sort(list(DISTINCT c.article_id)) AS article_ids,
               count(*) AS n_figures,
               list_sort(list(DISTINCT {_OUTLET}) FILTER (WHERE {_OUTLET} IS NOT NULL)) AS outlets,
               list_sort(list(DISTINCT c.phrase)) AS phrases,
               min(a.published_at) AS first_reported_at,
               max(a.published_at) AS last_reported_at
        FROM casualties c JOIN unique_articles a USING (article_id)
        WHERE a.duplicate_of IS NULL
        GROUP BY c.category, coalesce(c.location, '(unknown)'), coalesce(c.event_date, CAST(a.published_at AS DATE))
        ORDER BY event_day, category, location""",
    # The most-quoted speakers (resolved name when known; bare pronouns left out).
    "top_speakers": f"""
        CREATE OR REPLACE VIEW top_speakers AS
        SELECT first(coalesce(q.speaker_resolved, q.speaker)      -- the fullest form who_said_what uses
                     ORDER BY length(coalesce(q.speaker_resolved, q.speaker)) DESC,
                              coalesce(q.speaker_resolved, q.speaker)) AS speaker,
               count(*) AS quotes,
               count(DISTINCT q.article_id) AS articles,
               count(*) FILTER (WHERE q.kind = 'direct') AS direct_quotes,
               count(*) FILTER (WHERE q.kind = 'partial') AS partial_quotes,
               count(*) FILTER (WHERE q.kind = 'indirect') AS indirect_quotes,
               list_sort(list(DISTINCT {_OUTLET}) FILTER (WHERE {_OUTLET} IS NOT NULL)) AS outlets,
               min({_DAY}) AS first_day,
               max({_DAY}) AS last_day,
               first(q.quote_text ORDER BY length(q.quote_text) DESC, q.quote_text) AS example_quote,
               q.speaker_entity_id
        FROM quotes q JOIN unique_articles a USING (article_id)
        WHERE coalesce(q.speaker_resolved, q.speaker) IS NOT NULL
          AND lower(trim(coalesce(q.speaker_resolved, q.speaker))) NOT IN ({_PRONOUNS})
        GROUP BY q.speaker_entity_id, CASE WHEN q.speaker_entity_id IS NULL
                                          THEN coalesce(q.speaker_resolved, q.speaker) END
        ORDER BY quotes DESC, articles DESC, speaker""",
    # Mentions of named entities per day.
    "entity_mentions_by_day": f"""
        CREATE OR REPLACE VIEW entity_mentions_by_day AS
        SELECT {_DAY} AS day, coalesce(n.name, e.canonical_name) AS canonical_name, e.label,
               count(*) AS mentions, count(DISTINCT e.article_id) AS articles, e.entity_id
        FROM entities e JOIN unique_articles a USING (article_id)
        LEFT JOIN named_entities n USING (entity_id)
        WHERE e.label IN ({_NAMED})
        GROUP BY ALL
        ORDER BY day, mentions DESC, canonical_name""",
    # Pairs of named entities mentioned in the same article (each pair once: entity_a < entity_b).
    "entity_cooccurrence": f"""
        CREATE OR REPLACE VIEW entity_cooccurrence AS
        WITH ents AS (
            SELECT DISTINCT e.article_id, coalesce(n.name, e.canonical_name) AS canonical_name,
                   coalesce(n.label, e.label) AS label, coalesce(e.entity_id, e.canonical_name) AS eid,
                   {_DAY} AS day
            FROM entities e JOIN unique_articles a USING (article_id)
            LEFT JOIN named_entities n USING (entity_id)
            WHERE e.label IN ({_NAMED})
        )
        SELECT x.canonical_name AS entity_a, x.label AS label_a,
               y.canonical_name AS entity_b, y.label AS label_b,
               count(*) AS articles,
               min(x.day) AS first_day, max(x.day) AS last_day,
               list(x.article_id ORDER BY x.article_id) AS article_ids,
               x.eid AS entity_id_a, y.eid AS entity_id_b
        FROM ents x JOIN ents y
          ON x.article_id = y.article_id
         AND (x.canonical_name < y.canonical_name
              OR (x.canonical_name = y.canonical_name AND (x.label < y.label
                                                           OR (x.label = y.label AND x.eid < y.eid))))
        GROUP BY ALL
        ORDER BY articles DESC, entity_a, entity_b""",
    # Casualty figures per place on the map (places from the offline gazetteer), non-duplicate articles.
    "casualties_by_place": """
        CREATE OR REPLACE VIEW casualties_by_place AS
        SELECT c.category, p.place_id, p.name AS place, p.country_code, p.admin1, p.latitude, p.longitude,
               count(*) AS n_figures, count(DISTINCT c.article_id) AS n_articles,
               sum(coalesce(c.count_low, c.count_high)) FILTER (WHERE NOT c.is_vague) AS total_low,
               max(coalesce(c.count_high, c.count_low)) AS largest_figure,
               list_sort(list(DISTINCT c.location)) AS locations_as_written,
               min(a.published_at) AS first_reported_at, max(a.published_at) AS last_reported_at
        FROM casualties c JOIN unique_articles a USING (article_id)
        JOIN places p ON p.place_id = c.place_id
        GROUP BY ALL
        ORDER BY n_figures DESC, category, place""",
    # Outlets credited as sources: citations ("per CNN"), quotes and casualty figures reported via them.
    "outlets_cited": f"""
        CREATE OR REPLACE VIEW outlets_cited AS
        WITH refs AS (
            SELECT {_clean_outlet('outlet')} AS outlet, article_id, 'citation' AS via FROM citations
            UNION ALL
            SELECT {_clean_outlet('reported_via')}, article_id, 'quote' FROM quotes WHERE reported_via IS NOT NULL
            UNION ALL
            SELECT {_clean_outlet('reported_via')}, article_id, 'casualty' FROM casualties WHERE reported_via IS NOT NULL
        )
        SELECT r.outlet,
               count(*) AS refs,
               count(DISTINCT r.article_id) AS articles,
               count(*) FILTER (WHERE r.via = 'citation') AS citations,
               count(*) FILTER (WHERE r.via = 'quote') AS quotes,
               count(*) FILTER (WHERE r.via = 'casualty') AS casualty_figures,
               list_sort(list(DISTINCT {_OUTLET}) FILTER (WHERE {_OUTLET} IS NOT NULL)) AS cited_by,
               min({_DAY}) AS first_day,
               max({_DAY}) AS last_day
        FROM refs r JOIN unique_articles a USING (article_id)
        WHERE r.outlet IS NOT NULL
        GROUP BY r.outlet
        ORDER BY articles DESC, refs DESC, r.outlet""",
}

#: One line per view (for ``news-etl tables`` and the docs).
VIEW_DESCRIPTIONS: dict[str, str] = {
    "unique_articles": "articles that are not near-duplicates of another (duplicate_of IS NULL); all columns",
    "article_overview": "articles with their entity, quote and casualty counts",
    "who_said_what": "quotes with speaker (resolved), as written, outlet, article title and day",
    "named_entities": "one row per real-world person, organisation or place across articles: name, label, "
                      "aliases, mentions, articles, first/last seen",
    "entity_mentions": "mentions and articles per entity (across articles, by entity_id)",
    "casualties_by_place": "casualty figures per place with coordinates (country, admin1, latitude, longitude)",
    "casualty_reports": "casualty figures by category, place and day across non-duplicate articles: best/low/high",
    "top_speakers": "most-quoted speakers: quotes, articles, direct/partial/indirect, outlets, example quote",
    "entity_mentions_by_day": "mentions of named entities (people, organisations, places, ...) per day",
    "entity_cooccurrence": "pairs of named entities mentioned in the same article, with article counts",
    "outlets_cited": "outlets credited as sources (citations, quotes and casualty figures reported via them)",
}
assert set(VIEW_DESCRIPTIONS) == set(VIEWS)
