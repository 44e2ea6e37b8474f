"""Checks of a command line before anything is read: option ranges, input names, output paths.

Everything here raises `UsageError` (exit code 2) with a sentence in the user's terms: which option,
what is wrong, what would work. Nothing has been read or written when it does.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NoReturn

from arcorpus.io.formats import INPUT_SUFFIXES
from arcorpus.io.outputs import OutputPathError, OutputPlan, check_distinct, check_output_path
from arcorpus.io.outputs import plan_outputs as plan_run_outputs
from arcorpus.run.output import UsageError

MAX_RECORD_BYTES = 2 * 1024**3
"""Upper bound of ``--max-record-bytes`` (a record is held in memory whole: 2 GiB)."""
MAX_SHARD_SIZE = 10_000_000


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's or a Slurm job's share)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def max_workers() -> int:
    """More worker processes than 4 per usable core only add memory and switching, never speed."""
    return 4 * usable_cores()


def in_range(option: str, value: int, low: int, high: int, unit: str = "") -> int:
    if not low <= value <= high:
        raise UsageError(f"{option} {value}: must be from {low} to {high}{unit}")
    return value


def check_run_options(args: argparse.Namespace) -> None:
    """Ranges of the run options that are not `CleanConfig` fields (those are checked by the config)."""
    cores = usable_cores()
    if getattr(args, "workers", None) is None:
        args.workers = cores
    in_range("--workers", args.workers, 1, max_workers(), f" (4 per usable core; this machine has {cores})")
    if getattr(args, "max_record_bytes", None) is not None:  # None: the config file's, or the default
        in_range("--max-record-bytes", args.max_record_bytes, 1, MAX_RECORD_BYTES, " (2 GiB)")
    if getattr(args, "shard_size", None) is not None:
        in_range("--shard-size", args.shard_size, 1, MAX_SHARD_SIZE)


def check_input_names(inputs: list[str]) -> None:
    """A file named on the command line must be a format arcorpus reads (a directory is walked and its
    other files are listed as skipped; stdin, pipes and devices are read as JSONL)."""
    for name in inputs:
        if name == "-" or not os.path.isfile(name):
            continue  # a missing path is the reader's error (exit 2), a directory is walked
        if not name.lower().endswith(INPUT_SUFFIXES):
            raise UsageError(
                f"{name}: arcorpus cannot read this format; input files end in "
                f"{', '.join(INPUT_SUFFIXES)} (a directory, or - for JSONL on stdin, also work)"
            )


def plan_outputs(args: argparse.Namespace, work_dir: str | Path | None = None) -> OutputPlan:
    """`arcorpus.io.outputs.plan_outputs` for the command line's ``-o``, ``--rejects``, ``--report``."""
    try:
        return plan_run_outputs(args.output, args.rejects, args.report, args.inputs, work_dir)
    except OutputPathError as exc:
        raise UsageError(str(exc)) from None


def check_single_output(args: argparse.Namespace) -> None:
    """The ``-o`` of a command that writes one file (``learn``, ``variants``): checked like clean's."""
    if args.output in (None, "-"):
        return
    try:
        check_distinct([check_output_path("-o", args.output, suffixes=None)], args.inputs)
    except OutputPathError as exc:
        raise UsageError(str(exc)) from None


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are two lines: the error, and where the help is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n(see `{self.prog} --help`)\n")
