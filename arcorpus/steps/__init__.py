"""The registry of pipeline steps, in the one order the pipeline runs them.

read -> repair -> orthography -> boilerplate -> names -> whitespace -> dedup -> write

A *step* is a small, named, pure transformation ``Document -> Document`` that records its changes. Each
entry below names the step (== its `CleanConfig` field, CLI flag, module and the ``step`` of its changes)
inside its `Stage`; the step's module has a builder ``build(config, models) -> Step | None`` that returns
``None`` when the config switches the step off (or when it needs a corpus model it was not given).

A *learner* is a corpus-level first pass (``observe`` each document, ``merge`` partial results from
workers, ``finish`` into a model), built by ``learner(config)`` in its step's module. Its model reaches the
step builders through ``models[name]``.

Modules are imported lazily, so ``import arcorpus`` stays cheap and a step module may be added without
touching anything but this table (and a `CleanConfig` field of the same name).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from arcorpus.document import check_size

if TYPE_CHECKING:
    from arcorpus.config import CleanConfig
    from arcorpus.document import Document

Models = Mapping[str, Any]
"""Models learned by corpus passes, keyed by learner name. Empty when cleaning a single document."""


class Step(Protocol):
    """A pure, named transformation of one document."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


class Learner(Protocol):
    """A corpus-level first pass (``observe`` each document, ``merge`` partial learners, ``finish``).

    Must be picklable. **Merge order:** engines give fresh learners consecutive batches of the input
    and merge the partial learners in input order (batch k before batch k + 1; `arcorpus.run.plan`), and
    a learner may rely on it: ``site_lines`` counts a repeated text once, at its first occurrence, so its
    merge is not commutative. An engine that cannot merge in input order (Dask merges in a tree) must
    first remove what depends on order: for a learner with ``counts_texts_once = True`` it skips the
    later copies of every text itself and calls the learner's ``forget_texts()`` before merging
    (`arcorpus.dask.learn`). Learners without that attribute (word counts) must merge commutatively.
    """

    name: str

    def observe(self, doc: Document) -> None: ...

    def merge(self, other: Any) -> None: ...

    def finish(self) -> Any: ...


@dataclass(frozen=True)
class StepSpec:
    """One step of `STEPS`. Its module is ``arcorpus.steps.<stage>.<name>`` (``arcorpus.steps.<name>`` for a
    stage of one step), so module, step, config field and CLI flag share one name."""

    name: str
    stage: str
    summary: str
    module: str

    def build(self, config: CleanConfig, models: Models) -> Step | None:
        factory: Callable[[CleanConfig, Models], Step | None] = importlib.import_module(self.module).build
        return factory(config, models)


@dataclass(frozen=True)
class LearnerSpec:
    """A corpus learner: ``learner(config)`` of the module of the step whose model it learns."""

    name: str
    step: StepSpec
    summary: str

    def build(self, config: CleanConfig) -> Learner | None:
        factory: Callable[[CleanConfig], Learner | None] = importlib.import_module(self.step.module).learner
        return factory(config)


@dataclass(frozen=True)
class Stage:
    """One stage of the data flow, a package of `arcorpus.steps` (or one module when it has one step)."""

    name: str
    summary: str
    steps: tuple[StepSpec, ...]


def _stage(name: str, summary: str, *steps: tuple[str, str]) -> Stage:
    package = "arcorpus.steps" if len(steps) == 1 else f"arcorpus.steps.{name}"
    specs = tuple(StepSpec(step, name, what, f"{package}.{step}") for step, what in steps)
    return Stage(name, summary, specs)


STAGES: tuple[Stage, ...] = (
    _stage(
        "repair",
        "undo damage done before the text reached us",
        ("fix_encoding", "mojibake repair"),
        ("fix_markup", "HTML entities and stray tags"),
        ("remove_invisible", "invisible/control characters"),
    ),
    _stage(
        "orthography",
        "one spelling for what can be typed several ways",
        ("presentation_forms", "presentation forms"),
        ("remove_tatweel", "tatweel"),
        ("lookalikes", "Persian/Urdu look-alikes"),
        ("digits", "digit system"),
        ("fix_spacing", "spaces and punctuation spacing"),
        ("split_glued", "glued words"),
        ("tanween", "tanween placement"),
        ("search_fold", "search folding"),
    ),
    _stage(
        "boilerplate",
        "site furniture out of the text, metadata into fields",
        ("boilerplate", "rule catalogue"),
        ("site_lines", "corpus-learned site lines"),
        ("repetition", "repeats in a document"),
        ("extract_metadata", "title/date/byline"),
        ("line_model", "furniture words, learned"),
    ),
    _stage("names", "one spelling per transliterated name", ("names", "name variants")),
    _stage("whitespace", "the final layout", ("whitespace", "final layout")),
    _stage("filters", "documents a pretraining set does not want", ("quality_filters", "document filters")),
)

STEPS: tuple[StepSpec, ...] = tuple(step for stage in STAGES for step in stage.steps)
"""Every step, in the one order the pipeline runs them."""

_BY_NAME = {spec.name: spec for spec in STEPS}

LEARNERS: tuple[LearnerSpec, ...] = (
    LearnerSpec("site_lines", _BY_NAME["site_lines"], "line counts per source"),
    LearnerSpec("split_glued_corpus", _BY_NAME["split_glued"], "word frequencies"),
    LearnerSpec("names", _BY_NAME["names"], "name-variant clusters"),
)

STEP_NAMES: tuple[str, ...] = tuple(s.name for s in STEPS)


def build_steps(config: CleanConfig, models: Models | None = None) -> tuple[Step, ...]:
    """The enabled steps for ``config``, in pipeline order."""
    built = (spec.build(config, models or {}) for spec in STEPS)
    return tuple(step for step in built if step is not None)


def build_learners(config: CleanConfig) -> tuple[Learner, ...]:
    """The corpus learners ``config`` needs (none for single-document cleaning)."""
    built = (spec.build(config) for spec in LEARNERS)
    return tuple(learner for learner in built if learner is not None)


_finalize: Callable[[Document], Document] | None = None


def _load_finalize() -> Callable[[Document], Document]:
    global _finalize
    from arcorpus.text.guard import finalize

    _finalize = finalize
    return finalize


def apply_steps(doc: Document, steps: tuple[Step, ...]) -> Document:
    """Run ``steps`` in order, then `arcorpus.text.guard.finalize` (output contract: valid Unicode, NFC).

    `arcorpus.text.guard` is imported at the first call, not with this module (it loads ``regex``), and not at
    every call either: an import statement costs more than most steps take on a clean document.
    """
    finalize = _finalize or _load_finalize()
    check_size(doc.text)  # raises LimitExceeded: bounded time and memory per document
    for step in steps:
        doc = step(doc)
    return finalize(doc)
