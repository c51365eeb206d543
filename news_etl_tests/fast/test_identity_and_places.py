"""Identities across articles and places on the map, directly (no model): names written for the tests."""

from news_etl.nlp.gazetteer import choose, gazetteer, key
from news_etl.nlp.identity import entity_id, person_key


def test_transliterated_spellings_of_one_person_share_an_id():
    ids = {entity_id("PERSON", n) for n in ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy",
                                             "President Volodymyr Zelenskyy")}
    assert len(ids) == 1


def test_two_people_who_share_a_surname_or_a_first_name_never_merge():
    assert entity_id("PERSON", "John Smith") != entity_id("PERSON", "Jane Smith")
    assert entity_id("PERSON", "John Smith") != entity_id("PERSON", "John Miller")


def test_titles_initials_and_accents_are_not_part_of_the_identity():
    assert person_key("Dr. Ana María Núñez") == person_key("Ana Nunez")
    assert person_key("Sen. Robert J. Kane") == "robert kane"


def test_a_person_and_an_organisation_of_the_same_name_differ():
    assert entity_id("PERSON", "Jordan") != entity_id("ORG", "Jordan")


def test_spellings_of_a_place_are_one_place():
    g = gazetteer()
    (kharkiv,) = g.candidates("Kharkiv")
    assert [p.place_id for p in g.candidates("Kharkov")] == [kharkiv.place_id]
    assert [p.place_id for p in g.candidates("Kharkiv region")] == [kharkiv.place_id]
    assert kharkiv.country_code == "UA" and 49 < kharkiv.latitude < 51 and 35 < kharkiv.longitude < 37
    assert {p.place_id for p in g.candidates("Kiev")} == {p.place_id for p in g.candidates("Kyiv")}
    assert entity_id("GPE", "Kiev", "gn:1") == entity_id("GPE", "Kyiv", "gn:1")


def test_the_article_decides_between_places_of_one_name():
    cands = gazetteer().candidates("Springfield")
    assert len(cands) > 3
    assert choose(cands, set(), set(), next_text="Ohio").admin1 == "US.OH"
    assert choose(cands, {"US"}, {"US.MO"}).admin1 == "US.MO"
    assert choose(cands, set(), set()).population == max(c.population for c in cands)


def test_place_keys_ignore_the_possessive_and_generic_words():
    assert key("the Donetsk region") == key("Donetsk") == key("Donetsk's")
