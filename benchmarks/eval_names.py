"""Measure the names step: speed on the shared corpus, and merge recall / false merges on labelled clusters.

    python benchmarks/eval_names.py speed [--limit N]     # MB/s of the names step alone, one core
    python benchmarks/eval_names.py clusters [FILE] [--profile P] [--split design|test|all]
                                                          # recall / false merges / native words altered
    python benchmarks/eval_names.py pipeline [--limit N]  # per-document steps with and without names
    python benchmarks/eval_names.py learn [--limit N] [--sample S] -o PROFILE
                                                          # the corpus learner over the shared corpus, timed
    python benchmarks/eval_names.py review --profile P [--sample N] [--seed S] -o FILE
                                                          # a seeded sample of whole-corpus rewrites to read
    python benchmarks/eval_names.py variants-top          # share of true names in `arcorpus variants`' top 50

``--profile`` builds the step with a names model learned from the corpus (``learn``): "with the corpus as
context", as `arcorpus clean` does. ``--split``: the labelled entities are split once, by a seeded hash of
the entity id (`in_test_split`): *design* entities were looked at while building the mechanism, *test*
entities only measured. The held-out clusters of ``benchmarks/data/names_heldout.jsonl`` (drawn by
``benchmarks/draw_names_heldout.py`` from documents nobody designed on, labelled before the learner ran on
them) are all test.

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
import random
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.document import Document  # noqa: E402
from arcorpus.steps.names import build  # noqa: E402
from arcorpus.text.names.learn import NameVariantLearner, load_profile, save_profile  # noqa: E402

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


SPLIT_SALT = b"arcorpus-names-split-16:"


def in_test_split(entity: str) -> bool:
    """The fixed design/test split of labelled entities: a third of them, by a seeded hash of the id."""
    return zlib.crc32(SPLIT_SALT + entity.encode("utf-8")) % 3 == 0


def _case_key(case: dict) -> str:
    return str(case.get("entity") or case.get("a") or case.get("text") or "")


def _step(profile: str | None):
    models = {"names": load_profile(profile)} if profile else {}
    step = build(CleanConfig(), models)
    assert step is not None
    return step


def clusters(path: str | None = None, profile: str | None = None, split: str = "all") -> None:
    cases = [
        json.loads(line)
        for line in open(path or ROOT / "tests/cases/names_clusters.jsonl", encoding="utf-8")
        if line.strip() and not line.startswith("#")
    ]
    if split != "all" and not (path and "heldout" in str(path)):
        cases = [c for c in cases if in_test_split(_case_key(c)) == (split == "test")]
    step = _step(profile)
    spelled = {e.id: e.spelling() for e in step.matcher.entities}

    def run(text: str) -> str:
        return step(Document("x", text)).text

    total = merged = 0
    missed = []
    distinct = false_merges = 0
    native = altered = 0
    entities = set()
    for case in cases:
        if case["kind"] == "cluster":
            entities.add(case["entity"])
            spellings = case["spellings"]
            # the cluster's output: the gazetteer spelling when listed, else what its first spelling becomes
            target = spelled.get(case["entity"]) or run(spellings[0])
            for s in spellings:
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
        f"split={split} entities={len(entities)}: "
        f"merge recall {merged}/{total} = {merged / max(total, 1):.1%}; "
        f"false merges {false_merges}/{distinct}; native altered {altered}/{native}"
    )


def learn_profile(limit: int | None, sample: int, output: str) -> None:
    """The learner as `arcorpus clean` runs it (fresh learners per batch of 512, merged in order), timed."""
    docs = _load(limit)
    size = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    t0 = time.process_time()
    main = NameVariantLearner(sample=sample)
    for i in range(0, len(docs), 512):
        part = NameVariantLearner(sample=sample)
        part.observe_many(docs[i : i + 512])
        main.merge(part)
    observed = time.process_time() - t0
    model = main.finish()
    finished = time.process_time() - t0 - observed
    save_profile(model, output)
    print(
        f"docs={len(docs)} MB={size:.1f} sample=1/{sample} learned_docs={model.docs} "
        f"observe+merge={observed:.2f}s finish={finished:.2f}s total={observed + finished:.2f}s "
        f"({size / (observed + finished):.0f} MB/s) clusters={len(model.clusters)} -> {output}"
    )


def review(profile: str | None, sample: int, seed: int, output: str, limit: int | None = None) -> None:
    """Every rewrite the step makes on the corpus; a seeded sample of them with short contexts to read.

    An existing ``output`` keeps its verdicts (``verdict``: ok / wrong, with a note): the rewrites are drawn
    again the same way and the wrong rate is printed."""
    step = _step(profile)
    rewrites = []
    for d in _load(limit):
        out = step(d)
        if not out.changes:
            continue
        lines = d.text.split("\n")
        for c in out.changes:
            if c.action != "rewrite":
                continue
            line = lines[c.line]
            left = " ".join(line[max(0, c.start - 30) : c.start].split())
            right = " ".join(line[c.end : c.end + 30].split())
            rewrites.append({"doc": d.id, "rule": c.rule, "before": c.before, "after": c.after,
                             "context": f"{left} [{c.before}] {right}"})
    drawn = random.Random(seed).sample(rewrites, min(sample, len(rewrites)))
    old = {}
    if os.path.exists(output):
        for line in open(output, encoding="utf-8"):
            rec = json.loads(line)
            old[(rec["doc"], rec["context"])] = rec
    wrong = judged = 0
    with open(output + ".tmp", "w", encoding="utf-8") as fh:
        for rec in drawn:
            prev = old.get((rec["doc"], rec["context"]), {})
            for k in ("verdict", "note"):
                if k in prev:
                    rec[k] = prev[k]
            judged += "verdict" in rec
            wrong += rec.get("verdict") == "wrong"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(output + ".tmp", output)
    learned = sum(r["rule"] == "names.learned" for r in rewrites)
    print(
        f"rewrites={len(rewrites)} (learned {learned}) sampled={len(drawn)} judged={judged} wrong={wrong} "
        f"-> {output}"
    )


def variants_top(limit: int = 50, labels: str = "benchmarks/data/names_variants_top50.tsv") -> None:
    """`arcorpus variants` (`discover`, min count 3) on documents never learned from nor looked at while
    designing (``crc32(id) % 10`` in 3, 4, 5 and outside the learner's 1-in-4 sample), scored with the
    labels of ``labels`` (a proposal not labelled yet is printed to be labelled)."""
    from arcorpus.text.names.discover import discover

    docs = [
        d
        for d in _load(None)
        if zlib.crc32(d.id.encode("utf-8")) % 10 in (3, 4, 5)
        and zlib.crc32(d.text[:256].encode("utf-8", "surrogatepass")) % 4 != 0
    ]
    from arcorpus.steps.names import load_entities

    found = discover(lambda: iter(docs), known=load_entities(), min_count=3, limit=limit)
    known = {}
    for line in open(ROOT / labels, encoding="utf-8"):
        cells = line.rstrip("\n").split("\t")
        if not line.startswith("#") and len(cells) >= 4 and cells[0] != "id":
            known[cells[1]] = cells[3]
    names = sum(known.get(c.canonical) == "name" for c in found)
    for c in found:
        if c.canonical not in known:
            print("UNLABELLED", c.canonical, "|".join(f for f, _ in c.forms[1:]))
    share = names / max(len(found), 1)
    print(f"docs={len(docs)} proposals={len(found)} true name clusters={names} ({share:.0%})")


def _opt(rest: list[str], name: str, default: str | None = None) -> str | None:
    return rest[rest.index(name) + 1] if name in rest else default


if __name__ == "__main__":
    cmd, *rest = sys.argv[1:] or ["speed"]
    limit = _opt(rest, "--limit")
    if cmd == "speed":
        speed(int(limit) if limit else None)
    elif cmd == "pipeline":
        pipeline(int(limit) if limit else 10000)
    elif cmd == "learn":
        sample = int(_opt(rest, "--sample", "8") or 8)
        learn_profile(int(limit) if limit else None, sample, _opt(rest, "-o") or "")
    elif cmd == "variants-top":
        variants_top()
    elif cmd == "review":
        review(
            _opt(rest, "--profile"),
            int(_opt(rest, "--sample", "300") or 300),
            int(_opt(rest, "--seed", "16") or 16),
            _opt(rest, "-o") or "benchmarks/data/names_review.jsonl",
            int(limit) if limit else None,
        )
    else:
        path = rest[0] if rest and not rest[0].startswith("--") else None
        clusters(path, _opt(rest, "--profile"), _opt(rest, "--split", "all") or "all")
