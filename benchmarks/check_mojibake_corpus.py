"""Run ``fix_encoding`` over the whole shared corpus and report how many documents it changed, and why.

    python benchmarks/check_mojibake_corpus.py [--limit N] [--show K]

The issue demands that clean text is never "repaired": every change is listed by rule with an excerpt
(``--show`` per rule) so a person can judge it. Also reports how many documents pass the step's gate
(contain a mojibake candidate character) and how long the step took. The shared data directory is the
repository's sibling ``shared/`` (or ``$ARCORPUS_SHARED``); the corpus is only read, never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps.repair.fix_encoding import build
from arcorpus.text.edits import MOJIBAKE_GATE, inventory

SHARED = Path(os.environ.get("ARCORPUS_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", type=int, default=5, help="examples to print per rule")
    args = ap.parse_args()
    if not CORPUS.exists():
        sys.exit(f"shared corpus not found at {CORPUS}")
    step = build(CleanConfig(), {})
    assert step is not None
    docs = gated = changed = 0
    by_rule: Counter[str] = Counter()
    by_corpus: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    spent = 0.0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            if args.limit is not None and docs >= args.limit:
                break
            rec = json.loads(line)
            doc = Document(id=rec["id"], text=rec["text"])
            docs += 1
            t0 = time.perf_counter()
            out = step(doc)
            spent += time.perf_counter() - t0
            if not inventory(doc).isdisjoint(MOJIBAKE_GATE):
                gated += 1
            if out is doc:
                continue
            changed += 1
            by_corpus[rec.get("corpus", "?")] += 1
            for c in out.changes:
                by_rule[c.rule] += 1
                if len(examples[c.rule]) < args.show:
                    examples[c.rule].append(
                        f"{rec['id']} line {c.line}: {c.before[:80]!r} -> {c.after[:80]!r}"
                    )
    print(f"documents: {docs}")
    print(f"passing the gate (a mojibake candidate character present): {gated}")
    print(f"changed by fix_encoding: {changed}")
    print(f"time in the step: {spent:.2f} s")
    for rule, n in by_rule.most_common():
        print(f"  {rule}: {n} change(s)")
        for ex in examples[rule]:
            print(f"    {ex}")
    for corpus, n in by_corpus.most_common():
        print(f"  corpus {corpus}: {n} document(s)")


if __name__ == "__main__":
    main()
