"""How arcorpus/data/names.tsv and names_native.tsv were built from the shared corpus (dev tool, not a test).

    python benchmarks/mine_names.py counts            # corpus word counts -> /tmp/names_mine/counts.pkl
    python benchmarks/mine_names.py collisions CANDS  # corpus words a generated spelling would hit (review)
    python benchmarks/mine_names.py native CANDS REVIEWED > arcorpus/data/names_native.tsv
    python benchmarks/mine_names.py gazetteer CANDS > arcorpus/data/names.tsv

CANDS is a TSV ``id, type, flags, spelling|spelling...`` of hand-picked candidate entities (the guesses);
REVIEWED lists the colliding corpus words judged native (not a name spelling) after reading the
``collisions`` output. ``gazetteer`` counts every spelling of every candidate in the corpus (with the
reviewed native words blocked), makes the most frequent spelling the canonical one, lists the other observed
spellings, and drops candidates seen fewer than 3 times. The corpus is read, never copied.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.text.names.gazetteer import Entity  # noqa: E402
from arcorpus.text.names.matcher import _PREFIX_PLAIN, LIL, Matcher, strip_marks  # noqa: E402
from arcorpus.text.names.variants import DEFINITE, variants  # noqa: E402

SHARED = Path(os.environ.get("ARCORPUS_SHARED", ROOT.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
WORK = Path("/tmp/names_mine")
TOKEN = re.compile("[\u0621-\u064a\u067e\u0686\u06a4\u06af\u06a9\u06cc]+")
TOP_NATIVE = 2000


def texts():
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"]


def counts() -> None:
    uni: collections.Counter[str] = collections.Counter()
    for text in texts():
        uni.update(TOKEN.findall(strip_marks(text)))
    WORK.mkdir(exist_ok=True)
    with open(WORK / "counts.pkl", "wb") as fh:
        pickle.dump(uni, fh)


def load_counts() -> collections.Counter[str]:
    with open(WORK / "counts.pkl", "rb") as fh:
        return pickle.load(fh)


def candidates(path: str) -> list[Entity]:
    out = []
    for line in open(path, encoding="utf-8"):
        c = line.rstrip("\n").split("\t")
        forms = [f for cell in c[3:5] for f in cell.split("|") if f]
        out.append(Entity(c[0], c[1], forms[0], tuple(forms[1:]), c[2], ""))
    return out


def _split(token: str, keys: set[str] | dict[str, object]) -> str | None:
    for i in range(min(5, len(token) - 1)):
        if token[i:] in keys and _PREFIX_PLAIN.fullmatch(token[:i]):
            return token[i:]
    return None


def collisions(path: str) -> None:
    uni = load_counts()
    ents = candidates(path)
    listed = {f for e in ents for f in e.forms()}
    generated = {g: e.id for e in ents for f in e.forms() for g in variants(f, e.flags) if g not in listed}
    for token, n in uni.most_common():
        if n < 2 or _split(token, listed):
            continue
        base = _split(token, generated)
        if base:
            print(n, token, base, generated[base])


def native(path: str, reviewed: str) -> None:
    uni = load_counts()
    ents = candidates(path)
    keys = {g for e in ents for f in e.forms() for g in variants(f, e.flags)}
    words = set(open(reviewed, encoding="utf-8").read().split())
    top = [w for w, _ in uni.most_common(TOP_NATIVE * 2) if not _split(w, keys)][:TOP_NATIVE]
    print(f"# Native Arabic words a name spelling must never equal: the {TOP_NATIVE} most frequent corpus")
    print("# words that are not a name spelling, then corpus words a generated spelling would have hit")
    print("# and that review judged native (benchmarks/mine_names.py).")
    print("id\treason")
    for w in top:
        print(f"{w}\tfrequent corpus word (top {TOP_NATIVE}), not a name")
    for w in sorted(words - set(top)):
        print(f"{w}\treviewed: native word that a generated name spelling would hit")


def gazetteer(path: str) -> None:
    ents = candidates(path)
    from arcorpus.text.names.gazetteer import load_native_words

    matcher = Matcher(ents, native=load_native_words())
    hits: collections.Counter[tuple[str, str]] = collections.Counter()
    for text in texts():
        for m in matcher.find(text):
            form = strip_marks(text[m.start : m.end])
            if form.startswith(LIL):
                form = DEFINITE + form[2:]
            hits[(m.entity, form)] += 1
    by: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for (eid, form), n in hits.items():
        by[eid].append((n, form))
    print("\t".join(("id", "type", "canonical", "variants", "flags", "reason")))
    for e in ents:
        seen = sorted(by.get(e.id, []), key=lambda p: (-p[0], p[1]))
        total = sum(n for n, _ in seen)
        if total < 3:
            continue
        canonical = seen[0][1]
        listed = [f for n, f in seen[1:] if n >= 2]
        listed += [f for f in e.forms() if f != canonical and f not in listed]
        shown = ", ".join(f"{f}={n}" for n, f in seen[:5])
        print("\t".join((e.id, e.type, canonical, "|".join(listed), e.flags, f"corpus counts: {shown}")))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"counts": counts, "collisions": collisions, "native": native, "gazetteer": gazetteer}[command](*rest)
