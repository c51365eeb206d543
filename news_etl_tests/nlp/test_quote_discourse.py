"""Issue 12: quote-mark pairing by shape and speakers carried through the discourse
(sentences written for these tests)."""

from __future__ import annotations

import pytest

from news_etl.nlp.quotes import extract_quotes, find_quote_spans


def _quotes(nlp, text):
    return [r for r in extract_quotes(nlp(text), include_indirect=False) if not r.nested]


def _row(rows, fragment):
    hits = [r for r in rows if fragment in r.quote_text]
    assert hits, [r.quote_text for r in rows]
    return hits[0]


def test_an_opening_shaped_mark_after_a_full_stop_continues_the_quote():
    # paragraph break lost: `. "` opens the next paragraph of the same quote
    text = 'Ms Ada Quill said: "The roads are open again. "Buses will run from Monday," she said.'
    spans = [q for q in find_quote_spans(text) if q.parent is None]
    got = [text[q.start:q.end] for q in spans]
    assert got == ["The roads are open again.", "Buses will run from Monday,"]
    assert spans[1].cont_of == 0 and spans[0].close_mark is None


def test_a_closing_mark_before_a_full_stop_still_closes():
    text = 'He called the plan "a waste of money". "We will fight it," he added.'
    got = [text[q.start:q.end] for q in find_quote_spans(text) if q.parent is None]
    assert got == ["a waste of money", "We will fight it,"]


@pytest.mark.parametrize("text, fragment, name", [
    # an untagged paragraph right after a tagged quote keeps its speaker
    ('Mayor Lena Ortiz visited the bridge on Monday.\n\n"We will reopen it next week," Ms Ortiz said.\n\n'
     '"The repairs cost less than we feared."', "The repairs", "Lena Ortiz"),
    # an untagged quote after a sentence that introduces a person
    ('The council met on Tuesday to discuss the budget.\n\nWriting in a local newspaper, Tom Ellery set out '
     'his plans for the town. "We will build two new schools this year and repair every road."',
     "two new schools", "Tom Ellery"),
    # a speaker introduced between two quotes wins over the earlier quote's speaker
    ('"Prices will fall," said Carl Brandt, an economist.\n\nNora Vance, a trader, disagreed with him on '
     'every point. "Nothing suggests prices will fall before the winter."', "Nothing suggests", "Nora Vance"),
    # a participle the parser hangs on the reported clause belongs to the reporter
    ('Carlo Venn said the offer looked reasonable, adding that the deal would "protect hundreds of jobs in '
     'the region".', "protect hundreds", "Carlo Venn"),
])
def test_speaker_carried_through_the_discourse(nlp, text, fragment, name):
    assert _row(_quotes(nlp, text), fragment).speaker_resolved == name


def test_a_tag_after_the_full_stop_belongs_to_the_next_sentence(nlp):
    text = ('Opponents describe the scheme as "a total fiasco". '
            'Jane Morrow said on Friday that the scheme had worked well.')
    rows = _quotes(nlp, text)
    assert all(r.speaker_resolved != "Jane Morrow" for r in rows if "fiasco" in r.quote_text)


def test_the_subject_of_a_non_speech_verb_must_be_a_speaker(nlp):
    text = ('He described a machine that would offer "smooth video for every family in the land".')
    rows = _quotes(nlp, text)
    assert all(r.speaker != "a machine" for r in rows)
