"""Issue 15 mechanisms: per-site heads with a varying part, teasers, short documents that vary only in
digits, and metadata that is metadata (no generic values, no quotation/verse/question as subtitle, no
document emptied into its fields)."""

from __future__ import annotations

from arcorpus.config import CleanConfig
from arcorpus.document import Document
from arcorpus.steps.boilerplate import extract_metadata as md
from arcorpus.steps.boilerplate import site_lines as sl

WORDS = (
    "الحكومة الوزارة المدينة الشركة المجلس المشروع البرنامج الاجتماع المؤتمر الاتفاق التقرير المنطقة "
    "الطلاب المستشفى الجامعة السوق النادي الفريق المحكمة البلدية"
).split()


LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
SRC = {"source": "s"}


def j(*lines: str) -> str:
    return "\n".join(lines)


def paragraph(seed: int, words: int = 24) -> str:
    """A distinct paragraph: ``words`` words and a name spelled from ``seed`` (line keys ignore digits)."""
    name = "".join(LETTERS[int(d) + 3 * k] for k, d in enumerate(f"{seed:04d}"))
    picked = [WORDS[(seed * 7 + k * (seed % 5 + 1)) % len(WORDS)] for k in range(words)]
    return f"وقال المسؤول {name} إن " + " ".join(picked) + "."


def learn(docs: list[Document]) -> sl.SiteLinesStep:
    learner = sl.SiteLinesLearner(min_docs=5)
    learner.observe_many(docs)
    step = sl.build(CleanConfig(), {"site_lines": learner.finish()})
    assert step is not None
    return step


def test_a_head_recurring_with_a_varying_headline_is_a_template_line() -> None:
    docs = [
        Document(
            f"d{i}", j(paragraph(i), paragraph(i + 100), f"رابط الخبر بموقع المثال: عنوان {WORDS[i]}"), SRC
        )
        for i in range(20)
    ]
    step = learn(docs)
    out = step(docs[3])
    assert out.text == j(paragraph(3), paragraph(103))
    assert [c.rule for c in out.changes] == ["site_lines.head_template", "site_lines.evidence"]
    assert "رابط الخبر بموقع المثال" in out.changes[1].before


def test_a_dateline_head_of_a_real_paragraph_keeps_the_paragraph() -> None:
    docs = [Document(f"d{i}", j(f"المدينة: {paragraph(i)}", paragraph(i + 100)), SRC) for i in range(20)]
    step = learn(docs)
    assert step(docs[3]).text == docs[3].text


def test_short_documents_that_vary_only_in_digits_are_kept() -> None:
    docs = [Document(f"g{i}", f"ارتفاع سعر الذهب إلى {1200 + i} دولارا للأوقية", SRC) for i in range(6)]
    docs += [Document(f"d{i}", j(paragraph(i), paragraph(i + 50)), SRC) for i in range(44)]
    step = learn(docs)
    for doc in docs[:6]:
        assert step(doc).text == doc.text


def test_a_headline_linked_from_other_documents_is_a_teaser() -> None:
    teaser = "تعرف على تفاصيل المشروع الجديد في المدينة"
    docs = [Document(f"d{i}", j(paragraph(i), teaser, paragraph(i + 100)), SRC) for i in range(4)]
    docs += [Document(f"e{i}", j(paragraph(i + 200), paragraph(i + 300)), SRC) for i in range(40)]
    step = learn(docs)
    out = step(docs[0])
    assert out.text == j(paragraph(0), paragraph(100))
    assert out.changes[0].rule == "site_lines.teaser"


def test_copies_of_one_story_keep_their_subheadings() -> None:
    sub = "تطور العلاقات بين البلدين في العام الماضي"
    body = paragraph(1)
    docs = [Document(f"d{i}", j(paragraph(i + 10), sub, body), SRC) for i in range(4)]
    docs += [Document(f"e{i}", j(paragraph(i + 200), paragraph(i + 300)), SRC) for i in range(40)]
    step = learn(docs)
    assert step(docs[0]).text == docs[0].text  # the shared paragraph says: copies, not teasers


def added(doc: Document) -> dict:
    """The fields steps added (``Document.added`` where documents keep them apart, else ``metadata``)."""
    return dict(getattr(doc, "added", None) or doc.metadata)


def metadata(text: str) -> Document:
    step = md.build(CleanConfig(), {})
    assert step is not None
    return step(Document("x", text))


def test_a_label_alone_is_removed_without_a_value() -> None:
    out = metadata(j(paragraph(1), paragraph(2), "المصدر"))
    assert "source_credit" not in added(out)
    assert out.text == j(paragraph(1), paragraph(2))
    assert out.changes[0].rule == "extract_metadata.label_only"
    out = metadata(j(paragraph(1), paragraph(2), "المصدر: وكالات"))
    assert added(out)["source_credit"] == "المصدر: وكالات"


def test_quotations_questions_and_verses_are_not_subtitles() -> None:
    body = j(paragraph(1), paragraph(2))
    for line in (
        "قال تعالى «ومن لم يحكم بما أنزل الله فأولئك هم الظالمون»",
        "«ومن لم يحكم بما أنزل الله فأولئك هم الكافرون»",
        "هل يجوز للمسافر أن يفطر في رمضان؟",
    ):
        out = metadata(j("بيان للناس", line, body))
        assert line in out.text.split("\n"), line
        assert added(out).get("title") == "بيان للناس"


def test_a_block_the_body_refers_to_stays() -> None:
    verses = j("بالعلم والمال يبني الناس ملكهم", "لم يبن ملك على جهل وإقلال")
    out = metadata(j(verses, f"هذه الأبيات قالها أمير الشعراء {paragraph(3)}", paragraph(4)))
    assert out.text.startswith(verses)
    assert "title" not in added(out)


def test_a_document_is_never_emptied_into_its_fields() -> None:
    out = metadata(j("مرشد البذال -رحمه الله-", "الرياض - واس"))
    assert out.text.split("\n")[0] == "مرشد البذال -رحمه الله-"


def test_an_author_note_is_not_a_byline() -> None:
    out = metadata(j(paragraph(1), paragraph(2), "* استشاري طب الأطفال"))
    assert added(out).get("author_note") == "استشاري طب الأطفال"
    assert "byline" not in added(out)


# --- this session (2026-12-08): blocks of links, names at the end, quotations are no titles -------------

LINKS = ("فرنسا تعرض الوساطة بين تركيا والأكراد في الشمال", "سجن برازيلي بلا حراس ولا أسلحة")


def test_link_runs_are_headlines_between_paragraphs() -> None:
    lines = [paragraph(1), *LINKS, paragraph(2)]
    assert sl.link_runs(lines) == [[1, 2]]
    assert sl.link_runs([paragraph(1), *LINKS]) == []  # at the end: no paragraph after the block
    assert sl.link_runs([paragraph(1), LINKS[0], paragraph(2)]) == []  # one line: a sub-heading
    assert sl.link_runs([paragraph(1), LINKS[0], "وبحسب المصادر لم يرد المكتب على الطلب", paragraph(2)]) == []
    assert sl.link_runs([paragraph(1), "إذا هزمت في الملعب.. فلا تخسر خارجه..", LINKS[0], paragraph(2)]) == []


def test_the_neighbours_of_a_teaser_go_with_it() -> None:
    teaser = "تعرف على تفاصيل المشروع الجديد في المدينة الكبيرة"
    docs = [Document(f"d{i}", j(paragraph(i), teaser, paragraph(i + 100)), SRC) for i in range(3)]
    docs.append(Document("n", j(paragraph(7), paragraph(8), LINKS[0], teaser, paragraph(9)), SRC))
    docs += [Document(f"e{i}", j(paragraph(i + 200), paragraph(i + 300)), SRC) for i in range(40)]
    out = learn(docs)(docs[3])
    assert out.text == j(paragraph(7), paragraph(8), paragraph(9))
    assert {c.rule for c in out.changes} >= {"site_lines.teaser", "site_lines.teaser_block"}


def _word(seed: int) -> str:
    return "".join(LETTERS[int(d) + 3 * k] for k, d in enumerate(f"{seed:04d}"))


def _linking_source(blocks_with_teaser: int) -> list[Document]:
    """A source of 60 documents, each with a block of two links between paragraphs; in the first
    ``blocks_with_teaser`` documents one of the two links recurs (in 4 documents: a teaser)."""
    docs = []
    for i in range(60):
        first = f"تقرير عن {_word(i + 1000)} في المدينة الكبرى"
        second = (
            f"خبر متكرر عن {_word(i // 4 + 2000)} في المدينة"
            if i < blocks_with_teaser
            else f"حدث جديد عن {_word(i + 3000)} في المنطقة"
        )
        text = j(paragraph(i), paragraph(i + 500), first, second, paragraph(i + 900))
        docs.append(Document(f"d{i}", text, SRC))
    return docs


def test_a_source_that_prints_link_blocks_loses_them_all() -> None:
    docs = _linking_source(blocks_with_teaser=40)
    learner = sl.SiteLinesLearner(min_docs=5)
    learner.observe_many(docs)
    model = learner.finish()
    assert model.sources["s"].blocks == (40, 60) and model.sources["s"].prints_links
    step = sl.build(CleanConfig(), {"site_lines": model})
    assert step is not None
    out = step(docs[50])  # a block with no recurring line: removed because the source prints blocks
    assert out.text == j(paragraph(50), paragraph(550), paragraph(950))
    assert [c.rule for c in out.changes if c.action == "remove_line"] == ["site_lines.link_block"] * 2
    assert "this source prints link blocks (40 of its 60" in out.changes[-1].before
    out = step(docs[5])  # its second link stands in d4-d7: explain names another of them
    notes = [c.before for c in out.changes if c.rule == "site_lines.evidence"]
    assert any(n.endswith("it also stands in document d4") for n in notes), notes


def test_a_source_without_anchored_blocks_keeps_its_headline_pairs(tmp_path) -> None:
    docs = _linking_source(blocks_with_teaser=0)
    learner = sl.SiteLinesLearner(min_docs=5)
    learner.observe_many(docs)
    model = learner.finish()
    assert not model.sources["s"].prints_links
    step = sl.build(CleanConfig(), {"site_lines": model})
    assert step is not None
    assert step(docs[50]).text == docs[50].text
    path = tmp_path / "p.json"
    sl.save_profile(model, path)
    assert sl.load_profile(path).sources["s"].blocks == model.sources["s"].blocks
    linked = _linking_source(blocks_with_teaser=40)
    learner = sl.SiteLinesLearner(min_docs=5)
    learner.observe_many(linked)
    model = learner.finish()
    sl.save_profile(model, path)
    assert sl.load_profile(path).sources["s"].examples == model.sources["s"].examples != {}
    halves = sl.SiteLinesLearner(min_docs=5), sl.SiteLinesLearner(min_docs=5)
    halves[1].observe_many(linked[30:])
    halves[0].observe_many(linked[:30])
    halves[1].merge(halves[0])  # out of order: the smallest ids are kept whatever the order
    assert halves[1].finish().sources["s"].examples == model.sources["s"].examples


def test_a_name_closing_a_column_is_its_byline() -> None:
    out = metadata(j(paragraph(1), paragraph(2), "طه عبد الواحد"))
    assert added(out)["byline"] == "طه عبد الواحد"
    assert out.text == j(paragraph(1), paragraph(2))
    bio = "باحث تربوي ومختص في مناهج اللغة العربية"
    out = metadata(j(paragraph(1), paragraph(2), "محمد صالح العلي", bio))
    assert added(out)["byline"] == "محمد صالح العلي"
    assert added(out)["author_note"] == bio
    assert [c.rule for c in out.changes] == ["extract_metadata.name_byline", "extract_metadata.author_bio"]


def test_what_is_not_a_closing_name_stays() -> None:
    for tail in (
        j("أحمد علي", "محمد صالح"),  # a list of names: the line above is no paragraph
        "الحكومة والمجلس",  # not a given name first
        "محمد صلاح 2018",  # digits
        j("مالك بن أنس", "الأصبحي، إمام دار الهجرة، قالوا في سيرته: كان من أحسن الناس"),  # about him
    ):
        out = metadata(j(paragraph(1), paragraph(2), tail))
        assert out.text == j(paragraph(1), paragraph(2), tail), tail


def test_a_quotation_is_not_a_title() -> None:
    line = '(هل من الممكن أن نفكر في مصطلح "التربية البلدية")؟ (هل تستطيع البلدية أن تسهم؟)'
    out = metadata(j(line, paragraph(1), paragraph(2)))
    assert out.text.split("\n")[0] == line
    assert "title" not in added(out)
