"""The output contract every cleaned text meets, whatever steps ran: valid Unicode, in NFC.

`finalize` runs after the last step (from `arcorpus.steps.apply_steps`, so `clean`, `clean_document`,
the CLI and `explain` all get it). It

- replaces lone UTF-16 surrogates (which a Python ``str`` may hold but no UTF-8 encoder can write) by
  U+FFFD, recorded as rule ``output.lone_surrogate``;
- breaks runs of more than 30 combining marks ("Zalgo" storms) with U+034F COMBINING GRAPHEME JOINER, as
  Unicode's Stream-Safe Text Format (UAX #15) prescribes, recorded as ``output.stream_safe``: nothing is
  removed, and normalisation (whose mark reordering is quadratic in the run length) stays linear;
- normalises to NFC, recorded as rule ``output.nfc``. NFC is canonically equivalent (same rendering,
  same meaning): it composes alef + combining hamza/madda into one letter and puts stacked marks in
  canonical order. It is what ftfy and the W3C recommend for interchange, and it makes equal-looking
  texts equal strings for dedup and search.

Clean text pays two C-speed scans (``isascii`` or ``is_normalized`` and one regex search).
This module deliberately does not remove or fold anything else: that is the steps' job, with their rules.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from arcorpus.document import Change, Document

STEP = "output"
_SURROGATE = re.compile("[\ud800-\udfff]")
_CGJ = "\u034f"
_MAX_NON_STARTERS = 30
_STORM = regex.compile(r"\P{ccc=0}{" + str(_MAX_NON_STARTERS + 1) + ",}")


def _stream_safe(match: regex.Match[str]) -> str:
    run = match.group()
    return _CGJ.join(run[i : i + _MAX_NON_STARTERS] for i in range(0, len(run), _MAX_NON_STARTERS))


def finalize_text(text: str) -> tuple[str, list[Change]]:
    """``text`` meeting the output contract, and the changes that took."""
    if text.isascii():
        return text, []
    changes: list[Change] = []
    if _SURROGATE.search(text):
        text, n = _SURROGATE.subn("\ufffd", text)
        changes.append(Change(STEP, "output.lone_surrogate", "rewrite", after="\ufffd", count=n))
    if not unicodedata.is_normalized("NFC", text):
        if _STORM.search(text):
            text, n = _STORM.subn(_stream_safe, text)
            changes.append(Change(STEP, "output.stream_safe", "rewrite", after=_CGJ, count=n))
        text = unicodedata.normalize("NFC", text)
        changes.append(Change(STEP, "output.nfc", "rewrite"))
    return text, changes


def finalize(doc: Document) -> Document:
    text, changes = finalize_text(doc.text)
    return doc.evolve(text=text, changes=changes) if changes else doc
