"""The mojibake injector: lines encoded and decoded with the wrong codec (last, as real damage is)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from hypothesis import strategies as st

from arcorpus.strategies._model import ENCODINGS, _count, _Line, _pick


def _ARABIC_SCRIPT(c: str) -> bool:
    return "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"


def _inject_mojibake(
    draw: st.DrawFn,
    lines: list[_Line],
    *,
    encodings: Sequence[str] = ENCODINGS,
    scope: Sequence[Literal["line", "document"]] = ("line", "document"),
    max_lines: int = 2,
) -> None:
    """Misdecode some lines, or the whole document, in one of `ENCODINGS` (recorded when the document
    is rendered, with the line as it was before and after)."""
    unknown = set(encodings) - set(ENCODINGS)
    if unknown:
        raise ValueError(f"unknown mojibake encodings: {sorted(unknown)}")
    candidates = [ln for ln in lines if any(_ARABIC_SCRIPT(c) for c in ln.noisy_text())]
    if not candidates:
        return
    encoding = draw(st.sampled_from(tuple(encodings)))
    whole = draw(st.sampled_from(tuple(scope))) == "document"
    for line in candidates if whole else _pick(draw, candidates, _count(draw, 1, max_lines)):
        line.encoding = encoding
