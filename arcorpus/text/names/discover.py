"""Discovery (``arcorpus variants``): the corpus learner's clusters, ranked by confidence, for review.

The evidence is the learner's (`arcorpus.text.names.learn`): spellings with one transliteration skeleton,
neither of them native (shipped lists, corpus morphology: pronoun suffixes, plural/feminine endings, the
article, verb forms), not a known minimal pair, used next to the same words. Here every document is read
(no sample) and a cluster is ranked by its *confidence*: the lowest context similarity of its variants
times the log-count of its rarer spelling, times `NAME_LIKE` when the spellings differ by a g-letter
(native morphology does not alternate GHAIN, JEEM, QAF and KAF).

This deliberately does NOT decide that a cluster is one entity: the output is for review. Delete wrong rows,
give ids, then load the file with ``--names-file``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from arcorpus.document import Document
from arcorpus.text.names.gazetteer import Entity
from arcorpus.text.names.learn import FREQUENT, NameVariantLearner, tokenizer
from arcorpus.text.names.learn import Cluster as Learned

FREQUENT_SHOWN = 1000
"""The count a frequent word (from ``wordlist.tsv``, not counted) stands for in the confidence."""
NAME_LIKE = 2.0
"""Confidence weight of a cluster whose spellings alternate a g-letter."""
_BATCH = 512
_CONTEXT = 40


@dataclass(frozen=True)
class Cluster:
    forms: tuple[tuple[str, int], ...]
    """(spelling, count), the chosen spelling first."""
    contexts: tuple[str, ...] = ()
    similarity: float = 0.0
    """Lowest cosine similarity of a variant's neighbour words to the chosen spelling's."""
    confidence: float = 0.0
    flags: str = ""
    entity: str = ""

    @property
    def canonical(self) -> str:
        return self.forms[0][0]


def confidence(cluster: Learned) -> float:
    """How sure the evidence is: weakest similarity x log of the rarer count (x `NAME_LIKE` for /g/)."""
    rarest = min(min(n, FREQUENT_SHOWN) for _, n in cluster.forms)
    weight = NAME_LIKE if "g" in cluster.flags else 1.0
    return round(min(cluster.similarity) * math.log1p(rarest) * weight, 3)


def discover(
    source: Callable[[], Iterator[Any]],
    known: Iterable[Entity] | None = None,
    min_count: int = 5,
    limit: int = 200,
    min_similarity: float = 0.5,
) -> list[Cluster]:
    """Ranked candidate clusters from the documents ``source()`` yields (read once).

    ``known``: the gazetteer; clusters of a listed entity are left out unless ``known`` is None.
    """
    learner = NameVariantLearner(sample=1, min_count=min_count, min_similarity=min_similarity)
    batch: list[Document] = []
    for doc in source():
        if isinstance(doc, Document):
            batch.append(doc)
            if len(batch) == _BATCH:
                _observe(learner, batch)
                batch = []
    _observe(learner, batch)
    from arcorpus.text.names.gazetteer import load_builtin

    model = learner.finish(tuple(known) if known is not None else load_builtin())
    found = [c for c in model.clusters if known is None or not c.entity]
    found.sort(key=lambda c: (-confidence(c), c.canonical))
    contexts = _contexts(learner, {f for c in found[:limit] for f, _ in c.forms[:2]})
    return [
        Cluster(
            c.forms,
            tuple(contexts.get(f, "") for f, _ in c.forms[:2] if contexts.get(f)),
            min(c.similarity),
            confidence(c),
            c.flags,
            c.entity,
        )
        for c in found[:limit]
    ]


def _observe(learner: NameVariantLearner, docs: list[Document]) -> None:
    part = NameVariantLearner(sample=1)
    part.observe_many(docs)
    learner.merge(part)


def _contexts(learner: NameVariantLearner, forms: set[str]) -> dict[str, str]:
    """One example (the words around a first occurrence) per spelling, from the learner's kept text."""
    tok = tokenizer()
    wanted = {tok.encode(f): f for f in forms}
    out: dict[str, str] = {}
    for blob in learner.kept:
        if len(out) == len(wanted):
            break
        words = blob.split()
        for i, w in enumerate(words):
            form = wanted.get(w)
            if form is not None and form not in out:
                out[form] = " ".join(tok.decode(x) for x in words[max(0, i - 5) : i + 6])
    return out


def write_tsv(clusters: list[Cluster], output: str) -> None:
    """The clusters as gazetteer rows (ids ``candidate_<n>``), each preceded by its contexts as comments."""
    lines = ["\t".join(("id", "type", "canonical", "variants", "flags", "reason"))]
    for n, c in enumerate(clusters, 1):
        for ctx in c.contexts:
            lines.append(f"# {ctx}")
        counts = ", ".join(f"{form}={'frequent' if k >= FREQUENT else k}" for form, k in c.forms)
        variants = "|".join(form for form, _ in c.forms[1:])
        lines.append(
            "\t".join(
                (
                    f"candidate_{n}",
                    "unknown",
                    c.canonical,
                    variants,
                    c.flags,
                    f"discovered: {counts}; context similarity {c.similarity:.2f}; confidence {c.confidence}",
                )
            )
        )
    text = "\n".join(lines) + "\n"
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
