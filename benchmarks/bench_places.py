#!/usr/bin/env python3
"""How many casualty figures with a location are linked to a place on the map, per source family.

    .venv/bin/python benchmarks/bench_places.py EVAL_DIR

Runs the full news pipeline (``load_nlp``) over the documents of ``EVAL_DIR/annotated/docs.jsonl``
annotated for casualties and prints, overall and per family (doc id prefix): predicted figures with
a location, the share of them with a ``place_id``, and the share of the gold figures' locations that
the same article's place links resolve. Nothing from EVAL_DIR is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from news_etl.nlp.gazetteer import place_for_location
from news_etl.nlp.pipeline import load_nlp

FAMILIES = ("aeb_", "fundus_", "bbc_", "gva_")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("eval_dir", type=Path)
    args = ap.parse_args(argv)
    ev = args.eval_dir.resolve()
    docs = [json.loads(x) for x in (ev / "annotated" / "docs.jsonl").read_text().splitlines() if x.strip()]
    docs = [d for d in docs if "casualties" in d["annotated_for"]]
    gold: dict[str, list[dict]] = {}
    for x in (ev / "casualties" / "gold_casualties.jsonl").read_text().splitlines():
        if x.strip():
            r = json.loads(x)
            gold.setdefault(r["doc_id"], []).append(r)
    nlp = load_nlp()
    c = Counter()
    for d in docs:
        fam = next((f for f in FAMILIES if d["doc_id"].startswith(f)), "other")
        doc = nlp((ev / d["text_path"]).read_text(encoding="utf8"))
        for fam_key in (fam, "all"):
            for fig in doc._.casualties:
                if fig.location:
                    c[fam_key, "pred_loc"] += 1
                    c[fam_key, "pred_linked"] += place_for_location(fig.location, doc._.place_links) is not None
            for g in gold.get(d["doc_id"], []):
                if g.get("location"):
                    c[fam_key, "gold_loc"] += 1
                    c[fam_key, "gold_linked"] += place_for_location(g["location"], doc._.place_links) is not None
    print(f"{'family':<10}{'pred with location':>20}{'linked':>10}{'gold with location':>20}{'linked':>10}")
    for fam in ("all", *FAMILIES):
        pl, gl = c[fam, "pred_loc"], c[fam, "gold_loc"]
        print(f"{fam:<10}{pl:>20}{(c[fam, 'pred_linked'] / pl if pl else 0):>10.3f}"
              f"{gl:>20}{(c[fam, 'gold_linked'] / gl if gl else 0):>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
