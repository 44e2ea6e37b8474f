"""Learn name-variant clusters from a corpus: spellings nobody listed, merged only on independent evidence.

Pass 1 (`NameVariantLearner`, the corpus learner ``names``): a deterministic sample of the documents
(`selected`: a CRC of the text's start, so the same documents whatever the order or worker count) is
tokenized at C speed (one character map, one ``bytes.translate``, one ``split``) and counted:

- every Arabic-letter token (a frequency lexicon of the corpus);
- for tokens that are not frequent words, the frequent word just before and just after them (their
  contexts), as counts.

`NameVariantLearner.finish` then works on word types only (no more text):

1. candidates: types seen at least ``min_count`` times that are not native words. A type is *native* when
   it is in the shipped lists (``names_native.tsv``, the frequent words of ``wordlist.tsv``) or when the
   corpus shows its morphology: pronoun suffixes, plural/dual/feminine endings or the article on it
   (قدرة → قدرته, القدرة), or it is itself such a form of a corpus word (يعانيه → يعاني);
2. candidates are grouped by `skeleton.skeleton` (g-letters, inner long vowels, hamza, final letters, تش/ش);
3. inside a group, a spelling joins the group's most frequent spelling only if (a) they differ by more
   than hamza or a final letter (those are generated from any spelling anyway), (b) the pair is not a known
   native minimal pair (``names_distinct.tsv``) nor two different gazetteer entities, and (c) their contexts
   agree: cosine similarity of the neighbour counts at least ``min_similarity``, each seen in at least
   `MIN_CONTEXTS` contexts.

The chosen spelling is the gazetteer's when a member is a gazetteer spelling, else the most frequent. The
result, a `NamesModel`, records per cluster the counts and the similarity: the step writes them in the
change (rule ``names.learned``) so ``explain`` shows why. `save_profile`/`load_profile` store a model.

This module deliberately does not match or rewrite anything: the clusters become extra rows of the one
automaton in `arcorpus.text.names.matcher` (`NamesModel.rows`).
"""

from __future__ import annotations

import codecs
import collections
import functools
import gzip
import json
import math
import zlib
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick_rs

from arcorpus import data
from arcorpus.document import Document
from arcorpus.text.names.gazetteer import Entity, load_native_words
from arcorpus.text.names.skeleton import skeletons
from arcorpus.text.names.variants import variants

LEARNER = "names"
FORMAT = "arcorpus-names-profile"
VERSION = 1
MIN_COUNT = 3
MIN_SIMILARITY = 0.5
MIN_CONTEXTS = 3
MAX_OBSERVED = 200
"""Occurrences of a spelling whose neighbours are counted (enough for a cosine; bounds the time)."""
FREQUENT = 1 << 40
"""The count `finish` gives the words of ``wordlist.tsv`` (never counted, never candidates)."""
MAX_EDITS = 2
EDIT_PENALTY = 0.4
"""A variant two edits from the chosen spelling needs a context similarity higher by this (kazan/jizan)."""
INFLECTED_SIMILARITY = 0.75
"""A pair with a spelling the corpus inflects must be adjectives (nisba endings), differ by a g-letter
only and agree this much (الإنجليزي/الإنكليزي; not the verbs أجرتها/أقرتها)."""
MIN_LETTERS = 4
"""Shorter spellings are never learned: three letters are too often another word or part of a longer name
(لاس of لاس فيغاس is not a spelling of لاوس)."""
RARE_COUNT = 2
RARE_HEAD = 10
RARE_SIMILARITY = 0.6
"""A spelling seen fewer than ``min_count`` (but `RARE_COUNT`) times in the sample may still join a spelling
seen `RARE_HEAD` times when it is a strong transliteration variant of it (one vowel inserted or dropped,
or one g-letter for another; not an inflected word) and their contexts agree this much: the sample is
1 in 8, so most real variants are rare in it (الفنزويلي/الفنزولي)."""
SHORT = 4
SHORT_SIMILARITY = 0.8
"""Spellings of at most `SHORT` letters (آبي/أبيي, لوس/لاوس) need this similarity and one edit."""
SAMPLE = 8
"""One document in `SAMPLE` is learned from (by `selected`); the counts are a sample of the corpus."""
CONTEXT_WORDS = 1500
"""The most frequent words of ``wordlist.tsv`` serve as contexts (and are never candidates)."""
MAX_KEPT = 64_000_000
"""Bytes of sampled tokens kept for reading contexts in `NameVariantLearner.finish` (bounds memory)."""
HEAD = 4000
"""Characters of a document's start that are learned from (leads name the entities; bounds the cost)."""

_SUFFIXES = (  # pronouns (-hu, -ha, -hum, -huma, -ka, -kum, -na), then -at, -un, -in, -an, TEH MARBUTA
    "\u0647",
    "\u0647\u0627",
    "\u0647\u0645",
    "\u0647\u0645\u0627",
    "\u0643",
    "\u0643\u0645",
    "\u0646\u0627",
    "\u0627\u062a",
    "\u0648\u0646",
    "\u064a\u0646",
    "\u0627\u0646",
    "\u0629",
)
_TEH_MARBUTA = "\u0629"
_TEH = "\u062a"
_ARTICLE = "\u0627\u0644"
_PRONOUNS = _SUFFIXES[:7]
_ALEFS = str.maketrans(
    {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0624": "\u0621", "\u0626": "\u0621"}
)
"""Alef forms one letter, and the hamza seats (WAW, YEH with hamza) the bare HAMZA: إجلاؤهم/إجلائهم."""
_FINALS = {"\u0649": "\u064a", "\u0629": "\u0647"}


def _soft(form: str) -> str:
    """``form`` with alef forms and final YEH/TEH MARBUTA merged: what the generator always varies."""
    s = form.translate(_ALEFS)
    return s[:-1] + _FINALS.get(s[-1], s[-1]) if s else s


# --- tokens at C speed ------------------------------------------------------------------------------------

_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B)) + "\u067e\u0686\u06a4\u06af\u06a9\u06cc"
_MARKS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640"


class _Tokens:
    """Arabic-letter tokens of a text as bytes, one byte per letter (marks and tatweel deleted)."""

    def __init__(self) -> None:
        table = [chr(b) for b in range(0x80)] + ["\ufffe"] * 0x80
        chars = _LETTERS + _MARKS
        for b, ch in zip(range(0x80, 0x100), chars, strict=False):
            table[b] = ch
        self._map: Any = codecs.charmap_build("".join(table))
        self._marks = self.encode_raw(_MARKS)
        keep = set(self.encode_raw(_LETTERS))
        self._space = bytes(b if b in keep else 0x20 for b in range(0x100))
        self._decoding = "".join(table).replace("\ufffe", "?")

    def encode_raw(self, text: str) -> bytes:
        return codecs.charmap_encode(text, "replace", self._map)[0]

    def blob(self, text: str) -> bytes:
        """The tokens of ``text`` separated by spaces (runs of them: ``split`` the result)."""
        return self.encode_raw(text).translate(self._space, self._marks)

    def encode(self, word: str) -> bytes:
        return self.encode_raw(word)

    def decode(self, data: bytes) -> str:
        return codecs.charmap_decode(data, "strict", self._decoding)[0]


@functools.lru_cache(maxsize=1)
def tokenizer() -> _Tokens:
    return _Tokens()


@functools.lru_cache(maxsize=1)
def frequent_words() -> tuple[str, ...]:
    """The words of ``arcorpus/data/wordlist.tsv``, most frequent first (never name spellings)."""
    return tuple(row["word"] for row in data.table("wordlist.tsv").rows if row["word"])


@functools.lru_cache(maxsize=1)
def _context_bytes() -> frozenset[bytes]:
    tok = tokenizer()
    return frozenset(tok.encode(w) for w in frequent_words()[:CONTEXT_WORDS])


@functools.lru_cache(maxsize=1)
def distinct_pairs() -> frozenset[frozenset[str]]:
    """Pairs of words that must never be merged (``arcorpus/data/names_distinct.tsv``)."""
    rows = data.table("names_distinct.tsv").rows
    return frozenset(frozenset((row["a"].strip(), row["b"].strip())) for row in rows)


def selected(text: str, sample: int = SAMPLE) -> bool:
    """Whether the learner reads this document: one in ``sample``, decided by the text alone."""
    return sample <= 1 or zlib.crc32(text[:256].encode("utf-8", "surrogatepass")) % sample == 0


# --- pass 1 -------------------------------------------------------------------------------------------------


class NameVariantLearner:
    """Keeps the tokens of a sample of documents; counts them as learners merge. Picklable.

    A fresh learner (one batch) only tokenizes: its tokens travel as one ``bytes`` per document
    (`pending`). `merge` counts them at C speed and keeps up to `MAX_KEPT` bytes of them for the contexts
    `finish` collects once the candidates are known. Learners merged in input order therefore give the
    same model whatever the number of workers.
    """

    name = LEARNER

    def __init__(
        self,
        sample: int = SAMPLE,
        min_count: int = MIN_COUNT,
        min_similarity: float = MIN_SIMILARITY,
        max_kept: int = MAX_KEPT,
    ) -> None:
        self.sample = sample
        self.min_count = min_count
        self.min_similarity = min_similarity
        self.max_kept = max_kept
        self.counts: collections.Counter[bytes] = collections.Counter()
        self.pending: list[bytes] = []
        """Tokens of observed documents not counted yet (space-separated, one byte per letter)."""
        self.kept: list[bytes] = []
        """Counted documents kept for `finish` to read contexts from (at most ``max_kept`` bytes)."""
        self.kept_bytes = 0
        self.docs = 0

    def observe(self, doc: Document) -> None:
        self.observe_many((doc,))

    def observe_many(self, docs: Iterable[Document]) -> None:
        tok = tokenizer()
        sample = self.sample
        for doc in docs:
            text = doc.text
            if selected(text, sample):
                self.docs += 1
                self.pending.append(tok.blob(text[:HEAD]))

    def merge(self, other: NameVariantLearner) -> None:
        """Add ``other``'s counts and documents after this learner's own (``other`` is not modified)."""
        self._absorb(self.pending)
        self.pending = []
        self.docs += other.docs
        if other.counts:
            self.counts.update(other.counts)
            self._keep(other.kept)  # counted in other.counts already
        self._absorb(other.pending)

    def _absorb(self, blobs: list[bytes]) -> None:
        """Count ``blobs`` and keep them (within ``max_kept``)."""
        if blobs:
            # the frequent words are known (wordlist.tsv): `finish` takes them as frequent, whatever counted
            # (counted too, though known: filtering them out costs more than counting them)
            self.counts.update(b" ".join(blobs).split())
            self._keep(blobs)

    def _keep(self, blobs: list[bytes]) -> None:
        for blob in blobs:
            if self.kept_bytes >= self.max_kept:
                return
            self.kept.append(blob)
            self.kept_bytes += len(blob)

    def finish(self, known: Iterable[Entity] | None = None) -> NamesModel:
        """The clusters the counts support (see the module docstring); ``known``: the gazetteer rows."""
        self._absorb(self.pending)
        self.pending = []
        return _cluster(self, tuple(known) if known is not None else _builtin())


@functools.lru_cache(maxsize=1)
def _builtin() -> tuple[Entity, ...]:
    from arcorpus.text.names.gazetteer import load_builtin

    return load_builtin()


# --- the model -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """Spellings of one name learned from the corpus; ``forms[0]`` is written for all of them."""

    forms: tuple[tuple[str, int], ...]
    """(spelling, sample count); the chosen spelling first."""
    similarity: tuple[float, ...]
    """Per variant (``forms[1:]``), the context cosine similarity to the chosen spelling."""
    entity: str = ""
    """The gazetteer entity id when the chosen spelling is a gazetteer spelling, else empty."""
    flags: str = ""

    @property
    def canonical(self) -> str:
        return self.forms[0][0]

    def evidence(self, form: str) -> str:
        """Why ``form`` is written as the chosen spelling: counts and similarity."""
        return _evidence(self, form)


@functools.lru_cache(maxsize=4096)
def _evidence(cluster: Cluster, form: str) -> str:
    """`Cluster.evidence`, once per cluster and spelling (every rewrite of a learned spelling asks)."""
    counts = {f: ("frequent" if n >= FREQUENT else n) for f, n in cluster.forms}
    sims = dict(zip((f for f, _ in cluster.forms[1:]), cluster.similarity, strict=True))
    sim = sims.get(form)
    head = f"{cluster.canonical}={counts[cluster.canonical]}"
    if sim is None:
        return f"generated from learned cluster {head}"
    if _soft(form) == _soft(cluster.canonical):
        return f"{form}={counts[form]}: hamza or final-letter spelling of {head} (sample counts)"
    return f"{form}={counts[form]}, {head} (sample counts); context similarity {sim:.2f}"


@dataclass(frozen=True)
class NamesModel:
    """What the ``names`` learner found: clusters and the spellings judged native (never keys)."""

    clusters: tuple[Cluster, ...] = ()
    native: frozenset[str] = frozenset()
    docs: int = 0

    def rows(self, spelling: Mapping[str, str] | None = None) -> tuple[Entity, ...]:
        """One row per cluster (id ``learned_<n>``, reason: the entity id) for the matcher; a cluster of a
        gazetteer entity is written as ``spelling[entity]`` (the entity's spelling in the house style)."""
        spelling = spelling or {}
        out = []
        for n, c in enumerate(self.clusters):
            target = spelling.get(c.entity, c.canonical)
            forms = tuple(f for f, _ in c.forms if f != target)
            out.append(Entity(f"learned_{n}", "learned", target, forms, c.flags, c.entity))
        return tuple(out)


def _cluster(learner: NameVariantLearner, known: tuple[Entity, ...]) -> NamesModel:
    tok = tokenizer()
    kept_keys = [k for k, n in learner.counts.items() if n >= 2]
    words = tok.decode(b"\n".join(kept_keys)).split("\n") if kept_keys else []
    counts = dict(zip(words, (learner.counts[k] for k in kept_keys), strict=True))
    for word in frequent_words():  # not counted (`_absorb`): frequent by definition
        counts[word] = FREQUENT
    shipped = load_native_words() | set(frequent_words()[:CONTEXT_WORDS])
    gazetteer: dict[str, str] = {}
    for e in known:
        for form in (e.canonical, *e.variants):
            gazetteer.setdefault(form, e.id)
    min_count = learner.min_count
    shaped: dict[str, list[str]] = collections.defaultdict(list)
    listed_native = load_native_words()
    keyed = [form for form, n in counts.items() if RARE_COUNT <= n < FREQUENT and len(form) >= MIN_LETTERS]
    # frequent words are only ever heads (الإنجليزي)
    keyed += [f for f in frequent_words()[CONTEXT_WORDS:] if f not in listed_native and len(f) >= MIN_LETTERS]
    for form, key in zip(keyed, skeletons(keyed), strict=True):
        shaped[key].append(form)
    # the native filters only where a skeleton has two spellings (most have one). A spelling the corpus
    # inflects (article, suffixes: adjectives like الإنجليزي) is kept aside as *inflected*: it may only
    # pair by a g-letter alone, with high similarity (الإنجليزي/الإنكليزي; غريب/قريب are in the distinct list)
    groups: dict[str, list[str]] = {}
    inflected: set[str] = set()
    judged: set[str] = set()
    for key, forms in shaped.items():
        if len(forms) < 2:
            continue
        top = max(counts[f] for f in forms)
        if top < min_count:
            continue  # no spelling to be a head
        if top < RARE_HEAD:
            forms = [f for f in forms if counts[f] >= min_count]  # no head rare spellings may join
            if len(forms) < 2:
                continue
        admissible = []
        for form in forms:
            n = counts[form]
            if form in gazetteer:
                admissible.append(form)
            elif form in shipped:
                judged.add(form)
            elif clitic_form(form, max(2, n // 20), counts) or native_morphology(form, n, counts):
                inflected.add(form)
                admissible.append(form)
            else:
                admissible.append(form)
        if len(admissible) > 1:
            groups[key] = admissible
    native: set[str] = set()
    against: set[str] = set()
    pairs = distinct_pairs()
    # the pairs the contexts must decide: a head and the variants the other rules admit. Spellings that
    # differ by hamza or a final letter only (أتليتيكو/اتليتيكو) are one *class*: their contexts are
    # summed and they are admitted or rejected together
    candidates: list[tuple[list[str], list[tuple[list[str], int, bool]]]] = []
    for key in sorted(groups):
        members = groups[key]
        members.sort(key=lambda f: (f not in gazetteer, -counts[f], f))
        classes: dict[str, list[str]] = {}
        for form in members:
            classes.setdefault(_soft(form), []).append(form)
        (soft_head, head_class), *others = classes.items()
        head = head_class[0]
        if counts[head] < min_count:
            continue  # a rare spelling is only ever a variant
        admitted = []
        for soft, cls in others:
            form = cls[0]
            rare = counts[form] < min_count
            if rare and counts[head] < RARE_HEAD:
                continue
            if any(frozenset((f, g)) in pairs for f in cls for g in head_class):
                continue
            if any(f in gazetteer and gazetteer[f] != gazetteer.get(head) for f in cls):
                continue  # two different listed entities (or a listed one and a new one)
            strict = bool(inflected.intersection(cls)) or bool(inflected.intersection(head_class))
            if strict and (
                soft.translate(_ONE_G) != soft_head.translate(_ONE_G)
                or not (form.endswith(_NISBA) and head.endswith(_NISBA))
            ):
                continue
            edits = _edits(soft_head, soft)
            if rare and (strict or edits > 1):
                continue
            if edits <= (1 if min(len(soft), len(soft_head)) <= SHORT else MAX_EDITS):
                admitted.append((cls, edits, strict))
        if admitted:
            candidates.append((head_class, admitted))
    wanted = {f for head_class, found in candidates for f in head_class}
    wanted.update(f for _, found in candidates for cls, _, _ in found for f in cls)
    joins = _join_candidates(counts, min_count, shipped, gazetteer)
    wanted.update(f for pair in joins for f in pair)
    hits: dict[str, int] = {}
    neighbours = _neighbours(learner, wanted, hits)
    clusters = []
    for head_class, admitted in candidates:
        head = head_class[0]
        head_ctx = _summed(neighbours, head_class)
        if sum(head_ctx.values()) < MIN_CONTEXTS:
            continue
        kept: list[tuple[str, int]] = [(f, counts[f]) for f in head_class]
        sims: list[float] = []
        cluster_ctx = dict(head_ctx)
        for cls, edits, strict in sorted(admitted, key=lambda a: a[1]):
            ctx = _summed(neighbours, cls)
            if sum(ctx.values()) < MIN_CONTEXTS:
                continue
            sim = _cosine(head_ctx, ctx)
            if edits > 1 and len(kept) > len(head_class):
                # a chain: one edit from a variant already admitted (كيمبريدج ~ كمبريدج ~ كامبريدج),
                # judged against the contexts of the whole cluster so far
                chained = min(_edits(_soft(f), _soft(cls[0])) for f, _ in kept[len(head_class) :])
                if chained < edits:
                    edits, sim = chained, _cosine(cluster_ctx, ctx)
            need = learner.min_similarity + EDIT_PENALTY * (edits - 1)
            if min(len(cls[0]), len(head)) <= SHORT:
                need = max(need, SHORT_SIMILARITY)
            if strict:
                need = max(need, INFLECTED_SIMILARITY)
            if counts[cls[0]] < min_count:
                need = max(need, RARE_SIMILARITY)
            if sim >= need:
                kept.extend((f, counts[f]) for f in cls)
                sims.extend(round(sim, 3) for _ in cls)
                for k, n in ctx.items():
                    cluster_ctx[k] = cluster_ctx.get(k, 0) + n
            else:
                against.update(cls)
        if len(kept) - len(head_class) < 1:
            continue
        sims = [1.0] * (len(head_class) - 1) + sims  # a hamza/final variant of the chosen spelling
        entity = gazetteer.get(head, "")
        if entity and all(gazetteer.get(f) == entity for f, _ in kept):
            continue  # the gazetteer has them all
        cluster = Cluster(tuple(kept), tuple(sims), entity, _flags([f for f, _ in kept]))
        clusters.append(cluster)
        # spellings the matcher would generate from the cluster that the corpus has and that the evidence
        # judged another word: never keys (a spelling merely too rare to judge is generated)
        spelled = {f for f, _ in kept}
        plain = not spelled & inflected
        for form in spelled:
            for g in variants(form, cluster.flags):
                if g in spelled or g not in counts:
                    continue
                n = counts[g]
                if g in against or g in judged or g in shipped or n >= FREQUENT:
                    native.add(g)
                elif plain and (clitic_form(g, max(2, n // 20), counts) or native_morphology(g, n, counts)):
                    native.add(g)
    clusters = _joined(clusters, joins, hits, neighbours, counts, min_count, gazetteer)
    return NamesModel(tuple(clusters), frozenset(native), learner.docs)


JOIN_SIMILARITY = 0.6
"""A spaced spelling (كوكا كولا) joins a one-word one (كوكاكولا) when their contexts agree this much."""
JOIN_FIRST_RANK = 100
"""The first part of a spaced spelling is not one of the 100 most frequent words (في, من, على, لا ...):
those are prepositions and particles written glued by mistake, not parts of a name; nor does it begin
with the article (اللامحدود "the unlimited" is not a name)."""


def _join_candidates(
    counts: Mapping[str, int], min_count: int, shipped: Set[str], gazetteer: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(one-word spelling, the same split in two words) for candidate words that are two corpus words
    glued: عبدالفتاح / عبد الفتاح, كوكاكولا / كوكا كولا. Native words and proclitic forms are left out."""
    function = frozenset(frequent_words()[:JOIN_FIRST_RANK])
    context = frozenset(frequent_words()[:CONTEXT_WORDS])
    out = []
    for word, n in counts.items():
        if not min_count <= n < FREQUENT or len(word) < 6 or word in shipped or word in gazetteer:
            continue
        for k in range(2, len(word) - 2):
            a, b = word[:k], word[k:]
            if a in _CHAINS or a in function or (a in context and b in context) or a.startswith(_ARTICLE):
                continue  # (the article is on the second word of a compound name: عبد الفتاح, not اللا محدود)
            if counts.get(a, 0) >= RARE_COUNT and counts.get(b, 0) >= RARE_COUNT:
                if not (clitic_form(word, max(2, n // 20), counts) or native_morphology(word, n, counts)):
                    out.append((word, f"{a} {b}"))
                break
    return out


def _joined(
    clusters: list[Cluster],
    joins: list[tuple[str, str]],
    hits: Mapping[str, int],
    neighbours: Mapping[str, Mapping[bytes, int]],
    counts: Mapping[str, int],
    min_count: int,
    gazetteer: Mapping[str, str],
) -> list[Cluster]:
    """``clusters`` with the spaced spellings of their words (or new two-spelling clusters) that the
    contexts support; the chosen spelling stays the more frequent one."""
    where = {f: i for i, c in enumerate(clusters) for f, _ in c.forms}
    out = list(clusters)
    for word, spaced in joins:
        n = hits.get(spaced, 0)
        a, b = neighbours.get(word, {}), neighbours.get(spaced, {})
        if n < min_count or sum(a.values()) < MIN_CONTEXTS or sum(b.values()) < MIN_CONTEXTS:
            continue
        sim = round(_cosine(a, b), 3)
        if sim < JOIN_SIMILARITY or spaced in gazetteer:
            continue
        i = where.get(word)
        if i is None:
            forms = sorted(((word, counts[word]), (spaced, n)), key=lambda fn: -fn[1])
            where[word] = where[spaced] = len(out)
            out.append(Cluster(tuple(forms), (sim,), gazetteer.get(word, ""), ""))
        elif spaced not in where:
            c = out[i]
            out[i] = Cluster((*c.forms, (spaced, n)), (*c.similarity, sim), c.entity, c.flags)
            where[spaced] = i
    return out


_G_LETTERS = frozenset("\u063a\u062c\u0642\u0643\u06af")
_NISBA = ("\u064a", "\u064a\u0629", "\u064a\u064a\u0646", "\u064a\u0648\u0646")  # -i, -iya, -iyin, -iyun
_ONE_G = str.maketrans(dict.fromkeys("\u062c\u0642\u0643\u06af", "\u063a"))
_LONG_VOWELS = frozenset("\u0627\u0648\u064a")


def _edits(a: str, b: str) -> int:
    """Edit distance of two spellings as transliteration variants: inserting or dropping a letter, or
    writing /g/ with another g-letter, costs 1; one long vowel for another costs 2 (العبادي/العبيدي,
    لوس/لاس are different names far more often than variants); any other substitution costs 3."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            if ca == cb:
                sub = 0
            elif ca in _G_LETTERS and cb in _G_LETTERS:
                sub = 1
            elif ca in _LONG_VOWELS and cb in _LONG_VOWELS:
                sub = 2
            else:
                sub = 3
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub))
        prev = cur
    return prev[-1]


def _flags(forms: list[str]) -> str:
    g = {ch for f in forms for ch in f} & set("\u063a\u062c\u0642\u0643\u06af")
    lengths = {len(f) for f in forms}
    return ("g" if len(g) > 1 else "") + ("vi" if len(lengths) > 1 else "")


_ALEF = "\u0627"
_ALEF_MAKSURA = "\u0649"
_WAW_ALEF = "\u0648\u0627"
_IMPERFECT = ("\u064a", "\u062a", "\u0646", "\u0623")  # YEH TEH NOON ALEF-HAMZA
_FUTURE = "\u0633"  # SEEN
_PROCLITIC_CHAINS = tuple(
    sorted(
        {
            a + b + c
            for a in ("", "\u0648", "\u0641")  # WAW FEH
            for b in ("", "\u0628", "\u0644", "\u0643", _FUTURE)  # BEH LAM KAF SEEN
            for c in ("", _ARTICLE)
        }
        - {""},
        key=len,
        reverse=True,
    )
)
_LIL = "\u0644\u0644"
_YEH = "\u064a"
_NOON = "\u0646"
_MEEM = "\u0645"
_PARTICIPLE = ("\u0645\u062a", "\u0645\u0633\u062a")  # MEEM TEH, MEEM SEEN TEH
_PARTICLES = ("\u0645\u0627", "\u0644\u0627")  # MA, LA written glued to the next word


_CHAINS = frozenset(_PROCLITIC_CHAINS)
_LONGEST_CHAIN = max(map(len, _PROCLITIC_CHAINS))


def clitic_form(form: str, floor: int, counts: Mapping[str, int]) -> bool:
    """Whether ``form`` is proclitics (WAW, FEH, BEH, LAM, KAF, SEEN, the article) + a word the corpus
    has on its own."""
    if form.startswith(_LIL) and counts.get(_ARTICLE + form[2:], 0) + counts.get(form[2:], 0) >= floor:
        return True
    for k in range(1, min(_LONGEST_CHAIN, len(form) - 3) + 1):
        if form[:k] in _CHAINS and counts.get(form[k:], 0) >= (1 if form[:k] == _ARTICLE else floor):
            return True  # (a name written with the article is not also written without it: المنفى/منفى)
    # ما يحدث written مايحدث: a particle glued to a frequent word
    return form[:2] in _PARTICLES and counts.get(form[2:], 0) >= FREQUENT


def native_morphology(form: str, n: int, counts: Mapping[str, int]) -> bool:
    """Whether the corpus inflects ``form`` as a native word, or ``form`` is an inflection of one.

    Native: pronoun suffixes, plural/dual/feminine endings or the article on it (قدرة → قدرته, القدرة);
    it is a suffixed, accusative (final ALEF), past (final TEH, WAW ALEF) or imperfect (first YEH, TEH, NOON
    or ALEF swapped) form of a corpus word.
    """
    floor = max(2, n // 20)

    def has(word: str) -> bool:
        return len(word) >= 2 and counts.get(word, 0) >= floor

    stem = form[:-1] + _TEH if form.endswith(_TEH_MARBUTA) else form
    related = sum(counts.get(stem + s, 0) for s in _PRONOUNS)
    related += sum(counts.get(form + s, 0) for s in _SUFFIXES[7:])
    if not form.startswith(_ARTICLE):
        related += counts.get(_ARTICLE + form, 0)
    if related >= floor:
        return True
    for s in (*_SUFFIXES, _WAW_ALEF, _ALEF, _TEH):
        if form.endswith(s) and len(form) - len(s) >= 2:
            base = form[: -len(s)]
            if has(base) or has(base + _ALEF_MAKSURA) or has(base + _ALEF):
                return True
            if base.endswith(_TEH) and has(base[:-1] + _TEH_MARBUTA):
                return True
    if form.endswith(_TEH_MARBUTA) and has(form[:-1]):
        return True
    if form.endswith(_YEH) and has(form + _NOON):  # a dual or plural form (مئتي, مئتين)
        return True
    if form[0] in _IMPERFECT and any(has(p + form[1:]) for p in _IMPERFECT if p != form[0]):
        return True
    bare = form[2:] if form.startswith(_ARTICLE) else form
    # participles and nouns of the mu- pattern (متقنة, متكونة, مستشفى): native by shape
    if bare.startswith(_PARTICIPLE) and len(bare) >= 5:
        return True
    return bare.startswith(_MEEM) and bare.endswith(_TEH_MARBUTA) and len(bare) >= 5


_NUL = b"\x00"
_SEP = b" " + _NUL + b" "
"""Between two kept documents: a token that is no word, so no context crosses documents."""
_SPACE = 0x20


def _neighbours(
    learner: NameVariantLearner, forms: set[str], hits: dict[str, int] | None = None
) -> dict[str, dict[bytes, int]]:
    """For each of ``forms``: counts of the word just before (``<w``) and after (``>w``) it.

    Every word counts, not only frequent ones: the names around a name (أتلتيكو مدريد) tell more than
    function words, and on the labelled pairs they separate variants from native minimal pairs better
    (`benchmarks/eval_names.py`). One automaton pass over the kept documents finds the forms."""
    if not forms or not learner.kept:
        return {}
    tok = tokenizer()
    keys = sorted(forms)
    automaton = ahocorasick_rs.BytesAhoCorasick(
        [b" " + tok.encode(f) for f in keys],  # a word start: no match inside another word
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    data = _SEP + _SEP.join(learner.kept) + _SEP
    counts: collections.Counter[tuple[int, bytes]] = collections.Counter()
    seen = [0] * len(keys)
    found = [0] * len(keys)
    for i, space, end in automaton.find_matches_as_indexes(data):
        if data[end] != _SPACE:
            continue
        found[i] += 1
        if seen[i] >= MAX_OBSERVED:
            continue
        seen[i] += 1
        a = space
        while data[a] == _SPACE:
            a -= 1
        left = data[data.rfind(b" ", 0, a) + 1 : a + 1]
        if left != _NUL:
            counts[(i, b"<" + left)] += 1
        b = end
        while data[b] == _SPACE:
            b += 1
        right = data[b : data.find(b" ", b)]
        if right != _NUL:
            counts[(i, b">" + right)] += 1
    if hits is not None:
        hits.update((keys[i], n) for i, n in enumerate(found) if n)
    out: dict[str, dict[bytes, int]] = collections.defaultdict(dict)
    for (i, ctx), n in counts.items():  # contexts stay bytes (``<w``, ``>w``): only compared, never shown
        out[keys[i]][ctx] = n
    return out


def _summed(neighbours: Mapping[str, Mapping[bytes, int]], forms: list[str]) -> dict[bytes, int]:
    """The context counts of several spellings added up."""
    out: dict[bytes, int] = {}
    for form in forms:
        for k, n in neighbours.get(form, {}).items():
            out[k] = out.get(k, 0) + n
    return out


def _cosine(a: Mapping[bytes, int], b: Mapping[bytes, int]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[k] for k, n in a.items() if k in b)
    return dot / (math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values())))


class ProfileLearner:
    """Stands for the learner when a saved profile is given: observes nothing, finishes into the profile."""

    name = LEARNER

    def __init__(self, path: str) -> None:
        self.path = path
        load_profile(path)  # a bad profile fails before the corpus pass

    def observe(self, doc: Document) -> None:
        pass

    def observe_many(self, docs: Iterable[Document]) -> None:
        pass

    def merge(self, other: Any) -> None:
        pass

    def finish(self) -> NamesModel:
        return load_profile(self.path)


def learner(config: Any) -> NameVariantLearner | ProfileLearner | None:
    if not getattr(config, "names", False) or not getattr(config, "names_learn", False):
        return None
    if getattr(config, "names_profile", None):
        return ProfileLearner(config.names_profile)
    return NameVariantLearner(
        sample=config.names_learn_sample,
        min_count=config.names_learn_min_count,
        min_similarity=config.names_learn_min_similarity,
    )


# --- saved profiles ---------------------------------------------------------------------------------------


def save_profile(model: NamesModel, path: str | Path) -> None:
    """Write a learned model as JSON (gzip when the name ends in .gz): clusters with their evidence."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "docs": model.docs,
        "clusters": [
            {"forms": [list(f) for f in c.forms], "similarity": list(c.similarity), "entity": c.entity,
             "flags": c.flags}
            for c in model.clusters
        ],
        "native": sorted(model.native),
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(tmp, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=0)
    tmp.replace(path)


@functools.lru_cache(maxsize=4)
def load_profile(path: str | Path) -> NamesModel:
    """Read a profile written by `save_profile` (once per process and path)."""
    from arcorpus.config import ConfigError

    path = Path(path)
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: names profile not found") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a names profile: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ConfigError(f"{path}: not an arcorpus names profile (format {FORMAT} v{VERSION})")
    try:
        clusters = tuple(
            Cluster(
                tuple((str(f), int(n)) for f, n in c["forms"]),
                tuple(float(s) for s in c["similarity"]),
                str(c.get("entity", "")),
                str(c.get("flags", "")),
            )
            for c in data["clusters"]
        )
        return NamesModel(clusters, frozenset(map(str, data.get("native", ()))), int(data.get("docs", 0)))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed names profile: {exc}") from None
