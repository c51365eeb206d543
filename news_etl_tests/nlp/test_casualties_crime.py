"""Casualty figures of crime and local news (issue 13): the vocabulary of shootings, charges
and hospital conditions, singular and definite victims, victims restated, hedged figures,
and street-level places. Sentences written for these tests; real spaCy pipeline.
"""

from __future__ import annotations

import pytest

from news_etl.nlp.casualties import extract_casualties
from news_etl.nlp.casualties.location import dateline_place, with_town
from news_etl.nlp.pipeline import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def figs(nlp, text):
    return [(r.category, r.count_low) for r in extract_casualties(nlp(text))]


# ------------------------------------------------------------------ crime vocabulary


#: injured: "was shot", "stabbed", "in critical condition", "suffered a gunshot wound", "a couple of";
#: killed: a shot victim who died is killed only; "killed himself"; "the death of a man"
VOCABULARY = [
    ("A man was shot in the leg on Elm Street on Tuesday night.", [("injured", 1)]),
    ("Police said a gunman shot a woman outside a bar in Dayton.", [("injured", 1)]),
    ("Two teenagers were stabbed near the bus station.", [("injured", 2)]),
    ("A woman is in critical condition after a crash in Toledo.", [("injured", 1)]),
    ("The driver suffered a gunshot wound to the arm.", [("injured", 1)]),
    ("Deputies found a woman suffering from a stab wound.", [("injured", 1)]),
    ("A couple of bystanders were hurt.", [("injured", 2)]),
    ("A 19-year-old was shot twice and died at the scene.", [("killed", 1)]),
    ("A man was shot and killed in Akron on Friday.", [("killed", 1)]),
    ("Two men were shot dead in Memphis.", [("killed", 2)]),
    ("He was rushed to a hospital in critical condition and died.", [("killed", 1)]),
    ("The gunman then shot and killed himself.", [("killed", 1)]),
    ("Police are investigating the death of a 40-year-old man.", [("killed", 1)]),
    # arrested: "charged with", "facing charges", "turned himself in", "booked into jail"
    ("The suspect was charged with murder.", [("arrested", 1)]),
    ("Both men are charged with carrying a concealed weapon.", [("arrested", 2)]),
    ("Two teens are facing charges in the robbery.", [("arrested", 2)]),
    ("The suspect turned himself in to police on Monday.", [("arrested", 1)]),
    ("He was booked into the county jail.", [("arrested", 1)]),
]


@pytest.mark.parametrize("text,expected", VOCABULARY)
def test_crime_vocabulary(nlp, text, expected):
    assert figs(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "The striker was charged with misconduct by the league.",   # a disciplinary charge
    "The two sprinters were charged with missing drug tests.",  # a sporting charge
])
def test_charge_that_names_no_crime_is_no_arrest(nlp, text):
    assert figs(nlp, text) == []


@pytest.mark.parametrize("text", [
    "The pilot was shot down over the sea in 1972.",          # particle verb
    "The neighbour admitted to shooting the dog's owner.",   # gerund: the act, no report
    "Woods shot a 68 in the final round.",                   # not a person
    "Someone shot at the patrol car overnight.",             # fired upon
])
def test_shoot_without_an_injury(nlp, text):
    assert [f for f in figs(nlp, text) if f[0] == "injured"] == []


# ------------------------------------------------------------------ singular victims


def test_definite_singular_counts_one(nlp):
    assert figs(nlp, "The officer was injured during the struggle.") == [("injured", 1)]


def test_attributive_definite_refers_back(nlp):
    assert figs(nlp, "Volunteers searched the woods for the missing boy.") == []


def test_description_of_a_name_is_no_extra_member(nlp):
    text = "Ann Lee, the owner of a bakery, and Bo Kim were killed in the blast."
    assert figs(nlp, text) == [("killed", 2)]


def test_semicolon_list_of_names_adds_up(nlp):
    text = ("Police said the driver fatally struck Rita Vance, 61, of Milford; Omar Haddad, 44, of Dover; "
            "and Lucy Park of Salem.")
    assert figs(nlp, text) == [("killed", 3)]


@pytest.mark.parametrize("text,expected", [
    ("On Tuesday, 14 people were hurt when a ferry ran aground.", [("injured", 14)]),   # count after a date
    ("In Mosul, 23 people were killed overnight.", [("killed", 23)]),                   # count after a place
    ("Karim Haddad, 44, was killed in the raid.", [("killed", 1)]),                     # age after a name
    ("The nurses Mia Roth, 33, and Ivy Lund, 52, were injured.", [("injured", 2)]),     # a list restating a plural
    ("Three people, a man and two girls, were injured.", [("injured", 3)]),            # a count restated by a list
])
def test_counts_and_ages_by_structure(nlp, text, expected):
    assert figs(nlp, text) == expected


def test_ordinal_victim_treated_is_no_death_toll(nlp):
    assert ("killed", 2) not in figs(nlp, "The second victim was being treated at a hospital.")


# ------------------------------------------------------------------ victims restated


#: (text, figures): a pronoun restates the group; the town of a hospital is no new place; "the
#: man" is the man shot before, "the officer" a new victim; a named victim shot then dead is
#: killed only; two named victims who each died are two figures
RESTATED = [
    ("Two cousins were killed in a shooting on Pine Road. He was taken to a hospital, where he died.",
     [("killed", 2)]),
    ("A 30-year-old man was shot in Maplewood on Sunday. Vance was taken to a hospital in Riverton.",
     [("injured", 1)]),
    ("Police shot a man who drove at an officer. The man was wounded and the officer was slightly hurt.",
     [("injured", 1), ("injured", 1)]),
    ("Dana Cole was shot outside her home on Friday. Neighbours called for help. "
     "Dana Cole died on Saturday, police said.", [("killed", 1)]),
    ("Ed Hart was taken to City Hospital, where he died. "
     "Tom Fry was taken to Mercy Hospital, where he died two days later.", [("killed", 1), ("killed", 1)]),
]


@pytest.mark.parametrize("text,expected", RESTATED)
def test_victims_restated(nlp, text, expected):
    assert figs(nlp, text) == expected


# ------------------------------------------------------------------ hedged, unreal, illness


def test_hedged_infinitive_is_a_figure(nlp):
    rows = extract_casualties(nlp("Some 2,000 people are feared to be dead after the flood."))
    assert [(r.category, r.count_low, r.qualifier, r.hedge) for r in rows] == [("killed", 2000, "about", "feared")]


def test_belief_inside_an_infinitive_is_not_asserted(nlp):
    assert figs(nlp, "The note led many to believe he had killed himself.") == []


def test_hospital_stay_for_an_illness_is_no_casualty(nlp):
    assert figs(nlp, "The singer was admitted to hospital with pneumonia.") == []


# ------------------------------------------------------------------ places


def test_dateline_place():
    assert dateline_place("SPRINGFIELD, Ill. — A man was shot on Oak Street.") == "Springfield, Ill."
    assert dateline_place("By Jo Bell PORT ELLIS (AP) — Two men were hurt.") == "Port Ellis"
    assert dateline_place("A man was shot on Oak Street in Springfield.") is None


def test_street_completed_with_the_town():
    assert with_town("Oak Street", "Springfield") == "Oak Street, Springfield"
    assert with_town("Kyiv", "Springfield") == "Kyiv"
    assert with_town(None, "Springfield") == "Springfield"
    assert with_town("Ohio", "Dayton, Ohio") == "Dayton, Ohio"


def test_street_figure_gets_the_dateline_town(nlp):
    rows = extract_casualties(nlp("LAKEVILLE — A woman was shot on Birch Avenue early Sunday."))
    assert [(r.category, r.count_low, r.location) for r in rows] == [("injured", 1, "Birch Avenue, Lakeville")]


def test_surname_is_not_a_place(nlp):
    text = ("Detectives said Mark Dunmore fired the shots. "
            "Police arrested Dunmore on Friday after a man was shot in Easton.")
    rows = extract_casualties(nlp(text))
    assert all("Dunmore" not in (r.location or "") for r in rows)


def test_residence_is_not_the_place_and_the_town_is_written_in_its_state(nlp):
    text = ("DAYTON, Ohio -- Prosecutors filed charges on Monday. "
            "Lena Marsh of Kettering was charged with assault.")
    rows = extract_casualties(nlp(text))
    assert [(r.category, r.count_low, r.location) for r in rows] == [("arrested", 1, "Dayton, Ohio")]
