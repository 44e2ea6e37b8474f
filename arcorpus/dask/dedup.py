"""Duplicate detection on Dask: keys → shuffle by key → candidate groups → the real `Deduplicator`.

    per partition      every cleaned document emits int64 keys: one exact key (hash of `matching_key`)
                       and, with ``dedup="near"``, one key per LSH band (`band_keys` of its MinHash)
    shuffle on key     ``keys.shuffle("key")``: rows with the same key meet in one partition
    reduce             a key held by two or more documents links them: star edges (member → smallest)
    candidates         documents on some edge; everything else is unique and never leaves its worker
    resolve            few candidates: their signatures go to the driver, which runs one `Deduplicator`
                       over them in input order (verification, connected components, choice of the kept
                       document: the embedded engine's own code, so the result is the same).
                       Many candidates (> ``max_driver_candidates``): connected components of the
                       candidate graph by label propagation on the cluster, then one `Deduplicator` per
                       component, in a task, after a shuffle by component.

Why this is exact: a duplicate cluster only ever joins documents that share an exact key or an LSH
bucket, so every cluster lies inside one candidate component, and the `Deduplicator` sees each component
whole and in input order. Keys are 64-bit hashes; a collision only adds a candidate, which the
`Deduplicator` then rejects, so it costs time, never correctness.

This module deliberately implements no similarity logic of its own: that is `arcorpus.dedup`'s.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Sequence
from typing import Any

import dask.dataframe as dd
import numpy as np
import pandas as pd
import xxhash
from dask import delayed

from arcorpus.config import CleanConfig
from arcorpus.dedup import Resolution
from arcorpus.document import Document

NO_KEYS = np.zeros(0, dtype=np.int64)
KEY_META = pd.DataFrame({"key": pd.Series([], dtype="int64"), "pos": pd.Series([], dtype="int64")})
EDGE_META = pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype="int64")})
LABEL_META = pd.DataFrame({"pos": pd.Series([], dtype="int64"), "comp": pd.Series([], dtype="int64")})
# Frames that cross a shuffle carry Python objects pickled to bytes (dask's P2P shuffle moves Arrow tables).
INFO_META = pd.DataFrame({"pos": pd.Series([], dtype="int64"), "info": pd.Series([], dtype=object)})
SIG_META = pd.DataFrame(
    {
        "pos": pd.Series([], dtype="int64"),
        "id": pd.Series([], dtype=object),
        "sig": pd.Series([], dtype=object),
    }
)
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class KeyMaker:
    """Candidate keys of one cleaned document, from its dedup signature (built once per worker).

    The exact key is the signature's own ``exact`` key (`DocSignature`), the band keys are `band_keys` of
    its ``minhash``; nothing is computed twice. A signature of another shape (a bare digest) is used as
    the exact key, and the MinHash is then computed from `matching_key`.
    """

    def __init__(self, config: CleanConfig) -> None:
        from arcorpus import dedup

        self._dedup = dedup
        self._near: tuple[int, int] | None = None
        if config.dedup == "near" and hasattr(dedup, "band_keys") and hasattr(dedup, "lsh_params"):
            self._near = dedup.lsh_params(config.dedup_threshold, config.dedup_num_perm)
        self._num_perm = config.dedup_num_perm
        self._ngram = config.dedup_ngram

    def keys(self, doc: Document, signature: Any) -> np.ndarray:
        if signature is None:  # a document the Deduplicator ignores (no words)
            return NO_KEYS
        exact = getattr(signature, "exact", signature)
        if not isinstance(exact, (bytes, bytearray)):
            exact = self._dedup.matching_key(doc.text).encode("utf-8")
        out = [xxhash.xxh3_64_intdigest(b"exact\x00" + bytes(exact))]
        if self._near is not None:
            bands, rows = self._near
            minhash = getattr(signature, "minhash", None)
            if minhash is None and not hasattr(signature, "minhash"):
                key = self._dedup.matching_key(doc.text)
                minhash = self._dedup.minhash_signature(key, self._num_perm, self._ngram)
            if minhash is not None:
                for band, band_key in enumerate(self._dedup.band_keys(minhash, bands, rows)):
                    out.append(xxhash.xxh3_64_intdigest(band.to_bytes(4, "little") + bytes(band_key)))
        return np.array(out, dtype=np.uint64).view(np.int64)


# --- map → shuffle → reduce ----------------------------------------------------------------------------


def key_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``(key, pos)`` rows of one partition of the indexed cleaned frame (index = global position)."""
    keys = frame["keys"]
    counts = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    if not counts.sum():
        return KEY_META.copy()
    pos = np.repeat(frame.index.to_numpy(dtype=np.int64), counts)
    flat = np.concatenate([k for k in keys if len(k)])
    return pd.DataFrame({"key": flat, "pos": pos})


def count_keys(frame: pd.DataFrame) -> pd.Series:
    """Key rows one partition sends through the shuffle (one int64 key + one int64 position each)."""
    return pd.Series([sum(len(k) for k in frame["keys"])], dtype="int64", name="n")


def group_edges(frame: pd.DataFrame) -> pd.DataFrame:
    """After the shuffle on ``key``: link every member of a shared key to the key's smallest position."""
    shared = frame[frame["key"].duplicated(keep=False)]
    if shared.empty:
        return EDGE_META.copy()
    root = shared.groupby("key")["pos"].transform("min")
    edges = pd.DataFrame({"a": root.to_numpy(dtype=np.int64), "b": shared["pos"].to_numpy(dtype=np.int64)})
    return edges[edges["a"] != edges["b"]].drop_duplicates(ignore_index=True)


def candidate_edges(indexed: dd.DataFrame) -> dd.DataFrame:
    """Star edges between documents sharing a key: the only shuffle of per-document data in dedup."""
    keys = indexed.map_partitions(key_rows, meta=KEY_META)
    return keys.shuffle(on="key").map_partitions(group_edges, meta=EDGE_META)


def candidate_nodes(edges: dd.DataFrame) -> dd.DataFrame:
    """Every position on an edge, once."""
    nodes = dd.concat([edges["a"].rename("pos"), edges["b"].rename("pos")]).to_frame()
    return nodes.drop_duplicates()


# --- connected components on the cluster (fallback above max_driver_candidates) ------------------------


def components(
    edges: dd.DataFrame, max_rounds: int = 64, stats: dict[str, Any] | None = None
) -> dd.DataFrame:
    """``(pos, comp)`` for every node on an edge, ``comp`` = smallest position of its component.

    Label propagation with pointer jumping: each round, every node takes the smallest label among
    itself and its neighbours, then the label of its label. Rounds grow with the log of the component
    diameter; star edges from key groups keep diameters short.
    """
    labels = candidate_nodes(edges)
    labels = labels.assign(comp=labels["pos"]).persist()
    for rounds in range(1, max_rounds + 1):
        to_b = edges.merge(labels, left_on="a", right_on="pos")[["b", "comp"]].rename(columns={"b": "pos"})
        to_a = edges.merge(labels, left_on="b", right_on="pos")[["a", "comp"]].rename(columns={"a": "pos"})
        best = dd.concat([labels, to_b, to_a]).groupby("pos")["comp"].min().reset_index()
        hop = best.merge(best.rename(columns={"pos": "comp", "comp": "hop"}), on="comp", how="left")
        new = hop.assign(comp=hop[["comp", "hop"]].min(axis=1).astype("int64"))[["pos", "comp"]].persist()
        joined = new.merge(labels.rename(columns={"comp": "old"}), on="pos")
        changed = int((joined["comp"] != joined["old"]).sum().compute())
        labels = new
        if not changed:
            if stats is not None:
                stats["components_rounds"] = rounds
            return labels
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


# --- resolution -------------------------------------------------------------------------------------------


def signature_rows(frame: pd.DataFrame, wanted: np.ndarray | None = None) -> pd.DataFrame:
    """``(pos, id, sig)`` of the documents of one partition that have a signature (``sig`` pickled);
    only positions in the sorted array ``wanted`` when given."""
    has = np.array([s is not None for s in frame["sig"]], dtype=bool)
    if wanted is not None:
        has &= np.isin(frame.index.to_numpy(dtype=np.int64), wanted, assume_unique=True)
    sub = frame[has]
    return pd.DataFrame(
        {
            "pos": sub.index.to_numpy(dtype=np.int64),
            "id": pd.Series([d.id for d in sub["item"]], dtype=object),
            "sig": pd.Series([pickle.dumps(s, _PROTOCOL) for s in sub["sig"]], dtype=object),
        }
    )


def resolve_rows(rows: pd.DataFrame, config: CleanConfig) -> Resolution:
    """Run one `Deduplicator` over ``rows`` (pos, id, sig), in position order (``infos``: by position)."""
    from arcorpus.dedup import Deduplicator

    dedup = Deduplicator(config)
    ordered = rows.sort_values("pos", kind="stable")
    for pos, doc_id, sig in zip(ordered["pos"], ordered["id"], ordered["sig"], strict=True):
        dedup.add(int(pos), doc_id, pickle.loads(sig))
    dedup.resolve()
    return dedup.resolution()


def count_signed(frame: pd.DataFrame) -> pd.Series:
    """Documents of one partition that have a dedup signature (the documents dedup sees)."""
    return pd.Series([sum(sig is not None for sig in frame["sig"])], dtype="int64", name="n")


def corpus_summary(candidates: Resolution, signed: int, n_candidates: int) -> dict[str, Any]:
    """The dedup report's summary for the whole corpus from the `Deduplicator` that saw the candidates
    only: every non-candidate is a document of its own, with an exact key no other document has."""
    summary = dict(candidates.summary)
    distinct = summary.get("distinct_keys", 0) + signed - n_candidates
    stats = {"documents": signed, "distinct_keys": distinct}
    if "candidate_pairs" in summary or (summary.get("mode") == "near" and distinct > 1):
        stats = {
            "candidate_pairs": summary.get("candidate_pairs", 0),
            "verified_pairs": summary.get("verified_pairs", 0),
            **stats,
        }
    head: dict[str, Any] = {k: summary.pop(k) for k in ("mode", "settings") if k in summary}
    for key in ("candidate_pairs", "verified_pairs", "documents", "distinct_keys"):
        summary.pop(key, None)
    return {**head, **stats, **summary}


def resolve_components(frame: pd.DataFrame, config: CleanConfig) -> pd.DataFrame:
    """After the shuffle on ``comp``: one `Deduplicator` per candidate component."""
    infos: dict[int, Any] = {}
    for _, group in frame.groupby("comp", sort=False):
        infos.update(resolve_rows(group, config).infos)
    return info_frame(infos)


def info_frame(infos: dict[int, Any]) -> pd.DataFrame:
    """``(pos, info)`` rows, sorted, ``info`` the pickled `DuplicateInfo`."""
    ordered = sorted(infos)
    return pd.DataFrame(
        {
            "pos": np.array(ordered, dtype=np.int64),
            "info": pd.Series([pickle.dumps(infos[p], _PROTOCOL) for p in ordered], dtype=object),
        }
    )


def resolve(
    indexed: dd.DataFrame, config: CleanConfig, *, max_driver_candidates: int, stats: dict[str, Any]
) -> tuple[pd.DataFrame | dd.DataFrame, dict[str, Any]]:
    """``(pos, info)`` rows for every document in a duplicate cluster, and the dedup report's summary.

    A pandas frame (sorted by ``pos``) when resolved on the driver, a Dask frame when on the cluster.
    The summary equals the local engine's when resolved on the driver; on the cluster it only counts
    documents (the clusters are resolved in many tasks and not gathered).
    """
    signed = int(indexed.map_partitions(count_signed, meta=("n", "int64")).sum().compute())
    edges = candidate_edges(indexed).persist()
    n_edges = int(edges.shape[0].compute())
    stats["key_rows"] = int(indexed.map_partitions(count_keys, meta=("n", "int64")).sum().compute())
    stats["candidate_edges"] = n_edges
    # A star edge adds at most one new node per edge plus one root per group: nodes <= 2 * edges.
    if 2 * n_edges <= max_driver_candidates:
        stats["resolved_on"] = "driver"
        pairs = edges.compute()
        wanted = np.unique(np.concatenate([pairs["a"].to_numpy(), pairs["b"].to_numpy()]))
        stats["candidates"] = len(wanted)
        sigs = indexed.map_partitions(signature_rows, delayed(wanted, pure=True), meta=SIG_META)
        rows = sigs.compute()
        stats["signature_bytes_to_driver"] = int(rows["sig"].map(len).sum())
        resolution = resolve_rows(rows, config)
        return info_frame(dict(resolution.infos)), corpus_summary(resolution, signed, len(rows))
    stats["resolved_on"] = "cluster"
    labels = components(edges, stats=stats)
    stats["candidates"] = int(labels.shape[0].compute())
    rows = indexed.map_partitions(signature_rows, meta=SIG_META).merge(labels, on="pos")
    infos = rows.shuffle(on="comp").map_partitions(resolve_components, config, meta=INFO_META)
    return infos, {"mode": config.dedup, "documents": signed, "resolved_on": "cluster"}


def split_by_divisions(infos: pd.DataFrame, divisions: Sequence[int]) -> list[pd.DataFrame]:
    """Slices of a sorted ``(pos, info)`` frame, one per partition of a frame with ``divisions``."""
    cuts = np.searchsorted(infos["pos"].to_numpy(), np.asarray(divisions[1:-1]), side="left")
    bounds = [0, *cuts.tolist(), len(infos)]
    return [infos.iloc[a:b].set_index("pos") for a, b in itertools.pairwise(bounds)]
