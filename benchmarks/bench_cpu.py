"""CPU seconds of `arcorpus clean` for several checkouts, interleaved: the comparison for a busy machine.

    python benchmarks/bench_cpu.py /work/base /work/main . --repeat 3                  # whole shared corpus
    python benchmarks/bench_cpu.py /work/base . --input sample.jsonl -- --workers 2

Each checkout's own ``arcorpus`` is run (``PYTHONPATH`` and the working directory are the checkout), one
after the other, ``--repeat`` rounds. Wall time says little when other jobs share the cores; the user + sys
CPU seconds of the run (``RUSAGE_CHILDREN``, what ``bench_pipeline.py`` reports as CPU seconds) much less
so. Prints one JSON object per run, then the median per checkout and its ratio to the first one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def _run(checkout: Path, source: Path, extra: list[str]) -> float:
    """CPU seconds of one ``arcorpus clean`` run in ``checkout`` (peak RSS: ``bench_pipeline.py``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        command = [sys.executable, "-m", "arcorpus.cli", "clean", str(source), "-o", str(out), "-q", *extra]
        env = dict(os.environ, PYTHONPATH=str(checkout))
        subprocess.run(command, cwd=checkout, env=env, check=False)  # exit 3 of old builds: some rejects
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("checkouts", nargs="+", type=Path, help="repository checkouts (the first: reference)")
    parser.add_argument("--input", type=Path, default=CORPUS, help="JSONL input (default: the shared corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)  # after --: `arcorpus clean` options
    args = parser.parse_args(argv[:cut])
    extra = argv[cut + 1 :] or ["--workers", "1"]
    source = args.input
    with tempfile.TemporaryDirectory() as tmp:
        if source.suffix == ".gz":  # decompressed once, so that no run pays gzip
            plain = Path(tmp) / "input.jsonl"
            with plain.open("wb") as fh:
                subprocess.run(["zcat", str(source)], stdout=fh, check=True)
            source = plain
        return _compare(args.checkouts, source, extra, args.repeat)


def _compare(checkouts: list[Path], source: Path, extra: list[str], repeat: int) -> int:
    cpu: dict[Path, list[float]] = {c: [] for c in checkouts}
    for round_ in range(repeat):
        for checkout in checkouts:
            seconds = _run(checkout.resolve(), source, extra)
            cpu[checkout].append(seconds)
            row = {"round": round_, "checkout": str(checkout), "cpu_s": round(seconds, 2)}
            print(json.dumps(row), flush=True)
    first = statistics.median(cpu[checkouts[0]])
    for checkout, runs in cpu.items():
        median = statistics.median(runs)
        print(json.dumps({"checkout": str(checkout), "median_cpu_s": round(median, 2),
                          "vs_first": round(median / first, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
