"""Draw candidate entities for the held-out name clusters (benchmarks/data/names_heldout.jsonl), to label by hand.

    python benchmarks/draw_names_heldout.py > /tmp/names_candidates.txt

The procedure, fixed before any labelling and before the learner was run on these entities:

1. Held-out documents: the shared-corpus documents with ``crc32(id) % 10 == 7`` (a tenth; nobody designed on
   them). Their words are counted, and the word right after each *trigger* word (per entity type: companies
   after شركة, clubs after نادي/فريق, cities after مدينة/العاصمة, politicians after الرئيس/رئيس/وزير/زعيم,
   adjectives = words with the article ending in YEH or TEH MARBUTA after المنتخب/الحكومة/الجيش/السفير).
2. A candidate is such a following word seen at least 3 times after its triggers in the held-out documents,
   of 4+ letters, not a gazetteer spelling (not listed by hand), not in the shipped native lists; the 40
   most frequent per type are kept, then ``random.Random(SEED).sample`` draws 12 per type.
3. For each drawn word, every word of the *whole* corpus with the same transliteration skeleton
   (`arcorpus.text.names.skeleton`) seen at least twice is printed with its count: the labeller marks which
   are spellings of the same entity (a cluster), which are different entities or native words
   (must-stay-distinct pairs), from reading contexts (``zgrep``) where unsure.

The corpus is read, never copied; only the printed words and counts are looked at.
"""

from __future__ import annotations

import collections
import gzip
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


def heldout(doc_id: str) -> bool:
    return zlib.crc32(doc_id.encode("utf-8")) % 10 == 7


def main() -> None:
    counts: collections.Counter[str] = collections.Counter()
    after: dict[str, collections.Counter[str]] = {t: collections.Counter() for t in TRIGGERS}
    by_trigger = {w: t for t, ws in TRIGGERS.items() for w in ws}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            words = TOKEN.findall(strip_marks(rec["text"]))
            counts.update(words)
            if heldout(rec["id"]):
                for a, b in zip(words, words[1:], strict=False):
                    kind = by_trigger.get(a)
                    if kind:
                        after[kind][b] += 1
    listed = {f for e in load_builtin() for f in e.forms()}
    native = load_native_words() | set(frequent_words())
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for w, n in counts.items():
        if n >= 2:
            groups[skeleton(w)].append(w)
    rng = random.Random(SEED)
    for kind, following in after.items():
        pool = []
        for w, n in following.most_common():
            if n < 3 or len(w) < 4 or w in listed or w in native:
                continue
            if kind == "adjective" and not (w.startswith("ال") and w[-1] in "ية"):
                continue
            pool.append(w)
            if len(pool) == TOP:
                break
        for w in sorted(rng.sample(pool, min(PER_TYPE, len(pool)))):
            same = sorted(groups.get(skeleton(w), []), key=lambda x: -counts[x])
            shown = ", ".join(f"{x}={counts[x]}" for x in same[:12])
            print(f"{kind}\t{w}\t{shown}")


if __name__ == "__main__":
    main()
