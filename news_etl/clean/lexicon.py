"""Word lists of the cleaning stage (data only; the regexes are built in the modules that use them).

Only lists of words and names live here: zone abbreviations, byline job titles and
organisation words, photo-credit sources, schema.org types and the meta tag names read
for each field.  No element is listed twice in one literal.
"""
from __future__ import annotations

# --------------------------------------------------------------------------- dates

#: US/UK zone abbreviations printed on news pages -> UTC offset in hours.
TZ_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "IST": 5.5, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "SAST": 2, "EAT": 3, "WAT": 1, "JST": 9, "KST": 9,
    "HKT": 8, "SGT": 8, "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6, "MST": -7, "MDT": -6,
    "MT": -7, "PST": -8, "PDT": -7, "PT": -8, "AKST": -9, "AKDT": -8, "HST": -10,
    "MYT": 8, "PHT": 8, "WIB": 7, "ICT": 7, "PKT": 5, "NPT": 5.75, "CAT": 2, "GST": 4,
    "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "BRT": -3, "ART": -3,
}

#: Three-letter month abbreviations (lower case), as dump datelines print them.
MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})

# --------------------------------------------------------------------------- authors

#: Job titles and byline furniture: a byline piece holding one of these is no bare person name.
JOB_WORDS = (
    "senior", "chief", "staff", "editor", "editors", "editorial", "correspondent", "reporter", "writer",
    "columnist", "contributor", "contributing", "producer", "photographer", "analyst", "director",
    "manager", "intern", "journalist", "news desk", "desk", "bureau", "team", "updated", "published",
    "posted", "follow", "twitter", "email",
)
#: Words of a byline piece that is only a job title ("Senior Political Correspondent").
PURE_JOB_WORDS = (
    "senior", "junior", "chief", "staff", "deputy", "associate", "assistant", "executive", "managing",
    "political", "news", "sport", "sports", "business", "feature", "features", "foreign", "investigative",
    "digital", "breaking", "trending", "editor", "editors", "correspondent", "reporter", "writer",
    "columnist", "contributor", "contributing", "producer", "photographer", "analyst", "journalist",
    "intern", "and", "&", "of", "the", "at", "in",
)
#: Words of organisation names ("Associated Press", "Outlet Staff").
ORG_WORDS = (
    "news", "press", "media", "inc", "ltd", "llc", "group", "network", "agency", "associated", "reuters",
    "afp", "times", "post", "nast", "journal", "herald", "daily", "tribune", "magazine", "staff",
)
#: Author fields that name no one (compared case-folded).
PLACEHOLDER_AUTHORS = frozenset({
    "staff", "admin", "administrator", "editor", "editors", "author", "unknown", "anonymous", "none",
    "null", "guest", "contributor", "by",
})
#: Lower-case particles inside person names ("Anna de la Cruz", "Omar bin Said").
NAME_PARTICLES = frozenset({"de", "van", "von", "der", "da", "di", "la", "le", "bin", "al", "el", "du"})
#: Byline role words ("Jane Doe, Staff Writer").
ROLE_WORDS = ("staff", "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "journalist")

# --------------------------------------------------------------------------- captions

#: Words naming a photo's source in a caption credit ("(Jane Doe/AP Photo)", "(Getty Images)").
CREDIT_SOURCES = (
    "photo", "photos", "photograph", "image", "images", "picture", "pictures", "pool", "file", "ap", "afp",
    "reuters", "getty", "epa", "shutterstock", "alamy", "istock", "courtesy", "credit", "supplied",
    "handout", "via", "anadolu", "xinhua", "sipa", "bloomberg", "upi", "pa", "wire", "dpa", "video",
    "screenshot", "screengrab", "illustration",
)

# --------------------------------------------------------------------------- language

#: ISO 639-2 codes that pages declare -> ISO 639-1.
ISO639_2_TO_1 = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "por": "pt", "ita": "it",
    "nld": "nl", "dut": "nl", "rus": "ru", "ukr": "uk", "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja",
}

# --------------------------------------------------------------------------- HTML metadata

#: schema.org ``@type`` words of an article object (matched as substrings, any case).
ARTICLE_TYPE_WORDS = ("Article", "Posting", "Report", "NewsArticle", "BlogPosting", "LiveBlog", "Review", "Story")
#: schema.org types that are never the article, whatever else the object is typed as.
NON_ARTICLE_TYPES = frozenset({"WebSite", "Organization", "Person", "BreadcrumbList", "ImageObject", "VideoObject"})
#: ``<meta>`` names giving the headline, most reliable first.
TITLE_META_KEYS = ("og:title", "twitter:title", "dc.title", "sailthru.title", "parsely-title")
#: ``<meta>`` names giving the authors, most reliable first (the first one present is used).
AUTHOR_META_KEYS = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl",
    "citation_author", "twitter:creator",
)
#: ``<meta>`` names giving the publication time, most reliable first.
PUBLISHED_META_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "dc.date.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
    "date", "article.published", "cxenseparse:recs:publishtime",
)
#: ``<meta>`` names giving the last-modified time, most reliable first.
MODIFIED_META_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
    "article.updated",
)
