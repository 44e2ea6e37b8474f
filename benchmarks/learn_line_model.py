"""Learn the line model (``arcorpus/data/line_model.json``) from a corpus.

    python benchmarks/learn_line_model.py                                  # the shared corpus -> data file
    python benchmarks/learn_line_model.py CORPUS.jsonl.gz -o my_model.json # a user's corpus
    python benchmarks/learn_line_model.py --exclude-corpus saudinewsnet -o /tmp/m.json   # for validation

Training lines come free from the corpus itself: positives are the short lines the rule catalogue
(`boilerplate`) removes and the lines `site_lines` proves to be a site's template (each distinct line once
per source); negatives are the short lines that survive both (content: sub-headings, short paragraphs,
list items; the furniture both missed is label noise the learner tolerates). Lines `extract_metadata` would
claim (dates, bylines, credits) are left out. Use the result with ``arcorpus clean --line-model-file``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.document import Document  # noqa: E402
from arcorpus.steps.boilerplate import boilerplate, line_model, site_lines  # noqa: E402
from arcorpus.steps.boilerplate.extract_metadata import classify  # noqa: E402

SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "corpora").is_dir()), ROOT.parent / "shared"
)
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
POSITIVE_STEPS = ("boilerplate", "site_lines.template")


def read_docs(
    path: Path, exclude: Iterable[str] = (), only: Iterable[str] = (), limit: int = 0
) -> Iterator[Document]:
    exclude, only = set(exclude), set(only)
    opener = gzip.open if path.suffix == ".gz" else open
    n = 0
    with opener(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            rec = json.loads(raw)
            corpus = str(rec.get("corpus") or str(rec.get("id", "")).split(":", 1)[0])
            if corpus in exclude or (only and corpus not in only):
                continue
            meta = {k: v for k, v in rec.items() if k not in ("id", "text")}
            yield Document(id=str(rec["id"]), text=rec["text"], metadata=meta)
            n += 1
            if limit and n >= limit:
                return


def site_model(docs: list[Document], config: CleanConfig) -> site_lines.SiteModel:
    learner = site_lines.learner(config)
    assert learner is not None
    learner.observe_many(docs)
    return learner.finish()


def examples(
    docs: Iterable[Document], site: site_lines.SiteModel, config: CleanConfig
) -> Iterator[line_model.Example]:
    """Positive and negative training lines (see the module docstring)."""
    bp_step = boilerplate.build(config, {})
    sl_step = site_lines.build(config, {"site_lines": site})
    assert bp_step is not None and sl_step is not None
    for doc in docs:
        source = site_lines.source_of(doc)
        out = sl_step(bp_step(doc))
        for ch in out.changes:
            if ch.action != "remove_line" or ch.rule == "boilerplate.separator":
                continue
            if ch.rule.startswith(POSITIVE_STEPS) and line_model.candidate(ch.before):
                yield line_model.Example(ch.before, source, True)
        for line in out.text.split("\n"):
            if line.strip() and line_model.candidate(line) and classify(line) is None:
                yield line_model.Example(line, source, False)


def learn_from(docs: list[Document], provenance: dict[str, object]) -> line_model.LineModel:
    config = CleanConfig()
    site = site_model(docs, config)
    return line_model.learn(examples(docs, site, config), provenance=provenance)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    ap.add_argument("-o", "--output", type=Path, default=line_model.MODEL)
    ap.add_argument(
        "--exclude-corpus", action="append", default=[], help="leave this corpus out (repeatable)"
    )
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = ap.parse_args(argv)
    started = time.process_time()
    docs = list(read_docs(args.corpus, args.exclude_corpus, (), args.limit))
    digest = hashlib.sha256(args.corpus.read_bytes()).hexdigest() if args.corpus.is_file() else ""
    shown = str(args.corpus)
    if args.corpus == CORPUS:
        shown = "../shared/corpora/arabic_news_all.jsonl.gz"
    provenance = {
        "corpus": shown,
        "corpus_sha256": digest,
        "documents": len(docs),
        "excluded_corpora": sorted(args.exclude_corpus),
        "command": "python benchmarks/learn_line_model.py"
        + "".join(f" --exclude-corpus {c}" for c in sorted(args.exclude_corpus))
        + (f" --limit {args.limit}" if args.limit else ""),
        "date": dt.date.today().isoformat(),
        "vocabulary": "arcorpus/data/line_vocabulary.tsv",
    }
    model = learn_from(docs, provenance)
    line_model.save_model(model, args.output)
    print(
        f"{args.output}: {model.provenance.get('positive_lines')} positive / "
        f"{model.provenance.get('negative_lines')} negative lines, {len(model.weights)} keys, "
        f"threshold {model.threshold} ({time.process_time() - started:.1f} CPU s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
