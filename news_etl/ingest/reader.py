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
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc",)
SUPPORTED_SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES
#: Any supported file may also be gzip-compressed (``page.html.gz``, ``crawl.warc.gz``).
GZIP_SUFFIX = ".gz"

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
    fmt: str  # "html" | "text" | "record" (a JSON object with url/html/text/title/date/authors)
    content: str
    size_bytes: int
    encoding: str
    source_record: str | None = None  # locator inside a multi-record file ("line 12", "record 3")
    url: str | None = None
    fetched_at: str | None = None     # WARC-Date of a crawled response

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
    rejection: Rejection | None = None      # the whole file was rejected
    content_hash: str | None = None
    record_rejections: list[Rejection] = field(default_factory=list)  # single records of a multi-record file
    records_skipped: int = 0                 # WARC records that are not HTML 200 responses


def article_id_for(content_hash: str) -> str:
    """Articles are identified by the first 16 hex digits of the SHA-256 of their bytes."""
    return content_hash[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def walk_files(root: str | os.PathLike) -> Iterator[tuple[str, str, int, int]]:
    """(path, path relative to ``root``, size, mtime in ns) of every file below ``root``:
    recursively, sorted, symlinks to folders followed once (loops cut), hidden files and editor
    droppings skipped. Broken symlinks and unreadable entries come with size -1 and an unreadable
    folder as ``<folder>/`` with size -1, so they can be rejected with a reason. Plain strings
    and ``os.scandir``: a 100,000-file inbox is listed in about a second."""
    root = os.fspath(root)
    if os.path.isfile(root):
        yield (root, os.path.basename(root), *_size_mtime(root))
        return
    seen_dirs: set[tuple[int, int]] = set()
    stack = [(root, "")]
    while stack:
        folder, rel = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen_dirs:  # symlink loop
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            if rel:
                yield folder, rel, -1, 0
            continue
        subdirs = []
        for e in entries:
            if e.name.startswith(".") or _IGNORED_NAMES.match(e.name):
                continue
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append((e.path, f"{rel}{e.name}/"))
                continue
            yield (e.path, rel + e.name, *_size_mtime(e.path))
        stack.extend(reversed(subdirs))  # depth first, in sorted order


def _size_mtime(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return -1, 0


def discover(root: str | os.PathLike) -> Iterator[SourceFile]:
    """Every regular file below ``root`` as a :class:`SourceFile` (see :func:`walk_files`)."""
    for path, rel, size, mtime_ns in walk_files(root):
        yield SourceFile(path=Path(path), source_path=rel, size_bytes=size,
                         mtime=datetime.fromtimestamp(mtime_ns / 1e9, tz=timezone.utc))


def format_for(name: str) -> str | None:
    """The format a file name declares: html, text, json, jsonl or warc (a ``.gz`` ending is looked through)."""
    low = name.lower()
    if low.endswith(GZIP_SUFFIX):
        low = low[: -len(GZIP_SUFFIX)]
    for suffixes, fmt in ((HTML_SUFFIXES, "html"), (TEXT_SUFFIXES, "text"), (JSON_SUFFIXES, "json"),
                          (JSONL_SUFFIXES, "jsonl"), (WARC_SUFFIXES, "warc")):
        if low.endswith(suffixes):
            return fmt
    return None


def is_gzip_name(name: str) -> bool:
    return name.lower().endswith(GZIP_SUFFIX)


def read_source(src: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read, check and decode one file into documents. Never raises.

    ``max_bytes`` bounds the bytes read from disk and, for compressed files, the bytes
    after decompression (a decompression bomb is rejected, never inflated in memory).
    """
    res = ReadResult(source=src)

    def reject(reason: str) -> ReadResult:
        res.rejection = Rejection(src.source_path, STAGE_INGEST, reason, res.content_hash)
        res.documents = []
        return res

    try:
        if src.source_path.endswith("/"):
            return reject("folder cannot be listed (permission denied or vanished): its files are not read")
        fmt = format_for(src.path.name)
        if fmt is None:
            return reject(f"unsupported file type {src.path.suffix or '(no extension)'!r}; supported: "
                          f"{', '.join(SUPPORTED_SUFFIXES)} (and the same with .gz)")
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
        if fmt == "warc":
            return _read_warc(res, data, max_bytes)
        if is_gzip_name(src.path.name):
            data, problem = gunzip_bounded(data, max_bytes)
            if problem:
                return reject(problem)
            if not data.strip():
                return reject("empty file after decompression")
        if fmt in ("json", "jsonl"):
            return _read_records(res, data, fmt)
        text, encoding, problem = decode_bytes(data, fmt)
        if problem:
            return reject(problem)
        res.documents.append(RawDocument(
            content_hash=res.content_hash, source_path=src.source_path, fmt=fmt, content=text,
            size_bytes=len(data), encoding=encoding,
        ))
        return res
    except MemoryError:
        return reject("file too large to process in memory")
    except Exception as err:  # the per-file boundary: a reader bug must not stop the run
        return reject(f"reader failed: {type(err).__name__}: {err}"[:500])


def gunzip_bounded(data: bytes, max_bytes: int) -> tuple[bytes, str | None]:
    """Decompress gzip data, refusing to produce more than ``max_bytes`` (decompression bombs)."""
    import zlib

    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    view = memoryview(data)
    pos = 0
    try:
        while pos < len(view) or d.unconsumed_tail:
            chunk = d.unconsumed_tail or view[pos:pos + 65536]
            if not d.unconsumed_tail:
                pos += len(chunk)
            out += d.decompress(chunk, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                return b"", (f"decompressed size exceeds the {max_bytes:,}-byte limit "
                             f"(compressed {len(data):,} bytes: a possible decompression bomb)")
            if d.eof:
                break
    except zlib.error as err:
        return b"", f"invalid gzip data: {err}"
    if not d.eof:
        return b"", "truncated gzip file: the compressed stream ends early"
    return bytes(out), None


# --------------------------------------------------------------------------------------
# JSON / JSON Lines records of scraped articles
# --------------------------------------------------------------------------------------

#: Keys understood in a scraped-article record (first match wins).
RECORD_KEYS = {
    "url": ("url", "link", "href", "source_url"),
    "html": ("html", "raw_html", "page", "content_html"),
    "text": ("text", "content", "body", "maintext", "article", "plain_text"),
    "title": ("title", "headline"),
    "date": ("date", "published", "published_at", "date_publish", "publish_date", "pubdate", "datetime"),
    "authors": ("authors", "author", "byline"),
    "publisher": ("publisher", "source", "site_name", "sitename", "source_domain"),
    "language": ("language", "lang"),
}


def _records_from_json(data: bytes, fmt: str) -> tuple[list[tuple[str, object]], list[tuple[str, str]]]:
    """(locator, parsed object) per record, and (locator, reason) per record that is not JSON."""
    import json

    text, _, problem = decode_bytes(data, "text")
    if problem:
        return [], [("file", problem)]
    out, bad = [], []
    if fmt == "json":
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as err:
            return [], [("file", f"invalid JSON: {err}")]
        if isinstance(obj, dict) and not any(k in obj for keys in RECORD_KEYS.values() for k in keys):
            # A wrapper such as {"articles": [...]}
            lists = [v for v in obj.values() if isinstance(v, list)]
            if len(lists) == 1:
                obj = lists[0]
        items = obj if isinstance(obj, list) else [obj]
        out = [(f"record {i}", o) for i, o in enumerate(items)]
    else:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append((f"line {i}", json.loads(line)))
            except (ValueError, RecursionError) as err:
                bad.append((f"line {i}", f"invalid JSON: {err}"[:300]))
    return out, bad


def normalise_record(obj: object) -> tuple[dict | None, str | None]:
    """A scraped-article record in our keys, or a reason it cannot be one."""
    if not isinstance(obj, dict):
        return None, f"record is a JSON {type(obj).__name__}, not an object"
    rec: dict = {}
    for key, names in RECORD_KEYS.items():
        for n in names:
            if n in obj and obj[n] not in (None, "", []):
                rec[key] = obj[n]
                break
    for key in ("url", "html", "text", "title", "publisher", "language"):
        if key in rec and not isinstance(rec[key], str):
            return None, f"field {key!r} should be a string, got {type(rec[key]).__name__}"
    if "date" in rec and not isinstance(rec["date"], (str, int, float)):
        return None, f"field 'date' should be a string or a timestamp, got {type(rec['date']).__name__}"
    if "authors" in rec:
        a = rec["authors"]
        if isinstance(a, str):
            rec["authors"] = [a]
        elif isinstance(a, list) and all(isinstance(x, str) for x in a):
            rec["authors"] = [x for x in a if x.strip()]
        else:
            return None, "field 'authors' should be a string or a list of strings"
    if not (rec.get("html", "").strip() or rec.get("text", "").strip()):
        return None, "record has no 'html' and no 'text'/'content' field with text"
    return rec, None


def _read_records(res: ReadResult, data: bytes, fmt: str) -> ReadResult:
    import json

    src = res.source
    records, bad = _records_from_json(data, fmt)
    if bad and bad[0][0] == "file":
        res.rejection = Rejection(src.source_path, STAGE_INGEST, bad[0][1], res.content_hash)
        return res
    for loc, reason in bad:
        res.record_rejections.append(Rejection(src.source_path, STAGE_INGEST, f"{loc}: {reason}",
                                               sha256(f"{res.content_hash}:{loc}".encode())))
    for loc, obj in records:
        rec, reason = normalise_record(obj)
        if rec is None:
            res.record_rejections.append(Rejection(src.source_path, STAGE_INGEST, f"{loc}: {reason}",
                                                   sha256(f"{res.content_hash}:{loc}".encode())))
            continue
        payload = json.dumps(rec, sort_keys=True, ensure_ascii=False)
        raw = payload.encode("utf-8")
        res.documents.append(RawDocument(content_hash=sha256(raw), source_path=src.source_path, fmt="record",
                                         content=payload, size_bytes=len(raw), encoding="utf-8",
                                         source_record=loc, url=rec.get("url")))
    if not res.documents and not res.record_rejections:
        res.rejection = Rejection(src.source_path, STAGE_INGEST, "no records in the file", res.content_hash)
    return res


# --------------------------------------------------------------------------------------
# WARC / WARC.gz (Common Crawl News): every HTML 200 response is an article
# --------------------------------------------------------------------------------------

def _read_warc(res: ReadResult, data: bytes, max_bytes: int) -> ReadResult:
    import io

    from warcio.archiveiterator import ArchiveIterator

    src = res.source
    n = 0
    try:
        for n, record in enumerate(ArchiveIterator(io.BytesIO(data), arc2warc=True), start=1):
            loc = f"record {n}"
            if record.rec_type != "response":
                res.records_skipped += 1
                continue
            status = record.http_headers.get_statuscode() if record.http_headers else None
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if status != "200" or "html" not in ctype.lower():
                res.records_skipped += 1
                continue
            stream = record.content_stream()
            body = stream.read(max_bytes + 1)
            if len(body) > max_bytes:
                res.record_rejections.append(Rejection(src.source_path, STAGE_INGEST,
                                                       f"{loc}: response body over the {max_bytes:,}-byte limit",
                                                       sha256(f"{res.content_hash}:{loc}".encode())))
                continue
            h = sha256(body)
            text, encoding, problem = decode_bytes(body, "html")
            if problem or not text.strip():
                res.record_rejections.append(Rejection(src.source_path, STAGE_INGEST,
                                                       f"{loc}: {problem or 'empty response body'}", h))
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            res.documents.append(RawDocument(content_hash=h, source_path=src.source_path, fmt="html", content=text,
                                             size_bytes=len(body), encoding=encoding, source_record=loc, url=url,
                                             fetched_at=record.rec_headers.get_header("WARC-Date")))
    except Exception as err:  # warcio raises many types on corrupt input (ArchiveLoadFailed, ValueError, ...)
        reason = f"corrupt WARC after {n} record(s): {type(err).__name__}: {err}"[:500]
        if res.documents or res.records_skipped:
            res.record_rejections.append(Rejection(src.source_path, STAGE_INGEST, reason,
                                                   sha256(f"{res.content_hash}:corrupt".encode())))
        else:
            res.rejection = Rejection(src.source_path, STAGE_INGEST, reason, res.content_hash)
        return res
    if not res.documents and not res.record_rejections:
        res.rejection = Rejection(src.source_path, STAGE_INGEST,
                                  f"no HTML 200 responses in the WARC ({res.records_skipped} other records skipped)",
                                  res.content_hash)
    return res


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


#: Control characters other than tab (9), newline (10), form feed (12) and carriage return (13).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


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
        ctrl = len(_CONTROL_CHARS.findall(sample))
        bad = sample.count("\ufffd")
        if (ctrl + bad) / len(sample) > 0.05:
            return "", enc, "binary content: too many control or undecodable characters for text"
    return text, enc, None
