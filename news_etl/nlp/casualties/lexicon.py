"""Word lists of the casualty extractor (data only): casualty verbs, adjectives and nouns,
person nouns, words that rule a number out as a count, hedges, qualifier phrases, and
the small closed classes the attachment rules test. No element is listed twice in one
literal.
"""

from __future__ import annotations

PLACE_LABELS = {"GPE", "LOC", "FAC"}

# --------------------------------------------------------------------------- triggers

#: verb lemma -> (category, kind, transitive)
VERB_TRIGGERS: dict[str, tuple[str, str | None, bool]] = {
    "kill": ("killed", None, True),
    "murder": ("killed", "murdered", True),
    "slay": ("killed", None, True),
    "assassinate": ("killed", None, True),
    "behead": ("killed", None, True),
    "massacre": ("killed", None, True),
    "execute": ("killed", "executed", True),
    "die": ("killed", "died", False),
    "perish": ("killed", "died", False),
    "drown": ("killed", "drowned", False),
    "wound": ("injured", None, True),
    "injure": ("injured", None, True),
    "hurt": ("injured", None, True),
    "maim": ("injured", None, True),
    "hospitalize": ("injured", "hospitalized", True),
    "hospitalise": ("injured", "hospitalized", True),
    "arrest": ("arrested", None, True),
    "detain": ("arrested", "detained", True),
    "apprehend": ("arrested", None, True),
    "evacuate": ("displaced", "evacuated", True),
    "displace": ("displaced", None, True),
    "relocate": ("displaced", "relocated", True),
    "resettle": ("displaced", "resettled", True),
    "flee": ("displaced", "fled", False),
    "kidnap": ("other", "kidnapped", True),
    "abduct": ("other", "abducted", True),
    "chain": ("other", "held captive", True),
}
#: surface forms the tagger sometimes leaves as adjectives / nouns
ADJ_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "dead": ("killed", None),
    "killed": ("killed", None),
    "missing": ("missing", None),
    "unaccounted": ("missing", "unaccounted for"),
    "injured": ("injured", None),
    "wounded": ("injured", None),
    "hurt": ("injured", None),
    "hospitalized": ("injured", "hospitalized"),
    "hospitalised": ("injured", "hospitalized"),
    "homeless": ("displaced", "homeless"),
    "captive": ("other", "held captive"),
    "kidnapped": ("other", "kidnapped"),
    "abducted": ("other", "abducted"),
    "arrested": ("arrested", None),
    "detained": ("arrested", "detained"),
    "displaced": ("displaced", None),
    "evacuated": ("displaced", "evacuated"),
}
#: noun lemma -> (category, kind); these need an explicit quantity on the noun itself
NOUN_TRIGGERS: dict[str, tuple[str, str | None]] = {
    "death": ("killed", None),
    "fatality": ("killed", None),
    "killing": ("killed", None),
    "murder": ("killed", "murdered"),
    "homicide": ("killed", None),
    "dead": ("killed", None),
    "injury": ("injured", None),
    "hostage": ("other", "hostages"),
    "captive": ("other", "held captive"),
    "evacuee": ("displaced", "evacuated"),
    "arrest": ("arrested", None),
    "detention": ("arrested", "detained"),
}
#: verbs whose "to death" is not a killing
NOT_DEATH_VERBS = {"sentence", "condemn", "bore", "scare", "frighten", "love", "work", "worry"}
FATAL_VERBS = {"stab", "shoot", "wound", "injure", "strike", "hit", "beat", "attack", "maul", "run"}
#: "suffered injuries": verbs and the injury nouns they take as object
SUFFER_VERBS = ("suffer", "sustain")
INJURY_NOUNS = ("injury", "wound", "burn")
#: "3 people were taken to hospital": verbs of bringing someone to hospital
HOSPITAL_VERBS = ("take", "rush", "airlift", "transport", "bring", "admit", "send")
#: verbs of violence that injure when no death is stated ("a man was shot", "stabbed a
#: woman"): lemma -> kind; a death in the same clause ("shot and killed") makes it killed
ASSAULT_VERBS = {"shoot": "shot", "stab": "stabbed", "pistol-whip": "pistol-whipped"}
#: adjectives of "in critical condition": a patient's state after an incident (injured)
CONDITION_ADJS = ("critical", "serious", "stable", "grave", "fair", "life-threatening")
#: places of detention: "booked into jail", "taken into custody" (arrested)
CUSTODY_NOUNS = ("custody", "jail")
#: "charged with murder", "faces charges": verbs and nouns of a criminal charge (arrested)
CHARGE_VERBS = ("charge", "indict")
#: what a criminal charge names ("charged with murder", "with two counts of ..."); a charge
#: with anything else is a disciplinary or sporting one ("charged with misconduct")
CRIME_WORDS = {
    "murder", "homicide", "manslaughter", "assault", "battery", "robbery", "burglary", "theft",
    "possession", "kidnapping", "abduction", "rape", "arson", "trafficking", "shooting", "stabbing",
    "count", "felony", "misdemeanor", "misdemeanour", "weapon", "firearm", "gun", "endangerment",
    "carjacking", "harassment", "terrorism", "crime", "offense", "offence", "killing", "attack",
    "violence", "discharge", "conspiracy", "larceny", "fraud", "intimidation", "menacing",
}
FACE_VERBS = ("face",)
#: reflexive pronouns: "turned himself in", "shot and killed himself"
REFLEXIVE_PRONOUNS = ("himself", "herself")
#: nouns of a pair of people: "a couple of bystanders", "left a local couple dead" = 2
PAIR_NOUNS = ("couple", "pair")
#: illnesses and conditions that put someone in hospital without an incident
#: ("admitted to hospital with pneumonia"): no casualty
ILLNESS_NOUNS = ("illness", "depression", "exhaustion", "pneumonia", "flu", "influenza", "infection",
                 "cancer", "fever", "virus", "stroke", "dehydration", "disease", "pain", "pains",
                 "complication", "complications", "sickness", "ailment")
#: objects of "to"/"into" kept in the phrase of a verb trigger ("taken into custody")
DESTINATION_NOUNS = ("death", "custody", "hospital", "jail")
#: verbs of a secondary predicate kept in the phrase ("held captive", "found dead", "shot dead")
PREDICATE_VERBS = ("hold", "keep", "find", "leave", "shoot")

# --------------------------------------------------------------------------- tolls

#: nouns that state a running total ("the number of dead", "the tally of victims")
TALLY_NOUNS = ("number", "tally", "count")
#: what a tally counts ("the number of dead")
TALLY_OF_WORDS = ("dead", "deaths", "fatalities", "victims", "people killed")
#: lemmas of the death in "the sixth person to die"
DEATH_LEMMAS = ("die", "kill")
#: nouns an ordinal numbers as victims ("the second victim")
VICTIM_NOUNS = ("victim", "fatality", "death")
#: nouns naming a role or a general class any earlier-mentioned person can take ("the
#: victim", "the person", "the child" after "a girl")
ROLE_NOUNS = ("victim", "person", "individual", "patient", "child")
#: kinds of injury figure that a later death of the same person replaces ("shot", then "died")
SURVIVABLE_KINDS = ("shot", "stabbed", "pistol-whipped", "condition", "hospitalized")
#: verbs that take someone hostage or hold someone captive
HOSTAGE_VERBS = ("take", "hold", "keep")
#: governors of "hostage"/"captive" ("taken hostage", "remain captive")
HOSTAGE_GOVERNORS = ("take", "hold", "keep", "be", "remain")
#: "two counts of murder" names a charge, not a killing
CHARGE_NOUNS = ("count", "counts", "charge", "charges")

# --------------------------------------------------------------------------- victims and counts

PERSON_NOUNS = set("""
man woman men women boy girl child children kid baby infant toddler teen teenager youth person people
persons individual adult minor resident civilian soldier troop trooper officer policeman policewoman
cop agent deputy sergeant marine sailor airman serviceman servicewoman member citizen journalist
reporter photographer cameraman worker student pilot driver passenger suspect victim protester
protestor demonstrator guard firefighter doctor nurse medic paramedic patient mother father son
daughter brother sister wife husband friend neighbor neighbour pedestrian cyclist motorist tourist
migrant refugee worshipper militant fighter commander leader official hostage captive prisoner
detainee inmate employee staffer teacher priest elder villager farmer miner activist player fan owner
manager customer shopper bystander gunman attacker assailant shooter bomber male female rebel
insurgent settler crew crewman guest visitor colleague relative local spectator athlete
""".split())
PERSON_SUFFIXES = ("man", "woman", "men", "women", "ist", "ian", "ians", "ee", "ees", "person", "people")

PERSONAL_PRONOUNS = {"he", "she", "him", "her"}
RELATIVE_PRONOUNS = ("who", "that", "which", "whom")
SINGULAR_DETS = {"a", "an", "another", "one"}
#: a bare "another" or "one" counts one person ("another was wounded")
SINGULAR_PRONOUNS = ("another", "one", "someone", "somebody")
VAGUE_NOUN_HEADS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "handful"}
#: vague heads that need an indefinite article ("a handful", "a few", "a number of")
INDEFINITE_VAGUE_HEADS = ("handful", "few", "number")
#: vague quantity words standing alone as the victim phrase ("several were detained")
VAGUE_PRONOUNS = ("several", "many", "some", "numerous")
#: vague quantity words modifying a noun ("several people", "dozens of civilians")
VAGUE_MODIFIERS = ("several", "many", "some", "numerous", "multiple", "countless", "dozens", "hundreds",
                   "thousands", "scores")
#: plural scales used as a determiner ("hundreds people" in a bad parse)
VAGUE_SCALE_DETS = ("dozens", "hundreds", "thousands")
#: scale words an indefinite article turns into a number ("a dozen", "a hundred")
ARTICLE_SCALES = ("dozen", "hundred", "thousand", "million")
#: nouns that wrap a count ("a total of 58 people")
TOTAL_NOUNS = ("total", "number", "tally")
NEGATIVE_DETS = {"no", "none", "nobody", "neither"}
#: "nobody", "noone": no victim at all
NO_ONE_WORDS = ("nobody", "noone")
IRREALIS_AUX = {"to", "will", "would", "could", "might", "may", "should", "can", "must", "'ll", "wo", "ca"}
NON_COUNT_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"}
#: words after a number that make it a rate, an age or a range ("20 percent", "45-year")
NON_COUNT_NEXT_WORDS = ("%", "percent", "per", "-year", "year", "years")
#: signs before a number that make it money or a rank ("$5", "No. 3")
NON_COUNT_PREFIXES = ("$", "£", "€", "#", "No.", "no.")
NON_VICTIM_NOUNS = {
    "year", "years", "percent", "%", "count", "counts", "charge", "charges", "time", "times",
    "day", "days", "hour", "hours", "minute", "minutes", "week", "weeks", "month", "months",
    "mile", "miles", "kilometre", "kilometres", "kilometer", "kilometers", "dollar", "dollars",
    "location", "locations", "house", "houses", "home", "homes", "building", "buildings",
    "shell", "shells", "missile", "missiles", "rocket", "rockets", "strike", "strikes",
    "attack", "attacks", "incident", "incidents", "case", "cases", "point", "points",
}
#: nouns of "in injured condition", "in a critical state"
CONDITION_NOUNS = ("condition", "state")
#: words that end the linear search for an unattached quantity (clause boundaries)
LINEAR_STOP_WORDS = ("and", "but", "while", "after", "before", "when", "who")
LINEAR_STOP_PUNCT = (";", ":", "—", "(", ")")

# --------------------------------------------------------------------------- hedges and sources

HEDGE_VERBS = {
    "report": "reported", "suspect": "suspected", "allege": "alleged", "claim": "claimed",
    "believe": "believed", "fear": "feared", "presume": "presumed", "confirm": "confirmed",
    "feared": "feared", "estimate": "estimated",
}
#: verbs of belief whose complement clause is only as real as the belief ("to believe he died")
BELIEF_VERBS = ("believe", "think", "suppose", "assume", "imagine")
HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "presumably", "possibly", "probably", "likely"}
REPORT_VERBS = {"report", "say", "tell", "cite", "quote", "claim", "announce", "confirm", "note", "write"}

#: qualifier phrase before a number -> qualifier, tried in this order (the first that ends
#: right before the number wins: "no fewer than" before "fewer than")
#: (a second "nearly" -> "about", listed after "nearly" -> "up_to", never matched and was dropped)
QUALIFIERS: dict[str, str] = {
    "no fewer than": "at_least",
    "no less than": "at_least",
    "at least": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "over": "more_than",
    "as many as": "up_to",
    "up to": "up_to",
    "fewer than": "up_to",
    "less than": "up_to",
    "nearly": "up_to",
    "almost": "up_to",
    "under": "up_to",
    "an estimated": "about",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "estimated": "about",
    "some": "about",
}

# --------------------------------------------------------------------------- places and dates

#: prepositions of place ("in Valencia", "near Kharkiv")
PLACE_PREPS = ("in", "at", "near", "outside", "across")
#: nouns of "the city of Valencia"
PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "state", "county", "area"}
#: closed-class words left out when two place names are compared
#: last words of a street-level place ("Smith Street", "the 1200 block"), which a town completes
STREET_WORDS = ("street", "avenue", "road", "drive", "lane", "boulevard", "court", "place", "way",
                "highway", "parkway", "circle", "terrace", "trail", "pike", "block", "st.", "ave.", "rd.")
PLACE_STOP_WORDS = {"the", "of", "in", "a", "and", "near"}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
