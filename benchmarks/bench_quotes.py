"""Benchmark quote extraction + speaker attribution against the project's eval data.

    .venv/bin/python benchmarks/bench_quotes.py EVAL_DIR [--out DIR] [--dump]

Reads ``doc._.quotes`` (the ``news_quotes`` component of ``load_nlp()``) for the hand-annotated
texts (``EVAL_DIR/annotated/texts``, docs with "quotes" in ``annotated/docs.jsonl``) and for
PolNeAR dev (``EVAL_DIR/quotes/polnear/dev/text``), writes the scorer's JSONL
({doc_id, quote_text, speaker, is_direct}; speaker = resolved speaker, else the mention),
runs ``score_quotes.py`` on each (cwd=EVAL_DIR) and prints the figures.

Rows written: direct and partial quotes, not nested ones (the guidelines do not annotate
quotes inside quotes) and not indirect speech (no quotation marks; not scored by default).
PolNeAR annotates attributions, not quote spans: a partial quote's content is its whole
clause and a quote broken by its tag is one attribution. The ``polnear-dev`` column follows
that convention (``content`` of each row; tag-broken parts merged); ``polnear-dev/raw``
scores the plain quote rows, as for the hand set; ``polnear-dev/all`` scores every
attribution (direct, mixed and indirect) with the extractor's indirect rows included;
``polnear-dev/mention`` is ``polnear-dev`` with the speaker as the text writes it (PolNeAR's
sources are mentions without coreference: "the mayor", "the article"), the resolved name only
where the mention is a pronoun.
The hand set is also scored per doc-id family (aeb_, fundus_, bbc_ and overall), at
``--min-dice`` and at 1.0, with the scorer's own functions (gold filtered by prefix).
Nothing from EVAL_DIR is copied into the repository: outputs go to ``--out`` (default: a
temporary folder).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from news_etl.nlp.pipeline import load_nlp
from news_etl.nlp.people_lexicon import PRONOUNS
from news_etl.nlp.quotes import Quote


def hand_docs(eval_dir: Path):
    for line in (eval_dir / "annotated" / "docs.jsonl").read_text(encoding="utf8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if "quotes" in d["annotated_for"]:
            yield d["doc_id"], (eval_dir / d["text_path"]).read_text(encoding="utf8")


def polnear_docs(eval_dir: Path, split: str = "dev"):
    for p in sorted((eval_dir / "quotes" / "polnear" / split / "text").glob("*.txt")):
        yield p.stem, p.read_text(encoding="utf8")


def polnear_rows(text: str, rows: list[Quote]) -> list[Quote]:
    """PolNeAR's conventions: a partial quote is scored with its whole clause (``content``),
    and a quote broken by its speech tag is one attribution (parts merged)."""
    out: list[Quote] = []
    for r in rows:
        r = dataclasses.replace(r, quote_text=r.content, start_char=r.content_start_char, end_char=r.content_end_char)
        prev = out[-1] if out else None
        same_speaker = prev is not None and \
            (prev.speaker_resolved or prev.speaker) == (r.speaker_resolved or r.speaker)
        if prev is not None and r.start_char < prev.end_char:
            # two partial quotes in one clause: one attribution
            if r.end_char > prev.end_char:
                prev.quote_text = text[prev.start_char:r.end_char]
                prev.end_char = r.end_char
            continue
        if same_speaker and prev.kind == "direct" and r.kind == "direct" and \
                "\n" not in text[prev.end_char:r.start_char] and r.start_char - prev.end_char < 250:
            prev.quote_text = prev.quote_text + " " + r.quote_text
            prev.end_char = r.end_char
            continue
        out.append(r)
    return out


def written_speaker(r: Quote) -> str | None:
    """The speaker as the text writes it (PolNeAR's sources: mentions, no coreference), or the
    resolved speaker where the mention is a pronoun or missing."""
    if r.speaker and r.speaker.lower() not in PRONOUNS:
        return r.speaker
    return r.speaker_resolved or r.speaker


def predict(docs, out_path: Path, dump: bool = False, polnear_style: bool = False, indirect: bool = False,
            mention: bool = False) -> int:
    nlp = load_nlp()
    n = 0
    with out_path.open("w", encoding="utf8") as fh:
        for doc_id, text in docs:
            doc = nlp(text)
            rows = [r for r in doc._.quotes if not r.nested and (indirect or r.kind != "indirect")]
            for r in rows:
                assert doc.text[r.start_char:r.end_char] == r.quote_text
            if polnear_style:
                rows = polnear_rows(doc.text, rows)
            for r in rows:
                speaker = written_speaker(r) if mention else r.speaker_resolved or r.speaker
                fh.write(json.dumps({"doc_id": doc_id, "quote_text": r.quote_text, "speaker": speaker,
                                     "is_direct": r.is_direct}, ensure_ascii=False) + "\n")
                if dump:
                    print(f"{doc_id[-14:]:>14} {r.kind[:3]} {r.quote_text[:50]!r:54} | {r.speaker} "
                          f"-> {r.speaker_resolved} [{r.cue}] via={r.reported_via}")
                n += 1
    return n


def score(eval_dir: Path, pred: Path, dataset: str, json_out: Path, types: str | None = None) -> dict:
    cmd = [sys.executable, "score_quotes.py", str(pred.resolve()), "--dataset", dataset,
           "--json-out", str(json_out.resolve())]
    if types:
        cmd += ["--polnear-types", types]
    subprocess.run(cmd, cwd=eval_dir, capture_output=True, text=True, check=True)
    return json.loads(json_out.read_text(encoding="utf8"))


FAMILIES = ("aeb_", "fundus_", "bbc_")


def _scorer(eval_dir: Path):
    """The scorer module of EVAL_DIR (its functions are reused to score one family at a time)."""
    if str(eval_dir) not in sys.path:
        sys.path.insert(0, str(eval_dir))
    import score_quotes  # noqa: PLC0415 -- lives in EVAL_DIR, not in the package
    return score_quotes


def score_by_family(eval_dir: Path, pred: Path, out: Path, min_dice: float) -> dict:
    """Hand-set figures overall and per doc-id family, by filtering the scorer's gold by prefix."""
    sq = _scorer(eval_dir)
    orig = sq.load_gold
    res = {}
    for fam in (None,) + FAMILIES:
        def load(dataset, types, fam=fam):
            return {k: v for k, v in orig(dataset, types).items() if fam is None or k.startswith(fam)}
        sq.load_gold = load
        path = out / f"score_hand_{fam or 'all'}_{min_dice}.json"
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                sq.main([str(pred), "--min-dice", str(min_dice), "--json-out", str(path)])
        finally:
            sq.load_gold = orig
        res[fam or "all"] = json.loads(path.read_text(encoding="utf8"))
    return res


def print_table(title: str, results: dict, keys: list[str]) -> None:
    print(f"\n{title}\n{'metric':<20}" + "".join(f"{n:>17}" for n in results))
    for k in keys:
        row = f"{k:<20}"
        for n in results:
            v = results[n].get(k)
            row += f"{v:>17.3f}" if isinstance(v, float) else f"{str(v):>17}"
        print(row)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--out", type=Path, help="folder for predictions and scores (default: temporary)")
    ap.add_argument("--dump", action="store_true", help="print every predicted quote")
    ap.add_argument("--skip-polnear", action="store_true")
    ap.add_argument("--min-dice", type=float, default=0.5, help="default min-dice of the per-family table")
    args = ap.parse_args(argv)
    eval_dir = args.eval_dir.resolve()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_quotes_"))
    out.mkdir(parents=True, exist_ok=True)
    sets = [("hand", hand_docs(eval_dir), False)]
    if not args.skip_polnear:
        sets.append(("polnear-dev", polnear_docs(eval_dir), True))
        sets.append(("polnear-dev/raw", polnear_docs(eval_dir), False))
        sets.append(("polnear-dev/all", polnear_docs(eval_dir), True))
        sets.append(("polnear-dev/mention", polnear_docs(eval_dir), True))
    keys = ["n_docs", "n_gold_required", "n_pred", "quote_precision", "quote_recall", "quote_f1",
            "coverage_recall", "speaker_acc", "end2end_precision", "end2end_recall", "end2end_f1",
            "is_direct_acc"]
    results = {}
    for name, docs, style in sets:
        t0 = time.time()
        fname = name.replace("/", "_")
        pred = out / f"pred_{fname}.jsonl"
        n = predict(docs, pred, dump=args.dump, polnear_style=style, indirect=name.endswith("/all"),
                    mention=name.endswith("/mention"))
        types = "direct,mixed,indirect" if name.endswith("/all") else None
        results[name] = score(eval_dir, pred, name.split("/")[0], out / f"score_{fname}.json", types)
        results[name]["seconds"] = round(time.time() - t0, 1)
        print(f"[{name}] {n} quotes written to {pred} in {results[name]['seconds']} s")
    print_table("all sets", results, keys + ["seconds"])
    hand_pred = out / "pred_hand.jsonl"
    for md in sorted({args.min_dice, 1.0}):
        fam = score_by_family(eval_dir, hand_pred, out, md)
        results[f"hand@{md}"] = fam
        print_table(f"hand set per family, min-dice {md}", fam, keys)
    (out / "summary.json").write_text(json.dumps(results, indent=2), encoding="utf8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
