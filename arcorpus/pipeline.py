"""Running the pipeline over a corpus: learn pass, clean pass (optionally in worker processes), dedup.

    source() ──► pass 1: learners observe every document ──► models (site lines, word counts)
    source() ──► pass 2: steps clean each document (+ dedup signature) ──► spool file (in input order)
                 dedup.resolve() over the signatures
    spool    ──► pass 3: each item becomes an `Outcome`: kept, duplicate (with duplicate_of) or rejected

``source`` is a callable returning a fresh iterator each time, because corpus learning needs two reads.
It may yield unparsed JSONL records (`RawRecord`): they are parsed where they are cleaned, in the workers,
so that with ``workers > 1`` the driver only reads bytes. Workers also pickle their cleaned batch for the
spool themselves, and the driver stores it without unpickling it.
Output order is input order whatever the worker count, and every input item becomes exactly one outcome.

This module deliberately holds no cleaning logic: steps live in `arcorpus.steps`, dedup in `arcorpus.dedup`.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import struct
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.io.readers import RawRecord, parsed
from arcorpus.steps import Models, Step, apply_steps, build_learners, build_steps

Item = Document | Reject
Source = Callable[[], Iterable[Item | RawRecord]]
BATCH = 64
LEARN_BATCH = BATCH * 8
"""Documents per learner batch. Learning is done per batch and the batches merged in input order, in
this process or in workers alike, so that the models (and so the output) do not depend on the worker count."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one input item ended: ``kept`` (document), ``duplicate`` (with duplicate_of) or ``rejected``."""

    kind: Literal["kept", "duplicate", "rejected"]
    document: Document | None = None
    reject: Reject | None = None


def learn(source: Source, config: CleanConfig, workers: int = 1) -> dict[str, Any]:
    """Pass 1: run every learner ``config`` needs over the corpus and return their models.

    Each batch of `LEARN_BATCH` documents is observed by fresh learners, which are then merged in input
    order: the same batches and the same merge order with one worker or many.
    """
    learners = build_learners(config)
    if not learners:
        return {}
    batches = _batches(source(), LEARN_BATCH)
    if workers > 1:
        ctx = multiprocessing.get_context()
        with ctx.Pool(workers, initializer=_init_learn_worker, initargs=(config,)) as pool:
            for partial in pool.imap(_learn_batch, batches, chunksize=1):
                for learner, other in zip(learners, partial, strict=True):
                    learner.merge(other)
    else:
        _WORKER["config"] = config
        for batch in batches:
            for learner, other in zip(learners, _learn_batch(batch), strict=True):
                learner.merge(other)
    return {learner.name: learner.finish() for learner in learners}


def clean_one(doc: Document, steps: tuple[Step, ...]) -> Item:
    """Apply ``steps``; a document left with no text becomes a reject that keeps its changes.

    A step that raises on one document (a bug, or input nobody foresaw) does not end a run over millions:
    that document becomes a ``step_failed`` reject naming the step and the error, and the run goes on.
    ``KeyboardInterrupt`` and other non-``Exception`` signals still stop the run.
    """
    try:
        cleaned = apply_steps(doc, steps)
    except Exception as exc:
        return _step_failure(doc, steps, exc)
    if not cleaned.text.strip():
        return Reject.of_document(
            doc, "empty_after_cleaning", "every line was removed by a rule (see changes)", cleaned.changes
        )
    return cleaned


def _step_failure(doc: Document, steps: tuple[Step, ...], exc: Exception) -> Reject:
    """Find which step raised (re-running the steps one by one) and describe the failure."""
    failed = "output"
    current = doc
    for step in steps:
        try:
            current = step(current)
        except Exception:
            failed = step.name
            break
    message = f"step {failed} failed: {type(exc).__name__}: {exc}"
    return Reject.of_document(doc, "step_failed", message, current.changes)


def run(
    source: Source,
    config: CleanConfig,
    *,
    models: Models | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    on_dedup_report: Callable[[dict[str, Any]], None] | None = None,
    precleaned: bool = False,
) -> Iterator[Outcome]:
    """Clean a whole corpus; yield one `Outcome` per input item, in input order.

    ``on_dedup_report`` receives `Deduplicator.report()` (clusters, repeated paragraphs) once the last
    outcome has been yielded. ``precleaned``: the items already went through the steps (the shards of a
    resumable run, see `arcorpus.resume`); only the corpus-wide part (dedup) runs.
    """
    if precleaned:
        models = {}
    elif models is None:
        models = learn(source, config, workers)
    dedup = None
    if config.dedup != "none":
        from arcorpus.dedup import Deduplicator

        dedup = Deduplicator(config)
    batches = _process_batches(
        source(), config, models, workers, with_signature=dedup is not None, clean=not precleaned
    )
    if dedup is None:
        for batch in batches:
            for item in batch.unpack():
                if progress is not None:
                    progress(1)
                yield _outcome(item)
        return
    with tempfile.TemporaryFile(prefix="arcorpus-spool-") as spool:
        index = 0
        for batch in batches:
            for key in batch.keys:
                if key is not None:
                    dedup.add(index, key[0], key[1])
                index += 1
            blob = batch.packed()
            spool.write(_LENGTH.pack(len(blob)))
            spool.write(blob)
            if progress is not None:
                progress(len(batch.keys))
        infos = dedup.resolve()
        spool.seek(0)
        index = 0
        while header := spool.read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            items: list[Item] = pickle.loads(spool.read(size))
            for item in items:
                info = infos.get(index)
                if isinstance(item, Document):
                    item = dedup.finish_document(index, item)  # repeated paragraphs
                index += 1
                if info is None or not isinstance(item, Document):
                    yield _outcome(item)
                    continue
                doc = item.evolve(metadata=info.metadata())
                yield Outcome("duplicate" if info.duplicate_of is not None else "kept", document=doc)
        if on_dedup_report is not None:
            on_dedup_report(dedup.report())


_LENGTH = struct.Struct("<Q")


def _outcome(item: Item) -> Outcome:
    if isinstance(item, Reject):
        return Outcome("rejected", reject=item)
    return Outcome("kept", document=item)


# --- per-document work, in this process or in a pool --------------------------------------------------

_WORKER: dict[str, Any] = {}


def _worker_signals() -> None:
    """Workers leave interruption to the driver: the CLI's SIGTERM/SIGINT handlers are inherited on fork
    and would print a traceback in every worker when the pool is shut down."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the process that started it goes away, so an
    interrupted or killed run never leaves orphaned workers holding its pipes open. Elsewhere: no-op."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: rely on the pool's own shutdown
        pass


def _init_clean_worker(config: CleanConfig, models: Models, with_signature: bool, clean: bool = True) -> None:
    """Build the steps (and the deduplicator) for this process, unless they are built for these arguments
    already: a driver builds them before starting its pool, and forked workers inherit them."""
    built_for = (config, id(models), with_signature, clean)
    if _WORKER.get("built_for") == built_for:
        return
    _WORKER["steps"] = build_steps(config, models) if clean else ()
    if with_signature:
        from arcorpus.dedup import Deduplicator
        from arcorpus.dedup.keys import warm_up

        _WORKER["dedup"] = Deduplicator(config)
        warm_up()
    else:
        _WORKER["dedup"] = None
    _WORKER["built_for"] = built_for


def _init_clean_pool_worker(config: CleanConfig, models: Models, with_signature: bool, clean: bool) -> None:
    _worker_signals()
    _init_clean_worker(config, models, with_signature, clean)


@dataclass(slots=True)
class _Batch:
    """A batch of processed items, as plain objects (``items``) or pickled by the worker (``blob``).

    ``keys`` has one entry per item: ``(document id, dedup signature)`` for a document, None for a reject.
    The driver of a deduplicating run only needs ``keys`` to cluster and stores ``blob`` in its spool as
    is, so the cleaned documents are unpickled once (when output), not twice.
    """

    keys: list[tuple[str, Any] | None]
    items: list[Item] | None = None
    blob: bytes | None = None

    def unpack(self) -> list[Item]:
        if self.items is None:
            assert self.blob is not None
            self.items = pickle.loads(self.blob)
        return self.items

    def packed(self) -> bytes:
        if self.blob is None:
            self.blob = pickle.dumps(self.items, protocol=pickle.HIGHEST_PROTOCOL)
        return self.blob


def _clean_batch(batch: list[Item | RawRecord], pack: bool = False) -> _Batch:
    steps: tuple[Step, ...] = _WORKER["steps"]
    dedup = _WORKER["dedup"]
    items = [parsed(item) for item in batch]
    if steps:
        items = [clean_one(item, steps) if isinstance(item, Document) else item for item in items]
    if dedup is None:
        keys: list[tuple[str, Any] | None] = [None] * len(items)
    else:
        docs = [item for item in items if isinstance(item, Document)]
        signatures = iter(dedup.signatures(docs))  # one vectorized call per batch
        keys = [(item.id, next(signatures)) if isinstance(item, Document) else None for item in items]
    if pack:
        return _Batch(keys, blob=pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
    return _Batch(keys, items=items)


def _clean_batch_packed(batch: list[Item | RawRecord]) -> _Batch:
    """`_clean_batch` in a pool worker: the items travel back pickled once, ready for the spool."""
    return _clean_batch(batch, pack=True)


def _init_learn_worker(config: CleanConfig) -> None:
    _worker_signals()
    _WORKER["config"] = config


def _learn_batch(batch: list[Item | RawRecord]) -> list[Any]:
    """Fresh learners over one batch, returned to be merged in input order (see `learn`)."""
    learners = build_learners(_WORKER["config"])
    for item in batch:
        doc = parsed(item)
        if isinstance(doc, Document):
            for learner in learners:
                learner.observe(doc)
    return list(learners)


def _process_batches(
    items: Iterable[Item | RawRecord],
    config: CleanConfig,
    models: Models,
    workers: int,
    *,
    with_signature: bool,
    clean: bool = True,
) -> Iterator[_Batch]:
    """Parse, clean (unless ``clean`` is false) and sign the items, batch by batch in input order, in this
    process or a pool."""
    if workers <= 1 or (not clean and not with_signature):
        _init_clean_worker(config, models, with_signature, clean)
        for batch in _batches(items, BATCH):
            yield _clean_batch(batch)
        return
    ctx = multiprocessing.get_context()
    if ctx.get_start_method() == "fork":
        _init_clean_worker(config, models, with_signature, clean)  # once here, not once per worker
    init_args = (config, models, with_signature, clean)
    with ctx.Pool(workers, initializer=_init_clean_pool_worker, initargs=init_args) as pool:
        yield from pool.imap(_clean_batch_packed, _batches(items, BATCH), chunksize=2)


def _process(
    items: Iterable[Item | RawRecord],
    config: CleanConfig,
    models: Models,
    workers: int,
    *,
    with_signature: bool,
    clean: bool = True,
) -> Iterator[tuple[Item, Any]]:
    """`_process_batches` item by item: ``(item, dedup signature or None)``."""
    for batch in _process_batches(items, config, models, workers, with_signature=with_signature, clean=clean):
        for item, key in zip(batch.unpack(), batch.keys, strict=True):
            yield item, key[1] if key is not None else None


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
