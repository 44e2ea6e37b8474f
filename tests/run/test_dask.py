"""The Dask engine must write exactly what the embedded engine writes, on a real two-process cluster.

A `distributed.LocalCluster` (two worker processes, one thread each, loopback) is started once for the
module; every test compares the bytes of ``arcorpus clean --engine dask`` (or the records of
``arcorpus.dask.clean``) with the embedded ``arcorpus clean``. Skipped without the ``dask`` extra.
"""

from __future__ import annotations

import io
import json
import logging
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import arcorpus.dask
from arcorpus.api import clean_documents
from arcorpus.cli import main
from arcorpus.config import CleanConfig
from arcorpus.dask.inputs import Block, _LineOffsetStream, count_lines, plan_blocks, read_block
from arcorpus.dask.learn import learn as learn_on_dask
from arcorpus.io.readers import ReadOptions, read_file
from arcorpus.io.writers import dumps
from arcorpus.run.local import learn as learn_sequential

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
LETTERS = [chr(c) for c in range(0x0628, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 7)))


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(_word(rng) for _ in range(words))


def make_corpus(directory: Path, n: int = 240, seed: int = 7) -> Path:
    """Documents from three sources, each with its own header and footer lines, exact duplicates,
    whitespace-only variants, near duplicates (one word changed in ~160), a malformed line and a blank
    text: one JSONL file and one .txt file."""
    rng = random.Random(seed)
    templates = [(_paragraph(rng, 4), _paragraph(rng, 6)) for _ in range(3)]
    wire = _paragraph(rng, 12)
    records: list[dict[str, object]] = []
    for i in range(n):
        source = f"site{i % 3}.example"
        if records and i % 9 == 4:
            base = dict(rng.choice(records))
            base["id"] = f"doc{i}"
            base["text"] = "  " + str(base["text"]).replace(" ", "  ", 3) + "\n"  # exact after folding
        elif records and i % 11 == 5:
            base = dict(rng.choice(records))
            words = str(base["text"]).split(" ")
            words[rng.randrange(len(words))] = _word(rng)  # a near duplicate
            base["id"] = f"doc{i}"
            base["text"] = " ".join(words)
        else:
            # every site prints its own header and footer lines: what site_lines learns and removes
            header, footer = templates[i % 3]
            body = [_paragraph(rng, 50) for _ in range(3)]
            if i % 5 == 0:  # an agency's background paragraph, repeated across documents
                body.insert(rng.randrange(4), wire)
            text = "\n\n".join([header, *body, footer])
            base = {"id": f"doc{i}", "source": source, "url": f"https://{source}/{i}", "text": text}
        records.append(base)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, record in enumerate(records):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if i == 30:
                fh.write("{not json\n")
            if i == 31:
                fh.write("\n")
            if i == 60:
                fh.write(json.dumps({"id": "blank", "text": "  \n "}) + "\n")
    (directory / "extra.txt").write_text(str(records[10]["text"]), encoding="utf-8")
    return directory


def _run(args: list[str], out: Path) -> tuple[int, bytes, bytes]:
    code = main(["clean", *args, "-o", str(out), "-q"])
    rejects = out.with_name(out.name.replace(".jsonl", ".rejects.jsonl"))
    return code, out.read_bytes(), rejects.read_bytes() if rejects.exists() else b""


def _compare(tmp_path: Path, cluster: LocalCluster, inputs: list[str], *flags: str) -> tuple[int, bytes]:
    local = _run([*inputs, *flags], tmp_path / "local.jsonl")
    dask = _run(
        [*inputs, *flags, "--engine", "dask", "--scheduler", cluster.scheduler_address],
        tmp_path / "dask.jsonl",
    )
    assert dask[0] == local[0]
    assert dask[1] == local[1], "output differs from the embedded engine"
    assert dask[2] == local[2], "rejects differ from the embedded engine"
    return local[0], local[1]


def test_seeds_byte_identical(tmp_path: Path, cluster: LocalCluster) -> None:
    code, out = _compare(tmp_path, cluster, [str(SEEDS)], "--explain")
    assert code == 0
    assert out.count(b"\n") == len(list(SEEDS.glob("*.txt")))


def test_generated_corpus_split_into_blocks(
    tmp_path: Path, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus(tmp_path / "in", n=200)
    monkeypatch.setenv("ARCORPUS_DASK_BLOCK_SIZE", "100000")  # the JSONL file becomes several blocks
    assert len(plan_blocks(sorted(corpus.iterdir()), 100000)) > 3
    code, out = _compare(tmp_path, cluster, [str(corpus)], "--keep-duplicates")
    assert code == 3  # the malformed line and the blank text are rejected
    records = [json.loads(line) for line in out.splitlines()]
    assert sum("duplicate_of" in r.get("arcorpus", {}) for r in records) >= 20


REMOVE_PARAGRAPHS = ["--repeated-paragraphs", "remove", "--repeated-paragraphs-min-docs", "3", "--explain"]


@pytest.mark.parametrize(
    "flags", [["--profile", "minimal"], ["--dedup", "exact", "--keep-duplicates"], REMOVE_PARAGRAPHS]
)
def test_other_profiles(tmp_path: Path, cluster: LocalCluster, flags: list[str]) -> None:
    """No corpus pass at all (minimal: no learners, no dedup), exact-only dedup, and removal of
    paragraphs repeated across documents (one more count → shuffle → reduce)."""
    corpus = make_corpus(tmp_path / "in", n=60, seed=4)
    _, out = _compare(tmp_path, cluster, [str(corpus / "corpus.jsonl")], *flags)
    if flags is REMOVE_PARAGRAPHS:
        assert b"dedup.repeated_paragraph" in out


@pytest.mark.parametrize("mode", ["report", "remove"])
def test_dedup_report_equals_the_local_engines(tmp_path: Path, cluster: LocalCluster, mode: str) -> None:
    """``--report``'s ``dedup`` (clusters, counts, repeated paragraphs with their example lines) comes
    from the same plan on both engines, so it is the same report."""
    corpus = make_corpus(tmp_path / "in", n=80, seed=6)
    flags = ["--repeated-paragraphs", mode, "--repeated-paragraphs-min-docs", "3"]
    reports = []
    dask_engine = ["--engine", "dask", "--scheduler", cluster.scheduler_address]
    for name, engine in (("local", []), ("dask", dask_engine)):
        report = tmp_path / f"{name}.report.json"
        args = ["clean", str(corpus / "corpus.jsonl"), "-o", str(tmp_path / f"{name}.jsonl"), "-q"]
        main([*args, *flags, "--report", str(report), *engine])
        reports.append(json.loads(report.read_text(encoding="utf-8"))["dedup"])
    assert reports[0] == reports[1]
    assert reports[0]["clusters"] > 0 and reports[0]["repeated_paragraphs"]["count"] > 0
    assert reports[0]["repeated_paragraphs"]["top"][0]["text"]


def test_distributed_components_fallback(
    tmp_path: Path, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the candidate limit, components are found by label propagation on the cluster."""
    corpus = make_corpus(tmp_path / "in", n=120, seed=3)
    monkeypatch.setenv("ARCORPUS_DASK_MAX_DRIVER_CANDIDATES", "0")
    report = tmp_path / "report.json"
    _compare(tmp_path, cluster, [str(corpus / "corpus.jsonl")], "--keep-duplicates", "--report", str(report))
    # the report of the last run (the dask one) says where dedup was resolved
    assert json.loads(report.read_text())["dask"]["resolved_on"] == "cluster"


def test_stdin_is_read_on_the_driver(
    tmp_path: Path, cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Input from a pipe is only on this machine: read through the CLI's own `Inputs`, same names."""
    data = (make_corpus(tmp_path / "in", n=40, seed=2) / "corpus.jsonl").read_bytes()
    results = []
    for engine in (["--engine", "local"], ["--engine", "dask", "--scheduler", cluster.scheduler_address]):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        results.append(_run(["-", *engine], tmp_path / f"stdin-{engine[1]}.jsonl"))
    assert results[0] == results[1]
    assert b'"source": "-"' in results[0][2]  # the malformed line's reject names stdin as "-"


def test_python_api_matches_clean_documents(cluster: LocalCluster, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, n=90, seed=11)
    lines = (corpus / "corpus.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.startswith('{"id": "doc')]
    frame = pd.DataFrame(rows)
    config = CleanConfig(keep_duplicates=True)
    expected = [dumps(d.to_record()) for d in clean_documents(frame.to_dict("records"), config)]
    with Client(cluster):
        out = arcorpus.dask.clean(dd.from_pandas(frame, npartitions=3), config).compute()
    assert list(out["record"]) == expected
    assert list(out.index) == sorted(out.index)


def test_learned_models_equal_one_sequential_pass(tmp_path: Path, cluster: LocalCluster) -> None:
    """Per-partition learners merged in a tree, with repeated texts skipped globally, give the models
    of the embedded single pass, though duplicates sit in different partitions."""
    corpus = make_corpus(tmp_path, n=150, seed=5)
    path = corpus / "corpus.jsonl"
    config = CleanConfig()
    items = list(read_file(path, ReadOptions()))
    expected = learn_sequential(lambda: items, config)
    with Client(cluster), dask.config.set({"dataframe.convert-string": False}):
        frame = dd.from_pandas(pd.DataFrame({"item": pd.Series(items, dtype=object)}), npartitions=5)
        learned = learn_on_dask(frame, config)
    assert learned.keys() == expected.keys()
    for name, model in expected.items():
        assert learned[name] == model, name
    if "site_lines" in expected:  # the templates were learned
        assert any(profile.lines for profile in expected["site_lines"].sources.values())


def test_split_blocks_read_like_one_file(tmp_path: Path) -> None:
    """Blocks of a plain JSONL file give the items of the whole file, with the same line numbers."""
    corpus = make_corpus(tmp_path, n=60)
    path = corpus / "corpus.jsonl"
    options = ReadOptions()
    blocks = plan_blocks([path], block_size=5000)
    assert len(blocks) > 2 and all(b.split for b in blocks)
    items, first = [], 0
    for block in blocks:
        items.extend(read_block(block, options, first)["item"])
        first += count_lines(block)
    assert items == list(read_file(path, options))
    assert items == list(read_block(Block(str(path)), options, 0)["item"])


def test_line_offset_stream_counts_blank_lines() -> None:
    stream = _LineOffsetStream(io.BytesIO(b"a\nb"), 2)
    assert [stream.readline() for _ in range(5)] == [b"\n", b"\n", b"a\n", b"b", b""]
