"""Corpus-level duplicate detection: exact keys now, MinHash/LSH near duplicates (see `Deduplicator`).

Usage by the pipeline: ``signature(doc)`` runs in worker processes next to the per-document steps;
``add(index, doc_id, signature)`` collects them in input order on the driver; ``resolve()`` returns, for
every document in a duplicate cluster, its `DuplicateInfo`. Memory holds signatures, never texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xxhash

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.fold import fold


@dataclass(frozen=True)
class DuplicateInfo:
    cluster_id: str
    cluster_size: int
    duplicate_of: str | None  # None for the document kept for the cluster
    method: str  # "exact" or "near"

    def metadata(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cluster_id": self.cluster_id, "cluster_size": self.cluster_size}
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
            out["duplicate_method"] = self.method
        return out


def matching_key(text: str) -> str:
    """Folded text with whitespace and punctuation folded: equal keys mean exact duplicates."""
    folded = fold(text)
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


class Deduplicator:
    def __init__(self, config: CleanConfig) -> None:
        self.config = config
        self._first: dict[bytes, tuple[int, str]] = {}
        self._members: dict[bytes, list[tuple[int, str]]] = {}

    def signature(self, doc: Document) -> Any:
        return xxhash.xxh3_128_digest(matching_key(doc.text).encode("utf-8"))

    def add(self, index: int, doc_id: str, signature: Any) -> None:
        self._members.setdefault(signature, []).append((index, doc_id))

    def resolve(self) -> Mapping[int, DuplicateInfo]:
        out: dict[int, DuplicateInfo] = {}
        for members in self._members.values():
            if len(members) < 2:
                continue
            keep_index, keep_id = members[0]
            cluster = f"exact-{keep_index}"
            out[keep_index] = DuplicateInfo(cluster, len(members), None, "exact")
            for index, _ in members[1:]:
                out[index] = DuplicateInfo(cluster, len(members), keep_id, "exact")
        return out
