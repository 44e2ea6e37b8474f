"""``arcorpus clean``: clean documents and write JSONL (output, rejects, report)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from arcorpus.cli.inputs import Inputs
from arcorpus.cli.options import (
    add_config_flags,
    add_input_flags,
    check_tables,
    config_from_args,
    read_options,
)
from arcorpus.config import CleanConfig, ConfigError
from arcorpus.htmlreport import is_html, write_html
from arcorpus.io.formats import check_output_format
from arcorpus.io.outcomes import OutcomeEncoder
from arcorpus.io.sinks import open_writer
from arcorpus.io.writers import AtomicJsonlWriter, write_json_atomic
from arcorpus.report import RunSummary
from arcorpus.run.local import learn, run_encoded
from arcorpus.run.output import (
    EXIT_OK,
    EXIT_REJECTS,
    MAX_REJECTS_SHOWN,
    RunOptions,
    UsageError,
    default_rejects_path,
    write_encoded,
    write_outcomes,
)


def register(sub: Any) -> None:
    clean = sub.add_parser("clean", help="clean documents and write JSONL")
    add_input_flags(clean)
    clean.add_argument(
        "-o",
        "--output",
        default="-",
        help="output file, its format from the suffix: .jsonl, .json (a JSON array) or .parquet; "
        ".gz/.zst/.bz2/.xz compress JSON; - for JSONL on stdout",
    )
    clean.add_argument("--explain", action="store_true", help="add each document's list of changes")
    clean.add_argument(
        "--report",
        metavar="FILE",
        help="write the run summary: FILE.json as JSON, FILE.html as a page to look at (charts, examples)",
    )
    clean.add_argument("--rejects", metavar="PATH", help="rejects JSONL (default: OUTPUT.rejects.jsonl)")
    clean.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: the machine's cores)"
    )
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
    clean.add_argument(
        "-v", "--verbose", action="store_true", help="the summary lists every rule (default: the top 10)"
    )
    clean.add_argument("--engine", choices=("local", "dask"), default="local", help="local (default) or dask")
    clean.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler (default: start a LocalCluster)"
    )
    clean.add_argument(
        "--resume",
        action="store_true",
        help="keep per-shard progress in a work directory and continue an interrupted run from it "
        "(see docs/reliability.md)",
    )
    clean.add_argument(
        "--work-dir", metavar="DIR", help="work directory for --resume (default: OUTPUT.resume)"
    )
    clean.add_argument(
        "--shard-size", type=int, default=10_000, help="documents per shard with --resume (default: 10000)"
    )
    add_config_flags(clean)
    clean.set_defaults(func=cmd_clean)


def _compute_models(inputs: Inputs, config: CleanConfig, workers: int) -> dict[str, Any]:
    """Pass 1: the models learned from the input, and a saved site profile instead of learning site lines.

    (A learner given a profile is not built, so with a site profile only the other learners read the input.)
    """
    models = learn(inputs.deferred, config, workers)
    if config.site_lines and config.site_lines_profile:
        from arcorpus.steps.boilerplate import site_lines

        module: Any = site_lines  # load_profile arrives with the site_lines step
        models["site_lines"] = module.load_profile(config.site_lines_profile)
    return models


def cmd_clean(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    check_tables(config)
    check_output_format(args.output)  # before any work: an unknown suffix is a usage error (exit 2)
    if args.workers is None:
        args.workers = os.cpu_count() or 1
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.resume and ("-" in args.inputs or args.output == "-"):
        raise UsageError("--resume needs input files (not stdin) and an output file (not stdout)")
    options = RunOptions.from_mapping(vars(args))  # what the engines get: a value, not the Namespace
    inputs = Inputs(args.inputs, read_options(args))
    if args.engine != "local" or args.scheduler:  # scale-out: arcorpus.dask (docs/scale.md)
        try:
            from arcorpus.dask.runner import clean_on_dask
        except ImportError as exc:
            inputs.close()
            raise ConfigError(
                f"--engine dask needs the dask extra: pip install 'arcorpus[dask]' ({exc})"
            ) from None
        return clean_on_dask(options, config, inputs)
    html = is_html(args.report)  # eco (issue 17): the HTML report tallies examples along
    summary = (RunSummary.with_details if html else RunSummary)(
        skipped_files=inputs.skipped, bytes_in=inputs.total_bytes()
    )
    rejects_path = args.rejects or default_rejects_path(args.output)
    summary.rejects_file = rejects_path
    for skipped in inputs.skipped[:MAX_REJECTS_SHOWN]:
        if not args.quiet:
            print(f"arcorpus: skipped {skipped['path']}: {skipped['reason']}", file=sys.stderr)
    started = time.perf_counter()
    progress = _progress_bar(args)
    resumable = None
    dedup_report: dict[str, Any] = {}
    try:
        if args.resume:
            from arcorpus.run.resume import ResumableRun, default_work_dir

            work_dir = Path(args.work_dir) if args.work_dir else default_work_dir(args.output)
            resumable = ResumableRun(
                work_dir,
                inputs,
                inputs.files,
                config,
                inputs.options,
                shard_size=args.shard_size,
                workers=args.workers,
            )
        # the output files are opened (as temporary files) before the corpus passes: an unwritable
        # location fails at once, not after an hour of learning
        with open_writer(args.output) as out:
            rejects = AtomicJsonlWriter(rejects_path) if rejects_path else None
            try:
                if resumable is not None:
                    outcomes = resumable.outcomes(
                        lambda: _compute_models(inputs, config, args.workers), progress
                    )
                    write_outcomes(outcomes, out, rejects, summary, config, options)
                else:
                    models = _compute_models(inputs, config, args.workers)
                    encoded = run_encoded(
                        inputs.deferred,
                        config,
                        OutcomeEncoder(
                            explain=args.explain, keep_duplicates=config.keep_duplicates, details=html
                        ),
                        models=models,
                        workers=args.workers,
                        progress=progress,
                        on_dedup_report=dedup_report.update,
                    )
                    write_encoded(encoded, out, rejects, summary, options)
            except BaseException:
                if rejects is not None:
                    rejects.abort()
                raise
            if rejects is not None:
                rejects.commit()
    finally:
        inputs.close()
        if progress is not None:
            progress.close()
    if resumable is not None:
        summary.resumed_shards = resumable.resumed_shards
        resumable.finish()
    summary.seconds = time.perf_counter() - started
    if not args.quiet:
        print(summary.render(verbose=args.verbose), file=sys.stderr)
    if args.report:
        report = {"config": config.to_dict(), **summary.to_dict()}
        if dedup_report:
            report["dedup"] = dedup_report
        if html:
            report["details"] = summary.details.to_dict()
            write_html(args.report, report)
        else:
            write_json_atomic(args.report, report)
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def _progress_bar(args: argparse.Namespace) -> Any:
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(unit="doc", file=sys.stderr, desc="cleaning")

    class _Progress:
        def __call__(self, n: int) -> None:
            bar.update(n)

        def close(self) -> None:
            bar.close()

    return _Progress()
