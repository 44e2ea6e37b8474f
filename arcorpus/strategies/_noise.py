"""Noise injectors: clean text in, ``(noisy, clean_reference, injections)`` out.

The clean text is parsed into lines of tokens (words, spaces, punctuation); every token keeps its clean
form and its noisy form, every line knows whether it belongs to the reference. Injectors change noisy forms
(or add lines, or add a token to both forms), always in one fixed order, so that they compose the way real
damage does: content first (names, repeated lines, boilerplate), then spelling-level noise, then invisible
characters, and mojibake last, because a wrong decoding happens to the whole bytes of a line.

Each injector draws *how many* edits to make and *where*, from strategies whose simplest value is "fewest
edits at the first place", so shrinking leaves a single, early injection. This module deliberately does
not know how arcorpus cleans: it promises only that a correct cleaner maps the noisy text back to
(the cleaning of) the reference.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from hypothesis import strategies as st

from arcorpus.strategies import _tables as T
from arcorpus.strategies._regex import lines_of
from arcorpus.strategies._text import captions, documents, titles, words
from arcorpus.text.fold import fold

# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Injection:
    """One piece of injected noise.

    ``kind`` is the injector's name (see `INJECTORS`); ``detail`` says which variety (an encoding, an entity
    id, a boilerplate rule id, a character name...); ``before`` is the text in the clean reference ("" when
    the injection added something that has no clean counterpart, like a boilerplate line) and ``after`` what
    the noisy text has instead, as this injector left it (later injectors may damage it further, e.g. a
    line's mojibake); ``line`` is the 0-based line of the noisy text it is on.
    """

    kind: str
    detail: str
    before: str
    after: str
    line: int


class NoisyDocument(NamedTuple):
    """What `noisy_documents` and every ``inject_*`` strategy generate; unpacks as a 3-tuple."""

    noisy: str
    clean_reference: str
    injections: tuple[Injection, ...]


class NearDuplicatePair(NamedTuple):
    """A document and a modified copy of it, with the amount of modification known.

    ``copy`` may carry noise (see ``noise`` of `near_duplicates`); ``copy_reference`` is the copy without
    that noise (word edits only). ``word_edits`` are the substituted, deleted and inserted words,
    ``word_edit_fraction`` their number over the original's word count, and ``jaccard`` the Jaccard
    similarity of the word n-gram shingle sets of ``arcorpus.fold(original)`` and
    ``arcorpus.fold(copy_reference)``, i.e. what a spelling-insensitive deduplicator should see.
    """

    original: str
    copy: str
    copy_reference: str
    word_edits: tuple[Injection, ...]
    noise: tuple[Injection, ...]
    word_edit_fraction: float
    jaccard: float


# --- the document model -----------------------------------------------------------------------------

_PUNCT = "\N{ARABIC COMMA}\N{ARABIC SEMICOLON}\N{ARABIC QUESTION MARK}.:!"
_TOKEN_RE = re.compile(r"(?P<space> +)|(?P<word>[^ ]+)")
_ARABIC_LETTER = frozenset(T.ARABIC_LETTERS)


@dataclass
class _Tok:
    clean: str
    noisy: str
    kind: Literal["word", "name", "space", "punct", "line"]

    @property
    def wordlike(self) -> bool:
        return self.kind in ("word", "name")


@dataclass
class _Line:
    toks: list[_Tok]
    in_reference: bool = True
    role: Literal["content", "boilerplate", "repeat", "blank"] = "content"
    lead: str = ""
    trail: str = ""
    encoding: str | None = None
    pending: list[tuple[str, str, str, str]] = field(default_factory=list)

    def noisy_text(self) -> str:
        return self.lead + "".join(t.noisy for t in self.toks) + self.trail

    def clean_text(self) -> str:
        return "".join(t.clean for t in self.toks)

    def note(self, kind: str, detail: str, before: str, after: str) -> None:
        self.pending.append((kind, detail, before, after))


def _tokens(line: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(line):
        if m.group("space"):
            out.append(_Tok(m.group("space"), m.group("space"), "space"))
            continue
        token = m.group("word")
        word = token.rstrip(_PUNCT) or token  # trailing punctuation is its own token ("3.5" stays whole)
        out.append(_Tok(word, word, "word"))
        if word != token:
            out.append(_Tok(token[len(word) :], token[len(word) :], "punct"))
    return out


def _parse(text: str) -> list[_Line]:
    return [_Line(_tokens(line)) for line in text.split("\n")]


def _render(lines: list[_Line]) -> NoisyDocument:
    noisy: list[str] = []
    reference: list[str] = []
    injections: list[Injection] = []
    for line in lines:
        text = line.noisy_text()
        if line.encoding is not None:
            damaged, detail = _mojibake(text, line.encoding)
            if damaged != text:
                line.note("mojibake", detail, text, damaged)
                text = damaged
        index = len(noisy)
        noisy.append(text)
        injections.extend(Injection(k, d, b, a, index) for k, d, b, a in line.pending)
        if line.in_reference:
            reference.append(line.clean_text())
    return NoisyDocument("\n".join(noisy), "\n".join(reference), tuple(injections))


def _content(lines: list[_Line], *, reference_only: bool = False) -> list[_Line]:
    return [
        ln
        for ln in lines
        if ln.role in ("content", "repeat") and ln.toks and (ln.in_reference or not reference_only)
    ]


def _word_slots(lines: list[_Line], accept: Callable[[_Tok], bool]) -> list[tuple[_Line, _Tok]]:
    return [(ln, t) for ln in _content(lines) for t in ln.toks if t.wordlike and accept(t)]


def _pick(draw: st.DrawFn, items: Sequence[Any], n: int) -> list[Any]:
    """Up to ``n`` distinct items; shrinks toward the first ones."""
    if not items or n <= 0:
        return []
    idx = draw(st.lists(st.integers(0, len(items) - 1), min_size=1, max_size=min(n, len(items)), unique=True))
    return [items[i] for i in sorted(idx)]


def _count(draw: st.DrawFn, lo: int, hi: int) -> int:
    return draw(st.integers(lo, max(lo, hi)))


# --- injectors: content ---------------------------------------------------------------------------------

_PROCLITICS = ("", "\N{ARABIC LETTER WAW}", "\N{ARABIC LETTER BEH}", "\N{ARABIC LETTER LAM}")
_AL = "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}"


def _inject_name_variants(
    draw: st.DrawFn, lines: list[_Line], *, min_names: int = 1, max_names: int = 3, proclitics: bool = True
) -> None:
    """Insert entity mentions: the canonical spelling in the reference, a variant spelling in the noisy
    text, optionally behind a proclitic (wa-, bi-, li-; never li- before al-, which
    would make lil-). At most one per line."""
    entries = T.name_entries()
    targets = _pick(draw, _content(lines, reference_only=True), _count(draw, min_names, max_names))
    for line in targets:
        entry = draw(st.sampled_from(entries))
        variant = draw(st.sampled_from(entry.variants))
        clitic = draw(st.sampled_from(_PROCLITICS)) if proclitics else ""
        if clitic == "\N{ARABIC LETTER LAM}" and (entry.canonical.startswith(_AL) or variant.startswith(_AL)):
            clitic = ""
        slots = [i for i, t in enumerate(line.toks) if t.kind == "word"]
        if not slots:
            continue
        at = slots[draw(st.integers(0, len(slots) - 1))]
        name = _Tok(clitic + entry.canonical, clitic + variant, "name")
        line.toks[at:at] = [name, _Tok(" ", " ", "space")]
        line.note("name_variants", entry.id, name.clean, name.noisy)


def _inject_repeated_lines(
    draw: st.DrawFn,
    lines: list[_Line],
    *,
    kinds: Sequence[Literal["title", "caption"]] = ("title", "caption"),
    max_copies: int = 2,
) -> None:
    """Add a headline on top and/or a photo caption between paragraphs (both in the reference, once) and
    print each 1..max_copies more times right after itself, as scraped pages do."""
    chosen = [k for k in kinds if draw(st.booleans())] or [kinds[0]]
    # Captions first: a title goes on top afterwards, so nothing ever lands between it and its copies.
    for kind in sorted(chosen, key=lambda k: k == "title"):
        text = draw(titles() if kind == "title" else captions())
        if any(ln.in_reference and ln.clean_text() == text for ln in lines):
            continue  # the reference must not print a line twice itself
        at = 0 if kind == "title" else draw(st.integers(1, max(1, len(lines))))
        original = _Line(_tokens(text))
        copies = [
            _Line(copy.deepcopy(original.toks), in_reference=False, role="repeat")
            for _ in range(_count(draw, 1, max_copies))
        ]
        for c in copies:
            c.note("repeated_lines", kind, "", text)
        lines[at:at] = [original, *copies]


_DECORATIONS = ("{}", "{}", "{}", "// {} //", "[{}]", "- {} -", "* {}", "{} :", "| {} |")
"""Symbols sites print around boilerplate; the catalogue's whole-line rules allow any of them."""


def _usable_rules() -> tuple[tuple[T.BoilerplateRule, st.SearchStrategy[str]], ...]:
    out = []
    for rule in T.boilerplate_rules():
        lines = lines_of(rule.pattern)
        if lines is not None:
            out.append((rule, lines))
    return tuple(out)


def _boilerplate_line(draw: st.DrawFn, rules: Sequence[tuple[T.BoilerplateRule, Any]]) -> tuple[str, str]:
    """(rule id, line): a line spelled out from a catalogue rule's pattern (see `_regex`), within the rule's
    word limit; the literal lines (or the fallback rows) when the catalogue offers nothing usable."""
    if rules:
        rule, lines = draw(st.sampled_from(rules))
        line = " ".join(draw(lines).split())
        words = len(line.split())
        if line and re.search(r"[^\W\d_]", line) and (not rule.max_words or words <= rule.max_words):
            return rule.id, line
    row = draw(st.sampled_from(T.boilerplate_lines()))
    return row.id, row.text


def _inject_boilerplate(
    draw: st.DrawFn, lines: list[_Line], *, min_lines: int = 1, max_lines: int = 3, decorate: bool = True
) -> None:
    """Insert whole boilerplate lines before, between or after the paragraphs; they are not in the
    reference. Each line is spelled out from a whole-line rule of arcorpus' catalogue
    (``arcorpus/data/boilerplate.tsv``), optionally framed by symbols ("// ... //")."""
    rules = _usable_rules()
    for _ in range(_count(draw, min_lines, max_lines)):
        rule_id, text = _boilerplate_line(draw, rules)
        if decorate:
            text = draw(st.sampled_from(_DECORATIONS)).format(text)
        at = draw(st.sampled_from((0, len(lines), *range(1, len(lines)))))
        line = _Line([_Tok(text, text, "line")], in_reference=False, role="boilerplate")
        line.note("boilerplate", rule_id, "", text)
        lines.insert(at, line)


# --- injectors: spacing and spelling-level noise --------------------------------------------------------

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


# --- mojibake -------------------------------------------------------------------------------------------


def _ARABIC_SCRIPT(c: str) -> bool:
    return "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff"


ENCODINGS: tuple[str, ...] = ("utf8_as_cp1256", "utf8_as_cp1252", "cp1256_as_latin1")
"""How `inject_mojibake` misreads a line: UTF-8 bytes decoded as windows-1256 (issue 3's
"ta-section-zah..." example) or as windows-1252 (the "O-stroke-section..." kind; undefined bytes pass
through as C1 controls, as browsers and ftfy's sloppy-windows-1252 do), or windows-1256 bytes decoded as
latin-1 (the "C-cedilla-a-acute..." kind)."""

_SLOPPY_1252 = {b: (bytes([b]).decode("cp1252", errors="ignore") or chr(b)) for b in range(0x80, 0xA0)}
_SLOPPY_1252_TABLE = str.maketrans({chr(b): c for b, c in _SLOPPY_1252.items()})


def _mojibake(text: str, encoding: str) -> tuple[str, str]:
    if encoding == "cp1256_as_latin1":
        try:
            return text.encode("cp1256").decode("latin-1"), encoding
        except UnicodeEncodeError:
            encoding = "utf8_as_cp1256"
    if encoding == "utf8_as_cp1256":
        return text.encode("utf-8").decode("cp1256"), encoding
    if encoding == "utf8_as_cp1252":
        return text.encode("utf-8").decode("latin-1").translate(_SLOPPY_1252_TABLE), encoding
    raise ValueError(f"unknown mojibake encoding {encoding!r}; choose from {ENCODINGS}")


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


# --- near duplicates ------------------------------------------------------------------------------------


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
