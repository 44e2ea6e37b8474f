"""How the Dask engine's cost, memory and shuffle volume grow with corpus size (1x, 2x, 4x a sample).

    python benchmarks/bench_dask.py                          # 1x/2x/4x of 5,000 documents, 2 workers
    python benchmarks/bench_dask.py --docs 10000 --scales 1 2 4 --workers 2
    python benchmarks/bench_dask.py --scheduler tcp://HOST:PORT   # an existing cluster (shared paths!)

For each scale, the first ``scale x docs`` documents of the shared corpus (distinct documents, so the
duplicate rate is the corpus's own, not inflated by copies) are written as one plain JSONL file, then
cleaned twice through the real command line, as subprocesses: the embedded engine (``--workers N``) and
``--engine dask`` (a LocalCluster of N one-thread worker processes started by the run, or
``--scheduler``). The two outputs are compared byte for byte.

Reported per run: wall seconds, MB/s of JSONL input, peak resident memory of the largest process (the
driver, the scheduler or a worker; from rusage of the child processes), and from the dask run's
``--report``: seconds per stage (learn / clean / dedup; the rest is cluster start-up and writing), key
rows shuffled (each 16 bytes), candidate edges and documents, and signature bytes sent to the driver.
docs/scale.md records the results and projects them to 100 GB.
"""

from __future__ import annotations

import argparse
import filecmp
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARCORPUS_SHARED", REPO.parent / "shared"))  # ../shared, as in CI
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"


def sample(n: int, path: Path) -> tuple[int, int]:
    """The first ``n`` corpus lines to ``path``; returns (documents, bytes)."""
    written = 0
    with gzip.open(CORPUS, "rb") as src, open(path, "wb") as out:
        for line in src:
            if written == n:
                break
            out.write(line)
            written += 1
    return written, path.stat().st_size


# Runs one command and prints the rusage of everything it waited for: a fresh process per run, so the
# peak resident set is this run's (the largest process: driver, scheduler or a worker), and CPU seconds
# include worker processes.
LAUNCHER = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}))
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    seconds = time.perf_counter() - start
    usage = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {"code": -1}
    if usage["code"] not in (0, 3):
        raise SystemExit(f"failed ({usage['code']}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage["cpu"], 1),
        "peak_rss_mb": round(usage["maxrss_kb"] / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=5000, help="documents at scale 1 (default: 5000)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="an existing Dask scheduler (inputs must be on shared storage)")
    parser.add_argument("--block-mb", type=float, default=4.0, help="input block per partition (default: 4)")
    parser.add_argument("--workdir", help="where samples and outputs go (default: a temporary directory)")
    parser.add_argument("--json", help="also write the results as JSON")
    parser.add_argument("clean_args", nargs="*", help="extra `arcorpus clean` options, after --")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"shared corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="arcorpus-bench-dask-"))
    workdir.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, "-m", "arcorpus.cli", "clean", "-q", "--workers", str(args.workers)]
    results = []
    for scale in args.scales:
        path = workdir / f"sample-x{scale}.jsonl"
        docs, size = sample(args.docs * scale, path)
        local_out, dask_out = workdir / f"local-x{scale}.jsonl", workdir / f"dask-x{scale}.jsonl"
        report = workdir / f"dask-x{scale}.report.json"
        local = run([*base, str(path), "-o", str(local_out), *args.clean_args])
        engine = ["--engine", "dask"] + (["--scheduler", args.scheduler] if args.scheduler else [])
        block = {"ARCORPUS_DASK_BLOCK_SIZE": str(int(args.block_mb * 1e6))}
        dask = run(
            [*base, *engine, str(path), "-o", str(dask_out), "--report", str(report), *args.clean_args], block
        )
        stats = json.loads(report.read_text())["dask"]
        stats["stages"] = stats.pop("seconds", {})
        row = {
            "scale": scale,
            "documents": docs,
            "mb": round(size / 1e6, 1),
            "embedded": {**local, "mb_s": round(size / 1e6 / local["seconds"], 2)},
            "dask": {**dask, "mb_s": round(size / 1e6 / dask["seconds"], 2), **stats},
            "identical": filecmp.cmp(local_out, dask_out, shallow=False),
        }
        results.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(
        "scale  docs     MB  | embedded s  MB/s  peakMB | dask s  MB/s  peakMB  learn  clean  dedup | "
        "key rows  shuffle MB  edges  candidates  sig MB->driver | same"
    )
    for r in results:
        e, d = r["embedded"], r["dask"]
        sec = d["stages"]
        print(
            f"{r['scale']:>4}x {r['documents']:>6} {r['mb']:>6} | {e['seconds']:>9} {e['mb_s']:>5} "
            f"{e['peak_rss_mb']:>7} | {d['seconds']:>6} {d['mb_s']:>5} {d['peak_rss_mb']:>7} "
            f"{sec.get('learn', 0):>6} {sec.get('clean', 0):>6} {sec.get('dedup', 0):>6} | "
            f"{d.get('key_rows', 0):>8} {d.get('key_rows', 0) * 16 / 1e6:>10.2f} "
            f"{d.get('candidate_edges', 0):>6} {d.get('candidates', 0):>11} "
            f"{d.get('signature_bytes_to_driver', 0) / 1e6:>14.2f} | {r['identical']}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(r["identical"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
