"""The cleaning stage's result record, its error and the input/size checks every entry point shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["CleanedArticle", "CleaningError", "MAX_BODY_CHARS", "check_body_length", "require_text"]


@dataclass
class CleanedArticle:
    body: str                      # main text; paragraphs separated by "\n\n"; no boilerplate
    title: str | None = None
    subtitle: str | None = None    # dek / standfirst
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None   # site name / outlet
    published_at: datetime | None = None   # timezone-aware (UTC if page gives no zone)
    updated_at: datetime | None = None     # timezone-aware
    url: str | None = None
    language: str | None = None    # ISO 639-1, e.g. "en"
    image_caption: str | None = None
    image_credit: str | None = None
    method: str = ""               # "trafilatura" | "jsonld" | "textdump"


class CleaningError(ValueError):
    """No article text could be extracted; the message says why."""


def require_text(value, what: str) -> str:
    """``value`` as a non-blank ``str`` (bytes decoded as UTF-8); a :class:`CleaningError`
    naming the input otherwise (``what`` is the kind of text expected, e.g. "HTML text")."""
    if value is None or not isinstance(value, (str, bytes)):
        raise CleaningError(f"no extractable article text: input is {type(value).__name__}, not {what}")
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not value.strip():
        raise CleaningError("no extractable article text: input is empty")
    return value


#: Longest article body accepted (characters); longer "articles" are dumps, not stories, and
#: would exceed what spaCy processes in one document.
MAX_BODY_CHARS = 1_000_000


def check_body_length(body: str) -> None:
    if len(body) > MAX_BODY_CHARS:
        raise CleaningError(f"article body too long: {len(body):,} characters (limit {MAX_BODY_CHARS:,})")
