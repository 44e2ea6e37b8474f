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


def default_rejects_path(output: str) -> str | None:
    if output == "-":
        return None
    base = output
    for suffix in (".gz", ".zst", ".zstd"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    if base.endswith(".jsonl"):
        base = base[: -len(".jsonl")]
    return base + ".rejects.jsonl"


MAX_REJECTS_SHOWN = 10


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
    encode = OutcomeEncoder(explain=args.explain, keep_duplicates=config.keep_duplicates)
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
