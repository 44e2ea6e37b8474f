"""Shared machinery of the repair and orthography steps: a cached character inventory and compact Changes.

Speed: most documents need none of these steps. Instead of every step scanning the text with its own
character-class regex (each such scan costs more than all literal searches together), the first step that
needs it computes the set of *rare* characters of the text once (`inventory`); later steps test their own
characters against that small set. The inventory is memoized on the document, so a chain of steps that
leave the document unchanged scans it once. A step that changes the text may `carry` the inventory over
to its new document when its edit cannot add rare characters.

Changes: one `Change` per (rule, line) with ``count`` and the before/after of the affected span (widened to
whole words), never one per character. This module deliberately knows nothing about individual steps.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from arcorpus.document import Action, Change, Document, set_rare_chars
from arcorpus.text.chars import (
    ARABIC_LETTERS,
    INVISIBLE,
    PERSIAN_DIGITS,
    PHRASE_LIGATURES,
    PRESENTATION_FORMS,
    SPACES,
    char_class,
)

MOJIBAKE_GATE: frozenset[str] = frozenset(
    chr(cp) for cp in range(0x80, 0x250) if cp not in (0xA0, 0xAB, 0xBB, 0xD7)
) | frozenset("\u02c6\u02dc\u201a\u201e\u2020\u2021\u2030\u2039\u203a\u20ac\u2122")
"""Characters of which every mojibake span we repair contains at least one: Latin-1/Latin Extended letters
and symbols (UTF-8 read as cp1252/latin-1/cp1250/MacRoman; cp1256 read as latin-1) and cp1252 specials.
NBSP, guillemets and the multiplication sign are frequent in clean Arabic text and are left out."""

EXTENDED_ARABIC: frozenset[str] = frozenset(c for c in ARABIC_LETTERS if ord(c) > 0x0670) | frozenset(
    PERSIAN_DIGITS
)
"""Persian/Urdu letters and digits (and the rest of U+0671-U+06FF): what the look-alike step looks for."""

LATIN_LETTERS: frozenset[str] = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
"""ASCII letters: rare in Arabic text, and what ``split_glued.script`` needs (one is enough to look)."""

RARE_PUNCTUATION: frozenset[str] = frozenset(
    "\N{ARABIC SEMICOLON}\N{ARABIC QUESTION MARK}!\N{HORIZONTAL ELLIPSIS}"
)
"""Punctuation that `fix_spacing` checks the context of, except the frequent ``.`` ``:`` and Arabic comma."""

RARE: frozenset[str] = (
    INVISIBLE
    | SPACES
    | frozenset(PRESENTATION_FORMS)
    | PHRASE_LIGATURES
    | MOJIBAKE_GATE
    | EXTENDED_ARABIC
    | LATIN_LETTERS
    | RARE_PUNCTUATION
)
"""The characters `inventory` reports. Each set in it is one step's gate; a character no step asks about
is left out (every match costs, and a scan that finds nothing costs the same whatever the class)."""
_RARE_FINDALL = re.compile(char_class(RARE)).findall


def inventory(doc: Document) -> frozenset[str]:
    """The set of `RARE` characters in ``doc.text``: one regex scan, memoized on the document.

    The memo (``Document.rare_chars``) lives as long as the document: every step that gets the same
    document object (all the steps that leave it unchanged) reads it instead of scanning again, whatever
    the order in which documents and steps are run. Nothing else of the document is touched.
    """
    found = doc.rare_chars
    if found is None:
        found = frozenset(_RARE_FINDALL(doc.text))
        set_rare_chars(doc, found)
    return found


def carry(old: Document, new: Document, removed: Iterable[str] = ()) -> None:
    """Give ``new`` the inventory of ``old`` minus ``removed``, when ``old``'s is known.

    Only for edits that cannot introduce a `RARE` character (tatweel removal, spacing, tanween...).
    """
    found = old.rare_chars
    if found is not None and new is not old:
        set_rare_chars(new, found.difference(removed))


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    n = min(len(a), len(b)) - limit
    if n <= 0:
        return 0
    if a[len(a) - n :] == b[len(b) - n :]:
        return n
    lo, hi = 0, n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid
    return lo


def span_change(
    step: str,
    rule: str,
    line: int,
    old: str,
    new: str,
    count: int,
    action: Action = "rewrite",
    removed: str = "",
) -> Change:
    """One Change for a line rewritten from ``old`` to ``new``.

    ``before``/``after`` cover the changed region widened to whole space-separated words; ``start``/``end``
    locate it in ``old``. For ``remove_span`` changes ``before`` is the removed characters (``removed``).
    """
    p = _common_prefix(old, new)
    s = _common_suffix(old, new, p)
    start = old.rfind(" ", 0, p) + 1
    end_old = len(old) - s
    space = old.find(" ", end_old)
    widened = (len(old) if space < 0 else space) - end_old
    end_old += widened
    end_new = len(new) - s + widened
    if action == "remove_span":
        return Change(step, rule, action, before=removed, line=line, start=start, end=end_old, count=count)
    return Change(
        step,
        rule,
        action,
        before=old[start:end_old],
        after=new[start:end_new],
        line=line,
        start=start,
        end=end_old,
        count=count,
    )


LineFix = Callable[[str], tuple[str, int]]


def rewrite_lines(
    text: str,
    step: str,
    rule: str,
    fix: LineFix,
    trigger: Callable[[str], object] | None = None,
    action: Action = "rewrite",
    changes: list[Change] | None = None,
    removed_of: Callable[[str], str] | None = None,
) -> tuple[str, list[Change]]:
    """Apply ``fix`` (line -> (new line, count)) to every line where ``trigger`` is truthy.

    Returns the new text and the Changes (appended to ``changes`` when given). ``fix`` must not add or
    remove newlines: the number of lines is preserved. For ``remove_span`` rules ``removed_of(old line)``
    gives the removed characters (e.g. the joined matches of the rule's regex); without it, the changed
    region of the old line is recorded.
    """
    out = changes if changes is not None else []
    lines = text.split("\n")
    touched = False
    for i, line in enumerate(lines):
        if trigger is not None and not trigger(line):
            continue
        new, count = fix(line)
        if count and new != line:
            removed = ""
            if action == "remove_span":
                removed = removed_of(line) if removed_of is not None else _middle(line, new)
            out.append(span_change(step, rule, i, line, new, count, action, removed))
            lines[i] = new
            touched = True
    if not touched:
        return text, out
    return "\n".join(lines), out


def _middle(old: str, new: str) -> str:
    """The region of ``old`` that differs from ``new`` (common prefix and suffix cut off)."""
    p = _common_prefix(old, new)
    return old[p : len(old) - _common_suffix(old, new, p)]


def joined(pattern: re.Pattern[str]) -> Callable[[str], str]:
    """``removed_of`` for a rule that deletes the matches of ``pattern``."""
    findall = pattern.findall
    return lambda line: "".join(findall(line))


def diff_changes(
    old_text: str,
    new_text: str,
    step: str,
    rule: str,
    count_of: Callable[[str], int],
    changes: list[Change],
    action: Action = "rewrite",
    removed_of: Callable[[str], str] | None = None,
) -> str:
    """Record the Changes of a whole-text rewrite that kept every line in place; return ``new_text``.

    The cheap way for frequent rules: one regex pass over the whole text, then only the lines that differ
    are looked at (``count_of(old line)`` gives the count). For ``remove_span`` rules ``removed_of(old
    line)`` gives the removed characters; without it the rule must delete only spaces. Raises if the
    rewrite moved a newline.
    """
    if new_text == old_text:
        return old_text
    old_lines = old_text.split("\n")
    new_lines = new_text.split("\n")
    if len(old_lines) != len(new_lines):
        raise AssertionError(f"{rule} changed the number of lines")
    for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)):
        if a != b:
            removed = ""
            if action == "remove_span":
                # Without ``removed_of`` the rule deletes only spaces.
                removed = removed_of(a) if removed_of is not None else " " * (len(a) - len(b))
            changes.append(span_change(step, rule, i, a, b, count_of(a) or 1, action, removed))
    return new_text


Edit = tuple[int, int, str, str]
"""``(start, end, replacement, rule)``: replace ``text[start:end]`` (positions in the step's input text)."""
_START_END = itemgetter(0, 1)


def apply_edits(
    text: str,
    edits: list[Edit],
    step: str,
    changes: list[Change],
    removals: frozenset[str] = frozenset(),
) -> str:
    """Apply non-overlapping ``edits`` to ``text`` and record one Change per (rule, line).

    The fast path for frequent rules: no line splitting, no diffing: the lines and spans come from the edit
    positions. Rules in ``removals`` are recorded as ``remove_span`` (``before`` = the removed characters),
    the others as ``rewrite`` with the changed words before/after. Edits must not contain or remove a newline.
    """
    if not edits:
        return text
    if len(edits) > 1:
        edits.sort(key=_START_END)
    out: list[str] = []
    ends: list[int] = []
    cums: list[int] = []
    groups: dict[tuple[int, str], list[Any]] = {}
    pos = 0
    cum = 0
    line = 0
    line_pos = 0
    count = text.count
    for start, end, repl, rule in edits:
        if start < pos:
            continue  # overlapping edit: the first one wins
        out.append(text[pos:start])
        out.append(repl)
        if start > line_pos:
            line += count("\n", line_pos, start)
            line_pos = start
        cum += len(repl) - (end - start)
        ends.append(end)
        cums.append(cum)
        group = groups.get((line, rule))
        if group is None:
            groups[(line, rule)] = [start, end, 1, [text[start:end]]]
        else:
            group[1] = end
            group[2] += 1
            group[3].append(text[start:end])
        pos = end
    out.append(text[pos:])
    new = "".join(out)
    shifted = any(cums)

    def new_pos(p: int) -> int:
        i = bisect_right(ends, p)
        return p + (cums[i - 1] if i else 0)

    rfind = text.rfind
    find = text.find
    size = len(text)
    for (line_no, rule), (first, last, n, removed) in groups.items():
        line_start = rfind("\n", 0, first) + 1
        line_end = find("\n", last)
        if line_end < 0:
            line_end = size
        ws = rfind(" ", line_start, first) + 1 or line_start
        we = find(" ", last, line_end)
        if we < 0:
            we = line_end
        if rule in removals:
            before = "".join(removed)
            after = ""
            action: Action = "remove_span"
        else:
            before = text[ws:we]
            after = new[new_pos(ws) : new_pos(we)] if shifted else new[ws:we]
            action = "rewrite"
        changes.append(
            Change(step, rule, action, before, after, line_no, ws - line_start, we - line_start, n)
        )
    return new


def replace_literal(
    text: str, old: str, new: str, step: str, rule: str, changes: list[Change], removal: bool = False
) -> str:
    """``text.replace(old, new)`` with one Change per changed line (count, first..last occurrence widened to
    words). C-speed replace and ``str.find`` from one occurrence to the next: the cost is per occurrence,
    not per line, and the text is never split. ``old`` and ``new`` must not contain a newline (this does
    not check it).
    """
    replaced = text.replace(old, new)
    if replaced is text or replaced == text:
        return text
    size = len(old)
    find = text.find
    pos = find(old)
    line = text.count("\n", 0, pos)
    line_start = text.rfind("\n", 0, pos) + 1
    while pos >= 0:
        line_end = find("\n", pos)
        if line_end < 0:
            line_end = len(text)
        first = pos
        count = 0
        while 0 <= pos < line_end:
            count += 1
            pos = find(old, pos + size)
        # ``rfind`` as on the line: for a self-overlapping ``old`` the last match may overlap the one before
        last = text.rfind(old, first, line_end) + size
        ws = text.rfind(" ", line_start, first) + 1 or line_start
        we = find(" ", last, line_end)
        if we < 0:
            we = line_end
        if removal:
            changes.append(
                Change(
                    step,
                    rule,
                    "remove_span",
                    old * count,
                    "",
                    line,
                    ws - line_start,
                    we - line_start,
                    count,
                )
            )
        else:
            before = text[ws:we]
            changes.append(
                Change(
                    step,
                    rule,
                    "rewrite",
                    before,
                    before.replace(old, new),
                    line,
                    ws - line_start,
                    we - line_start,
                    count,
                )
            )
        if pos >= 0:
            line += text.count("\n", line_end, pos)
            line_start = text.rfind("\n", line_end, pos) + 1
    return replaced
