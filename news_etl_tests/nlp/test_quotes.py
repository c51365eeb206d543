"""Quote extraction, speaker resolution and citations, with the real spaCy pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from news_etl.nlp.quotes import extract_citations, extract_quotes, find_quote_spans

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_210ea27e4310d9e6.txt"


def seed_body() -> str:
    text = SEED.read_text(encoding="utf8")
    start = text.index("Update:")
    end = text.index("(More Russia-Ukraine war stories.)")
    return text[start:end].strip()


def by_text(rows, fragment):
    hits = [r for r in rows if fragment in r.quote_text]
    assert hits, f"no quote containing {fragment!r}: {[r.quote_text for r in rows]}"
    return hits[0]


def check_invariants(doc, rows):
    for r in rows:
        assert doc.text[r.start_char:r.end_char] == r.quote_text
        assert r.kind in ("direct", "partial", "indirect")
        assert r.is_direct == (r.kind == "direct")
        if r.speaker is not None:
            assert doc.text[r.speaker_start_char:r.speaker_end_char] == r.speaker
        else:
            assert r.speaker_start_char is None and r.speaker_end_char is None
        assert r.quote_text == r.quote_text.strip()
        assert not r.quote_text.startswith(("“", '"')) and not r.quote_text.endswith(("”", '"'))
        assert r.quote_text in r.sentence or r.kind == "direct"
        assert doc.text[r.content_start_char:r.content_end_char] == r.content


# --------------------------------------------------------------------------------------
# The seed article
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(nlp):
    doc = nlp(seed_body())
    return doc, extract_quotes(doc)


def test_seed_invariants(seed):
    doc, rows = seed
    check_invariants(doc, rows)


def test_seed_partial_quote_unnamed_aide_via_cnn(seed):
    _, rows = seed
    r = by_text(rows, "consultations")
    assert r.quote_text == "consultations,"
    assert r.kind == "partial" and r.is_direct is False
    assert r.speaker == "an aide to Ukrainian President Volodymyr Zelensky"
    assert r.speaker_resolved is None        # an unnamed aide is not Zelensky
    assert r.cue == "says"
    assert r.reported_via == "CNN"


def test_seed_outlet_is_speaker_when_words_are_its_own(seed):
    _, rows = seed
    bbc = by_text(rows, "expectations are not high")
    assert bbc.speaker_resolved == "BBC" and bbc.cue == "puts it" and bbc.reported_via is None
    ap = by_text(rows, "tiny sliver of hope")
    assert ap.speaker_resolved == "AP" and ap.reported_via is None


def test_seed_reported_via_outlet(seed):
    _, rows = seed
    nyt = by_text(rows, "expressed little hope")
    assert nyt.speaker_resolved == "Volodymyr Zelensky"
    assert nyt.reported_via == "New York Times"
    guardian = by_text(rows, "let them try so that later")
    assert guardian.speaker == "he"
    assert guardian.speaker_resolved == "Volodymyr Zelensky"
    assert guardian.cue == "said"
    assert guardian.reported_via == "Guardian"
    assert guardian.quote_text.endswith("tried to stop the war,")


def test_seed_nested_quotes_have_their_own_speakers(seed):
    _, rows = seed
    inner = [r for r in rows if r.quote_text == "demilitarize and denazify,"]
    assert len(inner) == 1 and inner[0].nested is True
    assert inner[0].speaker == "the Kremlin" and inner[0].speaker_resolved == "Kremlin"
    outer = by_text(rows, "making it clear it expected")
    assert outer.nested is False
    assert outer.quote_text.startswith("'demilitarize and denazify,'")
    assert outer.quote_text.endswith("capitulation")   # curly open, straight close
    assert outer.speaker_resolved == "Washington Post"


def test_seed_unbalanced_marks_and_title_speaker(seed):
    _, rows = seed
    r = by_text(rows, "extremely dangerous")
    assert r.quote_text == "extremely dangerous."
    assert r.kind == "partial"
    assert r.speaker == "Spokesman Dmitry Peskov"
    assert r.speaker_resolved == "Dmitry Peskov"
    assert r.cue == "complained"


def test_seed_indirect_speech(seed):
    _, rows = seed
    ind = [r for r in rows if r.kind == "indirect"]
    r = by_text(ind, "demanding an immediate ceasefire")
    assert r.speaker == "Zelensky's office"
    assert r.cue == "said"
    assert r.is_direct is False
    assert "Volodymyr Zelensky" in (r.speaker_resolved or "")


def test_seed_every_quote_has_the_expected_speaker(seed):
    _, rows = seed
    quoted = [r for r in rows if r.kind != "indirect"]
    expected = {
        "consultations,": (None, "CNN"),
        "expectations are not high,": ("BBC", None),
        "tiny sliver of hope": ("AP", None),
        "expressed little hope": ("Volodymyr Zelensky", "New York Times"),
        "demilitarize and denazify,": ("Kremlin", None),
        "extremely dangerous.": ("Dmitry Peskov", None),
    }
    for text, (speaker, via) in expected.items():
        r = next(r for r in quoted if r.quote_text == text)
        assert (r.speaker_resolved, r.reported_via) == (speaker, via), text
    assert len(quoted) == 8


def test_seed_citations(nlp):
    doc = nlp(seed_body())
    cites = extract_citations(doc)
    outlets = [c.outlet for c in cites]
    assert outlets == ["CNN", "Washington Post", "BBC", "AP", "New York Times", "Guardian", "Reuters"]
    for c in cites:
        assert doc.text[c.start_char:c.end_char] == c.phrase
        assert c.outlet in c.phrase
    assert cites[0].phrase == "per CNN"
    assert cites[5].phrase == "per the Guardian"


# --------------------------------------------------------------------------------------
# Constructs on inline texts
# --------------------------------------------------------------------------------------

ARTICLE = (
    "Two United States service members have been killed in a helicopter crash, the US military "
    "said in a statement on Wednesday.\n\n"
    "\"The cause of the crash is under investigation,\" the statement said.\n\n"
    "AFP Global News Director Phil Chetwynd called for an inquiry.\n\n"
    "\u201cIf reports of machine gun fire are confirmed, this would add more weight to the theory,\u201d "
    "he said.\n\n"
    "Jessica Dorsey, an expert in humanitarian law, said the findings were troubling.\n\n"
    "\u201cIt was likely,\u201d she said, \u201cthat machine gun fire came from the same location.\u201d\n\n"
    "Cheuk Hau-yip, the commander of Kowloon West district, said: \u201cThese rioters, they are also "
    "criminals. They have to face the consequences.\n\n"
    "\u201cOther than coming out to surrender, I don\u2019t see any viable option for them.\u201d\n\n"
    "'We will not back down,' Dorsey told reporters.\n\n"
    "China said it is committed to the \u201cone country, two systems\u201d formula, and fans have "
    "speculated that the tracks \u201cThe Alchemy\u201d and \u201cSo High School\u201d are about him.\n\n"
    "Officials warned of an \u201cinterim\u201d government."
)


@pytest.fixture(scope="module")
def article(nlp):
    doc = nlp(ARTICLE)
    return doc, extract_quotes(doc)


def test_inline_invariants(article):
    doc, rows = article
    check_invariants(doc, rows)


def test_statement_resolves_to_the_issuing_organisation(article):
    _, rows = article
    r = by_text(rows, "The cause of the crash")
    assert r.kind == "direct"
    assert r.speaker == "the statement"
    assert r.speaker_resolved == "US military"


def test_pronouns_resolve_to_the_right_person(article):
    _, rows = article
    he = by_text(rows, "this would add more weight")
    assert he.speaker == "he" and he.speaker_resolved == "Phil Chetwynd"
    she = by_text(rows, "It was likely")
    assert she.speaker == "she" and she.speaker_resolved == "Jessica Dorsey"


def test_quote_broken_by_its_speech_tag_gives_two_rows(article):
    _, rows = article
    first = by_text(rows, "It was likely")
    second = by_text(rows, "that machine gun fire came")
    assert first.quote_text == "It was likely,"
    assert second.quote_text == "that machine gun fire came from the same location."
    assert second.speaker_resolved == "Jessica Dorsey"


def test_multi_paragraph_quote_one_row_per_paragraph(article):
    _, rows = article
    p1 = by_text(rows, "These rioters")
    p2 = by_text(rows, "Other than coming out")
    assert p1.quote_text.endswith("They have to face the consequences.")
    assert "\n" not in p1.quote_text
    assert p1.speaker == p2.speaker == "Cheuk Hau-yip"
    assert p2.speaker_resolved == "Cheuk Hau-yip"
    assert p1.is_direct and p2.is_direct


def test_single_quotes_and_surname_resolution(article):
    _, rows = article
    r = by_text(rows, "We will not back down")
    assert r.quote_text == "We will not back down,"
    assert r.speaker == "Dorsey" and r.speaker_resolved == "Jessica Dorsey"
    assert r.cue == "told"


def test_scare_quotes_labels_and_titles_are_not_quotes(article):
    _, rows = article
    texts = {r.quote_text for r in rows}
    assert "one country, two systems" not in texts
    assert "The Alchemy" not in texts and "So High School" not in texts
    assert "interim" not in texts


def test_straight_double_quotes_and_apostrophes(nlp):
    doc = nlp("\"We don't target journalists,\" the Israel Defense Forces (IDF) said. "
              "It's the IDF's view.\n\nLater the IDF said: \"We have nothing to add.\"")
    rows = extract_quotes(doc, include_indirect=False)
    check_invariants(doc, rows)
    assert [r.quote_text for r in rows] == ["We don't target journalists,", "We have nothing to add."]
    assert rows[1].speaker == "the IDF"
    assert rows[1].speaker_resolved == "Israel Defense Forces"


def test_unknown_speaker_stays_empty(nlp):
    doc = nlp("The show stopped. A voice is then heard saying: \u201cWe\u2019ll have to stop the show, sorry\u201d.")
    rows = extract_quotes(doc, include_indirect=False)
    r = by_text(rows, "stop the show")
    assert r.speaker is None and r.speaker_resolved is None


def test_untagged_continuation_gets_the_previous_speaker(nlp):
    doc = nlp("\u201cI feel like I\u2019m in an alternate universe,\u201d Donna Kelce said. "
              "\u201cEvery week just seems to trump the week before.\u201d")
    rows = extract_quotes(doc, include_indirect=False)
    assert [r.speaker_resolved for r in rows] == ["Donna Kelce", "Donna Kelce"]


def test_find_quote_spans_handles_every_mark_style():
    text = ("He said \u201ccurly double\u201d and \"straight double\" and \u2018curly single\u2019 words.\n"
            "\u201cOpen with no close\n"
            "\u201cnext paragraph closes.\u201d")
    spans = find_quote_spans(text)
    got = [text[s.start:s.end] for s in spans]
    assert got == ["curly double", "straight double", "curly single", "Open with no close",
                   "next paragraph closes."]
    assert spans[3].close_mark is None and spans[4].cont_of == 3


def test_no_quotes_no_rows(nlp):
    doc = nlp("The river rose overnight. Residents moved to higher ground.")
    assert extract_quotes(doc, include_indirect=False) == []
    assert extract_citations(doc) == []


def test_british_single_quotes_scare_quotes_and_titles(nlp):
    doc = nlp("Mr Smith said: 'We will fight this all the way. It's not over.'\n\n"
              "'I can't believe it,' said Mrs Jones, 62. 'The council's plan is a disgrace.'\n\n"
              "The 'so-called' experts disagree. Fans sang 'Sweet Caroline' at the match.")
    rows = extract_quotes(doc, include_indirect=False)
    check_invariants(doc, rows)
    assert [r.quote_text for r in rows] == [
        "We will fight this all the way. It's not over.", "I can't believe it,",
        "The council's plan is a disgrace."]
    assert [r.speaker for r in rows] == ["Mr Smith", "Mrs Jones", "Mrs Jones"]


def test_dash_attribution_and_long_apposition(nlp):
    doc = nlp("\u201cWe can build a wall around him.\u201d \u2015 Steve Quinlan.\n\n"
              "\u201cIt\u2019s an invasion of the state regulatory domain,\u201d Scott Pruitt, the attorney "
              "general of Oklahoma, one of the states suing the agency, said at an event.")
    rows = extract_quotes(doc, include_indirect=False)
    assert [r.speaker_resolved for r in rows] == ["Steve Quinlan", "Scott Pruitt"]


def test_tag_in_a_later_paragraph_and_outlet_interview(nlp):
    doc = nlp("Foreign Minister Dmytro Kuleba spoke on Sunday.\n\n"
              "\u201cWe are ready for talks. We have always been ready.\n\n"
              "\u201cBut they must stop the shelling first,\u201d Kuleba told CNN.")
    rows = extract_quotes(doc, include_indirect=False)
    check_invariants(doc, rows)
    assert len(rows) == 2
    assert all(r.speaker == "Kuleba" and r.speaker_resolved == "Dmytro Kuleba" for r in rows)
    assert all(r.reported_via == "CNN" and r.cue == "told" for r in rows)
    cites = extract_citations(doc)
    assert [(c.outlet, c.phrase) for c in cites] == [("CNN", "told CNN")]


def test_citations_dedupe_an_outlet_under_two_names(nlp):
    doc = nlp("The mayor told the Associated Press that the city was safe. "
              "Residents disagreed, according to the AP.")
    cites = extract_citations(doc)
    assert [c.outlet for c in cites] == ["Associated Press"]


def test_relative_pronoun_speaker_is_its_antecedent(nlp):
    doc = nlp("Aaron Kall, who directs debate at the University of Michigan, said the nominee was "
              "\u201cworking the referees\u201d before the event.")
    rows = extract_quotes(doc, include_indirect=False)
    r = by_text(rows, "working the referees")
    assert r.kind == "partial"
    assert r.speaker_resolved == "Aaron Kall"
    assert "nominee" in r.content and r.content_start_char < r.start_char


def test_person_speakers_resolve_to_the_entity_canonical_name(nlp, seed, article):
    from news_etl.nlp.names import canonical_names

    checked = 0
    for doc, rows in (seed, article):
        ents = list(doc.ents)
        canon = dict(zip([(e.start_char, e.end_char) for e in ents], canonical_names(ents)))
        labels = {(e.start_char, e.end_char): e.label_ for e in ents}
        for r in rows:
            key = (r.speaker_start_char, r.speaker_end_char)
            if labels.get(key) == "PERSON":
                assert r.speaker_resolved == canon[key]
                checked += 1
    assert checked >= 2


# --------------------------------------------------------------------------------------
# spaCy components and records
# --------------------------------------------------------------------------------------

def test_components_annotate_the_doc_once_and_agree_with_the_functions(nlp, seed):
    from news_etl.nlp.people import ArticleContext
    from news_etl.nlp.quotes import Citation, Quote

    doc, rows = seed
    assert isinstance(doc._.people, ArticleContext) and doc._.outlets
    assert all(isinstance(q, Quote) for q in doc._.quotes)
    assert all(isinstance(c, Citation) for c in doc._.citations)
    # the pipe's records, a second extraction and one without the pipe's tables are the same
    assert doc._.quotes == rows == extract_quotes(doc)
    assert doc._.citations == extract_citations(doc)
    with nlp.select_pipes(disable=["news_people", "news_citations", "news_quotes"]):
        bare = nlp(seed_body())
    assert bare._.people is None and bare._.quotes is None
    assert extract_quotes(bare) == rows and extract_citations(bare) == doc._.citations
    assert len(doc.spans["quotes"]) == len(rows)
    for span, q in zip(doc.spans["quotes"], rows):
        assert span.label_ == q.kind and span.start_char <= q.start_char < q.end_char <= span.end_char
    assert [s.label_ for s in doc.spans["citations"]] == [c.outlet for c in doc._.citations]
