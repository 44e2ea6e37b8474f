"""Running the pipeline over a corpus: learn pass, clean pass (optionally in worker processes), dedup.

    source() ──► pass 1: learners observe every document ──► models (site lines, word counts)
    source() ──► pass 2: steps clean each document (+ dedup signature) ──► spool file (in input order)
                 dedup.resolve() over the signatures
    spool    ──► pass 3: each item becomes an `Outcome`: kept, duplicate (with duplicate_of) or rejected

``source`` is a callable returning a fresh iterator each time, because corpus learning needs two reads.
It may yield unparsed JSONL records (`RawRecord`): they are parsed where they are cleaned, in the workers,
so that with ``workers > 1`` the driver only reads bytes. Workers pickle their cleaned batches into spool
files of their own (`_Spool`); the driver keeps only ids and dedup signatures, and pass 3 runs in workers
forked after dedup, which read the spool themselves (`run_encoded`: the output is encoded there too).
Output order is input order whatever the worker count, and every input item becomes exactly one outcome.

This module deliberately holds no cleaning logic: steps live in `arcorpus.steps`, dedup in `arcorpus.dedup`.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from arcorpus.config import CleanConfig
from arcorpus.document import Document, LimitExceeded, Reject, too_many_lines
from arcorpus.io.readers import RawRecord, parsed
from arcorpus.run.pool import WorkerPool
from arcorpus.steps import Models, Step, apply_steps, build_learners, build_steps

if TYPE_CHECKING:
    from arcorpus.dedup import Deduplicator, DuplicateInfo

Item = Document | Reject
Source = Callable[[], Iterable[Item | RawRecord]]
BATCH = 64
LEARN_BATCH = BATCH * 8
"""Documents per learner batch. Fresh learners observe each batch and are merged in input order, in this
process or in workers alike; merging takes back texts an earlier batch already counted (see
`SiteLinesLearner`), so the models equal one learner's over the whole stream, whatever the worker count."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one input item ended: ``kept`` (document), ``duplicate`` (with duplicate_of) or ``rejected``."""

    kind: Literal["kept", "duplicate", "rejected"]
    document: Document | None = None
    reject: Reject | None = None


def learn(source: Source, config: CleanConfig, workers: int = 1) -> dict[str, Any]:
    """Pass 1: run every learner ``config`` needs over the corpus and return their models.

    Each batch of `LEARN_BATCH` documents is observed by fresh learners, which are then merged in input
    order: the same batches and the same merge order with one worker or many (see `LEARN_BATCH`).
    """
    learners = build_learners(config)
    if not learners:
        return {}
    batches = _batches(source(), LEARN_BATCH)
    if workers > 1:
        with WorkerPool(workers, _learn_batch, _init_learn_worker, (config,)) as pool:
            for partial in pool.imap(batches):
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
    except LimitExceeded as exc:  # (issue 14, trusttext) beyond the per-document memory/time bounds
        return Reject.of_document(doc, exc.reason, str(exc), ())
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
    options = _RunOptions(models, workers, progress, on_dedup_report, precleaned)
    for outcomes in _run(source, config, None, options):
        yield from outcomes


def run_encoded(
    source: Source,
    config: CleanConfig,
    encode: Callable[[list[Outcome]], T],
    *,
    models: Models | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    on_dedup_report: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[T]:
    """`run`, with the outcomes passed through ``encode`` batch by batch, in input order.

    ``encode`` must be picklable (a module-level function or a dataclass instance): with ``workers > 1``
    it runs in the worker processes, so that turning outcomes into output (JSON) is parallel too, not left
    to the driver after deduplication. It deliberately receives no dedup state: the outcomes are final.
    """
    options = _RunOptions(models, workers, progress, on_dedup_report, False)
    yield from _run(source, config, encode, options)


T = TypeVar("T")


@dataclass(frozen=True)
class _RunOptions:
    models: Models | None
    workers: int
    progress: Callable[[int], None] | None
    on_dedup_report: Callable[[dict[str, Any]], None] | None
    precleaned: bool


def _run(
    source: Source, config: CleanConfig, encode: Callable[[list[Outcome]], Any] | None, options: _RunOptions
) -> Iterator[Any]:
    """Batches of outcomes in input order (lists of `Outcome`, or what ``encode`` made of each list)."""
    models = {} if options.precleaned else options.models
    workers, progress = options.workers, options.progress
    if models is None:
        models = learn(source, config, workers)
    dedup = None
    if config.dedup != "none":
        from arcorpus.dedup import Deduplicator

        dedup = Deduplicator(config)
    if dedup is None:
        batches = _process_batches(
            source(),
            config,
            models,
            workers,
            with_signature=False,
            clean=not options.precleaned,
            encode=encode,
        )
        for batch in batches:
            if progress is not None:
                progress(len(batch.keys))
            yield batch.encoded if encode is not None else [_outcome(item) for item in batch.unpack()]
        return
    with _Spool(workers) as spool:
        batches = _process_batches(
            source(),
            config,
            models,
            workers,
            with_signature=True,
            clean=not options.precleaned,
            spool=spool,
        )
        spans: list[_Span] = []
        index = 0
        for batch in batches:
            for position, key in enumerate(batch.keys, start=index):
                if key is not None:
                    dedup.add(position, key[0], key[1])
            span = batch.span if batch.span is not None else spool.append(0, batch.packed())
            spans.append((*span, index))
            index += len(batch.keys)
            if progress is not None:
                progress(len(batch.keys))
        infos = dedup.resolve()
        yield from _finish(spool, spans, infos, dedup, encode, workers)
        if options.on_dedup_report is not None:
            options.on_dedup_report(dedup.report())


_Span = tuple[int, int, int, int]
"""Where a cleaned batch is spooled: (spool file slot, offset, size, input index of its first item)."""


class _Spool:
    """Unlinked temporary files holding the pickled cleaned batches until the last pass.

    Slot 0 is the driver's; with a forking pool each worker writes its batches to the slot of its own
    (its `WorkerPool` slot, 1..workers) itself, so the batches never travel through the driver. Files
    are created before the pool forks (workers inherit the descriptors) and are unlinked from the start:
    nothing is left behind, even after SIGKILL. Read back with ``pread``, so readers share no file offset.
    """

    def __init__(self, workers: int) -> None:
        slots = 1 + (workers if workers > 1 else 0)
        self.files = [tempfile.TemporaryFile(prefix="arcorpus-spool-") for _ in range(slots)]
        self.sizes = [0] * slots

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        for file in self.files:
            file.close()

    def append(self, slot: int, blob: bytes) -> tuple[int, int, int]:
        """Write ``blob`` at the end of ``slot`` (only its owner writes there): (slot, offset, size)."""
        offset = self.sizes[slot]
        fd = self.files[slot].fileno()
        view = memoryview(blob)
        written = 0
        while written < len(blob):
            written += os.pwrite(fd, view[written:], offset + written)
        self.sizes[slot] = offset + len(blob)
        return slot, offset, len(blob)

    def read(self, slot: int, offset: int, size: int) -> bytes:
        fd = self.files[slot].fileno()
        parts = []
        while size > 0:
            chunk = os.pread(fd, size, offset)
            if not chunk:  # pragma: no cover - the spool is never truncated
                raise EOFError("spool file is shorter than recorded")
            parts.append(chunk)
            offset += len(chunk)
            size -= len(chunk)
        return b"".join(parts)


_FINISH: dict[str, Any] = {}
"""What `_finish_span` needs, set by the driver before it forks the workers of the last pass."""


def _finish(
    spool: _Spool,
    spans: list[_Span],
    infos: Mapping[int, DuplicateInfo],
    dedup: Deduplicator,
    encode: Callable[[list[Outcome]], Any] | None,
    workers: int,
) -> Iterator[Any]:
    """Pass 3: each spooled batch becomes its outcomes (duplicate marks, repeated paragraphs) and, with
    ``encode``, its output. With several workers on a platform that forks, the workers do it: they
    inherit the resolved dedup state and read the spool themselves (``pread``: no shared file offset)."""
    _FINISH.update(spool=spool, infos=infos, dedup=dedup, encode=encode)
    try:
        ctx = multiprocessing.get_context()
        if workers > 1 and encode is not None and ctx.get_start_method() == "fork":
            with WorkerPool(workers, _finish_span) as pool:
                for result, notes in pool.imap(spans):
                    dedup.merge_paragraph_notes(notes)
                    yield result
        else:
            for span in spans:
                result, notes = _finish_span(span)
                dedup.merge_paragraph_notes(notes)
                yield result
    finally:
        _FINISH.clear()


def _finish_span(span: _Span) -> tuple[Any, Any]:
    slot, offset, size, index = span
    infos: Mapping[int, DuplicateInfo] = _FINISH["infos"]
    dedup: Deduplicator = _FINISH["dedup"]
    encode = _FINISH["encode"]
    items: list[Item] = pickle.loads(_FINISH["spool"].read(slot, offset, size))
    outcomes = []
    for item in items:
        info = infos.get(index)
        if isinstance(item, Document):
            item = dedup.finish_document(index, item)  # repeated paragraphs
        index += 1
        if info is None or not isinstance(item, Document):
            outcomes.append(_outcome(item))
            continue
        doc = item.evolve(metadata=info.metadata())
        outcomes.append(Outcome("duplicate" if info.duplicate_of is not None else "kept", document=doc))
    notes = dedup.take_paragraph_notes()
    return (encode(outcomes) if encode is not None else outcomes), notes


def _outcome(item: Item) -> Outcome:
    if isinstance(item, Reject):
        return Outcome("rejected", reject=item)
    return Outcome("kept", document=item)


# --- per-document work, in this process or in a pool --------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_clean_worker(
    config: CleanConfig,
    models: Models,
    with_signature: bool,
    clean: bool = True,
    encode: Callable[[list[Outcome]], Any] | None = None,
) -> None:
    """Build the steps (and the deduplicator) for this process, unless they are built for these arguments
    already: a driver builds them before starting its pool, and forked workers inherit them."""
    _WORKER["encode"] = encode
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


def _init_clean_pool_worker(
    slot: int,
    config: CleanConfig,
    models: Models,
    with_signature: bool,
    clean: bool,
    encode: Callable[[list[Outcome]], Any] | None,
) -> None:
    _init_clean_worker(config, models, with_signature, clean, encode)
    _WORKER["spool_slot"] = slot if _WORKER.get("spool") is not None else None


@dataclass(slots=True)
class _Batch:
    """A batch of processed items: plain objects (``items``), pickled by the worker (``blob``), or, in a
    run without dedup that encodes its outcomes, already ``encoded``.

    ``keys`` has one entry per item: ``(document id, dedup signature)`` for a document, None for a reject.
    The driver of a deduplicating run only needs ``keys`` to cluster and stores ``blob`` in its spool as
    is, so the cleaned documents are unpickled once (when output), not twice.
    """

    keys: list[tuple[str, Any] | None]
    items: list[Item] | None = None
    blob: bytes | None = None
    encoded: Any = None
    span: tuple[int, int, int] | None = None
    """(slot, offset, size) when a worker wrote the pickled items to its own spool file (`_Spool`)."""

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
    encode = _WORKER.get("encode")
    items = [parsed(item) for item in batch]
    if steps:
        items = [clean_one(item, steps) if isinstance(item, Document) else item for item in items]
    if dedup is None:
        keys: list[tuple[str, Any] | None] = [None] * len(items)
    else:
        docs = [item for item in items if isinstance(item, Document)]
        signatures = iter(dedup.signatures(docs))  # one vectorized call per batch
        keys = [(item.id, next(signatures)) if isinstance(item, Document) else None for item in items]
    if encode is not None:
        return _Batch(keys, encoded=encode([_outcome(item) for item in items]))
    if pack:
        blob = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
        spool, slot = _WORKER.get("spool"), _WORKER.get("spool_slot")
        if spool is not None and slot is not None:
            return _Batch(keys, span=spool.append(slot, blob))
        return _Batch(keys, blob=blob)
    return _Batch(keys, items=items)


def _clean_batch_packed(batch: list[Item | RawRecord]) -> _Batch:
    """`_clean_batch` in a pool worker: the items travel back pickled once, ready for the spool."""
    return _clean_batch(batch, pack=True)


def _init_learn_worker(slot: int, config: CleanConfig) -> None:
    _WORKER["config"] = config


def _learn_batch(batch: list[Item | RawRecord]) -> list[Any]:
    """Fresh learners over one batch, returned to be merged in input order (see `learn`)."""
    learners = build_learners(_WORKER["config"])
    # documents over the size bound are not learned from (pass 2 rejects them: bounded memory)
    docs = [doc for doc in map(parsed, batch) if isinstance(doc, Document) and not too_many_lines(doc.text)]
    for learner in learners:
        observe_many = getattr(learner, "observe_many", None)  # a learner's faster form of the loop below
        if observe_many is not None:
            observe_many(docs)
        else:
            for doc in docs:
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
    encode: Callable[[list[Outcome]], Any] | None = None,
    spool: _Spool | None = None,
) -> Iterator[_Batch]:
    """Parse, clean (unless ``clean`` is false) and sign the items, batch by batch in input order, in this
    process or a pool; with ``encode``, each batch's outcomes are encoded too (for runs without dedup);
    with ``spool``, forked workers write their batches to it themselves (`_Batch.span`)."""
    if workers <= 1 or (not clean and not with_signature):
        _init_clean_worker(config, models, with_signature, clean, encode)
        for batch in _batches(items, BATCH):
            yield _clean_batch(batch)
        return
    forking = multiprocessing.get_context().get_start_method() == "fork"
    if forking:
        _init_clean_worker(config, models, with_signature, clean, encode)  # here, not once per worker
    _WORKER["spool"] = spool if forking else None  # inherited descriptors: fork only
    init_args = (config, models, with_signature, clean, encode)
    try:
        with WorkerPool(workers, _clean_batch_packed, _init_clean_pool_worker, init_args) as pool:
            yield from pool.imap(_batches(items, BATCH))
    finally:
        _WORKER["spool"] = None


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
