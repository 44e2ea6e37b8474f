"""The flags shared by the subcommands: one flag per `CleanConfig` field, and the input flags.

Every `CleanConfig` field is a flag of the same name (``--fix-encoding/--no-fix-encoding``,
``--dedup near``), generated from the dataclass so the three names can never drift apart.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
from typing import Literal, get_args, get_type_hints

from arcorpus.config import PROFILES, CleanConfig, ConfigError
from arcorpus.io.readers import ReadOptions


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per `CleanConfig` field; unset flags stay ``None`` so profile/TOML values win."""
    group = parser.add_argument_group(
        "cleaning options ([standard: X]: the default, as the standard profile sets it; another --profile "
        "or a --config file may set it otherwise)"
    )
    group.add_argument(
        "--profile",
        choices=list(PROFILES),
        default=None,
        help=f"{' | '.join(PROFILES)} (what each does: the README's table) [standard: standard]",
    )
    group.add_argument("--config", metavar="TOML", default=None, help="read options from a TOML file")
    hints = get_type_hints(CleanConfig)
    standard = CleanConfig.from_profile("standard").to_dict()  # the real defaults, shown in --help
    for f in dataclasses.fields(CleanConfig):
        if f.name == "profile":
            continue
        hint = hints[f.name]
        doc = _plain(f.metadata.get("help", "")).replace("%", "%%")
        doc += f" [standard: {_shown(standard[f.name])}]"
        if hint is bool:
            group.add_argument(
                _flag(f.name), dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=doc
            )
        elif getattr(hint, "__origin__", None) is Literal:
            group.add_argument(_flag(f.name), dest=f.name, choices=get_args(hint), default=None, help=doc)
        elif hint in (int, float):
            metavar = "N" if hint is int else "X"
            group.add_argument(_flag(f.name), dest=f.name, type=hint, default=None, metavar=metavar, help=doc)
        else:
            group.add_argument(_flag(f.name), dest=f.name, default=None, metavar="PATH", help=doc)


_LITERAL = re.compile(r"``([^`]+)``|`([^`]+)`")


def _plain(text: str) -> str:
    """A field's help as a terminal shows it: ``x`` and `x` (reST and Markdown literals) as plain x."""
    return _LITERAL.sub(lambda m: m.group(1) or m.group(2), text)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)


def config_from_args(args: argparse.Namespace) -> CleanConfig:
    options = {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(CleanConfig)
        if f.name != "profile" and getattr(args, f.name, None) is not None
    }
    if args.profile is not None:
        options["profile"] = args.profile
    if args.config:
        return CleanConfig.from_toml(args.config, **options)
    profile = options.pop("profile", "standard")
    return CleanConfig.from_profile(profile, **options)


def add_input_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".jsonl, .json, .parquet, .txt (JSON also .gz/.zst/.bz2/.xz), a directory, or - (stdin)",
    )
    parser.add_argument(
        "--text-field",
        default=None,
        help="field (column) holding the text (default: text, or [read] in --config)",
    )
    parser.add_argument(
        "--id-field", default=None, help="field (column) holding the id (default: id, or [read] in --config)"
    )
    parser.add_argument(
        "--max-record-bytes",
        type=int,
        default=None,
        help="reject a record (JSONL line or .txt file) larger than this, 1 to 2 GiB (default: 64 MiB)",
    )


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The flags over the ``[read]`` table of ``--config`` (eco, issue 17), over the defaults."""
    flags = {
        name: getattr(args, name)
        for name in ("text_field", "id_field", "max_record_bytes")
        if getattr(args, name, None) is not None
    }
    config = getattr(args, "config", None)
    return ReadOptions.from_toml(config, **flags) if config else ReadOptions(**flags)


def check_tables(config: CleanConfig) -> None:
    """Build every step once before reading any input, so that a bad table (a user's boilerplate or names
    file) stops the run at once with exit code 2 instead of after a corpus pass."""
    from arcorpus.steps import build_steps

    try:
        build_steps(config, {})
    except (ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(str(exc) if isinstance(exc, (ValueError, OSError)) else repr(exc)) from exc
