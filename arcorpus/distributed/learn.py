"""Pass 1 on Dask: corpus learners observe every partition, partial learners merge in a tree.

Each partition gets fresh learners (``build_learners(config)``) that observe its documents; partial
learners are merged ``FAN_IN`` at a time in a tree of tasks, and only the root comes back to the driver,
where ``finish()`` turns it into the models. Because learners are order-independent (a requirement of the
`Learner` protocol), the models equal those of the embedded single pass.

Memory: a merge task holds ``FAN_IN`` partial states; the root holds the state for the whole corpus
(for ``site_lines``: one counter per distinct (source, line hash), see docs/scale.md for the size).

This module deliberately knows nothing about what a learner counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from dask import delayed
from dask.dataframe import DataFrame

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps import Learner, build_learners

FAN_IN = 8


def learn(items: DataFrame, config: CleanConfig) -> dict[str, Any]:
    """The models of every learner ``config`` needs, learned over all partitions of ``items``."""
    if not build_learners(config):
        return {}
    level = [delayed(observe_partition)(part, config) for part in items.to_delayed()]
    while len(level) > 1:
        level = [delayed(merge_learners)(level[i : i + FAN_IN]) for i in range(0, len(level), FAN_IN)]
    learners: Sequence[Learner] = level[0].compute()
    return {learner.name: learner.finish() for learner in learners}


def observe_partition(frame: pd.DataFrame, config: CleanConfig) -> tuple[Learner, ...]:
    learners = build_learners(config)
    for item in frame["item"]:
        if isinstance(item, Document):
            for learner in learners:
                learner.observe(item)
    return learners


def merge_learners(groups: Sequence[tuple[Learner, ...]]) -> tuple[Learner, ...]:
    first, *rest = groups
    for other in rest:
        for learner, partial in zip(first, other, strict=True):
            learner.merge(partial)
    return first
