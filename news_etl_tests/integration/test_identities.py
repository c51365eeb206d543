"""One identity per person across articles, places on the map and search, on a corpus written
for this test (real model, real DuckDB file)."""

from news_etl import stages
from news_etl_tests.conftest import query

ARTICLES = {
    "a1.txt": ("Talks resume in Kyiv\n\nPresident Volodymyr Zelenskyy met European envoys in Kiev on Monday. "
               "Zelenskyy said the talks had been useful. John Smith, a British diplomat, attended.\n"),
    "a2.txt": ("Leaders meet in Warsaw\n\nVolodymyr Zelenskiy arrived in Warsaw on Tuesday for a summit. "
               "Jane Smith, an aid worker, said 14 people were injured in Kharkov overnight.\n"),
    "a3.txt": ("Shelling continues\n\nUkraine's president, Volodymyr Zelensky, said on Wednesday that two people "
               "were killed in the Kharkiv region. Officials in Kyiv confirmed the figure.\n"),
}


def test_one_id_per_person_and_place_across_articles(tmp_path, nlp):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name, text in ARTICLES.items():
        (inbox / name).write_text(text)
    db = tmp_path / "db.duckdb"
    stages.ingest_folder(db, inbox)
    stages.clean_pending(db)
    stages.enrich_pending(db, nlp)

    zel = query(db, "SELECT entity_id, articles FROM named_entities WHERE name ILIKE 'Volodymyr Zelensk%'")
    assert len(zel) == 1 and zel[0][1] == 3, zel
    smiths = query(db, "SELECT DISTINCT entity_id FROM entities WHERE canonical_name IN ('John Smith', 'Jane Smith')")
    assert len(smiths) == 2
    kyiv = query(db, """SELECT DISTINCT p.name, p.country_code FROM entities e JOIN places p USING (place_id)
                        WHERE e.text IN ('Kyiv', 'Kiev')""")
    assert kyiv == [("Kyiv", "UA")]
    figures = query(db, """SELECT c.category, c.count_low, p.name FROM casualties c JOIN places p USING (place_id)
                           ORDER BY c.count_low""")
    assert figures == [("killed", 2, "Kharkiv"), ("injured", 14, "Kharkiv")]
    by_place = query(db, "SELECT place, sum(n_figures) FROM casualties_by_place GROUP BY place")
    assert by_place == [("Kharkiv", 2)]
