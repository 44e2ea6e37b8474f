"""arcorpus.hf on real in-memory `datasets.Dataset` objects (no hub): one row per row, caching, dedup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

datasets = pytest.importorskip(
    "datasets", reason="arcorpus.hf needs the 'hf' extra (pip install 'arcorpus[hf]')"
)

import arcorpus  # noqa: E402
import arcorpus.hf as hf  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets.disable_progress_bars()


def _dataset() -> datasets.Dataset:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    return datasets.Dataset.from_dict(
        {
            "content": [*texts, texts[0], "[ad_1]\n[ad_2]", None],
            "url": [f"https://example.com/{i}" for i in range(len(texts) + 3)],
            "views": list(range(len(texts) + 3)),
        }
    )


def test_clean_rows_one_row_per_row_with_status_and_metadata() -> None:
    ds = _dataset()
    out = hf.clean_rows(ds, text_field="content", id_field="url")
    assert len(out) == len(ds)
    assert out["url"] == ds["url"] and out["views"] == ds["views"]  # the user's schema is kept
    n = len(SEEDS)
    assert out["status"] == ["kept"] * (n + 1) + ["rejected", "rejected"]
    assert out["reason"][-2:] == ["empty_after_cleaning", "text_not_string"]
    assert out["content"][-2:] == ["[ad_1]\n[ad_2]", None]  # a rejected row keeps its input text
    for i, path in enumerate(SEEDS):
        doc = arcorpus.clean_document({"id": "x", "text": path.read_text(encoding="utf-8")})
        assert out["content"][i] == doc.text
        assert out["title"][i] == doc.added.get("title")
        assert out["entities"][i] == doc.added.get("entities")
    assert out.features["entities"] == datasets.List(datasets.Value("string"))


def test_explain_adds_changes_as_json() -> None:
    out = hf.clean_rows(_dataset(), text_field="content", explain=True, prefix="ar_")
    assert "ar_status" in out.column_names and "status" not in out.column_names
    changes = json.loads(out["ar_changes"][0])
    assert changes and {"step", "rule", "action"} <= set(changes[0])


def test_column_clash_is_a_clear_error() -> None:
    ds = datasets.Dataset.from_dict({"text": ["نص"], "status": ["draft"]})
    with pytest.raises(ValueError, match="prefix="):
        hf.clean_rows(ds)
    with pytest.raises(KeyError, match="text_field="):
        hf.clean_rows(ds, text_field="body")


def test_second_map_loads_the_cache(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": i, "text": p.read_text(encoding="utf-8")}) + "\n" for i, p in enumerate(SEEDS)
        ),
        encoding="utf-8",
    )
    ds = datasets.Dataset.from_json(str(source), cache_dir=str(tmp_path / "cache"))
    first = hf.clean_rows(ds)
    second = hf.clean_rows(ds)
    assert first.cache_files and first.cache_files == second.cache_files  # same fingerprint: cache hit
    assert first["text"] == second["text"]
    other = hf.clean_rows(ds, profile="minimal")
    assert other.cache_files != first.cache_files


_HASH = """
import sys
from datasets.fingerprint import Hasher
import arcorpus.hf as hf
from arcorpus.steps import build_steps
from arcorpus.config import CleanConfig
print(Hasher.hash(hf.BatchCleaner(text_field="content")))
print(Hasher.hash(build_steps(CleanConfig())))
"""


def test_fingerprint_is_the_same_in_every_process() -> None:
    def run(seed: str) -> list[str]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _HASH], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.split()

    first, second = run("1"), run("2")
    assert first[0] == second[0]
    assert first[1] == second[1]


def test_steps_pickle_and_clean_the_same_after_unpickling() -> None:
    import pickle

    from arcorpus.config import CleanConfig
    from arcorpus.steps import apply_steps, build_steps

    steps = build_steps(CleanConfig())
    again = pickle.loads(pickle.dumps(steps))
    assert [s.name for s in again] == [s.name for s in steps]
    for path in SEEDS:
        doc = arcorpus.Document(id="x", text=path.read_text(encoding="utf-8"))
        assert apply_steps(doc, again) == apply_steps(doc, steps)


def test_clean_dataset_runs_the_corpus_passes() -> None:
    ds = _dataset()
    out = hf.clean_dataset(ds, text_field="content", id_field="url")
    n = len(SEEDS)
    assert len(out) == len(ds)
    assert out.column_names[:3] == ["content", "url", "views"]
    assert out["status"] == ["kept"] * n + ["duplicate", "rejected", "rejected"]
    assert out["duplicate_of"][n] == ds["url"][0]
    assert out["cluster_size"][0] == 2
    # the same decisions as the library over the same documents
    docs = [{"id": u, "text": t} for u, t in zip(ds["url"], ds["content"], strict=True) if t is not None]
    kept = [d.text for d in arcorpus.clean_documents(docs)]
    assert kept == [t for t, s in zip(out["content"], out["status"], strict=True) if s == "kept"]


def test_metadata_features_cover_every_field_the_steps_fill() -> None:
    filled: set[str] = set()
    for path in SEEDS:
        filled |= set(arcorpus.clean_document({"id": "x", "text": path.read_text(encoding="utf-8")}).added)
    assert filled <= set(hf.METADATA_FEATURES)
    assert {"title", "entities"} <= filled
