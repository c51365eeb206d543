"""First-level regions, names written in full, villages and the gazetteer's cache key, directly
(no model): place names chosen for the tests."""

import importlib.metadata

from news_etl.nlp import gazetteer as gz
from news_etl.nlp.gazetteer import choose, gazetteer


def test_a_province_outside_the_us_is_a_place_at_the_centre_of_its_towns():
    (bavaria,) = gazetteer().candidates("Bavaria")
    assert bavaria.feature == "admin1" and bavaria.country_code == "DE"
    assert bavaria.place_id.startswith("adm1:DE.") and bavaria.admin1 == bavaria.place_id[len("adm1:"):]
    assert 47 < bavaria.latitude < 51 and 9 < bavaria.longitude < 14
    assert bavaria.geonames_id is None and bavaria.population is None
    assert [p.place_id for p in gazetteer().candidates("the Bavaria region")] == [bavaria.place_id]


def test_a_region_named_after_its_city_is_read_as_the_city():
    (kharkiv,) = gazetteer().candidates("Kharkiv")
    assert kharkiv.feature == "city" and kharkiv.country_code == "UA"
    assert 49 < kharkiv.latitude < 51 and 35 < kharkiv.longitude < 37
    (kyiv,) = gazetteer().candidates("Kyiv")
    assert kyiv.feature == "city" and 50 < kyiv.latitude < 51 and 30 < kyiv.longitude < 31


def test_the_article_decides_between_regions_of_one_name():
    cands = gazetteer().candidates("Punjab")
    assert {c.country_code for c in cands} == {"IN", "PK"}
    assert choose(cands, {"PK"}, set()).country_code == "PK"
    assert choose(cands, {"IN"}, set()).country_code == "IN"


def test_a_city_outranks_a_foreign_region_of_its_name():
    cands = gazetteer().candidates("Manchester")
    assert any(c.feature == "admin1" for c in cands)  # a Jamaican parish
    best = choose(cands, set(), set())
    assert best.feature == "city" and best.country_code == "GB"


def test_a_name_written_in_full_is_not_cut_to_a_country_or_state():
    for name, country in (("Mexico City", "MX"), ("Kansas City", "US"), ("Jersey City", "US"),
                          ("Oklahoma City", "US")):
        cands = gazetteer().candidates(name)
        assert cands and all(c.feature == "city" and c.country_code == country for c in cands), name
    assert {c.country_code for c in gazetteer().candidates("Northern Ireland")} == {"GB"}


def test_a_village_is_found_by_its_own_name_and_needs_its_state_to_beat_a_capital():
    cands = gazetteer().candidates("Havana")
    assert {c.country_code for c in cands} >= {"CU", "US"}
    assert choose(cands, {"US"}, set()).country_code == "CU"  # the article names only the country
    assert choose(cands, {"US"}, {"US.IL"}).admin1 == "US.IL"  # ... and Illinois


def test_the_cache_file_changes_with_the_region_table(monkeypatch):
    before = gz._cache_file()
    real = importlib.metadata.version
    monkeypatch.setattr(gz.importlib.metadata, "version",
                        lambda p: "0.0-test" if p == "reverse_geocoder" else real(p))
    assert gz._cache_file() != before


def test_a_warehouse_made_before_regions_accepts_a_place_without_geonames_id():
    import duckdb

    from news_etl.warehouse.store import ensure_schema

    con = duckdb.connect()
    con.execute('CREATE TABLE places (place_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, country_code VARCHAR '
                'NOT NULL, admin1 VARCHAR, latitude DOUBLE, longitude DOUBLE, population BIGINT, '
                'geonames_id BIGINT NOT NULL, feature VARCHAR)')
    ensure_schema(con)
    con.execute("INSERT INTO places VALUES ('adm1:ZZ.01', 'Test Province', 'ZZ', 'ZZ.01', 1.5, 2.5, NULL, NULL, "
                "'admin1')")
    assert con.execute("SELECT geonames_id FROM places").fetchall() == [(None,)]
