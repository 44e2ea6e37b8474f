"""Throughput of the I/O layer and the output contract on the shared corpus (one core).

    python benchmarks/bench_io.py [../shared/corpora/arabic_news_all.jsonl.gz]

Measures, separately: reading (gzip decompress + JSON parse + Document/Reject),
`arcorpus.text.guard.finalize_text` (the surrogate/NFC output contract every document pays), and
writing (JSON serialisation + atomic write), each as MB/s of UTF-8 text per CPU-second of this process
(so other jobs on the machine do not distort it). Not a test: the corpus is research data outside the
repository.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from arcorpus.document import Document
from arcorpus.io.readers import read_file
from arcorpus.io.writers import AtomicJsonlWriter
from arcorpus.text.guard import finalize_text

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arabic_news_all.jsonl.gz"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    start = time.process_time()
    items = list(read_file(path))
    read_s = time.process_time() - start
    docs = [item for item in items if isinstance(item, Document)]
    if not docs:
        sys.exit(f"no documents read from {path}: {items[:1]}")
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    start = time.process_time()
    changed = sum(1 for d in docs if finalize_text(d.text)[1])
    guard_s = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.process_time()
        with AtomicJsonlWriter(Path(tmp) / "out.jsonl") as out:
            for d in docs:
                out.write(d.to_record())
        write_s = time.process_time() - start
    print(f"{len(docs)} documents ({len(items) - len(docs)} rejects), {mb:.1f} MB of text")
    print(f"read (gzip + JSON + documents): {read_s:.1f} s = {mb / read_s:.1f} MB/s")
    guard = f"{guard_s:.2f} s = {mb / guard_s:.0f} MB/s, {changed} documents changed"
    print(f"output contract (textguard):    {guard}")
    print(f"write (JSON + atomic file):     {write_s:.1f} s = {mb / write_s:.1f} MB/s")


if __name__ == "__main__":
    main()
