"""Audit the boilerplate stage on the shared corpus: how often each rule fires, with random samples.

    python benchmarks/audit_boilerplate.py --profile site.json.gz --samples 8 [--limit 20000]

Prints, per rule, the number of changes and a few random lines it removed (for a human to review).
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_boilerplate import SHARED, STAGE, read_corpus

from arcorpus.config import CleanConfig
from arcorpus.steps.boilerplate import site_lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "arabic_news_all.jsonl.gz")
    ap.add_argument("--profile", type=Path)
    ap.add_argument("--samples", type=int, default=6)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rule", default="")
    args = ap.parse_args()
    config = CleanConfig()
    models = {"site_lines": site_lines.load_profile(args.profile)} if args.profile else {}
    steps = [s for s in (spec.build(config, models) for spec in STAGE) if s is not None]
    hits: dict[str, list[str]] = collections.defaultdict(list)
    for n, doc in enumerate(read_corpus(args.corpus)):
        if args.limit and n >= args.limit:
            break
        for step in steps:
            doc = step(doc)
        for ch in doc.changes:
            if args.rule in ch.rule:
                hits[ch.rule].append(f"{doc.metadata.get('source')}: {ch.before[:140]}")
    rng = random.Random(0)
    for rule, lines in sorted(hits.items(), key=lambda x: -len(x[1])):
        print(f"### {rule}: {len(lines)}")
        for line in rng.sample(lines, min(args.samples, len(lines))):
            print("    " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
