"""Peak memory on hostile input: a 1 GB decompression bomb and 50 MB pages.

    .venv/bin/python benchmarks/bench_bad_input.py [--workdir DIR]

Each case runs the real pipeline core (ingest + clean, and enrich where an article
results) in a fresh child process; the figure is that process's peak RSS (ru_maxrss),
next to the baseline of the same process on the seed alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from news_etl import stages
from news_etl.warehouse import store
from news_etl.nlp.pipeline import load_nlp
inbox, db = sys.argv[1], sys.argv[2]
t = time.perf_counter()
stages.ingest_folder(db, inbox)
stages.clean_pending(db)
stages.enrich_pending(db, load_nlp())
with store.connection(db, read_only=True) as con:
    rejects = con.execute("SELECT source_path, stage, reason FROM rejected_files").fetchall()
    arts = con.execute("SELECT source_path, word_count FROM articles").fetchall()
print(json.dumps({"seconds": round(time.perf_counter() - t, 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "rejects": rejects, "articles": arts}))
"""


def write_bomb(path: Path, gigabytes: float) -> None:
    chunk = b"\0" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(int(gigabytes * 1024)):
            fh.write(chunk)


def big_text_page(mb: int) -> str:
    para = ("<p>Officials said the storm damaged hundreds of homes along the coast on Tuesday, and crews worked "
            "through the night to restore power to thousands of residents in the region.</p>\n")
    n = mb * 1024 * 1024 // len(para)
    return "<html><head><title>Huge page</title></head><body><article>" + para * n + "</article></body></html>"


def big_script_page(mb: int) -> str:
    blob = "<script>window.__DATA__=" + json.dumps(["x" * 1000] * (mb * 1024)) + ";</script>"
    body = "".join(f"<p>Paragraph {i}: the council voted on Monday to extend the program for two more years, "
                   f"the mayor said in a statement.</p>" for i in range(12))
    return f"<html><head><title>Script-heavy page</title>{blob}</head><body><article>{body}</article></body></html>"


def run_case(name: str, files: dict[str, bytes | Path], work: Path) -> dict:
    inbox = work / name / "in"
    inbox.mkdir(parents=True)
    for fname, data in files.items():
        if isinstance(data, Path):
            shutil.move(str(data), inbox / fname)
        else:
            (inbox / fname).write_bytes(data)
    out = subprocess.run([sys.executable, "-c", CHILD, str(inbox), str(work / name / "news.duckdb")],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        return {"case": name, "error": out.stderr[-2000:]}
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["case"] = name
    res["input_mb"] = round(sum(p.stat().st_size for p in inbox.iterdir()) / 2**20, 1)
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--bomb-gb", type=float, default=1.0)
    ap.add_argument("--page-mb", type=int, default=50)
    args = ap.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="news_etl_bad_"))
    seed = (ROOT / "seeds" / "000_210ea27e4310d9e6.txt").read_bytes()
    bomb = work / "bomb.html.gz"
    write_bomb(bomb, args.bomb_gb)
    cases = [
        ("baseline: the seed", {"seed.txt": seed}),
        (f"{args.bomb_gb:g} GB decompression bomb ({bomb.stat().st_size / 2**20:.1f} MB gzip)",
         {"seed.txt": seed, "bomb.html.gz": bomb}),
        (f"{args.page_mb} MB page of text paragraphs", {"seed.txt": seed, "huge.html": big_text_page(args.page_mb).encode()}),
        (f"{args.page_mb} MB page, mostly inline script", {"seed.txt": seed,
                                                            "scripty.html": big_script_page(args.page_mb).encode()}),
    ]
    print(f"{'case':<48} {'input MB':>9} {'peak RSS MB':>12} {'seconds':>8}  outcome")
    for i, (name, files) in enumerate(cases):
        r = run_case(f"case{i}", files, work)
        if "error" in r:
            print(f"{name:<48} ERROR {r['error']}")
            continue
        outcome = "; ".join(f"{p}: rejected at {s}: {why[:70]}" for p, s, why in r["rejects"]) or "no rejects"
        arts = ", ".join(f"{p} ({w} words)" for p, w in r["articles"])
        print(f"{name:<48} {r['input_mb']:>9} {r['peak_rss_mb']:>12} {r['seconds']:>8}  articles: {arts}; {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
