"""The local engine: the plan's passes in this process or in a `WorkerPool`, in input order.

    source() ──► pass 1: learners observe every document ──► models (site lines, word counts)
    source() ──► pass 2: `Plan.clean` each batch (steps + dedup signatures) ──► spool file (input order)
                 `Plan.resolved` over the signatures ──► `Resolution`
    spool    ──► pass 3: `Plan.outcomes`: each item becomes an `Outcome` (kept, duplicate or rejected)

``source`` is a callable returning a fresh iterator each time, because corpus learning needs two reads.
It may yield unparsed JSONL records (`RawRecord`): they are parsed where they are cleaned, in the workers,
so that with ``workers > 1`` the driver only reads bytes. Workers pickle their cleaned batches into spool
files of their own (`_Spool`); the driver keeps only ids and dedup signatures, and pass 3 runs in workers
forked after dedup, which read the spool themselves (`run_encoded`: the output is encoded there too).
Output order is input order whatever the worker count, and every input item becomes exactly one outcome.

Progress: ``on_phase(name)`` is told when a pass starts (`PHASES`: learning, cleaning, dedup, writing), and
``progress(n)`` when ``n`` more items of that pass are done; the CLI turns these into bars by input bytes
(`arcorpus.cli.progress`). Neither changes what is computed.

This module decides where and when the plan's calls run, nothing else: what is done to a document is
`arcorpus.run.plan`'s.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from arcorpus.config import CleanConfig
from arcorpus.io.readers import RawRecord
from arcorpus.outcome import Item, Outcome
from arcorpus.run.plan import Key, Plan
from arcorpus.run.pool import WorkerPool
from arcorpus.steps import Models

if TYPE_CHECKING:
    from arcorpus.dedup import ParagraphNotes, Resolution

Source = Callable[[], Iterable[Item | RawRecord]]
Progress = Callable[[int], None]
"""Told the number of items done since the last call (of the current phase)."""
OnPhase = Callable[[str], None]
PHASES = ("learning", "cleaning", "dedup", "writing")
"""The passes a run reports to ``on_phase``, in order (learning only when a learner runs; a run without
dedup cleans and writes in one pass, "cleaning")."""
BATCH = 64
LEARN_BATCH = BATCH * 8
"""Documents per learner batch. Fresh learners observe each batch and are merged in input order, in this
process or in workers alike; merging takes back texts an earlier batch already counted (see
`SiteLinesLearner`), so the models equal one learner's over the whole stream, whatever the worker count."""
T = TypeVar("T")


def learn(
    source: Source,
    config: CleanConfig,
    workers: int = 1,
    *,
    progress: Progress | None = None,
    on_phase: OnPhase | None = None,
) -> dict[str, Any]:
    """Pass 1: run every learner ``config`` needs over the corpus and return their models.

    Each batch of `LEARN_BATCH` documents is observed by fresh learners, which are then merged in input
    order: the same batches and the same merge order with one worker or many (see `LEARN_BATCH`).
    """
    plan = Plan(config)
    learners = plan.learners()
    if not learners:
        return {}
    if on_phase is not None:
        on_phase("learning")
    batches = _batches(source(), LEARN_BATCH)
    if workers > 1:
        sizes: deque[int] = deque()  # of the batches handed to the pool, whose results come in order

        def handed_out() -> Iterator[list[Item | RawRecord]]:
            for batch in batches:
                sizes.append(len(batch))
                yield batch

        with WorkerPool(workers, _learn_batch, _set_plan, (plan,)) as pool:
            for partial in pool.imap(handed_out()):
                plan.merge_learned(learners, partial)
                if progress is not None:
                    progress(sizes.popleft())
    else:
        for batch in batches:
            plan.merge_learned(learners, plan.learn_batch(batch))
            if progress is not None:
                progress(len(batch))
    return plan.learned(learners)


def run(
    source: Source,
    config: CleanConfig,
    *,
    models: Models | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    on_dedup_report: Callable[[dict[str, Any]], None] | None = None,
    precleaned: bool = False,
    on_phase: OnPhase | None = None,
) -> Iterator[Outcome]:
    """Clean a whole corpus; yield one `Outcome` per input item, in input order.

    ``on_dedup_report`` receives the dedup report (clusters, repeated paragraphs) once the last outcome
    has been yielded. ``precleaned``: the items already went through the steps (the shards of a
    resumable run, see `arcorpus.run.resume`); only the corpus-wide part (dedup) runs.
    """
    options = _RunOptions(models, workers, progress, on_dedup_report, precleaned, on_phase)
    for outcomes in _run(source, config, None, options):
        yield from outcomes


def run_encoded(
    source: Source,
    config: CleanConfig,
    encode: Callable[[list[Outcome]], T],
    *,
    models: Models | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    on_dedup_report: Callable[[dict[str, Any]], None] | None = None,
    on_phase: OnPhase | None = None,
) -> Iterator[T]:
    """`run`, with the outcomes passed through ``encode`` batch by batch, in input order.

    ``encode`` must be picklable (a module-level function or a dataclass instance): with ``workers > 1``
    it runs in the worker processes, so that turning outcomes into output (JSON) is parallel too, not left
    to the driver after deduplication. It deliberately receives no dedup state: the outcomes are final.
    """
    options = _RunOptions(models, workers, progress, on_dedup_report, False, on_phase)
    yield from _run(source, config, encode, options)


@dataclass(frozen=True)
class _RunOptions:
    models: Models | None
    workers: int
    progress: Progress | None
    on_dedup_report: Callable[[dict[str, Any]], None] | None
    precleaned: bool
    on_phase: OnPhase | None = None


def _run(
    source: Source, config: CleanConfig, encode: Callable[[list[Outcome]], Any] | None, options: _RunOptions
) -> Iterator[Any]:
    """Batches of outcomes in input order (lists of `Outcome`, or what ``encode`` made of each list)."""
    models = {} if options.precleaned else options.models
    workers, progress = options.workers, options.progress
    phase = options.on_phase or _no_phase
    if models is None:
        models = learn(source, config, workers, progress=progress, on_phase=options.on_phase)
    plan = Plan(config, models, clean=not options.precleaned)
    if not options.precleaned:
        phase("cleaning")
    else:  # the items were cleaned before (resumed shards): only signing them for dedup, or writing
        phase("dedup" if plan.dedups else "writing")
    if not plan.dedups:
        for batch in _process_batches(source(), plan, workers, encode=encode):
            if progress is not None:
                progress(len(batch.keys))
            yield batch.encoded if encode is not None else plan.outcomes(batch.unpack(), 0)[0]
        return
    with _Spool(workers) as spool:
        dedup = plan.deduplicator()
        spans: list[_Span] = []
        index = 0
        for batch in _process_batches(source(), plan, workers, spool=spool):
            for position, key in enumerate(batch.keys, start=index):
                if key is not None:
                    dedup.add(position, key[0], key[1])
            span = batch.span if batch.span is not None else spool.append(0, batch.packed())
            spans.append((*span, index))
            index += len(batch.keys)
            if progress is not None:
                progress(len(batch.keys))
        phase("dedup")
        resolution = plan.resolved(dedup)
        del dedup  # the resolution is all the last pass needs
        from arcorpus.dedup import ParagraphNotes

        notes = ParagraphNotes()
        phase("writing")
        finishing = _finish(plan, spool, spans, resolution, encode, workers, notes)
        try:
            for result, size in zip(finishing, _span_sizes(spans, index), strict=True):
                yield result
                if progress is not None:
                    progress(size)
        finally:
            finishing.close()
        if options.on_dedup_report is not None:
            options.on_dedup_report(plan.report(resolution, notes))


_Span = tuple[int, int, int, int]
"""Where a cleaned batch is spooled: (spool file slot, offset, size, input index of its first item)."""


def _span_sizes(spans: list[_Span], total: int) -> Iterator[int]:
    """The number of items of each spooled batch (``total``: items in all)."""
    if not spans:
        return
    for span, after in zip(spans, [*(s[3] for s in spans[1:]), total], strict=True):
        yield after - span[3]


def _no_phase(name: str) -> None:
    """The ``on_phase`` of a run nobody watches."""


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
    plan: Plan,
    spool: _Spool,
    spans: list[_Span],
    resolution: Resolution,
    encode: Callable[[list[Outcome]], Any] | None,
    workers: int,
    notes: ParagraphNotes,
) -> Generator[Any, None, None]:
    """Pass 3: each spooled batch becomes its outcomes (`Plan.outcomes`) and, with ``encode``, its
    output; the paragraph notes are merged into ``notes`` in input order. With several workers on a
    platform that forks, the workers do it: they inherit the resolution and read the spool themselves
    (``pread``: no shared file offset)."""
    _FINISH.update(plan=plan, spool=spool, resolution=resolution, encode=encode)
    try:
        forking = multiprocessing.get_context().get_start_method() == "fork"
        if workers > 1 and encode is not None and forking:
            with WorkerPool(workers, _finish_span) as pool:
                for result, found in pool.imap(spans):
                    notes.merge(found)
                    yield result
        else:
            for span in spans:
                result, found = _finish_span(span)
                notes.merge(found)
                yield result
    finally:
        _FINISH.clear()


def _finish_span(span: _Span) -> tuple[Any, Any]:
    slot, offset, size, index = span
    plan: Plan = _FINISH["plan"]
    encode = _FINISH["encode"]
    items: list[Item] = pickle.loads(_FINISH["spool"].read(slot, offset, size))
    outcomes, notes = plan.outcomes(items, index, _FINISH["resolution"])
    return (encode(outcomes) if encode is not None else outcomes), notes


# --- per-batch work, in this process or in a pool -----------------------------------------------------

_WORKER: dict[str, Any] = {}
"""This process's plan (and, in a pool worker, its spool and slot and the batches' encoder)."""


def _set_plan(slot: int, plan: Plan, encode: Callable[[list[Outcome]], Any] | None = None) -> None:
    """A worker's initializer: the run's plan (inherited as built when forked, else built at first use)."""
    _WORKER["plan"] = plan
    _WORKER["encode"] = encode
    spool: _Spool | None = _WORKER.get("spool")
    _WORKER["spool_slot"] = slot if spool is not None else None


def _learn_batch(batch: list[Item | RawRecord]) -> Any:
    plan: Plan = _WORKER["plan"]
    return plan.learn_batch(batch)


@dataclass(slots=True)
class _Batch:
    """A batch of processed items: plain objects (``items``), pickled by the worker (``blob``), or, in a
    run without dedup that encodes its outcomes, already ``encoded``.

    ``keys`` has one entry per item (`Key`: document id and dedup signature, None for a reject). The
    driver of a deduplicating run only needs ``keys`` to cluster and stores ``blob`` in its spool as is,
    so the cleaned documents are unpickled once (when output), not twice.
    """

    keys: list[Key]
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
    plan: Plan = _WORKER["plan"]
    encode = _WORKER.get("encode")
    items, keys = plan.clean(batch)
    if encode is not None:
        return _Batch(keys, encoded=encode(plan.outcomes(items, 0)[0]))
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


def _process_batches(
    items: Iterable[Item | RawRecord],
    plan: Plan,
    workers: int,
    *,
    encode: Callable[[list[Outcome]], Any] | None = None,
    spool: _Spool | None = None,
) -> Iterator[_Batch]:
    """`Plan.clean` the items batch by batch in input order, in this process or a pool; with ``encode``,
    each batch's outcomes are encoded too (for runs without dedup); with ``spool``, forked workers
    write their batches to it themselves (`_Batch.span`)."""
    plan.prepare()  # here, not once per worker: forked workers inherit the built steps
    if workers <= 1 or (not plan.cleans and not plan.signs):
        _set_plan(0, plan, encode)
        for batch in _batches(items, BATCH):
            yield _clean_batch(batch)
        return
    forking = multiprocessing.get_context().get_start_method() == "fork"
    _WORKER["spool"] = spool if forking else None  # inherited descriptors: fork only
    try:
        with WorkerPool(workers, _clean_batch_packed, _set_plan, (plan, encode)) as pool:
            yield from pool.imap(_batches(items, BATCH))
    finally:
        _WORKER["spool"] = None


def _process(
    items: Iterable[Item | RawRecord], plan: Plan, workers: int
) -> Iterator[tuple[Item, Key]]:
    """`_process_batches` item by item: ``(item, key)``."""
    for batch in _process_batches(items, plan, workers):
        yield from zip(batch.unpack(), batch.keys, strict=True)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
