"""Mine ``arcorpus/data/wordlist.tsv``: frequent, already-clean Arabic words of the shared news corpus.

    python benchmarks/mine_wordlist.py [../shared/corpora/arabic_news_all.jsonl.gz] [-n 3000]

The word list feeds `arcorpus.strategies.words()`, so every word in it must be something arcorpus'
standard profile leaves alone *on its own*: only base Arabic letters (no diacritics, tatweel, digits or
Persian look-alikes), teh marbuta / alef maqsura only word-finally, not a token of any spelling in the
name gazetteer (so text made of these words never mentions an entity), and unchanged, with no recorded
change, by ``arcorpus.clean_document`` when it is a whole line (so it is not boilerplate either). The
last two checks use whatever steps are installed: re-run this script when the gazetteer, catalogue or
steps change.

It writes the word and its corpus count, most frequent first; it does NOT copy any text of the corpus.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
_CORPUS = Path("shared") / "corpora" / "arabic_news_all.jsonl.gz"
# The repository's sibling ``shared/`` (CI layout), else the machine's /work/shared (worktree layout).
DEFAULT_CORPUS = next(
    (p for p in (ROOT.parent / _CORPUS, Path("/work") / _CORPUS) if p.exists()), ROOT.parent / _CORPUS
)
OUT = ROOT / "arcorpus" / "data" / "wordlist.tsv"

# A token: a run of non-space characters; a word: only base letters U+0621..U+063A, U+0641..U+064A.
_TOKEN = regex.compile(r"\S+")
_STRIP = "\"'«»()[]{}<>.,:;!?\u060c\u061b\u061f\u066a\u06d4-\u2013\u2014\u2026"
_WORD = regex.compile(r"[\u0621-\u063a\u0641-\u064a]{2,15}")
_FINAL_ONLY = regex.compile(r"[\u0629\u0649](?!$)")


def count_words(path: Path, limit: int | None) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    docs = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            docs += 1
            counts.update(
                tok for tok in (t.strip(_STRIP) for t in _TOKEN.findall(text)) if _WORD.fullmatch(tok)
            )
            if limit is not None and docs >= limit:
                break
    return counts, docs


def gazetteer_tokens() -> frozenset[str]:
    """Every whitespace token of every spelling in arcorpus/data/names.tsv (empty when it is absent)."""
    path = ROOT / "arcorpus" / "data" / "names.tsv"
    if not path.exists():
        return frozenset()
    tokens: set[str] = set()
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    for line in lines[1:]:
        for cell in line.split("\t"):
            tokens.update(t for t in regex.split(r"[\s|;,\-]+", cell) if _WORD.fullmatch(t))
    return frozenset(tokens)


_W, _F, _B, _L, _K, _A = (
    "\N{ARABIC LETTER WAW}",
    "\N{ARABIC LETTER FEH}",
    "\N{ARABIC LETTER BEH}",
    "\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER KAF}",
    "\N{ARABIC LETTER ALEF}",
)
_PROCLITICS = (_W + _A + _L, _F + _A + _L, _B + _A + _L, _K + _A + _L, _L + _L, _A + _L, _W, _F, _B, _L, _K)


def is_entity_token(word: str, tokens: frozenset[str]) -> bool:
    if word in tokens:
        return True
    return any(word.startswith(p) and word[len(p) :] in tokens for p in _PROCLITICS)


def untouched(word: str) -> bool:
    """True when the standard profile neither changes the word nor records anything about it."""
    import arcorpus

    doc = arcorpus.clean_document(arcorpus.Document(id="w", text=word))
    return doc.text == word and not doc.changes and not any(doc.metadata.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-n", "--size", type=int, default=3000, help="number of words to keep")
    ap.add_argument("--limit", type=int, default=None, help="read only the first N documents")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)

    digest = hashlib.sha256(args.corpus.read_bytes()).hexdigest()
    counts, docs = count_words(args.corpus, args.limit)
    names = gazetteer_tokens()
    kept: list[tuple[str, int]] = []
    dropped = Counter[str]()
    for word, n in counts.most_common():
        if _FINAL_ONLY.search(word):
            dropped["final-only letter inside the word"] += 1
        elif is_entity_token(word, names):
            dropped["token of a gazetteer name"] += 1
        elif not untouched(word):
            dropped["changed or flagged by the standard profile"] += 1
        else:
            kept.append((word, n))
            if len(kept) == args.size:
                break
    header = [
        "# Frequent already-clean Arabic words with their counts, most frequent first.",
        f"# Made by benchmarks/mine_wordlist.py from {args.corpus.name} (sha256 {digest[:16]}…,",
        f"# {docs} documents): whitespace tokens stripped of punctuation, only base Arabic letters,",
        "# teh marbuta / alef maqsura only word-finally, no token of a gazetteer name,",
        "# unchanged by the standard profile alone.",
        "# Words skipped before the cut-off: "
        + (", ".join(f"{why}: {k}" for why, k in sorted(dropped.items())) or "none")
        + ". Counts only; no corpus text is copied.",
        "id\tword\tcount\treason",
    ]
    rows = [f"w{rank:04d}\t{w}\t{n}\tcorpus rank {rank}" for rank, (w, n) in enumerate(kept, 1)]
    args.output.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    print(f"{len(kept)} words written to {args.output} ({docs} documents read)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
