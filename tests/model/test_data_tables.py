"""Every data file under arcorpus/data/ is well formed, and tables are validated when they are loaded.

Generic on purpose: it checks whatever tables exist (TSV with a header, or JSONL), so a table added later
is covered without editing this file. The steps' own tests check what the rows mean.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from _corpus_factory import run_cli

import arcorpus
from arcorpus.config import CleanConfig
from arcorpus.steps import build_steps
from arcorpus.steps.boilerplate.boilerplate import CatalogueError
from arcorpus.text.names.gazetteer import GazetteerError

DATA = Path(arcorpus.__file__).resolve().parent / "data"

TABLES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".tsv", ".jsonl"))


def _rows(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".jsonl":
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                assert isinstance(row, dict), f"{path.name}:{n}: not a JSON object"
                rows.append(row)
        return rows
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")
    ]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for n, fields in enumerate(reader, 2):
        assert len(fields) == len(header), (
            f"{path.name}: row {n} has {len(fields)} fields, header {len(header)}"
        )
        rows.append(dict(zip(header, fields, strict=True)))
    return rows


def test_data_files_are_tables() -> None:
    others = [
        p.name
        for p in DATA.rglob("*")
        if p.is_file()
        and p.suffix not in (".tsv", ".jsonl", ".md")
        and p.name != "__init__.py"  # the loader, arcorpus.data
        and "__pycache__" not in p.parts
    ]
    assert not others, (
        f"data files must be TSV or JSONL tables (or a README): {others}"
    )


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_every_row_has_a_unique_id_and_a_reason(path: Path) -> None:
    rows = _rows(path)
    assert rows, f"{path.name} is empty"
    ids = [str(r.get("id", "")).strip() for r in rows]
    assert all(ids), f"{path.name}: rows without an id"
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"{path.name}: duplicate ids {dupes[:5]}"
    missing = [i for i, r in zip(ids, rows, strict=True) if not str(r.get("reason", "")).strip()]
    assert not missing, f"{path.name}: rows without a reason: {missing[:5]}"


def test_every_step_builds_with_all_tables_loaded() -> None:
    """Building every step loads the shipped tables through the loaders that exist: none may fail."""
    for config in (CleanConfig.from_profile(p) for p in ("minimal", "standard", "search")):
        build_steps(config, {})


USER_TABLES = {
    "boilerplate_file": ("boilerplate.tsv", CatalogueError),
    "names_file": ("names.tsv", GazetteerError),
}


@pytest.mark.parametrize("option", sorted(USER_TABLES))
def test_a_bad_user_table_is_an_error_naming_file_and_row(option: str, tmp_path: Path) -> None:
    name, error = USER_TABLES[option]
    shipped = DATA / name
    header = next(
        ln for ln in shipped.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")
    )
    bad = tmp_path / f"my_{shipped.name}"
    bad.write_text(header + "\n" + "only-one-field\n", encoding="utf-8")
    with pytest.raises(error) as info:
        build_steps(CleanConfig(**{option: str(bad)}), {})
    message = str(info.value)
    assert bad.name in message and "2" in message, message
    flag = "--" + option.replace("_", "-")
    proc = run_cli("clean", "seeds/", flag, bad, "-o", tmp_path / "o.jsonl")
    assert proc.returncode == 2, proc.stderr.decode()
    assert bad.name.encode() in proc.stderr and b"Traceback" not in proc.stderr
