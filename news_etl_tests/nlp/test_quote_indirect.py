"""Issue 12: indirect speech shapes, transcript turns, quote content and speaker rules
(sentences written for these tests, not taken from any evaluation set)."""

from __future__ import annotations

import pytest

from news_etl.nlp.quotes import extract_quotes
from news_etl.nlp.quotes.component import holds_quote_marks


def _rows(nlp, text, kind=None):
    rows = [r for r in extract_quotes(nlp(text)) if not r.nested]
    return [r for r in rows if kind is None or r.kind == kind]


def _row(rows, fragment):
    hits = [r for r in rows if fragment in r.quote_text]
    assert hits, [(r.kind, r.quote_text) for r in rows]
    return hits[0]


# --- apostrophes are not quotation marks -------------------------------------------------

@pytest.mark.parametrize("text, marks", [
    ("the council’s budget", False),
    ("voters’ worries", False),
    ("they don’t agree", False),
    ("it was ‘a mistake’", True),
    ("it was 'a mistake'", True),
    ("it was “a mistake”", True),
])
def test_apostrophes_are_not_quotation_marks(text, marks):
    assert holds_quote_marks(text) is marks


def test_reported_clause_with_a_possessive_is_indirect_speech(nlp):
    rows = _rows(nlp, "Mayor Tom Reyes said the council’s budget would be cut by a third next year.", "indirect")
    r = _row(rows, "budget would be cut")
    assert r.quote_text.startswith("the council’s budget")
    assert r.speaker_resolved == "Tom Reyes"


# --- shapes of indirect speech -----------------------------------------------------------

def test_parenthetical_tag_reports_the_clause_it_interrupts(nlp):
    rows = _rows(nlp, "Dr Ilse Marten visited the clinic on Friday.\n\n"
                      "The new ward, Dr Marten said, will open before the winter.", "indirect")
    r = _row(rows, "will open before the winter")
    assert "Marten" in r.speaker_resolved


def test_tag_after_the_clause_reports_it(nlp):
    rows = _rows(nlp, "The harbour will stay closed until the storm passes, the coastguard said on Sunday.",
                 "indirect")
    r = _row(rows, "harbour will stay closed")
    assert "coastguard" in r.speaker


def test_infinitive_of_an_order_or_a_promise_is_reported_speech(nlp):
    rows = _rows(nlp, "Governor Amy Lund urged residents to stay indoors during the heatwave.", "indirect")
    r = _row(rows, "to stay indoors")
    assert r.quote_text.startswith("residents to stay")
    assert r.speaker_resolved == "Amy Lund"
    rows = _rows(nlp, "Senator Paul Okafor vowed to block the bill in the upper chamber.", "indirect")
    assert _row(rows, "block the bill").speaker_resolved == "Paul Okafor"


@pytest.mark.parametrize("text, fragment, source", [
    ("According to the fire brigade, the blaze started in a disused warehouse.",
     "the blaze started in a disused warehouse", "fire brigade"),
    ("The blaze started in a disused warehouse, according to the fire brigade.",
     "The blaze started in a disused warehouse", "fire brigade"),
])
def test_according_to_reports_the_clause(nlp, text, fragment, source):
    r = _row(_rows(nlp, text, "indirect"), fragment)
    assert "according" not in r.quote_text.lower()
    assert source in r.speaker


# --- transcripts -------------------------------------------------------------------------

def test_transcript_turn_labels_are_the_speakers(nlp):
    text = ('Senator Ruth Abara spoke to the host on Sunday.\n\n'
            '"HOST: Will you back the bill on Tuesday?\n\n'
            '"ABARA: Well, look, we said it was a “fair deal” and we meant it. I will vote for it.\n\n'
            '"HOST: And your party?\n\n'
            '"ABARA: They will follow.')
    rows = _rows(nlp, text)
    r = _row(rows, "Well, look")
    assert not r.quote_text.startswith("ABARA")
    assert "I will vote for it." in r.quote_text      # the inner curly pair does not end the turn
    assert r.speaker_resolved == "Ruth Abara"
    assert _row(rows, "And your party").speaker == "HOST"
    assert _row(rows, "They will follow").speaker_resolved == "Ruth Abara"


def test_a_single_label_is_not_a_transcript(nlp):
    rows = _rows(nlp, 'The sign read: "WARNING: Keep off the ice at all times."')
    assert all(r.speaker != "WARNING" for r in rows)


# --- content and tags --------------------------------------------------------------------

def test_what_the_speaker_called_something_holds_the_object(nlp):
    r = _row(_rows(nlp, "Ms Vera Holm called the new parking rules “a tax on shoppers”."), "a tax on shoppers")
    assert r.content.startswith("the new parking rules")


def test_a_quote_after_that_comma_is_part_of_the_reported_clause(nlp):
    r = _row(_rows(nlp, "The spokesman, Ian Dale, said that, “Of course we will appeal the ruling” after the hearing."),
             "Of course we will appeal")
    assert r.kind == "partial"
    assert r.content.startswith("that")


@pytest.mark.parametrize("text", [
    # an infinitive after the quote is not its tag
    'Chief Ana Brill said it would be "premature" for her to comment on the inquiry.',
    # nor a verb of a new coordinated clause
    'Chief Ana Brill said the force would take "firm action" next week, and she urged calm.',
])
def test_verbs_that_are_not_the_quotes_tag(nlp, text):
    r = next(x for x in _rows(nlp, text) if x.kind == "partial")
    assert r.cue == "said"
    assert "Brill" in r.speaker_resolved


def test_speech_verb_above_a_verb_of_judging_reports_the_quote(nlp):
    r = _row(_rows(nlp, "The coach told the players he would consider a draw a \"small disaster\" for the club."),
             "small disaster")
    assert r.cue == "told"
    assert "he would consider" in r.content


def test_inverted_tag_before_a_colon(nlp):
    text = ('Analysts expect the bank to raise rates. Said Nora Fitch: “I don’t see any reason to wait.”')
    assert _row(_rows(nlp, text), "any reason to wait").speaker_resolved == "Nora Fitch"


def test_a_paragraph_ending_in_a_colon_introduces_the_next_quote(nlp):
    text = ('Economist Lars Gunn spoke at the forum.\n\nGunn continued:\n\n'
            '"The figures are better than we expected, but the winter will be hard."')
    assert _row(_rows(nlp, text), "The figures").speaker_resolved == "Lars Gunn"


def test_a_subject_inside_the_quote_before_the_tag_does_not_speak(nlp):
    text = ('“My answer, that was unfair,” the club’s former captain said on the radio. '
            '“He should apologise to the fans.”')
    r = _row(_rows(nlp, text), "He should apologise")
    assert "captain" in r.speaker


def test_object_control_gives_the_infinitive_its_subject(nlp):
    r = _row(_rows(nlp, "The strike has prompted the union leader Mia Torrance to warn of “a winter of discontent”."),
             "winter of discontent")
    assert "union leader" in r.speaker


def test_demonstrative_is_never_the_speaker(nlp):
    text = ('The company’s lawyer said that was not the firm’s view and dismissed the claims as '
            '"baseless and damaging."')
    r = _row(_rows(nlp, text), "baseless")
    assert r.speaker and "lawyer" in r.speaker
