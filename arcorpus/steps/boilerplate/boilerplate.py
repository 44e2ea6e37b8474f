"""Step ``boilerplate``: remove lines and line tails matched by the rule catalogue.

The catalogue (``arcorpus/data/boilerplate.tsv``, plus an optional user file ``boilerplate_file``) has one
rule per row: ``id``, ``category``, ``scope``, ``field``, ``pattern``, ``reason``.

- ``scope`` says what a match removes: ``line`` (the whole line matches, give or take symbols around it),
  ``line+headline`` / ``line+name`` (the line, and the short line right after it: "اقرأ أيضا" + the headline
  it announces, "رئيس التحرير" + the editor's name), ``tail`` (a span glued at the end of a content line: the
  sentence stays), ``head`` (a span glued at the start of a line).
- Rows with a ``field`` are metadata rules; `arcorpus.steps.boilerplate.extract_metadata` uses them, this
  step skips them.

Patterns are regular expressions written in any Arabic spelling. At build time every Arabic letter is
widened to the class of letters `arcorpus.text.fold.fold` maps to the same key (the alef/hamza seats,
alef maqsura and ya, ta marbuta and ha ...) and may be followed by any character ``fold`` deletes
(harakat, tanween, tatweel), so "اقرأ أيضا" also matches
"إقرأ أيضاً". All rules of a scope are compiled into ONE alternation (named groups tell which rule matched).

Only lines up to `LINE_MAX` characters are tested against whole-line rules, and tails are searched in the
last `TAIL_WINDOW` characters of a line, so long paragraphs cost one length check.

This step deliberately does not look at other documents (that is `site_lines`), does not move anything to
metadata (`extract_metadata`) and does not compare lines with each other (`repetition`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from arcorpus import data
from arcorpus.document import Change, Document
from arcorpus.text import charmap
from arcorpus.text.chars import char_class
from arcorpus.text.fold import FOLD_TABLE, fold
from arcorpus.text.regex_syntax import OP
from arcorpus.text.regex_syntax import parse as parse_regex

STEP = "boilerplate"
CATALOGUE = data.path("boilerplate.tsv")
COLUMNS = ("id", "category", "scope", "field", "max_words", "gate", "pattern", "reason")
SCOPES = frozenset({"line", "line+headline", "line+name", "tail", "head"})
LINE_MAX = 300
"""Whole-line rules are only tried on lines up to this length: boilerplate lines are short."""
ANCHORED_MAX_SPACES = 30
"""Ungated whole-line rules are only tried on lines with fewer spaces (most body paragraphs skip them)."""
TAIL_WINDOW = 600
"""Tail rules are searched in this many trailing characters of a line."""
HEADLINE_MAX_WORDS = 30
NAME_MAX_WORDS = 5

# Symbols allowed around a whole-line match: anything that is not a letter/digit, except the characters
# some rules start with (© credits, @handles, # hashtags).
_AROUND = r"[^\w\n©@#]*"
_HAS_WORD = re.compile(r"[^\W_\N{ARABIC TATWEEL}]")
_CLOSERS = " \t\"'\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK})"
_CLAUSE_ENDS = (".", ":", ";", "\N{ARABIC COMMA}", "\N{ARABIC SEMICOLON}")


def ends_like_sentence(line: str) -> bool:
    """Ends with ``.`` ``:`` ``;`` ``،`` (closing quotes/brackets aside), but not with ``..``."""
    core = line.rstrip(_CLOSERS)
    return core.endswith(_CLAUSE_ENDS) and not core.endswith("..")


class CatalogueError(ValueError):
    """A catalogue file is malformed (missing column, duplicate id, pattern that does not compile)."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    scope: str
    field: str
    max_words: str
    gate: str
    pattern: str
    reason: str


def load_catalogue(path: str | Path = CATALOGUE, *, compile_check: bool = True) -> tuple[Rule, ...]:
    """Read and validate a catalogue TSV (header row required; ``#`` lines are comments).

    ``compile_check`` compiles every pattern on its own to name the faulty row; the built-in catalogue
    skips it at run time (the test suite checks it), since compiling twice costs seconds."""
    path = Path(path)
    try:
        table = data.read(path)
    except OSError as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        raise CatalogueError(f"{path}: missing column(s) {', '.join(missing)}")
    rules: list[Rule] = []
    seen: set[str] = set()
    for row in table.rows:
        rule = Rule(**{c: row.get(c).strip() for c in COLUMNS})
        where = f"{path}:{row.line} ({rule.id or '?'})"
        if not rule.id or not rule.category or not rule.pattern or not rule.reason:
            raise CatalogueError(f"{where}: id, category, pattern and reason are required")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rule.id):
            raise CatalogueError(f"{where}: id must be lower_snake_case")
        if rule.id in seen:
            raise CatalogueError(f"{where}: duplicate id")
        if rule.max_words and not rule.max_words.isdigit():
            raise CatalogueError(f"{where}: max_words must be empty or a positive integer")
        if rule.scope not in SCOPES:
            raise CatalogueError(f"{where}: scope must be one of {', '.join(sorted(SCOPES))}")
        if compile_check:
            try:
                re.compile(expand(rule.pattern))
            except re.error as exc:
                raise CatalogueError(f"{where}: pattern does not compile: {exc}") from None
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


# --- spelling-tolerant patterns ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fold_classes() -> tuple[Mapping[str, str], str]:
    """Letter -> all letters with the same fold key, and the characters fold deletes (derived from fold)."""
    groups: dict[str, set[str]] = {}
    ignorable: list[str] = []
    for cp in (*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900)):
        ch = chr(cp)
        key = fold(ch)
        if key == "":
            ignorable.append(ch)
        elif len(key) == 1:
            groups.setdefault(key, {key}).add(ch)
    classes = {}
    for members in groups.values():
        for ch in members:
            classes[ch] = "".join(sorted(members))
    return MappingProxyType(classes), "".join(ignorable)


def _ranges(chars: str) -> str:
    """A compact regex class body for ``chars`` (runs of code points become ranges)."""
    cps = sorted(set(map(ord, chars)))
    out: list[str] = []
    start = prev = cps[0] if cps else 0
    for cp in [*cps[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        out.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
        start = prev = cp
    return "".join(out) if cps else ""


def fast_fold(text: str) -> str:
    """`arcorpus.text.fold.fold` (kept as a name other modules use; ``fold`` itself is the fast path)."""
    return fold(text)


_LONE_TATWEEL = re.compile(r"(?<!\S)\N{ARABIC TATWEEL}+(?!\S)")


def match_form(line: str) -> str:
    """The form whole-line rules are matched against: folded, with a tatweel standing alone between
    spaces kept as a dash ("الرياضي ـ القاهرة")."""
    if "\N{ARABIC TATWEEL}" in line:
        line = _LONE_TATWEEL.sub("-", line)
    return fold(line)


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"


def expand(pattern: str, marks: bool = True, folded: bool = False) -> str:
    """Make a pattern spelling-tolerant: each Arabic letter becomes its fold class, optionally followed
    by characters fold deletes; a literal space matches any run of spaces. Escapes and classes are kept
    (Arabic letters inside ``[...]`` get their class members added).

    ``folded=True`` instead writes each Arabic letter as its fold key, for matching text that went
    through `match_form` (whole-line rules): a much smaller regex."""
    classes, ignorable = _fold_classes()
    if folded:
        classes = MappingProxyType({ch: fold(ch) for ch in classes})
        marks = False
    ign = f"[{_ranges(ignorable)}]*" if ignorable and marks else ""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith(("\\N{", "\\p{", "\\P{"), i):
                end = pattern.index("}", i)
                out.append(pattern[i : end + 1])
                i = end + 1
            else:
                out.append(pattern[i : i + 2])
                i += 2
            continue
        if ch == "[":
            j = i + 1
            head = "["
            if j < n and pattern[j] == "^":
                head += "^"
                j += 1
            body: list[str] = []
            if j < n and pattern[j] == "]":
                body.append("\\]")
                j += 1
            while j < n and pattern[j] != "]":
                if pattern[j] == "\\":
                    body.append(pattern[j : j + 2])
                    j += 2
                    continue
                c = pattern[j]
                if _is_arabic(c):
                    members = classes.get(c, c)
                    body.append(_ranges(members) if members else "")
                else:
                    body.append(c)
                j += 1
            out.append(head + "".join(body) + "]")
            i = j + 1
            continue
        if _is_arabic(ch):
            key = fold(ch)
            if key == "":
                i += 1  # a diacritic written in the pattern: the ignorable tail below covers it
                continue
            members = classes.get(ch, ch)
            out.append(f"[{_ranges(members)}]" if len(members) > 1 and not folded else members)
            out.append(ign)
        elif ch == " ":
            out.append(r"[^\S\n]" if pattern[i + 1 : i + 2] in ("?", "*", "+", "{") else r"[^\S\n]+")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


# --- compiled catalogue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    """The catalogue compiled for matching.

    ``line`` holds the whole-line rules without a gate (they start with a literal, so a line that is not
    boilerplate fails after a few characters); ``gated`` holds whole-line rules with a ``gate`` (they may
    match anywhere in a line, e.g. a disclaimer): they are only tried on lines where one of their gate
    literals occurs. Tail and head rules always have gates. ``automaton`` finds every gate literal in a
    document in one pass (Aho-Corasick), so clean text costs one scan.
    """

    line: _Dispatch | None
    gated: Mapping[str, re.Pattern[str]]
    tail: re.Pattern[str] | None
    head: re.Pattern[str] | None
    names: Mapping[str, Rule]
    automaton: GateScanner | None = None
    tail_edge: tuple[tuple[int, re.Pattern[str]], ...] = ()
    """The tail rules `guard_runs` changed, unguarded, with their place among the tail rules: they decide
    at the window start, the one position where the guard may miss a match."""
    tail_order: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Tail rule group name -> its place among the tail rules."""
    quick: re.Pattern[str] | None = None
    """No match: no ungated whole-line rule claims the line (see `quick_reject`); checked before folding."""
    recipe: tuple[Any, ...] = ()
    """The `compile_rules` arguments this was compiled from: how it pickles (see `__reduce__`)."""

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as its rules and recompiled on load: the automaton and the charmap do not pickle, and
        # the rules pickle to the same bytes in every process (datasets fingerprints steps by them)
        return (compile_rules, self.recipe)

    def _check(self, m: re.Match[str] | None, line: str) -> Rule | None:
        if m is None or not m.lastgroup:
            return None
        rule = self.names[m.lastgroup]
        if rule.max_words and word_count(line) > int(rule.max_words):
            return None
        return rule

    def match_line(self, line: str, gated: Iterable[str] | None = None) -> Rule | None:
        """The rule claiming the whole line (None when no rule does, or the line is too long for it).

        ``gated`` names the gated rules whose gate literal occurs in the line (None: try them all)."""
        if len(line) > LINE_MAX:
            return None
        if gated is not None and not gated and self.quick is not None and self.quick.match(line) is None:
            return None  # most body sentences: no need to fold them
        line = match_form(line)
        if self.line is not None and line.count(" ") < ANCHORED_MAX_SPACES:
            m = self.line.fullmatch(line)
            if m is not None:  # most lines fail here: no _check call for them
                rule = self._check(m, line)
                if rule is not None:
                    return rule
        if gated is not None and not gated:
            return None
        for name in self.gated if gated is None else sorted(gated):
            rule = self._check(self.gated[name].fullmatch(line), line)
            if rule is not None:
                return rule
        return None

    def match_tail(self, line: str) -> tuple[Rule, int] | None:
        """The first tail rule matching at the end of ``line``: (rule, start offset of the tail).

        Searches the last `TAIL_WINDOW` characters only (a tail may look behind the window start)."""
        if self.tail is None:
            return None
        offset = max(0, len(line) - TAIL_WINDOW)
        m = self.tail.search(line, offset)
        if offset and self.tail_edge:
            # at the window start the first rule matching there wins, and a guarded rule may miss it
            before = (
                self.tail_order[m.lastgroup]
                if m is not None and m.lastgroup and m.start() == offset
                else None
            )
            for place, plain in self.tail_edge:
                if before is not None and place >= before:
                    break
                edge = plain.match(line, offset)
                if edge is not None:
                    m = edge
                    break
        if m is None or not m.lastgroup:
            return None
        return self.names[m.lastgroup], m.start()

    def match_head(self, line: str) -> tuple[Rule, int] | None:
        """A head rule matching at the start of ``line``: (rule, end offset of the head)."""
        if self.head is None:
            return None
        m = self.head.match(line)
        if m is None or not m.lastgroup or m.end() == 0:
            return None
        return self.names[m.lastgroup], m.end()

    def gate_hits(self, text: str, lines: Sequence[str]) -> dict[int, tuple[int, frozenset[str]]]:
        """Line index -> (bit set of scopes with a gate hit: 1 line, 2 tail, 4 head; gated line rules hit)."""
        if self.automaton is None:
            return {}
        return self.automaton.hits(text)


GATE_LINE, GATE_TAIL, GATE_HEAD = 1, 2, 4
_NO_HIT: tuple[int, frozenset[str]] = (0, frozenset())


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when that is not a small known set
    (a class with a category, an optional start ...). Used to dispatch anchored rules by first letter."""
    c = OP

    def seq(items: list[Any]) -> frozenset[str] | None:
        for op, av in items:
            if op is c.LITERAL:
                return frozenset(chr(av))
            if op is c.IN:
                out: set[str] = set()
                for kind, value in av:
                    if kind is c.LITERAL:
                        out.add(chr(value))
                    elif kind is c.RANGE and value[1] - value[0] < 256:
                        out.update(chr(x) for x in range(value[0], value[1] + 1))
                    else:
                        return None
                return frozenset(out)
            if op is c.SUBPATTERN:
                return seq(list(av[-1]))
            if op is c.BRANCH:
                union: set[str] = set()
                for branch in av[1]:
                    first = seq(list(branch))
                    if first is None:
                        return None
                    union |= first
                return frozenset(union)
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, _, body = av
                if low == 0:
                    return None
                return seq(list(body))
            if op is c.AT:
                continue
            return None
        return None

    try:
        return seq(list(parse_regex(pattern)[0]))
    except Exception:  # pragma: no cover - a pattern sre cannot parse fails at compile time anyway
        return None


class _Dispatch:
    """Anchored whole-line rules grouped by the first significant character of the line."""

    _LEAD = re.compile(r"[\w\N{COPYRIGHT SIGN}@#]")

    def __init__(self, parts: list[tuple[str, frozenset[str] | None, int]]) -> None:
        by_char: dict[str, list[str]] = {}
        anywhere = [body for body, first, _ in parts if first is None]
        # rules that may start with any letter are short-line rules: only tried below this many spaces
        self.default_spaces = max((words for _, first, words in parts if first is None), default=0)
        for body, first, _ in parts:
            for ch in first or ():
                by_char.setdefault(ch, []).append(body)
        cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        self.table: dict[str, re.Pattern[str]] = {}
        for ch, bodies in by_char.items():
            key = tuple(bodies + anywhere)
            if key not in cache:
                cache[key] = re.compile(f"{_AROUND}(?:{'|'.join(key)}){_AROUND}")
            self.table[ch] = cache[key]
        self.default = re.compile(f"{_AROUND}(?:{'|'.join(anywhere)}){_AROUND}") if anywhere else None

    def fullmatch(self, line: str) -> re.Match[str] | None:
        lead = self._LEAD.search(line)
        if lead is None:
            return None
        pattern = self.table.get(lead.group())
        if pattern is None:
            if self.default is None or line.count(" ") >= self.default_spaces:
                return None
            pattern = self.default
        return pattern.fullmatch(line)


class GateScanner:
    """Every occurrence of every gate literal in a text, in one pass (Aho-Corasick, `ahocorasick_rs` DFA).

    When the literals fit, the text is scanned as bytes, one byte per character (ASCII as itself, each
    other character of a literal on a byte of its own, everything else as ``?``), so byte offsets are
    character offsets; this needs no literal to hold ``?``. Otherwise the text is scanned as `str`.
    Deliberately does not look at what a match means: ``values[i]`` is what literal ``i`` stands for.
    """

    def __init__(self, gates: Mapping[str, tuple[int, frozenset[str]]]) -> None:
        import ahocorasick_rs

        literals = list(gates)
        self.literals: tuple[str, ...] = tuple(literals)
        self.values: tuple[tuple[int, frozenset[str]], ...] = tuple(gates[literal] for literal in literals)
        wide = sorted({ch for literal in literals for ch in literal if ord(ch) >= 0x80})
        fits = charmap.fits(wide) and not any(chr(charmap.UNKNOWN) in literal for literal in literals)
        kind = ahocorasick_rs.MatchKind.Standard
        dfa = ahocorasick_rs.Implementation.DFA
        self.encoding_map: Any = None
        if fits:
            self.encoding_map = charmap.build(wide)[0]
            keys = [self.encode(literal) for literal in literals]
            self._bytes = ahocorasick_rs.BytesAhoCorasick(keys, matchkind=kind, implementation=dfa)
        else:
            self._str = ahocorasick_rs.AhoCorasick(literals, matchkind=kind, implementation=dfa)

    def encode(self, text: str) -> bytes:
        """``text`` with each character as one byte (``?`` for characters in no literal)."""
        return codecs.charmap_encode(text, "replace", self.encoding_map)[0]  # `charmap.encode`, inlined

    def hits(self, text: str) -> dict[int, tuple[int, frozenset[str]]]:
        """Line index -> the union of the values of the literals occurring in that line.

        Deliberately does not handle a literal holding a line break (a catalogue row is one line)."""
        haystack: str | bytes
        if self.encoding_map is not None:
            haystack = self.encode(text)
            found = self._bytes.find_matches_as_indexes(haystack, overlapping=True)
            newline: Any = b"\n"
        else:
            haystack = text
            found = self._str.find_matches_as_indexes(text, overlapping=True)
            newline = "\n"
        out: dict[int, tuple[int, frozenset[str]]] = {}
        if not found:
            return out
        values = self.values
        count = haystack.count
        index = last = 0
        for key, _, end in found:
            if end >= last:  # matches come by end offset: count newlines incrementally
                index += count(newline, last, end)
            else:  # pragma: no cover - not the order ahocorasick_rs reports in
                index = count(newline, 0, end)
            last = end
            kinds, names = values[key]
            bits, seen = out.get(index, _NO_HIT)
            out[index] = (bits | kinds, seen | names)
        return out


def literal_prefixes(pattern: str, limit: int = 6) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` starts with (its leading literal characters, through
    leading groups and alternations), or None when a match may start with anything (a class, a repeat, an
    assertion, a case-insensitive part ...).

    Deliberately does not look past the first group or alternation (a shorter prefix is still true)."""
    c = OP

    def seq(items: list[Any]) -> set[str]:
        out = [""]
        for op, av in items:
            if op is c.LITERAL:
                out = [p + chr(av) for p in out]
                if min(map(len, out)) >= limit:
                    break
                continue
            if op is c.SUBPATTERN and not av[1] & c.SRE_FLAG_IGNORECASE:
                inner = seq(list(av[-1]))
            elif op is c.BRANCH:
                inner = set().union(*(seq(list(branch)) for branch in av[1]))
            else:
                break
            out = [p + q for p in out for q in inner]
            break
        return set(out)

    try:
        items, flags = parse_regex(pattern)
    except Exception:  # pragma: no cover - a pattern sre cannot parse fails at compile time anyway
        return None
    if flags & c.SRE_FLAG_IGNORECASE:
        return None
    found = seq(list(items))
    return None if "" in found else frozenset(found)


def _trie(words: Iterable[str], piece: Any) -> str:
    """A regex matching a string that starts with one of ``words`` (common starts factored out)."""
    by_first: dict[str, set[str]] = {}
    for word in words:
        if not word:
            return ""  # this shorter word is enough
        by_first.setdefault(word[0], set()).add(word[1:])
    alternatives = [piece(ch) + _trie(rest, piece) for ch, rest in sorted(by_first.items())]
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def quick_reject(anchored: Iterable[tuple[str, Rule]]) -> re.Pattern[str] | None:
    """A regex that does NOT match a line (as it is, before `match_form`) that no ungated whole-line rule
    (``anchored``: their folded regexes and rules) can claim; None when no such regex is known.

    A line is rejected when (1) `fold` only swaps some of its letters one for one (no marks, tatweel,
    ligatures, presentation forms, foreign digits ...), so the folded line has the same words and the
    same letters and non-letters in the same places; (2) it has more words than the rules without a
    literal prefix allow (`literal_prefixes`; they all need ``max_words``, whose check rejects a line even
    when the rule's regex matches it first); (3) it does not start, give or take symbols, with the literal
    prefix of another rule, letters widened to the letters that fold to them. Deliberately does not reject
    anything else: a match only means "do the full test"."""
    classes, _ = _fold_classes()
    swap = {
        chr(cp)
        for cp, target in FOLD_TABLE.items()
        if len(target) == 1
        and _is_arabic(chr(cp))
        and _is_arabic(target)
        and chr(cp).isalnum()
        and target.isalnum()
        and chr(cp) in classes.get(target, "")
    }
    prefixes: set[str] = set()
    words = 0
    for body, rule in anchored:
        found = literal_prefixes(body)
        if found is None:
            if not rule.max_words:
                return None
            words = max(words, int(rule.max_words))
        else:
            prefixes |= found
    if not prefixes:
        return None

    def piece(ch: str) -> str:
        return f"[{_ranges(classes[ch])}]" if _is_arabic(ch) and ch in classes else re.escape(ch)

    complex_chars = char_class(chr(cp) for cp in FOLD_TABLE if chr(cp) not in swap)
    complex_free = complex_chars.replace("[", "[^", 1)
    return re.compile(
        f"{complex_free}*+{complex_chars}"  # (1) fails
        rf"|\s*+(?:\S++\s*+){{0,{words}}}+$"  # (2) fails
        f"|{_AROUND}{_trie(prefixes, piece)}"  # (3) fails
    )


_TAIL_END = r"[^\w\n]*$"
"""What follows a tail: symbols up to the end of the line."""
_RUN_START = re.compile(r"(\(\?P<\w+>(?:\(\?:)?)(\[(?:[^\]\\]|\\.)+\])\+")


def guard_runs(pattern: str) -> str:
    """``pattern`` (``(?P<name>...)``) with a guard ``(?<![C])`` before a leading ``[C]+`` (also right
    inside a leading ``(?:``): such a run is then not started in the middle of a run of ``C``.

    For a leftmost search this changes nothing, except at the position the search starts from: a match
    whose run starts in the middle of a run of ``C`` implies a match one character to the left, through
    the same path with the run one character longer, and the guard only removes paths (so it adds no
    match anywhere). It saves the retries of ``[\\w.+-]+@`` (an e-mail) at every position of a word.
    Deliberately does not touch a run that is not at the start, or a class followed by ``*`` or ``{}``."""
    m = _RUN_START.match(pattern)
    if m is None:
        return pattern
    return f"{m.group(1)}(?<!{m.group(2)}){m.group(2)}+{pattern[m.end() :]}"


def compile_rules(rules: Iterable[Rule], prefix: str = "r", use_gates: bool = True) -> Compiled:
    """Compile rules into one regex per kind (whole line, gated whole line, tail, head) + gate automaton.

    With ``use_gates=False`` (metadata rules, tried on a few lines only) every whole-line rule goes into
    the one ``line`` regex."""
    rules = tuple(rules)
    names: dict[str, Rule] = {}
    parts: dict[str, list[str]] = {"line": [], "gated": [], "tail": [], "head": []}
    anchored: list[tuple[str, frozenset[str] | None, int]] = []
    gates: dict[str, tuple[int, frozenset[str]]] = {}
    gated: dict[str, re.Pattern[str]] = {}
    anchored_rules: list[tuple[str, Rule]] = []
    tail_order: dict[str, int] = {}
    for index, rule in enumerate(rules):
        name = f"{prefix}{index}"
        names[name] = rule
        if rule.scope in ("tail", "head"):
            kind = rule.scope
            parts[kind].append(f"(?P<{name}>{expand(rule.pattern)})")
            if kind == "tail":
                tail_order[name] = len(tail_order)
        else:  # whole lines are matched with their marks stripped (see match_line): a smaller regex
            kind = "gated" if rule.gate and use_gates else "line"
            body = f"(?P<{name}>{expand(rule.pattern, folded=True)})"
            parts[kind].append(body)
            if kind == "line":
                first = first_chars(body)
                if first is None and not rule.max_words:
                    raise CatalogueError(f"rule {rule.id}: may start anywhere, so needs max_words or a gate")
                anchored.append((body, first, int(rule.max_words or 0)))
                anchored_rules.append((body, rule))
            else:
                gated[name] = re.compile(f"{_AROUND}(?:{body}){_AROUND}")
        bit = {"gated": GATE_LINE, "tail": GATE_TAIL, "head": GATE_HEAD}.get(kind, 0)
        if bit and use_gates:
            literals = [g.replace("\\|", "|") for g in re.split(r"(?<!\\)\|", rule.gate) if g] or [""]
            if literals == [""]:
                raise CatalogueError(f"rule {rule.id}: {rule.scope} rules need a gate")
            for literal in literals:
                bits, names_hit = gates.get(literal, (0, frozenset()))
                gates[literal] = (bits | bit, names_hit | ({name} if kind == "gated" else set()))
    line = _Dispatch(anchored) if anchored else None
    quick = quick_reject(anchored_rules) if anchored_rules and use_gates else None
    tail = None
    tail_edge: list[tuple[int, re.Pattern[str]]] = []
    if parts["tail"]:
        guarded = [guard_runs(body) for body in parts["tail"]]
        tail = re.compile(f"(?:{'|'.join(guarded)}){_TAIL_END}")
        for place, (body, guarded_body) in enumerate(zip(parts["tail"], guarded, strict=True)):
            if body != guarded_body:
                tail_edge.append((place, re.compile(f"(?:{body}){_TAIL_END}")))
    head = re.compile(f"[^\\w\\n]*(?:{'|'.join(parts['head'])})") if parts["head"] else None
    automaton = None
    if gates:
        automaton = GateScanner(gates)
    return Compiled(
        line,
        MappingProxyType(gated),
        tail,
        head,
        MappingProxyType(names),
        automaton,
        tuple(tail_edge),
        MappingProxyType(tail_order),
        quick,
        (rules, prefix, use_gates),
    )


@lru_cache(maxsize=8)
def catalogue(extra: str | None = None) -> tuple[Rule, ...]:
    """The built-in catalogue plus an optional user catalogue (user rule ids may not clash)."""
    rules = load_catalogue(CATALOGUE, compile_check=False)
    if extra:
        more = load_catalogue(extra)
        refuse_unsafe(more, extra)
        clash = {r.id for r in rules} & {r.id for r in more}
        if clash:
            raise CatalogueError(
                f"{extra}: rule id(s) already in the built-in catalogue: {', '.join(sorted(clash))}"
            )
        rules = rules + more
    return rules


def refuse_unsafe(rules: Sequence[Rule], path: str) -> None:
    """Raise `CatalogueError` naming the first user rule whose pattern can backtrack catastrophically
    (`arcorpus.text.regexguard`), as written or as compiled for its scope: ``re`` cannot be interrupted, so
    such a rule would hang the run on some line instead of failing here, before any input is read."""
    from arcorpus.text.regexguard import unsafe_reason

    for rule in rules:
        compiled = expand(rule.pattern, folded=rule.scope not in ("tail", "head"))
        why = unsafe_reason(rule.pattern) or unsafe_reason(compiled)
        if why:
            raise CatalogueError(
                f"{path}: rule {rule.id}: pattern {rule.pattern!r} can take exponential time on some lines: "
                f"{why}. Write it so that each character can be matched in one way only (e.g. ب+ for "
                "(?:ب+)+), or make the outer repetition possessive ((?:ب+)++)"
            )
    from arcorpus.steps.boilerplate.rule_probe import PROBE_SECONDS, slow_rule

    slow = slow_rule(_probes(rules))  # what the reading above cannot see: time them, in a child process
    if slow is not None:
        rule = next(r for r in rules if r.id == slow[0])
        raise CatalogueError(
            f"{path}: rule {rule.id}: pattern {rule.pattern!r} took more than {PROBE_SECONDS:g} s on a "
            f"{len(slow[1])}-character line starting {slow[1][:12]!r}: it backtracks; make it more precise"
        )


def _probes(rules: Iterable[Rule]) -> Iterator[tuple[str, str, str, list[str]]]:
    """Each rule compiled as `compile_rules` compiles it for its scope, with the method the step calls
    and lines as long as the step gives it (`rule_probe.probe_lines`)."""
    from arcorpus.steps.boilerplate.rule_probe import probe_lines

    for rule in rules:
        if rule.scope == "tail":
            yield (
                rule.id,
                f"(?:{expand(rule.pattern)}){_TAIL_END}",
                "search",
                list(probe_lines(rule.pattern, TAIL_WINDOW)),
            )
        elif rule.scope == "head":
            yield (
                rule.id,
                f"[^\\w\\n]*(?:{expand(rule.pattern)})",
                "match",
                list(probe_lines(rule.pattern, TAIL_WINDOW)),
            )
        else:
            lines = [match_form(line) for line in probe_lines(rule.pattern, LINE_MAX)]
            yield rule.id, f"{_AROUND}(?:{expand(rule.pattern, folded=True)}){_AROUND}", "fullmatch", lines


@lru_cache(maxsize=8)
def removal_rules(extra: str | None = None) -> Compiled:
    return compile_rules([r for r in catalogue(extra) if not r.field])


# --- helpers shared by the boilerplate-stage steps ----------------------------------------------------


def word_count(line: str) -> int:
    return len(line.split())


def has_words(line: str) -> bool:
    """True when the line has a letter or digit (a line of symbols only is a separator)."""
    return _HAS_WORD.search(line, 0, 24) is not None or _HAS_WORD.search(line) is not None


def is_headline(line: str, max_words: int = HEADLINE_MAX_WORDS) -> bool:
    """Short, not ending like a sentence or a clause (``.`` ``:`` ``،``; a question or ``..`` is fine):
    could be a headline, a name, a label."""
    stripped = line.strip()
    # cheapest tests first; words are counted only up to ``max_words + 1`` (split with a limit)
    if not stripped or len(stripped) > 250:
        return False
    core = stripped.rstrip(_CLOSERS)
    if core.endswith(_CLAUSE_ENDS) and not core.endswith(".."):
        return False
    return len(stripped.split(None, max_words)) <= max_words


def rebuild(lines: Sequence[str], drop: set[int], spans: Mapping[int, str] | None = None) -> str:
    """The text without the dropped lines (their newline goes too), with replaced lines from ``spans``."""
    spans = spans or {}
    return "\n".join(spans.get(i, line) for i, line in enumerate(lines) if i not in drop)


def drop_lines(doc: Document, lines: Sequence[str], drop: Mapping[int, str], step: str) -> Document:
    """``doc`` without the lines in ``drop`` (line index -> rule), one ``remove_line`` change per line."""
    if not drop:
        return doc
    changes = [
        Change(step, f"{step}.{rule}", "remove_line", before=lines[i], line=i)
        for i, rule in sorted(drop.items())
    ]
    return doc.evolve(text=rebuild(lines, set(drop)), changes=changes)


# --- the step ---------------------------------------------------------------------------------------------


class BoilerplateStep:
    name = STEP

    def __init__(self, rules: Compiled) -> None:
        self.rules = rules

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if not text:
            return doc
        # a one-line input is content: no rule is certain enough to empty a document (spans may go)
        single = "\n" not in text.strip()
        lines = text.split("\n")
        drop: set[int] = set()
        spans: dict[int, str] = {}
        changes: list[Change] = []
        rules = self.rules
        hits = rules.gate_hits(text, lines)
        has_word = _HAS_WORD.search
        pending_next: tuple[Rule, int] | None = None  # a header waiting for the line it announces
        for i, line in enumerate(lines):
            if not line or line.isspace():
                continue
            if pending_next is not None:
                header, limit = pending_next
                pending_next = None
                if is_headline(line, limit) and rules.match_line(line, hits.get(i, _NO_HIT)[1]) is None:
                    drop.add(i)
                    changes.append(self._removed(header, line, i))
                    continue
            words = has_word(line, 0, 24) is not None or has_word(line) is not None  # `has_words`, inlined
            if words and i not in hits and (len(line) > LINE_MAX or line.count(" ") >= ANCHORED_MAX_SPACES):
                continue  # a body paragraph with no gate literal: no rule can claim it
            if not words and not single:
                drop.add(i)
                changes.append(Change(STEP, f"{STEP}.separator", "remove_line", before=line, line=i))
                continue
            bits, gated_hit = hits.get(i, _NO_HIT)
            rule = None if single else rules.match_line(line, gated_hit)
            if rule is not None:
                drop.add(i)
                changes.append(self._removed(rule, line, i))
                if rule.scope == "line+headline":
                    pending_next = (rule, HEADLINE_MAX_WORDS)
                elif rule.scope == "line+name":
                    pending_next = (rule, NAME_MAX_WORDS)
                continue
            if not bits & (GATE_TAIL | GATE_HEAD):
                continue
            current = line
            head = rules.match_head(current) if bits & GATE_HEAD else None
            if head is not None and head[1] < len(current) and has_words(current[head[1] :]):
                hrule, end = head
                changes.append(
                    Change(
                        STEP,
                        f"{STEP}.{hrule.id}",
                        "remove_span",
                        before=current[:end],
                        line=i,
                        start=0,
                        end=end,
                    )
                )
                current = current[end:]
            tail = rules.match_tail(current) if bits & GATE_TAIL else None
            if tail is not None and has_words(current[: tail[1]]):
                trule, start = tail
                offset = len(line) - len(current)
                changes.append(
                    Change(
                        STEP,
                        f"{STEP}.{trule.id}",
                        "remove_span",
                        before=current[start:],
                        line=i,
                        start=offset + start,
                        end=len(line),
                    )
                )
                current = current[:start].rstrip()
            if current is not line:
                spans[i] = current
        if not changes:
            return doc
        return doc.evolve(text=rebuild(lines, drop, spans), changes=changes)

    @staticmethod
    def _removed(rule: Rule, line: str, index: int) -> Change:
        return Change(STEP, f"{STEP}.{rule.id}", "remove_line", before=line, line=index)


def build(config: Any, models: Any) -> BoilerplateStep | None:
    if not getattr(config, "boilerplate", False):
        return None
    return BoilerplateStep(removal_rules(getattr(config, "boilerplate_file", None)))
