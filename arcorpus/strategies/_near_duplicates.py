"""Near-duplicate pairs of documents, with their true Jaccard similarity of word shingles."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from arcorpus.strategies._inject_content import _inject_name_variants
from arcorpus.strategies._model import (
    Injection,
    NearDuplicatePair,
    _count,
    _parse,
    _pick,
    _render,
    _Tok,
    _word_slots,
)
from arcorpus.strategies._noise import INJECTORS, _normalize_injectors
from arcorpus.strategies._text import documents, words
from arcorpus.text.fold import fold


def _shingles(text: str, n: int) -> frozenset[tuple[str, ...]]:
    toks = re.findall(r"\w+", fold(text))
    if len(toks) < n:
        return frozenset({tuple(toks)}) if toks else frozenset()
    return frozenset(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def jaccard(a: str, b: str, *, ngram: int = 5) -> float:
    """Jaccard similarity of the word ``ngram``-shingle sets of ``arcorpus.fold(a)`` and ``fold(b)``."""
    sa, sb = _shingles(a, ngram), _shingles(b, ngram)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


_HAMZA_DROP = str.maketrans(
    {
        "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}": "\N{ARABIC LETTER ALEF}",
    }
)


def _respell(word: str, how: str) -> str:
    if how == "hamza":
        return word.translate(_HAMZA_DROP)
    if how == "teh_marbuta" and word.endswith("\N{ARABIC LETTER TEH MARBUTA}"):
        return word[:-1] + "\N{ARABIC LETTER HEH}"
    if how == "alef_maqsura" and word.endswith("\N{ARABIC LETTER ALEF MAKSURA}"):
        return word[:-1] + "\N{ARABIC LETTER YEH}"
    return word


@st.composite
def near_duplicates(
    draw: st.DrawFn,
    *,
    text: st.SearchStrategy[str] | None = None,
    max_edit_fraction: float = 0.1,
    spelling: bool = True,
    noise: Sequence[str] | Mapping[str, Mapping[str, Any]] = (
        "boilerplate",
        "name_variants",
        "invisible",
        "tatweel",
    ),
    ngram: int = 5,
) -> NearDuplicatePair:
    """A document and a copy of it: up to ``max_edit_fraction`` of its words substituted, deleted or
    inserted; with ``spelling``, some words respelled the way different sites write them (hamza dropped
    from alef, final teh marbuta as heh, final alef maqsura as yeh: all invisible to search folding); then
    noise from the named injectors (which a cleaner removes). See `NearDuplicatePair` for what is measured.

    The default text has at least 3 paragraphs so that word 5-gram shingles are meaningful.
    """
    if not 0.0 <= max_edit_fraction <= 1.0:
        raise ValueError("max_edit_fraction must be in [0, 1]")
    chosen = _normalize_injectors(noise)
    lines = _parse(draw(text if text is not None else documents(min_paragraphs=3, max_paragraphs=4)))
    if "name_variants" in chosen and draw(st.booleans()):
        # Both documents mention the entities: the original in canonical spelling, the copy in a variant.
        _inject_name_variants(draw, lines, **chosen.pop("name_variants"))
    else:
        chosen.pop("name_variants", None)
    original = "\n".join(ln.clean_text() for ln in lines)
    word_slots = [(ln, i) for ln in lines for i, t in enumerate(ln.toks) if t.kind == "word"]
    n_words = len(word_slots)
    edits: list[Injection] = []
    budget = int(max_edit_fraction * n_words)
    for ln, i in reversed(_pick(draw, word_slots, _count(draw, 0, budget)) if budget else []):
        op = draw(st.sampled_from(("substitute", "delete", "insert")))
        tok = ln.toks[i]
        line_no = next(k for k, other in enumerate(lines) if other is ln)
        if op == "substitute":
            new = draw(words())
            edits.append(Injection("word_edit", op, tok.clean, new, line_no))
            tok.clean = tok.noisy = new
        elif op == "insert":
            new = draw(words())
            ln.toks[i:i] = [_Tok(new, new, "word"), _Tok(" ", " ", "space")]
            edits.append(Injection("word_edit", op, "", new, line_no))
        elif i + 1 < len(ln.toks) and ln.toks[i + 1].kind == "space":
            del ln.toks[i : i + 2]
            edits.append(Injection("word_edit", op, tok.clean, "", line_no))
        else:
            new = draw(words())
            edits.append(Injection("word_edit", "substitute", tok.clean, new, line_no))
            tok.clean = tok.noisy = new
    if spelling:
        slots = _word_slots(
            lines,
            lambda t: any(_respell(t.clean, h) != t.clean for h in ("hamza", "teh_marbuta", "alef_maqsura")),
        )
        for ln, tok in _pick(draw, slots, _count(draw, 0, 6)):
            hows = [
                h for h in ("hamza", "teh_marbuta", "alef_maqsura") if _respell(tok.clean, h) != tok.clean
            ]
            how = draw(st.sampled_from(hows))
            tok.clean = tok.noisy = _respell(tok.clean, how)
            ln.note("spelling", how, "", tok.clean)
    for name, options in chosen.items():
        if draw(st.booleans()):
            INJECTORS[name](draw, lines, **options)
    rendered = _render(lines)
    return NearDuplicatePair(
        original=original,
        copy=rendered.noisy,
        copy_reference=rendered.clean_reference,
        word_edits=tuple(edits),
        noise=rendered.injections,
        word_edit_fraction=len(edits) / max(1, n_words),
        jaccard=jaccard(original, rendered.clean_reference, ngram=ngram),
    )
