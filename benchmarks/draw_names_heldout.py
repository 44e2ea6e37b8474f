"""Draw candidate entities for the held-out name clusters (benchmarks/data/names_heldout*.jsonl), to label.

    python benchmarks/draw_names_heldout.py > /tmp/names_candidates.txt            # v1 (seed 16, residue 7)
    python benchmarks/draw_names_heldout.py --seed 17 --residue 9 \
        --per-type 24 --exclude benchmarks/data/names_heldout.jsonl > /tmp/names_v2.txt  # v2 (fresh)

The procedure, fixed before any labelling and before the learner was run on these entities:

1. Held-out documents: the shared-corpus documents with ``crc32(id) % 10 == RESIDUE`` (7; v2: 9): a tenth
   that nobody designed on. Their words are counted, and the word right after each *trigger* word (per
   entity type: companies after شركة, clubs after نادي/فريق, cities after مدينة/العاصمة, politicians
   after الرئيس/رئيس/وزير/زعيم, adjectives = words with the article ending in YEH or TEH MARBUTA
   after المنتخب/الحكومة/الجيش/السفير).
2. A candidate is such a following word seen at least 3 times after its triggers in the held-out documents,
   of 4+ letters, not a gazetteer spelling (not listed by hand), not in the shipped native lists; the 40
   most frequent per type are kept, then ``random.Random(SEED).sample`` draws 12 per type.
   ``--exclude FILE`` leaves out a word whose skeleton is one of an earlier draw's spellings (v2 excludes
   v1's entities, so the two sets are independent).
3. For each drawn word, every word of the *whole* corpus with the same transliteration skeleton
   (`arcorpus.text.names.skeleton`) seen at least twice is printed with its count: the labeller marks which
   are spellings of the same entity (a cluster), which are different entities or native words
   (must-stay-distinct pairs), from reading contexts (``zgrep``) where unsure. Two-word spellings whose
   joined skeleton is the word's (كوكا كولا for كوكاكولا) are printed too (v2 on; v1 added them by hand).

The corpus is read, never copied; only the printed words and counts are looked at.
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import os
import random
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.text.names.gazetteer import load_builtin, load_native_words  # noqa: E402
from arcorpus.text.names.learn import frequent_words  # noqa: E402
from arcorpus.text.names.matcher import strip_marks  # noqa: E402
from arcorpus.text.names.skeleton import skeleton  # noqa: E402

SHARED = Path(os.environ.get("ARCORPUS_SHARED", ROOT.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
TOKEN = re.compile("[\u0621-\u064a\u067e\u0686\u06a4\u06af\u06a9\u06cc]+")
SEED = 16
PER_TYPE = 12
TOP = 40
TRIGGERS = {
    "company": ("شركة", "لشركة", "وشركة", "بشركة"),
    "club": ("نادي", "فريق", "لنادي", "لفريق"),
    "city": ("مدينة", "العاصمة", "بمدينة", "لمدينة"),
    "politician": ("الرئيس", "رئيس", "وزير", "زعيم", "المستشار", "المرشح"),
    "adjective": ("المنتخب", "الحكومة", "الجيش", "السفير", "الشعب"),
}


def heldout(doc_id: str, residue: int = 7) -> bool:
    return zlib.crc32(doc_id.encode("utf-8")) % 10 == residue


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    seed = int(_arg("--seed", str(SEED)))
    residue = int(_arg("--residue", "7"))
    excluded: set[str] = set()
    if "--exclude" in sys.argv:
        for line in open(_arg("--exclude", ""), encoding="utf-8"):
            case = json.loads(line)
            for w in case.get("spellings", ()):
                excluded.add(skeleton(w))
    bigrams: collections.Counter[tuple[str, str]] = collections.Counter()
    native = load_native_words() | set(frequent_words())
    counts: collections.Counter[str] = collections.Counter()
    after: dict[str, collections.Counter[str]] = {t: collections.Counter() for t in TRIGGERS}
    by_trigger = {w: t for t, ws in TRIGGERS.items() for w in ws}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            words = TOKEN.findall(strip_marks(rec["text"]))
            counts.update(words)
            if residue != 7:
                pairs = itertools.pairwise(words)
                bigrams.update((a, b) for a, b in pairs if a not in native and b not in native)
            if heldout(rec["id"], residue):
                for a, b in itertools.pairwise(words):
                    kind = by_trigger.get(a)
                    if kind:
                        after[kind][b] += 1
    listed = {f for e in load_builtin() for f in e.forms()}
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for w, n in counts.items():
        if n >= 2:
            groups[skeleton(w)].append(w)
    rng = random.Random(seed)
    joined: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for (a, b), n in bigrams.items():
        if n >= 2 and a not in native and b not in native:
            joined[skeleton(a + b)].append((f"{a} {b}", n))
    for kind, following in after.items():
        pool = []
        for w, n in following.most_common():
            if n < 3 or len(w) < 4 or w in listed or w in native or skeleton(w) in excluded:
                continue
            if kind == "adjective" and not (w.startswith("ال") and w[-1] in "ية"):
                continue
            pool.append(w)
            if len(pool) == TOP:
                break
        per_type = int(_arg("--per-type", str(PER_TYPE)))
        for w in sorted(rng.sample(pool, min(per_type, len(pool)))):
            same = sorted(groups.get(skeleton(w), []), key=lambda x: -counts[x])
            shown = ", ".join(f"{x}={counts[x]}" for x in same[:12])
            spaced = sorted(joined.get(skeleton(w), []), key=lambda x: -x[1])[:4]
            if spaced:
                shown += " | spaced: " + ", ".join(f"{x}={n}" for x, n in spaced)
            print(f"{kind}\t{w}\t{shown}")


if __name__ == "__main__":
    main()
