"""scaleout_job (shards under Dagster's multiprocess executor, merged into DuckDB) with 1 and 2 worker processes.

    .venv/bin/python benchmarks/bench_scaleout.py ../shared/eval --n 400 --shards 4

Builds the same kind of corpus as bench_throughput.py, then runs ``scaleout_job`` twice on it
(max_concurrent 1, then 2; fresh database and staging folder each time) and prints the
seconds, articles/s and the speed-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_throughput import build_corpus  # noqa: E402


def scaleout_job():
    from news_etl.definitions import defs

    return defs().resolve_job_def("scaleout_job")


def main() -> int:
    import dagster as dg

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="news_etl_scaleout_"))
    inbox = work / "corpus"
    build_corpus(args.eval_dir, args.n, inbox)
    results = {}
    for workers in (1, 2):
        db, staging, home = work / f"w{workers}.duckdb", work / f"staging{workers}", work / f"home{workers}"
        shutil.rmtree(staging, ignore_errors=True)
        home.mkdir(exist_ok=True)
        os.environ.update(NEWS_ETL_INPUT=str(inbox), NEWS_ETL_DATABASE=str(db), NEWS_ETL_STAGING=str(staging),
                          NEWS_ETL_SHARDS=str(args.shards))
        with dg.instance_for_test(temp_dir=str(home)) as instance:
            t = time.perf_counter()
            res = dg.execute_job(dg.reconstructable(scaleout_job), instance=instance,
                                 run_config={"execution": {"config": {"max_concurrent": workers}}})
            secs = time.perf_counter() - t
        assert res.success, "scaleout_job failed"
        import duckdb
        con = duckdb.connect(str(db), read_only=True)
        arts = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        con.close()
        results[workers] = secs
        print(f"max_concurrent={workers}: {secs:.1f}s for {arts} articles -> {arts / secs:.2f} articles/s", flush=True)
    print(f"speed-up from 1 to 2 worker processes: {results[1] / results[2]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
