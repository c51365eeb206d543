"""Tests for the cleaning stage (news_etl.clean and its modules, e.g. news_etl.clean.textdump).

Only the seed in ``seeds/`` and inline fixtures are used (no /work/shared access).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from news_etl.clean import CleanedArticle, CleaningError, clean_html, clean_text_dump
from news_etl.clean.authors import normalise_authors
from news_etl.clean.captions import split_caption_credit
from news_etl.clean.dates import parse_datetime
from news_etl.clean.language import detect_language
from news_etl.clean.textdump import classify_line

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_210ea27e4310d9e6.txt"
CST = timezone(timedelta(hours=-6))
EST = timezone(timedelta(hours=-5))

BOILERPLATE_LINES = [
    "Get the news faster.", "Tap to install our app.", "X", "Install the Newser News app",
    "in two easy steps:", "1. Tap in your navigation bar.", "2. Tap to Add to Home Screen.",
]


# --------------------------------------------------------------------------- the seed dump

@pytest.fixture(scope="module")
def seed() -> CleanedArticle:
    return clean_text_dump(SEED.read_text(encoding="utf-8"))


def test_seed_header(seed):
    assert seed.title == "Ukraine-Russia Talks End, as Bombing Escalates"
    assert seed.subtitle == "Two sides were headed back to their capitals to assess"
    assert seed.authors == ["John Johnson"]
    assert seed.publisher == "Newser"
    assert seed.method == "textdump"
    assert seed.language == "en"


def test_seed_times_keep_zone(seed):
    assert seed.published_at == datetime(2022, 2, 28, 6, 48, tzinfo=CST)
    assert seed.updated_at == datetime(2022, 2, 28, 11, 5, tzinfo=CST)
    assert seed.published_at.utcoffset() == timedelta(hours=-6)
    assert seed.updated_at.utcoffset() == timedelta(hours=-6)


def test_seed_caption_and_credit(seed):
    assert seed.image_caption.startswith("Vladimir Medinsky, the head of the Russian delegation,")
    assert seed.image_caption.endswith("Belarus, Monday, Feb. 28, 2022.")
    assert seed.image_credit == "(Sergei Kholodilin/BelTA Pool Photo via AP)"
    assert "Medinsky, the head of the Russian delegation" not in seed.body
    assert "BelTA" not in seed.body


def test_seed_body(seed):
    paragraphs = seed.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Update: The first day of talks between Ukrainian and Russian officials")
    assert paragraphs[0].endswith("Our original story from Monday morning follows:")
    assert paragraphs[1].startswith("The good news is that delegations from Ukraine and Russia")
    assert paragraphs[1].endswith("tried to stop the war,\" he said, per the Guardian.")
    assert paragraphs[2].startswith("Before the talks began, Zelensky's office said")
    # the related-link parenthesis is link text, not article text
    assert paragraphs[2].endswith("Belarus was expected to join the Russian side soon.")
    assert "(More Russia-Ukraine war stories.)" not in seed.body
    # secondary headline and page furniture are not body
    assert "They're Talking Face to Face" not in seed.body
    for line in BOILERPLATE_LINES:
        assert line not in seed.body
    assert "\nX" not in seed.body and not seed.body.endswith("X")


def test_seed_body_is_the_source_paragraphs(seed):
    src = SEED.read_text(encoding="utf-8")
    for p in seed.body.split("\n\n"):
        assert p in src.replace("\u00a0", " ")


# --------------------------------------------------------------------------- synthetic dumps

DUMP_DATE_BEFORE_BYLINE = """Skip to main content
World
City council approves new flood defences after record rainfall

March 3, 2024
By Maria Lopez and Tom Reed
Updated: March 3, 2024 at 5:10 p.m. EST

Workers inspect the damaged levee on Sunday. (Getty Images)

The city council voted 7-2 on Sunday to fund a new system of flood barriers along the river, a week after record rainfall forced hundreds of families from their homes.

"We cannot wait for the next storm," Mayor Ellen Park said after the vote, adding that construction would begin in the spring.

Engineers estimate that the barriers will cost about $40 million and take three years to complete, according to a report presented to the council.

Advertisement

Opponents said the plan was rushed and that the money should go to repairing existing levees first.

Sign up for our morning newsletter
Get the day's top stories delivered to your inbox.
Subscribe
Share this article
Facebook
Twitter
Email
© 2024 The Riverside Gazette. All rights reserved.
"""


def test_dump_byline_after_date_two_authors_getty_caption_newsletter_footer():
    a = clean_text_dump(DUMP_DATE_BEFORE_BYLINE, url="https://example.org/news/flood")
    assert a.title == "City council approves new flood defences after record rainfall"
    assert a.subtitle is None  # no dek; "World" is a section kicker
    assert a.authors == ["Maria Lopez", "Tom Reed"]
    assert a.published_at == datetime(2024, 3, 3, tzinfo=timezone.utc)
    assert a.updated_at == datetime(2024, 3, 3, 17, 10, tzinfo=EST)
    assert a.image_caption == "Workers inspect the damaged levee on Sunday."
    assert a.image_credit == "(Getty Images)"
    assert a.publisher == "The Riverside Gazette"
    assert a.url == "https://example.org/news/flood"
    paragraphs = a.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The city council voted 7-2")
    assert paragraphs[-1].startswith("Opponents said the plan was rushed")
    for junk in ("Advertisement", "newsletter", "inbox", "Subscribe", "Share", "Facebook", "©", "Skip"):
        assert junk not in a.body


DUMP_STAFF_ROLE_NO_DEK = """Scientists find water ice deep beneath Martian equator
Jane Smith, Science Correspondent
Published 14 June 2023, 09:30 BST
A radar instrument on a European orbiter has detected what researchers believe are large deposits of water ice buried under the equator of Mars, a region long thought to be dry.
The finding, published on Thursday in the journal Geophysical Research Letters, could change where future crewed missions choose to land.
"If confirmed, this is a resource astronauts could use," said lead author Thomas Watters.
Related: Mars rover finds organic molecules
The team cautioned that the signal could also be explained by layers of volcanic ash and dust.
Read more
Most popular
"""


def test_dump_role_byline_no_blank_lines_short_quote_kept():
    a = clean_text_dump(DUMP_STAFF_ROLE_NO_DEK)
    assert a.title == "Scientists find water ice deep beneath Martian equator"
    assert a.subtitle is None
    assert a.authors == ["Jane Smith"]
    assert a.publisher is None  # "Science Correspondent" is a role, not an outlet
    assert a.published_at == datetime(2023, 6, 14, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    paragraphs = a.body.split("\n\n")
    assert paragraphs[2] == '"If confirmed, this is a resource astronauts could use," said lead author Thomas Watters.'
    assert "Related:" not in a.body and "Most popular" not in a.body
    assert len(paragraphs) == 4


DUMP_RELATIVE_TIME_COOKIES = """Storm leaves thousands without power across the region
Utility crews say repairs could take until the weekend
Posted 3 hours ago
By Associated Press
Thousands of homes and businesses remained without electricity on Tuesday after a powerful storm toppled trees and power lines across the region, utility officials said.
Crews from neighbouring states have been called in to help, and officials said most customers should have power restored by Friday evening.
Cookie settings
We use cookies to give you the best experience on our website. By continuing to browse, you accept our use of cookies and our privacy policy.
Accept
"""


def test_dump_relative_time_gives_no_date_and_cookie_notice_dropped():
    a = clean_text_dump(DUMP_RELATIVE_TIME_COOKIES)
    assert a.subtitle == "Utility crews say repairs could take until the weekend"
    assert a.published_at is None and a.updated_at is None
    assert a.authors == ["Associated Press"]
    assert "cookies" not in a.body and "Accept" not in a.body
    assert a.body.count("\n\n") == 1


DUMP_HARD_WRAPPED = """Talks on grain corridor resume in Istanbul

By Ahmet Kaya
Published: 2023-07-21 14:00 GMT

Negotiators from four countries met again on Friday to discuss the
resumption of grain shipments across the Black Sea, officials said, after
the previous arrangement expired earlier this week.

The United Nations said it was "cautiously hopeful" but warned that any new
deal would need firm guarantees for ships and crews. Prices of wheat rose
sharply on world markets after the collapse of the deal.

Share
"""


def test_dump_hard_wrapped_paragraphs_are_rejoined():
    a = clean_text_dump(DUMP_HARD_WRAPPED)
    assert a.title == "Talks on grain corridor resume in Istanbul"
    assert a.authors == ["Ahmet Kaya"]
    assert a.published_at == datetime(2023, 7, 21, 14, 0, tzinfo=timezone.utc)
    assert a.body.split("\n\n") == [
        "Negotiators from four countries met again on Friday to discuss the resumption of grain "
        "shipments across the Black Sea, officials said, after the previous arrangement expired "
        "earlier this week.",
        'The United Nations said it was "cautiously hopeful" but warned that any new deal would '
        "need firm guarantees for ships and crews. Prices of wheat rose sharply on world markets "
        "after the collapse of the deal.",
    ]


DUMP_KICKER_PHOTO_PREFIX = """Business
Central bank holds rates steady as inflation cools
Policymakers signal cuts could come later this year
Priya Natarajan | Staff Reporter
Wed 4 Oct 2023 12.42 CET
Last updated: October 5, 2023 8:00 AM PDT
The bank's governor speaks to reporters in the capital on Wednesday.
Photo: Reuters/John Doe
The central bank kept its benchmark interest rate unchanged on Wednesday, saying that inflation had eased more quickly than expected over the summer months.
Economists had widely expected the decision, although a minority had forecast a further increase.
Tap here to follow our business coverage
"""


def test_dump_pipe_byline_photo_prefix_credit_and_european_time():
    a = clean_text_dump(DUMP_KICKER_PHOTO_PREFIX)
    assert a.title == "Central bank holds rates steady as inflation cools"
    assert a.subtitle == "Policymakers signal cuts could come later this year"
    assert a.authors == ["Priya Natarajan"]
    assert a.published_at == datetime(2023, 10, 4, 12, 42, tzinfo=timezone(timedelta(hours=1)))
    assert a.updated_at == datetime(2023, 10, 5, 8, 0, tzinfo=timezone(timedelta(hours=-7)))
    assert a.image_credit == "Photo: Reuters/John Doe"
    assert a.image_caption == "The bank's governor speaks to reporters in the capital on Wednesday."
    assert a.body.startswith("The central bank kept its benchmark interest rate unchanged")
    assert a.body.endswith("forecast a further increase.")
    assert "governor speaks" not in a.body and "Tap here" not in a.body


def test_dump_newser_style_other_outlet_staff_byline():
    text = ("Mayor Resigns After Audit Finds Missing Funds\n\nCity hall is in turmoil\n"
            "By Ann Lee, Metro Daily Staff\nPosted Jan 5, 2024 9:15 AM EST\n"
            "The mayor of a small town resigned on Thursday after a state audit found that more than "
            "$2 million in public funds could not be accounted for, officials said.\n\n"
            "An interim mayor will be chosen by the council next week. (More corruption stories.)\n\n"
            "Get the news faster.\nTap to install our app.\nX\n")
    a = clean_text_dump(text)
    assert a.authors == ["Ann Lee"]
    assert a.publisher == "Metro Daily"
    assert a.subtitle == "City hall is in turmoil"
    assert a.published_at == datetime(2024, 1, 5, 9, 15, tzinfo=EST)
    assert a.body.endswith("An interim mayor will be chosen by the council next week.")
    assert "Tap" not in a.body and "faster" not in a.body


@pytest.mark.parametrize("text, reason", [
    ("", "empty"),
    ("   \n\t\n", "empty"),
    ("\x00\x01\x02 ###### 12345 %%%% ~~~~ \x00 |||| 999", "not natural-language"),
    ("Home\nNews\nSport\nSign up for our newsletter\nX\nShare\n", "no paragraph"),
])
def test_dump_garbage_raises_with_reason(text, reason):
    with pytest.raises(CleaningError, match=reason) as err:
        clean_text_dump(text)
    assert str(err.value).startswith("no extractable article text:")
    assert isinstance(err.value, ValueError)


def test_classify_line_examples():
    assert classify_line("By Jane Doe and John Roe") == "byline"
    assert classify_line("Updated: March 3, 2024 at 5:10 p.m. EST") == "dateline"
    assert classify_line("Published Jun 05, 2026 • 3 minute read") == "dateline"
    assert classify_line("A man walks past the ruins. (AP Photo/Jane Roe)") == "caption"
    assert classify_line("Advertisement") == "boilerplate"
    assert classify_line("Install the Example News app") == "boilerplate"
    assert classify_line("They're Talking Face to Face, but Expectations Are Low") == "short"
    assert classify_line("The meeting on March 3, 2024 in Paris ended without agreement, "
                         "officials from both delegations told reporters later that evening.") == "paragraph"


# --------------------------------------------------------------------------- helpers

@pytest.mark.parametrize("text, expected", [
    ("Feb 28, 2022 6:48 AM CST", datetime(2022, 2, 28, 6, 48, tzinfo=CST)),
    ("March 3, 2024 at 5:10 p.m. EST", datetime(2024, 3, 3, 17, 10, tzinfo=EST)),
    ("2024-03-03T10:00:00Z", datetime(2024, 3, 3, 10, tzinfo=timezone.utc)),
    ("2023-08-30T16:45:00+01:00", datetime(2023, 8, 30, 16, 45, tzinfo=timezone(timedelta(hours=1)))),
    ("5 July 2023", datetime(2023, 7, 5, tzinfo=timezone.utc)),
    ("Thursday 12 October 2023 14:05 BST", datetime(2023, 10, 12, 14, 5, tzinfo=timezone(timedelta(hours=1)))),
    ("Jan. 5, 2023, 9:15 a.m. PT", datetime(2023, 1, 5, 9, 15, tzinfo=timezone(timedelta(hours=-8)))),
    ("July 5, 2023, 9:15 a.m. PT", datetime(2023, 7, 5, 9, 15, tzinfo=timezone(timedelta(hours=-7)))),
    ("3 hours ago", None),
    ("no date here", None),
])
def test_parse_datetime(text, expected):
    got = parse_datetime(text)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None


@pytest.mark.parametrize("raw, expected", [
    ("By John Johnson,  Newser Staff", ["John Johnson"]),
    ("By A. Smith and Bob Jones", ["A. Smith", "Bob Jones"]),
    ("Jane Doe jane.doe@example.com", ["Jane Doe"]),
    ("Doe, Jane", ["Jane Doe"]),
    ("Jane Doe, Senior Reporter", ["Jane Doe"]),
    ("Mary Poe; Sam Roe", ["Mary Poe", "Sam Roe"]),
    ("The Washington Times https://www.washingtontimes.com", ["The Washington Times"]),
    ("", []),
])
def test_normalise_authors(raw, expected):
    assert normalise_authors(raw) == expected


def test_normalise_authors_drops_org_when_a_person_is_named():
    assert normalise_authors(["Condé Nast", "Rachel Riederer"]) == ["Rachel Riederer"]
    assert normalise_authors(["Associated Press"]) == ["Associated Press"]


@pytest.mark.parametrize("raw, caption, credit", [
    ("Two men talk. (Jane Doe/AP Photo)", "Two men talk.", "(Jane Doe/AP Photo)"),
    ("Smoke rises over the city. (Getty Images)", "Smoke rises over the city.", "(Getty Images)"),
    ("Smoke rises over the city. Photo: Reuters", "Smoke rises over the city.", "Photo: Reuters"),
    ("Credit: Reuters", None, "Credit: Reuters"),
    ("A plain caption without credit", "A plain caption without credit", None),
])
def test_split_caption_credit(raw, caption, credit):
    assert split_caption_credit(raw) == (caption, credit)


def test_detect_language():
    assert detect_language("Hello there.") is None  # too short to tell
    assert detect_language(
        "The government announced on Monday that it would raise the minimum wage for workers "
        "across the country starting next year, officials said.") == "en"
    assert detect_language(
        "Le gouvernement a annoncé lundi qu'il augmenterait le salaire minimum des travailleurs "
        "dans tout le pays à partir de l'année prochaine, selon des responsables.") == "fr"


# --------------------------------------------------------------------------- HTML

_PARAS = [
    "The regional government announced on Monday that it would spend two billion euros on new "
    "rail lines connecting the northern valleys with the capital over the next decade.",
    "Officials said construction of the first section would begin next spring and that the "
    "project would create thousands of jobs in areas hit hard by the closure of coal mines.",
    "\u201cThis is the largest investment in our railways for a generation,\u201d the transport "
    "minister told reporters at a press conference in the capital on Monday afternoon.",
    "Environmental groups welcomed the plan but warned that the routes must avoid protected "
    "wetlands, and opposition parties questioned how the spending would be financed.",
]


def _page(head: str, html_lang: str | None = "en", extra_body: str = "") -> str:
    lang = f' lang="{html_lang}"' if html_lang else ""
    paras = "".join(f"<p>{p}</p>" for p in _PARAS)
    return (f"<!DOCTYPE html><html{lang}><head><meta charset='utf-8'>{head}</head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
            "<article><h1>Government unveils two-billion-euro rail plan</h1>"
            f"{extra_body}<div class='body'>{paras}</div></article>"
            "<footer><p>Copyright 2024 Example Media. All rights reserved.</p>"
            "<p>Sign up for our newsletter</p></footer></body></html>")


_JSONLD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Example Times", "url": "https://example.com"},
        {"@type": "NewsArticle",
         "headline": "Government unveils two-billion-euro rail plan",
         "author": [{"@type": "Person", "name": "By Jane Doe"},
                    {"@type": "Person", "name": "Lucas Martin"}],
         "datePublished": "2024-05-06T09:30:00+02:00",
         "dateModified": "2024-05-06T15:00:00+02:00",
         "publisher": {"@type": "Organization", "name": "Example Times"},
         "description": "The plan connects northern valleys with the capital",
         "image": {"@type": "ImageObject", "url": "https://example.com/a.jpg",
                   "caption": "A train leaves the central station. (Jane Doe/Getty Images)"}},
    ],
}


def test_clean_html_jsonld_metadata():
    head = (f'<title>Rail plan unveiled | Example Times</title>'
            f'<script type="application/ld+json">{json.dumps(_JSONLD)}</script>'
            '<meta property="og:title" content="Rail plan unveiled">')
    a = clean_html(_page(head), url="https://example.com/news/rail-plan")
    assert a.method == "trafilatura"
    assert a.title == "Government unveils two-billion-euro rail plan"
    assert a.authors == ["Jane Doe", "Lucas Martin"]
    assert a.publisher == "Example Times"
    assert a.published_at == datetime(2024, 5, 6, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert a.updated_at == datetime(2024, 5, 6, 15, 0, tzinfo=timezone(timedelta(hours=2)))
    assert a.subtitle == "The plan connects northern valleys with the capital"
    assert a.image_caption == "A train leaves the central station."
    assert a.image_credit == "(Jane Doe/Getty Images)"
    assert a.language == "en"
    assert a.url == "https://example.com/news/rail-plan"
    paragraphs = a.body.split("\n\n")
    assert paragraphs[0] == _PARAS[0]
    assert paragraphs[-1] == _PARAS[-1]
    assert "newsletter" not in a.body and "Home" not in a.body


def test_clean_html_meta_tags_only():
    head = ('<title>Government unveils two-billion-euro rail plan - Example Times</title>'
            '<meta property="og:site_name" content="Example Times">'
            '<meta name="author" content="By Jane Doe and Lucas Martin">'
            '<meta property="article:published_time" content="2024-05-06T09:30:00Z">')
    a = clean_html(_page(head, html_lang=None))
    assert a.title == "Government unveils two-billion-euro rail plan"
    assert a.authors == ["Jane Doe", "Lucas Martin"]
    assert a.publisher == "Example Times"
    assert a.published_at == datetime(2024, 5, 6, 9, 30, tzinfo=timezone.utc)
    assert a.updated_at is None
    assert a.language == "en"  # detected from the body: the page declares none


def test_clean_html_figcaption_and_declared_language():
    fig = ("<figure><img src='a.jpg'><figcaption>Workers lay new track near the border. "
           "Photo: Anna Berg</figcaption></figure>")
    a = clean_html(_page("<title>Rail plan</title>", html_lang="de-DE", extra_body=fig))
    assert a.language == "en"  # the (English) text wins over a wrong declaration
    german = "".join("<p>Die Bundesregierung hat am Dienstag neue Massnahmen zur Unterstuetzung der Landwirte "
                     "beschlossen, teilte das Ministerium in Berlin mit. Die Opposition kritisierte das Paket.</p>"
                     for _ in range(3))
    assert clean_html(f"<html lang='en'><body><article>{german}</article></body></html>").language == "de"
    assert a.image_caption == "Workers lay new track near the border."
    assert a.image_credit == "Photo: Anna Berg"


@pytest.mark.parametrize("html, reason", [
    ("", "empty"),
    ("   ", "empty"),
    ("just some words without any markup at all", "no HTML markup"),
    ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text"),
])
def test_clean_html_errors(html, reason):
    with pytest.raises(CleaningError, match=reason):
        clean_html(html)


def test_clean_text_dump_passes_html_to_clean_html():
    head = f'<script type="application/ld+json">{json.dumps(_JSONLD)}</script>'
    a = clean_text_dump(_page(head))
    assert a.method == "trafilatura"
    assert a.title == "Government unveils two-billion-euro rail plan"


def test_the_worker_warm_up_page_goes_through_the_whole_cleaner():
    """A run's workers clean a small page before their first task (news_etl.stages.runpool): it
    must be cleaned as an English article, not rejected early, or the warm-up would skip the
    libraries it is there to load."""
    from news_etl.stages.clean import warm_up

    meta, article, reason = warm_up()
    assert reason is None and article is not None
    assert article.language == "en" and article.title == "Warm-up page"
    assert article.authors == ["Jane Roe"] and "body_simhash" in meta
