"""Rendering a document's changes for a person: removed lines, rewritten spans, metadata moves."""

from __future__ import annotations

from collections.abc import Iterable

from arcorpus.document import Change, Document

_SYMBOL = {"remove_line": "-", "remove_span": "-", "to_metadata": ">", "rewrite": "~", "note": "#"}


def render_changes(changes: Iterable[Change]) -> str:
    out: list[str] = []
    step = None
    for change in changes:
        if change.step != step:
            step = change.step
            out.append(f"[{step}]")
        where = f"line {change.line}" if change.line >= 0 else "document"
        if change.start >= 0:
            where += f" [{change.start}:{change.end}]"
        head = f"  {_SYMBOL.get(change.action, '?')} {change.rule} ({change.action}, {where}"
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


def render_document(original: Document, cleaned: Document) -> str:
    """Header, the changes step by step, then the metadata fields steps added."""
    parts = [f"document {cleaned.id}: {len(original.text)} -> {len(cleaned.text)} characters, "
             f"{len(cleaned.changes)} change(s)"]
    parts.append(render_changes(cleaned.changes))
    added = {k: v for k, v in cleaned.added.items() if original.added.get(k) != v}
    if added:
        parts.append("metadata:")
        parts.extend(f"  {k}: {v}" for k, v in added.items())
    return "\n".join(parts)
