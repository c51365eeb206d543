"""Word lists for speaker resolution (:mod:`news_etl.nlp.people`): data only, no logic."""

from __future__ import annotations

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "i", "me", "my"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "we", "us", "our"}
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | {"you", "who", "which", "that", "this", "one"}
#: Pronouns that stand for one organisation ("it said") or for a group ("they said").
IT_PRONOUNS = ("it", "its")
THEY_PRONOUNS = ("they", "them", "their", "we", "us", "our")
#: Pronouns that give a person's gender.
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
#: Honorifics right before a name that give the person's gender.
MALE_TITLES = ("mr", "sir", "king")
FEMALE_TITLES = ("mrs", "ms", "miss", "queen", "dame", "lady")
#: Relative pronouns that stand for the noun their clause hangs on ("Kall, who said").
RELATIVE_PRONOUNS = ("who", "that", "which")

#: Nouns for things that speak for whoever issued them.
DOC_NOUNS = {
    "statement", "letter", "report", "analysis", "release", "tweet", "post", "study", "finding",
    "findings", "investigation", "filing", "memo", "document", "complaint", "lawsuit", "affidavit",
    "email", "message", "notice", "advisory", "bulletin", "communique", "announcement", "survey",
    "review", "assessment", "readout", "transcript", "press", "kit", "note", "paper", "forecast",
    "ruling", "order", "verdict", "judgment", "decision", "petition", "motion", "indictment",
    "website", "account", "blog", "newsletter", "update",
    # communication nouns: words written or spoken for someone
    "pitch", "speech", "remarks", "comments", "testimony", "interview", "article", "column", "book",
    "memoir", "manifesto", "advert", "advertisement", "slogan", "caption", "listing", "profile",
    "proposal", "plan", "strategy", "guidance", "guidelines", "recommendation", "submission",
}
#: Collective nouns: never one named person ("the family", "the couple").
GROUP_NOUNS = {"family", "couple", "pair", "crowd", "audience", "public", "panel", "jury", "staff",
               "management", "leadership", "board", "trio", "duo", "side", "squad", "crew", "majority"}
#: Nouns for organisations ("the department" -> the department named before).
ORG_NOUNS = {
    "department", "center", "centre", "agency", "bureau", "ministry", "company", "firm", "group",
    "police", "military", "army", "navy", "government", "newspaper", "paper", "daily", "outlet",
    "institute", "institution", "organisation", "organization", "council", "committee", "court",
    "commission", "office", "service", "authority", "board", "union", "party", "university",
    "school", "hospital", "club", "team", "league", "federation", "association", "foundation",
    "charity", "campaign", "administration", "embassy", "force", "forces", "corporation",
    "network", "station", "broadcaster", "channel", "magazine", "website", "bank", "fund",
    "regulator", "watchdog", "coalition", "alliance", "movement", "militia", "kremlin",
    "white", "house", "pentagon", "parliament", "senate", "congress", "cabinet", "state",
    "province", "city", "county", "district", "municipality", "country", "nation", "operator",
    "airline", "manufacturer", "retailer", "carrier", "insurer", "lab", "laboratory",
}
#: Last words of the names of places and buildings ("Hill Stadium"): never a person's name.
PLACE_NOUNS = {
    "stadium", "arena", "airport", "station", "street", "road", "avenue", "square", "park", "bridge",
    "hall", "tower", "building", "palace", "castle", "cathedral", "church", "mosque", "temple", "hotel",
    "prison", "port", "harbour", "harbor", "river", "lake", "valley", "mountain", "island", "beach",
    "ground", "racecourse", "circuit", "theatre", "theater", "museum", "gallery", "mall", "bay",
}
#: Last words of company names ("Acme Holdings", "Acme plc").
COMPANY_SUFFIXES = {"holdings", "inc", "ltd", "plc", "corp", "co", "llc", "ag", "sa", "gmbh", "nv", "limited",
                    "industries", "partners", "systems", "technologies", "motors", "airways", "airlines",
                    "enterprises", "ventures", "capital", "energy", "pharmaceuticals", "labs"}
PAPER_NOUNS = {"newspaper", "paper", "daily", "outlet", "broadcaster", "channel", "magazine",
               "network", "station", "website", "tabloid", "publication", "site"}
#: Organisation words that, with no name holding them, point at the last organisation that spoke.
GENERIC_ORG_NOUNS = ("agency", "department", "bureau", "ministry", "center", "centre", "office", "service",
                     "authority", "institute", "company", "firm", "organisation", "organization", "group")
#: Heads of "X's office" / "X's team": the words come from X's side ("Zelensky's office").
POSSESSED_BODY_NOUNS = ("office", "team", "campaign", "government", "administration")
#: Heads of "X's <role>" that never stand for X itself ("Trump's lawyer").
POSSESSED_ROLE_NOUNS = POSSESSED_BODY_NOUNS + ("spokesman", "spokeswoman", "spokesperson", "lawyer", "attorney")

#: Entity labels for organisations and places that speak as a body.
ORG_LABELS = {"ORG", "NORP", "GPE", "FAC", "LOC"}
#: Entity labels a speaker mention may resolve to directly.
SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE", "FAC", "WORK_OF_ART", "PRODUCT", "LOC")
#: Entity labels that are never a subject who speaks.
BAD_SUBJECT_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"}

#: Short forms that do not share a token with their full name.
GPE_ALIASES = {
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "us": "United States", "u.s.": "United States", "usa": "United States", "u.s.a.": "United States",
    "america": "United States", "un": "United Nations", "u.n.": "United Nations",
    "eu": "European Union", "e.u.": "European Union", "uae": "United Arab Emirates",
    # party nicknames (no shared word with the full name)
    "tories": "Conservative Party", "tory party": "Conservative Party", "lib dems": "Liberal Democrats",
}

#: Words that open a description but are not part of it ("and the spokesman").
ALIAS_LEADING_WORDS = ("the", "a", "an", "and", "but", "as", "while")
#: Determiners of an indefinite description ("an aide"): never resolved to a name.
INDEFINITE_DETS = ("a", "an", "one", "some", "another", "any")
#: Determiners of a definite description ("the department").
DEFINITE_DETS = ("the", "this", "that")
#: Quantity words before the head of a description ("several officials"): a group, unresolved.
QUANTITY_WORDS = ("several", "many", "two", "three", "some")
#: Prepositions that stay inside a noun phrase ("ambassador to Britain", "head of police").
NP_PREPOSITIONS = ("of", "to", "for", "at")
#: Prepositions that name who issued a document: "a statement from the ministry", "a report by X".
ISSUER_PREPOSITIONS = ("from", "by", "of")
#: Small words inside an untagged organisation name: "Bureau of Meteorology", "Centre for ...".
NAME_JOINERS = ("of", "and", "for")
#: Articles that open an apposition giving a person's title: "Cheuk Hau-yip, the commander ...".
ARTICLES = ("the", "a", "an")
