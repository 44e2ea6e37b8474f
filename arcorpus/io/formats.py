"""The one list of file suffixes arcorpus knows: which inputs are JSONL, plain text, or compressed."""

from __future__ import annotations

from pathlib import Path

COMPRESSED_SUFFIXES = (".gz", ".zst", ".zstd")
"""gzip and zstd, for input and output files alike."""
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".json.gz", ".jsonl.zstd")
"""Input files read as JSONL (one JSON object a line), plain or compressed."""
TEXT_SUFFIXES = (".txt",)
"""Input files read as one document each."""


def is_jsonl(path: str | Path) -> bool:
    return str(path).lower().endswith(JSONL_SUFFIXES)


def is_text(path: str | Path) -> bool:
    return str(path).lower().endswith(TEXT_SUFFIXES)


def is_compressed(path: str | Path) -> bool:
    return str(path).lower().endswith(COMPRESSED_SUFFIXES)


def holds_many(path: str | Path) -> bool:
    """Whether an input file may hold many documents (JSONL, or any compressed file), not just one."""
    lower = str(path).lower()
    return lower.endswith((".jsonl", ".ndjson")) or is_compressed(lower)
