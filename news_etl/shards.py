"""Scale-out core: process one shard of the input into Parquet files, merge shards into DuckDB.

No dagster imports. A shard step never touches the DuckDB file, so any number of them
can run at once, on one machine or many (object storage in place of the local folder);
only :func:`merge_shards` writes to DuckDB, in one transaction per shard. Both steps are
idempotent: a shard rewrites its own Parquet files, and the merge replaces rows by key.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from news_etl import store
from news_etl.enrich import CHILD_TABLES, rows_for_doc
from news_etl.ingest import DEFAULT_MAX_BYTES, discover, read_source
from news_etl.pipeline import ENGLISH, _clean_chunk, _str, _timestamp, article_row, link_near_duplicates
from news_etl.schemas import validate

SHARD_TABLES = ("source_files", "raw_documents", "rejected_files", "articles", *CHILD_TABLES, "validation_failures")


def shard_of(source_path: str, n_shards: int) -> int:
    """Stable shard number of a file (by its path relative to the input folder)."""
    return int(hashlib.sha1(source_path.encode("utf-8")).hexdigest()[:8], 16) % n_shards


def shard_dir(staging: str | Path, shard: int) -> Path:
    return Path(staging) / f"shard={shard:03d}"


def process_shard(root: str | Path, shard: int, n_shards: int, staging: str | Path, nlp, model: str,
                  batch_size: int = 64, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, int]:
    """Ingest, clean, enrich and validate the files of one shard; write ``<table>/part-N.parquet``."""
    out = shard_dir(staging, shard)
    if out.exists():
        shutil.rmtree(out)  # idempotent: a re-run replaces the shard's output
    for stale in Path(staging).glob("shard=*"):  # shards of an earlier, larger split
        if stale.is_dir() and int(stale.name.split("=")[1]) >= n_shards:
            shutil.rmtree(stale, ignore_errors=True)
    out.mkdir(parents=True)
    counts = {t: 0 for t in SHARD_TABLES}
    files = [s for s in discover(root) if shard_of(s.source_path, n_shards) == shard]
    seen: set[str] = set()
    for part, start in enumerate(range(0, len(files), batch_size)):
        now = datetime.now(timezone.utc)
        rows: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
        raws = []
        for src in files[start:start + batch_size]:
            r = read_source(src, max_bytes=max_bytes)
            for j in ([r.rejection] if r.rejection else []) + r.record_rejections:
                rows["rejected_files"].append({"source_path": src.source_path, "content_hash": j.content_hash,
                                               "stage": j.stage, "reason": j.reason, "rejected_at": now})
            new = [d for d in r.documents if d.content_hash not in seen]
            seen.update(d.content_hash for d in new)
            status = "rejected" if r.rejection or not r.documents else ("ingested" if new else "duplicate")
            rows["source_files"].append({
                "source_path": src.source_path, "content_hash": r.content_hash, "size_bytes": src.size_bytes,
                "modified_at": src.mtime, "status": status,
                "article_id": r.documents[0].article_id if r.documents else None, "first_seen_at": now,
                "last_seen_at": now, "documents": len(r.documents), "records_skipped": r.records_skipped})
            for d in new:
                raw = {"article_id": d.article_id, "content_hash": d.content_hash, "source_path": d.source_path,
                       "source_record": d.source_record, "format": d.fmt, "encoding": d.encoding,
                       "size_bytes": d.size_bytes, "url": d.url, "content": d.content, "ingested_at": now,
                       "fetched_at": _timestamp(d.fetched_at)}
                rows["raw_documents"].append(raw)
                raws.append(raw)
        arts = []
        for meta, c, why in _clean_chunk(raws):
            if c is None:
                rows["rejected_files"].append({"source_path": meta["source_path"], "content_hash": meta["content_hash"],
                                               "stage": "clean", "reason": why, "rejected_at": now})
            else:
                arts.append(article_row(meta, c, now))
        v = validate("articles", store.frame("articles", arts))
        rows["validation_failures"].extend(v.failures.to_dict("records"))
        good = v.valid.to_dict("records")
        kept = {a["article_id"] for a in good}
        for a in arts:
            if a["article_id"] not in kept:
                rows["rejected_files"].append({"source_path": a["source_path"], "content_hash": a["content_hash"],
                                               "stage": "validate", "reason": "articles schema: see validation_failures",
                                               "rejected_at": now})
        english = [a for a in good if (_str(a["language"]) or "en") in ENGLISH]
        bodies = {a["article_id"]: a["body"] for a in good}
        status = {a["article_id"]: f"skipped: language {a['language']!r} is not English" for a in good
                  if a not in english}
        children: dict[str, list[dict]] = {t: [] for t in CHILD_TABLES}
        for a, doc in zip(english, nlp.pipe((a["body"] for a in english), batch_size=16)):
            pub = a["published_at"]
            pub = None if pub is None or pd.isna(pub) else pd.Timestamp(pub).to_pydatetime()
            try:
                for t, rs in rows_for_doc(a["article_id"], doc, pub).items():
                    children[t].extend(rs)
                status[a["article_id"]] = "done"
            except Exception as err:  # one article's extractor error must not stop the shard
                status[a["article_id"]] = f"failed: {type(err).__name__}: {err}"[:300]
        for a in good:
            a.update(enriched_at=now, nlp_model=model, enrichment_status=status[a["article_id"]])
        rows["articles"] = good
        frames = {t: store.frame(t, rows[t]) for t in ("source_files", "raw_documents", "rejected_files", "articles")}
        for t in CHILD_TABLES:
            df = store.frame(t, children[t], extra=["_body"])
            df["_body"] = df["article_id"].map(bodies)
            cv = validate(t, df)
            frames[t] = cv.valid
            rows["validation_failures"].extend(cv.failures.to_dict("records"))
        frames["validation_failures"] = store.frame("validation_failures", rows["validation_failures"])
        for t, df in frames.items():
            if len(df):
                (out / t).mkdir(exist_ok=True)
                df.to_parquet(out / t / f"part-{part:05d}.parquet", index=False)
                counts[t] += len(df)
    (out / "_SUCCESS").write_text(str(counts))
    return counts


def merge_shards(database: str | Path, staging: str | Path) -> dict[str, int]:
    """Load every finished shard's Parquet files into DuckDB; replace rows by key (idempotent)."""
    merged = {t: 0 for t in SHARD_TABLES}
    dirs = sorted(d for d in Path(staging).glob("shard=*") if (d / "_SUCCESS").exists())
    for d in dirs:
        frames = {t: (pd.concat([pd.read_parquet(p) for p in sorted((d / t).glob("*.parquet"))], ignore_index=True)
                      if (d / t).exists() else store.frame(t, [])) for t in SHARD_TABLES}
        arts = frames["articles"]
        with store.connection(database) as con:
            store.ensure_schema(con)
            known = store.known_hashes(con, list(frames["raw_documents"]["content_hash"]))
        raw = frames["raw_documents"][~frames["raw_documents"]["content_hash"].isin(known)]
        new_ids = set(raw["article_id"])
        arts = arts[arts["article_id"].isin(new_ids)].copy()
        if len(arts):
            rows = arts.to_dict("records")
            link_near_duplicates(database, rows)
            arts = store.frame("articles", rows)
        with store.connection(database) as con, store.transaction(con):
            con.register("_src", frames["source_files"])
            con.execute("DELETE FROM source_files WHERE source_path IN (SELECT source_path FROM _src)")
            con.execute("INSERT INTO source_files BY NAME SELECT * FROM _src")
            store._insert_frame(con, "raw_documents", raw)
            # The same bytes stored from another path (in another shard): this path is a duplicate.
            con.execute("""UPDATE source_files SET status = 'duplicate'
                           WHERE source_path IN (SELECT source_path FROM _src) AND status = 'ingested'
                             AND documents = 1 AND EXISTS (SELECT 1 FROM raw_documents r
                                 WHERE r.article_id = source_files.article_id
                                   AND r.source_path <> source_files.source_path)""")
            con.unregister("_src")
            store._replace_rejects(con, frames["rejected_files"])
            if len(arts):
                store._insert_frame(con, "articles", arts)
                for t in CHILD_TABLES:
                    child = frames[t][frames[t]["article_id"].isin(new_ids)]
                    store._insert_frame(con, t, child)
                    merged[t] += len(child)
            store._insert_frame(con, "validation_failures", frames["validation_failures"])
        merged["articles"] += len(arts)
        merged["raw_documents"] += len(raw)
        merged["source_files"] += len(frames["source_files"])
        (d / "_SUCCESS").rename(d / "_MERGED")  # a stale shard is never merged again
    return merged
