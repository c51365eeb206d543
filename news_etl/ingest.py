"""Ingestion core: find input files, read them safely, decode them, identify them by content.

No dagster imports. Nothing here raises for a bad file: every file becomes either
one or more :class:`RawDocument` or a :class:`Rejection` with a stage and a reason.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

#: File endings ingested (lower case). Anything else under the input folder is
#: recorded as rejected ("unsupported file type"), so no file goes unaccounted.
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES

#: Files larger than this are rejected with a clear reason instead of being read.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Files and folders that are never input (editor droppings, OS metadata).
_IGNORED_NAMES = re.compile(r"^(\.DS_Store|Thumbs\.db|desktop\.ini|\..*\.sw[a-p]|.*~)$")

STAGE_INGEST = "ingest"


@dataclass(frozen=True)
class SourceFile:
    """A file found under the input folder."""

    path: Path
    source_path: str  # relative to the input folder, POSIX separators
    size_bytes: int
    mtime: datetime


@dataclass
class RawDocument:
    """One decoded input document, identified by the hash of its bytes."""

    content_hash: str
    source_path: str
    fmt: str  # "html" | "text"
    content: str
    size_bytes: int
    encoding: str
    source_record: str | None = None  # locator inside a multi-record file (later formats)
    url: str | None = None

    @property
    def article_id(self) -> str:
        return article_id_for(self.content_hash)


@dataclass
class Rejection:
    source_path: str
    stage: str
    reason: str
    content_hash: str | None = None


@dataclass
class ReadResult:
    source: SourceFile
    documents: list[RawDocument] = field(default_factory=list)
    rejection: Rejection | None = None
    content_hash: str | None = None


def article_id_for(content_hash: str) -> str:
    """Articles are identified by the first 16 hex digits of the SHA-256 of their bytes."""
    return content_hash[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def discover(root: str | os.PathLike) -> Iterator[SourceFile]:
    """Every regular file below ``root`` (recursively, sorted, symlinks to files followed once).

    Hidden files and editor droppings are skipped. Broken symlinks and unreadable
    entries are still yielded, so they can be rejected with a reason.
    """
    root = Path(root)
    if root.is_file():
        yield _source(root, root.parent)
        return
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
            key = (st.st_dev, st.st_ino)
        except OSError:
            continue
        if key in seen_dirs:  # symlink loop
            dirnames[:] = []
            continue
        seen_dirs.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or _IGNORED_NAMES.match(name):
                continue
            yield _source(Path(dirpath) / name, root)


def _source(path: Path, root: Path) -> SourceFile:
    rel = path.relative_to(root).as_posix()
    try:
        st = path.stat()
        size, mtime = st.st_size, datetime.fromtimestamp(st.st_mtime, tz=timezone.utc)
    except OSError:
        size, mtime = -1, datetime.fromtimestamp(0, tz=timezone.utc)
    return SourceFile(path=path, source_path=rel, size_bytes=size, mtime=mtime)


def format_for(name: str) -> str | None:
    low = name.lower()
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def read_source(src: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read, check and decode one file. Never raises."""
    res = ReadResult(source=src)

    def reject(reason: str) -> ReadResult:
        res.rejection = Rejection(src.source_path, STAGE_INGEST, reason, res.content_hash)
        return res

    fmt = format_for(src.path.name)
    if fmt is None:
        return reject(f"unsupported file type {src.path.suffix or '(no extension)'!r}; "
                      f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if src.size_bytes < 0 or not src.path.exists():
        return reject("file cannot be read: it vanished or is a broken symlink")
    if src.size_bytes > max_bytes:
        return reject(f"file is {src.size_bytes:,} bytes, over the {max_bytes:,}-byte limit")
    try:
        with open(src.path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        return reject(f"file cannot be read: {err.strerror or err}")
    if len(data) > max_bytes:
        return reject(f"file grew past the {max_bytes:,}-byte limit while being read")
    res.content_hash = sha256(data)
    if not data.strip():
        return reject("empty file (no bytes or only white space)")
    text, encoding, problem = decode_bytes(data, fmt)
    if problem:
        return reject(problem)
    res.documents.append(RawDocument(
        content_hash=res.content_hash, source_path=src.source_path, fmt=fmt, content=text,
        size_bytes=len(data), encoding=encoding,
    ))
    return res


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def decode_bytes(data: bytes, fmt: str) -> tuple[str, str, str | None]:
    """Decode bytes to text: BOM, then UTF-8, then a declared HTML charset, then Windows-1252.

    Returns ``(text, encoding, problem)``; ``problem`` is a reason to reject (binary data).
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, None
            except UnicodeDecodeError:
                return "", enc, f"invalid {enc} despite its byte-order mark"
    if b"\x00" in data[:65536]:
        return "", "", "binary content: NUL bytes in a text or HTML file"
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = enc = None  # type: ignore[assignment]
        if fmt == "html":
            m = _META_CHARSET.search(data[:4096])
            if m:
                declared = m.group(1).decode("ascii", "ignore").lower()
                try:
                    text, enc = data.decode(declared), declared
                except (LookupError, UnicodeDecodeError):
                    text = None
        if text is None:
            text, enc = data.decode("cp1252", errors="replace"), "cp1252"
    # Mostly control characters means it is not text at all.
    sample = text[:20000]
    if sample:
        ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
        bad = sample.count("\ufffd")
        if (ctrl + bad) / len(sample) > 0.05:
            return "", enc, "binary content: too many control or undecodable characters for text"
    return text, enc, None
