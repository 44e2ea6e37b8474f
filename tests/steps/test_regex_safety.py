"""No pathological slowness: long adversarial lines cost time linear in their length.

Two checks, both comparing a size ``n`` with ``8n`` (linear: ~8x; quadratic: ~64x; catastrophic
backtracking: far more), with a generous bound (``LIMIT``) and CPU time (not wall time, so that other
processes on the machine do not matter), best of ``REPEAT``:

1. `arcorpus.clean` with every single-document step on, over each adversarial line;
2. every compiled regular expression found in arcorpus (module globals, containers of them, and the
   attributes of built steps), ``finditer`` over each adversarial line -- so a rule added later to a
   catalogue or a step is checked without anyone listing it here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import regex

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.steps import build_steps

FACTOR = 8  # compare n with FACTOR * n
LIMIT = 24.0  # t(8n) <= LIMIT * max(t(n), FLOOR): linear is ~8x, quadratic ~64x
FLOOR = 0.005
REPEAT = 3  # best of REPEAT on the retry

ALEF = "\N{ARABIC LETTER ALEF}"
BEH = "\N{ARABIC LETTER BEH}"
FATHATAN = "\N{ARABIC FATHATAN}"
SHADDA = "\N{ARABIC SHADDA}"
TATWEEL = "\N{ARABIC TATWEEL}"
COMMA = "\N{ARABIC COMMA}"
QMARK = "\N{ARABIC QUESTION MARK}"
ZERO = "\N{ARABIC-INDIC DIGIT ZERO}"

# name -> unit; the adversarial line is the unit repeated to the wanted length (then one odd end)
ADVERSARIAL: dict[str, str] = {
    "spaces": " ",
    "nbsp_spaces": "\u00a0 \u2009",
    "tabs_spaces": " \t",
    "dots": ".",
    "arabic_punct": COMMA + QMARK + "!",
    "dash_equals": "-=",
    "quotes_brackets": "\"'(«[",
    "arabic_letters": ALEF,
    "latin_letters": "a",
    "letter_space": BEH + " ",
    "alternating_scripts": "a" + BEH,
    "script_digit": BEH + "1",
    "digits_dots": "1.",
    "arabic_digits": ZERO + ",",
    "combining_storm": FATHATAN + SHADDA,
    "tatweel": TATWEEL,
    "zero_width": "\u200c\u200d\u200f",
    "markup": "<a &amp;",
    "url_like": "http://a.",
    "email_like": "a@b.",
    "newlines": "a \n",
    "presentation_forms": "\ufe8d\ufe91\ufefb",
    "pipe_hash": "|#*",
}
ODD_END = "\N{ARABIC LETTER QAF}!"
# Opens the steps' cheap gates (look-alike letters, alef maksura, entities, tags, URLs, e-mail, Persian
# digits, Latin, tatweel, presentation forms) so that the slow paths behind them see the long line too.
GATE_OPENER = "\u06a9 \u0649 &amp; <b> http://x.org a@b.com \u06f1 Latin \u0640 \ufefb "


def adversarial(unit: str, size: int, prefix: str = "") -> str:
    return prefix + unit * (size // len(unit)) + ODD_END


def cpu_time(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def assert_linear(fn: Callable[[str], object], unit: str, n: int, what: str, prefix: str = "") -> None:
    for attempt in range(2):  # one retry, best of more runs: a noisy measurement must not fail the suite
        small = cpu_time(lambda: fn(adversarial(unit, n, prefix)), 1 + 2 * attempt)
        large = cpu_time(lambda: fn(adversarial(unit, FACTOR * n, prefix)), 1 + 2 * attempt)
        if large <= LIMIT * max(small, FLOOR):
            return
    pytest.fail(f"{what}: {n} chars took {small:.4f}s but {FACTOR * n} took {large:.4f}s (not linear)")


ALL_ON = CleanConfig.from_profile("search", digits="ascii")


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_clean_is_linear_on_adversarial_lines(name: str) -> None:
    assert_linear(
        lambda text: arcorpus.clean(text, ALL_ON), ADVERSARIAL[name], 10_000, f"clean({name})", GATE_OPENER
    )


def test_clean_is_linear_on_many_short_adversarial_lines() -> None:
    lines = "\n".join(adversarial(unit, 60) for unit in ADVERSARIAL.values())
    assert_linear(lambda text: arcorpus.clean(text, ALL_ON), lines + "\n", 20_000, "clean(mixed lines)")


# --- every compiled pattern ----------------------------------------------------------------------------

_PATTERN_TYPES = (re.Pattern, type(regex.compile("")))

# Patterns that are only ever applied to short, trusted strings (or are not part of cleaning at all):
# exempt, each with the reason. Review this list when it grows.
EXEMPT = {
    "arcorpus.text.names.gazetteer._ID_RE": "matched (anchored) against gazetteer ids from the table, "
    "never text",
}
EXEMPT_MODULES = {
    "arcorpus.strategies": "hypothesis strategies generating test data; never applied to corpus input",
}


def _patterns_in(value: Any, path: str, depth: int, seen: set[int]) -> Iterator[tuple[str, Any]]:
    """Compiled patterns in ``value``: itself, its items, its attributes (steps hold rule tables)."""
    if id(value) in seen or depth > 5 or isinstance(value, (str, bytes, int, float, bool, type(None))):
        return
    seen.add(id(value))
    if isinstance(value, _PATTERN_TYPES):
        yield path, value
    elif isinstance(value, (tuple, list, frozenset, set)):
        for i, v in enumerate(value):
            yield from _patterns_in(v, f"{path}[{i}]", depth + 1, seen)
    elif isinstance(value, dict) or (hasattr(value, "items") and hasattr(value, "keys")):
        try:
            items = list(value.items())
        except TypeError:
            return
        for k, v in items:
            yield from _patterns_in(v, f"{path}[{k!r}]", depth + 1, seen)
    elif not (isinstance(value, type) or inspect.isroutine(value) or inspect.ismodule(value)):
        attrs = dict(getattr(value, "__dict__", {}))
        for slot in getattr(type(value), "__slots__", ()):
            if hasattr(value, slot):
                attrs[slot] = getattr(value, slot)
        for k, v in attrs.items():
            yield from _patterns_in(v, f"{path}.{k}", depth + 1, seen)


def all_patterns(*, steps: bool) -> dict[str, Any]:
    """Module-level patterns (``steps=False``) or the patterns reachable from built steps."""
    found: dict[str, Any] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(arcorpus.__path__, "arcorpus."):
        if any(info.name.startswith(m) for m in EXEMPT_MODULES):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # an optional module whose dependency is missing
            continue
        for attr, value in vars(module).items() if not steps else ():
            if isinstance(value, _PATTERN_TYPES) or isinstance(value, (tuple, list, frozenset, set, dict)):
                for where, pattern in _patterns_in(value, f"{info.name}.{attr}", 0, seen):
                    if where not in EXEMPT:
                        found.setdefault(where, pattern)
    for step in build_steps(ALL_ON, {}) if steps else ():
        for where, pattern in _patterns_in(step, f"step {step.name}", 0, seen):
            found.setdefault(where, pattern)
    return found


PATTERNS = all_patterns(steps=False)
STEP_PATTERNS = {k: v for k, v in all_patterns(steps=True).items() if k not in PATTERNS}


def test_patterns_are_found() -> None:
    assert PATTERNS, "the discovery must find at least the readers' own patterns"


def _check_pattern(where: str, pattern: Any) -> None:
    if isinstance(pattern.pattern, bytes):

        def run(text: str) -> object:
            return sum(1 for _ in pattern.finditer(text.encode("utf-8", "surrogatepass")))
    else:

        def run(text: str) -> object:
            return sum(1 for _ in pattern.finditer(text))

    for name, unit in ADVERSARIAL.items():
        assert_linear(run, unit, 1_000, f"{where} on {name}")


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_every_regex_is_linear_on_adversarial_lines(where: str) -> None:
    _check_pattern(where, PATTERNS[where])


@pytest.mark.slow
@pytest.mark.parametrize("where", sorted(STEP_PATTERNS))
def test_every_step_regex_is_linear_on_adversarial_lines(where: str) -> None:
    """The patterns built from rule tables (boilerplate catalogue ...): many large alternations, so slow."""
    _check_pattern(where, STEP_PATTERNS[where])


def test_the_check_catches_a_quadratic_pattern() -> None:
    """The checker itself: ``\\s+$`` backtracks quadratically over a run of spaces and must be flagged."""
    bad = re.compile(r"\s+$")
    with pytest.raises(pytest.fail.Exception):
        assert_linear(lambda text: sum(1 for _ in bad.finditer(text)), " ", 1_500, "known-bad")
