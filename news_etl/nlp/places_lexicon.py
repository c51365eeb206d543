"""Word lists of the place fixer (:mod:`news_etl.nlp.places`)."""

#: Prepositions whose object the grammar reads as a place ("in Valencia").
PLACE_PREPS = {"in", "at", "near", "outside", "across", "from", "to", "into"}
#: Nouns that introduce a place name ("the city of Valencia").
PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "state", "county", "area", "capital"}

#: Generic words after a place name that do not change which place it is ("Kharkiv region").
PLACE_SUFFIXES = {"region", "oblast", "province", "city", "district", "governorate", "county", "state",
                  "area", "metropolitan", "municipality", "prefecture"}
#: Common English names of countries that GeoNames lists under another name (ISO code).
COUNTRY_ALIASES = {
    "US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "America": "US", "United States of America": "US",
    "UK": "GB", "U.K.": "GB", "Britain": "GB", "Great Britain": "GB", "England": "GB", "Scotland": "GB",
    "Wales": "GB", "Northern Ireland": "GB", "Czechia": "CZ", "Ivory Coast": "CI", "Gambia": "GM",
    "Gaza": "PS", "Gaza Strip": "PS", "West Bank": "PS", "Palestine": "PS", "Holland": "NL",
    "Burma": "MM", "Vatican": "VA", "Congo": "CG", "DR Congo": "CD", "DRC": "CD", "UAE": "AE",
    "Emirates": "AE", "Korea": "KR", "Russian Federation": "RU",
}

#: Compass words before a place name that keep it the same place ("Northeast Baltimore").
COMPASS_PREFIXES = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                    "northern", "southern", "eastern", "western", "central", "downtown", "upper", "lower"}
#: Words that make a location a street, block or address.
STREET_WORDS = {"street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "lane", "ln", "boulevard", "blvd",
                "court", "ct", "place", "pl", "way", "highway", "hwy", "parkway", "pkwy", "terrace", "circle",
                "block", "alley", "route", "interstate", "trail"}
#: US state abbreviations in news style (AP) besides the postal code, keyed by postal code.
US_STATE_ABBREVIATIONS = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.",), "CO": ("Colo.",), "CT": ("Conn.",),
    "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",), "IN": ("Ind.",), "KS": ("Kan.",),
    "KY": ("Ky.",), "MD": ("Md.",), "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",),
    "MS": ("Miss.",), "MO": ("Mo.",), "MT": ("Mont.",), "NE": ("Neb.",), "NV": ("Nev.",), "NH": ("N.H.",),
    "NJ": ("N.J.",), "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",),
    "OR": ("Ore.",), "PA": ("Pa.",), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",),
    "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.",), "WI": ("Wis.",), "WY": ("Wyo.",),
}
#: Postal codes that are also words or stand for something else in news ("LA" is Los Angeles,
#: "IN", "OR", "ME" are words): never read as a state.
AMBIGUOUS_POSTAL_CODES = {"LA", "IN", "OR", "ME", "OK", "HI", "OH", "DE", "MA", "PA", "AL", "ID", "CO", "MD",
                          "DC", "GA", "MO", "MT", "VA", "WA", "SC", "NE", "AK"}

#: Words of a first-level region's name that say where, not which ("Central", "Western"): a
#: region named only by them is not looked up by name.
GENERIC_REGION_WORDS = {"and", "centre", "center", "capital", "coast", "coastal", "islands", "island", "middle",
                        "highlands", "lowlands", "mountain", "mountains", "valley", "federal", "territory"}
#: Agency words after a town's name that make it the town they serve ("the Dalton Police Department").
AGENCY_WORDS = {"Police", "Sheriff", "Fire", "Marshal"}
#: Resident and neighbourhood nouns whose proper-noun modifier is a town ("a Dalton man").
RESIDENT_NOUNS = {"man", "woman", "men", "women", "teen", "teens", "teenager", "teenagers", "boy", "girl",
                  "resident", "residents", "couple", "neighborhood", "neighbourhood", "native", "natives"}
