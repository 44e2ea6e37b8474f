"""Where one `arcorpus clean` run spends its CPU: per pass, and per thread of the driver.

    python benchmarks/bench_phases.py                      # whole shared corpus, --workers 1
    python benchmarks/bench_phases.py --workers 2          # driver vs worker CPU per pass
    python benchmarks/bench_phases.py --input corpus.jsonl

The real command line runs in this process; the pipeline's pass boundaries are marked by wrapping
`arcorpus.run.local.learn` and `Deduplicator.resolve`, and at each boundary the driver's CPU seconds
(``time.process_time``) and its finished workers' CPU seconds (``RUSAGE_CHILDREN``) are recorded.
A thread samples ``/proc/self/task/*/stat`` (Linux) to give the CPU of each driver thread (the main
thread and the worker pool's task, result and maintenance threads). Prints one JSON object per line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from arcorpus import cli
from arcorpus.cli import clean as cli_clean
from arcorpus.dedup import Deduplicator
from arcorpus.run import local as pipeline

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def _thread_cpu(seen: dict[int, float], names: dict[int, str], stop: threading.Event) -> None:
    ticks = os.sysconf("SC_CLK_TCK")
    while not stop.is_set():
        for thread in threading.enumerate():
            if thread.native_id:
                names[thread.native_id] = thread.name
        for tid in os.listdir("/proc/self/task"):
            try:
                fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seen[int(tid)] = (int(fields[11]) + int(fields[12])) / ticks
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--input", type=Path, help="JSONL input (default: the shared corpus, unpacked)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arcorpus-phases-") as tmp:
        path = args.input
        if path is None:
            if not CORPUS.exists():
                raise SystemExit(f"shared corpus not found at {CORPUS}")
            path = Path(tmp) / "corpus.jsonl"
            with gzip.open(CORPUS, "rb") as src, open(path, "wb") as out:
                shutil.copyfileobj(src, out)
        marks: list[tuple[str, float, float, float]] = []
        start = time.perf_counter()

        def mark(name: str) -> None:
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            worker_cpu = children.ru_utime + children.ru_stime
            marks.append((name, time.perf_counter() - start, time.process_time(), worker_cpu))

        learn, resolve = pipeline.learn, Deduplicator.resolve

        def timed_learn(*a: Any, **k: Any) -> Any:
            mark("start: imports, building the steps")
            models = learn(*a, **k)
            mark("pass 1: read, parse, learn")
            return models

        def timed_resolve(self: Deduplicator) -> Any:
            mark("pass 2: parse, steps, signatures, spool")
            infos = resolve(self)
            mark("dedup: LSH, clusters")
            return infos

        cli_clean.learn = timed_learn  # type: ignore[assignment]
        Deduplicator.resolve = timed_resolve  # type: ignore[method-assign]
        seen: dict[int, float] = {}
        names: dict[int, str] = {}
        stop = threading.Event()
        sampler = threading.Thread(target=_thread_cpu, args=(seen, names, stop), daemon=True, name="sampler")
        sampler.start()
        out = Path(tmp) / "out.jsonl"
        argv = ["clean", str(path), "-o", str(out), "-q", "--workers", str(args.workers)]
        mark("begin")
        try:
            cli.main(argv)
        except SystemExit:
            pass
        mark("pass 3: finish, encode, write")
        stop.set()
        sampler.join()
    previous = marks[0][1:]
    for name, wall, driver, children in marks[1:]:
        print(json.dumps({"phase": name, "wall_s": round(wall - previous[0], 2),
                          "driver_cpu_s": round(driver - previous[1], 2),
                          "worker_cpu_s": round(children - previous[2], 2)}, ensure_ascii=False))
        previous = (wall, driver, children)
    per_thread: dict[str, float] = {}
    for tid, cpu in seen.items():
        name = names.get(tid, "other")
        name = name.split("(")[-1].rstrip(")") if "(" in name else name
        per_thread[name] = per_thread.get(name, 0.0) + cpu
    for name, cpu in sorted(per_thread.items(), key=lambda kv: -kv[1]):
        print(json.dumps({"driver_thread": name, "cpu_s": round(cpu, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
