#!/usr/bin/env python3
"""Benchmark the cleaning stage against plain trafilatura.

    python benchmarks/bench_cleaning.py EVAL_DIR [--out DIR]

EVAL_DIR is the evaluation folder (e.g. /work/shared/eval); it is only read.  Predictions
go to ``--out`` (default: a temporary folder):

1. main text: ``clean_html`` and plain ``trafilatura.extract(html)`` on
   ``article-extraction-benchmark/html/*.html`` -> ``<out>/{ours,trafilatura}_extraction/<id>.txt``,
   scored with ``score_extraction.py``;
2. metadata: ``clean_html`` and ``trafilatura.bare_extraction(..., with_metadata=True)`` on
   ``metadata/html/*.html`` (URL from ``metadata/expected.jsonl``) ->
   ``<out>/{ours,trafilatura}_metadata.jsonl``, scored with ``score_metadata.py``.

3. text dumps: there is no gold set of dumps, so ``clean_text_dump`` is checked on a
   browser-like innerText rendering of the same pages (whole page: menus, footers and all),
   scored as in 1 and 2; the baseline is the unfiltered innerText.

The scorers run as subprocesses with ``cwd=EVAL_DIR``; both systems' figures are printed
side by side.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from news_etl.clean import CleaningError, clean_html  # noqa: E402


def _run_scorer(eval_dir: Path, args: list[str]) -> dict[str, str]:
    r = subprocess.run([sys.executable, *args], cwd=eval_dir, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        print(r.stdout, r.stderr, file=sys.stderr)
        raise SystemExit(f"scorer failed: {' '.join(args)}")
    figures: dict[str, str] = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^(\w+)\s+(.+)$", line.strip())
        if m:
            figures[m.group(1)] = m.group(2).strip()
        elif "=" in line:
            for part in line.split():
                k, _, v = part.partition("=")
                figures[k] = v
    return figures


def _print_side_by_side(title: str, ours: dict[str, str], base: dict[str, str]) -> None:
    print(f"\n== {title}")
    print(f"{'metric':<22} {'clean_html':>16} {'plain trafilatura':>20}")
    for k in ours:
        print(f"{k:<22} {ours[k]:>16} {base.get(k, ''):>20}")


def run_extraction(eval_dir: Path, out: Path) -> None:
    import trafilatura

    html_dir = eval_dir / "article-extraction-benchmark" / "html"
    pages = sorted(html_dir.glob("*.html"))
    ours_dir, base_dir = out / "ours_extraction", out / "trafilatura_extraction"
    ours_dir.mkdir(parents=True, exist_ok=True)
    base_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    errors = 0
    for p in pages:
        html = p.read_text(encoding="utf8")
        try:
            text = clean_html(html).body
        except CleaningError:
            errors += 1
            text = ""
        (ours_dir / f"{p.stem}.txt").write_text(text, encoding="utf8")
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    for p in pages:
        text = trafilatura.extract(p.read_text(encoding="utf8")) or ""
        (base_dir / f"{p.stem}.txt").write_text(text, encoding="utf8")
    t_base = time.perf_counter() - t0
    print(f"extraction: {len(pages)} pages; clean_html {t_ours:.1f}s ({errors} CleaningError), "
          f"trafilatura {t_base:.1f}s")
    ours = _run_scorer(eval_dir, ["score_extraction.py", str(ours_dir), "--per-page", str(out / "ours_extraction.csv")])
    base = _run_scorer(eval_dir, ["score_extraction.py", str(base_dir), "--per-page", str(out / "trafilatura_extraction.csv")])
    _print_side_by_side("main text (article-extraction-benchmark, score_extraction.py)", ours, base)


def run_metadata(eval_dir: Path, out: Path) -> None:
    import trafilatura

    meta_dir = eval_dir / "metadata"
    gold = [json.loads(line) for line in (meta_dir / "expected.jsonl").read_text(encoding="utf8").splitlines() if line.strip()]
    ours_path, base_path = out / "ours_metadata.jsonl", out / "trafilatura_metadata.jsonl"
    errors = 0
    t0 = time.perf_counter()
    with ours_path.open("w", encoding="utf8") as w:
        for g in gold:
            html = (meta_dir / "html" / f"{g['doc_id']}.html").read_text(encoding="utf8")
            rec = {"doc_id": g["doc_id"], "title": None, "authors": [], "date": None, "body_text": ""}
            try:
                a = clean_html(html, url=g.get("url"))
                rec.update(title=a.title, authors=a.authors,
                           date=a.published_at.isoformat() if a.published_at else None,
                           body_text=a.body)
            except CleaningError:
                errors += 1
            w.write(json.dumps(rec, ensure_ascii=False) + "\n")
    t_ours = time.perf_counter() - t0
    with base_path.open("w", encoding="utf8") as w:
        for g in gold:
            html = (meta_dir / "html" / f"{g['doc_id']}.html").read_text(encoding="utf8")
            doc = trafilatura.bare_extraction(html, url=g.get("url"), with_metadata=True)
            rec = {"doc_id": g["doc_id"], "title": None, "authors": None, "date": None, "body_text": ""}
            if doc is not None:
                d = doc.as_dict()
                rec.update(title=d.get("title"), authors=d.get("author"), date=d.get("date"),
                           body_text=d.get("text") or "")
            w.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"\nmetadata: {len(gold)} pages; clean_html {t_ours:.1f}s ({errors} CleaningError)")
    ours = _run_scorer(eval_dir, ["score_metadata.py", str(ours_path), "--per-doc", str(out / "ours_metadata.csv")])
    base = _run_scorer(eval_dir, ["score_metadata.py", str(base_path), "--per-doc", str(out / "trafilatura_metadata.csv")])
    _print_side_by_side("metadata (fundus pages, score_metadata.py)", ours, base)


# ---------------------------------------------------------------------- text dumps
# There is no gold set of text dumps, so the dump parser is checked on dumps rendered from
# the eval HTML: a browser-like innerText of the whole page (menus, footers and all), which
# is harder than a reader-mode "save as text".  Baseline: the unfiltered innerText.

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "header", "footer", "nav", "aside", "figure", "figcaption", "blockquote", "br", "tr",
          "table", "main", "form", "dd", "dt", "dl", "pre", "hr"}
_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select",
         "option", "input", "textarea"}


def inner_text(html: str) -> str:
    from trafilatura.utils import load_html

    doc = load_html(html)
    if doc is None:
        return ""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag and tag not in _SKIP:
            if tag in _BLOCK:
                out.append("\n")
            out.append(el.text or "")
            for child in el:
                walk(child)
            if tag in _BLOCK:
                out.append("\n\n" if tag == "p" else "\n")
        out.append(el.tail or "")

    body = doc.find(".//body")
    walk(body if body is not None else doc)
    text = re.sub(r"[ \t\xa0]+", " ", "".join(out))
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()


def run_textdump(eval_dir: Path, out: Path) -> None:
    from news_etl.clean import clean_text_dump

    html_dir = eval_dir / "article-extraction-benchmark" / "html"
    ours_dir, raw_dir = out / "textdump_extraction", out / "innertext_extraction"
    ours_dir.mkdir(parents=True, exist_ok=True)
    raw_dir.mkdir(parents=True, exist_ok=True)
    errors = 0
    t0 = time.perf_counter()
    for p in sorted(html_dir.glob("*.html")):
        dump = inner_text(p.read_text(encoding="utf8"))
        (raw_dir / f"{p.stem}.txt").write_text(dump, encoding="utf8")
        try:
            text = clean_text_dump(dump).body
        except CleaningError:
            errors += 1
            text = ""
        (ours_dir / f"{p.stem}.txt").write_text(text, encoding="utf8")
    print(f"\ntext dumps (innerText of the benchmark pages): clean_text_dump {time.perf_counter() - t0:.1f}s "
          f"({errors} CleaningError)")
    ours = _run_scorer(eval_dir, ["score_extraction.py", str(ours_dir)])
    raw = _run_scorer(eval_dir, ["score_extraction.py", str(raw_dir)])
    print("\n== text dumps, main text (score_extraction.py)")
    print(f"{'metric':<22} {'clean_text_dump':>16} {'raw innerText':>20}")
    for k in ours:
        print(f"{k:<22} {ours[k]:>16} {raw.get(k, ''):>20}")

    meta_dir = eval_dir / "metadata"
    gold = [json.loads(line) for line in (meta_dir / "expected.jsonl").read_text(encoding="utf8").splitlines() if line.strip()]
    path = out / "textdump_metadata.jsonl"
    with path.open("w", encoding="utf8") as w:
        for g in gold:
            dump = inner_text((meta_dir / "html" / f"{g['doc_id']}.html").read_text(encoding="utf8"))
            rec = {"doc_id": g["doc_id"], "title": None, "authors": [], "date": None, "body_text": ""}
            try:
                a = clean_text_dump(dump)
                rec.update(title=a.title, authors=a.authors, body_text=a.body,
                           date=a.published_at.isoformat() if a.published_at else None)
            except CleaningError:
                pass
            w.write(json.dumps(rec, ensure_ascii=False) + "\n")
    figures = _run_scorer(eval_dir, ["score_metadata.py", str(path)])
    print("\n== text dumps, metadata (innerText of the fundus pages, score_metadata.py)")
    for k, v in figures.items():
        print(f"{k:<22} {v:>16}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--out", type=Path, help="folder for predictions (default: a temp folder)")
    ap.add_argument("--only", choices=["extraction", "metadata", "textdump"])
    args = ap.parse_args(argv)
    eval_dir = args.eval_dir.resolve()
    if not (eval_dir / "score_extraction.py").exists():
        ap.error(f"{eval_dir} has no score_extraction.py: not an eval folder")
    out = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="bench_cleaning_"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"predictions in {out}")
    if args.only in (None, "extraction"):
        run_extraction(eval_dir, out)
    if args.only in (None, "metadata"):
        run_metadata(eval_dir, out)
    if args.only in (None, "textdump"):
        run_textdump(eval_dir, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
