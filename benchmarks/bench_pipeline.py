"""End-to-end throughput of ``arcorpus clean`` and of peers, on the same documents, in one run.

    python benchmarks/bench_pipeline.py                       # whole shared corpus, 1 and 2 workers
    python benchmarks/bench_pipeline.py --limit 10000         # a quick look
    python benchmarks/bench_pipeline.py --scale 1 2 4         # cost growth with corpus size
    python benchmarks/bench_pipeline.py --peers               # also pyarabic, ftfy, ... if installed
    python benchmarks/bench_pipeline.py --repeat 3            # median of 3 interleaved runs per config

arcorpus is measured through its real command line (reading JSONL, corpus learning, every default step,
near-duplicate removal, writing JSONL), as a subprocess, timed by wall clock; peak memory is the largest
resident set of the main process and of any worker (``getrusage`` of the run's own process tree). MB are
MB of UTF-8 JSONL input. Peers are timed in this process on the text fields only, one core each, and are
skipped with a note when not installed (``pip install -e '.[bench]'`` installs the ones on PyPI that
install cleanly; camel-tools needs torch and is best installed in a separate venv).

Results go to stdout as a table and, with ``--json FILE``, to JSON. docs/performance.md records them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def prepare(limit: int | None, scale: int, workdir: Path) -> tuple[Path, int, int]:
    """Write ``scale`` copies of the first ``limit`` corpus documents (ids made unique) as plain JSONL."""
    path = workdir / f"corpus-{limit or 'all'}-x{scale}.jsonl"
    docs = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as src:
        lines = [line for _, line in zip(range(limit) if limit else iter(int, 1), src, strict=False)]
    with open(path, "w", encoding="utf-8") as out:
        for copy in range(scale):
            for line in lines:
                if copy:
                    record = json.loads(line)
                    record["id"] = f"{record['id']}~{copy}"
                    line = json.dumps(record, ensure_ascii=False) + "\n"
                out.write(line)
                docs += 1
    return path, path.stat().st_size, docs


_MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(code)
"""
"""Runs one command and reports the peak resident set of it and its workers (its own waited-for
descendants), so each run's peak is its own, not the largest of every run so far."""


def run_arcorpus(path: Path, workers: int, extra: list[str]) -> dict[str, float]:
    out = path.with_suffix(f".out-w{workers}.jsonl")
    usage_file = path.with_suffix(".usage")
    cmd = [sys.executable, "-m", "arcorpus.cli", "clean", str(path), "-o", str(out), "-q",
           "--workers", str(workers), *extra]
    start = time.perf_counter()
    measured = [sys.executable, "-c", _MEASURE, str(usage_file), *cmd]
    proc = subprocess.run(measured, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(f"arcorpus failed ({proc.returncode}): {proc.stderr[-2000:]}")
    maxrss_kb, cpu = usage_file.read_text().split()
    return {
        "seconds": seconds,
        "cpu_seconds": float(cpu),
        "peak_rss_mb": int(maxrss_kb) / 1024,
        "output_bytes": out.stat().st_size,
    }


def texts(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"]


def peers() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {}
    try:
        from camel_tools.utils.charmap import CharMapper

        found["camel-tools arclean"] = CharMapper.builtin_mapper("arclean").map_string
    except Exception:
        pass
    try:
        import pyarabic.araby as araby

        def pyarabic_chain(text: str) -> str:
            text = araby.strip_tashkeel(text)
            text = araby.strip_tatweel(text)
            text = araby.normalize_hamza(text)
            return araby.normalize_ligature(text)

        found["pyarabic chain"] = pyarabic_chain
    except Exception:
        pass
    try:
        import ftfy

        found["ftfy fix_text"] = ftfy.fix_text
    except Exception:
        pass
    try:
        import araclean  # type: ignore[import-not-found]

        if hasattr(araclean, "clean"):
            found["araclean clean"] = araclean.clean
    except Exception:
        pass
    try:
        from datasketch import MinHash

        def datasketch_sig(text: str) -> object:
            words = text.split()
            m = MinHash(num_perm=128)
            m.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
            return m

        found["datasketch MinHash"] = datasketch_sig
    except Exception:
        pass
    try:
        from rensa import RMinHash

        def rensa_sig(text: str) -> object:
            words = text.split()
            m = RMinHash(num_perm=128, seed=42)
            m.update([" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))])
            return m

        found["rensa RMinHash"] = rensa_sig
    except Exception:
        pass
    return found


def time_peer(func: Callable[[str], object], path: Path, nbytes: int) -> float:
    corpus = list(texts(path))
    start = time.perf_counter()
    for text in corpus:
        func(text)
    return nbytes / 1e6 / (time.perf_counter() - start)


def time_reading(path: Path, nbytes: int) -> float:
    """The floor every tool pays: reading the JSONL lines and decoding them (MB/s, one core)."""
    start = time.perf_counter()
    with open(path, "rb") as fh:
        for line in fh:
            json.loads(line)
    return nbytes / 1e6 / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scale", type=int, nargs="+", default=[1], help="corpus copies (cost growth)")
    parser.add_argument("--peers", action="store_true", help="also time peer libraries on the same texts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (the median is shown)")
    parser.add_argument("--json", metavar="FILE", help="write results as JSON")
    parser.add_argument("extra", nargs="*", help="extra flags for arcorpus clean (after --)")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"shared corpus not found at {CORPUS}")
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="arcorpus-bench-") as tmp:
        for scale in args.scale:
            path, nbytes, ndocs = prepare(args.limit, scale, Path(tmp))
            base = None
            runs: dict[int, list[dict[str, float]]] = {w: [] for w in args.workers}
            for _ in range(args.repeat):  # interleaved, so a slow spell of the machine hits every config
                for workers in args.workers:
                    runs[workers].append(run_arcorpus(path, workers, args.extra))
            for workers in args.workers:
                ordered = sorted(runs[workers], key=lambda r: r["seconds"])
                r = ordered[len(ordered) // 2]  # the median run
                mbps = nbytes / 1e6 / r["seconds"]
                base = base or mbps
                row = {"tool": "arcorpus clean (default pipeline)", "scale": scale, "workers": workers,
                       "docs": ndocs, "mb": round(nbytes / 1e6, 1), "seconds": round(r["seconds"], 2),
                       "mb_per_s": round(mbps, 2), "docs_per_s": round(ndocs / r["seconds"]),
                       "speedup": round(mbps / base, 2), "cpu_seconds": round(r["cpu_seconds"], 2),
                       "peak_rss_mb": round(max(x["peak_rss_mb"] for x in ordered)),
                       "all_seconds": [round(x["seconds"], 2) for x in runs[workers]]}
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
            if args.peers and scale == args.scale[0]:
                row = {"tool": "baseline: read lines + json.loads", "scale": scale, "workers": 1,
                       "mb_per_s": round(time_reading(path, nbytes), 2)}
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                for name, func in peers().items():
                    mbps = time_peer(func, path, nbytes)
                    row = {"tool": name, "scale": scale, "workers": 1, "mb_per_s": round(mbps, 2)}
                    results.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
