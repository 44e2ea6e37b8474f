"""Content injectors: name variants, repeated lines (titles, captions), boilerplate lines."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any, Literal

from hypothesis import strategies as st

from arcorpus.strategies import _tables as T
from arcorpus.strategies._model import _content, _count, _Line, _pick, _Tok, _tokens
from arcorpus.strategies._regex import lines_of
from arcorpus.strategies._text import captions, titles

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
