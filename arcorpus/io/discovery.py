"""Which files the input paths name: files as given, directories walked in a deterministic order."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from arcorpus.io.formats import INPUT_SUFFIXES, describe, input_format
from arcorpus.io.options import InputError


def expand_inputs(
    inputs: Sequence[str | Path],
    on_skip: Callable[[str, str], None] | None = None,
    exclude: Collection[tuple[int, int]] = frozenset(),
) -> list[Path]:
    """The input files, in a deterministic order. Raises `InputError` for a path that does not exist.

    Directories are walked in sorted order, following symbolic links to directories once (a link loop
    is reported through ``on_skip``). A subdirectory that cannot be listed is returned as a path too, so
    that `read_file` turns it into a reject instead of it silently vanishing. Files and directories whose
    (device, inode) is in ``exclude`` (the run's own outputs and work directory) are skipped in the walk,
    through ``on_skip``.
    """
    files: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            _walk(path, files, on_skip, exclude)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


def _own(path: str | Path, exclude: Collection[tuple[int, int]]) -> bool:
    if not exclude:
        return False
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in exclude


def _walk(
    top: Path,
    files: list[Path],
    on_skip: Callable[[str, str], None] | None,
    exclude: Collection[tuple[int, int]] = frozenset(),
) -> None:
    seen: set[str] = {os.path.realpath(top)}
    skip = on_skip or (lambda path, reason: None)

    def onerror(exc: OSError) -> None:
        files.append(Path(exc.filename) if exc.filename else top)

    for root, dirs, names in os.walk(top, onerror=onerror, followlinks=True):
        kept = []
        for name in sorted(dirs):
            real = os.path.realpath(os.path.join(root, name))
            if real in seen:
                skip(os.path.join(root, name), "directory already walked (symbolic link loop)")
                continue
            if _own(real, exclude):
                skip(os.path.join(root, name), "this run's own work directory")
                continue
            seen.add(real)
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            child = Path(root) / name
            if _own(child, exclude):
                skip(str(child), "this run's own output (-o, --rejects or --report)")
            elif input_format(child) is not None:
                files.append(child)
            elif on_skip is not None:
                on_skip(str(child), f"not an input file ({describe(INPUT_SUFFIXES)})")
