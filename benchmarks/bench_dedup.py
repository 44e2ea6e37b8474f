"""Dedup benchmark on the shared corpus: signature speed against datasketch and rensa, and a whole-corpus run.

    python benchmarks/bench_dedup.py speed  [--limit-mb 40]     # one core, same run, same input
    python benchmarks/bench_dedup.py corpus [--sample 20]       # clusters, timings, memory
    python benchmarks/bench_dedup.py cleaned [--workers 1]      # the same after the full cleaning pipeline

``speed``: every contender gets the same documents in the same run. Like for like, the peers and
``minhash_signature`` get the same matching keys and the same settings (128 permutations, word 5-gram
shingles of the key); ``arcorpus end-to-end`` also computes the matching key from the raw text (folding,
punctuation, exact key) in batches of 64, as the pipeline does. Contenders run interleaved in rounds so
that load from other processes hits all of them alike; the best round counts.

``corpus``: signatures for all documents (raw text: run ``arcorpus clean`` for cleaned text), then
``resolve()``; prints exact/near cluster counts, LSH + clustering time, peak memory of the driver state,
and a sample of clusters (ids and the first 80 characters of each member's first line) for docs/dedup.md.

Needs the ``bench`` extra (datasketch, rensa, psutil). This is a script, not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.dedup import Deduplicator, matching_key, minhash_signature  # noqa: E402
from arcorpus.document import Document  # noqa: E402

SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()), ROOT.parent / "shared"
)
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
NUM_PERM = 128
NGRAM = 5


def read_corpus(limit_bytes: int | None = None) -> Iterator[dict[str, str]]:
    total = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            total += len(record["text"].encode("utf-8"))
            yield record
            if limit_bytes is not None and total >= limit_bytes:
                return


def shingle_strings(key: str) -> list[str]:
    words = key.split()
    if len(words) < NGRAM:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)]


def speed(limit_mb: float, rounds: int) -> None:
    import datasketch
    import rensa

    records = list(read_corpus(int(limit_mb * 1e6)))
    texts = [r["text"] for r in records]
    keys = [matching_key(t) for t in texts]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    key_mb = sum(len(k.encode("utf-8")) for k in keys) / 1e6
    dedup = Deduplicator(CleanConfig(repeated_paragraphs="off"))
    docs = [Document(str(i), t) for i, t in enumerate(texts)]
    template = datasketch.MinHash(num_perm=NUM_PERM, seed=1)
    permutations, scheme = template.permutations, template.scheme

    def ours_end_to_end() -> None:
        for i in range(0, len(docs), 64):
            dedup.signatures(docs[i : i + 64])

    def ours_from_key() -> None:
        for k in keys:
            minhash_signature(k, NUM_PERM, NGRAM)

    def rensa_from_key() -> None:
        for k in keys:
            m = rensa.RMinHash(num_perm=NUM_PERM, seed=1)
            m.update(shingle_strings(k))
            m.digest()

    def datasketch_from_key() -> None:
        for k in keys:
            m = datasketch.MinHash(num_perm=NUM_PERM, seed=1, permutations=permutations, scheme=scheme)
            m.update_batch([s.encode("utf-8") for s in shingle_strings(k)])
            m.digest()

    def matching_keys_only() -> None:
        for t in texts:
            matching_key(t)

    contenders = {
        "arcorpus end-to-end (text -> key -> signature, batches of 64)": ours_end_to_end,
        "arcorpus minhash_signature(key)": ours_from_key,
        "rensa RMinHash(key shingles)": rensa_from_key,
        "datasketch MinHash.update_batch(key shingles)": datasketch_from_key,
        "arcorpus matching_key(text) only": matching_keys_only,
    }
    best = {name: float("inf") for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    print(
        f"{len(texts)} documents, {mb:.1f} MB raw text, {key_mb:.1f} MB of matching keys; "
        f"best of {rounds} rounds"
    )
    for name, seconds in best.items():
        print(f"  {name:62s} {mb / seconds:7.1f} MB/s of raw text  ({seconds:.2f} s)")


def corpus(sample: int, limit_mb: float | None) -> None:
    dedup = Deduplicator(CleanConfig())
    first_lines: dict[str, str] = {}
    batch: list[Document] = []
    index = 0
    total_bytes = 0
    started = time.perf_counter()
    sig_seconds = 0.0

    def flush() -> None:
        nonlocal index, sig_seconds
        t0 = time.perf_counter()
        sigs = dedup.signatures(batch)
        sig_seconds += time.perf_counter() - t0
        for doc, sig in zip(batch, sigs, strict=True):
            dedup.add(index, doc.id, sig)
            index += 1
        batch.clear()

    for record in read_corpus(int(limit_mb * 1e6) if limit_mb else None):
        text = record["text"]
        total_bytes += len(text.encode("utf-8"))
        first_lines[record["id"]] = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")[:80]
        batch.append(Document(record["id"], text))
        if len(batch) == 64:
            flush()
    flush()
    read_seconds = time.perf_counter() - started
    state_bytes = driver_bytes(dedup)
    rss_before = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    infos = dedup.resolve()
    resolve_seconds = time.perf_counter() - t0
    tracemalloc.start()  # a second, traced resolve for its peak allocation (tracing slows it down)
    infos = dedup.resolve()
    resolve_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    t0 = time.perf_counter()
    for i, record in enumerate(read_corpus(int(limit_mb * 1e6) if limit_mb else None)):
        dedup.finish_document(i, Document(record["id"], record["text"]))  # captures repeated-paragraph texts
    print(f"final pass (repeated paragraphs, includes JSON decoding): {time.perf_counter() - t0:.1f} s")
    report = dedup.report()
    print(
        f"{index} documents, {total_bytes / 1e6:.1f} MB; read+signatures {read_seconds:.1f} s "
        f"(signatures alone {sig_seconds:.1f} s = {total_bytes / 1e6 / sig_seconds:.1f} MB/s, one core)"
    )
    print(f"resolve (exact groups + LSH + verification + components): {resolve_seconds:.2f} s")
    print(
        f"driver state after signatures: {state_bytes / 1e6:.1f} MB = "
        f"{state_bytes / max(index, 1):.0f} bytes/doc; "
        f"extra peak allocated by resolve: {resolve_peak / 1e6:.1f} MB; process RSS {rss_before / 1e6:.0f} MB"
    )
    summary = {k: v for k, v in report.items() if k not in ("largest_clusters", "repeated_paragraphs")}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    rp = report["repeated_paragraphs"]
    print(f"repeated paragraphs: {rp['count']} (min_docs {rp['min_docs']}, min_words {rp['min_words']})")
    for item in rp["top"][:15]:
        print(f"  {item['documents']:5d} documents  {item['text'][:110]}")
    print(f"duplicates: {sum(1 for i in infos.values() if i.duplicate_of is not None)}")
    clusters = report_clusters(dedup)
    rng = random.Random(6)
    exact = [c for c in clusters if c["method"] == "exact"]
    near = [c for c in clusters if c["method"] == "near"]
    picked = rng.sample(near, min(len(near), sample * 3 // 4)) + rng.sample(
        exact, min(len(exact), sample // 4)
    )
    for c in picked:
        print(f"\n### {c['cluster_id']} ({c['method']}, {c['size']} documents, kept {c['kept']})")
        for member in c["members"][:6]:
            print(f"- `{member}` {first_lines.get(member, '')}")
        if len(c["members"]) > 6:
            print(f"- ... and {len(c['members']) - 6} more")


def cleaned(limit_mb: float | None, workers: int) -> None:
    """The whole pipeline (standard profile) over the corpus; prints the dedup report of cleaned text."""
    from arcorpus.run.local import run

    def source() -> Iterator[Document]:
        for record in read_corpus(int(limit_mb * 1e6) if limit_mb else None):
            meta = {k: v for k, v in record.items() if k not in ("id", "text")}
            yield Document(record["id"], record["text"], metadata=meta)

    reports: list[dict[str, object]] = []
    started = time.perf_counter()
    kinds: dict[str, int] = {}
    for outcome in run(source, CleanConfig(), workers=workers, on_dedup_report=reports.append):
        kinds[outcome.kind] = kinds.get(outcome.kind, 0) + 1
    print(
        f"pipeline (learn + clean + dedup, {workers} worker(s)): "
        f"{time.perf_counter() - started:.0f} s; {kinds}"
    )
    report = reports[0]
    summary = {k: v for k, v in report.items() if k not in ("largest_clusters", "repeated_paragraphs")}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    rp = report["repeated_paragraphs"]
    assert isinstance(rp, dict)
    print(f"repeated paragraphs: {rp['count']}")
    for item in rp["top"][:15]:
        print(f"  {item['documents']:5d} documents  {item['text'][:110]}")


def driver_bytes(dedup: Deduplicator) -> int:
    """Bytes the driver holds: signature rows (allocated capacity), keys, ids, paragraph hashes."""
    n = len(dedup._index)
    total = dedup._sigs.nbytes
    total += sum(sys.getsizeof(k) for k in dedup._exact) + sum(sys.getsizeof(i) for i in dedup._ids)
    total += sum(p.nbytes + 112 for p in dedup._paragraphs)
    total += 8 * 4 * n + sys.getsizeof(dedup._position_of) + 36 * n  # list slots, ints, dict
    return total


def report_clusters(dedup: Deduplicator) -> list[dict[str, object]]:
    return list(dedup._clusters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--limit-mb", type=float, default=30.0)
    s.add_argument("--rounds", type=int, default=3)
    c = sub.add_parser("corpus")
    c.add_argument("--sample", type=int, default=20)
    c.add_argument("--limit-mb", type=float, default=None)
    p = sub.add_parser("cleaned")
    p.add_argument("--limit-mb", type=float, default=None)
    p.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    np.seterr(over="ignore")
    if args.cmd == "speed":
        speed(args.limit_mb, args.rounds)
    elif args.cmd == "cleaned":
        cleaned(args.limit_mb, args.workers)
    else:
        corpus(args.sample, args.limit_mb)


if __name__ == "__main__":
    main()
