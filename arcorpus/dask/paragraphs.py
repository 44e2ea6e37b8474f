"""Repeated paragraphs on Dask (``repeated_paragraphs="remove"``): count → shuffle by hash → reduce.

The embedded `Deduplicator` counts, over the documents dedup keeps, the distinct paragraph hashes each
holds (`DocSignature.paragraphs`), keeps those in at least ``repeated_paragraphs_min_docs`` documents,
and notes (or removes) them in its final pass (`arcorpus.dedup.finish_document`). Here:

    per partition      the paragraph hashes of every kept document (one int64 row each)
    shuffle on hash    rows of one paragraph meet in one partition; counted there, filtered
    driver             the (small) table of repeated paragraphs, shipped to every partition
    finish             each partition's slice of the `Resolution` (the table, and which of its
                       documents hold a repeated paragraph), read by `Plan.outcomes`

With ``"report"`` (the default) no text changes, so this runs only when the report is asked for.

This module deliberately does not decide what a paragraph is: that is `arcorpus.dedup.paragraphs`.
"""

from __future__ import annotations

import pickle

import dask.dataframe as dd
import numpy as np
import pandas as pd

from arcorpus.config import CleanConfig

ROW_META = pd.DataFrame({"hash": pd.Series([], dtype="int64")})
COUNT_META = pd.DataFrame({"hash": pd.Series([], dtype="int64"), "docs": pd.Series([], dtype="int64")})


def kept_paragraph_rows(frame: pd.DataFrame, infos: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct paragraph hash of each document that dedup keeps (not a duplicate)."""
    duplicates = {
        pos
        for pos, raw in zip(infos.index.tolist(), infos["info"], strict=True)
        if pickle.loads(raw).duplicate_of is not None
    }
    arrays = [
        sig.paragraphs
        for pos, sig in zip(frame.index.tolist(), frame["sig"], strict=True)
        if sig is not None and getattr(sig, "paragraphs", None) is not None and pos not in duplicates
    ]
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return ROW_META.copy()
    return pd.DataFrame({"hash": np.concatenate(arrays).astype(np.uint64).view(np.int64)})


def count_hashes(frame: pd.DataFrame, min_docs: int) -> pd.DataFrame:
    """After the shuffle on ``hash``: documents per paragraph, only those in ``min_docs`` or more."""
    counts = frame["hash"].value_counts()
    counts = counts[counts >= min_docs]
    return pd.DataFrame({"hash": counts.index.to_numpy(np.int64), "docs": counts.to_numpy(np.int64)})


def repeated_paragraphs(indexed: dd.DataFrame, aligned: dd.DataFrame, config: CleanConfig) -> dict[int, int]:
    """Paragraph hash -> kept documents holding it, for paragraphs in at least ``min_docs`` of them."""
    rows = indexed.map_partitions(kept_paragraph_rows, aligned, meta=ROW_META)
    counted = rows.shuffle(on="hash").map_partitions(
        count_hashes, config.repeated_paragraphs_min_docs, meta=COUNT_META
    )
    table = counted.compute()
    hashes = table["hash"].to_numpy(np.int64).view(np.uint64)
    return {int(h): int(n) for h, n in zip(hashes.tolist(), table["docs"].tolist(), strict=True)}
