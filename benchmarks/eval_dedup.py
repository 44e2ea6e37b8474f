"""Labelled evaluation of duplicate-pair detection, built deterministically from the shared corpus.

    python benchmarks/eval_dedup.py            # build (first run) or read the pair file, evaluate
    python benchmarks/eval_dedup.py --rebuild  # rebuild the pair file from the corpus (deterministic)
    python benchmarks/eval_dedup.py --cutoff-at-threshold   # compare: verify at J >= threshold (z = 0)
    python benchmarks/eval_dedup.py --no-fold  # compare: matching key without search folding

No corpus text is stored in the repository: the pair file holds document ids, the edit recipe (seed and
parameters) and the exact Jaccard that labels each pair; the texts are rebuilt from the corpus at eval time.

Pairs (every label comes from an *exact* Jaccard of word 5-gram sets, never from the detector):

- ``injected``: a corpus document and a copy with content edits (word deletions/insertions/substitutions,
  a different first line, an added byline or boilerplate line) and then *spelling noise* the matching key
  must see through (hamza on alef dropped or written, ta marbuta/heh, alef maqsura/yeh, diacritics, tatweel,
  Arabic/Latin punctuation and digits). Label from ``J_orig``: Jaccard of the original and the copy *before
  spelling noise*, on raw whitespace tokens ("Jaccard of the original texts").
- ``natural``: pairs of corpus documents with exact key Jaccard >= 0.8 (wire stories on several sites).
- ``template`` (hard negative): corpus pairs from the same source with exact key Jaccard in [0.1, 0.6):
  consecutive daily reports with the same template, updated versions of a story, shared background.
- ``topic`` (hard negative): corpus pairs from the same source sharing many rare words but with exact key
  Jaccard < 0.1: different stories on the same topic.

Natural and hard-negative pairs are found among candidates of a low-threshold LSH (0.1-0.3) over the corpus,
then labelled by exact Jaccard. Positive: J >= 0.8; negative: J < 0.6; pairs in [0.6, 0.8) are a grey zone
reported apart. Split: ``dev`` / ``heldout`` by a hash of the (first) document id; the method has no
parameter fitted to this set (settings come from `lsh_params`), the held-out half is what the docs quote.

Detection: all documents of a split go through one `Deduplicator` (so clustering, including transitive
links, is what is evaluated); a pair is predicted duplicate when both documents end in the same cluster.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import xxhash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arcorpus.config import CleanConfig  # noqa: E402
from arcorpus.dedup import Deduplicator, matching_key  # noqa: E402
from arcorpus.dedup.lsh import candidate_pairs  # noqa: E402
from arcorpus.document import Document  # noqa: E402

SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists()), ROOT.parent / "shared"
)
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
PAIRS_FILE = ROOT / "benchmarks" / "data" / "dedup_pairs.jsonl"
N_INJECTED = 1600
N_PER_NATURAL_KIND = 1200
NGRAM = 5

ALEF = "\N{ARABIC LETTER ALEF}"
HAMZA_ALEFS = "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}\N{ARABIC LETTER ALEF WITH HAMZA BELOW}"
TEH_MARBUTA, HEH = "\N{ARABIC LETTER TEH MARBUTA}", "\N{ARABIC LETTER HEH}"
ALEF_MAKSURA, YEH = "\N{ARABIC LETTER ALEF MAKSURA}", "\N{ARABIC LETTER YEH}"
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)]
TATWEEL = "\N{ARABIC TATWEEL}"
ARABIC_COMMA = "\N{ARABIC COMMA}"
ARABIC_DIGITS = {str(d): chr(0x0660 + d) for d in range(10)}
BOILERPLATE_LINES = [  # stored as escapes: "follow us on twitter", "source: agencies", an ad marker
    "\N{ARABIC LETTER TEH}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER BEH}\N{ARABIC LETTER AIN}"
    "\N{ARABIC LETTER WAW}\N{ARABIC LETTER NOON}\N{ARABIC LETTER ALEF} "
    "\N{ARABIC LETTER AIN}\N{ARABIC LETTER LAM}\N{ARABIC LETTER ALEF MAKSURA} "
    "\N{ARABIC LETTER TEH}\N{ARABIC LETTER WAW}\N{ARABIC LETTER YEH}\N{ARABIC LETTER TEH}"
    "\N{ARABIC LETTER REH}",
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}\N{ARABIC LETTER MEEM}\N{ARABIC LETTER SAD}"
    "\N{ARABIC LETTER DAL}\N{ARABIC LETTER REH}"
    ": "
    "\N{ARABIC LETTER WAW}\N{ARABIC LETTER KAF}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}"
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER TEH}",
    "[ad_1]",
]


def shingle_set(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < NGRAM:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def split_of(doc_id: str) -> str:
    return "heldout" if xxhash.xxh64_intdigest(doc_id.encode()) % 2 else "dev"


def load_corpus() -> list[dict[str, str]]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


# --- injected pairs -------------------------------------------------------------------------------------


def content_edits(text: str, rnd: random.Random, recipe: dict[str, float], donor: str) -> str:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    donor_words = donor.split() or ["x"]
    if recipe["new_first_line"] and len(lines) > 1:
        lines[0] = " ".join(rnd.sample(donor_words, min(len(donor_words), rnd.randint(5, 15))))
    words_per_line = [ln.split() for ln in lines]
    flat = [(i, j) for i, ws in enumerate(words_per_line) for j in range(len(ws))]
    n_ops = int(len(flat) * recipe["edit_rate"])
    for _ in range(n_ops):
        i = rnd.randrange(len(words_per_line))
        ws = words_per_line[i]
        op = rnd.random()
        if not ws:
            continue
        j = rnd.randrange(len(ws))
        if op < 0.4:
            ws[j] = rnd.choice(donor_words)
        elif op < 0.7:
            del ws[j]
        else:
            ws.insert(j, rnd.choice(donor_words))
    lines = [" ".join(ws) for ws in words_per_line if ws]
    if recipe["boilerplate"]:
        lines.insert(rnd.choice([0, len(lines)]), rnd.choice(BOILERPLATE_LINES))
    return "\n".join(lines)


def spelling_noise(text: str, rnd: random.Random, rate: float) -> str:
    out = []
    for token in text.split(" "):
        if rnd.random() < rate:
            choice = rnd.randrange(7)
            if choice == 0:
                token = "".join(ALEF if c in HAMZA_ALEFS else c for c in token)
            elif choice == 1:
                token = token.replace(TEH_MARBUTA, HEH)
            elif choice == 2:
                token = token.replace(ALEF_MAKSURA, YEH)
            elif choice == 3 and token:
                token = "".join(c + rnd.choice(DIACRITICS) if rnd.random() < 0.5 else c for c in token)
            elif choice == 4 and len(token) > 2:
                token = token[:1] + TATWEEL * rnd.randint(1, 3) + token[1:]
            elif choice == 5:
                token = token + rnd.choice([ARABIC_COMMA, ",", ".", "\u061b"])
            else:
                token = "".join(ARABIC_DIGITS.get(c, c) for c in token)
        out.append(token)
    return " ".join(out)


def injected_recipe(rnd: random.Random) -> dict[str, float]:
    return {
        "edit_rate": rnd.choice([0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08]),
        "new_first_line": float(rnd.random() < 0.3),
        "boilerplate": float(rnd.random() < 0.5),
        "noise_rate": rnd.choice([0.0, 0.05, 0.15, 0.3]),
    }


def make_copy(text: str, donor: str, seed: int, recipe: dict[str, float]) -> tuple[str, str]:
    """(copy before spelling noise, copy with spelling noise): deterministic in ``seed``."""
    rnd = random.Random(seed)
    edited = content_edits(text, rnd, recipe, donor)
    return edited, spelling_noise(edited, rnd, recipe["noise_rate"])


# --- building the pair set ------------------------------------------------------------------------------


def build(corpus: list[dict[str, str]]) -> list[dict[str, object]]:
    rnd = random.Random(2026)
    by_id = {r["id"]: r for r in corpus}
    eligible = sorted(r["id"] for r in corpus if len(r["text"].split()) >= 80)
    pairs: list[dict[str, object]] = []
    for doc_id in rnd.sample(eligible, N_INJECTED):
        donor_id = rnd.choice(eligible)
        seed = rnd.randrange(2**32)
        recipe = injected_recipe(rnd)
        text = by_id[doc_id]["text"]
        edited, _ = make_copy(text, by_id[donor_id]["text"], seed, recipe)
        j = jaccard(shingle_set(text.split()), shingle_set(edited.split()))
        pairs.append(
            {
                "kind": "injected",
                "a": doc_id,
                "donor": donor_id,
                "seed": seed,
                "recipe": recipe,
                "jaccard": round(j, 4),
            }
        )
    pairs += natural_pairs(corpus, rnd)
    for p in pairs:
        j = float(p["jaccard"])  # type: ignore[arg-type]
        p["label"] = "duplicate" if j >= 0.8 else "distinct" if j < 0.6 else "grey"
        p["split"] = split_of(str(p["a"]))
    return pairs


def natural_pairs(corpus: list[dict[str, str]], rnd: random.Random) -> list[dict[str, object]]:
    """Corpus pairs found by low-threshold LSH, labelled by exact Jaccard of their matching keys."""
    dedup = Deduplicator(CleanConfig(repeated_paragraphs="off"))
    docs = [Document(r["id"], r["text"]) for r in corpus]
    sigs = np.empty((len(docs), dedup.num_perm), dtype=np.uint32)
    for start in range(0, len(docs), 256):
        for i, sig in enumerate(dedup.signatures(docs[start : start + 256])):
            sigs[start + i] = sig.minhash if sig is not None else 0xFFFFFFFF
    order = np.array([xxhash.xxh64_intdigest(r["id"].encode()) for r in corpus], dtype=np.uint64)
    found: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    shingles: dict[int, set[tuple[str, ...]]] = {}

    def shingles_of(i: int) -> set[tuple[str, ...]]:
        if i not in shingles:
            words = matching_key(corpus[i]["text"]).split()
            shingles[i] = shingle_set(words) if len(words) >= 40 else set()
        return shingles[i]

    pairs = candidate_pairs(sigs, 42, 3, order)  # S-curve centred near Jaccard 0.3
    print(f"{len(pairs)} low-threshold candidate pairs", file=sys.stderr)
    for i, j in pairs.tolist():
        sa, sb = shingles_of(i), shingles_of(j)
        if not sa or not sb:
            continue
        jac = jaccard(sa, sb)
        if jac >= 0.8:
            kind = "natural"
        elif 0.1 <= jac < 0.6 and corpus[i]["source"] == corpus[j]["source"]:
            kind = "template"
        elif jac < 0.1 and corpus[i]["source"] == corpus[j]["source"]:
            kind = "topic"
        elif 0.6 <= jac < 0.8:
            kind = "grey"
        else:
            continue
        found[kind].append((corpus[i]["id"], corpus[j]["id"], jac))
    out: list[dict[str, object]] = []
    for kind, items in sorted(found.items()):
        items.sort()
        chosen = rnd.sample(items, min(len(items), N_PER_NATURAL_KIND))
        out += [{"kind": kind, "a": a, "b": b, "jaccard": round(j, 4)} for a, b, j in sorted(chosen)]
    return out


# --- evaluation -----------------------------------------------------------------------------------------


def evaluate(pairs: list[dict[str, object]], corpus: list[dict[str, str]], split: str) -> dict[str, object]:
    by_id = {r["id"]: r for r in corpus}
    texts: dict[str, str] = {}
    members: list[tuple[str, str, dict[str, object]]] = []
    for p in pairs:
        if p["split"] != split:
            continue
        a = str(p["a"])
        texts[a] = by_id[a]["text"]
        if p["kind"] == "injected":
            b = f"copy:{a}:{p['seed']}"
            _, texts[b] = make_copy(
                by_id[a]["text"], by_id[str(p["donor"])]["text"], int(p["seed"]), p["recipe"]
            )  # type: ignore[arg-type]
        else:
            b = str(p["b"])
            texts[b] = by_id[b]["text"]
        members.append((a, b, p))
    dedup = Deduplicator(CleanConfig(repeated_paragraphs="off"))
    ids = sorted(texts)
    docs = [Document(i, texts[i]) for i in ids]
    started = time.perf_counter()
    for start in range(0, len(docs), 64):
        for k, sig in enumerate(dedup.signatures(docs[start : start + 64])):
            dedup.add(start + k, docs[start + k].id, sig)
    infos = dedup.resolve()
    seconds = time.perf_counter() - started
    cluster = {ids[i]: info.cluster_id for i, info in infos.items()}
    counts: Counter[str] = Counter()
    by_bin: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[dict[str, object]] = []
    false_pos: list[dict[str, object]] = []
    for a, b, p in members:
        predicted = a in cluster and cluster.get(a) == cluster.get(b)
        label = p["label"]
        kind = str(p["kind"])
        j = float(p["jaccard"])  # type: ignore[arg-type]
        if label == "duplicate":
            counts["tp" if predicted else "fn"] += 1
            bin_ = (
                "0.80-0.85"
                if j < 0.85
                else "0.85-0.90"
                if j < 0.9
                else "0.90-0.95"
                if j < 0.95
                else "0.95-1.00"
            )
            by_bin[f"{kind} J {bin_}"]["found" if predicted else "missed"] += 1
            if not predicted:
                misses.append({**p, "b": b})
        elif label == "distinct":
            counts["fp" if predicted else "tn"] += 1
            by_bin[f"negative {kind}"]["flagged" if predicted else "ok"] += 1
            if predicted:
                false_pos.append({**p, "b": b})
        else:
            by_bin["grey zone J 0.6-0.8"]["flagged" if predicted else "not flagged"] += 1
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "split": split,
        "documents": len(docs),
        "seconds": round(seconds, 2),
        "positives": tp + fn,
        "negatives": fp + counts["tn"],
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "false_positive_rate": round(fp / (fp + counts["tn"]), 4) if fp + counts["tn"] else None,
        "by_kind": {k: dict(v) for k, v in sorted(by_bin.items())},
        "missed_examples": misses[:8],
        "false_positive_examples": false_pos[:8],
    }


def main() -> None:
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    np.seterr(over="ignore")
    if "--cutoff-at-threshold" in sys.argv:  # for comparison: verify at the threshold itself (z = 0)
        import arcorpus.dedup.lsh as lsh

        lsh.RECALL_Z = 0.0
    if "--no-fold" in sys.argv:  # for comparison: a key without search folding (punctuation still folded)
        import arcorpus.dedup.keys as keys

        keys.fold = lambda text: text  # type: ignore[assignment]
        keys._table.cache_clear()
    corpus = load_corpus()
    if PAIRS_FILE.exists() and "--rebuild" not in sys.argv:
        pairs = [json.loads(line) for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines()]
    else:
        pairs = build(corpus)
        PAIRS_FILE.parent.mkdir(parents=True, exist_ok=True)
        with PAIRS_FILE.open("w", encoding="utf-8") as fh:
            for p in pairs:
                fh.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")
    kinds = Counter((p["kind"], p["label"], p["split"]) for p in pairs)
    print("pair set:", {f"{k}/{lab}/{s}": n for (k, lab, s), n in sorted(kinds.items())})
    for split in ("dev", "heldout"):
        print(json.dumps(evaluate(pairs, corpus, split), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
