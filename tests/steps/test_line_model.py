"""The line model: light morphology, the shipped model's provenance, removals with evidence, guards."""

from __future__ import annotations

import json

import pytest

from arcorpus import clean
from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps.boilerplate import line_model as lm

BODY = (
    "وقال المتحدث باسم الوزارة في بيان صحفي اليوم إن الاجتماع ناقش عددا من الملفات المهمة بين البلدين "
    "واتفق الجانبان على مواصلة التنسيق في المرحلة المقبلة."
)


@pytest.fixture(scope="module")
def step() -> lm.LineModelStep:
    built = lm.build(CleanConfig(), {})
    assert built is not None
    return built


@pytest.fixture(scope="module")
def analyzer() -> lm.Analyzer:
    return lm.Analyzer(lm.load_vocabulary())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أضف تعليقاً", "إضافة تعليق"),  # verb / verbal noun, tanween, hamza seat
        ("شاركوا", "شارك"),  # imperative plural
        ("وشاركوها", "شارك"),  # clitic + plural + object
        ("بالتعليقات", "تعليق"),  # clitics + plural
        ("تابعونا", "تابع"),
        ("يعلق", "علق"),  # imperfect
        ("تيليغرام", "تيليجرام"),  # /g/ written غ or ج
        ("انستقرام", "انستغرام"),
    ],
)
def test_morphology_reaches_the_same_concepts(analyzer: lm.Analyzer, a: str, b: str) -> None:
    assert analyzer.keys(a) == analyzer.keys(b)
    assert all(k.startswith("c:") for k in analyzer.keys(a))


def test_content_words_are_not_concepts(analyzer: lm.Analyzer) -> None:
    assert analyzer.keys("العلاقات الثنائية بين البلدين") == ["w:علاقات", "w:ثنائيه", "w:بين", "w:بلدين"]


def test_vocabulary_forms_belong_to_one_concept(tmp_path) -> None:
    bad = tmp_path / "v.tsv"
    rows = ["id\tcategory\tprior\tforms", "a\tui_verb\t1\tشارك", "b\tui_verb\t1\tشارك"]  # noqa: RUF001
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(lm.ModelError):
        lm.load_vocabulary(bad)


def test_shipped_model_has_provenance() -> None:
    data = json.loads(lm.MODEL.read_text(encoding="utf-8").splitlines()[0])
    prov = data["provenance"]
    for key in (
        "corpus",
        "corpus_sha256",
        "command",
        "date",
        "documents",
        "positive_lines",
        "negative_lines",
    ):
        assert prov.get(key), key
    assert data["format"] == lm.FORMAT


@pytest.mark.parametrize(
    "line",
    [
        "تابعونا على انستغرام",
        "شاركوا المقال عبر تويتر",
        "انسخ رابط المقال",
        "وقت القراءة: ٤ دقائق",
        "هذا الموقع يستخدم الكوكيز",
        "حقوق النشر محفوظة",
        "١٥ مارس ٢٠٢٣",  # noqa: RUF001
        "(أ ف ب)",
    ],
)
def test_unseen_phrasings_between_paragraphs_are_removed(step: lm.LineModelStep, line: str) -> None:
    doc = Document("d", f"{BODY}\n{line}\n{BODY}")
    out = step(doc)
    assert out.text == f"{BODY}\n{BODY}"
    removed = [c for c in out.changes if c.action == "remove_line"]
    assert [c.before for c in removed] == [line]
    notes = [c for c in out.changes if c.action == "note"]
    assert notes and notes[0].line == 1 and notes[0].before  # the evidence


@pytest.mark.parametrize(
    "line",
    [
        "تطور العلاقات بين روسيا وكوريا الشمالية",  # a sub-heading
        "5. تطبيق «إنستغرام» Instagram",  # a list item of a story about apps
        "وتابع الرئيس تصريحاته أمام الصحفيين في القاهرة.",
        "مشاركة واسعة في الانتخابات البلدية",
        "تعليق الدراسة في المدارس بسبب الأمطار",
    ],
)
def test_content_lines_stay(step: lm.LineModelStep, line: str) -> None:
    doc = Document("d", f"{BODY}\n{line}\n{BODY}")
    assert step(doc).text == doc.text


def test_nothing_removed_without_a_body(step: lm.LineModelStep) -> None:
    doc = Document("d", "\n".join(["تابعونا على انستغرام", "شاركوا المقال عبر تويتر"]))
    assert step(doc) is doc


@pytest.mark.parametrize("text", ["تابعونا على انستغرام", "العربية", "خبر — عاجل … انتهى"])
def test_one_line_input_is_content(text: str) -> None:
    out = clean(text)  # names and spacing may still touch it; nothing may empty it
    assert out and out.split()[0] == text.split()[0] and len(out) >= len(text) - 2


def test_margin_removes_less() -> None:
    strict = lm.build(CleanConfig(line_model_margin=100.0), {})
    assert strict is not None
    line = "تابعونا على انستغرام وفيسبوك"
    verdict = strict.evaluate(line)
    assert verdict is not None and verdict.rule != "line"


def test_learning_is_deterministic_and_separates() -> None:
    pos = ["تابعونا على تويتر", "شارك الخبر على فيسبوك", "اضغط هنا للمشاهدة", "حمل تطبيق الموقع"] * 10
    neg = ["وقال الوزير إن الحكومة ستواصل العمل", "تطور العلاقات بين البلدين", "ارتفاع أسعار النفط"] * 30
    examples = [lm.Example(f"{x} {i}", f"s{i % 4}", True) for i, x in enumerate(pos)]
    examples += [lm.Example(f"{x} {i}", f"s{i % 4}", False) for i, x in enumerate(neg)]
    a = lm.learn(examples, provenance={"corpus": "test"})
    b = lm.learn(list(reversed(examples)), provenance={"corpus": "test"})
    assert a.to_rows() == b.to_rows()
    assert a.weights["c:twitter"] > 0 > a.weights.get("w:وزير", -1)


def test_load_model_errors(tmp_path) -> None:
    from arcorpus.config import ConfigError

    bad = tmp_path / "m.jsonl"
    bad.write_text("{}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        lm.load_model(bad)
    with pytest.raises(ConfigError):
        lm.load_model(tmp_path / "missing.json")


def test_save_and_load_round_trip(tmp_path) -> None:
    model = lm.load_model()
    lm.save_model(model, tmp_path / "m.jsonl")
    again = lm.load_model(tmp_path / "m.jsonl")
    assert again == model
