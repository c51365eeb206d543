"""Throughput against the NLP limit, no-op re-run, and peak memory at several corpus sizes.

    .venv/bin/python benchmarks/bench_throughput.py ../shared/eval --sizes 20,500,5000 --workers 2

For every size N (default: a 20-file run, ~500 and 5,000 documents):

1. builds a corpus of N real-looking pages from the eval HTML pages (every copy differs in
   its bytes, so exact deduplication does not skip any);
2. the LIMIT, in a fresh process: plain ``trafilatura.extract`` over the pages in a pool of W
   processes, plus ``nlp.pipe(n_process=W)`` over the extracted texts with the model's own
   pipes (``spacy.load`` of the configured model: no news components, no stand-ins); its
   Python start-up, imports and model load are printed but not counted;
3. news_etl END TO END through Dagster (``news-etl run --workers W``: ingestion, cleaning,
   enrichment, validation, DuckDB load, checks, report) in a fresh process, start-up included;
4. a NO-OP re-run on the same folder;
   (sizes up to ``--bracket-max``: the limit is measured again after ours, and the ratio is taken
   against the mean of the two, as a shared machine's speed drifts by 10-30 % within minutes)
and prints articles/s, words/s, the per-stage breakdown, peak RSS (the whole process tree,
sampled from /proc) and the ratio of end-to-end throughput to the limit, then a summary table
(one row per size: limit, ours, ratio, no-op share, peak RSS of ours and of the limit, and the
ratio against the whole limit process, start-up included, as ours is timed).
5. (``--increment``, default 20) that many NEW files into the same database: the fixed cost of a
   small run against a full database, beside the same-sized run into an empty one.
Goals of issue 16: ratio >= 1.0 at 500 and 5,000, >= 0.6 for 20 files, no-op <= 5 %, peak
memory flat across sizes, a small run's cost not growing with the database. Wall-clock figures: run on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(eval_dir: Path, n: int, out: Path, start: int = 0) -> list[Path]:
    pages = sorted((eval_dir / "article-extraction-benchmark" / "html").glob("*.html"))
    pages += sorted((eval_dir / "metadata" / "html").glob("*.html"))
    if not pages:
        raise SystemExit(f"no HTML pages under {eval_dir}")
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(start, start + n):
        src = pages[i % len(pages)]
        data = src.read_bytes()
        # Vary the bytes (a comment), so every copy is a distinct document.
        data = data.replace(b"</body>", f"<!-- news_etl bench copy {i} -->\n</body>".encode(), 1) \
            if b"</body>" in data else data + f"<!-- copy {i} -->".encode()
        p = out / f"{i // 500:03d}" / f"{i:06d}-{src.name}"
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(data)
        files.append(p)
    return files


class TreeRss:
    """Samples the summed RSS of a process and its descendants (from /proc) every 50 ms (the tree
    itself every 0.5 s), and their summed PSS (proportional set size: a page shared by n processes
    counts 1/n in each, so pages that forked workers share with their parent are counted once; RSS
    counts them in every process) every second when ``--pss`` asks for it (off by default): reading ``smaps_rollup`` walks a
    process's page tables under its memory-map lock; at 20 reads a second of four 1 GB processes the
    monitor took a third of a core from the run it measured, and even once a second it may slow the
    run, so timings come from runs without it."""

    pss = False  # set by --pss
    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_single, self.peak_pss = pid, 0, 0, 0
        self.peak_by_process: dict[int, int] = {}  # pid -> its own peak RSS
        self.roles: dict[int, str] = {}             # pid -> parent / fork server / worker / ...
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as fh:
                        ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(d))
                except (OSError, ValueError, IndexError):
                    pass
        out, todo = [], [(self.pid, 0)]
        while todo:
            p, depth = todo.pop()
            out.append(p)
            if p not in self.roles:
                self.roles[p] = self._role(p, depth)
            todo.extend((c, depth + 1) for c in children.get(p, []))
        return out

    @staticmethod
    def _role(pid: int, depth: int) -> str:
        """What a process of the tree is: the run itself, a helper it started, or a worker forked by
        the fork server (two levels down)."""
        if depth == 0:
            return "parent"
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmd = ""
        if depth >= 2:
            return "worker"
        return ("fork server" if "forkserver" in cmd else "resource tracker" if "resource_tracker" in cmd
                else "helper")

    def largest(self, n: int = 3) -> str:
        """The ``n`` processes with the highest peak RSS, with their roles."""
        top = sorted(self.peak_by_process.items(), key=lambda kv: -kv[1])[:n]
        return ", ".join(f"{self.roles.get(p, '?')} {rss / 2**20:.0f} MB" for p, rss in top)

    @staticmethod
    def _kib(path: str, field: str) -> int:
        """Bytes of a ``field:  N kB`` line of a /proc file (0 when the process is gone)."""
        try:
            with open(path) as fh:
                for line in fh:
                    if line.startswith(field):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _rss(self, pid: int) -> int:
        return self._kib(f"/proc/{pid}/status", "VmRSS:")

    def _pss(self, pid: int) -> int:
        return self._kib(f"/proc/{pid}/smaps_rollup", "Pss:")

    def _run(self):
        tick, tree = 0, []
        while not self._stop.is_set():
            if tick % 10 == 0:  # the tree every 0.5 s: listing /proc at 20 Hz cost ~8 % of a core
                tree = self._tree()
            rss = [self._rss(p) for p in tree]
            for p, r in zip(tree, rss):
                if r > self.peak_by_process.get(p, 0):
                    self.peak_by_process[p] = r
            self.peak = max(self.peak, sum(rss))
            self.peak_single = max(self.peak_single, max(rss, default=0))
            if self.pss and tick % 20 == 0:
                self.peak_pss = max(self.peak_pss, sum(self._pss(p) for p in tree))
            tick += 1
            time.sleep(0.05)

    def stop(self):
        self._stop.set()
        self._t.join()


def _extract(path: str) -> str:
    import trafilatura

    return trafilatura.extract(Path(path).read_text(encoding="utf-8", errors="replace")) or ""


LIMIT_CHILD = r"""
import time
t_start = time.perf_counter()
import json, sys, multiprocessing
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench_throughput import _extract
files = json.loads(Path(sys.argv[1]).read_text()); workers = int(sys.argv[2])
t = time.perf_counter()
with multiprocessing.get_context("forkserver").Pool(workers) as pool:
    texts = pool.map(_extract, files, chunksize=8)
t_clean = time.perf_counter() - t
t = time.perf_counter()
import spacy
from news_etl.nlp.model import model_name
nlp = spacy.load(model_name())
t_load = time.perf_counter() - t
t = time.perf_counter()
n = 0
for doc in nlp.pipe(texts, batch_size=16, n_process=workers):
    n += 1
t_nlp = time.perf_counter() - t
print(json.dumps({"trafilatura_s": t_clean, "nlp_s": t_nlp, "words": sum(len(x.split()) for x in texts), "docs": n,
                  "load_s": t_load, "child_s": time.perf_counter() - t_start}))
"""


def run_limit(files: list[Path], workers: int, work: Path) -> dict:
    lst = work / "files.json"
    lst.write_text(json.dumps([str(f) for f in files]))
    p = subprocess.Popen([sys.executable, "-c", LIMIT_CHILD, str(lst), str(workers), str(Path(__file__).parent)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t = time.perf_counter()
    mon = TreeRss(p.pid)
    out, err = p.communicate()
    mon.stop()
    process_s = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"limit run failed:\n{err[-3000:]}")
    res = json.loads(out.strip().splitlines()[-1])
    res["peak_rss_mb"] = mon.peak / 2**20
    res["peak_pss_mb"] = mon.peak_pss / 2**20
    res["process_s"] = process_s  # the whole limit process, start-up included (as ours is measured)
    return res


def run_e2e(inbox: Path, database: Path, workers: int) -> dict:
    env = dict(os.environ)
    env.pop("DAGSTER_HOME", None)
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "news_etl.cli", "run", "--input", str(inbox), "--database",
                          str(database), "--workers", str(workers)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mon = TreeRss(p.pid)
    out, _ = p.communicate()
    mon.stop()
    secs = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"end-to-end run failed:\n{out[-3000:]}")
    stages = dict((k, float(v)) for k, v in re.findall(r"(\w+) ([0-9.]+)", (re.search(r"stage seconds:\s+(.*)", out)
                                                                              or [None, ""])[1]))
    return {"seconds": secs, "peak_rss_mb": mon.peak / 2**20, "peak_single_mb": mon.peak_single / 2**20,
            "largest": mon.largest(),
            "peak_pss_mb": mon.peak_pss / 2**20,
            "stages": stages, "output": out}


def print_summary(results: list[dict], workers: int) -> None:
    """One row per corpus size: the limit, ours, their ratio, the no-op share and peak memory."""
    print(f"\n== summary ({workers} worker processes; wall-clock seconds) ==")
    print(f"{'files':>6s} {'limit s':>8s} {'ours s':>8s} {'ratio':>6s} {'no-op s':>8s} {'no-op %':>8s} "
          f"{'ours files/s':>12s} {'peak MB ours':>12s} {'peak MB limit':>13s} {'PSS MB ours':>11s} {'PSS MB limit':>12s} "
          f"{'ratio vs limit process':>22s}")
    for r in results:
        print(f"{r['n']:>6d} {r['limit_s']:>8.1f} {r['e2e_s']:>8.1f} {r['ratio']:>6.2f} {r['noop_s']:>8.1f} "
              f"{100 * r['noop_s'] / r['e2e_s']:>8.1f} {r['n'] / r['e2e_s']:>12.1f} {r['peak_rss_mb']:>12.0f} "
              f"{r['limit']['peak_rss_mb']:>13.0f} {r.get('peak_pss_mb', 0):>11.0f} {r['limit'].get('peak_pss_mb', 0):>12.0f} "
              f"{r['ratio_process']:>22.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--sizes", default="20,500,5000", help="comma-separated corpus sizes (e.g. 20,500,5000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json-out", type=Path, default=None)
    ap.add_argument("--pss", action="store_true",
                    help="also sample the process trees' PSS once a second (for memory; it can slow the runs)")
    ap.add_argument("--bracket-max", type=int, default=1000,
                    help="sizes up to this also measure the limit after ours (ratio against the mean of both)")
    ap.add_argument("--increment", type=int, default=20,
                    help="after each larger size, run this many new files into its database (0: skip)")
    args = ap.parse_args()
    TreeRss.pss = args.pss
    work = args.workdir or Path(tempfile.mkdtemp(prefix="news_etl_bench_"))
    results = []
    for n in [int(x) for x in args.sizes.split(",")]:
        inbox = work / f"corpus-{n}"
        files = build_corpus(args.eval_dir, n, inbox)
        print(f"\n== {n} pages in {inbox} ({sum(f.stat().st_size for f in files) / 2**20:.0f} MB), "
              f"{args.workers} worker processes ==", flush=True)
        lim = run_limit(files, args.workers, work)
        limit_s = lim["trafilatura_s"] + lim["nlp_s"]
        print(f"limit:      trafilatura {lim['trafilatura_s']:.1f}s + nlp.pipe {lim['nlp_s']:.1f}s = {limit_s:.1f}s "
              f"-> {n / limit_s:.1f} articles/s, {lim['words'] / limit_s:,.0f} words/s "
              f"(peak RSS {lim['peak_rss_mb']:.0f} MB, PSS {lim['peak_pss_mb']:.0f} MB; not counted: Python start-up, imports and model load, "
              f"{lim['child_s'] - limit_s:.1f}s in all, of which spacy.load {lim['load_s']:.1f}s)", flush=True)
        db = work / f"news-{n}.duckdb"
        for f in (db, Path(str(db) + ".wal")):
            f.unlink(missing_ok=True)
        e2e = run_e2e(inbox, db, args.workers)
        import duckdb
        con = duckdb.connect(str(db), read_only=True)
        arts, words = con.execute("SELECT count(*), sum(word_count) FROM articles").fetchall()[0]
        rejects = con.execute("SELECT count(*) FROM rejected_files").fetchall()[0][0]
        con.close()
        ratio = (n / e2e["seconds"]) / (n / limit_s)
        print(f"end to end: {e2e['seconds']:.1f}s -> {n / e2e['seconds']:.1f} files/s, {words / e2e['seconds']:,.0f} "
              f"words/s ({arts} articles, {rejects} rejects); stages {e2e['stages']}; "
              f"peak RSS {e2e['peak_rss_mb']:.0f} MB (largest process {e2e['peak_single_mb']:.0f} MB; PSS {e2e['peak_pss_mb']:.0f} MB; "
              f"largest processes: {e2e['largest']})")
        if n <= args.bracket_max:
            # A shared machine's speed drifts: the limit again after ours, and the ratio against their mean.
            again = run_limit(files, args.workers, work)
            again_s = again["trafilatura_s"] + again["nlp_s"]
            print(f"limit again: {again_s:.1f}s (before: {limit_s:.1f}s); the ratio uses their mean", flush=True)
            lim["before_s"], lim["after_s"] = limit_s, again_s
            lim["process_s"] = (lim["process_s"] + again["process_s"]) / 2
            limit_s = (limit_s + again_s) / 2
            ratio = (n / e2e["seconds"]) / (n / limit_s)
        ratio_process = lim["process_s"] / e2e["seconds"]
        print(f"ratio end-to-end / limit throughput: {ratio:.2f} (against the whole limit process, start-up "
              f"included, {lim['process_s']:.1f}s: {ratio_process:.2f})", flush=True)
        noop = run_e2e(inbox, db, args.workers)
        print(f"no-op re-run: {noop['seconds']:.1f}s = {100 * noop['seconds'] / e2e['seconds']:.1f}% of the full run "
              f"(stages {noop['stages']})", flush=True)
        results.append({"n": n, "workers": args.workers, "limit": lim, "limit_s": limit_s,
                        "e2e_s": e2e["seconds"], "e2e_stages": e2e["stages"], "articles": arts, "words": words,
                        "peak_rss_mb": e2e["peak_rss_mb"], "peak_pss_mb": e2e["peak_pss_mb"], "largest": e2e["largest"], "ratio": ratio, "ratio_process": ratio_process,
                        "noop_s": noop["seconds"]})
        if args.increment and n > args.increment:
            # The fixed cost against the database's size: a small batch of new files into this
            # database, beside the same-sized run into an empty one (the smallest size above).
            build_corpus(args.eval_dir, args.increment, inbox, start=n)
            inc = run_e2e(inbox, db, args.workers)
            results[-1]["increment_s"] = inc["seconds"]
            print(f"{args.increment} new files into this database of {arts} articles: {inc['seconds']:.1f}s "
                  f"(stages {inc['stages']}; peak RSS {inc['peak_rss_mb']:.0f} MB; largest processes: {inc['largest']})", flush=True)
    print_summary(results, args.workers)
    small = next((r for r in results if r["n"] == args.increment), None)
    for r in results:
        if "increment_s" in r:
            print(f"{args.increment} new files into {r['articles']} stored articles: {r['increment_s']:.1f}s"
                  + (f" (into an empty database: {small['e2e_s']:.1f}s)" if small else ""))
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
