"""Exit codes and the writing of a run's outcomes, shared by ``arcorpus clean`` and the Dask runner.

These are the functions `arcorpus.distributed.runner` imports from the CLI; they are kept together here so
that the engine layer can take them over (and the runner stop importing the CLI) in one move.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Iterator

from arcorpus.config import CleanConfig
from arcorpus.io.outcomes import EncodedOutcomes, OutcomeEncoder
from arcorpus.io.writers import AtomicJsonlWriter
from arcorpus.pipeline import Outcome
from arcorpus.report import RunSummary

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3


class UsageError(ValueError):
    """A combination of options that cannot work (exit code 2)."""


MAX_REJECTS_SHOWN = 10

FILTER_REASONS = frozenset({"empty_after_cleaning"})
"""Reject reasons that are a normal outcome of cleaning (a document every line of which was boilerplate):
listed in the rejects file like any other, but they do not make the exit code 3."""


def exit_code(summary: RunSummary) -> int:
    """0, or 3 when some input could not be read or cleaned (a reject whose reason is not in
    `FILTER_REASONS`)."""
    unread = sum(n for reason, n in summary.rejects_by_reason.items() if reason not in FILTER_REASONS)
    return EXIT_REJECTS if unread else EXIT_OK


def show_skipped(skipped: list[dict[str, str]], args: argparse.Namespace) -> None:
    """Echo the first skipped non-input files on stderr, and how many more (all are in the report)."""
    if args.quiet:
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


def write_outcomes(
    outcomes: Iterable[Outcome],
    out: AtomicJsonlWriter,
    rejects: AtomicJsonlWriter | None,
    summary: RunSummary,
    config: CleanConfig,
    args: argparse.Namespace,
) -> None:
    """Count each outcome and send it where it belongs: output, rejects file (first ones echoed), or
    nowhere (a dropped duplicate, listed in the summary). Shared by every engine."""
    encode = OutcomeEncoder(
        explain=args.explain,
        keep_duplicates=config.keep_duplicates,
        text_field=args.text_field,
        id_field=args.id_field,
    )
    batches = (encode(batch) for batch in _chunks(outcomes, 256))
    write_encoded(batches, out, rejects, summary, args)


def write_encoded(
    batches: Iterable[EncodedOutcomes],
    out: AtomicJsonlWriter,
    rejects: AtomicJsonlWriter | None,
    summary: RunSummary,
    args: argparse.Namespace,
) -> None:
    """`write_outcomes` for outcomes already encoded (by the pipeline's workers)."""
    for batch in batches:
        shown = summary.rejected
        summary.merge(batch.tally)
        out.write_lines(batch.documents, batch.document_count)
        if rejects is not None:
            rejects.write_lines(batch.rejects, batch.reject_count)
        if not args.quiet:
            for message in batch.reject_messages[: max(0, MAX_REJECTS_SHOWN - shown)]:
                print(f"arcorpus: rejected {message}", file=sys.stderr)


def _chunks(items: Iterable[Outcome], size: int) -> Iterator[list[Outcome]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
