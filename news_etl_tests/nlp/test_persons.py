"""People told apart from organisations, bylines and credits (sentences written for these tests)."""

from news_etl.nlp.persons import given_name_gender


def _labels(nlp, text):
    return {e.text: e.label_ for e in nlp(text).ents}


def test_a_given_name_and_surname_is_a_person_whatever_the_model_said(nlp):
    labels = _labels(nlp, "Volodymyr Zelenskiy arrived in Warsaw on Tuesday for the summit.")
    assert labels.get("Volodymyr Zelenskiy") == "PERSON"


def test_organisations_with_a_designator_stay_organisations(nlp):
    labels = _labels(nlp, "Officials at Jordan University said the George Washington Bridge was closed.")
    assert labels.get("Jordan University") != "PERSON"


def test_bylines_and_photo_credits_are_not_people_in_the_story(nlp):
    text = ("By Laura Whitfield\n\nThe mayor, Daniel Okafor, opened the bridge.\n"
            "Photo: Marcus Bell\nA second picture (AP Photo/Rita Gomez) shows the crowd.")
    labels = _labels(nlp, text)
    assert labels.get("Daniel Okafor") == "PERSON"
    assert "Laura Whitfield" not in labels and "Marcus Bell" not in labels and "Rita Gomez" not in labels


def test_given_names_know_their_gender():
    assert given_name_gender("Maria") == "female" and given_name_gender("Peter") == "male"
    assert given_name_gender("Kharkiv") is None
