"""arcorpus.datatrove in a real datatrove `LocalPipelineExecutor` run over JSONL files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="arcorpus.datatrove needs the 'datatrove' extra")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import arcorpus
from arcorpus.datatrove import ArcorpusCleaner

ROOT = Path(__file__).resolve().parents[2]


def _read(folder: Path) -> list[dict]:
    records: list[dict] = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh)
    return records


def test_local_pipeline_cleans_and_excludes_with_reason(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    rows = [{"id": f"seed-{i}", "text": t, "url": f"https://example.com/{i}"} for i, t in enumerate(texts)]
    rows.append({"id": "ads-only", "text": "[ad_1]\n[ad_2]", "url": "https://example.com/ads"})
    (data / "part.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    cleaner = ArcorpusCleaner(exclusion_writer=JsonlWriter(str(tmp_path / "removed")))
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(data)), cleaner, JsonlWriter(str(tmp_path / "clean"))],
        tasks=1,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()
    clean = _read(tmp_path / "clean")
    removed = _read(tmp_path / "removed")
    assert [r["id"] for r in clean] == [f"seed-{i}" for i in range(len(texts))]
    for record, text in zip(clean, texts, strict=True):
        expected = arcorpus.clean_document({"id": record["id"], "text": text})
        assert record["text"] == expected.text
        assert record["metadata"]["url"].startswith("https://example.com/")
        assert record["metadata"].get("title") == expected.added.get("title")
    assert [(r["id"], r["metadata"]["filter_reason"]) for r in removed] == [
        ("ads-only", "empty_after_cleaning")
    ]
    assert removed[0]["text"] == "[ad_1]\n[ad_2]"  # the original, so nothing is lost
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    names = json.dumps(stats)
    assert "dropped_empty_after_cleaning" in names and "changes_boilerplate" in names
