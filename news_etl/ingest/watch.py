"""What is new in the inbox, with the database as the memory (no dagster imports).

The inbox sensor calls :func:`scan_inbox` on every tick. A file is *new* when the store has no
record of its path with the same size and modification time (so files moved or copied in with
old modification times are found), it has been unchanged for the settle time (so half-written
files wait), and its bytes are not stored already (a touched or copied file requests nothing).
The only state kept between ticks is a bounded set of short digests of files already found to be
stored by content, so the sensor's cursor stays small whatever the inbox holds.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from news_etl.ingest.reader import DEFAULT_MAX_BYTES, walk_files
from news_etl.warehouse.store import Store

#: Digests of files found stored by content that the cursor keeps (about 16 bytes each).
MAX_REMEMBERED = 2000


@dataclass
class InboxScan:
    new: list[str] = field(default_factory=list)            # paths to ingest
    hashes: dict[str, str | None] = field(default_factory=dict)
    waiting: int = 0                                        # changed too recently: next tick
    already_stored: int = 0                                 # changed, but the bytes are stored
    remembered: list[str] = field(default_factory=list)     # digests to keep for the next tick
    files: int = 0


def content_hash(path: Path, limit: int = DEFAULT_MAX_BYTES) -> str | None:
    """SHA-256 of a file, read in chunks; None for files over the limit or unreadable (treated as new)."""
    h = hashlib.sha256()
    try:
        if path.stat().st_size > limit:
            return None
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def digest(path: str, size: int, mtime_ms: int) -> str:
    return hashlib.blake2b(f"{path}\0{size}\0{mtime_ms}".encode(), digest_size=8).hexdigest()


def scan_inbox(root: str | Path, store: Store, settle_seconds: float, remembered: list[str] = (),
               now: float | None = None) -> InboxScan:
    """The inbox's new files against the store (see the module docstring)."""
    now = time.time() if now is None else now
    listing = pd.DataFrame([(rel, size, mtime_ns // 1_000_000) for _, rel, size, mtime_ns in walk_files(root)],
                           columns=["source_path", "size_bytes", "mtime_ms"])
    scan = InboxScan(files=len(listing))
    settled = listing[listing["mtime_ms"] <= (now - settle_seconds) * 1000]
    scan.waiting = len(listing) - len(settled)
    changed = store.unseen_files(settled) if store.exists() else settled
    keep = set(remembered)
    mask = pd.Series([digest(p, s, m) not in keep for p, s, m in changed.itertuples(index=False)],
                     index=changed.index, dtype=bool)
    changed = changed[mask]
    root = Path(root)
    scan.hashes = {p: content_hash(root / p) for p in changed["source_path"]}
    stored = store.known_content([h for h in scan.hashes.values() if h]) if store.exists() else set()
    fresh = []
    for p, s, m in changed.itertuples(index=False):
        if scan.hashes[p] is not None and scan.hashes[p] in stored:
            scan.already_stored += 1
            fresh.append(digest(p, s, m))
        else:
            scan.new.append(p)
    scan.remembered = (list(remembered) + fresh)[-MAX_REMEMBERED:]
    return scan
