"""One byte per character: the private charsets under which the Aho-Corasick automata scan text as bytes.

A byte automaton (`ahocorasick_rs.BytesAhoCorasick`) is several times faster than one over `str`, and with
one byte per character its offsets are character offsets. A charset keeps ASCII on its own bytes, puts
each character a caller needs on a free byte, and writes every other character as ``?`` (`UNKNOWN`):
callers that must tell a real ``?`` from an unknown character look at the text. The boilerplate gate
scanner (`arcorpus.steps.boilerplate.boilerplate.GateScanner`) and the names matcher
(`arcorpus.text.names.matcher`) build theirs here.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from typing import Any

UNKNOWN = 0x3F
"""``?``: what `encode` writes for a character outside the charset (and for a real ``?``)."""
HIGH_BYTES: tuple[int, ...] = tuple(range(0x80, 0x100))
"""The bytes that are not ASCII: free in every charset."""
_NOWHERE = "\ufffe"  # a noncharacter: no text holds it, so a byte mapped to it stands for nothing


def fits(chars: Iterable[str], free: Sequence[int] = HIGH_BYTES) -> bool:
    """Whether every character of ``chars`` (the non-ASCII ones a caller needs) can get a free byte."""
    needed = set(chars)
    return all(ord(ch) <= 0xFFFF for ch in needed) and len(needed) <= len(free)


def build(chars: Iterable[str], free: Sequence[int] = HIGH_BYTES) -> tuple[Any, tuple[str, ...]]:
    """The encoding map for `encode`, and the charset as a table (byte -> the character it stands for,
    ``\\ufffe`` for none): ASCII on its own bytes except the ``free`` ones, ``chars`` on the ``free`` bytes in
    order (as many as there are; check `fits` first)."""
    table = [chr(b) for b in range(0x80)] + [_NOWHERE] * (0x100 - 0x80)
    for b in free:
        table[b] = _NOWHERE
    for b, ch in zip(free, dict.fromkeys(chars), strict=False):
        table[b] = ch
    return codecs.charmap_build("".join(table)), tuple(table)


def encode(text: str, encoding_map: Any) -> bytes:
    """``text`` with each character as one byte (`UNKNOWN` for characters outside the charset)."""
    return codecs.charmap_encode(text, "replace", encoding_map)[0]
