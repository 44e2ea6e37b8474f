"""Where one input item ended: the data model of a run, beside `arcorpus.document`.

An *item* is what a reader yields for one input record: a `Document`, or a `Reject` when the record could
not become one. An `Outcome` is where the item ended after the whole run: ``kept``, ``duplicate`` (the
document carries ``duplicate_of``) or ``rejected``. Every input item becomes exactly one outcome; they are
built in one place only, `arcorpus.run.plan.Plan.outcomes`, whichever engine runs the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from arcorpus.document import Document, Reject

Item = Document | Reject


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one input item ended: ``kept`` (document), ``duplicate`` (with duplicate_of) or ``rejected``."""

    kind: Literal["kept", "duplicate", "rejected"]
    document: Document | None = None
    reject: Reject | None = None
