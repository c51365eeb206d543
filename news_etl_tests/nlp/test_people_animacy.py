"""Speaker resolution: animacy, agreement and descriptions tied to a person (sentences written
for these tests, not taken from any evaluation text)."""


from news_etl.nlp.people import ArticleContext


def _ctx(nlp, text, ents=None):
    """The article context, with entity labels set by hand where ``ents`` gives
    ``(phrase, label, nth occurrence)`` (to stand for a tagger's mistake)."""
    doc = nlp(text)
    if ents is not None:
        spans = []
        for phrase, label, nth in ents:
            cs = -1
            for _ in range(nth + 1):
                cs = doc.text.index(phrase, cs + 1)
            spans.append(doc.char_span(cs, cs + len(phrase), label=label))
        doc.ents = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)] + spans
    return doc, ArticleContext.build(doc)


def _resolve_phrase(doc, ctx, phrase, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
    return ctx.resolve(span)


def test_age_apposition_ties_the_age_description(nlp):
    doc, ctx = _ctx(nlp, "Tom Field, 34, won the final in Leeds on Sunday. "
                         "The rain stopped play twice. The 34-year-old told reporters it had been hard.")
    assert _resolve_phrase(doc, ctx, "The 34-year-old") == "Tom Field"


def test_age_description_without_apposition_is_the_salient_person(nlp):
    doc, ctx = _ctx(nlp, "Sarah Miller broke the world record in Berlin on Sunday. "
                         "The 27-year-old told reporters the track had been fast.")
    assert _resolve_phrase(doc, ctx, "The 27-year-old") == "Sarah Miller"


def test_role_premodifier_ties_the_role_description(nlp):
    doc, ctx = _ctx(nlp, "Rugby coach Martin Hale named his squad on Monday. "
                         "The players trained in the rain. The rugby coach said the team was ready.")
    assert _resolve_phrase(doc, ctx, "The rugby coach") == "Martin Hale"


def test_a_person_the_tagger_called_an_organisation_after_a_title_noun(nlp):
    # "coach <given name> <surname>" is a person whatever the tagger said; his surname too
    text = ("Hockey coach Stefan Ekdahl picked three new players. Ekdahl praised their speed. "
            "He said they had earned it.")
    doc, ctx = _ctx(nlp, text, ents=[("Stefan Ekdahl", "ORG", 0), ("Ekdahl", "ORG", 1)])
    assert ctx.label(next(e for e in doc.ents if e.text == "Stefan Ekdahl")) == "PERSON"
    assert _resolve_phrase(doc, ctx, "He") == "Stefan Ekdahl"


def test_a_name_with_a_numeral_is_not_a_person(nlp):
    text = "Maria Lopez launched the Zephyr 3 in Madrid. The Zephyr 3 sold out in a day. She said more would come."
    doc, ctx = _ctx(nlp, text, ents=[("Maria Lopez", "PERSON", 0), ("Zephyr 3", "PERSON", 1)])
    zephyr = next(e for e in doc.ents if e.text == "Zephyr 3" and e.label_ == "PERSON")
    assert ctx.label(zephyr) == "PRODUCT"
    assert _resolve_phrase(doc, ctx, "She") == "Maria Lopez"
    assert "Zephyr 3" not in ctx.genders


def test_a_one_word_person_that_opens_an_organisation_name_is_that_organisation(nlp):
    text = ("Shares in Brightwater Holdings fell on Monday. Brightwater expects lower profits. "
            "It said costs had risen.")
    # the tagger called the short form a person: it is the organisation named in full before
    doc, ctx = _ctx(nlp, text, ents=[("Brightwater Holdings", "ORG", 0), ("Brightwater", "PERSON", 1)])
    short = next(e for e in doc.ents if e.text == "Brightwater")
    assert ctx.label(short) == "ORG"
    assert ctx.canon(short) == "Brightwater Holdings"
    it = next(t for t in doc if t.text == "It")
    assert ctx.resolve(doc[it.i:it.i + 1]) == "Brightwater Holdings"


def test_a_report_is_never_resolved_to_the_person_named_before_it(nlp):
    doc, ctx = _ctx(nlp, "Mark Hill, the director, presented the results on Tuesday. "
                         "The report said the river was badly polluted.")
    assert _resolve_phrase(doc, ctx, "The report") != "Mark Hill"


def test_a_definite_description_after_an_indefinite_one_stays_unnamed(nlp):
    doc, ctx = _ctx(nlp, "Jane Doe was arrested on Monday. A spokesman for the police said she was released. "
                         "The spokesman said no charges had been filed.")
    assert _resolve_phrase(doc, ctx, "The spokesman") is None


def test_a_possessive_communication_noun_speaks_for_its_owner(nlp):
    doc, ctx = _ctx(nlp, "Ben Ashe put his old car up for sale online. "
                         "His advert says the car is in perfect condition.")
    assert _resolve_phrase(doc, ctx, "His advert") == "Ben Ashe"


def test_quoted_sentences_do_not_use_up_the_pronoun_window(nlp):
    text = ('The team manager Paul Reed picked a young side. "They are fast. They are hungry. '
            'They work hard. They listen. They will win." And he added that the fans would enjoy it.')
    doc, ctx = _ctx(nlp, text)
    q0 = text.index('"They')
    q1 = text.index('win."') + len('win."')
    ctx.set_quoted([(q0, q1)])
    he = next(t for t in doc if t.lower_ == "he")
    assert ctx.resolve(doc[he.i:he.i + 1]) == "Paul Reed"


def test_it_that_speaks_is_never_a_building_or_a_person(nlp):
    text = ("Northgate Builders is finishing the Riverside Arena. The Riverside Arena was due to open in May. "
            "It said the delay would not raise the price.")
    doc, ctx = _ctx(nlp, text, ents=[("Northgate Builders", "ORG", 0), ("Riverside Arena", "FAC", 0),
                                     ("Riverside Arena", "FAC", 1)])
    it = [t for t in doc if t.text == "It"][-1]
    assert ctx.resolve(doc[it.i:it.i + 1]) == "Northgate Builders"


def test_a_bare_age_description_never_resolves_to_an_organisation(nlp):
    doc, ctx = _ctx(nlp, "Harbour Bank reported a loss on Monday. "
                         "The 45-year-old told reporters the figures were disappointing.")
    assert _resolve_phrase(doc, ctx, "The 45-year-old") != "Harbour Bank"


def test_a_document_first_mentioned_without_issuer_is_the_work_of_the_next_named_organisation(nlp):
    text = ("Rural bus services will shrink unless councils are given more money, a report says. "
            "The Transport Research Board warned that fares had risen sharply. "
            "Passenger numbers fell in every region last year. Several routes have already closed. "
            "The report recommends a national fund for rural routes.")
    doc, ctx = _ctx(nlp, text, ents=[("Transport Research Board", "ORG", 0)])
    assert _resolve_phrase(doc, ctx, "The report") == "Transport Research Board"


def test_according_to_the_report_does_not_make_the_clause_subject_its_author(nlp):
    text = ("Mark Hill welcomed the findings. According to the report, Mark Hill had cut waiting times. "
            "The report said the hospital still needed more nurses.")
    doc, ctx = _ctx(nlp, text)
    assert _resolve_phrase(doc, ctx, "The report") != "Mark Hill"
