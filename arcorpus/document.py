"""The data model: a `Document`, the `Change` records that explain it, and `Reject` for input that failed.

Documents are immutable. A step never edits a document in place; it returns a new one built with
`Document.evolve`, appending the `Change` records that say what it did. This keeps steps pure (the same
input always gives the same output) and lets `arcorpus explain` replay the history of any document.

This module deliberately knows nothing about steps, configuration or I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["remove_line", "remove_span", "rewrite", "to_metadata", "note"]
"""What a change did.

- ``remove_line``: a whole line left the text (``before`` is the line, ``after`` is empty).
- ``remove_span``: part of a line was removed (``before`` is the removed part).
- ``rewrite``: text was replaced (``before`` -> ``after``); ``count`` merges identical rewrites in a line.
- ``to_metadata``: a line (or span) left the text and went into metadata field ``field``.
- ``note``: nothing changed in the text; the step records a fact (e.g. the input encoding).
"""


@dataclass(frozen=True, slots=True, init=False)
class Change:
    """One recorded change: which step and rule did what, and where.

    ``line`` is the index of the affected line in the text *as that step received it* (``-1`` when the
    change concerns the whole document). ``start``/``end`` give the character span inside that line when
    the change is smaller than a line (``-1`` when not applicable).
    """

    step: str
    rule: str
    action: Action
    before: str = ""
    after: str = ""
    line: int = -1
    start: int = -1
    end: int = -1
    count: int = 1
    field: str | None = None

    def __init__(
        self,
        step: str,
        rule: str,
        action: Action,
        before: str = "",
        after: str = "",
        line: int = -1,
        start: int = -1,
        end: int = -1,
        count: int = 1,
        field: str | None = None,
    ) -> None:
        # The generated __init__ of a frozen dataclass calls ``object.__setattr__`` once per field, which
        # made building Changes a large share of the steps' time; the slots' own setters do the same work
        # in half the time. Same signature, defaults and result; nothing is validated either way.
        set_ = _CHANGE_SETTERS
        set_[0](self, step)
        set_[1](self, rule)
        set_[2](self, action)
        set_[3](self, before)
        set_[4](self, after)
        set_[5](self, line)
        set_[6](self, start)
        set_[7](self, end)
        set_[8](self, count)
        set_[9](self, field)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as a constructor call: several times faster than the dataclass default (getstate
        # builds a field list per object), and documents cross process boundaries and the spool
        return (
            Change,
            (
                self.step,
                self.rule,
                self.action,
                self.before,
                self.after,
                self.line,
                self.start,
                self.end,
                self.count,
                self.field,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """A compact JSON-ready dict: fields with their default value are left out."""
        out: dict[str, Any] = {"step": self.step, "rule": self.rule, "action": self.action}
        if self.line >= 0:
            out["line"] = self.line
        if self.start >= 0:
            out["start"] = self.start
            out["end"] = self.end
        if self.before:
            out["before"] = self.before
        if self.after:
            out["after"] = self.after
        if self.count != 1:
            out["count"] = self.count
        if self.field is not None:
            out["field"] = self.field
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        return cls(
            step=str(data["step"]),
            rule=str(data["rule"]),
            action=data["action"],
            before=str(data.get("before", "")),
            after=str(data.get("after", "")),
            line=int(data.get("line", -1)),
            start=int(data.get("start", -1)),
            end=int(data.get("end", -1)),
            count=int(data.get("count", 1)),
            field=data.get("field"),
        )


CHANGE_FIELDS = ("step", "rule", "action", "before", "after", "line", "start", "end", "count", "field")
"""The fields `Change.__init__` sets, in its parameter order (a test checks they are all the fields)."""
_CHANGE_SETTERS: tuple[Callable[[Change, Any], None], ...] = tuple(
    getattr(Change, name).__set__ for name in CHANGE_FIELDS
)
"""The slot setters of `Change` (they bypass the frozen ``__setattr__``, as the generated __init__ does)."""


DocId = str | int | float | bool
"""A document's id with its JSON type: ``1`` and ``"1"`` are different ids (`id_text` shows either)."""

ADDED_KEY = "arcorpus"
"""The one output field that holds what arcorpus adds to a record (an input record may not have it)."""


def id_text(doc_id: DocId | None) -> str:
    """An id as text for a person (a message): a string as is, a number or boolean as JSON writes it."""
    if isinstance(doc_id, str):
        return doc_id
    if isinstance(doc_id, bool):
        return "true" if doc_id else "false"
    return repr(doc_id) if isinstance(doc_id, (int, float)) else ""

MAX_LINES = 200_000
"""A document with more lines is rejected (``too_many_lines``) before any step runs: the steps work line
by line, so this bounds the time and memory one document can take (a 64 MB record of 16M one-letter
lines took 160 s and more than 8.4 GB). News articles have hundreds of lines."""
MAX_CHANGES = 1_000_000
"""A document whose steps record more changes (after `compact`) is rejected (``too_many_changes``)."""
COMPACT_FROM = 64
"""A step's changes are compacted (`compact`) when it records more than this many: documents with few
changes keep one Change per line, exactly as before."""
_WHOLE_LINE = ("remove_line", "to_metadata")


class LimitExceeded(ValueError):
    """A document beyond the bounds that keep a run's memory and time per document bounded.

    ``reason`` is the reject reason (``too_many_lines``, ``too_many_changes``): the pipeline and the
    CLI reject the document with it; `arcorpus.clean` and `arcorpus.clean_document` raise it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def too_many_lines(text: str) -> bool:
    """Whether ``text`` has more than `MAX_LINES` lines (free for texts shorter than that)."""
    return len(text) > MAX_LINES and text.count("\n") >= MAX_LINES


def check_size(text: str) -> None:
    """Raise `LimitExceeded` when ``text`` has more than `MAX_LINES` lines (free for shorter texts)."""
    if too_many_lines(text):
        raise LimitExceeded(
            "too_many_lines",
            f"more than {MAX_LINES:,} lines (the limit that bounds a document's time and memory)",
        )


def compact(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """Merge each run of identical whole-line changes (same step, rule, action, text and field) on
    consecutive lines into one Change whose ``count`` is the run's length: 10,000 repeated lines removed
    are one Change, not 10,000, and `Document.removed_lines` still lists every one of them."""
    out: list[Change] = []
    run = 0  # extra lines merged into out[-1]
    for change in changes:
        if out and change.action in _WHOLE_LINE and change.count == 1 and change.line >= 0:
            last = out[-1]
            if (
                change.line == last.line + last.count + run
                and last.action == change.action
                and last.rule == change.rule
                and last.before == change.before
                and last.step == change.step
                and last.field == change.field
                and last.after == change.after
                and last.start == change.start
            ):
                run += 1
                continue
        if run:
            out[-1] = _with_count(out[-1], out[-1].count + run)
            run = 0
        out.append(change)
    if run:
        out[-1] = _with_count(out[-1], out[-1].count + run)
    return tuple(out) if len(out) < len(changes) else changes


def _with_count(c: Change, count: int) -> Change:
    return Change(c.step, c.rule, c.action, c.before, c.after, c.line, c.start, c.end, count, c.field)


@dataclass(frozen=True, slots=True)
class Document:
    """A document flowing through the pipeline.

    ``id`` is the input's id with its JSON type (a string, number or boolean), or one arcorpus gives it
    (``FILE:LINE``, a ``.txt`` file's path). ``metadata`` holds every other field of the input record,
    exactly as read, never changed by a step; ``added`` holds what steps add (``title``, ``date``,
    ``byline``, ``source_credit``, ``entities``, ``encoding``, the dedup fields), written under the one
    output key ``"arcorpus"`` so that it can never overwrite an input field. Treat both as read-only:
    use `evolve` to add fields.
    """

    id: DocId
    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    origin: str = ""
    """Where the document came from (input file), for rejects and error messages; not written out."""
    origin_line: int = 0
    """1-based line of the record in ``origin`` (0 for a whole ``.txt`` file)."""
    added: Mapping[str, Any] = field(default_factory=dict)
    """The fields arcorpus added (see the class docstring); output as ``record["arcorpus"]``."""
    rare_chars: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)
    """Memo of `arcorpus.text.edits.inventory` (the rare characters of ``text``; ``None`` until a step
    asks). Derived from ``text`` alone: not compared, not shown, not written out, and not kept by
    `evolve` when the text changes (a step whose edit cannot add rare characters passes it on itself)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            Document,
            (self.id, self.text, self.metadata, self.changes, self.origin, self.origin_line, self.added),
        )

    def field(self, name: str) -> Any:
        """A field's value: what a step added, else the input record's (None when neither has it)."""
        value = self.added.get(name)
        return self.metadata.get(name) if value is None else value

    def evolve(
        self,
        text: str | None = None,
        changes: Iterable[Change] = (),
        metadata: Mapping[str, Any] | None = None,
    ) -> Document:
        """A copy with new text, more changes, and/or the fields ``metadata`` added (merged over the
        fields steps added before, into `added`: the input's own fields are never changed).

        Built with the constructor, not `dataclasses.replace` (which costs twice as much per call: every
        changing step calls this). It does not copy the changes or metadata it keeps: they are immutable.
        """
        new_added = self.added
        if metadata:
            merged = dict(self.added)
            merged.update(metadata)
            new_added = merged
        added = tuple(changes)
        if len(added) > COMPACT_FROM:
            added = compact(added)
        if added and len(self.changes) + len(added) > MAX_CHANGES:
            raise LimitExceeded(
                "too_many_changes",
                f"more than {MAX_CHANGES:,} recorded changes (the limit that bounds a document's memory)",
            )
        # every field, positionally (a test checks this call lists all of them)
        copy = type(self)(
            self.id,
            self.text if text is None else text,
            self.metadata,
            self.changes + added if added else self.changes,
            self.origin,
            self.origin_line,
            new_added,
        )
        if text is None and self.rare_chars is not None:
            set_rare_chars(copy, self.rare_chars)
        return copy

    def removed_lines(self) -> list[Change]:
        """Every change that took a line (or part of one) out of the text, in pipeline order.

        A whole-line change with ``count`` n > 1 stands for n identical lines ``line .. line + n - 1`` (in
        the text as its step received it), removed by the same rule (see `compact`)."""
        return [c for c in self.changes if c.action in ("remove_line", "remove_span", "to_metadata")]

    def to_record(
        self, *, explain: bool = False, text_field: str = "text", id_field: str = "id"
    ) -> dict[str, Any]:
        """The output JSON object: the input record as read, its text field holding the cleaned text, its id
        field the id (when the input had none, the one arcorpus gave), and under ``"arcorpus"`` what arcorpus
        added (+ ``changes`` when ``explain``). Field order: id, text, the input's other fields, arcorpus."""
        record: dict[str, Any] = {id_field: self.id, text_field: self.text}
        for key, value in self.metadata.items():
            if key not in record:
                record[key] = value
        if self.added or explain:
            extra = dict(self.added)
            if explain:
                extra["changes"] = [c.to_dict() for c in self.changes]
            record[ADDED_KEY] = extra
        return record


@dataclass(frozen=True, slots=True)
class Reject:
    """An input record that could not become a document, or a document dropped by a step.

    ``reason`` is a short machine-readable code (``invalid_utf8``, ``malformed_json``, ``missing_text``,
    ``empty_text``, ``binary_file``, ``empty_after_cleaning`` ...); ``message`` says it for a person.
    ``source`` and ``line`` locate the record in the input (``line`` is 1-based, ``0`` for a whole file).
    """

    reason: str
    message: str
    source: str
    line: int = 0
    id: DocId | None = None
    text: str | None = None
    changes: tuple[Change, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Reject, (self.reason, self.message, self.source, self.line, self.id, self.text, self.changes))

    @classmethod
    def of_document(cls, doc: Document, reason: str, message: str, changes: tuple[Change, ...]) -> Reject:
        """A document that was read but cannot be output: keeps its location, original text and changes."""
        return cls(
            reason,
            f"{id_text(doc.id)}: {message}",
            doc.origin,
            doc.origin_line,
            id=doc.id,
            text=doc.text,
            changes=changes,
        )

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "reason": self.reason,
            "message": self.message,
            "source": self.source,
            "line": self.line,
        }
        if self.id is not None:
            record["id"] = self.id
        if self.text is not None:
            record["text"] = self.text
        if self.changes:
            record["changes"] = [c.to_dict() for c in self.changes]
        return record


set_rare_chars: Callable[[Document, frozenset[str]], None] = Document.__dict__["rare_chars"].__set__
"""The one write into a frozen `Document`: its memo ``rare_chars`` (a function of the text, see
`arcorpus.text.edits.inventory`). It is the slot's own setter, which the frozen ``__setattr__`` does not
guard, called directly (as fast as the ``object.__setattr__`` a frozen dataclass's own ``__init__`` uses)."""
