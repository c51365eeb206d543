"""What a stage reports back (counts, timings, failures, a preview) and how it says progress."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import pandas as pd

from news_etl.warehouse.validate import empty_failures

Progress = Callable[[str], None]

_log = logging.getLogger("news_etl.progress")


@dataclass
class StageReport:
    stage: str
    seen: int = 0            # items looked at (files, raw documents, articles)
    processed: int = 0       # items that needed work
    written: Counter = field(default_factory=Counter)   # table -> rows written
    rejected: int = 0
    skipped: int = 0
    failures: pd.DataFrame = field(default_factory=empty_failures)
    preview: pd.DataFrame | None = None
    seconds: float = 0.0
    timings: Counter = field(default_factory=Counter)    # sub-step -> seconds
    notes: list[str] = field(default_factory=list)

    def add_failures(self, df: pd.DataFrame) -> None:
        if len(df):
            self.failures = pd.concat([self.failures, df], ignore_index=True) if len(self.failures) else df

    def add_preview(self, df: pd.DataFrame, n: int = 5) -> None:
        if self.preview is None or len(self.preview) < n:
            self.preview = df.head(n) if self.preview is None else pd.concat([self.preview, df]).head(n)


def now() -> datetime:
    return datetime.now(timezone.utc)


def say(progress: Progress | None, msg: str) -> None:
    """Progress goes to the ``news_etl.progress`` logger (the CLI shows it) and to ``progress``."""
    _log.info(msg)
    if progress:
        progress(msg)


def text_or_none(v) -> str | None:
    """A string column value from a DataFrame row, with pandas' missing markers as None."""
    return v if isinstance(v, str) else None
