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
from dataclasses import dataclass, field
from types import MappingProxyType
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
    "ParagraphNotes",
    "Resolution",
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


@dataclass
class ParagraphNotes:
    """What finishing documents noted about repeated paragraphs, for the report: an example line per
    paragraph hash, and removals per hash. Merge in input order: the first example seen is kept."""

    examples: dict[int, str] = field(default_factory=dict)
    removed: Counter[int] = field(default_factory=Counter)

    def merge(self, other: ParagraphNotes) -> None:
        for h, line in other.examples.items():
            self.examples.setdefault(h, line)
        self.removed.update(other.removed)


_EMPTY: Mapping[Any, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Resolution:
    """The result of resolving a corpus's duplicates: a value, read by every engine's last pass.

    ``infos``: `DuplicateInfo` by input position, for every member of a cluster (the kept one too).
    ``repeated``: paragraph hash -> kept documents holding it (paragraphs repeated across the corpus).
    ``finish_at``: input positions of the documents holding such a paragraph (`finish_document` runs
    on those only). ``summary``: the clusters and counts of the dedup report (`report`).
    An engine may hold a slice of it (the positions of one partition), never a changed copy.
    """

    infos: Mapping[int, DuplicateInfo] = field(default_factory=lambda: _EMPTY)
    repeated: Mapping[int, int] = field(default_factory=lambda: _EMPTY)
    finish_at: frozenset[int] = frozenset()
    paragraph_mode: str = "off"
    summary: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __reduce__(self) -> tuple[Any, ...]:  # mapping proxies do not pickle: travel as dicts
        mappings = (dict(self.infos), dict(self.repeated), dict(self.summary))
        return (_resolution, (*mappings, self.finish_at, self.paragraph_mode))

    def report(self, notes: ParagraphNotes, min_docs: int) -> dict[str, Any]:
        """The dedup report (``--report``'s ``dedup``): ``summary`` plus the repeated paragraphs, with
        the example lines and removals ``notes`` gathered while finishing the documents."""
        top = sorted(self.repeated.items(), key=lambda kv: (-kv[1], kv[0]))[:REPORT_TOP]
        return {
            **self.summary,
            "repeated_paragraphs": {
                "mode": self.paragraph_mode,
                "min_docs": min_docs,
                "min_words": MIN_PARAGRAPH_WORDS,
                "count": len(self.repeated),
                "removed": sum(notes.removed.values()),
                "top": [
                    {"hash": f"{h:016x}", "documents": c, "text": notes.examples.get(h, "")} for h, c in top
                ],
            },
        }


def _resolution(
    infos: dict[int, DuplicateInfo],
    repeated: dict[int, int],
    summary: dict[str, Any],
    finish_at: frozenset[int],
    mode: str,
) -> Resolution:
    proxy = MappingProxyType
    return Resolution(proxy(infos), proxy(repeated), finish_at, mode, proxy(summary))


NO_DUPLICATES = Resolution()
"""The resolution of a run without dedup: every document is kept as it is."""


def finish_document(doc: Document, resolution: Resolution) -> tuple[Document | Reject, ParagraphNotes]:
    """Final pass over one document: note (and with ``remove``, remove) its repeated paragraphs.

    A pure function of the document and the resolution. Returns the document unchanged when it has no
    repeated paragraph; a document left empty by the removal becomes an ``empty_after_cleaning`` reject.
    """
    notes = ParagraphNotes()
    repeated = resolution.repeated
    if not repeated:
        return doc, notes
    line_indexes, hashes = text_paragraphs(doc.text)
    lines = doc.text.split("\n")
    hits = {}
    for line, h in zip(line_indexes.tolist(), hashes.tolist(), strict=True):
        if h in repeated:
            hits[line] = h
            notes.examples.setdefault(h, lines[line])
    if resolution.paragraph_mode != "remove" or not hits:
        return doc, notes
    changes = []
    for line, h in sorted(hits.items()):
        notes.removed[h] += 1
        before = lines[line]
        changes.append(Change("dedup", "dedup.repeated_paragraph", "remove_line", before=before, line=line))
    text = "\n".join(line for i, line in enumerate(lines) if i not in hits)
    if not text.strip():
        reject = Reject.of_document(
            doc,
            "empty_after_cleaning",
            "every paragraph is repeated across the corpus (see changes)",
            doc.changes + tuple(changes),
        )
        return reject, notes
    return doc.evolve(text=text, changes=changes), notes


def holding(paragraphs: Sequence[np.ndarray], repeated: Mapping[int, int]) -> np.ndarray:
    """Which of the documents whose distinct paragraph hashes are ``paragraphs`` hold a repeated one
    (a boolean per document; one vectorized lookup for all of them)."""
    out = np.zeros(len(paragraphs), dtype=bool)
    if not repeated or not len(paragraphs):
        return out
    lengths = np.fromiter((len(p) for p in paragraphs), dtype=np.int64, count=len(paragraphs))
    if not lengths.sum():
        return out
    flat = np.concatenate([p for p in paragraphs if len(p)]).astype(np.uint64, copy=False)
    keys = np.fromiter(repeated.keys(), dtype=np.uint64, count=len(repeated))
    hit = np.isin(flat, keys)
    owners = np.repeat(np.arange(len(paragraphs)), lengths)
    out[np.unique(owners[hit])] = True
    return out


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
        self._notes = ParagraphNotes()
        self._resolution: Resolution | None = None
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
        self._resolution = None
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

    def resolution(self) -> Resolution:
        """What `resolve` found, as a value (call after `resolve`)."""
        sizes = Counter(c["size"] for c in self._clusters)
        largest = sorted(self._clusters, key=lambda c: (-c["size"], c["cluster_id"]))[:REPORT_TOP]
        summary = {
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
        }
        held = holding(self._paragraphs, self._repeated)
        return Resolution(
            infos=MappingProxyType(self._infos),
            repeated=MappingProxyType(self._repeated),
            finish_at=frozenset(np.asarray(self._index, dtype=np.int64)[held].tolist()),
            paragraph_mode=self.paragraph_mode,
            summary=MappingProxyType(summary),
        )

    def finish_document(self, index: int, doc: Document) -> Document | Reject:
        """`finish_document` of the module for the document added at ``index``, its notes kept here
        for `report` (a convenience for one-process use; the engines use the module function)."""
        resolution = self._resolution or self.resolution()
        self._resolution = resolution
        if index not in resolution.finish_at:
            return doc
        finished, notes = finish_document(doc, resolution)
        self._notes.merge(notes)
        return finished

    def report(self) -> dict[str, Any]:
        """Clusters, their sizes and the repeated paragraphs (with counts), for the run report."""
        return (self._resolution or self.resolution()).report(self._notes, self.min_docs)
