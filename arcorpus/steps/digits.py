"""Placeholder: this step is not implemented yet; its builder returns None (the step is skipped)."""

from __future__ import annotations

from typing import Any


def build(config: Any, models: Any) -> None:
    return None
