"""Parse a news page saved as plain text ("text dump") into a :class:`CleanedArticle`.

A dump is what a browser's "save as text" or a copy-paste of a news page gives: the
headline, dek, byline and timestamps, photo captions, the article paragraphs and page
furniture (app/newsletter/cookie prompts, share buttons, "X" close buttons, related links).
The method is generic: it classifies every line, never looks for one site's wording.

1. Lines.  Whitespace is normalised; soft-wrapped lines (a line without final punctuation
   followed by one starting in lower case) are re-joined.
2. Line classes.
   * ``boilerplate``: short lines without sentence structure that match page-furniture
     vocabulary (app, install, newsletter, sign up, subscribe, cookie, share, "Tap"/"Click",
     "Advertisement", "Read more", copyright, one-character buttons like "X"), numbered step
     lines next to such lines, and long lines that are cookie/newsletter/subscription notices;
   * ``byline``: "By A and B", "Written by", "Reporting by", "A, Outlet Staff",
     "A | Staff Reporter", "Author: A";
   * ``dateline``: "Posted/Published/Updated/Last updated/First published ..." followed by a
     date, or a short line that is only a date ("Mon 4 Mar 2024 10.38 GMT");
     relative times ("3 hours ago") are recognised but give no timestamp;
   * ``caption``: a line ending in a parenthesised photo credit
     ("... (Jane Doe/AP Photo)", "(Getty Images)", "(... via Reuters)") or starting with
     "Photo:"/"Credit:"/"Image:"; the credit is split off;
   * ``paragraph``: running text, i.e. a long line (>= 15 words or >= 90 characters) with
     sentence punctuation;
   * ``short``: anything else (headlines, sub-headlines, related-link titles, menu items).
3. Article block: paragraphs separated by at most 12 other lines form a block; the block
   with the most words is the article (a whole-page dump also holds teasers, footers and
   comments).
   Header zone: the (at most 25) lines above the block's first paragraph that follows the
   header's bylines/datelines.  Headline and dek: with bylines/datelines in the header, the
   one or two headline-like lines (3-40 words) right above the first of them (headline, then
   dek; a first line of <= 4 words above a longer one is a kicker); if there is no dek
   there, the first later header line of >= 4 words.  Without bylines/datelines, a short
   header starts with the headline (the seed layout) and a long one (a whole page with
   menus) ends with it.  Bylines give authors (and the publisher, from "Name, Outlet
   Staff"); a bare person name next to a dateline is a byline; datelines give
   published/updated times (zone abbreviations such as EST/CDT/BST become UTC offsets);
   the first caption gives image caption and credit.  Other header lines (secondary
   headlines, kickers, menu items) are dropped.
4. Body zone: paragraphs are kept; a ``short`` line between paragraphs is kept only when
   it is a sentence (>= 4 words, final punctuation) not wedged between two boilerplate
   lines; captions, bylines and datelines met in the body are dropped; after the last
   paragraph only short sentences up to the first furniture line are kept, the rest
   (trailing block of short lines) is dropped.  A related-link parenthesis closing the last
   paragraph, e.g. "(More Russia-Ukraine war stories.)" or "(Read more ...)", is removed:
   it is link text, not article text.  Publisher, when no byline names it, comes from a
   "© 2024 Outlet" line after the article.
5. Language: py3langid on the body (None when the body is too short to tell).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from news_etl.clean.article import CleanedArticle, CleaningError, require_text
from news_etl.clean.authors import looks_like_person, normalise_authors
from news_etl.clean.captions import PREFIX_CREDIT, TRAILING_CREDIT, split_caption_credit
from news_etl.clean.dates import parse_datetime
from news_etl.clean.html import clean_html
from news_etl.clean.language import detect_language
from news_etl.clean.lexicon import MONTH_ABBREVIATIONS, ROLE_WORDS, TZ_ABBREVIATIONS
from news_etl.clean.metadata import strip_site_suffix
from news_etl.clean.text import norm_space, word_count

__all__ = ["parse_text_dump", "classify_line", "clean_text_dump"]

# ----------------------------------------------------------------------------- patterns

_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z0-9]")

_BOILERPLATE = re.compile(
    r"|".join([
        r"\b(?:install|download|get)\b.{0,40}\bapp\b", r"\bapp\s+(?:store|install)", r"\bget the news\b",
        r"^(?:tap|click|press|swipe|scroll)\b", r"\bhome screen\b", r"\bnavigation bar\b",
        r"\bnewsletters?\b", r"\bsign\s?(?:up|in)\b", r"\blog\s?in\b", r"\bsubscribe\b", r"\bsubscription\b",
        r"\binbox\b", r"\benter your e-?mail\b", r"\bcookies?\b", r"\bprivacy (?:policy|settings|notice)\b",
        r"\bterms (?:of|and) (?:use|service|conditions)\b", r"\bmanage (?:consent|preferences)\b",
        r"^share\b", r"^(?:related|read more|read also|also read|see also|more on this|watch)\s*:", r"\bshare (?:this|on|via|article|story)\b", r"^(?:advertisement|advert|ad|sponsored|promoted|"
        r"paid content|story continues below|continue reading|read more|read next|see also|related|"
        r"related (?:articles?|stories|content|topics|coverage)|recommended|more from\b.*|most (?:read|popular|viewed)|"
        r"trending|comments?|view comments|leave a comment|skip to (?:main )?content|listen to this article|"
        r"print|e-?mail|facebook|twitter|whatsapp|linkedin|reddit|pinterest|telegram|flipboard|copy link|"
        r"show more|load more|watch|video|photos?|gallery|menu|search|home|close|open|next|previous|"
        r"back to top|top stories|latest|latest news|breaking news|follow us)\W*$",
        r"\ball rights reserved\b", r"^©|\(c\)\s*\d{4}|\bcopyright\b", r"\bmin(?:ute)? read\b",
        r"\bfollow (?:us|@)", r"\bjoin (?:us|our)\b", r"\bsupport (?:our|independent) journalism\b",
        r"\bdonate\b", r"\bbecome a member\b", r"\bthis (?:site|website) uses\b", r"\bad blocker\b",
        r"\bfree trial\b", r"\bunlimited access\b", r"\bgift (?:this )?article\b", r"\bsave (?:this )?article\b",
    ]),
    re.I,
)
# long notices that are boilerplate even when they are full sentences
_LONG_BOILERPLATE = re.compile(
    r"\bcookies?\b.*\b(?:consent|accept|settings|browser|experience)\b|"
    r"\b(?:sign up|subscribe)\b.*\b(?:newsletter|inbox|e-?mail|updates)\b|"
    r"\ball rights reserved\b|\bmay not be (?:published|reproduced|broadcast|rewritten)\b|"
    r"\bsupport (?:our|independent) journalism\b",
    re.I,
)
_ONE_CHAR = re.compile(r"^\W*\w?\W*$")
_NUMBERED = re.compile(r"^\(?\d{1,2}[.)]\s+\S")
_BREADCRUMB = re.compile(r"\s(?:>|»|›|/)\s")

_DATE_LABEL = re.compile(
    r"^(?P<label>(?:last\s+|first\s+|originally\s+)?(?:posted|published|updated|modified|"
    r"created|date|dated|edited|revised))(?=\W|\d|$)\s*(?:on|at)?\s*[:\-–—]?\s*(?P<rest>.*)$",
    re.I,
)
_DATE_SPLIT = re.compile(
    r"\s*(?:\||•|·|\u2022|;)\s*|(?<!last)\s+(?=(?:last\s+)?(?:updated|modified|published|posted)\b)", re.I)
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_RELATIVE = re.compile(r"\b\d+\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago\b|"
                       r"\b(?:yesterday|today|just now)\b", re.I)

_BYLINE = re.compile(
    r"^(?:(?:written|words|reporting|story|text|report|compiled|interview)\s+)?by\s*[:\-]?\s+(?P<names>.+)$|"
    r"^(?:author|authors|reporter|writer|byline)s?\s*:\s*(?P<names2>.+)$",
    re.I,
)
# "Jane Doe, Newser Staff" / "Jane Doe | Staff Reporter" / "Jane Doe, Senior Correspondent"
_STAFF_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3}(?:\s*(?:,|and|&)\s*[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){1,3})*)"
    r"\s*(?:,|\||—|–|-)\s*(?P<role>(?:(?P<outlet>[\w'’.&\- ]{2,40}?)\s+)?(?:staff(?:\s+(?:writer|reporter))?|"
    r"(?:senior|chief|staff|political|foreign|deputy|news|sports|business|investigative)?\s*"
    r"(?:reporter|writer|correspondent|editor|columnist|contributor|journalist)))\s*$",
    re.I,
)
_OUTLET_STAFF = re.compile(r"^(?P<outlet>.+?)\s+staff(?:\s+(?:writer|reporter))?$", re.I)
_CREDIT_ONLY = re.compile(
    r"^\(?(?:photo|image|picture|credit|photograph|photo credit|image credit|source)s?\s*:\s*.+\)?$|"
    r"^\((?:[^()]*\b(?:photo|images?|getty|ap|afp|reuters|epa|shutterstock|alamy|via|pool|file)\b[^()]*)\)$",
    re.I,
)
_RELATED_TAIL = re.compile(
    r"\s*\((?:more|read more|see more|related|see also|read also|watch|also read)\b[^()]{0,100}\)\s*$", re.I)

_MAX_GAP = 12       # non-paragraph lines allowed between two paragraphs of one article block
_MAX_HEADER = 25   # header zone: at most this many lines above the article block

_ROLE_WORDS = re.compile(r"\b(?:" + "|".join(ROLE_WORDS) + r")\b", re.I)


@dataclass
class _Line:
    text: str
    kind: str = "short"          # boilerplate | byline | dateline | caption | paragraph | short
    blank_before: bool = False


def _words(s: str) -> int:
    return word_count(s)


def _is_paragraph(s: str) -> bool:
    n, chars = _words(s), len(s)
    if n < 15 and chars < 90:
        return False
    if s.isupper():
        return False
    return bool(_TERMINAL.search(s) or _SENTENCE_INSIDE.search(s))


def _is_sentence(s: str) -> bool:
    return _words(s) >= 4 and bool(_TERMINAL.search(s)) and not s.isupper()


_DATE_WORDS = re.compile(
    r"^(?:" + _MONTHS + r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?|"
    r"\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?::\d{2})?(?:[ap]\.?m\.?)?|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|"
    r"[ap]\.?m\.?|at|on|of|the|(?:gmt|utc)[+\-]?\d{0,2}(?::?\d{2})?|[A-Z]{2,5})$",
    re.I,
)


def _looks_like_date(piece: str) -> bool:
    """A short text made only of date/time tokens, with a year: "Sat 24 Feb 2024 12.42 CET",
    "12:43, 20 Apr 2026", "17:41 JST, October 13, 2024", "30/04/2024 - 16:38"."""
    if _words(piece) > 14 or not re.search(r"\b(?:19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2}\b", piece):
        return False
    tokens = [t for t in re.split(r"[\s,;()\-–—•|]+", piece) if t and re.search(r"\w", t)]
    tokens = [t.strip(".") or t for t in tokens]
    bad = [t for t in tokens if not _DATE_WORDS.match(t)
           or (re.fullmatch(r"[A-Z]{2,5}", t) and t.upper() not in _ZONES and t.lower() not in MONTH_ABBREVIATIONS)]
    has_month = any(t.lower()[:3] in MONTH_ABBREVIATIONS for t in tokens) or re.search(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}", piece)
    return not bad and bool(has_month)


_ZONES = set(TZ_ABBREVIATIONS) | {"AM", "PM"}


def _date_parts(s: str) -> list[tuple[str, str]]:
    """(label, date text) pairs of a dateline ('' label for an unlabelled date); [] when the
    line is not a dateline.  Other short pieces ("3 minute read", "CBC News") are allowed."""
    if _looks_like_date(s):
        return [("", s)]
    out = []
    minor = 0
    for piece in _DATE_SPLIT.split(s):
        piece = piece.strip(" ,")
        if not piece:
            continue
        m = _DATE_LABEL.match(piece)
        if m and (re.search(r"\d", m.group("rest")) or _RELATIVE.search(m.group("rest"))):
            out.append((m.group("label").lower(), m.group("rest")))
        elif _looks_like_date(piece) or _RELATIVE.fullmatch(piece.strip()) or re.fullmatch(
                r"\d+\s+\w+\s+ago", piece.strip(), re.I):
            out.append(("", piece))
        elif _words(piece) <= 4 and not _TERMINAL.search(piece):
            minor += 1
        else:
            return []
    return out if out and minor <= 3 else []


def _byline_names(s: str) -> tuple[list[str], str | None] | None:
    """(raw author strings, outlet) if ``s`` is a byline, else None."""
    s = s.strip()
    if _words(s) > 25 or _TERMINAL.search(s) and not re.search(r"\b[A-Z]\.$", s) and _words(s) > 12:
        return None
    # a byline may carry a date: "By Jane Doe | March 3, 2024" / "By Jane Doe Published ..."
    head, *tail = re.split(r"\s*(?:\||•|·)\s*|\s+(?=(?:last\s+)?(?:updated|published|posted)\b)", s, maxsplit=1, flags=re.I)
    if tail and not _date_parts(tail[0]):
        head = s
    m = _BYLINE.match(head)
    if m:
        names = (m.group("names") or m.group("names2") or "").strip()
        if not names or not re.match(r"[A-Z\u00C0-\u024F]", names):
            return None
        outlet = None
        parts = re.split(r"\s*,\s*", names)
        kept = []
        for part in parts:
            o = _OUTLET_STAFF.match(part)
            if o and len(parts) > 1:
                outlet = o.group("outlet").strip()
                continue
            if _ROLE_WORDS.search(part) and len(parts) > 1 and kept:
                continue
            kept.append(part)
        return [", ".join(kept)], outlet
    m = _STAFF_BYLINE.match(head)
    if m:
        outlet = m.group("outlet")
        # only "Name, Outlet Staff" names an outlet ("Jane Doe, Science Correspondent" does not)
        if outlet and not re.search(r"\bstaff\b", m.group("role"), re.I):
            outlet = None
        return [m.group("names")], (outlet.strip() if outlet else None)
    return None


def classify_line(s: str) -> str:
    """Class of one dump line (see module docstring)."""
    if not s:
        return "blank"
    if _ONE_CHAR.match(s):
        return "boilerplate"
    n = _words(s)
    if n <= 25 and _date_parts(s):
        return "dateline"
    if _byline_names(s) is not None:
        return "byline"
    if TRAILING_CREDIT.search(s) or (PREFIX_CREDIT.match(s) and n <= 30) or (_CREDIT_ONLY.match(s) and n <= 15):
        return "caption"
    if _is_paragraph(s):
        return "boilerplate" if _LONG_BOILERPLATE.search(s) and n < 80 else "paragraph"
    if _BOILERPLATE.search(s):
        return "boilerplate"
    return "short"


def _lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\u200b\u200c\u200d\u2060]", "", text)
    raw_lines = [norm_space(r) for r in text.split("\n")]
    # hard-wrapped dump (every paragraph broken at a fixed width): most long lines end
    # mid-sentence and have about the same length
    long_lines = [r for r in raw_lines if len(r) >= 40]
    lengths = sorted(len(r) for r in long_lines)
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0   # the wrap width
    wrapped = (len(long_lines) >= 4 and width <= 100 and sum(1 for n in lengths if n > width + 5) <= 1
               and sum(1 for n in lengths if n >= 0.8 * width) >= 0.5 * len(lengths)
               and sum(1 for r in long_lines if not _TERMINAL.search(r)) >= 0.5 * len(long_lines))
    out: list[_Line] = []
    blank = False
    prev_raw = ""
    for s in raw_lines:
        if not s:
            blank = True
            prev_raw = ""
            continue
        prev = out[-1].text if out else ""
        joinable = out and not blank and not _NUMBERED.match(s) and not re.match(r"[-*•]\s", s)
        # soft-wrapped running text: previous line lacks final punctuation, this one starts lower-case
        soft = joinable and not _TERMINAL.search(prev) and len(prev) >= 40 and re.match(r"[a-z(“\"'‘]", s)
        # hard wrap: the previous physical line filled the wrap width
        hard = joinable and wrapped and len(prev_raw) >= 0.75 * width and len(prev_raw) >= 40
        prev_raw = s
        if soft or hard:
            out[-1].text = f"{prev} {s}"
            continue
        out.append(_Line(s, blank_before=blank))
        blank = False
    return out


@dataclass
class _Fields:
    """Article fields read from the header zone (and, as a fallback, the body zone) of a dump."""
    title: str | None = None
    subtitle: str | None = None
    raw_authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    caption: str | None = None
    credit: str | None = None

    def add_byline(self, text: str) -> None:
        """Authors of a byline line, and the outlet of "Name, Outlet Staff" as publisher."""
        names, outlet = _byline_names(text) or ([], None)
        self.raw_authors.extend(names)
        self.publisher = self.publisher or outlet

    def add_date(self, label: str, value: str) -> None:
        """A dateline date: an "Updated/Modified/Edited/Revised" label gives the update time,
        any other label (or none) the publication time; the first one of each is kept."""
        d = parse_datetime(value)
        if d is None:
            return
        if re.search(r"updated|modified|edited|revised", label):
            self.updated = self.updated or d
        else:
            self.published = self.published or d


def parse_text_dump(text: str, url: str | None = None) -> CleanedArticle:
    """See module docstring."""
    text = require_text(text, "text")
    if re.match(r"\s*<(?:!doctype|html|head|body)\b", text, re.I):
        return clean_html(text, url=url)
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.4 * len(text.strip()) or "\x00" in text:
        raise CleaningError(
            f"no extractable article text: input is not natural-language text "
            f"({letters} letters in {len(text.strip())} characters)")

    lines = _classified_lines(text)
    header, body_start, para_idx = _split_header(lines, _article_block(lines))
    f = _read_header(header)
    last_para = max(para_idx)
    body_text = "\n\n".join(_read_body(lines, body_start, last_para, f))
    if f.publisher is None:
        f.publisher = _signoff_publisher(lines[last_para + 1:])

    authors = normalise_authors(f.raw_authors, publisher=f.publisher)
    title = f.title
    if title and f.publisher:
        title = strip_site_suffix(title, [f.publisher])

    return CleanedArticle(
        body=body_text, title=title, subtitle=f.subtitle, authors=authors, publisher=f.publisher,
        published_at=f.published, updated_at=f.updated, url=url, language=detect_language(body_text),
        image_caption=f.caption, image_credit=f.credit, method="textdump")


def clean_text_dump(text: str, url: str | None = None) -> CleanedArticle:
    """Article record from a news page saved as plain text (see module docstring)."""
    return parse_text_dump(text, url=url)


def _classified_lines(text: str) -> list[_Line]:
    """The dump's logical lines with their classes (see :func:`classify_line`)."""
    lines = _lines(text)
    for ln in lines:
        ln.kind = classify_line(ln.text)

    # numbered step lines next to boilerplate are boilerplate ("1. Tap in your navigation bar.")
    for i, ln in enumerate(lines):
        if _NUMBERED.match(ln.text) and _words(ln.text) <= 12 and ln.kind != "paragraph":
            near = lines[max(0, i - 3): i + 4]
            if any(x.kind == "boilerplate" for x in near):
                ln.kind = "boilerplate"
    return lines


def _article_block(lines: list[_Line]) -> list[int]:
    """Indexes of the article's paragraphs: paragraphs close together (gaps of <= _MAX_GAP
    other lines) form a block; the block with most words is the article (a whole-page dump
    also has teasers, footers and comments in other blocks)."""
    para_idx = [i for i, ln in enumerate(lines) if ln.kind == "paragraph"]
    if not para_idx:
        kinds = {k: sum(1 for ln in lines if ln.kind == k) for k in ("short", "boilerplate", "caption", "byline", "dateline")}
        raise CleaningError(
            "no extractable article text: no paragraph of running text "
            f"({len(lines)} lines: " + ", ".join(f"{v} {k}" for k, v in kinds.items() if v) + ")")

    blocks: list[list[int]] = [[para_idx[0]]]
    for prev, nxt in zip(para_idx, para_idx[1:]):
        if nxt - prev - 1 > _MAX_GAP:
            blocks.append([nxt])
        else:
            blocks[-1].append(nxt)
    return max(blocks, key=lambda bl: sum(_words(lines[i].text) for i in bl))


def _split_header(lines: list[_Line], para_idx: list[int]) -> tuple[list[_Line], int, list[int]]:
    """(header lines, index of the body's first line, body paragraph indexes).

    The header zone ends at the first paragraph after the header's bylines/datelines.
    """
    first = para_idx[0]
    lo = max(0, first - _MAX_HEADER)
    window = [i for i in range(lo, max(first + 1, min(lo + 15, len(lines))))
              if lines[i].kind in ("byline", "dateline")]
    # only bylines/datelines before the block's second paragraph belong to the header
    # (a byline after several paragraphs is a sign-off)
    limit = para_idx[1] if len(para_idx) > 1 else len(lines)
    window = [i for i in window if i < limit]
    start_after = max(window) if window else -1
    body_start = next((i for i in para_idx if i > start_after), None)
    if body_start is None:  # bylines/dates only after all paragraphs: header is before the first paragraph
        body_start = para_idx[0]
    para_idx = [i for i in para_idx if i >= body_start]
    header = lines[max(0, min(lo, body_start - _MAX_HEADER)):body_start] if body_start > _MAX_HEADER else lines[:body_start]
    return header, body_start, para_idx


def _read_header(header: list[_Line]) -> _Fields:
    """Headline, dek, bylines, datelines and the first caption of the header zone."""
    f = _Fields()
    title_idx, dek_idx = _find_headline(header)
    if title_idx is not None:
        f.title = header[title_idx].text
    if dek_idx is not None:
        f.subtitle = header[dek_idx].text

    pending_caption: str | None = None
    for i, ln in enumerate(header):
        if i in (title_idx, dek_idx):
            continue
        if ln.kind == "byline":
            f.add_byline(ln.text)
            dp = _date_parts(re.split(r"\s*(?:\||•|·)\s*", ln.text, maxsplit=1)[-1]) if re.search(r"\||•|·", ln.text) else []
            for label, value in dp:
                f.add_date(label, value)
        elif ln.kind == "dateline":
            for label, value in _date_parts(ln.text):
                f.add_date(label, value)
            # "Jane Doe · CBC News · Posted: Aug 8, 2024": a name beside the date
            if not f.raw_authors:
                f.raw_authors.extend(p for p in _DATE_SPLIT.split(ln.text) if p and looks_like_person(p.strip()))
        elif ln.kind == "caption":
            cap, cred = split_caption_credit(ln.text)
            if f.caption is None and f.credit is None:
                if cap is None and pending_caption:  # "Photo: Getty" under an uncredited caption
                    cap = pending_caption
                f.caption, f.credit = cap, cred
        elif ln.kind in ("short", "paragraph"):
            # other header lines (secondary headlines, kickers, menus) are dropped; a long one
            # may be the caption of a following "Photo: ..." credit line
            pending_caption = ln.text if ln.kind == "paragraph" or _words(ln.text) >= 6 else pending_caption

    if not f.raw_authors:
        f.raw_authors.extend(_bare_name_byline(header, (title_idx, dek_idx)))
    return f


def _bare_name_byline(header: list[_Line], skip: tuple[int | None, int | None]) -> list[str]:
    """A bare person name right next to a dateline ("Jane Smith" / "March 3, 2024") is the byline."""
    for i, ln in enumerate(header):
        if i in skip or ln.kind != "short" or not looks_like_person(ln.text):
            continue
        near = [header[j].kind for j in (i - 1, i + 1) if 0 <= j < len(header)]
        if "dateline" in near:
            return [ln.text]
    return []


def _read_body(lines: list[_Line], body_start: int, last_para: int, f: _Fields) -> list[str]:
    """The article's paragraphs from ``body_start`` to ``last_para`` and the short closing
    sentences after it; a late byline or caption fills ``f`` when the header had none."""
    body: list[str] = []
    n = len(lines)
    i = body_start
    while i <= last_para:
        ln = lines[i]
        if ln.kind == "paragraph":
            body.append(ln.text)
            i += 1
            continue
        # a run of non-paragraph lines between paragraphs
        j = i
        while j < n and lines[j].kind != "paragraph":
            j += 1
        _read_run(lines[i:j], body, f)
        i = j
    # short closing sentences right after the last paragraph, up to the first furniture line
    for x in lines[last_para + 1:]:
        if x.kind != "short" or not _is_sentence(x.text):
            break
        body.append(x.text)
    if body:
        body[-1] = _RELATED_TAIL.sub("", body[-1]).rstrip()
    body = [p for p in body if p]
    if not body:
        raise CleaningError("no extractable article text: every paragraph was boilerplate")
    return body


def _read_run(run: list[_Line], body: list[str], f: _Fields) -> None:
    """A run of non-paragraph lines between two paragraphs: its sentences go to ``body``."""
    for k, x in enumerate(run):
        # a short sentence between paragraphs is text ("He declined to comment."),
        # unless it sits among page furniture
        if x.kind == "short" and _is_sentence(x.text):
            prev_bp = k > 0 and run[k - 1].kind == "boilerplate"
            next_bp = k + 1 < len(run) and run[k + 1].kind == "boilerplate"
            if not (prev_bp and next_bp):
                body.append(x.text)
    # bylines/datelines after the header (e.g. "Updated ..." repeated) are ignored,
    # except a late byline can supply authors when the header had none
    for x in run:
        if x.kind == "byline" and not f.raw_authors:
            f.add_byline(x.text)
        if x.kind == "caption" and f.caption is None and f.credit is None:
            f.caption, f.credit = split_caption_credit(x.text)


def _signoff_publisher(trailing: list[_Line]) -> str | None:
    """Sign-off publisher: "© 2024 The Outlet" / "Copyright 2024 Outlet" in the lines after the article."""
    for ln in trailing:
        m = re.search(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?:[-–]\s*\d{4}\s*)?(?P<name>[A-Z][\w&'’.\- ]{1,40}?)"
                      r"(?:[.,]|\s+all rights reserved|$)", ln.text, re.I)
        if m:
            return m.group("name").strip()
    return None


def _headline_like(ln: _Line, min_words: int = 3) -> bool:
    return (ln.kind in ("short", "paragraph") and min_words <= _words(ln.text) <= 40
            and not _BREADCRUMB.search(ln.text) and not ln.text.endswith(":"))


def _find_headline(header: list[_Line]) -> tuple[int | None, int | None]:
    """(headline index, dek index) in the header zone.

    With bylines/datelines in the header, the headline block is the one or two
    headline-like lines right above the first of them (headline, then dek; a first line of
    <= 4 words above a longer one is a kicker, not the headline).  Without them, a short
    header starts with the headline (dek = the next line), and a long header (a whole page
    with menus) ends with it.
    """
    meta = [i for i, ln in enumerate(header) if ln.kind in ("byline", "dateline")]
    if meta or len(header) > 8:
        anchor = meta[0] if meta else len(header)
        got: list[int] = []
        skipped = 0
        for i in range(anchor - 1, -1, -1):
            ln = header[i]
            if ln.kind == "caption":
                continue
            if _headline_like(ln) and not (got and ln.kind == "paragraph"):
                got.insert(0, i)
                if len(got) == 2:
                    break
                continue
            if got:
                break
            skipped += 1
            if skipped > 6:
                break
        if len(got) == 2 and _words(header[got[0]].text) <= 4 < _words(header[got[1]].text) \
                and header[got[1]].kind != "paragraph":
            got = got[1:]  # kicker above the headline
        if got:
            title = got[0]
            dek = got[1] if len(got) > 1 else None
            if dek is None:  # "Headline / By ... / Posted ... / Dek"
                dek = next((i for i in range(anchor, len(header))
                            if header[i].kind in ("short", "paragraph") and _words(header[i].text) >= 4
                            and not _BREADCRUMB.search(header[i].text)), None) if meta else None
            return title, dek
    for i, ln in enumerate(header):
        if _headline_like(ln, 2):
            dek = next((j for j in range(i + 1, len(header))
                        if header[j].kind in ("short", "paragraph") and _words(header[j].text) >= 4), None)
            return i, dek
    first = next((i for i, ln in enumerate(header) if ln.kind in ("short", "paragraph")), None)
    return first, None
