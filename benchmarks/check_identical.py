"""Exactness harness for the speed-ups: the pipeline with the optimisations OFF and ON, in the
same code state and the same process, must give identical output.

    .venv/bin/python benchmarks/check_identical.py ../shared/eval [--limit N] [--dump FILE] [--against FILE]

Reads the evaluation texts (``annotated/docs.jsonl``, field ``text_path``) from the given folder
(never copies them). For every text:

- OFF: ``load_nlp(fast_rules=False)`` (the model's own ``attribute_ruler`` and ``lemmatizer``) and
  ``rows_for_doc(..., reuse=False)`` (every value recomputed in the serializer);
- ON: ``load_nlp(fast_rules=True)`` and ``rows_for_doc(...)`` as the pipeline runs it;

and compares every token attribute (text, tag_, pos_, morph and its key, lemma_, dep_, head,
is_sent_start, ent_iob_, ent_type_), the entities, and every row of every table ``rows_for_doc``
returns.
Prints the first differences, the counts, and the CPU seconds (``time.process_time``) of every
pipe and of the serializer for both, then exits 1 if anything differs.

``--published TIME`` gives every document that publication time (dates resolve against it).
``--dump FILE`` writes a digest per document (ON side); ``--against FILE`` compares the ON side
with such a digest from another code state: how a speed-up without a switch (a value computed
once instead of twice) is checked, e.g. the package copied with and without the change.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from news_etl.nlp.pipeline import load_nlp  # noqa: E402
from news_etl.nlp.serialize import rows_for_doc  # noqa: E402


def eval_texts(eval_dir: Path) -> list[tuple[str, str]]:
    ann = eval_dir / "annotated"
    out = []
    for line in (ann / "docs.jsonl").read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            p = ann / d["text_path"]
            out.append((d["doc_id"], (p if p.exists() else eval_dir / d["text_path"]).read_text()))
    return out


def token_rows(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.morph.key, t.lemma_, t.dep_, t.head.i, t.is_sent_start,
             t.ent_iob_, t.ent_type_) for t in doc]


def run(nlp, text: str, doc_id: str, times: dict, published=None, **kw):
    doc = nlp.make_doc(text)
    doc._.published_at = published
    for name, proc in nlp.pipeline:
        t = time.process_time()
        doc = proc(doc)
        times[name] += time.process_time() - t
    if "reuse" not in inspect.signature(rows_for_doc).parameters:  # a code state without the flag
        kw.pop("reuse", None)
    t = time.process_time()
    rows = rows_for_doc(doc_id, doc, **kw)
    times["rows_for_doc"] += time.process_time() - t
    return doc, rows


def first_diff(a: list, b: list) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"#{i}: {x!r} != {y!r}"
    return f"lengths {len(a)} != {len(b)}"


def digest(tokens, ents, rows) -> str:
    return hashlib.sha256(json.dumps([tokens, ents, rows], default=str, sort_keys=True).encode()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--against", type=Path)
    ap.add_argument("--published", type=datetime.fromisoformat, default=None,
                    help="publication time given to every document (e.g. 2025-05-08T12:00; default none)")
    args = ap.parse_args()
    texts = eval_texts(args.eval_dir)[: args.limit or None]
    off, on = load_nlp(fast_rules=False), load_nlp(fast_rules=True)
    print("OFF pipes:", off.pipe_names, "\nON pipes: ", on.pipe_names)
    for nlp in (off, on):
        rows_for_doc("warm-up", nlp("Warm up: Volodymyr Zelensky said in Kyiv that two people were killed."))
    t_off, t_on = defaultdict(float), defaultdict(float)
    diffs, n_tokens, n_rows, digests = [], 0, 0, {}
    for doc_id, text in texts:
        d_off, r_off = run(off, text, doc_id, t_off, args.published, reuse=False)
        d_on, r_on = run(on, text, doc_id, t_on, args.published)
        tok_off, tok_on = token_rows(d_off), token_rows(d_on)
        ents_off = [(e.start, e.end, e.label_) for e in d_off.ents]
        ents_on = [(e.start, e.end, e.label_) for e in d_on.ents]
        n_tokens += len(tok_on)
        n_rows += sum(len(v) for v in r_on.values())
        if tok_off != tok_on:
            diffs.append(f"{doc_id} tokens {first_diff(tok_off, tok_on)}")
        if ents_off != ents_on:
            diffs.append(f"{doc_id} ents {first_diff(ents_off, ents_on)}")
        for table in sorted(set(r_off) | set(r_on)):
            a, b = r_off.get(table, []), r_on.get(table, [])
            if a != b:
                diffs.append(f"{doc_id} {table} {first_diff(a, b)}")
        digests[doc_id] = digest(tok_on, ents_on, r_on)
    if args.dump:
        args.dump.write_text(json.dumps(digests, indent=1))
    if args.against:
        other = json.loads(args.against.read_text())
        diffs += [f"{k} differs from {args.against}" for k in digests if other.get(k) != digests[k]]
    print(f"\n{len(texts)} documents, {n_tokens} tokens, {n_rows} rows: "
          f"{'IDENTICAL' if not diffs else f'{len(diffs)} DIFFERENCES'}")
    for d in diffs[:20]:
        print("  ", d)
    print(f"\n{'CPU seconds':24s} {'OFF':>8s} {'ON':>8s}")
    for name in list(dict.fromkeys([*t_off, *t_on])):
        print(f"{name:24s} {t_off.get(name, 0):8.2f} {t_on.get(name, 0):8.2f}")
    print(f"{'total':24s} {sum(t_off.values()):8.2f} {sum(t_on.values()):8.2f}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
