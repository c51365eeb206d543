"""Speaker resolution on the article's people, directly (sentences written for these tests)."""

import pytest

from news_etl.nlp.people import ArticleContext


def _resolve(nlp, text: str, mention: str, nth: int = 0) -> str | None:
    doc = nlp(text)
    ctx = ArticleContext.build(doc)
    starts = [i for i in range(len(doc)) if doc[i].text == mention]
    tok = doc[starts[nth]]
    return ctx.resolve(doc[tok.i:tok.i + 1])


def test_a_pronoun_resolves_to_the_person_named_before_it(nlp):
    text = "Anna Berg opened the new clinic on Friday. She said it would serve the whole valley."
    assert _resolve(nlp, text, "She") == "Anna Berg"


def test_a_surname_resolves_to_the_full_name(nlp):
    text = "Peter Novak leads the union. Novak said the strike would go ahead."
    assert _resolve(nlp, text, "Novak", nth=1) == "Peter Novak"


def test_he_and_she_follow_gender_cues(nlp):
    text = ("Mr James Hart met Ms Clara Dunn at the ministry. Ms Dunn spoke first. "
            "He said later that the talks had gone well.")
    assert _resolve(nlp, text, "He") == "James Hart"



@pytest.mark.parametrize("text, mention, nth, name", [
    # a pronoun continues the main subject, not a name in a clause after it
    ("Mr Peter Kane, who left the bank last year, had warned that Mr Simon Roth would lose. "
     "He said the vote had been close.", "He", 0, "Peter Kane"),
    # a chain of pronouns reaches back to the name, past a sentence about others
    ("Ms Rosa Lind opened the debate. She spoke about the new hospital. "
     "Doctors had asked for more beds. She said the money was already there.", "She", 1, "Rosa Lind"),
    # a given name gives the gender
    ("Margaret Holt met Daniel Price in Leeds. Daniel Price arrived late. "
     "She said later that the talks had gone well.", "She", 0, "Margaret Holt"),
    # a report with no issuer next to it is the organisation the text is about
    ("The Water Safety Board criticised three councils on Tuesday. "
     "The report said the councils had ignored repeated warnings.", "report", 0, "Water Safety Board"),
    # an organisation named in full, then by its initials
    ("The National Farmers Union met ministers on Monday. The NFU said prices were too low.",
     "NFU", 0, "National Farmers Union"),
])
def test_discourse_salience(nlp, text, mention, nth, name):
    assert _resolve(nlp, text, mention, nth) == name
