"""The plan every engine runs: what is done to a corpus, never where or when (datatrove's split).

    learning    `learn_batch`: fresh learners observe one batch; the engine merges the partial learners
                in input order (`merge_learned`, see `arcorpus.steps.Learner`), then `learned` → models
    cleaning    `clean`: parse raw records, run the steps, compute the dedup signatures of one batch
    resolving   `resolve`: the signatures, in input order → a `Resolution` (a value, not mutable state)
    outcomes    `outcomes`: a cleaned batch + the resolution → one `Outcome` per item, and the notes on
                repeated paragraphs for the report (`report`). The only place an `Outcome` is built.

The local engine (`arcorpus.run.local`: this process or a `WorkerPool`), resumable runs
(`arcorpus.run.resume`) and the Dask engine (`arcorpus.dask.engine`) only decide where and when these
calls run, so they give the same output by construction.

A plan is built once per run in the driver; `prepare` builds the steps (and the dedup tables) there, so
that forked workers inherit them. A plan that travels by pickle (spawned workers, Dask tasks) leaves its
built steps behind and builds them again at its first use in the new process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from arcorpus.config import CleanConfig
from arcorpus.document import DocId, Document, LimitExceeded, Reject, too_many_lines
from arcorpus.io.readers import RawRecord, parsed
from arcorpus.outcome import Item, Outcome
from arcorpus.steps import Learner, Models, Step, apply_steps, build_learners, build_steps

if TYPE_CHECKING:
    from arcorpus.dedup import Deduplicator, ParagraphNotes, Resolution

Key = tuple[DocId, Any] | None
"""What dedup needs of one cleaned item: ``(document id, dedup signature)``, None for a reject (or with
dedup off)."""


class Plan:
    """How to learn from, clean and deduplicate a corpus for one ``config`` (and its learned ``models``).

    ``clean=False``: the items are cleaned already (the shards of a resumable run); only parsing and the
    corpus-wide part (signatures, dedup) remain. ``sign=False``: no dedup signatures, even with dedup on
    (a resumable run's shards are cleaned first and signed when they are assembled).
    """

    def __init__(
        self, config: CleanConfig, models: Models | None = None, *, clean: bool = True, sign: bool = True
    ) -> None:
        self.config = config
        self.models: Models = MappingProxyType(dict(models or {}))
        self.cleans = clean
        self.dedups = config.dedup != "none"
        self.signs = sign and self.dedups
        self._steps: tuple[Step, ...] | None = None
        self._signer: Deduplicator | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self.config, "models": dict(self.models), "clean": self.cleans, "sign": self.signs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["config"], state["models"], clean=state["clean"], sign=state["sign"]
        )

    def with_models(self, models: Models) -> Plan:
        return Plan(self.config, models, clean=self.cleans, sign=self.signs)

    # --- learning ------------------------------------------------------------------------------------

    def learners(self) -> tuple[Learner, ...]:
        """Fresh learners for every corpus model the config needs (none: nothing to learn)."""
        return build_learners(self.config)

    def learn_batch(
        self, batch: Sequence[Item | RawRecord], repeats: Collection[int] | None = None
    ) -> tuple[Learner, ...]:
        """Fresh learners that observed the documents of one batch, to be merged in input order.

        ``repeats`` (for an engine that merges out of input order, see `arcorpus.steps.Learner`): the
        positions in ``batch`` of texts that occurred earlier in the input. Learners that count a text
        once skip them, and forget their per-text records (``forget_texts``) before they are returned.
        """
        learners = self.learners()
        # documents over the size bound are not learned from (clean_one rejects them: bounded memory);
        # they become None here, so that positions stay those of ``batch`` (``repeats``)
        items = [
            None if isinstance(d, Document) and too_many_lines(d.text) else d for d in map(parsed, batch)
        ]
        docs = [doc for doc in items if isinstance(doc, Document)]
        for learner in learners:
            once = repeats is not None and getattr(learner, "counts_texts_once", False) is True
            observed = docs
            if once and repeats:
                observed = [d for n, d in enumerate(items) if isinstance(d, Document) and n not in repeats]
            observe_many = getattr(learner, "observe_many", None)  # a learner's faster form of the loop
            if observe_many is not None:
                observe_many(observed)
            else:
                for doc in observed:
                    learner.observe(doc)
            if once:
                learner.forget_texts()  # type: ignore[attr-defined]
        return learners

    @staticmethod
    def merge_learned(into: Sequence[Learner], partial: Sequence[Learner]) -> None:
        """Merge the learners of the next batch (in input order) into ``into``."""
        for learner, other in zip(into, partial, strict=True):
            learner.merge(other)

    @staticmethod
    def learned(learners: Iterable[Learner]) -> dict[str, Any]:
        """The models of merged learners, by learner name (what `with_models` takes)."""
        return {learner.name: learner.finish() for learner in learners}

    # --- cleaning ------------------------------------------------------------------------------------

    def prepare(self) -> Plan:
        """Build the steps and the dedup signer now (in a driver, before it forks its workers)."""
        if self._steps is None:
            self._steps = build_steps(self.config, self.models) if self.cleans else ()
        if self.signs and self._signer is None:
            from arcorpus.dedup import Deduplicator
            from arcorpus.dedup.keys import warm_up

            self._signer = Deduplicator(self.config)
            warm_up()
        return self

    def clean(self, batch: Sequence[Item | RawRecord]) -> tuple[list[Item], list[Key]]:
        """Parse, clean and sign one batch: the cleaned items and one dedup `Key` per item."""
        self.prepare()
        steps = self._steps
        assert steps is not None
        items = [parsed(item) for item in batch]
        if steps:
            docs = [item for item in items if isinstance(item, Document)]
            if len(docs) == len(items):
                items = clean_many(docs, steps)
            else:
                cleaned = iter(clean_many(docs, steps))
                items = [next(cleaned) if isinstance(item, Document) else item for item in items]
        if self._signer is None:
            return items, [None] * len(items)
        docs = [item for item in items if isinstance(item, Document)]
        signatures = iter(self._signer.signatures(docs))  # one vectorized call per batch
        return items, [(item.id, next(signatures)) if isinstance(item, Document) else None for item in items]

    def signatures(self, docs: Sequence[Document]) -> list[Any]:
        """Dedup signatures of cleaned documents (the signing part of `clean`)."""
        self.prepare()
        assert self._signer is not None, "signatures of a plan without dedup"
        return self._signer.signatures(docs)

    # --- dedup -----------------------------------------------------------------------------------------

    def deduplicator(self) -> Deduplicator:
        """A fresh `Deduplicator` for this config: ``add`` keys in input order, then `resolved`."""
        from arcorpus.dedup import Deduplicator

        return Deduplicator(self.config)

    def resolve(self, keys: Iterable[tuple[int, Key]]) -> Resolution:
        """The duplicates among ``(input position, key)`` pairs given in input order."""
        dedup = self.deduplicator()
        for position, key in keys:
            if key is not None:
                dedup.add(position, key[0], key[1])
        return self.resolved(dedup)

    @staticmethod
    def resolved(dedup: Deduplicator) -> Resolution:
        """The `Resolution` of a `Deduplicator` that holds the keys (for an engine that adds them itself)."""
        dedup.resolve()
        return dedup.resolution()

    # --- outcomes --------------------------------------------------------------------------------------

    def outcomes(
        self, items: Sequence[Item], first: int, resolution: Resolution | None = None
    ) -> tuple[list[Outcome], ParagraphNotes | None]:
        """One `Outcome` per item (input positions ``first, first + 1, ...``) and the paragraph notes.

        ``resolution`` may be a slice holding only these positions. None (a run without dedup): every
        document is kept as it is and there are no notes.
        """
        if resolution is None:
            return [_outcome(item) for item in items], None
        from arcorpus.dedup import ParagraphNotes, finish_document

        notes = ParagraphNotes()
        infos, finish_at = resolution.infos, resolution.finish_at
        out: list[Outcome] = []
        for index, item in enumerate(items, start=first):
            if isinstance(item, Document) and index in finish_at:
                item, found = finish_document(item, resolution)  # repeated paragraphs
                notes.merge(found)
            info = infos.get(index)
            if info is None or not isinstance(item, Document):
                out.append(_outcome(item))
                continue
            doc = item.evolve(metadata=info.metadata())
            out.append(Outcome("duplicate" if info.duplicate_of is not None else "kept", document=doc))
        return out, notes

    def report(self, resolution: Resolution, notes: ParagraphNotes) -> dict[str, Any]:
        """The dedup report of a run (``--report``'s ``dedup``), from its resolution and merged notes."""
        return resolution.report(notes, self.config.repeated_paragraphs_min_docs)


def _outcome(item: Item) -> Outcome:
    if isinstance(item, Reject):
        return Outcome("rejected", reject=item)
    return Outcome("kept", document=item)


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
    return _unless_empty(doc, cleaned)


def clean_many(docs: Sequence[Document], steps: tuple[Step, ...]) -> list[Item]:
    """``[clean_one(doc, steps) for doc in docs]``, computed step by step over the whole list.

    Each step then runs on every document before the next step starts, so its tables (automata, regexes,
    lexicons) stay in the CPU caches instead of being evicted by the other steps' at every document
    (docs/performance.md: about 10 % less CPU for the default pipeline). A document that a step (or the
    output contract) raises on is cleaned again alone by `clean_one`, so that its reject is exactly the one
    `clean_one` gives.
    """
    from arcorpus.text.guard import finalize  # as `apply_steps` does

    current = list(docs)
    out: list[Item] = list(docs)
    live = []
    for n, doc in enumerate(docs):
        if too_many_lines(doc.text):
            out[n] = clean_one(doc, steps)  # the too_many_lines reject
        else:
            live.append(n)
    calls: tuple[Callable[[Document], Document], ...] = (*steps, finalize)
    for step in calls:
        kept = []
        for n in live:
            try:
                current[n] = step(current[n])
            except Exception:
                out[n] = clean_one(docs[n], steps)
            else:
                kept.append(n)
        live = kept
    for n in live:
        out[n] = _unless_empty(docs[n], current[n])
    return out


def _unless_empty(doc: Document, cleaned: Document) -> Item:
    """``cleaned``, or the reject of ``doc`` when the steps left it with no text (keeping their changes)."""
    if not cleaned.text.strip():
        # eco (issue 17): a document filter (arcorpus.steps.quality_filters) names its own reason
        from arcorpus.steps.quality_filters import filter_reason

        filtered = filter_reason(cleaned)
        if filtered is not None:
            return Reject.of_document(doc, filtered[0], f"filtered: {filtered[1]}", cleaned.changes)
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
