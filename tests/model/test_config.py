"""CleanConfig: profiles, validation, TOML (data, never code), and the one-name rule (step = field = flag)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from _corpus_factory import run_cli

from arcorpus.cli import build_parser
from arcorpus.config import OPTION_NAMES, PROFILES, CleanConfig, ConfigError
from arcorpus.steps import STEPS


def test_defaults_are_the_standard_profile() -> None:
    assert CleanConfig() == CleanConfig.from_profile("standard")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_profiles_build_and_round_trip(profile: str) -> None:
    config = CleanConfig.from_profile(profile)
    assert config.profile == profile
    assert CleanConfig(**config.to_dict()) == config


def test_config_and_profiles_are_immutable() -> None:
    config = CleanConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.dedup = "none"  # type: ignore[misc]
    with pytest.raises(TypeError):
        PROFILES["minimal"]["dedup"] = "none"  # type: ignore[index]
    with pytest.raises(TypeError):
        PROFILES["new"] = {}  # type: ignore[index]
    config.with_options(dedup="none")
    assert CleanConfig().dedup == CleanConfig.from_profile("standard").dedup


def test_minimal_profile_removes_nothing_by_rule() -> None:
    minimal = CleanConfig.from_profile("minimal")
    assert not minimal.boilerplate and not minimal.names and not minimal.site_lines


@pytest.mark.parametrize(
    "options",
    [
        {"dedup": "fuzzy"},
        {"names_style": "levantine"},
        {"boilerplate": "yes"},
        {"dedup_num_perm": True},
        {"dedup_num_perm": 2},
        {"dedup_threshold": 1.5},
        {"site_lines_min_fraction": "0.1"},
        {"names_file": 3},
    ],
)
def test_invalid_values_are_refused(options: dict) -> None:
    with pytest.raises(ConfigError) as info:
        CleanConfig.from_profile("standard", **options)
    assert next(iter(options)) in str(info.value)


def test_unknown_profile_and_option() -> None:
    with pytest.raises(ConfigError, match="unknown profile"):
        CleanConfig.from_profile("aggressive")
    with pytest.raises(ConfigError, match="unknown option"):
        CleanConfig().with_options(no_such_option=True)


def test_with_profile_keeps_explicit_changes() -> None:
    config = CleanConfig().with_options(dedup="exact").with_options(profile="search")
    assert config.profile == "search" and config.search_fold and config.dedup == "exact"


# --- TOML ----------------------------------------------------------------------------------------------


def test_toml_top_level_and_clean_table(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        'profile = "minimal"\n[clean]\ndedup = "exact"\ndedup_threshold = 0.9\n', encoding="utf-8"
    )
    config = CleanConfig.from_toml(path, fix_markup=True)
    assert (config.profile, config.dedup, config.dedup_threshold, config.fix_markup) == (
        "minimal",
        "exact",
        0.9,
        True,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("dedup = ", "not valid TOML"),
        ("no_such = 1\n", "unknown option"),
        ('dedup = "fuzzy"\n', "dedup"),
        ('profile = "nope"\n', "unknown profile"),
    ],
)
def test_bad_toml_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        CleanConfig.from_toml(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        CleanConfig.from_toml(tmp_path / "nope.toml")


def test_toml_is_data_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    code = f'__import__("os").system("touch {marker}")'
    (tmp_path / "code.toml").write_text(code + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        CleanConfig.from_toml(tmp_path / "code.toml")
    proc = run_cli("clean", "seeds/", "--config", tmp_path / "code.toml", "-o", tmp_path / "o.jsonl")
    assert proc.returncode == 2
    # a string value that looks like code stays a string
    (tmp_path / "str.toml").write_text(f"names_file = '{code}'\n", encoding="utf-8")
    assert CleanConfig.from_toml(tmp_path / "str.toml").names_file == code
    assert not marker.exists()


# --- one name: step = config field = CLI flag = change step --------------------------------------------


def test_every_step_is_a_config_field() -> None:
    for spec in STEPS:
        assert spec.name in OPTION_NAMES, f"step {spec.name} has no CleanConfig field of the same name"


def test_every_field_is_a_cli_flag_with_help() -> None:
    parser = build_parser()
    clean = parser._subparsers._group_actions[0].choices["clean"]  # type: ignore[union-attr]
    flags = {a.dest: a for a in clean._actions}
    for name in OPTION_NAMES - {"profile"}:
        assert name in flags, f"--{name.replace('_', '-')} missing"
        assert flags[name].help, f"--{name.replace('_', '-')} has no help (the help of its option(...))"
        assert f"--{name.replace('_', '-')}" in flags[name].option_strings


def test_cli_flags_override_profile(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    proc = run_cli(
        "clean",
        "seeds/",
        "--profile",
        "minimal",
        "--boilerplate",
        "--dedup",
        "none",
        "-q",
        "-o",
        tmp_path / "o.jsonl",
        "--report",
        report,
    )
    assert proc.returncode == 0
    import json

    config = json.loads(report.read_text(encoding="utf-8"))["config"]
    assert config["profile"] == "minimal" and config["boilerplate"] is True and config["dedup"] == "none"


def test_flag_help_needs_no_sources(tmp_path: Path) -> None:
    """The help comes from the field metadata, so it is there when only bytecode is installed."""
    import subprocess
    import sys

    code = (
        "import inspect, sys\n"
        "def no_source(*a, **k):\n"
        "    raise OSError('no source')\n"
        "inspect.getsource = no_source\n"
        "from arcorpus.cli import build_parser\n"
        "build_parser().parse_args(['clean', '--help'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Repair mojibake" in proc.stdout
