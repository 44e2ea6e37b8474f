"""A run's options, exit codes and the writing of its outcomes: shared by every engine and the CLI.

`RunOptions` is what ``arcorpus clean`` passes an engine besides the `CleanConfig` (a value: the engines
never see the command line's ``argparse.Namespace``). `write_outcomes` / `write_encoded` count each
outcome and send it to the output or the rejects file. The CLI imports these; nothing here imports the CLI.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from arcorpus.config import CleanConfig
from arcorpus.htmlreport import render_html
from arcorpus.io.formats import OutputWriter
from arcorpus.io.outcomes import EncodedOutcomes, OutcomeEncoder
from arcorpus.io.outputs import RunOutputs, default_rejects_path
from arcorpus.outcome import Outcome
from arcorpus.report import RunSummary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3


class UsageError(ValueError):
    """A combination of options that cannot work (exit code 2)."""


MAX_REJECTS_SHOWN = 10

FILTER_REASONS = frozenset({"empty_after_cleaning"})
"""Reject reasons that are a normal outcome of cleaning (a document every line of which was boilerplate):
listed in the rejects file like any other, but they do not make the exit code 3 (trustio, issue 14)."""


def exit_code(summary: RunSummary) -> int:
    """0, or 3 when some input could not be read or cleaned (a reject whose reason is not in
    `FILTER_REASONS`)."""
    unread = sum(n for reason, n in summary.rejects_by_reason.items() if reason not in FILTER_REASONS)
    return EXIT_REJECTS if unread else EXIT_OK


def show_skipped(skipped: list[dict[str, str]], quiet: bool) -> None:
    """Echo the first skipped non-input files on stderr, and how many more (all are in the report)."""
    if quiet:
        return
    for item in skipped[:MAX_REJECTS_SHOWN]:
        print(f"arcorpus: skipped {item['path']}: {item['reason']}", file=sys.stderr)
    if len(skipped) > MAX_REJECTS_SHOWN:
        print(f"arcorpus: ... and {len(skipped) - MAX_REJECTS_SHOWN} more skipped file(s)", file=sys.stderr)


def show_more_rejects(summary: RunSummary) -> None:
    """After the first `MAX_REJECTS_SHOWN` rejects echoed on stderr: how many more, and where they are."""
    more = summary.rejected - MAX_REJECTS_SHOWN
    if more > 0:
        where = f" (every reject is in {summary.rejects_file})" if summary.rejects_file else ""
        print(f"arcorpus: ... and {more} more rejected record(s){where}", file=sys.stderr)


@dataclass(frozen=True)
class RunOptions:
    """How a corpus run writes and where it runs (``arcorpus clean``'s flags other than cleaning options)."""

    output: str = "-"
    rejects: str | None = None
    """The rejects file; None: `default_rejects_path` of the output."""
    rejects_if_any: bool = False
    """The rejects file was not named (stdout output): created only if something is written to it."""
    report: str | None = None
    explain: bool = False
    quiet: bool = False
    verbose: bool = False
    """The summary lists every rule (``-v``), not the top ones."""
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    work_dir: str | None = None
    shard_size: int = 10_000
    text_field: str = "text"
    """The input's text field (``--text-field``): the output record keeps it (trustio, issue 14)."""
    id_field: str = "id"

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RunOptions:
        """The fields found in ``values`` (e.g. ``vars(args)``); the rest keep their defaults."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names and v is not None})

    @property
    def rejects_path(self) -> str | None:
        return self.rejects or default_rejects_path(self.output)


def write_outcomes(
    outcomes: Iterable[Outcome],
    out: OutputWriter,
    rejects: OutputWriter | None,
    summary: RunSummary,
    config: CleanConfig,
    options: RunOptions,
) -> None:
    """Count each outcome and send it where it belongs: output, rejects file (first ones echoed), or
    nowhere (a dropped duplicate, listed in the summary). Shared by every engine."""
    encode = encoder(config, options, details=summary.details is not None)
    batches = (encode(batch) for batch in _chunks(outcomes, 256))
    write_encoded(batches, out, rejects, summary, options)


def encoder(config: CleanConfig, options: RunOptions, *, details: bool = False) -> OutcomeEncoder:
    """The one `OutcomeEncoder` of a run (every engine encodes its outcomes the same way)."""
    return OutcomeEncoder(
        explain=options.explain,
        keep_duplicates=config.keep_duplicates,
        text_field=options.text_field,
        id_field=options.id_field,
        details=details,
    )


def write_encoded(
    batches: Iterable[EncodedOutcomes],
    out: OutputWriter,
    rejects: OutputWriter | None,
    summary: RunSummary,
    options: RunOptions,
) -> None:
    """`write_outcomes` for outcomes already encoded (by the local engine's workers)."""
    for batch in batches:
        shown = summary.rejected
        summary.merge(batch.tally)
        out.write_lines(batch.documents, batch.document_count)
        if rejects is not None:
            rejects.write_lines(batch.rejects, batch.reject_count)
        if not options.quiet:
            for message in batch.reject_messages[: max(0, MAX_REJECTS_SHOWN - shown)]:
                # eco (issue 17): above the progress bar, not into its line (plain print without a bar)
                from tqdm import tqdm

                tqdm.write(f"arcorpus: rejected {message}", file=sys.stderr)


def _chunks(items: Iterable[Outcome], size: int) -> Iterator[list[Outcome]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def commit_with_report(
    outputs: RunOutputs,
    config: CleanConfig,
    summary: RunSummary,
    report_path: str | None,
    *,
    html: bool,
    dedup: Mapping[str, Any] | None = None,
    **sections: Any,
) -> None:
    """Commit the run's files with its report, all or none: JSON (config, summary, ``dedup``, then any
    engine ``sections``) or, when ``html``, the HTML page of the same report with the run's details."""
    report: dict[str, Any] | None = None
    if report_path:
        report = {"config": config.to_dict(), **summary.to_dict()}
        if dedup:
            report["dedup"] = dedup
        report.update(sections)
        if html:
            report["details"] = summary.details.to_dict()
    page = render_html(report) if html and report is not None else None
    outputs.commit(page if page is not None else report, report_path)
