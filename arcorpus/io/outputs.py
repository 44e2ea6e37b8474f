"""The files a run writes: checked before any input is read, then committed all together or not at all.

`plan_outputs` checks every output path of a run (``-o``, ``--rejects``, ``--report``) before the corpus
is touched and raises `OutputPathError` (a usage error, exit 2) for a path that cannot work:

- two of them, or one of them and an input, are the same file (compared by device and inode once
  resolved, so a symbolic or hard link to an input is that input, and ``./a`` is ``a``);
- the path is an existing directory, its parent does not exist (arcorpus never creates directories),
  is not a directory, or cannot be written to;
- the name has a suffix arcorpus cannot write (``out.bz2``, ``out.xyz``).

Special files (``/dev/null``, ``/dev/stdout``, a FIFO, ``/dev/fd/N`` from ``>(gzip > x.gz)``) are written
straight through: only regular files are replaced by an atomic rename.

`RunOutputs` then holds the open writers of one run (and writes its report, JSON or the HTML page):
`RunOutputs.commit` first finishes every file (flush, fsync, close: a full disk fails here, with every old
file still in place), then renames them all into place; any failure, exception or Ctrl-C before that
removes every temporary file.

`own_files` gives the identities of a run's own files (outputs and resume work directory), which the
directory walk of the inputs skips: a second ``clean corpus/ -o corpus/clean.jsonl`` does not read its
previous output (or rejects) back in.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from arcorpus.io.formats import COMPRESSIONS, OUTPUT_SUFFIXES, OutputWriter
from arcorpus.io.writers import AtomicJsonlWriter, dumps_report, is_special_file, signals_held, to_utf8

FileId = tuple[int, int]


class OutputPathError(ValueError):
    """An output path that cannot work, found before the run (a usage error: exit code 2)."""


@dataclass(frozen=True)
class OutputPath:
    """One checked output: ``option`` is how the user named it (``-o``, ``--rejects``, ``--report``)."""

    option: str
    path: str
    special: bool = False
    """A device, FIFO or ``/dev/fd/N``: written straight through, never renamed over."""


def file_id(path: str | Path) -> FileId | None:
    """(device, inode) of what ``path`` names, following symbolic links; None when it does not exist."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


def check_output_path(
    option: str, path: str, *, suffixes: Sequence[str] | None = OUTPUT_SUFFIXES
) -> OutputPath:
    """Check one output path (see the module docstring); ``suffixes`` None accepts any name."""
    if path == "-":
        return OutputPath(option, path, special=True)
    try:
        info: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # the parent checks below say what is wrong
    except OSError as exc:
        raise OutputPathError(f"{option} {path}: cannot use this path: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputPathError(
            f"{option} {path}: is a directory; name a file in it (e.g. {Path(path) / 'out.jsonl'})"
        )
    if is_special_file(info):
        return OutputPath(option, path, special=True)
    if suffixes is not None and not path.lower().endswith(tuple(suffixes)):
        raise OutputPathError(
            f"{option} {path}: arcorpus cannot write this format; output names end in "
            f"{', '.join(suffixes)} (or use - for stdout)"
        )
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.exists(parent):
        raise OutputPathError(f"{option} {path}: the directory {parent} does not exist (create it first)")
    if not os.path.isdir(parent):
        raise OutputPathError(f"{option} {path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputPathError(f"{option} {path}: cannot write in the directory {parent} (permission denied)")
    return OutputPath(option, path)


def check_distinct(outputs: Iterable[OutputPath], inputs: Iterable[str]) -> None:
    """Refuse an output that is an input or another output (same file once resolved)."""
    seen: dict[Any, OutputPath] = {}
    input_ids = {fid: name for name in inputs if name != "-" and (fid := file_id(name)) is not None}
    for out in outputs:
        if out.path == "-":
            key: Any = "-"
        elif out.special:
            continue  # /dev/null twice is harmless; a device is never replaced
        else:
            key = file_id(out.path) or os.path.realpath(out.path)
            if key in input_ids:
                raise OutputPathError(
                    f"{out.option} {out.path} is the input {input_ids[key]}: refusing to replace an input; "
                    "choose another output name"
                )
        if key in seen:
            raise OutputPathError(
                f"{seen[key].option} and {out.option} name the same file ({out.path}); "
                "give them different names"
            )
        seen[key] = out


def own_files(paths: Iterable[str | Path | None]) -> frozenset[FileId]:
    """Identities of the existing files and directories among ``paths`` (a run's outputs, work dir)."""
    return frozenset(fid for p in paths if p and str(p) != "-" and (fid := file_id(p)) is not None)


def default_stdout_rejects_path(now: float | None = None) -> str:
    """Where rejects go when the output is stdout and no ``--rejects`` is given: a new file in the current
    directory, named by time and process (never an existing file), created only if there are rejects."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    return f"arcorpus-rejects-{stamp}-{os.getpid()}.jsonl"


@dataclass(frozen=True)
class OutputPlan:
    """Where a run writes, checked: the rejects path, and the files the input walk must skip."""

    rejects: str
    rejects_if_any: bool
    """The rejects file was not named (the output is stdout): created only if there are rejects."""
    own: frozenset[FileId]
    special_output: bool = False
    """The output is stdout, a device, a FIFO or ``/dev/fd/N``: written straight through, as JSONL."""


def default_rejects_path(output: str) -> str | None:
    """``OUT.rejects.jsonl`` beside ``OUT.jsonl[.gz|.zst]`` (None for stdout)."""
    if output == "-":
        return None
    base = output
    for suffix in COMPRESSIONS:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    for suffix in (".jsonl", ".ndjson", ".json", ".parquet"):  # rejects are JSONL whatever the output
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base + ".rejects.jsonl"


def plan_outputs(
    output: str,
    rejects: str | None,
    report: str | None,
    inputs: Sequence[str],
    work_dir: str | Path | None = None,
) -> OutputPlan:
    """Check a run's output, rejects and report paths against each other and the inputs (module
    docstring); raises `OutputPathError`. Without ``rejects``: ``OUT.rejects.jsonl``, or with stdout
    output a new ``arcorpus-rejects-TIME-PID.jsonl`` in the current directory, made only if needed."""
    rejects_if_any = False
    if rejects is None:
        rejects = default_rejects_path(output)
    if rejects is None:
        rejects, rejects_if_any = default_stdout_rejects_path(), True
    try:
        outputs = [check_output_path("-o", output), check_output_path("--rejects", rejects)]
        if report:
            outputs.append(check_output_path("--report", report, suffixes=None))
        check_distinct(outputs, inputs)
    except OutputPathError as exc:
        if rejects_if_any and "--rejects" in str(exc):
            raise OutputPathError(
                f"{exc} (with -o - the rejects go to a new file in the current directory; "
                "name one with --rejects PATH)"
            ) from None
        raise
    return OutputPlan(
        rejects, rejects_if_any, own_files([output, rejects, report, work_dir]), outputs[0].special
    )


def _deliver_pending_signals() -> None:
    """A Python call: a signal held by `signals_held` runs its handler here at the latest."""


class RunOutputs:
    """The output and rejects writers and the report of one run, committed together (see module doc).

    ``with RunOutputs(out, rejects) as outputs: ...; outputs.commit(report=..., report_path=...)``.
    ``rejects_if_any``: the rejects file is created only if something was written to it.
    """

    def __init__(
        self,
        output: str,
        rejects: str | None,
        *,
        rejects_if_any: bool = False,
        opener: Callable[[str], OutputWriter] = AtomicJsonlWriter,
    ) -> None:
        self.rejects_if_any = rejects_if_any
        self._out: OutputWriter | None = None
        self.rejects: AtomicJsonlWriter | None = None
        self._report: AtomicJsonlWriter | None = None
        try:
            # Ctrl-C or SIGTERM arriving while the temporary files are created is delivered once both are
            # recorded here (so that abort() finds them), at the latest on the next Python call
            with signals_held():
                self._out = opener(output)
                self.rejects = AtomicJsonlWriter(rejects) if rejects else None
            _deliver_pending_signals()
        except BaseException:
            self.abort()
            raise

    def commit(self, report: Mapping[str, Any] | str | None = None, report_path: str | None = None) -> None:
        """Finish every file (a failure here leaves every old file as it was), then rename all into place.

        ``report``: a mapping is written to ``report_path`` as JSON, a string (the HTML page) as it is:
        either way with the other files, all or none."""
        writers: list[Any] = [self.out]
        if self.rejects is not None:
            if self.rejects_if_any and self.rejects.count == 0:
                self.rejects.abort()
                self.rejects = None
            else:
                writers.append(self.rejects)
        if report is not None and report_path:
            self._report = AtomicJsonlWriter(report_path, compress=False)
            self._report.write_lines(to_utf8(report) if isinstance(report, str) else dumps_report(report), 0)
            writers.append(self._report)
        for writer in writers:  # a writer without the two phases (Parquet) finishes when it commits
            if hasattr(writer, "finish"):
                writer.finish()
        for writer in writers:
            (writer.publish if hasattr(writer, "publish") else writer.commit)()

    @property
    def out(self) -> OutputWriter:
        """The output file's writer."""
        assert self._out is not None, "RunOutputs was not created"
        return self._out

    def abort(self) -> None:
        for writer in (self._out, self.rejects, self._report):
            if writer is not None:
                writer.abort()

    def __enter__(self) -> RunOutputs:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # without an explicit commit nothing is published: leaving the block early is a failure
        self.abort()
