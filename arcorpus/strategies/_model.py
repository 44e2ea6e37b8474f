"""The document model of the noise injectors: clean text parsed into lines of tokens, each token with its
clean and its noisy form, each line knowing whether it belongs to the reference; and the results
(`Injection`, `NoisyDocument`, `NearDuplicatePair`).

The injectors (`_inject_content`, `_inject_spelling`, `_inject_mojibake`) change noisy forms (or add lines,
or add a token to both forms); `_noise` applies them in one fixed order. Each injector draws *how many*
edits to make and *where*, from strategies whose simplest value is "fewest edits at the first place", so
shrinking leaves a single, early injection. This package deliberately does not know how arcorpus cleans: it
promises only that a correct cleaner maps the noisy text back to (the cleaning of) the reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from hypothesis import strategies as st

from arcorpus.strategies import _tables as T


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


# --- misreading a line (applied when the document is rendered; `inject_mojibake` chooses the lines) ---

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
