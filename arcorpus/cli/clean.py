"""``arcorpus clean``: clean documents and write them (JSONL, JSON or Parquet), the rejects and a report."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from arcorpus.cli.checks import check_input_names, check_run_options, plan_outputs
from arcorpus.cli.inputs import Inputs
from arcorpus.cli.options import (
    add_config_flags,
    add_input_flags,
    check_tables,
    config_from_args,
    read_options,
)
from arcorpus.cli.progress import RunProgress
from arcorpus.config import CleanConfig, ConfigError
from arcorpus.htmlreport import is_html
from arcorpus.io.formats import check_output_format
from arcorpus.io.meter import ByteMeter
from arcorpus.io.outputs import RunOutputs
from arcorpus.io.sinks import open_writer
from arcorpus.report import RunSummary
from arcorpus.run.output import (
    RunOptions,
    UsageError,
    commit_with_report,
    encoder,
    exit_code,
    show_more_rejects,
    show_skipped,
    write_encoded,
    write_outcomes,
)


def register(sub: Any) -> None:
    clean = sub.add_parser(
        "clean", help="clean documents and write them (JSONL, JSON or Parquet), with a rejects file"
    )
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
    clean.add_argument(
        "--rejects",
        metavar="PATH",
        help="rejects and dropped duplicates, JSONL (default: OUTPUT.rejects.jsonl; with -o -, a new "
        "arcorpus-rejects-TIME-PID.jsonl in the current directory, only if there are any)",
    )
    clean.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes, 1 to 4 per usable core (default: the usable cores)",
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


def _compute_models(
    inputs: Inputs, config: CleanConfig, workers: int, progress: RunProgress | None = None
) -> dict[str, Any]:
    """Pass 1: the models learned from the input, and a saved site profile instead of learning site lines.

    (A learner given a profile is not built, so with a site profile only the other learners read the input.)
    """
    from arcorpus.run.local import learn

    on_phase = progress.phase if progress is not None else None
    models = learn(inputs.deferred, config, workers, progress=progress, on_phase=on_phase)
    if config.site_lines and config.site_lines_profile:
        from arcorpus.steps.boilerplate import site_lines

        module: Any = site_lines  # load_profile arrives with the site_lines step
        models["site_lines"] = module.load_profile(config.site_lines_profile)
    return models


def cmd_clean(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    check_tables(config)
    check_run_options(args)
    if args.resume and ("-" in args.inputs or args.output == "-"):
        raise UsageError("--resume needs input files (not stdin) and an output file (not stdout)")
    check_input_names(args.inputs)
    work_dir = None
    if args.resume:
        from arcorpus.run.resume import default_work_dir

        work_dir = Path(args.work_dir) if args.work_dir else default_work_dir(args.output)
    # every output path is checked before any input is read (docs/reliability.md, "Outputs")
    plan = plan_outputs(args, work_dir)
    if not plan.special_output:
        check_output_format(args.output)  # Parquet needs pyarrow: a usage error too (exit 2)
    # what the engines get: a value, not the Namespace; with the rejects path the check settled on
    read = read_options(args)
    options = dataclasses.replace(
        RunOptions.from_mapping(vars(args)),
        rejects=plan.rejects,
        rejects_if_any=plan.rejects_if_any,
        text_field=read.text_field,
        id_field=read.id_field,
    )
    inputs = Inputs(args.inputs, read, exclude=plan.own)
    if args.engine != "local" or args.scheduler:  # scale-out: arcorpus.dask (docs/scale.md)
        try:
            from arcorpus.dask.runner import clean_on_dask
        except ImportError as exc:
            inputs.close()
            raise ConfigError(
                f"--engine dask needs the dask extra: pip install 'arcorpus[dask]' ({exc})"
            ) from None
        return clean_on_dask(options, config, inputs)
    from arcorpus.run.local import run_encoded

    html = is_html(args.report)  # eco (issue 17): the HTML report tallies examples along
    summary = (RunSummary.with_details if html else RunSummary)(
        skipped_files=inputs.skipped, bytes_in=inputs.total_bytes()
    )
    summary.rejects_file = plan.rejects
    show_skipped(inputs.skipped, args.quiet)
    started = time.perf_counter()
    meter = ByteMeter()  # the input bytes read, for the progress (arcorpus.cli.progress)
    progress = RunProgress.for_stream(summary.bytes_in, meter, args.quiet, sys.stderr)
    resumable = None
    dedup_report: dict[str, Any] = {}
    try:
        if work_dir is not None:
            from arcorpus.run.resume import ResumableRun

            resumable = ResumableRun(
                work_dir,
                inputs,
                inputs.files,
                config,
                inputs.options,
                shard_size=args.shard_size,
                workers=args.workers,
            )
        # the output files are opened (as temporary files) before the corpus passes, and committed all
        # together at the end (or none of them: any failure or Ctrl-C removes every temporary file)
        with RunOutputs(
            args.output, plan.rejects, rejects_if_any=plan.rejects_if_any, opener=open_writer
        ) as outputs:
            with meter.active():
                if resumable is not None:
                    outcomes = resumable.outcomes(
                        lambda: _compute_models(inputs, config, args.workers, progress),
                        progress,
                        on_skip=progress.skipped,
                        on_phase=progress.phase,
                    )
                    write_outcomes(outcomes, outputs.out, outputs.rejects, summary, config, options)
                else:
                    models = _compute_models(inputs, config, args.workers, progress)
                    encoded = run_encoded(
                        inputs.deferred,
                        config,
                        encoder(config, options, details=html),
                        models=models,
                        workers=args.workers,
                        progress=progress,
                        on_dedup_report=dedup_report.update,
                        on_phase=progress.phase,
                    )
                    write_encoded(encoded, outputs.out, outputs.rejects, summary, options)
            progress.finish()
            if outputs.rejects is None or (plan.rejects_if_any and outputs.rejects.count == 0):
                summary.rejects_file = None
            if resumable is not None:
                summary.resumed_shards = resumable.resumed_shards
                summary.bytes_resumed = progress.bytes_skipped
            summary.seconds = time.perf_counter() - started
            commit_with_report(outputs, config, summary, args.report, html=html, dedup=dedup_report)
    finally:
        inputs.close()
        progress.close()
    if resumable is not None:
        resumable.finish()
    if not args.quiet:
        show_more_rejects(summary)
        print(summary.render(verbose=args.verbose), file=sys.stderr)
    return exit_code(summary)
