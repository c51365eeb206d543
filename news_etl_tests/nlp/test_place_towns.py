"""Towns that local news names through their agencies and residents, and street-level places that
lie in them: sentences written for the tests."""

from news_etl.nlp.gazetteer import gazetteer, place_for_location, town_mentions


def _links(doc):
    return {link.text: gazetteer().place(link.place_id) for link in doc._.place_links}


def test_a_town_named_by_its_police_department_is_a_place(nlp):
    doc = nlp("Two Dalton teens were charged, according to a Dalton Police Department press release. "
              "Officers were called to a home on Elm Street, Georgia authorities said.")
    assert [s.text for s, _ in town_mentions(doc)] == ["Dalton", "Dalton"]
    dalton = _links(doc)["Dalton"]
    assert dalton.feature == "city" and dalton.country_code == "US"
    assert place_for_location("Elm Street", doc._.place_links) == dalton.place_id  # the street lies in the town


def test_a_person_is_not_a_town(nlp):
    doc = nlp("Officers later spoke to Henry Dalton about the fire, and the Dalton family thanked them.")
    assert town_mentions(doc) == []


def test_a_city_name_with_city_in_it_is_the_city(nlp):
    doc = nlp("A man was shot in Jersey City on Monday night, police said.")
    place = _links(doc)["Jersey City"]
    assert place.country_code == "US" and place.admin1 == "US.NJ"
