"""Discovery: propose clusters of spellings that look like variants of one name, from a corpus.

1. Count words and adjacent word pairs (so "X Y" meets "XY"); keep those seen ``min_count`` times that are
   not frequent native words.
2. Group them by `variants.skeleton` (g-letters merged, long vowels after the first letter dropped, joins
   removed), then link two spellings of a group only when one is a generated variant of the other
   (`variants.variants` with flags ``gv``) by more than hamza or final yeh alone (those alone are mostly
   distinct native words: a'daad/i'daad).
3. Read the corpus again and collect, for each spelling, the words just before and after it. Arabic morphology
   makes many native words differ by a long vowel or g-letter too (ta'lim/ta'allum), but those are used in
   different company; two spellings of one name are used in the same company (cosine similarity of the
   neighbour counts). Spellings below ``min_similarity`` to the most frequent one are dropped.
4. Rank by the count of the second spelling times its similarity (times 3 when the cluster has a g-letter
   or join alternation, which native morphology rarely makes; long-vowel pairs are often singular/plural);
   write gazetteer rows preceded by ``#`` comment lines with example contexts.

This deliberately does NOT decide that a cluster is one entity: the output is for review. Delete wrong rows,
give ids, then load the file with ``--names-file``.
"""

from __future__ import annotations

import collections
import itertools
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from arcorpus.document import Document
from arcorpus.text.names.gazetteer import Entity, load_native_words
from arcorpus.text.names.matcher import Matcher, strip_marks
from arcorpus.text.names.variants import G_LETTERS, LONG_VOWELS, skeleton, variants

_TOKEN = re.compile(r"[^\W\d_]+")
_BREAK = re.compile(r"[^\w\s-]")
_PRUNE_AT = 3_000_000
_CONTEXT = 40
_MAX_CANDIDATES = 5000
_NAME_LIKE = 3.0
"""Rank weight of clusters with a g-letter or join alternation: native morphology rarely makes those."""
_MAX_OBSERVED = 400
_LAST_WORD = re.compile(r"([^\W\d_]+)[^\w]*\Z")
_FIRST_WORD = re.compile(r"[^\w]*([^\W\d_]+)")


@dataclass(frozen=True)
class Cluster:
    forms: tuple[tuple[str, int], ...]
    """(spelling, count), most frequent first."""
    contexts: tuple[str, ...] = ()
    similarity: float = 0.0
    """Highest cosine similarity of a variant's neighbour words to the canonical's."""

    @property
    def canonical(self) -> str:
        return self.forms[0][0]

    @property
    def flags(self) -> str:
        letters = {ch for form, _ in self.forms for ch in form}
        flags = "g" if len(letters & set(G_LETTERS)) > 1 else ""
        lengths = {len(form.replace(" ", "").replace("-", "")) for form, _ in self.forms}
        return flags + ("v" if len(lengths) > 1 and letters & LONG_VOWELS else "")


def count_forms(docs: Iterable[Any]) -> collections.Counter[str]:
    """Counts of words and adjacent word pairs (diacritics removed; punctuation breaks a pair)."""
    counts: collections.Counter[str] = collections.Counter()
    for doc in docs:
        if not isinstance(doc, Document):
            continue
        text = strip_marks(doc.text)
        for chunk in _BREAK.split(text):
            tokens = _TOKEN.findall(chunk)
            counts.update(tokens)
            counts.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
        if len(counts) > _PRUNE_AT:
            for key in [k for k, n in counts.items() if n < 2]:
                del counts[key]
    return counts


def discover(
    source: Callable[[], Iterator[Any]],
    known: Iterable[Entity] | None = None,
    min_count: int = 5,
    limit: int = 200,
    min_similarity: float = 0.5,
) -> list[Cluster]:
    """Ranked candidate clusters from the documents ``source()`` yields (read twice)."""
    counts = count_forms(source())
    native = load_native_words()
    groups: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for form, n in counts.items():
        if n >= min_count and form not in native and not any(w in native for w in form.split()):
            groups[skeleton(form)].append((form, n))
    del counts
    known_keys: frozenset[str] = frozenset()
    if known is not None:
        known_keys = frozenset(sp.key for sp in Matcher(known).spellings)
    found = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for component in _linked(members):
            if known_keys and all(form in known_keys for form, _ in component):
                continue
            component.sort(key=lambda p: (-p[1], p[0]))
            found.append(component)
    found.sort(key=lambda m: (-m[1][1], m[0][0]))
    candidates = found[:_MAX_CANDIDATES]
    neighbours, contexts = _profile(source, {form for m in candidates for form, _ in m})
    scored = []
    for members in candidates:
        head = neighbours.get(members[0][0], collections.Counter())
        kept = [members[0]]
        sims = []
        for form, n in members[1:]:
            sim = _cosine(head, neighbours.get(form, collections.Counter()))
            if sim >= min_similarity:
                kept.append((form, n))
                sims.append(sim)
        if len(kept) > 1:
            shown = tuple(c for form, _ in kept[:2] for c in contexts.get(form, ())[:1])
            cluster = Cluster(tuple(kept), shown, round(max(sims), 2))
            weight = _NAME_LIKE if ("g" in cluster.flags or any(" " in f for f, _ in kept)) else 1.0
            scored.append((-kept[1][1] * sims[0] * weight, cluster))
    scored.sort(key=lambda p: (p[0], p[1].canonical))
    return [c for _, c in scored[:limit]]


def _cosine(a: collections.Counter[str], b: collections.Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[k] for k, n in a.items() if k in b)
    return dot / (math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values())))


def _linked(members: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Groups of spellings linked by a generator step (g-letter, one long vowel, join), not by hamza alone."""
    forms = {form for form, _ in members}
    parent = {form: form for form in forms}

    def root(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    real: set[str] = set()
    for form in forms:
        soft = variants(form, "")
        for other in variants(form, "gv") & forms:
            if other != form and other not in soft:
                parent[root(other)] = root(form)
                real.add(root(form))
    out: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for form, n in members:
        out[root(form)].append((form, n))
    return [group for key, group in out.items() if len(group) > 1 and key in real]


def _profile(
    source: Callable[[], Iterator[Any]], forms: set[str]
) -> tuple[dict[str, collections.Counter[str]], dict[str, list[str]]]:
    """For each form: counts of the word before (``<w``) and after (``>w``) it, and two example contexts."""
    neighbours: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    contexts: dict[str, list[str]] = collections.defaultdict(list)
    if not forms:
        return neighbours, contexts
    keys = sorted(forms)
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
    seen: collections.Counter[str] = collections.Counter()
    for doc in source():
        if not isinstance(doc, Document):
            continue
        text = strip_marks(doc.text)
        n = len(text)
        for index, start, end in automaton.find_matches_as_indexes(text, overlapping=True):
            form = keys[index]
            if (start > 0 and text[start - 1].isalnum()) or (end < n and text[end].isalnum()):
                continue
            if seen[form] >= _MAX_OBSERVED:
                continue
            seen[form] += 1
            before = _LAST_WORD.search(text, max(0, start - _CONTEXT), start)
            after = _FIRST_WORD.match(text, end, end + _CONTEXT)
            if before:
                neighbours[form]["<" + before.group(1)] += 1
            if after:
                neighbours[form][">" + after.group(1)] += 1
            if len(contexts[form]) < 2:
                contexts[form].append(" ".join(text[max(0, start - _CONTEXT) : end + _CONTEXT].split()))
    return neighbours, contexts


def write_tsv(clusters: list[Cluster], output: str) -> None:
    """The clusters as gazetteer rows (ids ``candidate_<n>``), each preceded by its contexts as comments."""
    lines = ["\t".join(("id", "type", "canonical", "variants", "flags", "reason"))]
    for n, c in enumerate(clusters, 1):
        for ctx in c.contexts:
            lines.append(f"# {ctx}")
        counts = ", ".join(f"{form}={k}" for form, k in c.forms)
        variants = "|".join(form for form, _ in c.forms[1:])
        lines.append(
            "\t".join(
                (
                    f"candidate_{n}",
                    "unknown",
                    c.canonical,
                    variants,
                    c.flags,
                    f"discovered: {counts}; context similarity {c.similarity}",
                )
            )
        )
    text = "\n".join(lines) + "\n"
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
