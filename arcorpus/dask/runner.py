"""``arcorpus clean --engine dask``: connect to (or start) a cluster, run the engine, write like the CLI.

The files are read by the workers (see `arcorpus.dask.inputs`); outcomes come back to this process
partition by partition, in input order, and are written by the same writer, summary and exit-code logic
as the embedded engine, so the output and rejects files are byte-identical.

Without ``--scheduler`` a `distributed.LocalCluster` is started with ``--workers`` processes of one
thread each (the machine's cores when ``--workers`` is 1 or unset).

This module deliberately does not parse arguments: `arcorpus.cli` owns the flags and passes a
`RunOptions` value; nothing here imports the CLI.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import ExitStack
from typing import Any

from arcorpus.config import CleanConfig, ConfigError
from arcorpus.dedup import ParagraphNotes
from arcorpus.htmlreport import is_html
from arcorpus.io.outputs import RunOutputs
from arcorpus.io.sinks import open_writer
from arcorpus.report import RunSummary
from arcorpus.run.output import (
    RunOptions,
    commit_with_report,
    exit_code,
    show_more_rejects,
    show_skipped,
    write_outcomes,
)


def clean_on_dask(args: RunOptions, config: CleanConfig, inputs: Any) -> int:
    """Run ``arcorpus clean`` on Dask. ``inputs`` is the CLI's `Inputs` (closed here).

    Outcomes are written by `arcorpus.run.output.write_outcomes`, as in the local engine.
    """
    try:
        if args.engine != "dask":
            raise ConfigError("--scheduler needs --engine dask")
        if args.resume:
            raise ConfigError("--resume is for the local engine; a Dask cluster reruns lost tasks itself")
        try:
            import dask.dataframe  # noqa: F401
            import distributed
        except ImportError as exc:
            raise ConfigError(
                f"--engine dask needs the dask extra: pip install 'arcorpus[dask]' ({exc})"
            ) from None
        from arcorpus.dask.engine import DEFAULT_MAX_DRIVER_CANDIDATES, iter_outcomes, prepare

        html = is_html(args.report)  # eco (issue 17): --report x.html, --output by its suffix
        summary = (RunSummary.with_details if html else RunSummary)(
            skipped_files=inputs.skipped, bytes_in=inputs.total_bytes()
        )
        rejects_path = args.rejects_path  # checked before the run by the CLI (arcorpus.io.outputs)
        summary.rejects_file = rejects_path
        show_skipped(inputs.skipped, args.quiet)
        started = time.perf_counter()
        notes = ParagraphNotes()
        with ExitStack() as stack:
            client = stack.enter_context(_client(args, distributed))
            block_size = int(os.environ.get("ARCORPUS_DASK_BLOCK_SIZE", 0)) or None
            items = items_from_inputs(inputs, inputs.options, block_size)
            models = None
            if config.site_lines and config.site_lines_profile:
                from arcorpus.steps.boilerplate import site_lines

                models = {"site_lines": site_lines.load_profile(config.site_lines_profile)}
            limit = int(os.environ.get("ARCORPUS_DASK_MAX_DRIVER_CANDIDATES", DEFAULT_MAX_DRIVER_CANDIDATES))
            # outputs opened before the corpus passes and committed together, as cmd_clean does
            with RunOutputs(
                args.output, rejects_path, rejects_if_any=args.rejects_if_any, opener=open_writer
            ) as outputs:
                prepared = prepare(
                    items, config, models, max_driver_candidates=limit, report=bool(args.report)
                )
                window = 2 * max(1, _n_workers(client))
                outcomes = iter_outcomes(prepared, window=window, notes=notes)
                write_outcomes(outcomes, outputs.out, outputs.rejects, summary, config, args)
                if outputs.rejects is None or (args.rejects_if_any and outputs.rejects.count == 0):
                    summary.rejects_file = None
                summary.seconds = time.perf_counter() - started
                # the local engine's "dedup" report, through the same plan
                dedup = prepared.dedup_report(notes, config) if args.report else None
                commit_with_report(
                    outputs, config, summary, args.report, html=html, dedup=dedup, dask=prepared.stats
                )
    finally:
        inputs.close()
    if not args.quiet:
        show_more_rejects(summary)
        print(summary.render(verbose=args.verbose), file=sys.stderr)
        print(f"dask: {prepared.stats}", file=sys.stderr)
    return exit_code(summary)


def items_from_inputs(inputs: Any, options: Any, block_size: int | None = None) -> Any:
    """The CLI inputs as a Dask DataFrame of items, one or more partitions per file, read by workers."""
    import dask

    with dask.config.set({"dataframe.convert-string": False}):
        return _items_from_inputs(inputs, options, block_size)


def _items_from_inputs(inputs: Any, options: Any, block_size: int | None) -> Any:
    import dask
    import dask.dataframe as dd
    from dask import delayed

    from arcorpus.dask.engine import empty_items
    from arcorpus.dask.inputs import (
        DEFAULT_BLOCK_SIZE,
        ITEM_META,
        count_lines,
        plan_blocks,
        read_block,
    )

    if inputs.local_only:  # a spooled pipe exists only on this machine
        return _items_on_driver(inputs)
    blocks = plan_blocks(inputs.files, block_size or DEFAULT_BLOCK_SIZE)
    if not blocks:
        return empty_items()
    counts = dask.compute(*[delayed(count_lines)(b) if b.split else 0 for b in blocks])
    first_lines: list[int] = []
    running, previous = 0, None
    for block, count in zip(blocks, counts, strict=True):
        if block.path != previous:
            running, previous = 0, block.path
        first_lines.append(running)
        running += int(count)
    parts = [delayed(read_block)(b, options, n) for b, n in zip(blocks, first_lines, strict=True)]
    return dd.from_delayed(parts, meta=ITEM_META, verify_meta=False)


def _items_on_driver(inputs: Any, chunk: int = 5000) -> Any:
    """Read every input here, through the CLI's `Inputs` (stdin names, ids), in chunks for the workers."""
    import dask.dataframe as dd
    from dask import delayed

    from arcorpus.dask.engine import empty_items
    from arcorpus.dask.inputs import ITEM_META, items_frame

    parts = []
    batch: list[Any] = []
    for item in inputs():
        batch.append(item)
        if len(batch) == chunk:
            parts.append(delayed(items_frame(batch), pure=True))
            batch = []
    if batch:
        parts.append(delayed(items_frame(batch), pure=True))
    if not parts:
        return empty_items()
    return dd.from_delayed(parts, meta=ITEM_META, verify_meta=False)


def _client(args: RunOptions, distributed: Any) -> Any:
    if args.scheduler:
        return distributed.Client(args.scheduler)
    workers = args.workers if args.workers and args.workers > 1 else (os.cpu_count() or 1)
    logging.getLogger("distributed.shuffle").setLevel(logging.ERROR)  # per-shuffle notices, not problems
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
        silence_logs=logging.ERROR,  # our own cluster: its start/stop notices are not the user's concern
    )
    return _OwnedClient(distributed.Client(cluster), cluster)


class _OwnedClient:
    """A client and the LocalCluster it owns, closed together."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()


def _n_workers(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:
        return 1
