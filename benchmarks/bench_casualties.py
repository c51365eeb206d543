#!/usr/bin/env python3
"""Benchmark casualty extraction against the hand-annotated evaluation set.

    .venv/bin/python benchmarks/bench_casualties.py EVAL_DIR [--out DIR] [--show]

Runs :func:`news_etl.nlp.casualties.extract_casualties` over every document of
``EVAL_DIR/annotated/docs.jsonl`` annotated for casualties (texts in
``annotated/texts/``), writes the scorer's JSONL (``doc_id, category, count_low,
count_high, location`` plus phrase/qualifier for reading), then runs
``EVAL_DIR/score_casualties.py`` in a subprocess (cwd=EVAL_DIR) and prints its figures.
Nothing from EVAL_DIR is copied into the repository: outputs go to ``--out`` (default a
temporary folder). After the overall figures it prints a table per source family (doc id
prefix ``aeb_``, ``fundus_``, ``bbc_``, ``gva_``): the scorer run again on each family's
documents (``--docs`` filtered into ``--out``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from news_etl.nlp.casualties import extract_casualties  # noqa: E402
from news_etl.nlp.pipeline import load_nlp  # noqa: E402


def _published(doc_meta: dict) -> datetime | None:
    """A publication day when the document's source id carries one (fundus: Outlet_YYYY_MM_DD)."""
    m = re.search(r"_(\d{4})_(\d{2})_(\d{2})$", doc_meta.get("source_id") or "")
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), 12, 0)
    except ValueError:
        return None


FAMILIES = ("aeb_", "fundus_", "bbc_", "gva_")
TABLE_KEYS = ("n_docs", "n_gold_numeric", "n_pred_numeric", "precision", "recall", "f1",
              "main_event_recall", "number_only_recall", "location_overlap_rate")


def _score(eval_dir: Path, pred_path: Path, out: Path, name: str, docs: Path | None = None) -> dict | None:
    """The scorer's figures (its --json-out) for one document selection."""
    cmd = [sys.executable, "score_casualties.py", str(pred_path), "--per-doc", str(out / f"per_doc_{name}.csv"),
           "--json-out", str(out / f"scores_{name}.json")]
    if docs is not None:
        cmd += ["--docs", str(docs)]
    res = subprocess.run(cmd, cwd=eval_dir, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        return None
    return json.loads((out / f"scores_{name}.json").read_text(encoding="utf8"))


def family_table(eval_dir: Path, pred_path: Path, out: Path) -> str:
    """Overall and per-family scores as a text table (one column per family)."""
    lines = (eval_dir / "annotated" / "docs.jsonl").read_text(encoding="utf8").splitlines()
    metas = [json.loads(line) for line in lines if line.strip()]
    cols: dict[str, dict] = {}
    overall = _score(eval_dir, pred_path, out, "all")
    if overall is not None:
        cols["all"] = overall
    for fam in FAMILIES:
        docs = out / f"docs_{fam.rstrip('_')}.jsonl"
        docs.write_text("".join(json.dumps(m) + "\n" for m in metas if m["doc_id"].startswith(fam)),
                        encoding="utf8")
        sc = _score(eval_dir, pred_path, out, fam.rstrip("_"), docs)
        if sc is not None:
            cols[fam.rstrip("_")] = sc
    rows = [f"{'metric':<22}" + "".join(f"{c:>9}" for c in cols)]
    for k in TABLE_KEYS:
        cells = []
        for c in cols:
            v = cols[c].get(k)
            cells.append(f"{v:>9.3f}" if isinstance(v, float) else f"{v!s:>9}")
        rows.append(f"{k:<22}" + "".join(cells))
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--out", type=Path, help="folder for predictions and per-doc scores")
    ap.add_argument("--show", action="store_true", help="print every predicted figure")
    args = ap.parse_args(argv)
    eval_dir = args.eval_dir.resolve()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_casualties_"))
    out.mkdir(parents=True, exist_ok=True)

    nlp = load_nlp()
    metas = [json.loads(line) for line in (eval_dir / "annotated" / "docs.jsonl").read_text(encoding="utf8").splitlines() if line.strip()]
    metas = [m for m in metas if "casualties" in m.get("annotated_for", [])]
    pred_path = out / "casualties_pred.jsonl"
    t0 = time.perf_counter()
    n = 0
    with pred_path.open("w", encoding="utf8") as fh:
        for m in metas:
            text = (eval_dir / m["text_path"]).read_text(encoding="utf8")
            doc = nlp(text)
            for r in extract_casualties(doc, _published(m)):
                n += 1
                rec = {"doc_id": m["doc_id"], "category": r.category, "count_low": r.count_low,
                       "count_high": r.count_high, "location": r.location, "phrase": r.phrase,
                       "qualifier": r.qualifier, "kind": r.kind}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if args.show:
                    print(f'{m["doc_id"][:34]:34} {r.category:9} {str(r.count_low):>7} {str(r.count_high):>7} '
                          f'{r.qualifier:9} loc={r.location!s:30.30} | {r.phrase[:90]}')
    secs = time.perf_counter() - t0
    print(f"{len(metas)} documents, {n} figures in {secs:.1f}s -> {pred_path}")
    cmd = [sys.executable, "score_casualties.py", str(pred_path), "--per-doc", str(out / "per_doc.csv"),
           "--json-out", str(out / "scores.json")]
    res = subprocess.run(cmd, cwd=eval_dir, capture_output=True, text=True)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    print("\nper family:")
    print(family_table(eval_dir, pred_path, out))
    return res.returncode


if __name__ == "__main__":
    sys.exit(main())
