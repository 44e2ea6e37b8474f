"""The registry of pipeline steps, in the one order the pipeline runs them.

read -> repair -> orthography -> boilerplate -> names -> whitespace -> dedup -> write

A *step* is a small, named, pure transformation ``Document -> Document`` that records its changes. Each
entry below names the step (== its `CleanConfig` field, CLI flag and the ``step`` of its changes), the stage
it belongs to, and ``module:function`` of a builder ``build(config, models) -> Step | None``; the builder
returns ``None`` when the config switches the step off (or when it needs a corpus model it was not given).

A *learner* is a corpus-level first pass (``observe`` each document, ``merge`` partial results from
workers, ``finish`` into a model). Its model reaches the step builders through ``models[name]``.

Modules are imported lazily, so ``import arcorpus`` stays cheap and a step module may be added without
touching anything but this table (and a `CleanConfig` field of the same name).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

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
    """A corpus-level first pass. Must be picklable; results must not depend on document order."""

    name: str

    def observe(self, doc: Document) -> None: ...

    def merge(self, other: Any) -> None: ...

    def finish(self) -> Any: ...


@dataclass(frozen=True)
class StepSpec:
    name: str
    stage: str
    builder: str
    summary: str

    def build(self, config: CleanConfig, models: Models) -> Step | None:
        module, _, func = self.builder.partition(":")
        factory: Callable[[CleanConfig, Models], Step | None] = getattr(importlib.import_module(module), func)
        return factory(config, models)


@dataclass(frozen=True)
class LearnerSpec:
    name: str
    builder: str
    summary: str

    def build(self, config: CleanConfig) -> Learner | None:
        module, _, func = self.builder.partition(":")
        factory: Callable[[CleanConfig], Learner | None] = getattr(importlib.import_module(module), func)
        return factory(config)


STEPS: tuple[StepSpec, ...] = (
    # repair
    StepSpec("fix_encoding", "repair", "arcorpus.steps.encoding:build", "mojibake repair"),
    StepSpec("fix_markup", "repair", "arcorpus.steps.markup:build", "HTML entities and stray tags"),
    StepSpec("remove_invisible", "repair", "arcorpus.steps.invisible:build", "invisible/control characters"),
    # orthography
    StepSpec("presentation_forms", "orthography", "arcorpus.steps.forms:build", "presentation forms"),
    StepSpec("remove_tatweel", "orthography", "arcorpus.steps.tatweel:build", "tatweel"),
    StepSpec("lookalikes", "orthography", "arcorpus.steps.lookalikes:build", "Persian/Urdu look-alikes"),
    StepSpec("digits", "orthography", "arcorpus.steps.digits:build", "digit system"),
    StepSpec("fix_spacing", "orthography", "arcorpus.steps.spacing:build", "spaces and punctuation spacing"),
    StepSpec("split_glued", "orthography", "arcorpus.steps.glued:build", "glued words"),
    StepSpec("tanween", "orthography", "arcorpus.steps.tanween:build", "tanween placement"),
    StepSpec("search_fold", "orthography", "arcorpus.steps.fold:build", "search folding"),
    # boilerplate
    StepSpec("boilerplate", "boilerplate", "arcorpus.steps.boilerplate:build", "rule catalogue"),
    StepSpec("site_lines", "boilerplate", "arcorpus.steps.site_lines:build", "corpus-learned site lines"),
    StepSpec("repetition", "boilerplate", "arcorpus.steps.repetition:build", "repeats in a document"),
    StepSpec("extract_metadata", "boilerplate", "arcorpus.steps.metadata:build", "title/date/byline"),
    # names
    StepSpec("names", "names", "arcorpus.steps.names:build", "name variants"),
    # whitespace
    StepSpec("whitespace", "whitespace", "arcorpus.steps.whitespace:build", "final layout"),
)

LEARNERS: tuple[LearnerSpec, ...] = (
    LearnerSpec("site_lines", "arcorpus.steps.site_lines:learner", "line counts per source"),
    LearnerSpec("split_glued_corpus", "arcorpus.steps.glued:learner", "word frequencies"),
    LearnerSpec("names", "arcorpus.names.learn:learner", "name-variant clusters"),
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
    from arcorpus.textguard import finalize

    _finalize = finalize
    return finalize


def apply_steps(doc: Document, steps: tuple[Step, ...]) -> Document:
    """Run ``steps`` in order, then `arcorpus.textguard.finalize` (output contract: valid Unicode, NFC).

    ``textguard`` is imported at the first call, not with this module (it loads ``regex``), and not at
    every call either: an import statement costs more than most steps take on a clean document.
    """
    finalize = _finalize or _load_finalize()
    for step in steps:
        doc = step(doc)
    return finalize(doc)
