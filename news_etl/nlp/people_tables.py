"""Tables built once per article for speaker resolution (:mod:`news_etl.nlp.people`):
acronyms, entity labels made consistent (animacy), the descriptions and ages the article
gives its people. Functional core, no dagster."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from news_etl.nlp.extensions import doc_text
from news_etl.nlp.names import clean_entity_text, gender_detector
from news_etl.nlp.people_lexicon import (
    ALIAS_LEADING_WORDS, ARTICLES, COMPANY_SUFFIXES, DOC_NOUNS, ORG_LABELS, ORG_NOUNS, PAPER_NOUNS,
    PLACE_NOUNS, PRONOUNS,
)

AGE_RE = re.compile(r"\b(\d+)-year-old\b", re.I)
ACRONYM_RE = re.compile(r"([A-Z][\w'’&.-]*(?:\s+(?:of|for|and|the|on|de|&|[A-Z][\w'’&.-]*))*\s+[A-Z][\w'’&.-]*)\s*\(([A-Z][A-Za-z&.]{1,9})\)")


def norm_description(s: str) -> str:
    """A description as a lookup key: lower case, no leading article ("The Spokesman," -> spokesman)."""
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip(), flags=re.I)
    return " ".join(s.lower().split()).strip(" ,.;:")



@dataclass
class Candidate:
    """A mention that may be a pronoun's antecedent or an organisation source."""

    pos: int            # char offset of the mention
    name: str           # resolved name
    label: str          # PERSON / ORG / ...
    weight: int = 1     # 2 = a speaker or a sentence subject



def acronyms(text: str) -> dict[str, str]:
    """Acronyms spelled out in parentheses: "Israel Defense Forces (IDF)" -> idf: the tail of
    the phrase whose initials spell the acronym."""
    acronyms: dict[str, str] = {}
    for m in ACRONYM_RE.finditer(text):
        full, acr = m.group(1), m.group(2)
        words = [w for w in re.split(r"\s+", full) if w[:1].isupper()]
        letters = "".join(w[0] for w in words)
        acr_letters = acr.replace(".", "").upper()
        # keep the tail of the phrase whose initials spell the acronym
        for k in range(len(words)):
            if "".join(w[0] for w in words[k:]).upper() == acr_letters:
                start = full.find(words[k])
                acronyms[acr_letters.lower()] = full[start:]
                break
        else:
            if letters.upper().endswith(acr_letters[:2]):
                acronyms.setdefault(acr_letters.lower(), full)
    return acronyms


def given_name_gender(word: str) -> str | None:
    """'m' or 'f' for a given name of (mostly) one gender, else None (``gender-guesser``)."""
    g = gender_detector().get_gender(word)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(g)


def is_role_premodifier(tok: Token | None) -> bool:
    """A common noun written right before a name as its title ("coach", "striker", "boss"):
    lower case, not an organisation, outlet or document word."""
    return tok is not None and tok.pos_ == "NOUN" and tok.text.islower() and tok.lower_ not in ORG_NOUNS \
        and tok.lower_ not in PAPER_NOUNS and tok.lemma_.lower() not in DOC_NOUNS


def age_after(doc: Doc, end: int) -> str | None:
    """The age in an apposition right after a name: "Jo Bloggs, 30," -> "30"."""
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].like_num and doc[end + 1].text.isdigit() \
            and doc[end + 2].text in (",", ".", ";", ")") and 0 < int(doc[end + 1].text) < 120:
        return doc[end + 1].text
    return None


def article_labels(ents: list[Span], names: list[str]) -> tuple[dict[tuple[int, int], str],
                                                                  dict[tuple[int, int], str]]:
    """Entity labels made consistent within the article (animacy), returned as
    ``(labels, names)`` for the mentions whose label or name changes:

    * a name holding a numeral ("Zephyr 3") names a thing, not a person: PRODUCT; one ending
      in an organisation word ("Acme Group") an ORG, in a place word ("Hill Stadium") a FAC;
    * a name the tagger did not call a person, of two or more capitalised words opening with a
      given name, after a title noun ("coach Sven Smith") or before an age ("Sven Smith, 30,")
      is a PERSON; so is a one-word mention that is the surname of one of the article's people
      ("Smith" -> Sven Smith);
    * a one-word PERSON mention that is no person's given name or surname in the article but
      is written elsewhere in it as an organisation's or a place's one-word name, or as the
      first word of a company's name ending in an organisation word or a company suffix
      ("Acme" after "Acme Group", "Acme Holdings"), takes that label (and that name).
    """
    labels: dict[tuple[int, int], str] = {}
    renamed: dict[tuple[int, int], str] = {}
    if not ents:
        return labels, renamed
    doc = ents[0].doc

    def has_numeral(e: Span) -> bool:
        return any(t.is_digit for t in e)

    people: list[str] = []
    for e, n in zip(ents, names):
        words = n.split()
        if e.label_ == "PERSON":
            if has_numeral(e):
                labels[(e.start, e.end)] = "PRODUCT"
            elif len(words) >= 2 and words[-1].lower() in ORG_NOUNS:
                labels[(e.start, e.end)] = "ORG"
            elif len(words) >= 2 and words[-1].lower() in PLACE_NOUNS:
                labels[(e.start, e.end)] = "FAC"
            elif len(words) >= 2:
                people.append(n)
            continue
        if e.label_ in ("ORG", "GPE", "NORP", "FAC", "LOC") and 2 <= len(words) <= 4 and \
                all(w[:1].isupper() for w in words) and not has_numeral(e) and \
                not any(w.lower() in ORG_NOUNS for w in words) and \
                given_name_gender(words[0].split("-")[0]) is not None and (
                    is_role_premodifier(doc[e.start - 1] if e.start > 0 else None) or age_after(doc, e.end)):
            labels[(e.start, e.end)] = "PERSON"
            people.append(n)
    by_surname: dict[str, set[str]] = {}
    name_words: set[str] = set()
    for n in people:
        by_surname.setdefault(n.split()[-1].lower(), set()).add(n)
        name_words.update(w.lower() for w in n.split())
    org_names: dict[str, tuple[str, str]] = {}
    for e, n in zip(ents, names):
        if e.label_ in ORG_LABELS and (e.start, e.end) not in labels:
            words = clean_entity_text(e.text).split()
            last = words[-1].lower().rstrip(".") if words else ""
            if len(words) == 1 or len(words) >= 2 and (last in ORG_NOUNS or last in COMPANY_SUFFIXES):
                # the first word of a longer name stands for it; a one-word name for itself
                org_names.setdefault(words[0].lower(), (e.label_, n))
    for e, n in zip(ents, names):
        key = (e.start, e.end)
        if key in labels or len(n.split()) != 1:
            continue
        low = n.lower()
        if e.label_ != "PERSON" and e.label_ in ORG_LABELS and len(by_surname.get(low, ())) == 1:
            labels[key] = "PERSON"
            renamed[key] = next(iter(by_surname[low]))
        elif e.label_ == "PERSON" and low not in name_words and low in org_names:
            labels[key], renamed[key] = org_names[low]
    return labels, renamed


def is_definite(t: Token) -> bool:
    """Does noun ``t`` carry a definite article ("the coach", "the 30-year-old")?"""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) or (
        t.i > 0 and t.doc[t.i - 1].lower_ == "the" and t.ent_type_ == "DATE")


def person_ages(doc: Doc, canon: Callable[[Span], str], label: Callable[[Span], str]) -> dict[str, set[str]]:
    """Ages the article gives its people (age -> names): "Jo Bloggs, 30," and "30-year-old Jo Bloggs"."""
    ages: dict[str, set[str]] = {}
    for e in doc.ents:
        if label(e) != "PERSON":
            continue
        age = age_after(doc, e.end)
        if age is None:
            m = re.search(r"(\d+)-year-old\s*$", doc_text(doc)[max(0, e.start_char - 20):e.start_char])
            age = m.group(1) if m else None
        if age is not None:
            ages.setdefault(age, set()).add(canon(e))
    return ages


def add_alias(aliases: dict[str, set[str]], desc_tokens: list[Token], name: str) -> None:
    """Record a description of ``name`` (up to ten words, without a leading "the"/"and")."""
    words = [t.text for t in desc_tokens if not t.is_punct or t.text in ("'s", "’s")]
    while words and words[0].lower() in ALIAS_LEADING_WORDS:
        words = words[1:]
    if not words or len(words) > 10:
        return
    desc = norm_description(" ".join(words).replace(" 's", "'s").replace(" ’s", "'s"))
    if desc and desc not in PRONOUNS:
        aliases.setdefault(desc, set()).add(name)


def person_aliases(doc: Doc, canon: Callable[[Span], str],
                    label: Callable[[Span], str] = lambda e: e.label_) -> dict[str, set[str]]:
    """Descriptions the article gives a named person (description -> names): a title right
    before the name ("fisheries bureau spokesman Nazario Briguera") or an apposition after
    it ("Cheuk Hau-yip, the commander of Kowloon West district,") or before it
    ("MEC for ... Affairs, Jacob Mamabolo, said")."""
    aliases: dict[str, set[str]] = {}
    for e in doc.ents:
        if label(e) != "PERSON":
            continue
        name = canon(e)
        # title or description right before the name: "fisheries bureau spokesman Nazario Briguera"
        i = e.start - 1
        pre: list[Token] = []
        while i >= 0 and i >= e.sent.start:
            t = doc[i]
            if (t.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "PART", "NUM") or (
                    t.pos_ == "ADP" and t.lower_ in ("to", "for"))) and not t.is_punct \
                    and t.ent_type_ != "PERSON" or t.text in ("'s", "’s"):
                pre.insert(0, t)
                i -= 1
                continue
            break
        while pre and pre[0].pos_ in ("ADP", "PART"):
            pre = pre[1:]
        if pre and any(t.pos_ in ("NOUN", "PROPN") for t in pre) and pre[-1].pos_ in ("NOUN", "PROPN"):
            add_alias(aliases, pre, name)
        # apposition after the name: "Cheuk Hau-yip, the commander of Kowloon West district,"
        if e.end < len(doc) and doc[e.end].text == ",":
            j, app = e.end + 1, []
            while j < len(doc) and j < e.sent.end and doc[j].text not in (",", ".", ";", "(", ")") \
                    and doc[j].pos_ not in ("VERB", "AUX"):
                app.append(doc[j])
                j += 1
            if app and app[0].lower_ in ARTICLES or (app and app[0].text in ("'s", "’s")) or \
                    (len(app) > 1 and app[1].text in ("'s", "’s")):
                if app and app[0].lower_ not in ("a", "an"):
                    add_alias(aliases, app, name)
        # apposition before the name: "MEC for ... Affairs, Jacob Mamabolo, said"
        if e.start >= 2 and doc[e.start - 1].text == "," and e.end < len(doc) and doc[e.end].text == ",":
            j, app = e.start - 2, []
            while j >= e.sent.start and doc[j].text not in (",", ".", ";") and doc[j].pos_ not in ("VERB", "AUX"):
                app.insert(0, doc[j])
                j -= 1
            if app and any(t.pos_ in ("NOUN", "PROPN") for t in app):
                add_alias(aliases, app, name)
    return aliases
