"""Parse helpers for speaker resolution and quote attribution: a noun phrase, the subject
of a verb, the subject-like roles of a token (functional core, no dagster)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from news_etl.nlp.people_lexicon import BAD_SUBJECT_ENTS, NP_PREPOSITIONS, RELATIVE_PRONOUNS


def role_weight(tok: Token) -> bool:
    """Is ``tok`` a subject, a passive agent or the source after 'according to' / 'per'?"""
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return True
    if tok.dep_ in ("appos", "compound", "poss") and tok.head.dep_ in ("nsubj", "nsubjpass") and tok.dep_ != "poss":
        return True
    if tok.dep_ == "pobj" and (tok.head.dep_ == "agent" or tok.head.lower_ == "per" or (
            tok.head.lower_ == "to" and tok.head.i > 0 and tok.doc[tok.head.i - 1].lower_ == "according")):
        return True
    return False


def noun_phrase(tok: Token) -> Span:
    """The noun phrase headed by ``tok``: its subtree cut at the first comma, apposition,
    relative clause or parenthesis after the head."""
    doc = tok.doc
    left = tok.left_edge.i
    right = tok.i
    for t in tok.rights:
        if t.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis") or t.text in (",", "(", "—", "–"):
            break
        if t.dep_ == "prep" and t.lower_ not in NP_PREPOSITIONS:
            break
        right = t.right_edge.i
    # trim any comma or parenthesis inside the right part
    for i in range(tok.i + 1, right + 1):
        if doc[i].text in (",", "(", "—", "–", ";", ":", '"', "“", "”"):
            right = i - 1
            break
    for i in range(tok.i - 1, left - 1, -1):
        if doc[i].text in (",", "(", ")", "—", "–", ";", ":", '"', "“", "”", "'"):
            left = i + 1
            break
    while left < tok.i and doc[left].is_punct:
        left += 1
    return doc[left:right + 1]


def subject_of(verb: Token) -> Span | None:
    """Subject of a verb, through conjunctions, auxiliaries and participle clauses (a participle
    the parser hung on a reported clause belongs to the reporting clause: "X said Y was fine,
    adding …" -> X); a relative pronoun gives way to the noun it stands for ("Kall, who said" -> Kall)."""
    v = verb
    for _ in range(4):
        # two subjects (a parse split of "Usdaw general secretary John Hannett"): the person first
        subjects = sorted((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")),
                          key=lambda c: c.ent_type_ != "PERSON")
        for c in subjects:
            if c.ent_type_ in BAD_SUBJECT_ENTS:
                return None
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
                return noun_phrase(v.head)
            if c.dep_ == "nsubjpass":
                # "was told by X": the agent speaks
                for a in v.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                return noun_phrase(p)
            return noun_phrase(c)
        if v.dep_ == "xcomp" and v.head is not v:
            # object control: "led the journalist to fear …", "urged him to say …" -- the
            # object of the verb above is the subject of the infinitive
            objs = [c for c in v.head.children if c.dep_ == "dobj" and c.i < v.i]
            if objs and any(a.dep_ == "aux" and a.lower_ == "to" for a in v.children):
                return noun_phrase(objs[0])
        if v.dep_ in ("conj", "advcl", "xcomp", "acl") and v.head is not v:
            if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.dep_ == "ccomp" and v.head.head.i != v.head.i:
                # "X said Y sounded fine, adding …": a participle hung on the reported clause
                # belongs to the reporting one
                v = v.head.head
                continue
            v = v.head
            continue
        break
    return None
