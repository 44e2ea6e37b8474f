"""Discovery: propose clusters of spellings that look like variants of one name, from a corpus.

Words (and adjacent word pairs, so "X Y" meets "XY") are grouped by `variants.skeleton`: spellings that
differ only by g-letters, inner long vowels, hamza on the first alef, final yeh/alef maksura and joins share a
key. Inside a key, spellings are linked when one is a generated variant of the other
(`variants.variants` with flags ``gv``) by more than hamza or final yeh alone (those alternations are mostly
distinct native words: a'daad/i'daad). A cluster is proposed when at least two linked spellings are each seen
``min_count`` times, none of them is a frequent native word, and (unless ``known`` is None) not all of them
are already gazetteer spellings. Clusters are ranked by the count of their second most frequent spelling (evidence that
the
variation is real), and written as gazetteer rows preceded by ``#`` comment lines with example contexts.

This deliberately does NOT decide that a cluster is one entity: native words collide under the skeleton too
(that is why the output is for review, with contexts). Review, delete wrong rows, give ids, then load the file
with ``--names-file``.
"""

from __future__ import annotations

import collections
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick

from arcorpus.document import Document
from arcorpus.names.gazetteer import Entity, load_native_words
from arcorpus.names.matcher import Matcher, strip_marks
from arcorpus.names.variants import G_LETTERS, LONG_VOWELS, skeleton, variants

_TOKEN = re.compile(r"[^\W\d_]+")
_BREAK = re.compile(r"[^\w\s-]")
_PRUNE_AT = 3_000_000
_CONTEXT = 40


@dataclass(frozen=True)
class Cluster:
    forms: tuple[tuple[str, int], ...]
    """(spelling, count), most frequent first."""
    contexts: tuple[str, ...] = ()

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
        text = strip_marks(doc.text)[0]
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
) -> list[Cluster]:
    """Ranked candidate clusters from the documents ``source()`` yields (read twice: counts, contexts)."""
    counts = count_forms(source())
    native = load_native_words()
    groups: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for form, n in counts.items():
        if n >= min_count and form not in native and not any(w in native for w in form.split()):
            groups[skeleton(form)].append((form, n))
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
    clusters = [tuple(m) for m in found[:limit]]
    return _with_contexts(source, clusters)


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


def _with_contexts(
    source: Callable[[], Iterator[Any]], clusters: list[tuple[tuple[str, int], ...]]
) -> list[Cluster]:
    if not clusters:
        return []
    automaton = ahocorasick.Automaton()
    for i, members in enumerate(clusters):
        for form, _ in members:
            automaton.add_word(form, (i, len(form)))
    automaton.make_automaton()
    contexts: dict[int, list[str]] = collections.defaultdict(list)
    for doc in source():
        if not isinstance(doc, Document):
            continue
        text = strip_marks(doc.text)[0]
        for end, (i, length) in automaton.iter(text):
            start = end - length + 1
            if len(contexts[i]) >= 2 or (start > 0 and text[start - 1].isalnum()):
                continue
            if end + 1 < len(text) and text[end + 1].isalnum():
                continue
            snippet = text[max(0, start - _CONTEXT) : end + 1 + _CONTEXT]
            contexts[i].append(" ".join(snippet.split()))
    return [Cluster(members, tuple(contexts.get(i, ()))) for i, members in enumerate(clusters)]


def write_tsv(clusters: list[Cluster], output: str) -> None:
    """The clusters as gazetteer rows (ids ``candidate_<n>``), each preceded by its contexts as comments."""
    lines = ["\t".join(("id", "type", "canonical", "variants", "flags", "reason"))]
    for n, c in enumerate(clusters, 1):
        for ctx in c.contexts:
            lines.append(f"# {ctx}")
        counts = ", ".join(f"{form}={k}" for form, k in c.forms)
        variants = "|".join(form for form, _ in c.forms[1:])
        lines.append(
            "\t".join((f"candidate_{n}", "unknown", c.canonical, variants, c.flags, f"discovered: {counts}"))
        )
    text = "\n".join(lines) + "\n"
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
