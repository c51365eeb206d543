"""Word lists for quote extraction (:mod:`news_etl.nlp.quotes`): data only, no logic."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Speech verbs
# ---------------------------------------------------------------------------------------

#: Verbs that introduce someone's words (lemmas).
SPEECH_VERBS = {
    "say", "tell", "add", "state", "write", "tweet", "post", "explain", "note", "claim", "warn",
    "insist", "argue", "ask", "answer", "reply", "respond", "announce", "declare", "confirm",
    "deny", "admit", "acknowledge", "reveal", "report", "remark", "comment", "conclude", "recall",
    "complain", "urge", "describe", "suggest", "predict", "promise", "vow", "pledge", "assert",
    "allege", "maintain", "stress", "emphasise", "emphasize", "shout", "scream", "yell", "whisper",
    "mutter", "joke", "sing", "chant", "cry", "exclaim", "detail", "share", "caution", "concede",
    "observe", "plead", "demand", "propose", "testify", "recount", "quip", "boast", "accuse",
    "criticise", "criticize", "blast", "slam", "praise", "dub", "brand", "label", "term",
    "reiterate", "repeat", "counter", "retort", "dismiss", "lament", "speak", "inform", "call",
    "continue", "begin", "finish", "wonder", "muse", "sigh", "beg", "order", "instruct", "advise",
    "recommend", "indicate", "find", "show", "read", "tout", "hail", "decry", "condemn",
    "concur", "chime", "interject", "summarize", "summarise", "elaborate", "clarify", "specify",
    "estimate", "forecast", "project", "signal", "hint", "characterize",
    "characterise", "thank", "apologize", "apologise", "welcome", "question", "challenge",
    "mention", "point", "put", "rule", "cite", "highlight", "underline", "underscore",
    "reassure", "assure", "tease", "gush", "rave", "rant", "snap", "fume", "confide",
    "disclose", "relay", "quote", "broadcast", "publish", "mourn", "vent",
    "utter", "holler", "bellow", "sob", "murmur", "growl", "reason", "contend", "rap",
}
#: Verbs strong enough to be a speech tag after a quote even without a comma.
TAG_VERBS = SPEECH_VERBS - {"continue", "begin", "finish", "find", "show", "read", "call", "put",
                            "point", "rule", "order", "project", "signal", "welcome", "question",
                            "challenge", "publish", "broadcast", "cite", "indicate", "estimate",
                            "forecast", "thank", "hail", "praise", "decry", "condemn", "label",
                            "brand", "dub", "term", "describe", "characterize", "characterise",
                            "mourn", "tout"} | {"order", "read"}
#: Verbs that make a clause holding a partial quote someone's words (dependency walk).
GOV_VERBS = SPEECH_VERBS - {"respond", "answer", "continue", "begin", "finish", "read", "order",
                            "welcome", "question", "challenge", "project", "signal", "rule", "thank",
                            "find", "show", "indicate", "publish", "broadcast", "point", "put",
                            "estimate", "forecast", "recommend", "advise", "instruct", "share",
                            "relay", "quote", "cite", "speak", "inform", "apologize", "apologise"}
GOV_VERBS |= {"see", "view", "consider", "compare", "call", "describe", "put"}

#: Verbs whose ``that``-clause is reported speech (indirect quotes).
INDIRECT_VERBS = {
    "say", "tell", "add", "state", "write", "tweet", "explain", "note", "claim", "warn", "insist",
    "argue", "announce", "declare", "confirm", "deny", "admit", "acknowledge", "reveal", "report",
    "remark", "conclude", "complain", "suggest", "predict", "promise", "vow", "pledge", "assert",
    "allege", "maintain", "stress", "emphasise", "emphasize", "concede", "testify", "reiterate",
    "indicate", "estimate", "disclose", "accuse", "demand", "urge", "contend", "agree",
}
#: Verbs of ordering, advising and promising whose to-infinitive reports what was said
#: ("urged voters to stay home", "vowed to fight on"): Levin's advise verbs (37.9), VerbNet's
#: order / urge classes and the commissive promise verbs.
DIRECTIVE_VERBS = {
    "urge", "warn", "advise", "caution", "instruct", "order", "command", "ask", "tell", "beg",
    "implore", "encourage", "promise", "vow", "pledge", "threaten", "swear", "call",
}

#: Demonstrative and relative pronouns: never a speaker on their own.
DEMONSTRATIVES = ("that", "this", "these", "those", "which", "what")

#: Mentions that say the speaker is unknown ("A voice is then heard saying").
UNKNOWN_SPEAKERS = {"voice", "voices", "someone", "somebody", "anyone", "anybody"}

#: Verbs of seeing and judging whose object clause holds someone's words ("saw it as a “farce”").
OPINION_VERBS = ("see", "view", "consider", "compare", "believe", "fear", "think")
#: Tag verbs that make the second half of a quote broken by its tag direct:
#: “My hope,” he said, “is that …”.
BROKEN_TAG_VERBS = ("said", "says", "added", "adds", "told", "tells", "wrote", "writes", "continued",
                    "explained", "noted", "argued", "insisted", "asked")
#: A sentence-initial conjunction or adverb before a quote ("But “let them try…,” he said").
LEAD_CONJUNCTIONS = ("but", "and", "so", "yet", "or", "still", "then", "now", "however", "also", "meanwhile",
                     "again", "indeed", "instead", "later")
#: Qualifiers that make a speaker unknown ("an unidentified man").
UNKNOWN_QUALIFIERS = ("unidentified", "unknown", "unnamed", "anonymous")
#: Heads that such a qualifier leaves without a speaker.
QUALIFIED_UNKNOWN_HEADS = ("voice", "person", "man", "woman", "caller", "speaker")
#: Speaker pronouns that stand for an organisation ("it said") or for a person ("she said").
ORG_SPEAKER_PRONOUNS = ("it", "they", "we")
PERSON_SPEAKER_PRONOUNS = ("he", "she", "i")

# ---------------------------------------------------------------------------------------
# Outlets and citations
# ---------------------------------------------------------------------------------------

#: Known outlets matched as one capitalised word though not in capitals ("Reuters").
SINGLE_WORD_OUTLETS = ("reuters", "bloomberg", "guardian", "politico", "axios", "xinhua", "interfax", "tass",
                       "telegraph", "newsweek")
#: Outlet names that are also common words: never matched alone ("People", "Time").
AMBIGUOUS_OUTLET_WORDS = ("people", "time", "times", "sun", "mirror", "express", "independent", "observer",
                          "metro", "variety", "fortune", "insider", "vice", "hill")
#: Words before "to <outlet>" that credit it: "according to", "told to", "speaking to".
CREDIT_BEFORE_TO = ("according", "speaking", "spoke", "told", "talking", "said", "interview")
#: Words before "to <outlet>" that make the outlet the one that carried the words: "speaking to CNN".
SPOKE_TO_WORDS = ("speaking", "spoke", "talking")
#: Words before "with <outlet>": "in an interview with the BBC".
CREDIT_BEFORE_WITH = ("interview", "conversation", "speaking")
#: Verbs before "by <outlet>": "reported by", "obtained by", "first by".
CREDIT_BEFORE_BY = ("report", "obtain", "publish", "see", "review", "cite", "quote", "reveal", "first")
#: Verbs whose subject outlet is credited with a finding: "the Post obtained", "CNN reviewed".
OUTLET_SUBJECT_VERBS = ("see", "find", "learn", "obtain", "publish", "confirm", "cite", "quote", "describe",
                        "call", "view", "count", "reach", "break", "run", "carry", "review", "analyze",
                        "analyse", "examine", "estimate", "tally", "calculate", "interview", "survey", "poll")

#: News outlets (lower case, without a leading "the").
KNOWN_OUTLETS = {
    "cnn", "bbc", "bbc news", "ap", "associated press", "the associated press", "afp",
    "agence france-presse", "agence france presse", "reuters", "bloomberg", "bloomberg news", "npr",
    "abc", "abc news", "nbc", "nbc news", "cbs", "cbs news", "fox news", "fox", "msnbc", "cnbc",
    "sky news", "al jazeera", "new york times", "nyt", "washington post", "wall street journal",
    "wsj", "guardian", "observer", "telegraph", "daily telegraph", "independent", "financial times",
    "ft", "economist", "politico", "axios", "usa today", "los angeles times", "la times",
    "boston globe", "chicago tribune", "new yorker", "atlantic", "newsweek", "vox", "buzzfeed news",
    "huffpost", "huffington post", "daily mail", "mail on sunday", "sun", "mirror", "daily mirror",
    "daily beast", "tass", "ria novosti", "interfax", "xinhua", "kyodo", "kyodo news", "yonhap",
    "dpa", "ansa", "efe", "people", "variety", "hollywood reporter", "rolling stone", "semafor",
    "the hill", "hill", "business insider", "insider", "wired", "techcrunch", "verge", "nikkei",
    "south china morning post", "times of israel", "haaretz", "jerusalem post", "kyiv independent",
    "ukrainska pravda", "le monde", "der spiegel", "spiegel", "bild", "times", "sunday times",
    "the times", "daily express", "express", "evening standard", "metro", "itv", "itv news",
    "channel 4 news", "cbc", "cbc news", "ctv", "global news", "abc australia", "sydney morning herald",
    "pbs", "propublica", "the intercept", "intercept", "vice", "vice news", "slate", "salon",
    "time", "time magazine", "forbes", "fortune", "cnet", "the new york post", "new york post",
    "daily news", "miami herald", "houston chronicle", "san francisco chronicle", "seattle times",
    "dallas morning news", "deadline", "tmz", "page six", "e! news", "us weekly",
    "newsmax", "breitbart", "daily caller", "the daily wire", "daily wire", "national review",
    "new york magazine", "the cut", "nbc dfw", "ria", "rt", "sputnik", "al arabiya", "anadolu",
    "press trust of india", "pti", "ani", "times of india", "hindustan times", "dawn", "the hindu",
    "straits times", "korea herald", "japan times", "asahi", "yomiuri", "le figaro", "el pais",
    "el país", "corriere della sera", "la repubblica", "die zeit", "faz", "süddeutsche zeitung",
    "nos", "aftonbladet", "svt", "yle", "nrk", "rte", "irish times", "politico europe",
    "euronews", "deutsche welle", "dw", "france 24", "rfi", "voice of america", "voa",
    "radio free europe", "rfe/rl", "meduza", "novaya gazeta", "kommersant", "izvestia", "vedomosti",
}
#: One key per outlet for its usual short and long names.
OUTLET_ALIASES = {
    "associated press": "ap", "the associated press": "ap", "agence france-presse": "afp",
    "agence france presse": "afp", "new york times": "nyt", "the new york times": "nyt",
    "wall street journal": "wsj", "financial times": "ft", "huffington post": "huffpost",
    "bbc news": "bbc", "cnn": "cnn", "voice of america": "voa", "deutsche welle": "dw",
    "press trust of india": "pti", "bloomberg news": "bloomberg", "abc news": "abc",
    "nbc news": "nbc", "cbs news": "cbs", "itv news": "itv", "cbc news": "cbc", "kyodo news": "kyodo",
}
#: Words that introduce an outlet's name: "newspaper Dagens Nyheter", "broadcaster NHK".
OUTLET_INTRO = {"newspaper", "daily", "broadcaster", "outlet", "magazine", "tabloid", "paper",
                "agency", "channel", "network", "station", "website", "weekly", "publication"}

#: Last words of an outlet's name ("Kyiv Post", "Daily Maverick").
OUTLET_WORDS = {"times", "post", "news", "journal", "herald", "tribune", "guardian", "telegraph",
                "gazette", "daily", "press", "radio", "tv", "television", "broadcasting", "magazine",
                "chronicle", "observer", "independent", "mail", "express", "wire", "today",
                "newspaper", "reporter", "inquirer", "courier", "examiner", "dispatch", "sentinel",
                "bulletin", "monitor", "review", "weekly", "globe", "star", "mirror"}
#: Outlets known by an acronym, matched only when written in capitals ("AP", "CNN").
SHORT_OUTLETS = {"ap", "afp", "cnn", "bbc", "npr", "abc", "nbc", "cbs", "wsj", "nyt", "ft", "pti",
                 "ani", "dw", "voa", "rt", "cbc", "ctv", "pbs", "itv", "tass", "efe", "dpa", "svt",
                 "yle", "nrk", "rte", "nos", "rfi", "tmz", "faz"}

# ---------------------------------------------------------------------------------------
# Labels and titles in quote marks
# ---------------------------------------------------------------------------------------

#: Small words a title-case phrase may keep in lower case ("State of the Union").
TITLE_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
                     "from", "is", "my", "your", "vs", "de", "la", "le"}
#: Words before a quoted title or label ("the album “Midnights”", "known as “the Beast”").
TITLE_CUES = {"album", "song", "single", "track", "film", "movie", "book", "novel", "show",
              "series", "titled", "entitled", "called", "named", "dubbed", "episode", "play",
              "poem", "headline", "article", "column", "essay", "report", "documentary",
              "programme", "program", "podcast", "painting", "exhibition", "operation", "hashtag",
              "slogan", "sign", "signs", "banner", "motto", "tagline", "nicknamed", "known", "as"}
#: Phrases before a quoted label: the so-called “X”, known as “X”.
LABEL_INTRO_PHRASES = ("so-called", "so called", "dubbed", "nicknamed", "known as")
#: Words before a quoted title-case programme or work: on CNN's “State of the Union”.
TITLE_PREPOSITIONS = ("of", "on", "in", "at", "from", "to", "s", "’s", "'s")
