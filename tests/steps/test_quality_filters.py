"""The document filters (``quality_filters``, on in the ``pretraining`` profile): cases with negatives."""

from __future__ import annotations

from pathlib import Path

import pytest

import arcorpus
from arcorpus.api import run_outcomes
from arcorpus.config import CleanConfig, ConfigError
from arcorpus.steps.quality_filters import QualityFilters

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
PROSE = "ذهب الرئيس إلى المؤتمر الصحفي وتحدث عن خطط الحكومة الجديدة في مجال التعليم والصحة والنقل العام. "
FILTER = QualityFilters(min_words=50, min_arabic=0.5, max_repeated_lines=0.3, max_repeated_chars=0.2)

CASES = [
    # (why, text, expected reason or None)
    ("a real article", SEEDS[0], None),
    ("prose just over the word floor", PROSE * 4, None),
    ("a stub", "خبر عاجل: انفجار في العاصمة", "too_few_words"),
    (
        "an English page with an Arabic menu",
        "الرئيسية أخبار\n" + "The minister said the plan is new. " * 20,
        "not_arabic",
    ),
    ("Arabic with some English names stays", PROSE * 3 + " Joe Biden and Kim Jong Un met in Hanoi. ", None),
    ("digits and punctuation are not letters", PROSE * 3 + " 2024-05-01 12:30 " * 30, None),
    ("a table of repeated lines", "\n".join([PROSE * 2] + ["النتيجة: فوز الفريق"] * 6), "repeated_lines"),
    (
        "one repeated short line among many",
        "\n".join([PROSE] * 1 + [PROSE + str(i) for i in range(8)] + [PROSE]),
        None,
    ),
]


@pytest.mark.parametrize(("why", "text", "reason"), CASES, ids=[c[0] for c in CASES])
def test_filter_cases(why: str, text: str, reason: str | None) -> None:
    found = FILTER.verdict(text)
    assert (found[0] if found else None) == reason, (why, found)


def test_off_in_standard_on_in_pretraining() -> None:
    assert not CleanConfig().quality_filters
    assert not CleanConfig.from_profile("search").quality_filters
    pre = CleanConfig.from_profile("pretraining")
    assert pre.quality_filters and pre.repeated_paragraphs == "remove"
    assert arcorpus.clean_document({"id": "x", "text": "خبر قصير"}).text == "خبر قصير"


def test_filtered_documents_are_rejects_with_their_reason_and_text() -> None:
    docs = [*SEEDS, "خبر عاجل: انفجار في العاصمة"]
    outcomes = list(run_outcomes(docs, CleanConfig.from_profile("pretraining")))
    assert [o.kind for o in outcomes] == ["kept"] * len(SEEDS) + ["rejected"]
    reject = outcomes[-1].reject
    assert reject is not None and reject.reason == "too_few_words"
    assert reject.text == docs[-1]  # the original text, nothing lost
    assert reject.changes[-1].rule == "quality_filters.too_few_words"
    assert any(c.action == "remove_line" and c.before for c in reject.changes)


def test_thresholds_are_options_and_validated() -> None:
    cfg = CleanConfig.from_profile("pretraining", quality_min_words=3)
    outcomes = list(run_outcomes(["خبر عاجل: انفجار في العاصمة"], cfg))
    assert outcomes[0].kind == "kept"
    with pytest.raises(ConfigError):
        CleanConfig(quality_min_arabic=1.5)
