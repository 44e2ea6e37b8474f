"""How inputs are read (`ReadOptions`), and the error for an input path that cannot be used at all."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024


class InputError(OSError):
    """An input path that cannot be used at all (does not exist)."""


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    max_json_depth: int = 64
