# ruff: noqa: RUF001 -- Arabic test text (letters ruff takes for Latin look-alikes)
"""Every step is linear in its input: each `StepSpec` of `arcorpus.steps.STEPS` (and the whole `clean`)
timed on adversarial documents at two sizes.

`test_regex_safety.py` times single long lines through `clean` and every regex; this file times every
step on its own, each built from a config that enables it (with the corpus models it needs), on whole
documents built to hit each step's slow paths: long lines without spaces, many short lines, repeated
letter pairs (``"ةا" * n`` was quadratic in ``split_glued``), long runs of one character, punctuation,
mixed scripts, combining marks, boilerplate-like and metadata-like lines, lines full of gazetteer names.

A linear step takes ~4x the time for 4x the input, a quadratic one ~16x: the bound is `LIMIT` (8x),
with a floor of `FLOOR` seconds under which timings are noise, CPU time (not wall time), and one retry
(best of 3) before failing, so a loaded machine does not fail the suite.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.run.local import learn
from arcorpus.steps import STEPS, Step

N = 6_000  # characters of the small document; the large one has FACTOR * N
FACTOR = 4
LIMIT = 8.0  # linear ~4x, quadratic ~16x
FLOOR = 0.004  # seconds: below this a timing is noise

ALL_ON = CleanConfig.from_profile("search", digits="ascii", split_glued_corpus=True, quality_filters=True)
"""Every step on (search folding, digit conversion, corpus word splitting included)."""


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


# name -> size -> text. Units are short so that both sizes hold many of them.
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "long_word_no_spaces": lambda n: _repeat("كتابالمدرسة", n),
    "long_line_latin_arabic": lambda n: _repeat("abcكتاب1", n),
    "many_short_lines": lambda n: _repeat("ب\n", n),
    "many_one_word_lines": lambda n: _repeat("السلام\n", n),
    "pair_teh_marbuta_alef": lambda n: _repeat("ةا", n),
    "pair_maqsura_letter": lambda n: _repeat("ىب", n),
    "pair_letter_hamza_below": lambda n: _repeat("بإ", n),
    "pair_latin_arabic": lambda n: _repeat("aب", n),
    "pair_teh_marbuta_space": lambda n: _repeat("ة ", n),
    "run_letter": lambda n: "ب" * n,
    "run_space": lambda n: "ب" + " " * n + "ب",
    "run_nbsp": lambda n: "ب" + "\u00a0" * n + "ب",
    "run_dots": lambda n: "ب" + "." * n,
    "run_tatweel": lambda n: "ب" + "\u0640" * n + "ب",
    "run_zero_width": lambda n: "ب" + "\u200c" * n + "ب",
    "run_newlines": lambda n: "ب" + "\n" * n + "ب",
    "punctuation": lambda n: _repeat("،؟!.:؛«»()\"'", n),
    "punctuation_words": lambda n: _repeat("كلمة ، كلمة ؟ ", n),
    "mixed_scripts": lambda n: _repeat("Aب1ك۱ی\u06a9", n),
    "combining_marks": lambda n: "ب" + _repeat("\u064e\u0651\u064b", n),
    "marks_on_letters": lambda n: _repeat("بَّ", n),
    "presentation_forms": lambda n: _repeat("\ufe8d\ufe91\ufefb\ufdf2", n),
    "markup": lambda n: _repeat("<a href=x>&amp;&#1576;</a>", n),
    "mojibake_like": lambda n: _repeat("Ø§Ù„Ø³Ù„Ø§Ù… ", n),
    "urls_emails": lambda n: _repeat("http://a.com/b a@b.com ", n),
    "digits": lambda n: _repeat("١٢٣4.5,", n),
    "boilerplate_lines": lambda n: _repeat(
        "اقرأ أيضا\nشارك هذا المقال\nتابعونا على فيسبوك\nإعلان\nجميع الحقوق محفوظة\n", n
    ),
    "metadata_lines": lambda n: _repeat("بقلم: محمد علي\nالقاهرة - رويترز\n12 مارس 2020\n", n),
    "repeated_lines": lambda n: _repeat("هذه جملة تتكرر في النص مرة بعد مرة.\n", n),
    "gazetteer_names": lambda n: _repeat("بيونغ يانغ بيونجيانج كيم جونغ-أون كيم جونغ ايل ", n),
    "gazetteer_lines": lambda n: _repeat("زار كيم جونج أون بيونج يانج\n", n),
    "one_long_paragraph": lambda n: _repeat("ذهب الرجل إلى السوق واشترى الخبز والحليب. ", n),
}

SOURCE = "adversarial.example"


def _documents(size: int) -> dict[str, Document]:
    return {
        name: Document(id=name, text=make(size), metadata={"source": SOURCE})
        for name, make in ADVERSARIAL.items()
    }


def _models() -> dict[str, object]:
    """Corpus models learned on the small adversarial documents (each seen by several "documents" of one
    source, so the site-lines model holds their lines)."""
    docs = [
        Document(id=f"{name}-{k}", text=make(N), metadata={"source": SOURCE})
        for name, make in ADVERSARIAL.items()
        for k in range(ALL_ON.site_lines_min_docs + 1)
    ]
    return learn(lambda: docs, ALL_ON)


MODELS = _models()
SMALL = _documents(N)
LARGE = _documents(FACTOR * N)


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _nonlinear(run: Callable[[Document], object], inputs: tuple[str, ...] = tuple(ADVERSARIAL)) -> list[str]:
    """The inputs on which ``run`` is not linear (after one retry each)."""
    bad = []
    for name in inputs:
        for attempt in range(2):
            repeat = 1 + 2 * attempt
            small = _cpu(lambda: run(SMALL[name]), repeat)  # noqa: B023 - called right here
            large = _cpu(lambda: run(LARGE[name]), repeat)  # noqa: B023
            if large <= LIMIT * max(small, FLOOR):
                break
        else:
            bad.append(f"{name}: {small:.4f}s for {N} chars, {large:.4f}s for {FACTOR * N}")
    return bad


def _build(spec_name: str) -> Step:
    spec = next(s for s in STEPS if s.name == spec_name)
    step = spec.build(ALL_ON, MODELS)
    assert step is not None, f"{spec_name} is not built by a config that enables everything"
    return step


@pytest.mark.parametrize("step_name", [s.name for s in STEPS])
def test_every_step_is_linear_on_adversarial_documents(step_name: str) -> None:
    step = _build(step_name)
    bad = _nonlinear(step)
    assert not bad, f"{step_name} is not linear:\n" + "\n".join(bad)


def test_clean_is_linear_on_adversarial_documents() -> None:
    bad = _nonlinear(lambda doc: arcorpus.clean_document(doc, ALL_ON, models=MODELS))
    assert not bad, "clean is not linear:\n" + "\n".join(bad)


def test_the_timing_catches_a_quadratic_step() -> None:
    """The check itself: a step that rescans the rest of the text at every character must fail it."""

    def quadratic(doc: Document) -> object:
        text = doc.text
        return [text.count("ب", i) for i in range(0, len(text), 2)]

    assert _nonlinear(quadratic, ("run_letter",))
