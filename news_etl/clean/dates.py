"""Date/time strings printed on news pages to timezone-aware datetimes.

ISO timestamps are read directly; free text ("Mon 4 Mar 2024 10.38 GMT",
"March 3, 2024 5:10 p.m. ET") goes to dateparser after the zone abbreviation has been
taken out (dateparser does not know every one and mis-handles some).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from news_etl.clean.lexicon import TZ_ABBREVIATIONS
from news_etl.clean.text import norm_space

__all__ = ["parse_datetime", "tz_for_abbreviation"]

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_RELATIVE_DATE = re.compile(r"\b(?:ago|yesterday|today|tomorrow|just now|last|next)\b", re.I)


def tz_for_abbreviation(abbr: str, naive: datetime | None = None) -> timezone | None:
    """Zone of an abbreviation ("EST", "BST"); the generic US zones "ET/CT/MT/PT" follow
    US daylight saving time on the date ``naive``."""
    abbr = abbr.upper().strip(".")
    if abbr not in TZ_ABBREVIATIONS:
        return None
    hours = TZ_ABBREVIATIONS[abbr]
    # generic "ET/CT/MT/PT" follow US daylight saving time
    if abbr in {"ET", "CT", "MT", "PT"} and naive is not None and _us_dst(naive):
        hours += 1
    return timezone(timedelta(hours=hours), abbr)


def _us_dst(d: datetime) -> bool:
    """US daylight saving time (second Sunday of March to first Sunday of November)."""

    def nth_sunday(year: int, month: int, n: int) -> datetime:
        first = datetime(year, month, 1)
        offset = (6 - first.weekday()) % 7
        return first + timedelta(days=offset + 7 * (n - 1))

    start = nth_sunday(d.year, 3, 2).replace(hour=2)
    end = nth_sunday(d.year, 11, 1).replace(hour=2)
    return start <= d.replace(tzinfo=None) < end


def parse_datetime(value: Any, *, default_tz: timezone = timezone.utc) -> datetime | None:
    """Parse a date/time string from a page into a timezone-aware datetime.

    Keeps the time and the zone the page gives (ISO offsets and zone abbreviations such
    as EST/CDT/BST); naive values are taken as ``default_tz`` (UTC).  Date-only values
    give midnight.  Returns ``None`` for values that hold no date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=default_tz)
    s = norm_space(str(value))
    if not s or not re.search(r"\d", s):
        return None
    if _RELATIVE_DATE.search(s):  # "3 hours ago": needs the crawl time, which we do not have
        return None
    if _ISO_RE.match(s):
        iso = s.replace("Z", "+00:00").replace(" ", "T", 1) if "T" not in s else s.replace("Z", "+00:00")
        iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)       # +0100 -> +01:00
        iso = re.sub(r"\.(\d{6})\d+", r".\1", iso)                # nanoseconds
        try:
            d = datetime.fromisoformat(iso)
            return d if d.tzinfo else d.replace(tzinfo=default_tz)
        except ValueError:
            pass
    # free text: pull a trailing zone abbreviation out ourselves (dateparser does not
    # know every one and mis-handles some), parse the rest with dateparser.
    tz = None
    offset = None
    m = re.search(r"\b(?:GMT|UTC)\s*([+\-])\s*(\d{1,2})(?::?(\d{2}))?\b", s)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        offset = timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
        s = (s[: m.start()] + " " + s[m.end():]).strip(" ,")
    else:
        for m in re.finditer(r"(?<![\w])([A-Z]{1,5})(?![\w])", s):
            if m.group(1) in TZ_ABBREVIATIONS and m.group(1) not in {"Z"}:
                tz = m.group(1)
                s = (s[: m.start()] + " " + s[m.end():]).strip(" ,(")
                break
    s = re.sub(r"\b(\d{1,2})\.(\d{2})(?=\s*(?:[ap]\.?m\b|$|,))", r"\1:\2", s, flags=re.I)  # "12.42" -> "12:42"
    s = re.sub(r"\b(a|p)\.\s?m\.", r"\1m", s, flags=re.I)          # "5:10 p.m." -> "5:10 pm"
    s = re.sub(r"\s+at\s+", " ", s, flags=re.I)
    d = _dateparser_parse(s)
    if d is None:
        return None
    if d.tzinfo is None:
        if offset is not None:
            d = d.replace(tzinfo=offset)
        elif tz:
            d = d.replace(tzinfo=tz_for_abbreviation(tz, d))
        else:
            d = d.replace(tzinfo=default_tz)
    return d


def _dateparser_parse(s: str) -> datetime | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        from dateutil import parser as du

        try:
            return du.parse(s, fuzzy=True)
        except (ValueError, OverflowError):
            return None
    return dateparser.parse(
        s,
        languages=["en"],
        settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                  "REQUIRE_PARTS": ["day", "month", "year"]},
    ) or dateparser.parse(s, settings={"REQUIRE_PARTS": ["month", "year"]})
