"""The Dask engine: the embedded pipeline's passes, as partition maps and shuffles.

    items (``item`` column: Document | Reject, input order)
      │ learn: observe per partition, tree-merge           → models            (arcorpus.dask.learn)
      │ clean: map_partitions(build_steps + clean_one      → item, sig, keys    persisted on the workers
      │        + dedup signature + candidate keys)
      │ positions: partition lengths → global input position (the embedded pipeline's ``index``)
      │ dedup: keys → shuffle → candidate groups → Deduplicator → (pos, info)   (arcorpus.dask.dedup)
      │        set_index(pos, divisions = the cleaned frame's) → aligned with the documents
      ▼ finish: map_partitions → one `Outcome` per item, exactly as `arcorpus.run.local.run` builds it

The per-document work calls the very functions the embedded engine calls (`build_steps`, `clean_one`,
`Deduplicator.signature`), so the outcomes — and the bytes written — are the same.

This module deliberately holds no cleaning or similarity logic.
"""

from __future__ import annotations

import functools
import pickle
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask import delayed
from dask.sizeof import sizeof

from arcorpus.config import CleanConfig
from arcorpus.dask import dedup as ddedup
from arcorpus.dask.inputs import ITEM_META
from arcorpus.dedup import ParagraphNotes, Resolution
from arcorpus.document import Document, Reject
from arcorpus.outcome import Outcome
from arcorpus.run.local import BATCH
from arcorpus.run.plan import Plan
from arcorpus.steps import Models

CLEANED_META = pd.DataFrame(
    {
        "item": pd.Series([], dtype=object),
        "sig": pd.Series([], dtype=object),
        "keys": pd.Series([], dtype=object),
    }
)
OUTCOME_META = pd.DataFrame(
    {"outcome": pd.Series([], dtype=object), "notes": pd.Series([], dtype=object)},
    index=pd.Index([], dtype="int64", name="pos"),
)
"""``outcome``: one `Outcome` per item; ``notes``: the partition's `ParagraphNotes` on its first row."""
DEFAULT_MAX_DRIVER_CANDIDATES = 2_000_000

F = TypeVar("F", bound=Callable[..., Any])


def objects_stay_objects(func: F) -> F:
    """Build graphs with dask's string conversion off: our object columns hold documents and arrays.

    Dask decides the conversion when a collection is built, so this covers the collections ``func``
    builds (and computing them later under any setting), without changing the caller's dask config.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with dask.config.set({"dataframe.convert-string": False}):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --- memory accounting ----------------------------------------------------------------------------------
# Dask spills persisted partitions to disk by its *estimate* of their size; for object columns it sizes a
# sample of the objects, and a slotted dataclass would count as its ~100-byte shell (a 12 MB partition of
# documents measured 2.9 MB instead of 35 MB). These estimates count the text, the change records and
# the metadata, so the memory manager spills in time.


@sizeof.register(Document)
def _sizeof_document(doc: Document) -> int:
    return 200 + sys.getsizeof(doc.text) + _sizeof_changes(doc.changes) + _sizeof_metadata(doc.metadata)


@sizeof.register(Reject)
def _sizeof_reject(reject: Reject) -> int:
    text = sys.getsizeof(reject.text) if reject.text else 0
    return 200 + sys.getsizeof(reject.message) + text + _sizeof_changes(reject.changes)


@sizeof.register(Outcome)
def _sizeof_outcome(outcome: Outcome) -> int:
    return 64 + (sizeof(outcome.document) if outcome.document is not None else sizeof(outcome.reject))


def _sizeof_changes(changes: tuple[Any, ...]) -> int:
    return sum(150 + sys.getsizeof(c.before) + sys.getsizeof(c.after) for c in changes)


def _sizeof_metadata(metadata: Mapping[str, Any]) -> int:
    return 100 + sum(100 + sys.getsizeof(v) for v in metadata.values())


@dataclass
class Prepared:
    """The result of the eager passes: a lazy frame of outcomes and what it took to get there."""

    outcomes: dd.DataFrame
    """Index ``pos`` (global input position, known divisions); object columns ``outcome``, ``notes``."""
    documents: int
    stats: dict[str, Any] = field(default_factory=dict)
    resolution: Resolution | None = None
    """The corpus-wide part of the resolution (the report's summary, the repeated paragraphs); the
    duplicate infos stay on the cluster."""

    def dedup_report(self, notes: ParagraphNotes, config: CleanConfig) -> dict[str, Any] | None:
        """The dedup report of the run, as the local engine gives it (``notes``: merged in input order)."""
        if self.resolution is None:
            return None
        return self.resolution.report(notes, config.repeated_paragraphs_min_docs)


@objects_stay_objects
def prepare(
    items: dd.DataFrame,
    config: CleanConfig,
    models: Models | None = None,
    *,
    max_driver_candidates: int = DEFAULT_MAX_DRIVER_CANDIDATES,
    report: bool = False,
) -> Prepared:
    """Run learning, cleaning and dedup resolution (eagerly), return the lazy frame of outcomes.

    ``items`` has one object column ``item`` (Document or Reject), partitions in input order. The
    cleaned partitions are persisted on the workers: they are read twice (dedup keys, then output).
    ``report``: also find the repeated paragraphs when they change no text (``"report"`` mode), for
    the dedup report (one more shuffle).
    """
    stats: dict[str, Any] = {}
    clock = _Clock(stats)
    if models is None:
        from arcorpus.dask.learn import learn

        models = learn(items, config)
        clock.lap("learn")
    with_dedup = config.dedup != "none"
    token = dask.base.tokenize(config, models)
    models_arg = delayed(dict(models), pure=True)
    cleaned = items.map_partitions(
        clean_partition, config, models_arg, token, with_dedup, meta=CLEANED_META, enforce_metadata=False
    ).persist()
    lengths = [int(n) for n in cleaned.map_partitions(len).compute()]
    clock.lap("clean")
    stats["partitions"] = len(lengths)
    indexed = with_positions(cleaned, lengths)
    if indexed is None:
        return Prepared(dd.from_pandas(OUTCOME_META, npartitions=1), 0, stats)
    if with_dedup:
        infos, summary = ddedup.resolve(
            indexed, config, max_driver_candidates=max_driver_candidates, stats=stats
        )
        aligned = align(infos, indexed.divisions)
        clock.lap("dedup")
        repeated: dict[int, int] = {}
        mode = config.repeated_paragraphs
        if mode == "remove" or (report and mode != "off"):  # "report" mode changes no text
            from arcorpus.dask.paragraphs import repeated_paragraphs

            repeated = repeated_paragraphs(indexed, aligned, config)
            stats["repeated_paragraphs"] = len(repeated)
            clock.lap("paragraphs")
        outcomes = indexed.map_partitions(
            finish_partition, aligned, config, delayed(repeated, pure=True), meta=OUTCOME_META
        )
        corpus = Resolution(
            repeated=MappingProxyType(repeated), paragraph_mode=mode, summary=MappingProxyType(summary)
        )
        return Prepared(outcomes, sum(lengths), stats, corpus)
    outcomes = indexed.map_partitions(finish_partition, None, config, None, meta=OUTCOME_META)
    return Prepared(outcomes, sum(lengths), stats)


class _Clock:
    """Seconds per stage, into ``stats["seconds"]``."""

    def __init__(self, stats: dict[str, Any]) -> None:
        self.laps: dict[str, float] = stats.setdefault("seconds", {})
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def align(infos: pd.DataFrame | dd.DataFrame, divisions: tuple[int, ...]) -> dd.DataFrame:
    """``(pos, info)`` rows as a frame indexed by ``pos`` with the documents' partitions (``divisions``).

    Persisted: every output partition reads its slice, and computing the output a few partitions at a
    time must not run the shuffles again.
    """
    if isinstance(infos, pd.DataFrame):
        slices = [delayed(s, pure=True) for s in ddedup.split_by_divisions(infos, divisions)]
        meta = ddedup.INFO_META.set_index("pos")
        return dd.from_delayed(slices, meta=meta, divisions=divisions, verify_meta=False).persist()
    aligned = infos.set_index("pos", divisions=divisions, sorted=False).persist()
    _wait(aligned)
    return aligned


def _wait(collection: Any) -> None:
    try:
        from distributed import get_client, wait

        get_client()
    except (ImportError, ValueError):
        return
    wait(collection)


def with_positions(cleaned: dd.DataFrame, lengths: list[int]) -> dd.DataFrame | None:
    """The cleaned frame indexed by global input position, with known divisions (empty partitions gone)."""
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    parts = [
        delayed(_set_positions)(part, int(offsets[i]))
        for i, part in enumerate(cleaned.to_delayed())
        if lengths[i]
    ]
    if not parts:
        return None
    starts = [int(offsets[i]) for i in range(len(lengths)) if lengths[i]]
    divisions = (*starts, int(offsets[-1]) - 1)
    meta = CLEANED_META.set_axis(pd.Index([], dtype="int64", name="pos"))
    return dd.from_delayed(parts, meta=meta, divisions=divisions, verify_meta=False)


def _set_positions(frame: pd.DataFrame, offset: int) -> pd.DataFrame:
    return frame.set_axis(pd.RangeIndex(offset, offset + len(frame), name="pos"))


# --- per-partition work (runs on the workers) --------------------------------------------------------------

_PLANS: dict[str, Plan] = {}


def _plan(config: CleanConfig, models: Models, token: str) -> Plan:
    """The run's plan, built once per worker process (``token``: the tokenized config and models)."""
    if token not in _PLANS:
        _PLANS.clear()
        _PLANS[token] = Plan(config, models).prepare()
    return _PLANS[token]


def clean_partition(
    frame: pd.DataFrame, config: CleanConfig, models: Models, token: str, with_dedup: bool
) -> pd.DataFrame:
    """`Plan.clean` over one partition, in the local engine's batches, plus the candidate keys."""
    plan = _plan(config, models, token)
    rows = list(frame["item"])
    items: list[Any] = []
    sigs: list[Any] = []
    for start in range(0, len(rows), BATCH):  # the local engine's batches
        cleaned, found = plan.clean(rows[start : start + BATCH])
        items.extend(cleaned)
        sigs.extend(key[1] if key is not None else None for key in found)
    keys: list[Any] = [ddedup.NO_KEYS] * len(items)
    if with_dedup:
        keymaker = _keymaker(config)
        keys = [
            keymaker.keys(item, sig) if isinstance(item, Document) else ddedup.NO_KEYS
            for item, sig in zip(items, sigs, strict=True)
        ]
    return pd.DataFrame(
        {
            "item": pd.Series(items, dtype=object),
            "sig": pd.Series(sigs, dtype=object),
            "keys": pd.Series(keys, dtype=object),
        }
    )


@functools.lru_cache(maxsize=4)
def _keymaker(config: CleanConfig) -> ddedup.KeyMaker:
    return ddedup.KeyMaker(config)


def finish_partition(
    frame: pd.DataFrame,
    infos: pd.DataFrame | None,
    config: CleanConfig,
    repeated: Mapping[int, int] | None,
) -> pd.DataFrame:
    """`Plan.outcomes` over one partition: its slice of the resolution (the duplicate infos of its
    positions, the corpus's repeated paragraphs and which of its documents hold one)."""
    plan = Plan(config, clean=False, sign=False)
    positions = frame.index.tolist()
    resolution = None
    if infos is not None:
        found = {
            pos: pickle.loads(raw) for pos, raw in zip(infos.index.tolist(), infos["info"], strict=True)
        }
        resolution = partition_resolution(frame, found, config, repeated or {})
    outcomes, notes = plan.outcomes(list(frame["item"]), positions[0] if positions else 0, resolution)
    column: list[Any] = [None] * len(outcomes)
    if column and notes is not None and (notes.examples or notes.removed):
        column[0] = notes
    return pd.DataFrame(
        {
            "outcome": pd.Series(outcomes, dtype=object, index=frame.index),
            "notes": pd.Series(column, dtype=object, index=frame.index),
        }
    )


def partition_resolution(
    frame: pd.DataFrame, infos: dict[int, Any], config: CleanConfig, repeated: Mapping[int, int]
) -> Resolution:
    """The slice of the corpus's `Resolution` one partition needs (``frame``: its cleaned rows)."""
    from arcorpus.dedup import holding

    sigs = [sig for sig in frame["sig"]]
    with_paragraphs = [
        n for n, sig in enumerate(sigs) if sig is not None and getattr(sig, "paragraphs", None) is not None
    ]
    held = holding([sigs[n].paragraphs for n in with_paragraphs], repeated)
    positions = frame.index.to_numpy(dtype=np.int64)
    finish_at = frozenset(positions[np.asarray(with_paragraphs, dtype=np.int64)[held]].tolist())
    return Resolution(
        infos=MappingProxyType(infos),
        repeated=MappingProxyType(dict(repeated)),
        finish_at=finish_at,
        paragraph_mode=config.repeated_paragraphs,
    )


def iter_outcomes(
    prepared: Prepared, window: int = 4, notes: ParagraphNotes | None = None
) -> Iterator[Outcome]:
    """The outcomes in input order, at most ``window`` partitions in flight (bounded driver memory);
    the partitions' paragraph notes are merged into ``notes`` in input order."""
    parts = prepared.outcomes.to_delayed()
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        for part in parts:
            frame = part.compute()
            _merge_notes(frame, notes)
            yield from frame["outcome"]
        return
    pending = [client.compute(part) for part in parts[:window]]
    next_index = len(pending)
    while pending:
        future = pending.pop(0)
        frame = future.result()
        future.release()
        if next_index < len(parts):
            pending.append(client.compute(parts[next_index]))
            next_index += 1
        _merge_notes(frame, notes)
        yield from frame["outcome"]


def _merge_notes(frame: pd.DataFrame, notes: ParagraphNotes | None) -> None:
    if notes is not None and len(frame) and frame["notes"].iloc[0] is not None:
        notes.merge(frame["notes"].iloc[0])


@objects_stay_objects
def empty_items() -> dd.DataFrame:
    return dd.from_pandas(ITEM_META, npartitions=1)
