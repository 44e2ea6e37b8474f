"""Mine given names from the corpus's own bylines, for `extract_metadata`'s name-shaped byline rule.

    python benchmarks/mine_byline_names.py [CORPUS] [-o arcorpus/data/byline_given.tsv]

A title before a person ("الدكتور ...", "الشيخ ...", "الكاتب ...", `_TITLED`) is followed by a given
name, then a surname or father's name that varies: a word is kept when it follows a title before at
least `MIN_NAMES` distinct next words, in at least `MIN_SOURCES` sources, does not carry the article (a
nisba or an epithet: المصري، الراحل) or و, and was not removed on review (`REVIEWED_OUT`). (The corpus
holds only ~120 labelled bylines, "بقلم: ...": too few to learn from.) The output lists each word with
its counts (provenance); review it before shipping.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import learn_line_model as L  # noqa: E402

MIN_NAMES = 8
MIN_SOURCES = 3
_TITLED = re.compile(
    r"(?<!\w)(?:الدكتور|الدكتورة|الأستاذ|الاستاذ|الأستاذة|المهندس|المهندسة|الشيخ|السيد|السيدة|الكاتب|"
    r"الكاتبة|الزميل|الزميلة|الفنان|الفنانة|الشاعر|الشاعرة|اللاعب|المواطن|المواطنة)\s+"
    r"(?P<first>[\u0621-\u064a]{2,12})\s+(?P<next>[\u0621-\u064a]{2,15})"
)
"""A title before a person's name: the word after it is a given name, the next one (a surname, a father's
name) varies. Counted over all the corpus's text."""
_NOT_GIVEN = ("ال", "و", "بجامع")
"""A word with the article is a nisba or an epithet (المصري، الراحل، القحطاني); one with و a conjunction."""
REVIEWED_OUT = frozenset(
    "زويد إليسا صباح عيد مدني سيد أمين فضل في على من إلى أن عن قد لا مع لم أو هو بعد خلال نفسه إن "
    "قبل كان ما أنه ان إنه حتى منذ سيكون عبر غير بأن بشكل هي لي لن دون جاء رئيس مدير مساعد صاحب "
    "ابن بن آل أبو أم".split()
)
"""Removed on review: function words and verbs ("الرئيس السيد في ..."), titles (رئيس، مدير), name
particles (بن، أبو، آل: they do not open a byline alone), common nouns first (صباح، عيد، مدني، سيد،
أمين، فضل), a place after الشيخ (زويد), a stage name."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=L.CORPUS)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "arcorpus" / "data" / "byline_given.tsv")
    args = ap.parse_args(argv)
    names: dict[str, set[str]] = collections.defaultdict(set)
    sources: dict[str, set[str]] = collections.defaultdict(set)
    for doc in L.read_docs(args.corpus):
        source = str(doc.metadata.get("source"))
        for m in _TITLED.finditer(doc.text):
            first, nxt = m.group("first"), m.group("next")
            if first == "عبد":
                continue
            names[first].add(nxt)
            sources[first].add(source)
    rows = [
        (w, len(names[w]), len(sources[w]))
        for w in names
        if len(names[w]) >= MIN_NAMES and len(sources[w]) >= MIN_SOURCES and not w.startswith(_NOT_GIVEN)
        and w not in REVIEWED_OUT
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    digest = hashlib.sha256(args.corpus.read_bytes()).hexdigest()[:16]
    with args.output.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Given names: words after a title (الدكتور، الشيخ، الكاتب ...) before varying names,\n"
            f"# in {args.corpus.name} (sha256 {digest}..., {dt.date.today()}):\n"
            "# benchmarks/mine_byline_names.py,"
            f" kept with >= {MIN_NAMES} distinct names in >= {MIN_SOURCES} sources; reviewed by hand.\n"
            "id\treason\n"
        )
        for w, n, s in rows:
            fh.write(f"{w}\tshared corpus: after a title before {n} distinct names, in {s} sources\n")
    print(f"{len(rows)} given names -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
