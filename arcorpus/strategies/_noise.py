"""Noise injectors: clean text in, ``(noisy, clean_reference, injections)`` out.

This module holds the registry (`INJECTORS`, in the one order they compose the way real damage does:
content first, then spelling-level noise, then invisible characters, and mojibake last, because a wrong
decoding happens to the whole bytes of a line), the public ``inject_*`` strategies and `noisy_documents`.
The document model is `_model`; the injectors are `_inject_content` (names, repeated lines, boilerplate),
`_inject_spelling` (glued words, spacing, look-alikes, tatweel, presentation forms, invisible characters)
and `_inject_mojibake`; near-duplicate pairs are `_near_duplicates`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from hypothesis import strategies as st

from arcorpus.strategies._inject_content import (
    _inject_boilerplate,
    _inject_name_variants,
    _inject_repeated_lines,
)
from arcorpus.strategies._inject_mojibake import _inject_mojibake
from arcorpus.strategies._inject_spelling import (
    SPACING_KINDS,
    _inject_glued_words,
    _inject_invisible,
    _inject_lookalikes,
    _inject_presentation_forms,
    _inject_spacing,
    _inject_tatweel,
)
from arcorpus.strategies._model import ENCODINGS, NoisyDocument, _parse, _render
from arcorpus.strategies._text import documents

# --- the registry, public injectors and noisy documents ---------------------------------------------------

Injector = Callable[..., None]

INJECTORS: Mapping[str, Injector] = {
    "name_variants": _inject_name_variants,
    "repeated_lines": _inject_repeated_lines,
    "boilerplate": _inject_boilerplate,
    "glued_words": _inject_glued_words,
    "spacing": _inject_spacing,
    "lookalikes": _inject_lookalikes,
    "tatweel": _inject_tatweel,
    "presentation_forms": _inject_presentation_forms,
    "invisible": _inject_invisible,
    "mojibake": _inject_mojibake,
}
"""Every injector, in the order `noisy_documents` applies them (the order real damage happens in)."""

INJECTOR_NAMES: tuple[str, ...] = tuple(INJECTORS)


def _normalize_injectors(
    injectors: Sequence[str] | Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, Mapping[str, Any]]:
    if injectors is None:
        chosen: dict[str, Mapping[str, Any]] = {name: {} for name in INJECTORS}
    elif isinstance(injectors, Mapping):
        chosen = {name: dict(opts) for name, opts in injectors.items()}
    elif isinstance(injectors, str):
        raise TypeError("injectors must be a sequence or mapping of injector names, not a string")
    else:
        chosen = {name: {} for name in injectors}
    unknown = sorted(set(chosen) - set(INJECTORS))
    if unknown:
        raise ValueError(f"unknown injector(s) {unknown}; choose from {list(INJECTORS)}")
    return {name: chosen[name] for name in INJECTORS if name in chosen}


def _default_text() -> st.SearchStrategy[str]:
    return documents(min_paragraphs=1, max_paragraphs=3)


@st.composite
def noisy_documents(
    draw: st.DrawFn,
    *,
    text: st.SearchStrategy[str] | None = None,
    injectors: Sequence[str] | Mapping[str, Mapping[str, Any]] | None = None,
    min_injectors: int = 0,
) -> NoisyDocument:
    """A noisy document, its clean reference and the list of what was injected.

    Parameters
    ----------
    text
        Strategy for the clean text to damage; default `documents()`. Text you pass must be clean in the
        sense of arcorpus' standard profile (single spaces, no empty lines...).
    injectors
        Which injectors may run (default: all of `INJECTOR_NAMES`), as names or as a mapping from name to
        keyword options of that injector (``{"mojibake": {"encodings": ["utf8_as_cp1256"]}}``).
    min_injectors
        Each chosen injector runs or not, independently (so failures shrink to the one injector that
        matters); at least this many of them run.

    The reference is the clean text plus what injectors add as content (entity mentions in canonical
    spelling, a title and caption printed once). The property a correct cleaner satisfies:
    ``clean(noisy) == clean(clean_reference)``.
    """
    chosen = _normalize_injectors(injectors)
    lines = _parse(draw(text if text is not None else _default_text()))
    names = list(chosen)
    run = [name for name in names if draw(st.booleans())]
    if len(run) < min_injectors:
        extra = [n for n in names if n not in run]
        need = min(len(extra), min_injectors - len(run))
        idx = draw(st.lists(st.integers(0, len(extra) - 1), min_size=need, max_size=need, unique=True))
        run += [extra[i] for i in idx]
        run = [n for n in names if n in run]
    for name in run:
        INJECTORS[name](draw, lines, **chosen[name])
    return _render(lines)


def _single(
    name: str, text: st.SearchStrategy[str] | None, options: Mapping[str, Any]
) -> st.SearchStrategy[NoisyDocument]:
    @st.composite
    def strategy(draw: st.DrawFn) -> NoisyDocument:
        lines = _parse(draw(text if text is not None else _default_text()))
        INJECTORS[name](draw, lines, **options)
        return _render(lines)

    return strategy()


def inject_name_variants(
    text: st.SearchStrategy[str] | None = None,
    *,
    min_names: int = 1,
    max_names: int = 3,
    proclitics: bool = True,
) -> st.SearchStrategy[NoisyDocument]:
    """Entity mentions: canonical spelling in the reference, a variant (Pyongyang with jeem for ghain) in the
    noisy text, from the name gazetteer (``arcorpus/data/names.tsv``), optionally behind wa-/bi-/li-."""
    return _single(
        "name_variants", text, {"min_names": min_names, "max_names": max_names, "proclitics": proclitics}
    )


def inject_repeated_lines(
    text: st.SearchStrategy[str] | None = None,
    *,
    kinds: Sequence[Literal["title", "caption"]] = ("title", "caption"),
    max_copies: int = 2,
) -> st.SearchStrategy[NoisyDocument]:
    """A headline and/or photo caption printed once in the reference and several times in the noisy text."""
    return _single("repeated_lines", text, {"kinds": tuple(kinds), "max_copies": max_copies})


def inject_boilerplate(
    text: st.SearchStrategy[str] | None = None,
    *,
    min_lines: int = 1,
    max_lines: int = 3,
    decorate: bool = True,
) -> st.SearchStrategy[NoisyDocument]:
    """Whole boilerplate lines from arcorpus' catalogue (ads, menus, share prompts, wire end markers...),
    optionally framed by symbols."""
    return _single(
        "boilerplate", text, {"min_lines": min_lines, "max_lines": max_lines, "decorate": decorate}
    )


def inject_glued_words(
    text: st.SearchStrategy[str] | None = None, *, max_joins: int = 3
) -> st.SearchStrategy[NoisyDocument]:
    """Words glued after a final teh marbuta or alef maqsura. Makes no injection when the text has no
    such boundary."""
    return _single("glued_words", text, {"max_joins": max_joins})


def inject_spacing(
    text: st.SearchStrategy[str] | None = None, *, kinds: Sequence[str] = SPACING_KINDS, max_edits: int = 4
) -> st.SearchStrategy[NoisyDocument]:
    """NBSP and other Unicode spaces, runs of spaces, spaces at line ends, spaces before punctuation,
    missing spaces after it, blank lines (see `SPACING_KINDS`)."""
    return _single("spacing", text, {"kinds": tuple(kinds), "max_edits": max_edits})


def inject_lookalikes(
    text: st.SearchStrategy[str] | None = None, *, max_words: int = 3
) -> st.SearchStrategy[NoisyDocument]:
    """Persian-keyboard look-alike letters and digits (keheh, farsi yeh, Persian digits). Makes no injection
    when no word has a kaf, a non-final yeh or an Arabic-Indic digit."""
    return _single("lookalikes", text, {"max_words": max_words})


def inject_tatweel(
    text: st.SearchStrategy[str] | None = None, *, max_words: int = 3, max_run: int = 3
) -> st.SearchStrategy[NoisyDocument]:
    """Tatweel (kashida) elongation inside words."""
    return _single("tatweel", text, {"max_words": max_words, "max_run": max_run})


def inject_presentation_forms(
    text: st.SearchStrategy[str] | None = None,
    *,
    scope: Sequence[Literal["words", "lines"]] = ("words", "lines"),
    max_words: int = 4,
) -> st.SearchStrategy[NoisyDocument]:
    """Words (or whole lines) written in Arabic presentation forms (U+FB50..U+FEFF), lam-alef ligatures
    included."""
    return _single("presentation_forms", text, {"scope": tuple(scope), "max_words": max_words})


def inject_invisible(
    text: st.SearchStrategy[str] | None = None,
    *,
    min_chars: int = 1,
    max_chars: int = 4,
    controls: bool = False,
) -> st.SearchStrategy[NoisyDocument]:
    """Zero-width characters, bidi controls, BOM and soft hyphens (C0 controls with ``controls=True``)."""
    return _single("invisible", text, {"min_chars": min_chars, "max_chars": max_chars, "controls": controls})


def inject_mojibake(
    text: st.SearchStrategy[str] | None = None,
    *,
    encodings: Sequence[str] = ENCODINGS,
    scope: Sequence[Literal["line", "document"]] = ("line", "document"),
    max_lines: int = 2,
) -> st.SearchStrategy[NoisyDocument]:
    """Lines (or the whole document) decoded with the wrong encoding (see `ENCODINGS`)."""
    return _single(
        "mojibake", text, {"encodings": tuple(encodings), "scope": tuple(scope), "max_lines": max_lines}
    )
