"""Pass 1 on Dask: corpus learners observe every partition, partial learners merge in a tree.

Each partition gets fresh learners (``build_learners(config)``) that observe its documents; partial
learners are merged ``FAN_IN`` at a time in a tree of tasks, and only the root comes back to the driver,
where ``finish()`` turns it into the models. The `Learner` protocol lets a learner rely on being merged in
input order, which a tree does not give; what depends on order is removed first, so the models equal
those of the local engine:

A learner that counts each distinct text once (``counts_texts_once``: ``site_lines``) would count a text
repeated in two partitions twice; for those, the documents whose text already occurred earlier in the
input are found first — one shuffle of (text hash, input order) pairs, 16 bytes per document — and
skipped, and the learner's own per-text records are dropped (``forget_texts``) before merging, so the
counts equal a single sequential pass.

Memory: a merge task holds ``FAN_IN`` partial states; the root holds the state for the whole corpus
(for ``site_lines``: one counter per distinct (source, line hash), see docs/scale.md for the size).

This module deliberately knows nothing about what a learner counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xxhash
from dask import delayed
from dask.dataframe import DataFrame

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.run.plan import Plan
from arcorpus.steps import Learner, build_learners

FAN_IN = 8
DIGEST_META = pd.DataFrame({"digest": pd.Series([], dtype="int64"), "order": pd.Series([], dtype="int64")})


def learn(items: DataFrame, config: CleanConfig) -> dict[str, Any]:
    """The models of every learner ``config`` needs, learned over all partitions of ``items``."""
    learners = build_learners(config)
    if not learners:
        return {}
    skips: dict[int, np.ndarray] = {}
    if any(counts_texts_once(learner) for learner in learners):
        skips = repeated_texts(items)
    parts = items.to_delayed()
    level = [delayed(observe_partition)(part, config, skips.get(i, NO_ROWS)) for i, part in enumerate(parts)]
    while len(level) > 1:
        level = [delayed(merge_learners)(level[i : i + FAN_IN]) for i in range(0, len(level), FAN_IN)]
    merged: Sequence[Learner] = level[0].compute()
    return {learner.name: learner.finish() for learner in merged}


def counts_texts_once(learner: Learner) -> bool:
    """A learner that ignores a text it has already seen (see `arcorpus.steps.Learner`)."""
    return getattr(learner, "counts_texts_once", False) is True


# --- texts seen before, found by a shuffle on the text hash -----------------------------------------------

NO_ROWS = np.zeros(0, dtype=np.int64)


def text_digests(frame: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """``(digest, order)`` per document: a 64-bit hash of its text, and (partition << 32 | row)."""
    number = 0 if partition_info is None else int(partition_info["number"])
    rows = [(n, item.text) for n, item in enumerate(frame["item"]) if isinstance(item, Document)]
    digests = [xxhash.xxh3_64_intdigest(text.encode("utf-8", "surrogatepass")) for _, text in rows]
    return pd.DataFrame(
        {
            "digest": np.array(digests, dtype=np.uint64).view(np.int64),
            "order": np.array([(number << 32) | n for n, _ in rows], dtype=np.int64),
        }
    )


def later_occurrences(frame: pd.DataFrame) -> pd.DataFrame:
    """After the shuffle on ``digest``: every occurrence of a text but the first in input order."""
    first = frame.groupby("digest")["order"].transform("min")
    return frame.loc[frame["order"] != first, ["order"]]


def repeated_texts(items: DataFrame) -> dict[int, np.ndarray]:
    """Rows (per partition number) holding a text that an earlier document already had.

    The embedded learner counts a repeated text once, at its first occurrence; a partition's learner
    cannot know what other partitions saw, so those rows are found globally first and skipped.
    """
    digests = items.map_partitions(text_digests, meta=DIGEST_META)
    later = digests.shuffle(on="digest").map_partitions(later_occurrences, meta=DIGEST_META[["order"]])
    orders = np.sort(later["order"].compute().to_numpy(dtype=np.int64))
    out: dict[int, np.ndarray] = {}
    for number in np.unique(orders >> 32).tolist():
        chosen = orders[(orders >> 32) == number]
        out[int(number)] = chosen & 0xFFFFFFFF
    return out


def observe_partition(
    frame: pd.DataFrame, config: CleanConfig, skip: np.ndarray = NO_ROWS
) -> tuple[Learner, ...]:
    """`Plan.learn_batch` over one partition, out of input order: ``skip`` holds its rows whose text
    occurred earlier in the input (`repeated_texts`)."""
    return Plan(config).learn_batch(list(frame["item"]), repeats=set(skip.tolist()))


def merge_learners(groups: Sequence[tuple[Learner, ...]]) -> tuple[Learner, ...]:
    first, *rest = groups
    for other in rest:
        for learner, partial in zip(first, other, strict=True):
            learner.merge(partial)
    return first
