"""The corpus pipeline: learning and deferred parsing give the same result whatever the worker count."""

from __future__ import annotations

import gzip
import json
import pickle
from pathlib import Path

from _corpus_factory import arabic_sentence

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document, Reject
from arcorpus.io.outcomes import OutcomeEncoder
from arcorpus.io.readers import RawRecord, ReadOptions, parsed, read_file, read_file_deferred
from arcorpus.run.local import LEARN_BATCH, learn, run, run_encoded


def _site_corpus() -> list[Document]:
    """One source whose template line opens 5 documents, 3 of them exact copies of one text that fall in
    different learner batches: the copies count once, so the line is in 3 distinct texts, not 5."""
    template = arabic_sentence(1, 6)
    copy = f"{template}\n{arabic_sentence(2)}"
    docs = []
    for i in range(LEARN_BATCH * 3):
        if i in (10, LEARN_BATCH + 10, 2 * LEARN_BATCH + 10):
            text = copy
        elif i in (20, 30):
            text = f"{template}\n{arabic_sentence(100 + i)}"
        else:
            text = arabic_sentence(1000 + i)
        docs.append(Document(id=f"d{i}", text=text, metadata={"source": "site"}))
    return docs


def test_learned_models_do_not_depend_on_the_worker_count_and_count_each_text_once() -> None:
    """Found on the shared corpus: with repeats counted once per learner batch, two copies of an article
    far apart made its own paragraphs 'site lines', and half of each copy was removed."""
    docs = _site_corpus()
    for min_docs, learned in ((4, False), (3, True)):
        config = CleanConfig(site_lines_min_docs=min_docs)
        one = learn(lambda: docs, config, workers=1)
        two = learn(lambda: docs, config, workers=2)
        assert pickle.dumps(one) == pickle.dumps(two)
        profile = one["site_lines"].sources["site"]
        assert profile.docs == len(docs) - 2  # the two later copies are not counted
        assert bool(profile.lines) is learned, (min_docs, dict(profile.lines))


def test_a_learner_merged_in_order_counts_what_one_learner_counts() -> None:
    from arcorpus.steps.boilerplate.site_lines import SiteLinesLearner

    docs = _site_corpus()
    whole = SiteLinesLearner(min_docs=3)
    whole.observe_many(docs)
    merged = SiteLinesLearner(min_docs=3)
    for start in range(0, len(docs), 100):
        part = SiteLinesLearner(min_docs=3)
        part.observe_many(docs[start : start + 100])
        merged.merge(part)
    assert merged.docs == whole.docs and merged.counts == whole.counts


def test_deferred_records_parse_to_what_the_reader_yields(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": arabic_sentence(3), "source": "s"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "x\r\ny"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    eager = list(read_file(path))
    deferred = list(read_file_deferred(path, ReadOptions()))
    assert any(isinstance(item, RawRecord) for item in deferred)
    assert [parsed(item) for item in deferred] == eager
    assert [type(item) for item in eager] == [Document, Reject, Reject, Document]


def test_run_output_is_identical_with_one_and_two_workers() -> None:
    docs = _site_corpus()[: LEARN_BATCH + 50]
    docs.append(Document(id="dup", text=docs[3].text + "\n"))  # an exact duplicate (d10's copy is another)
    config = CleanConfig(keep_duplicates=True)
    outputs = []
    for workers in (1, 2):
        outcomes = list(run(lambda: docs, config, workers=workers))
        outputs.append([(o.kind, o.document or o.reject) for o in outcomes])
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == len(docs)
    assert [kind for kind, _ in outputs[0]].count("duplicate") == 2


def test_pickling_round_trips_documents_changes_and_rejects() -> None:
    change = Change(
        "s", "s.rule", "rewrite", before="a", after="b", line=2, start=1, end=3, count=4, field="f"
    )
    doc = Document("id", "text", {"k": [1, 2]}, (change,), origin="o.jsonl", origin_line=7)
    reject = Reject("why", "message", "src", 3, id="x", text="t", changes=(change,))
    for value in (change, doc, reject):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def _paragraph_corpus() -> list[Document]:
    """Documents sharing a repeated paragraph (in different spellings of its first line), spread over
    several batches, plus exact duplicates and one document that is nothing but the paragraph."""
    background = "the agency was founded in the year of the great river and reports on the region"
    docs = [
        Document(f"d{i}", f"story {i} " + " ".join(f"s{i}w{k}" for k in range(30)) + "\n" + background)
        for i in range(300)
    ]
    docs.append(Document("copy", docs[7].text))
    docs.append(Document("only", background))
    return docs


def test_encoded_runs_match_across_worker_counts_and_the_plain_run() -> None:
    """`run_encoded` with 1 and 2 workers (the last pass in workers) gives the bytes, counts and dedup
    report that encoding `run`'s outcomes in one process gives; repeated-paragraph notes included."""
    docs = _paragraph_corpus()
    for mode in ("report", "remove"):
        config = CleanConfig(repeated_paragraphs=mode, keep_duplicates=True)
        encode = OutcomeEncoder(explain=True, keep_duplicates=True)
        plain_reports: list[dict[str, object]] = []
        plain = encode(run(lambda: docs, config, models={}, on_dedup_report=plain_reports.append))
        for workers in (1, 2):
            reports: list[dict[str, object]] = []
            batches = list(
                run_encoded(
                    lambda: docs, config, encode, models={}, workers=workers, on_dedup_report=reports.append
                )
            )
            assert b"".join(b.documents for b in batches) == plain.documents
            assert b"".join(b.rejects for b in batches) == plain.rejects
            assert sum(b.tally.documents_in for b in batches) == len(docs)
            assert reports == plain_reports
        top = plain_reports[0]["repeated_paragraphs"]["top"]  # type: ignore[index]
        assert top[0]["documents"] == 301 and "agency" in top[0]["text"]
        assert plain.tally.duplicates == 1
        if mode == "remove":
            assert plain.reject_count == 1 and b"empty_after_cleaning" in plain.rejects


def test_deferred_records_of_plain_files_travel_by_reference(tmp_path: Path) -> None:
    """A worker reads the line itself: the pickle holds (file, offset, size), not the text, and parses to
    the same item; if the file changed meanwhile, the record becomes an ``input_changed`` reject."""
    path = tmp_path / "in.jsonl"
    text = arabic_sentence(9, 400)
    lines = [json.dumps({"id": f"r{i}", "text": f"{text} {i}"}, ensure_ascii=False) for i in range(3)]
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_file_deferred(path, ReadOptions()))
    assert all(isinstance(r, RawRecord) and r.offset >= 0 for r in records)
    blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in records]
    assert all(len(blob) < 300 < len(text) for blob in blobs)
    assert [parsed(pickle.loads(b)) for b in blobs] == list(read_file(path))
    gz = tmp_path / "in.jsonl.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    (compressed,) = list(read_file_deferred(gz, ReadOptions()))[:1]
    assert isinstance(compressed, RawRecord) and compressed.offset == -1
    assert len(pickle.dumps(compressed)) > len(text)  # the bytes travel: no offset into a .gz
    path.write_text("{}\n", encoding="utf-8")  # the input changes between the reads
    changed = parsed(pickle.loads(blobs[2]))
    assert isinstance(changed, Reject) and changed.reason == "input_changed"


def test_encoded_runs_without_dedup_match_across_worker_counts() -> None:
    """Without dedup the outcomes are encoded in the pass-2 workers themselves: same bytes and counts."""
    docs = [*_paragraph_corpus()[:150], Document("blank", "\n \n")]
    config = CleanConfig(dedup="none", repeated_paragraphs="off")
    encode = OutcomeEncoder(explain=True)
    plain = encode(run(lambda: docs, config, models={}))
    for workers in (1, 2):
        batches = list(run_encoded(lambda: docs, config, encode, models={}, workers=workers))
        assert b"".join(b.documents for b in batches) == plain.documents
        assert b"".join(b.rejects for b in batches) == plain.rejects
        assert sum(b.tally.documents_in for b in batches) == len(docs)
    assert plain.document_count == 150 and plain.reject_count == 1
