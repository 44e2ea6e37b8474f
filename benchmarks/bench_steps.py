"""Where the time goes: CPU seconds and MB/s of each default step, of dedup signatures, and of reading.

    python benchmarks/bench_steps.py                 # a 6,000-document sample of the shared corpus
    python benchmarks/bench_steps.py --limit 0       # the whole corpus

Each step is timed on the output of the steps before it (the real pipeline order), with CPU time
(``time.process_time``) so other processes on the machine matter less. MB are MB of UTF-8 input text.
The corpus-learned ``site_lines`` model is learned first from the same documents (its learning time is
reported too). Prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from pathlib import Path

from arcorpus.config import CleanConfig
from arcorpus.dedup import Deduplicator
from arcorpus.document import Document
from arcorpus.run.local import learn
from arcorpus.steps import build_steps

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit", type=int, default=6000, help="documents (every 12th of the corpus); 0 = all"
    )
    args = parser.parse_args()
    started = time.process_time()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        lines = fh if not args.limit else itertools.islice(fh, 0, args.limit * 12, 12)
        records = [json.loads(line) for line in lines]
    docs = [
        Document(
            id=r["id"], text=r["text"], metadata={k: v for k, v in r.items() if k not in ("id", "text")}
        )
        for r in records
    ]
    read = time.process_time() - started
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    print(json.dumps({"what": "read gzip JSONL + documents", "docs": len(docs), "mb": round(mb, 1),
                      "cpu_s": round(read, 2), "mb_per_s": round(mb / read, 1)}))
    config = CleanConfig()
    started = time.process_time()
    models = learn(lambda: docs, config)
    seconds = time.process_time() - started
    print(json.dumps({"what": "learn (site_lines)", "cpu_s": round(seconds, 2),
                      "mb_per_s": round(mb / seconds, 1)}))
    total = 0.0
    current = docs
    for step in build_steps(config, models):
        started = time.process_time()
        current = [step(d) for d in current]
        seconds = time.process_time() - started
        total += seconds
        print(json.dumps({"what": f"step {step.name}", "cpu_s": round(seconds, 2),
                          "mb_per_s": round(mb / seconds, 1)}))
    print(json.dumps({"what": "all steps", "cpu_s": round(total, 2), "mb_per_s": round(mb / total, 1)}))
    dedup = Deduplicator(config)
    started = time.process_time()
    for start in range(0, len(current), 64):
        dedup.signatures(current[start : start + 64])
    seconds = time.process_time() - started
    print(json.dumps({"what": "dedup signatures (batches of 64)", "cpu_s": round(seconds, 2),
                      "mb_per_s": round(mb / seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
