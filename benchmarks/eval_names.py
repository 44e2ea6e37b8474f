"""Measure the names step: speed on the shared corpus, and merge recall / false merges on labelled clusters.

    python benchmarks/eval_names.py speed [--limit N]     # MB/s of the names step alone, one core
    python benchmarks/eval_names.py clusters [FILE]       # recall / false merges / native words altered
    python benchmarks/eval_names.py pipeline [--limit N]  # per-document steps with and without names

``speed`` reads the corpus into memory first (decompression and JSON are not timed) and times only
`NamesStep.__call__` over every document (CPU time of this process, so other jobs on the machine do
not count); MB is UTF-8 bytes of the input texts.

``clusters`` reads a JSONL of labelled cases (default tests/cases/names_clusters.jsonl):
``{"kind": "cluster", "entity": id, "spellings": [...]}`` (every spelling must come out as the entity's
spelling: merge recall), ``{"kind": "distinct", "a": text, "b": text}`` (a and b must still differ after the
step: false merges), ``{"kind": "native", "text": ...}`` (must come out unchanged: native words altered).
Each spelling is tried bare and inside a sentence with a proclitic.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.document import Document  # noqa: E402
from arcorpus.steps.names import build  # noqa: E402

SHARED = Path(os.environ.get("ARCORPUS_SHARED", ROOT.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
WAW = "\N{ARABIC LETTER WAW}"


def _load(limit: int | None) -> list[Document]:
    """The first ``limit`` documents of the shared corpus (all with None), text only."""
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            rec = json.loads(line)
            docs.append(Document(rec["id"], rec["text"]))
    return docs


def speed(limit: int | None = None) -> None:
    docs = _load(limit)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    t0 = time.perf_counter()
    step = build(CleanConfig(), {})
    built = time.perf_counter() - t0
    assert step is not None
    rewrites = changed = 0
    t0 = time.process_time()
    for d in docs:
        out = step(d)
        if out.changes:
            changed += 1
            rewrites += len(out.changes)
    secs = time.process_time() - t0
    print(
        f"docs={len(docs)} MB={size / 1e6:.1f} build={built:.2f}s step={secs:.2f}s "
        f"MB/s={size / 1e6 / secs:.1f} docs_changed={changed} rewrites={rewrites}"
    )


def pipeline(limit: int | None = 10000) -> None:
    """CPU time of every default per-document step (no corpus learning, no dedup), names on and off."""
    from arcorpus.steps import apply_steps, build_steps

    docs = _load(limit)
    size = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    for names in (False, True):
        steps = build_steps(CleanConfig(names=names), {})
        t0 = time.process_time()
        for d in docs:
            apply_steps(d, steps)
        secs = time.process_time() - t0
        print(f"names={names}: {len(steps)} steps, {size:.1f} MB in {secs:.2f}s = {size / secs:.1f} MB/s")


def clusters(path: str | None = None) -> None:
    cases = [
        json.loads(line) for line in open(path or ROOT / "tests/cases/names_clusters.jsonl", encoding="utf-8")
    ]
    step = build(CleanConfig(), {})
    assert step is not None
    spelled = {e.id: e.spelling() for e in step.matcher.entities}

    def run(text: str) -> str:
        return step(Document("x", text)).text

    total = merged = 0
    missed = []
    distinct = false_merges = 0
    native = altered = 0
    for case in cases:
        if case["kind"] == "cluster":
            target = spelled[case["entity"]]
            for s in case["spellings"]:
                for text, want in ((s, target), (f"{WAW}{s} .", f"{WAW}{target} .")):
                    total += 1
                    if run(text) == want:
                        merged += 1
                    else:
                        missed.append((case["entity"], text, run(text)))
        elif case["kind"] == "distinct":
            distinct += 1
            if run(case["a"]) == run(case["b"]):
                false_merges += 1
                print("FALSE MERGE", case["a"], case["b"])
        elif case["kind"] == "native":
            native += 1
            if run(case["text"]) != case["text"]:
                altered += 1
                print("NATIVE ALTERED", case["text"], "->", run(case["text"]))
    for m in missed:
        print("MISSED", *m)
    print(
        f"merge recall {merged}/{total} = {merged / max(total, 1):.1%}; "
        f"false merges {false_merges}/{distinct}; native altered {altered}/{native}"
    )


if __name__ == "__main__":
    cmd, *rest = sys.argv[1:] or ["speed"]
    if cmd == "speed":
        speed(int(rest[1]) if rest[:1] == ["--limit"] else None)
    elif cmd == "pipeline":
        pipeline(int(rest[1]) if rest[:1] == ["--limit"] else 10000)
    else:
        clusters(rest[0] if rest else None)
