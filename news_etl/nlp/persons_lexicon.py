"""Words that make a capitalised name an organisation, a place or a thing, not a person
(:mod:`news_etl.nlp.persons`)."""

NAME_DESIGNATORS = {
    "party", "university", "college", "school", "institute", "ministry", "department", "council",
    "committee", "commission", "agency", "bank", "group", "inc", "ltd", "corp", "company", "co",
    "foundation", "association", "union", "league", "club", "fc", "united", "city", "county",
    "street", "avenue", "road", "square", "park", "bridge", "station", "airport", "hospital",
    "church", "mosque", "temple", "center", "centre", "museum", "hotel", "river", "lake",
    "mountain", "island", "valley", "beach", "news", "times", "post", "journal", "herald",
    "tribune", "press", "radio", "tv", "network", "court", "house", "office", "army", "navy",
    "force", "forces", "police", "guard", "brigade", "battalion", "fund", "trust", "prize", "award",
    "act", "bill", "war", "day", "cup", "games", "festival", "summit", "conference",
}

#: Words that introduce a picture credit ("Photo: Jane Roe", "Photograph by Jane Roe").
CREDIT_WORDS = {"photo", "photos", "photograph", "photographs", "picture", "pictures", "image", "images",
                "credit", "credits", "illustration", "video", "footage"}
#: A line that opens with these words before a name is a byline.
BYLINE_OPENERS = {"by", "words by", "reporting by", "story by", "written by"}
