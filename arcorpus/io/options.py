"""How inputs are read (`ReadOptions`), and the error for an input path that cannot be used at all."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024


class InputError(OSError):
    """An input path that cannot be used at all (does not exist)."""


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    max_json_depth: int = 64

    @classmethod
    def from_toml(cls, path: str | Path, **overrides: Any) -> ReadOptions:
        """The ``[read]`` table of a TOML config file (``text_field``, ``id_field``, ``max_record_bytes``,
        ``max_json_depth``), with ``overrides`` (the CLI's flags) on top. The ``[clean]`` options of the same
        file are `arcorpus.config.CleanConfig.from_toml`'s."""
        from arcorpus.config import ConfigError, load_toml

        table = load_toml(path).get("read", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [read] must be a table")
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(f"{path}: unknown [read] option(s): {', '.join(unknown)}")
        for name, value in table.items():
            wanted = str if name.endswith("_field") else int
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise ConfigError(
                    f"{path}: [read] {name} must be {'a string' if wanted is str else 'an integer'}"
                )
        return cls(**{**table, **overrides})
