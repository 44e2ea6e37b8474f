"""``remove_invisible``: delete zero-width/format characters and control characters.

Rules:
- ``remove_invisible.format``: Unicode format characters (Cf): ZWSP, ZWNJ, ZWJ, LRM/RLM/ALM, bidi embeddings,
  overrides and isolates, BOM, soft hyphen, word joiner... They are removed, never turned into a space, so a
  word they sit in stays one word (camel-tools turns them into spaces and splits words). A ZWJ inside an
  emoji sequence is kept.
- ``remove_invisible.control``: C0/C1 control characters (NUL, SUB...) removed.
- ``remove_invisible.control_between_words``: a run of controls *between two non-space characters* stood for
  a lost separator (e.g. ``\\x1a\\x1a`` between sentences), so it becomes one space instead of gluing words.

Whitespace controls (tab, CR, VT, FF, NEL, U+2028/2029) are left to ``fix_spacing``; the visible Arabic number
signs (U+0600-U+0605, U+06DD) are not invisible and are kept. This step never touches newlines.
"""

from __future__ import annotations

import re
import unicodedata

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.chars import INVISIBLE, ZWJ, char_class
from arcorpus.text.edits import carry, inventory, joined, rewrite_lines

NAME = "remove_invisible"
CONTROLS = frozenset(c for c in INVISIBLE if unicodedata.category(c) == "Cc")
FORMAT = INVISIBLE - CONTROLS
_CTRL = char_class(CONTROLS)
_CTRL_BETWEEN = re.compile(rf"(?<=\S){_CTRL}+(?=\S)")
_CTRL_ANY = re.compile(rf"{_CTRL}+")
_CTRL_SEARCH = re.compile(_CTRL).search
# Format characters, except a ZWJ that joins emoji / pictographs (U+2600-U+27BF, U+1F000-U+1FAFF).
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff\ufe0f"
_FORMAT_RE = re.compile("(?:" + char_class(FORMAT - {ZWJ}) + f"|{ZWJ}(?![{_EMOJI}])|(?<![{_EMOJI}]){ZWJ})")
_FORMAT_SEARCH = re.compile(char_class(FORMAT)).search


def _fix_between(line: str) -> tuple[str, int]:
    return _CTRL_BETWEEN.subn(" ", line)


def _fix_controls(line: str) -> tuple[str, int]:
    new = _CTRL_ANY.sub("", line)
    return new, len(line) - len(new)


def _fix_format(line: str) -> tuple[str, int]:
    new = _FORMAT_RE.sub("", line)
    return new, len(line) - len(new)


class RemoveInvisible:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        found = inventory(doc)
        if found.isdisjoint(INVISIBLE):
            return doc
        changes: list[Change] = []
        new = text
        if not found.isdisjoint(CONTROLS):
            new, _ = rewrite_lines(
                new,
                NAME,
                "remove_invisible.control_between_words",
                _fix_between,
                _CTRL_SEARCH,
                "rewrite",
                changes,
            )
            new, _ = rewrite_lines(
                new,
                NAME,
                "remove_invisible.control",
                _fix_controls,
                _CTRL_SEARCH,
                "remove_span",
                changes,
                joined(_CTRL_ANY),
            )
        if not found.isdisjoint(FORMAT):
            new, _ = rewrite_lines(
                new,
                NAME,
                "remove_invisible.format",
                _fix_format,
                _FORMAT_SEARCH,
                "remove_span",
                changes,
                joined(_FORMAT_RE),
            )
        if not changes:
            return doc
        removed = found & INVISIBLE
        if ZWJ in removed and ZWJ in new:
            removed = removed - {ZWJ}
        out = doc.evolve(text=new, changes=changes)
        carry(doc, out, removed)
        return out


def build(config: CleanConfig, models: Models) -> RemoveInvisible | None:
    return RemoveInvisible() if config.remove_invisible else None
