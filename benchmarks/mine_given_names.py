"""Regenerate arcorpus/data/names_given.tsv: the given names the press writes before each listed person.

    python benchmarks/mine_given_names.py > arcorpus/data/names_given.tsv

For every hit of a one-word spelling of a gazetteer person in the shared corpus, the word right before it
is counted when it looks like a given name (`PersonGuard.given_name_like`: not a native word, title or
entity spelling, no article). A word seen at least `MIN_COUNT` times, and in at least `MIN_SHARE` of that
person's hits preceded by such a word, is one of the person's given names (دميتري before ميدفيديف). The
names step then rewrites a surname variant after one of them and leaves it alone after any other given
name (فريدريك زلينسكي is not Zelensky). The corpus learner adds the given names of the corpus it cleans.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.steps.names import matcher_for  # noqa: E402
from arcorpus.text.names.persons import word_before  # noqa: E402

SHARED = Path(os.environ.get("ARCORPUS_SHARED", ROOT.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
MIN_COUNT = 3
MIN_SHARE = 0.05


def main() -> None:
    matcher = matcher_for()
    persons = {e.id for e in matcher.entities if e.type == "person"}
    guard = matcher.person_guard
    seen: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            for m in matcher.find(text):
                if m.entity not in persons or " " in text[m.start : m.end]:
                    continue
                if m.start and text[m.start - 1].isalnum():
                    continue
                word = word_before(text, m.start)
                if word and guard.given_name_like(word):
                    seen[m.entity][word] += 1
    print("# Given names written right before a listed person's surname in the shared corpus")
    print("# (benchmarks/mine_given_names.py; arcorpus.text.names.persons uses them).")
    print("\t".join(("id", "person", "given", "reason")))
    n = 0
    for person in sorted(seen):
        total = sum(seen[person].values())
        for word, count in sorted(seen[person].items(), key=lambda p: (-p[1], p[0])):
            if count >= MIN_COUNT and count >= MIN_SHARE * total:
                n += 1
                why = f"shared corpus: {count} of {total} given-name-like words before it"
                print(f"g{n:04d}\t{person}\t{word}\t{why}")


if __name__ == "__main__":
    main()
