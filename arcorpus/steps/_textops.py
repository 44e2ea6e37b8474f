"""Shared machinery of the repair and orthography steps: a cached character inventory and compact Changes.

Speed: most documents need none of these steps. Instead of every step scanning the text with its own
character-class regex (each such scan costs more than all literal searches together), the first step that
needs it computes the set of *rare* characters of the text once (`inventory`); later steps test their own
characters against that small set. The inventory is cached for the last text object seen, so a chain of
steps that leave the text unchanged scans it once. A step that changes the text may `carry` the inventory
over when its edit cannot add rare characters.

Changes: one `Change` per (rule, line) with ``count`` and the before/after of the affected span (widened to
whole words), never one per character. This module deliberately knows nothing about individual steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from arcorpus.chars import (
    ARABIC_INDIC_DIGITS,
    ARABIC_LETTERS,
    INVISIBLE,
    PERSIAN_DIGITS,
    PHRASE_LIGATURES,
    PRESENTATION_FORMS,
    SPACES,
    char_class,
)
from arcorpus.document import Action, Change

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

RARE: frozenset[str] = (
    INVISIBLE
    | SPACES
    | frozenset(PRESENTATION_FORMS)
    | PHRASE_LIGATURES
    | MOJIBAKE_GATE
    | EXTENDED_ARABIC
    | ARABIC_INDIC_DIGITS
)
_RARE_FINDALL = re.compile(char_class(RARE)).findall
_last: tuple[str, frozenset[str]] = ("", frozenset())


def inventory(text: str) -> frozenset[str]:
    """The set of `RARE` characters in ``text`` (one regex scan, cached for the last text object)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    found = frozenset(_RARE_FINDALL(text))
    _last = (text, found)
    return found


def carry(old: str, new: str, removed: Iterable[str] = ()) -> None:
    """Tell the cache that ``new`` has the inventory of ``old`` minus ``removed``.

    Only for edits that cannot introduce a `RARE` character (tatweel removal, spacing, tanween...).
    """
    global _last
    last = _last
    if last[0] is old and old is not new:
        _last = (new, last[1].difference(removed))


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
