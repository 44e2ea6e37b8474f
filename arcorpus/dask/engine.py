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
from arcorpus.document import Document, Reject
from arcorpus.outcome import Outcome
from arcorpus.run.local import BATCH, clean_one
from arcorpus.steps import Models, Step, build_steps

CLEANED_META = pd.DataFrame(
    {
        "item": pd.Series([], dtype=object),
        "sig": pd.Series([], dtype=object),
        "keys": pd.Series([], dtype=object),
    }
)
OUTCOME_META = pd.DataFrame(
    {"outcome": pd.Series([], dtype=object)}, index=pd.Index([], dtype="int64", name="pos")
)
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
    """Index ``pos`` (global input position, known divisions); one object column ``outcome``."""
    documents: int
    stats: dict[str, Any] = field(default_factory=dict)


@objects_stay_objects
def prepare(
    items: dd.DataFrame,
    config: CleanConfig,
    models: Models | None = None,
    *,
    max_driver_candidates: int = DEFAULT_MAX_DRIVER_CANDIDATES,
) -> Prepared:
    """Run learning, cleaning and dedup resolution (eagerly), return the lazy frame of outcomes.

    ``items`` has one object column ``item`` (Document or Reject), partitions in input order. The
    cleaned partitions are persisted on the workers: they are read twice (dedup keys, then output).
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
        infos = ddedup.resolve(indexed, config, max_driver_candidates=max_driver_candidates, stats=stats)
        aligned = align(infos, indexed.divisions)
        clock.lap("dedup")
        repeated = None
        if config.repeated_paragraphs == "remove":  # "report" changes no text
            from arcorpus.dask.paragraphs import repeated_paragraphs

            repeated = repeated_paragraphs(indexed, aligned, config)
            stats["repeated_paragraphs"] = len(repeated)
            clock.lap("paragraphs")
        outcomes = indexed.map_partitions(
            finish_partition, aligned, config, delayed(repeated, pure=True), meta=OUTCOME_META
        )
    else:
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

_PREPARED: dict[str, tuple[tuple[Step, ...], Any, Any]] = {}


def _prepared(config: CleanConfig, models: Models, token: str, with_dedup: bool) -> tuple[Any, Any, Any]:
    """Steps, deduplicator and key maker, built once per worker process for a (config, models) pair."""
    key = f"{token}:{with_dedup}"
    if key not in _PREPARED:
        steps = build_steps(config, models)
        dedup = keys = None
        if with_dedup:
            from arcorpus.dedup import Deduplicator

            dedup = Deduplicator(config)
            keys = ddedup.KeyMaker(config)
        _PREPARED.clear()
        _PREPARED[key] = (steps, dedup, keys)
    return _PREPARED[key]


def clean_partition(
    frame: pd.DataFrame, config: CleanConfig, models: Models, token: str, with_dedup: bool
) -> pd.DataFrame:
    """The embedded engine's per-document work (`clean_one` + dedup signatures) over one partition."""
    steps, dedup, keymaker = _prepared(config, models, token, with_dedup)
    items: list[Any] = [clean_one(i, steps) if isinstance(i, Document) else i for i in frame["item"]]
    sigs: list[Any] = [None] * len(items)
    keys: list[Any] = [ddedup.NO_KEYS] * len(items)
    if dedup is not None:
        where = [n for n, item in enumerate(items) if isinstance(item, Document)]
        for start in range(0, len(where), BATCH):  # the embedded engine's batches
            batch = where[start : start + BATCH]
            docs = [items[n] for n in batch]
            found = dedup.signatures(docs) if hasattr(dedup, "signatures") else map(dedup.signature, docs)
            for n, doc, sig in zip(batch, docs, found, strict=True):
                sigs[n] = sig
                keys[n] = keymaker.keys(doc, sig)
    return pd.DataFrame(
        {
            "item": pd.Series(items, dtype=object),
            "sig": pd.Series(sigs, dtype=object),
            "keys": pd.Series(keys, dtype=object),
        }
    )


def finish_partition(
    frame: pd.DataFrame,
    infos: pd.DataFrame | None,
    config: CleanConfig,
    repeated: Mapping[int, int] | None,
) -> pd.DataFrame:
    """One `Outcome` per item, built exactly as `arcorpus.run.local.run` builds it (``repeated``: the
    corpus's repeated paragraphs, with ``repeated_paragraphs="remove"``)."""
    found: Mapping[int, bytes] = {}
    if infos is not None:
        found = dict(zip(infos.index.tolist(), infos["info"], strict=True))
    finished: Mapping[int, Any] = {}
    if repeated:
        from arcorpus.dask.paragraphs import finish_documents

        rows = zip(frame.index.tolist(), frame["item"], frame["sig"], strict=True)
        finished = finish_documents(rows, config, repeated)
    out: list[Outcome] = []
    for pos, item in zip(frame.index.tolist(), frame["item"], strict=True):
        pickled = found.get(pos)
        info = None if pickled is None else pickle.loads(pickled)
        item = finished.get(pos, item)
        if isinstance(item, Reject):
            out.append(Outcome("rejected", reject=item))
        elif info is None:
            out.append(Outcome("kept", document=item))
        else:
            doc = item.evolve(metadata=info.metadata())
            out.append(Outcome("duplicate" if info.duplicate_of is not None else "kept", document=doc))
    return pd.DataFrame({"outcome": pd.Series(out, dtype=object, index=frame.index)})


def iter_outcomes(prepared: Prepared, window: int = 4) -> Iterator[Outcome]:
    """The outcomes in input order, at most ``window`` partitions in flight (bounded driver memory)."""
    parts = prepared.outcomes.to_delayed()
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        for part in parts:
            yield from part.compute()["outcome"]
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
        yield from frame["outcome"]


@objects_stay_objects
def empty_items() -> dd.DataFrame:
    return dd.from_pandas(ITEM_META, npartitions=1)
