"""Step ``boilerplate``: remove lines and line tails matched by the rule catalogue.

The catalogue (``arcorpus/data/boilerplate.tsv``, plus an optional user file ``boilerplate_file``) has one
rule per row: ``id``, ``category``, ``scope``, ``field``, ``pattern``, ``reason``.

- ``scope`` says what a match removes: ``line`` (the whole line matches, give or take symbols around it),
  ``line+headline`` / ``line+name`` (the line, and the short line right after it: "اقرأ أيضا" + the headline
  it announces, "رئيس التحرير" + the editor's name), ``tail`` (a span glued at the end of a content line: the
  sentence stays), ``head`` (a span glued at the start of a line).
- Rows with a ``field`` are metadata rules; `arcorpus.steps.metadata` uses them, this step skips them.

Patterns are regular expressions written in any Arabic spelling. At build time every Arabic letter is
widened to the class of letters `arcorpus.fold.fold` maps to the same key (أ/إ/آ/ا, ى/ي, ة/ه ...) and may be
followed by any character ``fold`` deletes (harakat, tanween, tatweel), so "اقرأ أيضا" also matches
"إقرأ أيضاً". All rules of a scope are compiled into ONE alternation (named groups tell which rule matched).

Only lines up to `LINE_MAX` characters are tested against whole-line rules, and tails are searched in the
last `TAIL_WINDOW` characters of a line, so long paragraphs cost one length check.

This step deliberately does not look at other documents (that is `site_lines`), does not move anything to
metadata (`extract_metadata`) and does not compare lines with each other (`repetition`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from arcorpus.document import Change, Document
from arcorpus.fold import fold

STEP = "boilerplate"
CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "boilerplate.tsv"
COLUMNS = ("id", "category", "scope", "field", "max_words", "pattern", "reason")
SCOPES = frozenset({"line", "line+headline", "line+name", "tail", "head"})
LINE_MAX = 300
"""Whole-line rules are only tried on lines up to this length: boilerplate lines are short."""
TAIL_WINDOW = 600
"""Tail rules are searched in this many trailing characters of a line."""
HEADLINE_MAX_WORDS = 30
NAME_MAX_WORDS = 5

# Symbols allowed around a whole-line match: anything that is not a letter/digit, except the characters
# some rules start with (© credits, @handles, # hashtags).
_AROUND = r"[^\w\n©@#]*"
_HAS_WORD = re.compile(r"[^\W_\N{ARABIC TATWEEL}]")
_SENTENCE_END = re.compile(r"(?<!\.)[.:;\N{ARABIC COMMA}\N{ARABIC SEMICOLON}][\s\"'\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK})]*$")


class CatalogueError(ValueError):
    """A catalogue file is malformed (missing column, duplicate id, pattern that does not compile)."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    scope: str
    field: str
    max_words: str
    pattern: str
    reason: str


def load_catalogue(path: str | Path = CATALOGUE) -> tuple[Rule, ...]:
    """Read and validate a catalogue TSV (header row required; ``#`` lines are comments)."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [line for line in fh if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise CatalogueError(f"{path}: missing column(s) {', '.join(missing)}")
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, row in enumerate(reader, start=2):
        rule = Rule(**{c: (row.get(c) or "").strip() for c in COLUMNS})
        where = f"{path}:{number} ({rule.id or '?'})"
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


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"


def expand(pattern: str) -> str:
    """Make a pattern spelling-tolerant: each Arabic letter becomes its fold class, optionally followed
    by characters fold deletes; a literal space matches any run of spaces. Escapes and classes are kept
    (Arabic letters inside ``[...]`` get their class members added)."""
    classes, ignorable = _fold_classes()
    ign = f"[{re.escape(ignorable)}]*" if ignorable else ""
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
                body.append(classes.get(c, c) if _is_arabic(c) else c)
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
            out.append(f"[{members}]" if len(members) > 1 else ch)
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
    """One regex per scope kind; ``names`` maps group name -> rule."""

    line: re.Pattern[str] | None
    tail: re.Pattern[str] | None
    head: re.Pattern[str] | None
    names: Mapping[str, Rule]

    def match_line(self, line: str) -> Rule | None:
        """The rule claiming the whole line (None when no rule does, or the line is too long for it)."""
        if self.line is None or len(line) > LINE_MAX:
            return None
        m = self.line.fullmatch(line)
        if m is None or not m.lastgroup:
            return None
        rule = self.names[m.lastgroup]
        if rule.max_words and word_count(line) > int(rule.max_words):
            return None
        return rule

    def match_tail(self, line: str) -> tuple[Rule, int] | None:
        """The first tail rule matching at the end of ``line``: (rule, start offset of the tail)."""
        if self.tail is None:
            return None
        offset = max(0, len(line) - TAIL_WINDOW)
        m = self.tail.search(line, offset)
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


def compile_rules(rules: Iterable[Rule], prefix: str = "r") -> Compiled:
    """Compile rules (metadata rows included only if asked for by the caller) into one regex per scope."""
    names: dict[str, Rule] = {}
    line_parts: list[str] = []
    tail_parts: list[str] = []
    head_parts: list[str] = []
    for index, rule in enumerate(rules):
        name = f"{prefix}{index}"
        names[name] = rule
        body = f"(?P<{name}>{expand(rule.pattern)})"
        if rule.scope == "tail":
            tail_parts.append(body)
        elif rule.scope == "head":
            head_parts.append(body)
        else:
            line_parts.append(body)
    line = re.compile(f"{_AROUND}(?:{'|'.join(line_parts)}){_AROUND}") if line_parts else None
    tail = re.compile(f"(?:{'|'.join(tail_parts)})[^\\w\\n]*$") if tail_parts else None
    head = re.compile(f"[^\\w\\n]*(?:{'|'.join(head_parts)})") if head_parts else None
    return Compiled(line, tail, head, MappingProxyType(names))


@lru_cache(maxsize=8)
def catalogue(extra: str | None = None) -> tuple[Rule, ...]:
    """The built-in catalogue plus an optional user catalogue (user rule ids may not clash)."""
    rules = load_catalogue(CATALOGUE)
    if extra:
        more = load_catalogue(extra)
        clash = {r.id for r in rules} & {r.id for r in more}
        if clash:
            raise CatalogueError(f"{extra}: rule id(s) already in the built-in catalogue: {', '.join(sorted(clash))}")
        rules = rules + more
    return rules


@lru_cache(maxsize=8)
def removal_rules(extra: str | None = None) -> Compiled:
    return compile_rules([r for r in catalogue(extra) if not r.field])


# --- helpers shared by the boilerplate-stage steps ----------------------------------------------------


def word_count(line: str) -> int:
    return len(line.split())


def has_words(line: str) -> bool:
    """True when the line has a letter or digit (a line of symbols only is a separator)."""
    return _HAS_WORD.search(line) is not None


def is_headline(line: str, max_words: int = HEADLINE_MAX_WORDS) -> bool:
    """Short, not ending like a sentence or a clause (``.`` ``:`` ``،``; a question or ``..`` is fine):
    could be a headline, a name, a label."""
    stripped = line.strip()
    return 0 < word_count(stripped) <= max_words and len(stripped) <= 250 and not _SENTENCE_END.search(stripped)


def rebuild(lines: Sequence[str], drop: set[int], spans: Mapping[int, str] | None = None) -> str:
    """The text without the dropped lines (their newline goes too), with replaced lines from ``spans``."""
    spans = spans or {}
    return "\n".join(spans.get(i, line) for i, line in enumerate(lines) if i not in drop)


# --- the step ---------------------------------------------------------------------------------------------


class BoilerplateStep:
    name = STEP

    def __init__(self, rules: Compiled) -> None:
        self.rules = rules

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if not text:
            return doc
        lines = text.split("\n")
        drop: set[int] = set()
        spans: dict[int, str] = {}
        changes: list[Change] = []
        rules = self.rules
        pending_next: tuple[Rule, int] | None = None  # a header waiting for the line it announces
        for i, line in enumerate(lines):
            if not line or line.isspace():
                continue
            if pending_next is not None:
                rule, limit = pending_next
                pending_next = None
                if is_headline(line, limit) and rules.match_line(line) is None:
                    drop.add(i)
                    changes.append(self._removed(rule, line, i))
                    continue
            if not has_words(line):
                drop.add(i)
                changes.append(Change(STEP, f"{STEP}.separator", "remove_line", before=line, line=i))
                continue
            rule = rules.match_line(line)
            if rule is not None:
                drop.add(i)
                changes.append(self._removed(rule, line, i))
                if rule.scope == "line+headline":
                    pending_next = (rule, HEADLINE_MAX_WORDS)
                elif rule.scope == "line+name":
                    pending_next = (rule, NAME_MAX_WORDS)
                continue
            current = line
            head = rules.match_head(current)
            if head is not None and head[1] < len(current) and has_words(current[head[1] :]):
                hrule, end = head
                changes.append(
                    Change(STEP, f"{STEP}.{hrule.id}", "remove_span", before=current[:end], line=i, start=0, end=end)
                )
                current = current[end:]
            tail = rules.match_tail(current)
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
