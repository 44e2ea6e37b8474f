"""Spacing and spelling-level injectors: glued words, spacing, look-alike letters, tatweel, presentation
forms, invisible characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

from hypothesis import strategies as st

from arcorpus.strategies import _tables as T
from arcorpus.strategies._model import _ARABIC_LETTER, _content, _count, _Line, _pick, _Tok, _word_slots

_FINAL_ONLY = frozenset("\N{ARABIC LETTER TEH MARBUTA}\N{ARABIC LETTER ALEF MAKSURA}")


def _inject_glued_words(draw: st.DrawFn, lines: list[_Line], *, max_joins: int = 3) -> None:
    """Drop the space after a word ending in teh marbuta or alef maqsura before a word of at least four
    letters (issue 3's "al-akhira|ila" example): the boundaries orthography proves. Deliberately never
    before a shorter word, which could be a suffix (-hum, -tum, -kuma...) glued to a misspelled ending,
    nor at any other boundary."""
    slots = []
    for line in _content(lines):
        toks = line.toks
        for i in range(1, len(toks) - 1):
            prev, space, nxt = toks[i - 1], toks[i], toks[i + 1]
            if (
                space.kind == "space"
                and space.noisy == " "
                and prev.wordlike
                and prev.clean[-1:] in _FINAL_ONLY
                and nxt.wordlike
                and sum(c in _ARABIC_LETTER for c in nxt.clean) >= 4
                and nxt.clean[:1] in _ARABIC_LETTER
            ):
                slots.append((line, i))
    for line, i in _pick(draw, slots, _count(draw, 1, max_joins)):
        line.toks[i].noisy = ""
        prev, nxt = line.toks[i - 1], line.toks[i + 1]
        detail = unicodedata.name(prev.clean[-1]).lower().replace("arabic letter ", "").replace(" ", "_")
        line.note("glued_words", detail, prev.clean + " " + nxt.clean, prev.noisy + nxt.noisy)


SPACING_KINDS: tuple[str, ...] = (
    "nbsp",
    "unicode_space",
    "run",
    "edges",
    "before_punct",
    "after_punct",
    "blank_lines",
)
"""What `inject_spacing` can do: NBSP for a space, another Unicode space, a run of spaces, spaces at a
line's ends, a space before an Arabic comma/semicolon/question mark or . : !, no space after one of them
(before a letter), blank lines between lines."""


def _inject_spacing(
    draw: st.DrawFn, lines: list[_Line], *, kinds: Sequence[str] = SPACING_KINDS, max_edits: int = 4
) -> None:
    unknown = set(kinds) - set(SPACING_KINDS)
    if unknown:
        raise ValueError(f"unknown spacing kinds: {sorted(unknown)}")
    for _ in range(_count(draw, 1, max_edits)):
        kind = draw(st.sampled_from(tuple(kinds)))
        content = _content(lines)
        if kind == "blank_lines" or not content:
            at = draw(st.integers(1, max(1, len(lines))))
            blank = draw(st.sampled_from(("", " ", "\N{NO-BREAK SPACE}", "  ")))
            line = _Line([_Tok("", blank, "line")], in_reference=False, role="blank")
            line.note("spacing", "blank_lines", "", blank)
            lines.insert(at, line)
            continue
        if kind == "before_punct":
            slots = [
                (ln, i)
                for ln in content
                for i, t in enumerate(ln.toks)
                if t.kind == "punct"
                and t.noisy == t.clean
                and i > 0
                and ln.toks[i - 1].clean[-1:] in _ARABIC_LETTER
            ]
            for ln, i in _pick(draw, slots, 1):
                ln.toks[i].noisy = " " + ln.toks[i].noisy
                ln.note("spacing", "before_punct", ln.toks[i].clean, ln.toks[i].noisy)
            if slots:
                continue
        elif kind == "after_punct":
            slots = [
                (ln, i)
                for ln in content
                for i in range(1, len(ln.toks) - 1)
                if ln.toks[i].kind == "space"
                and ln.toks[i].noisy == " "
                and ln.toks[i - 1].kind == "punct"
                and ln.toks[i + 1].clean[:1] in _ARABIC_LETTER
            ]
            for ln, i in _pick(draw, slots, 1):
                ln.toks[i].noisy = ""
                mark, word = ln.toks[i - 1].clean, ln.toks[i + 1].clean
                ln.note("spacing", "after_punct", f"{mark} {word}", f"{mark}{word}")
            if slots:
                continue
        elif kind != "edges":
            spaces = [(ln, t) for ln in content for t in ln.toks if t.kind == "space" and t.noisy == " "]
            for ln, t in _pick(draw, spaces, 1):
                if kind == "nbsp":
                    t.noisy = "\N{NO-BREAK SPACE}"
                elif kind == "unicode_space":
                    t.noisy = draw(st.sampled_from(T.UNICODE_SPACES))
                else:
                    t.noisy = " " * draw(st.integers(2, 4))
                ln.note("spacing", kind, " ", t.noisy)
            if spaces:
                continue
        # "edges", and the fallback when the text has no place for the chosen kind.
        line = draw(st.sampled_from(content))
        pad = draw(st.sampled_from((" ", "  ", "\N{NO-BREAK SPACE}", "\t")))
        if draw(st.booleans()):
            line.lead += pad
        else:
            line.trail += pad
        line.note("spacing", "edges", "", pad)


def _inject_lookalikes(draw: st.DrawFn, lines: list[_Line], *, max_words: int = 3) -> None:
    """Type some words as a Persian/Urdu keyboard does: keheh for kaf, farsi yeh for a non-final yeh,
    Persian digits for Arabic-Indic ones. A final yeh is deliberately left alone (a final farsi yeh may
    stand for yeh or alef maqsura)."""
    indic = dict(zip(T.DIGITS["arabic_indic"], T.DIGITS["persian"], strict=True))

    def persianize(word: str) -> str:
        out = []
        for i, ch in enumerate(word):
            if ch == "\N{ARABIC LETTER KAF}":
                ch = T.PERSIAN_LOOKALIKES[ch]
            elif ch == "\N{ARABIC LETTER YEH}" and i + 1 < len(word) and word[i + 1] in _ARABIC_LETTER:
                ch = T.PERSIAN_LOOKALIKES[ch]
            out.append(indic.get(ch, ch))
        return "".join(out)

    slots = _word_slots(lines, lambda t: persianize(t.noisy) != t.noisy)
    for line, tok in _pick(draw, slots, _count(draw, 1, max_words)):
        before = tok.noisy
        tok.noisy = persianize(tok.noisy)
        line.note("lookalikes", "persian_keyboard", before, tok.noisy)


def _tatweel_slots(word: str) -> list[int]:
    """Positions after a dual-joining letter that an Arabic letter (not hamza) directly follows."""
    return [
        i + 1
        for i in range(len(word) - 1)
        if word[i] in T.DUAL_JOINING
        and word[i + 1] in _ARABIC_LETTER
        and word[i + 1] != "\N{ARABIC LETTER HAMZA}"
    ]


def _inject_tatweel(draw: st.DrawFn, lines: list[_Line], *, max_words: int = 3, max_run: int = 3) -> None:
    """Elongate some words with tatweel between two joined letters (kaf-tatweel-taa-alef-beh)."""
    slots = _word_slots(lines, lambda t: bool(_tatweel_slots(t.noisy)))
    for line, tok in _pick(draw, slots, _count(draw, 1, max_words)):
        places = _tatweel_slots(tok.noisy)
        at = places[draw(st.integers(0, len(places) - 1))]
        before = tok.noisy
        tok.noisy = before[:at] + T.TATWEEL * draw(st.integers(1, max_run)) + before[at:]
        line.note("tatweel", "", before, tok.noisy)


_ALEFS = frozenset(
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}"
    "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}\N{ARABIC LETTER ALEF WITH MADDA ABOVE}"
)
_RIGHT_JOINING = frozenset(
    b for b, form in T.PRESENTATION_FORMS if form in ("final", "medial") and len(b) == 1
)


def shape(word: str) -> str:
    """``word`` written with Arabic presentation forms, as PDF extraction and old systems produce it.

    Each letter takes its isolated/initial/medial/final form from its neighbours (diacritics are
    transparent, tatweel joins), lam + alef becomes the lam-alef ligature. Characters without a
    presentation form stay as they are. Deliberately no word ligatures (U+FDFA, U+FDF2): those are not damage.
    """
    chars = list(word)
    marks = {i for i, ch in enumerate(chars) if unicodedata.combining(ch)}

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < len(chars) and j in marks:
            j += step
        return chars[j] if 0 <= j < len(chars) else ""

    out: list[str] = []
    skip = -1
    for i, ch in enumerate(chars):
        if i == skip:
            continue
        if i in marks or ch not in _ARABIC_LETTER:
            out.append(ch)
            continue
        prev = neighbour(i, -1)
        joins_prev = (prev in T.DUAL_JOINING or prev == T.TATWEEL) and ch in _RIGHT_JOINING
        nxt = neighbour(i, 1)
        if ch == "\N{ARABIC LETTER LAM}" and i + 1 < len(chars) and chars[i + 1] in _ALEFS:
            lig = T.PRESENTATION_FORMS.get((ch + chars[i + 1], "final" if joins_prev else "isolated"))
            if lig:
                out.append(lig)
                skip = i + 1
                continue
        joins_next = ch in T.DUAL_JOINING and (nxt in _RIGHT_JOINING or nxt == T.TATWEEL)
        form = {(True, True): "medial", (True, False): "final", (False, True): "initial"}.get(
            (joins_prev, joins_next), "isolated"
        )
        out.append(T.PRESENTATION_FORMS.get((ch, form)) or T.PRESENTATION_FORMS.get((ch, "isolated")) or ch)
    return "".join(out)


def _inject_presentation_forms(
    draw: st.DrawFn,
    lines: list[_Line],
    *,
    scope: Sequence[Literal["words", "lines"]] = ("words", "lines"),
    max_words: int = 4,
) -> None:
    """Write some words, or every word of some lines, in presentation forms (see `shape`)."""
    slots = _word_slots(lines, lambda t: shape(t.noisy) != t.noisy)
    if not slots:
        return
    if draw(st.sampled_from(tuple(scope))) == "lines":
        chosen_lines = {id(ln) for ln, _ in _pick(draw, slots, 1)}
        picked = [(ln, t) for ln, t in slots if id(ln) in chosen_lines]
    else:
        picked = _pick(draw, slots, _count(draw, 1, max_words))
    for line, tok in picked:
        before = tok.noisy
        tok.noisy = shape(before)
        line.note("presentation_forms", "", before, tok.noisy)


def _inject_invisible(
    draw: st.DrawFn, lines: list[_Line], *, min_chars: int = 1, max_chars: int = 4, controls: bool = False
) -> None:
    """Insert zero-width characters, bidi controls, BOM or soft hyphens inside or between words (and, with
    ``controls``, C0 control characters)."""
    pool = T.INVISIBLES + (T.CONTROLS if controls else ())
    content = _content(lines)
    if not content:
        return
    for _ in range(_count(draw, min_chars, max_chars)):
        char = draw(st.sampled_from(pool))
        line = draw(st.sampled_from(content))
        tok = draw(st.sampled_from([t for t in line.toks if t.kind != "line"] or line.toks))
        before = tok.noisy
        at = draw(st.integers(0, len(before)))
        tok.noisy = before[:at] + char + before[at:]
        line.note("invisible", unicodedata.name(char, f"U+{ord(char):04X}"), before, tok.noisy)
