"""MB/s of the repair + orthography steps of a profile on the shared corpus, one core, per step and in total.

    python benchmarks/bench_orthography.py [--profile standard] [--limit N] [--camel PYTHON] [--pyarabic]

MB = megabytes of UTF-8 text. Each step is timed on the documents as they arrive at it (the output of the
previous steps), so per-step times add up to the total. ``--camel`` gives the python of a throwaway venv
with camel-tools (``pip install --no-deps camel-tools six``): its ``arclean`` char mapper then runs on the
same texts in a subprocess, for a side-by-side figure. ``--pyarabic`` also times pyarabic's
``strip_tashkeel + strip_tatweel + normalize_hamza`` chain (GPL: benchmark only) in this process.
The shared data directory is the repository's sibling ``shared/`` (or ``$ARCORPUS_SHARED``). The corpus is
research material and is only read, never copied.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps import STEPS, apply_steps

SHARED = Path(os.environ.get("ARCORPUS_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"

CAMEL_SCRIPT = """
import sys, time, json
from camel_tools.utils.charmap import CharMapper
arclean = CharMapper.builtin_mapper("arclean")
texts = json.load(open(sys.argv[1], encoding="utf-8"))
t = time.perf_counter()
for x in texts:
    arclean(x)
print(time.perf_counter() - t)
"""


def load(limit: int | None) -> list[str]:
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", default="standard")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--camel", help="python executable of a venv with camel-tools")
    ap.add_argument("--pyarabic", action="store_true")
    args = ap.parse_args()
    if not CORPUS.exists():
        sys.exit(f"shared corpus not found at {CORPUS}")
    texts = load(args.limit)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    config = CleanConfig.from_profile(args.profile)
    specs = [s for s in STEPS if s.stage in ("repair", "orthography")]
    steps = [(s.name, s.build(config, {})) for s in specs]
    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    print(f"{len(texts)} documents, {mb:.1f} MB, profile {args.profile}")
    active = [(name, step) for name, step in steps if step is not None]
    for name, step in steps:
        if step is None:
            print(f"  {name:20s} off")
    # Document-major, like the pipeline: each document goes through every step before the next one, so
    # the steps' shared character inventory is computed once per document. Per-step clock first...
    spent = dict.fromkeys((n for n, _ in active), 0.0)
    changed = dict.fromkeys(spent, 0)
    clock = time.perf_counter
    for doc in docs:
        for name, step in active:
            t0 = clock()
            out = step(doc)
            spent[name] += clock() - t0
            if out is not doc:
                changed[name] += 1
            doc = out
    for name, _ in active:
        print(f"  {name:20s} {spent[name]:7.3f} s  {mb / spent[name]:8.0f} MB/s  changed {changed[name]}")
    # ... then the total without the per-step clock overhead.
    only = tuple(step for _, step in active)
    t0 = clock()
    n_changed = 0
    for doc in docs:
        out = apply_steps(doc, only)
        n_changed += out is not doc
    total = clock() - t0
    print(f"repair+orthography total: {total:.3f} s = {mb / total:.1f} MB/s (changed {n_changed} docs)")

    if args.camel:
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as fh:
            json.dump(texts, fh, ensure_ascii=False)
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
            script.write(CAMEL_SCRIPT)
        res = subprocess.run([args.camel, script.name, fh.name], capture_output=True, text=True, check=True)
        Path(fh.name).unlink()
        Path(script.name).unlink()
        dt = float(res.stdout.strip())
        print(f"camel-tools arclean:       {dt:.3f} s = {mb / dt:.1f} MB/s")
    if args.pyarabic:
        from pyarabic import araby  # GPL: benchmark only

        t0 = time.perf_counter()
        for x in texts:
            araby.normalize_hamza(araby.strip_tatweel(araby.strip_tashkeel(x)))
        dt = time.perf_counter() - t0
        print(f"pyarabic strip_tashkeel+strip_tatweel+normalize_hamza: {dt:.3f} s = {mb / dt:.1f} MB/s")


if __name__ == "__main__":
    main()
