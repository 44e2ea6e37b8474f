"""Rendering a document's changes for a person: removed lines, rewritten spans, metadata moves.

A `Change` records its line as an index into the text *as its step received it*: after a step removed
lines, the later steps count differently. `trace` replays the steps one by one and maps every step's
line indexes back to the **1-based line of the input** (a line a step created, if any, is shown as
``new line after input line N``), which is what `render_document` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from arcorpus.document import Change, Document, id_text

_SYMBOL = {"remove_line": "-", "remove_span": "-", "to_metadata": ">", "rewrite": "~", "note": "#"}
_WHOLE_LINE = ("remove_line", "to_metadata")

Origins = list[int | None]
"""For each line of a text: its 1-based line in the input, or None for a line a step created."""


def render_changes(changes: Iterable[Change], where: Sequence[str] | None = None) -> str:
    """The changes, grouped by step. ``where`` gives each change's location label (see `trace`); without
    it, the change's own line index is shown (0-based, in the text as its step received it)."""
    out: list[str] = []
    step = None
    for k, change in enumerate(changes):
        if change.step != step:
            step = change.step
            out.append(f"[{step}]")
        if where is not None:
            place = where[k]
        else:
            place = f"line {change.line}" if change.line >= 0 else "document"
        if change.start >= 0:
            place += f" [{change.start}:{change.end}]"
        head = f"  {_SYMBOL.get(change.action, '?')} {change.rule} ({change.action}, {place}"
        head += f", x{change.count})" if change.count != 1 else ")"
        out.append(head)
        if change.action == "rewrite" and (change.before or change.after):
            out.append(f"      before: {change.before}")
            out.append(f"      after:  {change.after}")
        elif change.action == "to_metadata":
            out.append(f"      {change.field} <- {change.before}")
        elif change.before:
            out.append(f"      {change.before}")
    return "\n".join(out) if out else "  (no changes)"


def render_document(original: Document, cleaned: Document, where: Sequence[str] | None = None) -> str:
    """Header, the changes step by step (located by ``where``, see `trace`), then the metadata fields
    steps added."""
    parts = [
        f"document {id_text(cleaned.id)}: {len(original.text)} -> {len(cleaned.text)} characters, "
        f"{len(cleaned.changes)} change(s)"
    ]
    parts.append(render_changes(cleaned.changes, where))
    added = {k: v for k, v in cleaned.added.items() if original.added.get(k) != v}
    if added:
        parts.append("metadata:")
        parts.extend(f"  {k}: {v}" for k, v in added.items())
    return "\n".join(parts)


def trace(doc: Document, steps: Iterable[object]) -> tuple[Document, list[str]]:
    """Apply ``steps`` (then the output contract) like `arcorpus.steps.apply_steps`, one at a time, and
    label each change of the result with its place in the **input**: ``line N`` (1-based), ``document``,
    or ``new line after input line N`` for a line that a step created."""
    from arcorpus.text.guard import finalize

    origins: Origins = list(range(1, doc.text.count("\n") + 2))
    where: list[str] = []
    current = doc
    for step in [*steps, finalize]:
        new = step(current)  # type: ignore[operator]
        added = new.changes[len(current.changes) :]
        where.extend(_label(c, origins) for c in added)
        if new.text != current.text:
            origins = _remap(origins, current.text, new.text, added)
        current = new
    return current, where


def _label(change: Change, origins: Origins) -> str:
    if change.line < 0 or change.line >= len(origins):
        return "document" if change.line < 0 else f"line {change.line} of the step's input"
    origin = origins[change.line]
    last = change.line + change.count - 1
    if origin is not None and change.action in _WHOLE_LINE and change.count > 1 and last < len(origins):
        return f"lines {origin}-{origins[last]}"  # a compacted run of identical lines
    if origin is not None:
        return f"line {origin}"
    before = next((o for o in reversed(origins[: change.line]) if o is not None), 0)
    return f"new line after input line {before}"


def _remap(origins: Origins, old: str, new: str, changes: Sequence[Change]) -> Origins:
    """The origins of ``new``'s lines, given those of ``old``'s (the text before the step)."""
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    if len(old_lines) == len(new_lines):
        return origins  # lines rewritten in place (every step but the line removers)
    gone: set[int] = set()
    for c in changes:
        if c.action in _WHOLE_LINE and 0 <= c.line < len(old_lines):
            gone.update(range(c.line, c.line + max(1, c.count)))  # a compacted run: count lines
    if len(old_lines) - len(gone) == len(new_lines):
        return [o for i, o in enumerate(origins) if i not in gone]
    greedy = _greedy(old_lines, new_lines, origins)
    if greedy is not None:
        return greedy
    # lines created, or removed and rewritten at once: align the line lists (small texts only)
    out: Origins = [None] * len(new_lines)
    if len(old_lines) + len(new_lines) <= _ALIGN_MAX:
        matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            out[b : b + size] = origins[a : a + size]
    return out


_ALIGN_MAX = 10_000
"""`SequenceMatcher` is only used on texts up to this many lines (it is not linear)."""


def _greedy(old_lines: Sequence[str], new_lines: Sequence[str], origins: Origins) -> Origins | None:
    """Map each new line to the next old line equal to it (or to it stripped): the case of a step that
    removes lines without a change per line (``whitespace.empty_lines``). None when some line is left."""
    out: Origins = []
    i = 0
    for line in new_lines:
        while i < len(old_lines) and old_lines[i] != line and old_lines[i].strip() != line:
            i += 1
        if i == len(old_lines):
            return None
        out.append(origins[i])
        i += 1
    return out
