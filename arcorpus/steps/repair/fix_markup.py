"""``fix_markup``: HTML entities and stray tags left by text extraction.

Rules:
- ``fix_markup.tag``: an HTML tag of a known element (``<p>``, ``</span>``, ``<br/>``, ``<a href=...>``) or
  an HTML comment is removed; a block-level tag between two non-space characters becomes one space so the
  words on each side stay apart. Text that only looks like a tag (``a<b`` in a formula, ``<3``) is left alone.
- ``fix_markup.entity``: named and numeric character references (``&quot;``, ``&#39;``, ``&nbsp;``) are
  decoded, repeatedly for double-escaped text (``&amp;quot;``) so the step is idempotent. A reference that
  decodes to a line break becomes a space: this step never adds or removes a newline. Unknown names
  (``&S239;``) are left alone.

Tags are removed before entities are decoded, so an escaped tag (``&lt;b&gt;``) becomes visible text, not
markup. The step deliberately does not remove scripts' or styles' contents (boilerplate rules do that).
"""

from __future__ import annotations

import html
import re

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document
from arcorpus.steps import Models
from arcorpus.text.edits import rewrite_lines

NAME = "fix_markup"
BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header "
    "hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code del dfn em font i img ins kbd mark q s samp small span strike strong sub "
    "sup time u var wbr iframe script style noscript meta link source video audio picture".split()
)
_TAG = re.compile(
    r"<!--.*?-->|</?(" + "|".join(sorted(BLOCK_TAGS | INLINE_TAGS, key=len, reverse=True)) + r")\b[^<>]*/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_BREAKS = {ord("\n"): " ", ord("\r"): " ", 0x2028: " ", 0x2029: " "}


def _tags(line: str) -> tuple[str, int]:
    n = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal n
        n += 1
        name = (m.group(1) or "").lower()
        s, e = m.span()
        if (
            name in BLOCK_TAGS
            and 0 < s
            and e < len(line)
            and not line[s - 1].isspace()
            and not line[e].isspace()
        ):
            return " "
        return ""

    return _TAG.sub(repl, line), n


def _decode(m: re.Match[str]) -> str:
    return html.unescape(m.group()).translate(_LINE_BREAKS)


def _entities(line: str) -> tuple[str, int]:
    total = 0
    while True:
        new, n = _ENTITY.subn(_decode, line)
        if new == line:
            return line, total
        total += n
        line = new


class FixMarkup:
    name = NAME

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        changes: list[Change] = []
        new = text
        if "<" in new and _TAG.search(new):
            new, _ = rewrite_lines(new, NAME, "fix_markup.tag", _tags, _TAG.search, "rewrite", changes)
        if "&" in new and _ENTITY.search(new):
            new, _ = rewrite_lines(
                new, NAME, "fix_markup.entity", _entities, _ENTITY.search, "rewrite", changes
            )
        if not changes:
            return doc
        return doc.evolve(text=new, changes=changes)


def build(config: CleanConfig, models: Models) -> FixMarkup | None:
    return FixMarkup() if config.fix_markup else None
