"""Peak memory of ``arcorpus clean`` on a large Parquet input: bounded by a row group, not by the file.

    python benchmarks/bench_parquet_memory.py                  # ~1.1 GB and ~220 MB inputs, --workers 2
    python benchmarks/bench_parquet_memory.py --copies 5 --flags "--dedup none"   # without dedup's state
    python benchmarks/bench_parquet_memory.py --read-only      # reading the Parquet files only

Builds ``copies`` x the shared corpus (``../shared/corpora/arabic_news_all.jsonl.gz``, ~250 MB of JSON) as
one uncompressed Parquet file (row groups of 2048 rows; ids made unique per copy, so copies 2.. are exact
duplicates that dedup finds), then runs ``arcorpus clean big.parquet -o out.parquet`` (the default
profile: learning, cleaning, near dedup, a Parquet output) under ``/usr/bin/time -v`` and reports its
"Maximum resident set size" (the largest single process: the driver or one worker) with the input size.
The same run on one copy shows how peak memory grows with the input: it should barely grow.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def build(path: Path, copies: int) -> int:
    """Write ``copies`` x the corpus to ``path`` (uncompressed Parquet); return its size in bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [("id", pa.string()), ("corpus", pa.string()), ("source", pa.string()), ("text", pa.string())]
    )
    with pq.ParquetWriter(path, schema, compression="none") as writer:
        for copy in range(copies):
            rows: list[dict[str, str]] = []
            with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
                for line in fh:
                    record = json.loads(line)
                    rows.append(
                        {
                            "id": f"{record.get('id')}~{copy}",
                            "corpus": record.get("corpus"),
                            "source": record.get("source"),
                            "text": record.get("text"),
                        }
                    )
                    if len(rows) == 2048:
                        writer.write_table(pa.Table.from_pylist(rows, schema))
                        rows = []
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema))
    return path.stat().st_size


def measure(source: Path, out: Path, workers: int, extra: list[str]) -> dict[str, float]:
    command = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "arcorpus.cli",
        "clean",
        str(source),
        "-o",
        str(out),
        "-q",
        "--workers",
        str(workers),
        *extra,
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise SystemExit(f"arcorpus clean failed ({done.returncode}):\n{done.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    return {"peak_rss_mb": round(peak_kb / 1024, 1), "seconds": round(seconds, 1)}


def measure_read(source: Path) -> dict[str, float]:
    """Peak memory of reading ``source`` into documents only (`arcorpus.io.readers.read_file`)."""
    code = (
        "import sys; from pathlib import Path; from arcorpus.io.readers import read_file; "
        "print(sum(1 for _ in read_file(Path(sys.argv[1]))))"
    )
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", code, str(source)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"reading failed:\n{done.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    return {
        "items": int(done.stdout.split()[0]),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 5], help="input sizes, in corpus copies")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/arcorpus-bench-parquet"))
    parser.add_argument("--flags", default="", help="more arcorpus clean flags, e.g. '--dedup none'")
    parser.add_argument("--read-only", action="store_true", help="measure reading the Parquet file only")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"shared corpus not found at {CORPUS}")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for copies in args.copies:
        source = args.work_dir / f"corpus-x{copies}.parquet"
        size = source.stat().st_size if source.exists() else build(source, copies)
        out = args.work_dir / f"out-x{copies}.parquet"
        if args.read_only:
            print(
                json.dumps(
                    {
                        "copies": copies,
                        "input_mb": round(size / 1e6),
                        "read_only": True,
                        **measure_read(source),
                    }
                )
            )
            continue
        figures = measure(source, out, args.workers, args.flags.split())
        row = {"copies": copies, "input_mb": round(size / 1e6), "workers": args.workers, "flags": args.flags}
        results.append({**row, **figures})
        print(json.dumps(results[-1]), flush=True)
        out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
