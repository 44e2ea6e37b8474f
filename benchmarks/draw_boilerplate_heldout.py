"""Draw fresh documents for a boilerplate held-out set (to label by hand before any new code runs on them).

    python benchmarks/draw_boilerplate_heldout.py --seed 20261208 --per-corpus 8 -o /tmp/draw.txt

Stratified: ``--per-corpus`` documents from each corpus (or from each ``--source``) of the shared corpus,
drawn with ``--seed`` among the documents with 3 to ``--max-lines`` lines that are neither in the dev
set nor in an existing held-out file. Writes a readable file (numbered lines, per
../shared/eval/GUIDE.md) and prints the drawn ids; the labels go to
``benchmarks/data/boilerplate_heldout*.jsonl`` (ids, labels, spans and the text's sha256).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import learn_line_model as L  # noqa: E402

DATA = ROOT / "benchmarks" / "data"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--per-corpus", type=int, default=8)
    ap.add_argument("--max-lines", type=int, default=40)
    ap.add_argument("--source", action="append", default=[], help="draw per source (repeatable)")
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)
    seen = {json.loads(x)["id"] for x in (L.SHARED / "eval" / "boilerplate_dev.jsonl").open(encoding="utf-8")}
    for path in sorted(DATA.glob("boilerplate_heldout*.jsonl")):
        seen |= {json.loads(x)["id"] for x in path.open(encoding="utf-8")}
    by_corpus: dict[str, list] = {}
    for doc in L.read_docs(L.CORPUS):
        n = doc.text.count("\n") + 1
        if doc.id not in seen and 3 <= n <= args.max_lines:
            stratum = str(doc.metadata.get("source")) if args.source else doc.id.split(":", 1)[0]
            if not args.source or stratum in args.source:
                by_corpus.setdefault(stratum, []).append(doc)
    rng = random.Random(args.seed)
    drawn = []
    for corpus in sorted(by_corpus):
        drawn += rng.sample(by_corpus[corpus], min(args.per_corpus, len(by_corpus[corpus])))
    with args.output.open("w", encoding="utf-8") as fh:
        for doc in drawn:
            fh.write(f"=== {doc.id} source={doc.metadata.get('source')}\n")
            for i, line in enumerate(doc.text.split("\n")):
                fh.write(f"[{i}] {line}\n")
    for doc in drawn:
        print(doc.id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
