"""Score the boilerplate stage on the labelled dev set, with the whole shared corpus as learning context.

    python benchmarks/eval_boilerplate.py                      # learn from the corpus, score the dev set
    python benchmarks/eval_boilerplate.py --speed              # also time cleaning the whole corpus
    python benchmarks/eval_boilerplate.py --show errors        # list every wrong line

Line labels (see ../shared/eval/GUIDE.md): B/M lines should leave the text (a B/M line kept is a miss);
C lines must stay (a C line removed is content lost, and a false positive); for P lines the labelled
boilerplate substring should be removed (span or line) while the rest stays. U and E are not scored.
Documents are matched to the corpus by ``id``; the stage runs on the raw dev text with ``source`` and
``title`` from the dev record as metadata, exactly as `arcorpus clean` would see them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.document import Document  # noqa: E402
from arcorpus.steps import STEPS, Step  # noqa: E402
from arcorpus.steps.boilerplate import site_lines  # noqa: E402

SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT.parent / "shared"
)
"""The shared data: the repo's sibling ``shared/`` (CI), or the nearest ancestor that has one."""
STAGE = [s for s in STEPS if s.stage == "boilerplate"]


def read_corpus(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            meta = {k: v for k, v in rec.items() if k not in ("id", "text")}
            yield Document(id=str(rec["id"]), text=rec["text"], metadata=meta)


def learn(path: Path, config: CleanConfig) -> tuple[site_lines.SiteModel, float, float]:
    learner = site_lines.learner(config)
    assert learner is not None
    docs = list(read_corpus(path))  # read (gunzip + JSON) outside the timing
    size = sum(len(doc.text.encode("utf-8")) for doc in docs)
    started = time.process_time()
    for doc in docs:
        learner.observe(doc)
    model = learner.finish()
    return model, time.process_time() - started, size / 1e6


def run_stage(doc: Document, steps: list[Step]) -> tuple[Document, list[int], dict[int, list[str]]]:
    """Apply the steps one by one, tracking which original line each surviving line is."""
    alive = list(range(len(doc.text.split("\n"))))
    spans: dict[int, list[str]] = {}
    for step in steps:
        before = len(doc.changes)
        doc = step(doc)
        removed = set()
        for ch in doc.changes[before:]:
            if ch.action in ("remove_line", "to_metadata") and ch.start < 0:
                removed.add(ch.line)
            elif ch.action in ("remove_span", "to_metadata"):
                spans.setdefault(alive[ch.line], []).append(ch.before)
        alive = [orig for j, orig in enumerate(alive) if j not in removed]
    return doc, alive, spans


def norm(s: str) -> str:
    return " ".join(s.split())


def score(dev: list[dict], steps: list[Step], show: str) -> dict[str, float]:
    tp = fp = fn = content = lost = 0
    errors: list[str] = []
    for rec in dev:
        meta = {"source": rec.get("source")}
        if rec.get("title"):
            meta["title"] = rec["title"]
        doc = Document(id=rec["id"], text=rec["text"], metadata=meta)
        cleaned, alive, spans = run_stage(doc, steps)
        kept = set(alive)
        lines = rec["text"].split("\n")
        rules = {}
        for ch in cleaned.changes:
            rules.setdefault(norm(ch.before), ch.rule)
        for i, (line, label) in enumerate(zip(lines, rec["labels"], strict=False)):
            removed = i not in kept
            span_removed = " ".join(spans.get(i, []))
            if label in ("B", "M"):
                if removed:
                    tp += 1
                else:
                    fn += 1
                    errors.append(f"MISS  {rec['id']} [{i}] {label} {line[:150]}")
            elif label == "C":
                content += 1
                if removed or span_removed:
                    fp += 1
                    lost += 1
                    why = rules.get(norm(line)) or rules.get(norm(span_removed)) or "?"
                    errors.append(f"LOST  {rec['id']} [{i}] {why} {line[:150]} || {span_removed[:80]}")
            elif label == "P":
                content += 1
                part = norm(rec["partial"].get(str(i), ""))
                if removed:
                    fp += 1
                    lost += 1
                    errors.append(f"LOST  {rec['id']} [{i}] P-line removed whole {line[:150]}")
                elif part and norm(part)[:40] in norm(span_removed):
                    tp += 1
                else:
                    fn += 1
                    errors.append(f"MISS  {rec['id']} [{i}] P {part[:100]} || removed={span_removed[:80]}")
    if show == "errors":
        print("\n".join(errors))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "content_lost": round(lost / content, 4) if content else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "content_lines": content,
        "lost_lines": lost,
    }


def speed(path: Path, steps: list[Step]) -> dict[str, dict[str, float]]:
    """Seconds (wall and CPU) and MB/s of each step and of the whole stage over the corpus, in memory."""
    docs = list(read_corpus(path))
    size = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    out: dict[str, dict[str, float]] = {}
    total_wall = total_cpu = 0.0
    for step in steps:
        wall, cpu = time.perf_counter(), time.process_time()
        docs = [step(doc) for doc in docs]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total_wall += wall
        total_cpu += cpu
        out[step.name] = {"cpu_s": round(cpu, 2), "MB_per_cpu_s": round(size / cpu, 1)}
    out["stage"] = {
        "MB": round(size, 1),
        "wall_s": round(total_wall, 2),
        "cpu_s": round(total_cpu, 2),
        "MB_per_cpu_s": round(size / total_cpu, 1),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "arabic_news_all.jsonl.gz")
    ap.add_argument("--dev", type=Path, default=SHARED / "eval" / "boilerplate_dev.jsonl")
    ap.add_argument("--profile", type=Path, help="use this saved site profile instead of learning")
    ap.add_argument("--save-profile", type=Path, help="save the learned profile here")
    ap.add_argument("--no-corpus", action="store_true", help="score without corpus context (site_lines off)")
    ap.add_argument("--speed", action="store_true", help="time the boilerplate stage on the whole corpus")
    ap.add_argument("--show", choices=["none", "errors"], default="none")
    args = ap.parse_args(argv)
    if not args.dev.exists():
        print(f"dev set not found: {args.dev}", file=sys.stderr)
        return 2
    config = CleanConfig()
    models: dict[str, object] = {}
    report: dict[str, object] = {}
    if args.profile:
        models["site_lines"] = site_lines.load_profile(args.profile)
    elif not args.no_corpus:
        model, seconds, mb = learn(args.corpus, config)
        models["site_lines"] = model
        report["learn"] = {
            "MB": round(mb, 1),
            "cpu_s": round(seconds, 2),
            "MB_per_cpu_s": round(mb / seconds, 1),
        }
        if args.save_profile:
            site_lines.save_profile(model, args.save_profile)
    steps = [s for s in (spec.build(config, models) for spec in STAGE) if s is not None]
    dev = [json.loads(line) for line in args.dev.open(encoding="utf-8")]
    report["dev"] = score(dev, steps, args.show)
    report["steps"] = [s.name for s in steps]
    if args.speed:
        report["clean"] = speed(args.corpus, steps)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
