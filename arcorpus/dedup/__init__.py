"""Corpus-level duplicate detection: exact keys, MinHash/LSH near duplicates, repeated paragraphs.

Usage by the pipeline: ``signatures(docs)`` (or ``signature(doc)``) runs in worker processes next to the
per-document steps; ``add(index, doc_id, signature)`` collects them in input order on the driver;
``resolve()`` returns, for every document in a duplicate cluster, its `DuplicateInfo` (the kept member
too, with ``duplicate_of`` None); ``finish_document`` handles repeated paragraphs in the final pass;
``report()`` summarises clusters and repeated paragraphs. Memory holds signatures, never texts.

How two documents become duplicates:

- **exact**: equal `exact_key` of their `matching_key` (search folding, lower case, digits, no
  punctuation or marks; names are canonical because the names step ran before): documents that differ
  only in spelling variants, diacritics, tatweel, punctuation or layout.
- **near**: MinHash over word ``dedup_ngram``-gram shingles of the matching key, LSH banding
  (`lsh_params`), each candidate pair verified by estimated Jaccard >= `verify_cutoff`, then connected
  components. Exact duplicates are collapsed first; LSH sees one signature per distinct key.

The pure functions the Dask engine uses are re-exported here: `matching_key`, `exact_key`,
`minhash_signature` (batch: `minhash_signatures`), `lsh_params`, `verify_cutoff`, `band_keys`,
`estimated_jaccard`, `connected_components`, `choose_kept`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from arcorpus.config import CleanConfig
from arcorpus.dedup.clusters import choose_kept, connected_components
from arcorpus.dedup.keys import exact_key, exact_keys, map_texts, matching_key, words_of
from arcorpus.dedup.lsh import (
    band_keys,
    candidate_pairs,
    candidate_probability,
    lsh_params,
    verified_pairs,
    verify_cutoff,
)
from arcorpus.dedup.minhash import (
    EMPTY,
    batch_signatures,
    estimated_jaccard,
    minhash_signature,
    minhash_signatures,
)
from arcorpus.dedup.paragraphs import MIN_PARAGRAPH_WORDS, distinct_paragraphs, repeated, text_paragraphs
from arcorpus.document import Change, DocId, Document, Reject, id_text

__all__ = [
    "Deduplicator",
    "DocSignature",
    "DuplicateInfo",
    "band_keys",
    "candidate_probability",
    "choose_kept",
    "connected_components",
    "estimated_jaccard",
    "exact_key",
    "lsh_params",
    "matching_key",
    "minhash_signature",
    "minhash_signatures",
    "verify_cutoff",
]

def _id_order(doc_id: DocId) -> tuple[str, str]:
    """A total order over ids of mixed JSON types (strings before numbers and booleans)."""
    return (type(doc_id).__name__ if not isinstance(doc_id, str) else "", id_text(doc_id))


REPORT_TOP = 50
"""How many clusters / repeated paragraphs `Deduplicator.report` lists in detail."""


@dataclass(frozen=True)
class DuplicateInfo:
    cluster_id: str
    cluster_size: int
    duplicate_of: DocId | None  # None for the document kept for the cluster
    method: str  # "exact" or "near"
    similarity: float | None = None
    """Estimated Jaccard of this document's shingles with the kept document's (None for the kept one)."""

    def metadata(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cluster_id": self.cluster_id, "cluster_size": self.cluster_size}
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
            out["duplicate_method"] = self.method
            if self.similarity is not None:
                out["duplicate_similarity"] = self.similarity
        return out


class DocSignature(NamedTuple):
    """What a worker sends the driver for one document (picklable; a few hundred bytes)."""

    exact: bytes
    """`exact_key` of the matching key (16 bytes)."""
    words: int
    """Words in the matching key: the completeness score `choose_kept` uses."""
    minhash: np.ndarray | None
    """uint32 MinHash signature (None in ``dedup="exact"`` mode)."""
    paragraphs: np.ndarray | None
    """Distinct paragraph hashes (uint64), None when repeated paragraphs are off."""


class Deduplicator:
    """Collects document signatures and resolves duplicate clusters (see the module docstring)."""

    def __init__(self, config: CleanConfig) -> None:
        self.config = config
        self.near = config.dedup == "near"
        self.num_perm = config.dedup_num_perm
        self.ngram = config.dedup_ngram
        self.threshold = config.dedup_threshold
        self.bands, self.rows = lsh_params(self.threshold, self.num_perm)
        self.cutoff = verify_cutoff(self.threshold, self.num_perm)
        self.paragraph_mode = config.repeated_paragraphs
        self.min_docs = config.repeated_paragraphs_min_docs
        # driver state: one entry per added document, in input order
        self._index: list[int] = []
        self._ids: list[DocId] = []
        self._exact: list[bytes] = []
        self._words: list[int] = []
        self._paragraphs: list[np.ndarray] = []
        self._sigs = np.empty((0, self.num_perm), dtype=np.uint32)
        self._position_of: dict[int, int] = {}
        # results
        self._infos: dict[int, DuplicateInfo] = {}
        self._clusters: list[dict[str, Any]] = []
        self._repeated: dict[int, int] = {}
        self._examples: dict[int, str] = {}
        self._removed_paragraphs: Counter[int] = Counter()
        self._stats: dict[str, Any] = {}

    # --- worker side ---------------------------------------------------------------------------------

    def signature(self, doc: Document) -> DocSignature | None:
        """The signature of one document (None when its matching key has no words)."""
        return self.signatures([doc])[0]

    def signatures(self, docs: Sequence[Document]) -> list[DocSignature | None]:
        """Signatures of a batch of documents, computed with one set of numpy operations."""
        if not docs:
            return []
        mapped, bounds = map_texts([d.text for d in docs])
        hashes, starts = words_of(mapped)
        word_doc = np.searchsorted(bounds, starts, side="right") - 1
        counts = (
            np.bincount(word_doc, minlength=len(docs)) if len(word_doc) else np.zeros(len(docs), np.int64)
        )
        offsets = np.concatenate(([0], np.cumsum(counts)))
        exact = exact_keys(hashes, offsets)
        sigs = batch_signatures(hashes, word_doc, len(docs), self.num_perm, self.ngram) if self.near else None
        paras = (
            distinct_paragraphs(mapped, bounds, hashes, starts, word_doc)
            if self.paragraph_mode != "off"
            else None
        )
        out: list[DocSignature | None] = []
        for i in range(len(docs)):
            if counts[i] == 0:
                out.append(None)
                continue
            out.append(
                DocSignature(
                    exact[i],
                    int(counts[i]),
                    sigs[i] if sigs is not None else None,
                    paras[i] if paras is not None else None,
                )
            )
        return out

    # --- driver side ---------------------------------------------------------------------------------

    def add(self, index: int, doc_id: DocId, signature: DocSignature | None) -> None:
        """Record one document's signature (call in input order; None signatures are ignored)."""
        if signature is None:
            return
        position = len(self._index)
        self._position_of[index] = position
        self._index.append(index)
        self._ids.append(doc_id)
        self._exact.append(signature.exact)
        self._words.append(signature.words)
        self._paragraphs.append(
            signature.paragraphs if signature.paragraphs is not None else np.empty(0, dtype=np.uint64)
        )
        if self.near:
            if position >= len(self._sigs):
                grown = np.empty((max(1024, 2 * len(self._sigs)), self.num_perm), dtype=np.uint32)
                grown[: len(self._sigs)] = self._sigs
                self._sigs = grown
            self._sigs[position] = signature.minhash if signature.minhash is not None else EMPTY

    def resolve(self) -> Mapping[int, DuplicateInfo]:
        """Cluster the added documents; `DuplicateInfo` for every member of a cluster of 2 or more."""
        n = len(self._index)
        self._infos, self._clusters, self._repeated = {}, [], {}  # resolve may be called again
        groups: dict[bytes, list[int]] = {}
        for position, key in enumerate(self._exact):
            groups.setdefault(key, []).append(position)
        reps = [members[0] for members in groups.values()]
        rep_members = list(groups.values())
        if self.near and len(reps) > 1:
            sigs = self._sigs[reps]
            order = np.array([int.from_bytes(self._exact[p][:8], "little") for p in reps], dtype=np.uint64)
            pairs = candidate_pairs(sigs, self.bands, self.rows, order)
            edges = verified_pairs(sigs, pairs, self.cutoff)
            labels = connected_components(len(reps), map(tuple, edges.tolist()))
            self._stats.update(candidate_pairs=len(pairs), verified_pairs=len(edges))
        else:
            labels = list(range(len(reps)))
        components: dict[int, list[int]] = {}
        for rep_pos, label in enumerate(labels):
            components.setdefault(label, []).extend(rep_members[rep_pos])
        exact_clusters = near_clusters = 0
        for members in components.values():
            if len(members) < 2:
                continue
            kept_index = choose_kept([(self._index[p], self._ids[p], self._words[p]) for p in members])
            kept = self._position_of[kept_index]
            kept_key = self._exact[kept]
            cluster_id = "dup-" + kept_key[:8].hex()
            distinct = len({self._exact[p] for p in members})
            exact_clusters += distinct == 1
            near_clusters += distinct > 1
            for p in members:
                if p == kept:
                    info = DuplicateInfo(cluster_id, len(members), None, "exact" if distinct == 1 else "near")
                else:
                    same = self._exact[p] == kept_key
                    similarity = (
                        1.0 if same or not self.near else estimated_jaccard(self._sigs[p], self._sigs[kept])
                    )
                    info = DuplicateInfo(
                        cluster_id,
                        len(members),
                        self._ids[kept],
                        "exact" if same else "near",
                        round(similarity, 3),
                    )
                self._infos[self._index[p]] = info
            self._clusters.append(
                {
                    "cluster_id": cluster_id,
                    "size": len(members),
                    "method": "exact" if distinct == 1 else "near",
                    "kept": self._ids[kept],
                    "members": sorted((self._ids[p] for p in members), key=_id_order),
                }
            )
        self._stats.update(
            documents=n,
            distinct_keys=len(groups),
            exact_clusters=exact_clusters,
            near_clusters=near_clusters,
            duplicates=sum(1 for info in self._infos.values() if info.duplicate_of is not None),
        )
        if self.paragraph_mode != "off":
            kept_positions = [p for p in range(n) if self._is_kept(self._index[p])]
            self._repeated = repeated([self._paragraphs[p] for p in kept_positions], self.min_docs)
        return self._infos

    def _is_kept(self, index: int) -> bool:
        info = self._infos.get(index)
        return info is None or info.duplicate_of is None

    def finish_document(self, index: int, doc: Document) -> Document | Reject:
        """Final pass over one document: note (and with ``remove``, remove) its repeated paragraphs.

        Call after `resolve`. Returns the document unchanged when it has no repeated paragraph; a
        document left empty by the removal becomes a ``empty_after_cleaning`` reject.
        """
        position = self._position_of.get(index)
        if not self._repeated or position is None:
            return doc
        stored = self._paragraphs[position]
        if not any(int(h) in self._repeated for h in stored):
            return doc
        line_indexes, hashes = text_paragraphs(doc.text)
        lines = doc.text.split("\n")
        hits = {}
        for line, h in zip(line_indexes.tolist(), hashes.tolist(), strict=True):
            if h in self._repeated:
                hits[line] = h
                self._examples.setdefault(h, lines[line])
        if self.paragraph_mode != "remove" or not hits:
            return doc
        changes = []
        for line, h in sorted(hits.items()):
            self._removed_paragraphs[h] += 1
            changes.append(
                Change("dedup", "dedup.repeated_paragraph", "remove_line", before=lines[line], line=line)
            )
        text = "\n".join(line for i, line in enumerate(lines) if i not in hits)
        if not text.strip():
            return Reject.of_document(
                doc,
                "empty_after_cleaning",
                "every paragraph is repeated across the corpus (see changes)",
                doc.changes + tuple(changes),
            )
        return doc.evolve(text=text, changes=changes)

    def take_paragraph_notes(self) -> tuple[dict[int, str], Counter[int]]:
        """What `finish_document` noted since the last call (an example line per repeated paragraph,
        removals per paragraph), forgotten here: a worker of the last pass returns its share this way."""
        notes = (self._examples, self._removed_paragraphs)
        self._examples, self._removed_paragraphs = {}, Counter()
        return notes

    def merge_paragraph_notes(self, notes: tuple[dict[int, str], Counter[int]]) -> None:
        """Add notes from `take_paragraph_notes`; merged in input order, the first example seen is kept,
        as when one process finishes every document."""
        examples, removed = notes
        for h, line in examples.items():
            self._examples.setdefault(h, line)
        self._removed_paragraphs.update(removed)

    def report(self) -> dict[str, Any]:
        """Clusters, their sizes and the repeated paragraphs (with counts), for the run report."""
        sizes = Counter(c["size"] for c in self._clusters)
        largest = sorted(self._clusters, key=lambda c: (-c["size"], c["cluster_id"]))[:REPORT_TOP]
        top = sorted(self._repeated.items(), key=lambda kv: (-kv[1], kv[0]))[:REPORT_TOP]
        return {
            "mode": self.config.dedup,
            "settings": {
                "threshold": self.threshold,
                "num_perm": self.num_perm,
                "ngram": self.ngram,
                "bands": self.bands,
                "rows": self.rows,
                "verify_cutoff": round(self.cutoff, 4),
            },
            **self._stats,
            "clusters": len(self._clusters),
            "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
            "largest_clusters": [
                {**c, "members": c["members"][:10], "more_members": max(0, len(c["members"]) - 10)}
                for c in largest
            ],
            "repeated_paragraphs": {
                "mode": self.paragraph_mode,
                "min_docs": self.min_docs,
                "min_words": MIN_PARAGRAPH_WORDS,
                "count": len(self._repeated),
                "removed": sum(self._removed_paragraphs.values()),
                "top": [
                    {"hash": f"{h:016x}", "documents": c, "text": self._examples.get(h, "")} for h, c in top
                ],
            },
        }
