"""The Deduplicator end to end: properties (variants cluster, idempotence, order), modes, pipeline."""

from __future__ import annotations

import random
from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arcorpus.config import CleanConfig
from arcorpus.dedup import Deduplicator
from arcorpus.document import Document, Reject
from arcorpus.run.local import run

LETTERS = [chr(c) for c in range(0x0628, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
ALEF, ALEF_HAMZA_ABOVE, ALEF_HAMZA_BELOW = (
    "\N{ARABIC LETTER ALEF}",
    "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}",
    "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}",
)
TEH_MARBUTA, HEH = "\N{ARABIC LETTER TEH MARBUTA}", "\N{ARABIC LETTER HEH}"
FATHA, TATWEEL = "\N{ARABIC FATHA}", "\N{ARABIC TATWEEL}"
BOILERPLATE = [
    # "follow us on twitter", an ad marker, "read also: ..."
    "\N{ARABIC LETTER TEH}\N{ARABIC LETTER ALEF}\N{ARABIC LETTER BEH}\N{ARABIC LETTER AIN}"
    "\N{ARABIC LETTER WAW}\N{ARABIC LETTER NOON}\N{ARABIC LETTER ALEF} "
    "\N{ARABIC LETTER AIN}\N{ARABIC LETTER LAM}"
    "\N{ARABIC LETTER ALEF MAKSURA} twitter",
    "[ad_1]",
    "\N{ARABIC LETTER ALEF}\N{ARABIC LETTER QAF}\N{ARABIC LETTER REH}\N{ARABIC LETTER ALEF WITH HAMZA ABOVE} "
    "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}\N{ARABIC LETTER YEH}\N{ARABIC LETTER DAD}"
    "\N{ARABIC LETTER ALEF}: ...",
]

word = st.text(st.sampled_from(LETTERS), min_size=2, max_size=8).map(
    lambda w: ALEF_HAMZA_ABOVE + w if len(w) % 3 == 0 else w
)
article = st.lists(word, min_size=60, max_size=200, unique=True).map(
    lambda ws: "\n".join(" ".join(ws[i : i + 12]) for i in range(0, len(ws), 12))
)


def vary(text: str, rnd: random.Random) -> str:
    """A copy with spelling variants, diacritics, tatweel, punctuation and one boilerplate line."""
    out = []
    for token in text.split(" "):
        r = rnd.random()
        if r < 0.15:
            token = token.replace(ALEF_HAMZA_ABOVE, ALEF)
        elif r < 0.25:
            token = token + FATHA
        elif r < 0.3 and len(token) > 2:
            token = token[:1] + TATWEEL + token[1:]
        elif r < 0.35:
            token = token + "\N{ARABIC COMMA}"
        out.append(token)
    lines = " ".join(out).split("\n")
    position = rnd.choice([0, len(lines)])
    lines.insert(position, rnd.choice(BOILERPLATE))
    return "\n".join(lines)


def dedup_docs(
    docs: Sequence[Document], config: CleanConfig | None = None
) -> tuple[Deduplicator, dict[int, object]]:
    dedup = Deduplicator(config or CleanConfig())
    for i, sig in enumerate(dedup.signatures(list(docs))):
        dedup.add(i, docs[i].id, sig)
    return dedup, dict(dedup.resolve())


def clusters_of(docs: Sequence[Document], infos: dict[int, object]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for i, info in infos.items():
        groups.setdefault(info.cluster_id, set()).add(docs[i].id)  # type: ignore[attr-defined]
    return {frozenset(g) for g in groups.values()}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(article, st.randoms(use_true_random=False))
def test_a_document_and_its_noisy_copy_cluster(text: str, rnd: random.Random) -> None:
    docs = [Document("orig", text), Document("copy", vary(text, rnd))]
    _, infos = dedup_docs(docs)
    assert set(infos) == {0, 1}
    assert {infos[0].duplicate_of, infos[1].duplicate_of} - {None} <= {"orig", "copy"}  # type: ignore[attr-defined]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(article, min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_properties_on_a_small_corpus(texts: list[str], rnd: random.Random) -> None:
    docs = [Document(f"d{i}", t) for i, t in enumerate(texts)]
    docs += [Document(f"v{i}", vary(t, rnd)) for i, t in enumerate(texts) if rnd.random() < 0.5]
    _, infos = dedup_docs(docs)
    found = clusters_of(docs, infos)
    # input order does not change which clusters are found
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    _, infos2 = dedup_docs(shuffled)
    assert clusters_of(shuffled, infos2) == found
    # deduplicating the deduplicated corpus removes nothing
    kept = [d for i, d in enumerate(docs) if getattr(infos.get(i), "duplicate_of", None) is None]
    _, again = dedup_docs(kept)
    assert all(info.duplicate_of is None for info in again.values())  # type: ignore[attr-defined]
    assert not again


def test_kept_document_is_the_most_complete_then_earliest() -> None:
    base = " ".join(f"w{i}" for i in range(100))
    docs = [Document("short", base), Document("long", base + " w100 w101"), Document("same", base)]
    _, infos = dedup_docs(docs)
    assert infos[1].duplicate_of is None  # type: ignore[attr-defined]
    assert infos[0].duplicate_of == "long" and infos[2].duplicate_of == "long"  # type: ignore[attr-defined]
    assert infos[0].method == "near" and infos[0].cluster_size == 3  # type: ignore[attr-defined]
    # exact duplicates tie on completeness: the earliest is kept
    _, infos = dedup_docs([Document("a", base), Document("b", base + ".")])
    assert infos[0].duplicate_of is None and infos[1].duplicate_of == "a"  # type: ignore[attr-defined]
    assert infos[1].method == "exact"  # type: ignore[attr-defined]


def test_exact_mode_ignores_near_duplicates() -> None:
    base = " ".join(f"w{i}" for i in range(100))
    docs = [Document("a", base), Document("b", base + " extra"), Document("c", base.upper())]
    _, infos = dedup_docs(docs, CleanConfig(dedup="exact"))
    assert set(infos) == {0, 2}


def test_template_reports_with_different_figures_are_not_duplicates() -> None:
    """Hard negative: the same daily template with different figures on every line."""
    rnd = random.Random(1)
    lines = [f"price of item{i} today is {{}} riyal and yesterday it was {{}} riyal" for i in range(12)]
    docs = [
        Document(
            f"day{d}", "\n".join(line.format(rnd.randint(1, 999), rnd.randint(1, 999)) for line in lines)
        )
        for d in range(5)
    ]
    _, infos = dedup_docs(docs)
    assert infos == {}


def test_pipeline_marks_duplicates_and_reports(tmp_path: object) -> None:
    base = " ".join(f"w{i}" for i in range(60))
    docs = [Document("a", base), Document("b", base + " w60"), Document("c", "something else entirely " * 3)]
    reports: list[dict[str, object]] = []
    config = CleanConfig(keep_duplicates=True)
    for workers in (1, 2):
        outcomes = list(
            run(lambda: iter(docs), config, models={}, workers=workers, on_dedup_report=reports.append)
        )
        kinds = [o.kind for o in outcomes]
        assert kinds == ["duplicate", "kept", "kept"]
        dup = outcomes[0].document
        assert dup is not None
        assert dup.added["duplicate_of"] == "b" and dup.added["cluster_size"] == 2
        assert (
            outcomes[1].document is not None
            and outcomes[1].document.added["cluster_id"] == dup.added["cluster_id"]
        )
    assert reports[0]["clusters"] == 1 and reports[0] == reports[1]


def repeated_corpus() -> list[Document]:
    background = "the agency was founded in the year of the great river and reports on the region"
    return [
        Document(f"d{i}", f"story {i} " + " ".join(f"s{i}w{k}" for k in range(30)) + "\n" + background)
        for i in range(25)
    ]


def test_repeated_paragraphs_report_and_remove() -> None:
    docs = repeated_corpus()
    reports: list[dict[str, object]] = []
    outcomes = list(run(lambda: iter(docs), CleanConfig(), models={}, on_dedup_report=reports.append))
    assert all(o.kind == "kept" and o.document is not None and "agency" in o.document.text for o in outcomes)
    top = reports[0]["repeated_paragraphs"]["top"]  # type: ignore[index]
    assert top[0]["documents"] == 25 and "agency" in top[0]["text"]
    removed = list(run(lambda: iter(docs), CleanConfig(repeated_paragraphs="remove"), models={}))
    for outcome in removed:
        doc = outcome.document
        assert doc is not None and "agency" not in doc.text
        change = doc.changes[-1]
        assert (change.step, change.rule, change.action, change.line) == (
            "dedup",
            "dedup.repeated_paragraph",
            "remove_line",
            1,
        )
    off: list[dict[str, object]] = []
    list(
        run(lambda: iter(docs), CleanConfig(repeated_paragraphs="off"), models={}, on_dedup_report=off.append)
    )
    assert off[0]["repeated_paragraphs"]["count"] == 0  # type: ignore[index]


def test_a_document_of_only_repeated_paragraphs_becomes_a_reject() -> None:
    only = Document("only", "the agency was founded in the year of the great river and reports on the region")
    docs = [*repeated_corpus(), only]
    outcomes = list(
        run(lambda: iter(docs), CleanConfig(repeated_paragraphs="remove", dedup="exact"), models={})
    )
    # "only" is an exact duplicate of nothing (the others have a story line), so it is kept, then emptied
    last = outcomes[-1]
    assert last.kind == "rejected" and isinstance(last.reject, Reject)
    assert last.reject.reason == "empty_after_cleaning"


def test_resolve_twice_gives_the_same_result() -> None:
    base = " ".join(f"w{i}" for i in range(60))
    docs = [Document("a", base), Document("b", base + " w60"), Document("c", base)]
    dedup, first = dedup_docs(docs)
    report = dedup.report()
    assert dict(dedup.resolve()) == first and dedup.report() == report
