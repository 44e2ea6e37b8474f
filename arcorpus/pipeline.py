"""Running the pipeline over a corpus: learn pass, clean pass (optionally in worker processes), dedup.

    source() ──► pass 1: learners observe every document ──► models (site lines, word counts)
    source() ──► pass 2: steps clean each document (+ dedup signature) ──► spool file (in input order)
                 dedup.resolve() over the signatures
    spool    ──► pass 3: each item becomes an `Outcome`: kept, duplicate (with duplicate_of) or rejected

``source`` is a callable returning a fresh iterator each time, because corpus learning needs two reads.
Output order is input order whatever the worker count, and every input item becomes exactly one outcome.

This module deliberately holds no cleaning logic: steps live in `arcorpus.steps`, dedup in `arcorpus.dedup`.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Literal

from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.steps import Models, Step, apply_steps, build_learners, build_steps

Item = Document | Reject
Source = Callable[[], Iterable[Item]]
BATCH = 64


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one input item ended: ``kept`` (document), ``duplicate`` (with duplicate_of) or ``rejected``."""

    kind: Literal["kept", "duplicate", "rejected"]
    document: Document | None = None
    reject: Reject | None = None


def learn(source: Source, config: CleanConfig, workers: int = 1) -> dict[str, Any]:
    """Pass 1: run every learner ``config`` needs over the corpus and return their models."""
    learners = build_learners(config)
    if not learners:
        return {}
    docs = (item for item in source() if isinstance(item, Document))
    if workers > 1:
        ctx = multiprocessing.get_context()
        with ctx.Pool(workers, initializer=_init_learn_worker, initargs=(config,)) as pool:
            for partial in pool.imap_unordered(_learn_batch, _batches(docs, BATCH * 8)):
                for learner, other in zip(learners, partial, strict=True):
                    learner.merge(other)
    else:
        for doc in docs:
            for learner in learners:
                learner.observe(doc)
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
    processed = _process(
        source(), config, models, workers, with_signature=dedup is not None, clean=not precleaned
    )
    if dedup is None:
        for item, _ in processed:
            if progress is not None:
                progress(1)
            yield _outcome(item)
        return
    with tempfile.TemporaryFile(prefix="arcorpus-spool-") as spool:
        for index, (item, signature) in enumerate(processed):
            if isinstance(item, Document):
                dedup.add(index, item.id, signature)
            pickle.dump(item, spool, protocol=pickle.HIGHEST_PROTOCOL)
            if progress is not None:
                progress(1)
        infos = dedup.resolve()
        spool.seek(0)
        index = 0
        while True:
            try:
                item = pickle.load(spool)
            except EOFError:
                break
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
    _WORKER["steps"] = build_steps(config, models) if clean else ()
    if with_signature:
        from arcorpus.dedup import Deduplicator

        _WORKER["dedup"] = Deduplicator(config)
    else:
        _WORKER["dedup"] = None


def _init_clean_pool_worker(config: CleanConfig, models: Models, with_signature: bool, clean: bool) -> None:
    _worker_signals()
    _init_clean_worker(config, models, with_signature, clean)


def _clean_batch(batch: list[Item]) -> list[tuple[Item, Any]]:
    steps: tuple[Step, ...] = _WORKER["steps"]
    dedup = _WORKER["dedup"]
    items = [clean_one(item, steps) if isinstance(item, Document) and steps else item for item in batch]
    if dedup is None:
        return [(item, None) for item in items]
    docs = [item for item in items if isinstance(item, Document)]
    signatures = iter(dedup.signatures(docs))  # one vectorized call per batch
    return [(item, next(signatures) if isinstance(item, Document) else None) for item in items]


def _init_learn_worker(config: CleanConfig) -> None:
    _worker_signals()
    _WORKER["config"] = config


def _learn_batch(batch: list[Document]) -> list[Any]:
    """Fresh learners per batch, returned to the driver to be merged (merging is order-independent)."""
    learners = build_learners(_WORKER["config"])
    for doc in batch:
        for learner in learners:
            learner.observe(doc)
    return list(learners)


def _process(
    items: Iterable[Item],
    config: CleanConfig,
    models: Models,
    workers: int,
    *,
    with_signature: bool,
    clean: bool = True,
) -> Iterator[tuple[Item, Any]]:
    """Clean (unless ``clean`` is false) and sign each item, in input order, in this process or a pool."""
    if not clean and not with_signature:
        for item in items:
            yield item, None
        return
    if workers <= 1:
        _init_clean_worker(config, models, with_signature, clean)
        for batch in _batches(items, BATCH):
            yield from _clean_batch(batch)
        return
    ctx = multiprocessing.get_context()
    init_args = (config, models, with_signature, clean)
    with ctx.Pool(workers, initializer=_init_clean_pool_worker, initargs=init_args) as pool:
        for results in pool.imap(_clean_batch, _batches(items, BATCH), chunksize=2):
            yield from results


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
