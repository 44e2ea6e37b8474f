"""Boilerplate stage: the rule catalogue, case files (positives and negatives), seeds, profiles, CLI."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps import STEPS
from arcorpus.steps.boilerplate import boilerplate as bp
from arcorpus.steps.boilerplate import extract_metadata as metadata
from arcorpus.steps.boilerplate import repetition, site_lines

HERE = Path(__file__).resolve().parents[1]
CASES = HERE / "cases" / "boilerplate_cases.jsonl"
SEEDS = HERE.parent / "seeds"
STAGE = [spec for spec in STEPS if spec.stage == "boilerplate"]


def stage(models: dict | None = None, **options: object) -> list:
    config = CleanConfig(**options)  # type: ignore[arg-type]
    return [s for s in (spec.build(config, models or {}) for spec in STAGE) if s is not None]


def run(doc: Document, steps: list) -> Document:
    for step in steps:
        doc = step(doc)
    return doc


# --- the catalogue -----------------------------------------------------------------------------------------


def test_catalogue_rows_are_complete_unique_and_compile() -> None:
    rules = bp.load_catalogue()
    assert len(rules) >= 40
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule.id and rule.category and rule.pattern and rule.reason, rule
        assert rule.scope in bp.SCOPES
        assert not rule.max_words or rule.max_words.isdigit()
        re.compile(bp.expand(rule.pattern))
    dates = (
        (Path(bp.__file__).resolve().parents[2] / "data" / "dates.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    rows = [line.split("\t") for line in dates[1:] if line.strip()]
    assert all(len(r) == 5 and r[0] and r[-1] for r in rows)
    assert len({r[0] for r in rows}) == len(rows)


def test_catalogue_rejects_bad_rows(tmp_path: Path) -> None:
    header = "\t".join(bp.COLUMNS) + "\n"
    bad = tmp_path / "bad.tsv"
    bad.write_text(header + "x\tc\tline\t\t\t\t(unclosed\treason\n", encoding="utf-8")
    with pytest.raises(bp.CatalogueError, match="does not compile"):
        bp.load_catalogue(bad)
    bad.write_text(header + "x\tc\tline\t\t\t\ta\treason\nx\tc\tline\t\t\t\tb\treason\n", encoding="utf-8")
    with pytest.raises(bp.CatalogueError, match="duplicate id"):
        bp.load_catalogue(bad)
    bad.write_text(header + "x\tc\tline\t\t\t\ta\t\n", encoding="utf-8")
    with pytest.raises(bp.CatalogueError, match="required"):
        bp.load_catalogue(bad)


def test_patterns_match_spelling_variants() -> None:
    rules = bp.removal_rules()
    for line in ("اقرأ أيضا", "إقرأ أيضاً", "اقرا ايضا", "إقرأ أيضًا:", "— اقرأ أيضا —"):
        rule = rules.match_line(line)
        assert rule is not None and rule.id == "read_also_header", line


def test_no_catastrophic_backtracking() -> None:
    rules = bp.removal_rules()
    meta = metadata.metadata_rules()
    nasty = [
        "-" * 299,
        "\N{ARABIC LETTER ALEF}" * 299,
        "a@" * 140,
        "(" * 150 + "x",
        "اقرأ " * 60,
        "1 - " * 75,
        "http://" + "a." * 140,
    ]
    started = time.perf_counter()
    for line in nasty:
        rules.match_line(line)
        rules.match_tail(line * 3)
        rules.match_head(line)
        meta.match_line(line)
        metadata.date_line(line[:120])
    assert time.perf_counter() - started < 2.0


def test_user_catalogue_adds_rules(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "\t".join(bp.COLUMNS) + "\nmy_promo\tpromo\tline\t\t\t\tعرض خاص اليوم\tour own promo\n",
        encoding="utf-8",
    )
    steps = stage(boilerplate_file=str(extra))
    doc = run(
        Document("d", "عرض خاص اليوم\nنص الخبر الكامل هنا مع تفاصيل كثيرة عن الموضوع المطروح للنقاش."), steps
    )
    assert [c.rule for c in doc.changes] == ["boilerplate.my_promo"]


# --- case files ------------------------------------------------------------------------------------------


def _cases() -> list[dict]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["why"][:50])
def test_case(case: dict) -> None:
    meta = {"title": case["metadata"]["title"]} if "title" in case.get("metadata", {}) else {}
    doc = run(Document("case", case["input"], meta), stage())
    expected = case["input"] if case["expected"] is None else case["expected"]
    assert doc.text.strip() == expected.strip(), case["why"]
    if case["expected"] is None:
        assert not doc.removed_lines(), case["why"]
    for field, value in case.get("metadata", {}).items():
        assert doc.field(field) == value, (field, case["why"])


# --- seeds -----------------------------------------------------------------------------------------------

SEED_REMOVED = {
    "000": {"الحرة", "إضافة تعليق جديد"},
    "001": {
        "عاجل",
        "english EN",
        "الإشراف العام",
        "رئيس التحرير",
        "طه جبريل",
        "صدى البلد",
        "\N{MULTIPLICATION SIGN}",
    },
    "002": {"31-أغسطس-2022", "قربت حرب أوكرانيا من العلاقة بين روسيا وكوريا الشمالية (Getty)"},
    "003": {"المصدر: وكالات"},
    "004": {"[ad_1]", "[ad_2]", "افتح ملخص المحرر مجانًا", "المصدر"},
}


@pytest.mark.parametrize("seed", sorted(SEED_REMOVED))
def test_seed(seed: str) -> None:
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    text = path.read_text(encoding="utf-8")
    doc = run(Document(seed, text), stage())
    removed = {c.before.strip() for c in doc.removed_lines()}
    assert SEED_REMOVED[seed] <= removed
    kept = {line.strip() for line in doc.text.split("\n") if line.strip()}
    # every remaining line is a body paragraph or a sub-heading of the article
    original = [line.strip() for line in text.split("\n") if line.strip()]
    body = [line for line in original if len(line.split()) >= 20]
    pulled = {c.before.strip() for c in doc.changes if c.rule == "repetition.pull_quote"}
    assert all(line in kept or line in pulled for line in body)
    for pulled_line in pulled:  # a pull quote is only removed when its paragraph stays
        assert any(pulled_line in line and pulled_line != line for line in kept)
    if seed == "000":
        for heading in ("تطور العلاقات بين روسيا وكوريا الشمالية", "العلاقات الاقتصادية بين البلدين"):
            assert heading in kept
        assert doc.added["title"].startswith("زيارة مرتقبة")
    if seed == "002":
        assert doc.added["date"] == "2022-08-31"


# --- metadata details ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("31-أغسطس-2022", "2022-08-31"),
        ("الجمعة, 21-سبتمبر-2012", "2012-09-21"),
        ("الأربعاء 11 تموز 2012", "2012-07-11"),
        ("تاريخ النشر :15 يونيو 2012", "2012-06-15"),
        ("طوكيو 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس", "2015-08-10"),
        ("25 شوال 1436 هـ", "2015-08-10"),
        ("الخميس 26 جويلية 2012", "2012-07-26"),
        ("17/04/2012", "2012-04-17"),
        ("2012-05-28", "2012-05-28"),
        ("في 21 شباط/فبراير الماضي أعلن الرئيس اعتراف بلاده", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert metadata.date_line(line) == iso


# --- site lines: learner, profile, CLI -----------------------------------------------------------------


WORDS = (
    "شمس قمر نهر بحر جبل وادي سهل غابة مدينة قرية شارع ميدان سوق مصنع مدرسة جامعة مكتبة مسرح ملعب حديقة"
).split()


def _site_corpus() -> list[Document]:
    docs = []
    for n in range(30):
        a, b, c = WORDS[n % 20], WORDS[(n * 7 + 3) % 20], WORDS[(n * 3 + 11) % 20]
        body = [
            f"الخبر عن {a} و{b} يتحدث عن موضوع {c} مختلف تماما في كل مرة مع تفاصيل إضافية.",
            f"وأوضح المسؤول عن {c} أن العمل في {a} مستمر منذ أشهر في مشروع {b} الجديد.",
        ]
        text = "\n".join(["شريط الموقع العلوي للأخبار", *body, "نشرة الموقع اليومية"])
        docs.append(Document(f"s{n}", text, {"source": "site-a"}))
    return docs


def test_site_lines_learns_template_and_keeps_content(tmp_path: Path) -> None:
    learner = site_lines.learner(CleanConfig())
    assert learner is not None
    half = site_lines.learner(CleanConfig())
    assert half is not None
    docs = _site_corpus()
    for doc in docs[:15]:
        learner.observe(doc)
    for doc in docs[15:]:
        half.observe(doc)
    learner.merge(half)
    model = learner.finish()
    path = tmp_path / "profile.json.gz"
    site_lines.save_profile(model, path)
    loaded = site_lines.load_profile(path)
    assert loaded == model
    steps = stage({"site_lines": loaded})
    doc = run(docs[3], steps)
    assert [c.rule for c in doc.changes] == ["site_lines.template", "site_lines.template"]
    assert doc.text == "\n".join(docs[3].text.split("\n")[1:3])
    other = run(Document("x", docs[3].text, {"source": "site-b"}), steps)  # another site: nothing learned
    assert not [c for c in other.changes if c.step == "site_lines"]


def test_learn_cli_writes_a_profile_that_clean_uses(tmp_path: Path) -> None:
    from arcorpus.cli import main

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for doc in _site_corpus():
            fh.write(
                json.dumps({"id": doc.id, "text": doc.text, "source": "site-a"}, ensure_ascii=False) + "\n"
            )
    profile = tmp_path / "site.json"
    assert main(["learn", str(corpus), "-o", str(profile), "-q"]) == 0
    out = tmp_path / "out.jsonl"
    assert (
        main(
            [
                "clean",
                str(corpus),
                "-o",
                str(out),
                "-q",
                "--site-lines-profile",
                str(profile),
                "--dedup",
                "none",
            ]
        )
        == 0
    )
    texts = [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(texts) == 30 and not any("شريط الموقع" in t for t in texts)


def test_fast_fold_agrees_with_fold() -> None:
    from arcorpus.text.fold import fold

    sample = "إقرأ أيضاً: مُسْتَشْفَى الأطفالِ في المدينةِ المنوّرة ـــ آذار"
    assert site_lines.fast_fold(sample) == fold(sample)


def test_line_key_ignores_spelling_digits_and_punctuation() -> None:
    same = ["إقرأ أيضاً: 12 مُسْتَشْفَى", "اقرا ايضا (47) مستشفي", "اقرأ\N{NO-BREAK SPACE} أيضا - ٣٣ مستشفى"]
    keys = {site_lines.line_hash(text) for text in same}
    assert len(keys) == 1 and None not in keys
    assert site_lines.line_hash("اقرأ أيضا مستشفيات") not in keys
    assert site_lines.line_hash("12 - ... !!") is None
    for text in same:  # agrees with fold(): letters only
        key = re.sub(r"[\W\d_]+", "", fold_key(text))
        assert site_lines._hash(key.encode("utf-8")) in keys


def fold_key(text: str) -> str:
    from arcorpus.text.fold import fold

    return fold(text)


def test_repetition_keeps_first_copy() -> None:
    text = (
        "صورة الحدث\nصورة الحدث\nنص الخبر الطويل الذي يشرح ما جرى بالتفصيل مع أسماء المشاركين وأماكن الحدث."
    )
    doc = repetition.RepetitionStep()(Document("r", text))
    assert doc.text.split("\n")[0] == "صورة الحدث"
    assert [c.rule for c in doc.changes] == ["repetition.repeat_adjacent"]


# --- fast paths against their plain definitions -----------------------------------------------------------

_WORDS = (
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}\N{ARABIC LETTER KHAH}"
    "\N{ARABIC LETTER BEH}\N{ARABIC LETTER REH}",
    "\N{ARABIC LETTER QAF}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER LAM}",
    "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}\N{ARABIC KASRA}\N{ARABIC LETTER NOON}",
    "news",
    "a.b+c@mail-x.com",
    "x@y.org",
    "@handle",
    "?",
    "...",
    "\N{HORIZONTAL ELLIPSIS}",
    "\N{GRINNING FACE}",
    "\N{ARABIC TATWEEL}",
    "\N{ARABIC FULL STOP}",
    ".",
    "\N{ARABIC QUESTION MARK}",
    "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}",
)


def _random_text(rng: random.Random, pieces: tuple[str, ...], lines: int) -> str:
    out = []
    for _ in range(lines):
        n = rng.choice((0, 1, 3, 8, 40, 150))
        out.append(
            " ".join(rng.choice(pieces) for _ in range(n))
            + rng.choice(("", " ", ".", "\N{ARABIC FULL STOP}"))
        )
    return "\n".join(out)


def _naive_hits(
    gates: dict[str, tuple[int, frozenset[str]]], text: str
) -> dict[int, tuple[int, frozenset[str]]]:
    out: dict[int, tuple[int, frozenset[str]]] = {}
    for i, line in enumerate(text.split("\n")):
        for literal, (kinds, names) in gates.items():
            if literal in line:
                bits, seen = out.get(i, (0, frozenset()))
                out[i] = (bits | kinds, seen | names)
    return out


def test_gate_scanner_finds_what_substring_search_finds() -> None:
    """The byte-view scan (and the str scan it falls back to) against `in` on every line."""
    scanner = bp.removal_rules().automaton
    assert scanner is not None and scanner.encoding_map is not None
    gates = dict(zip(scanner.literals, scanner.values, strict=True))
    fallback = bp.GateScanner({**gates, "a?b": (2, frozenset({"q"}))})
    assert fallback.encoding_map is None
    pieces = (*_WORDS, *scanner.literals, "a?b", "\N{ARABIC LETTER LAM}\N{ARABIC SHADDA}")
    rng = random.Random(7)
    for _ in range(300):
        text = _random_text(rng, pieces, rng.randint(1, 12))
        if rng.random() < 0.3:  # literals glued to each other and to line ends
            text = "".join(rng.choice(pieces) for _ in range(30)) + "\n" + text
        assert scanner.hits(text) == _naive_hits(gates, text)
        assert fallback.hits(text) == _naive_hits({**gates, "a?b": (2, frozenset({"q"}))}, text)


def test_guard_runs() -> None:
    assert bp.guard_runs(r"(?P<r1>(?:[\w.+-]+@x)?y)") == r"(?P<r1>(?:(?<![\w.+-])[\w.+-]+@x)?y)"
    assert bp.guard_runs(r"(?P<r1>[^\s]+z)") == r"(?P<r1>(?<![^\s])[^\s]+z)"
    assert bp.guard_runs(r"(?P<r1>a[\w]+z)") == r"(?P<r1>a[\w]+z)"
    assert bp.guard_runs(r"(?P<r1>[\w]*z)") == r"(?P<r1>[\w]*z)"


def test_guarded_tail_search_equals_the_plain_one() -> None:
    """`match_tail` (guarded regex + the plain one at the window start) against the plain regex alone,
    on lines longer than the window, with e-mails and contact phrases across its start."""
    rules = bp.removal_rules()
    removal = [rule for rule in bp.catalogue() if not rule.field]
    plain = [f"(?P<r{i}>{bp.expand(rule.pattern)})" for i, rule in enumerate(removal) if rule.scope == "tail"]
    exact = re.compile(f"(?:{'|'.join(plain)})[^\\w\\n]*$")
    assert rules.tail is not None and rules.tail_edge and rules.tail.pattern != exact.pattern
    contact = (
        "\N{ARABIC LETTER LAM}\N{ARABIC LETTER LAM}\N{ARABIC LETTER TEH}\N{ARABIC LETTER WAW}"
        "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER SAD}\N{ARABIC LETTER LAM}"
    )
    pieces = (*_WORDS, contact, "abc.def@site-a.co.uk", "word" * 5)
    rng = random.Random(11)
    checked = 0
    for _ in range(1500):
        line = _random_text(rng, pieces, 1)
        if rng.random() < 0.5:
            email = "".join(rng.choice("ab.+-_9") for _ in range(rng.randint(1, 30))) + "@ex.com"
            cut = max(0, len(line) - bp.TAIL_WINDOW - rng.randint(-10, 10))
            line = line[:cut] + email + " " + rng.choice((contact, "")) + line[cut:]
        if rng.random() < 0.5:
            line = (
                "x" * rng.randint(0, 700)
                + line
                + rng.choice((" " + contact + " 123", " a@b.cc", ". " + "q@w.org"))
            )
        m = exact.search(line, max(0, len(line) - bp.TAIL_WINDOW))
        want = None if m is None or not m.lastgroup else (rules.names[m.lastgroup], m.start())
        assert rules.match_tail(line) == want, line
        checked += want is not None
    assert checked > 100


_VARIANTS = {
    "\N{ARABIC LETTER ALEF}": (
        "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}",
        "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}",
        "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}",
        "\N{ARABIC LETTER ALEF WASLA}",
    ),
    "\N{ARABIC LETTER YEH}": ("\N{ARABIC LETTER ALEF MAKSURA}", "\N{ARABIC LETTER FARSI YEH}"),
    "\N{ARABIC LETTER HEH}": ("\N{ARABIC LETTER TEH MARBUTA}",),
    "\N{ARABIC LETTER KAF}": ("\N{ARABIC LETTER KEHEH}",),
}
_ODD = (
    "\N{ARABIC FATHA}",
    "\N{ARABIC SHADDA}",
    "\N{ARABIC TATWEEL}",
    "\N{ZERO WIDTH NON-JOINER}",
    "\N{ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM}",
    "\N{ARABIC LETTER ALEF ISOLATED FORM}",
    "\N{ARABIC-INDIC DIGIT THREE}",
    "\N{NO-BREAK SPACE}",
    "\N{ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM}",
    "\N{COPYRIGHT SIGN}",
    "\N{BULLET}",
    "(",
    "#",
)


def _spelled(rng: random.Random, word: str) -> str:
    out = []
    for ch in word:
        if ch in _VARIANTS and rng.random() < 0.3:
            ch = rng.choice(_VARIANTS[ch])
        out.append(ch)
        if rng.random() < 0.03:
            out.append(rng.choice(_ODD))
    return "".join(out)


def test_quick_reject_never_changes_a_whole_line_match() -> None:
    """`Compiled.quick` (a test before folding) against the full match without it, on lines made of the
    catalogue's own words in other spellings, with marks, ligatures, symbols and case-file lines."""
    import dataclasses

    rules = bp.removal_rules()
    assert rules.quick is not None
    plain = dataclasses.replace(rules, quick=None)
    vocabulary = sorted(
        {
            w
            for rule in bp.catalogue()
            if rule.scope.startswith("line")
            for w in re.findall(r"[^\W\d_]+", rule.pattern)
        }
    )
    lines = [line for case in _cases() for line in case["input"].split("\n")]
    rng = random.Random(3)
    for _ in range(6000):
        n = rng.choice((1, 2, 3, 5, 6, 7, 9, 15, 25))
        words = [
            _spelled(rng, rng.choice(vocabulary)) if rng.random() < 0.6 else rng.choice(_WORDS)
            for _ in range(n)
        ]
        line = " ".join(words)
        if rng.random() < 0.2:
            line = rng.choice((*_ODD, "- ", "** ", " ")) + line
        if rng.random() < 0.2:
            line += rng.choice((":", ".", " 12", " |", "\N{ARABIC COMMA}"))
        lines.append(line)
    rejected = claimed = 0
    for line in lines:
        want = plain.match_line(line, ())
        assert rules.match_line(line, ()) == want, line
        rejected += rules.quick.match(line) is None
        claimed += want is not None
    assert rejected > 300 and claimed > 100, (rejected, claimed)


def test_literal_prefixes() -> None:
    assert bp.literal_prefixes("(?P<r1>ab(?:c|de)f)") == {"abc", "abde"}
    assert bp.literal_prefixes("abcdefgh", limit=3) == {"abc"}
    assert bp.literal_prefixes("(?:ab|[xy]z)") is None
    assert bp.literal_prefixes("(?i)ab") is None
    assert bp.literal_prefixes("(?i:ab)c") is None
    assert bp.literal_prefixes(r"\bab") is None
