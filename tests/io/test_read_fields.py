"""``text_field`` / ``id_field`` in the API and in the TOML config (``[read]``), as on the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _corpus_factory import run_cli

import arcorpus
from arcorpus.config import CleanConfig, ConfigError
from arcorpus.io.options import ReadOptions


def test_api_reads_named_fields_like_the_cli() -> None:
    docs = [
        {"url": "u1", "content": "خبر اليوم عن الاقتصاد\n[ad_1]", "text": "the input's own text field"},
        {"url": "u2", "body": "no content"},
    ]
    rejects: list[arcorpus.Reject] = []
    kept = list(
        arcorpus.clean_documents(docs, text_field="content", id_field="url", on_reject=rejects.append)
    )
    assert [d.text for d in kept] == ["خبر اليوم عن الاقتصاد"]
    assert kept[0].id == "u1"
    assert kept[0].metadata["text"] == "the input's own text field"  # not overwritten, not dropped
    assert [(r.reason, r.id) for r in rejects] == [("missing_text", "u2")]


def test_toml_read_table(tmp_path: Path) -> None:
    config = tmp_path / "arcorpus.toml"
    config.write_text('profile = "minimal"\n[read]\ntext_field = "content"\nid_field = "url"\n')
    assert CleanConfig.from_toml(config).profile == "minimal"  # [read] is not a cleaning option
    assert ReadOptions.from_toml(config) == ReadOptions(text_field="content", id_field="url")
    assert ReadOptions.from_toml(config, id_field="key").id_field == "key"
    bad = tmp_path / "bad.toml"
    bad.write_text('[read]\ntext_feild = "content"\n')
    with pytest.raises(ConfigError, match="text_feild"):
        ReadOptions.from_toml(bad)


def test_cli_takes_fields_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "arcorpus.toml"
    config.write_text('[read]\ntext_field = "content"\nid_field = "url"\n')
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"url": "u1", "content": "خبر اليوم عن الاقتصاد\n[ad_1]"}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = run_cli("clean", source, "-o", out, "--config", config, "-q", "--workers", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "خبر اليوم عن الاقتصاد" in out.read_text(encoding="utf-8")
    assert "u1" in out.read_text(encoding="utf-8")
