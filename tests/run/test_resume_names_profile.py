"""A resumed run must notice a changed names profile, as it does for the other files a config names."""

from __future__ import annotations

from pathlib import Path

from arcorpus.config import CleanConfig
from arcorpus.io.options import ReadOptions
from arcorpus.run.resume import fingerprint


def test_fingerprint_follows_the_names_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "names.json"
    profile.write_text('{"format": "arcorpus-names-profile"}', encoding="utf-8")
    config = CleanConfig(names_profile=str(profile))
    before = fingerprint([], config, ReadOptions(), 100)
    assert fingerprint([], config, ReadOptions(), 100) == before
    profile.write_text('{"format": "arcorpus-names-profile", "clusters": []}', encoding="utf-8")
    assert fingerprint([], config, ReadOptions(), 100) != before


def test_fingerprint_without_a_names_profile_lists_no_file() -> None:
    assert fingerprint([], CleanConfig(), ReadOptions(), 100)["config_files"] == []
