"""Word lists of the place fixer (:mod:`news_etl.nlp.places`)."""

#: Prepositions whose object the grammar reads as a place ("in Valencia").
PLACE_PREPS = {"in", "at", "near", "outside", "across", "from", "to", "into"}
#: Nouns that introduce a place name ("the city of Valencia").
PLACE_NOUNS = {"city", "town", "village", "province", "district", "region", "state", "county", "area", "capital"}
