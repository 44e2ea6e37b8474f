"""``arcorpus learn``: learn a site profile (lines each site repeats) for ``clean --site-lines-profile``."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from arcorpus.cli.checks import check_single_output
from arcorpus.cli.inputs import Inputs
from arcorpus.cli.options import add_config_flags, add_input_flags, config_from_args, read_options
from arcorpus.cli.progress import RunProgress
from arcorpus.io.meter import ByteMeter


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "learn",
        help="learn a site profile (lines each site repeats) from a corpus, for clean --site-lines-profile",
        description="Count, per source, the lines that recur across its documents and save them (hashes "
        "only) as a profile that 'arcorpus clean --site-lines-profile PROFILE' reuses without relearning.",
    )
    add_input_flags(parser)
    parser.add_argument(
        "-o", "--output", required=True, metavar="PROFILE", help="profile to write (.json or .json.gz)"
    )
    parser.add_argument(
        "--names-output",
        metavar="PROFILE",
        help="also save the name-variant clusters learned from the corpus (for clean --names-profile)",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default: 1)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    add_config_flags(parser)
    parser.set_defaults(func=cmd_learn)


def cmd_learn(args: argparse.Namespace) -> int:
    from arcorpus.run.local import learn
    from arcorpus.steps.boilerplate import site_lines

    config = config_from_args(args).with_options(
        site_lines=True, site_lines_profile=None, split_glued_corpus=False
    )
    check_single_output(args)  # before anything is read (issue 14)
    names = bool(args.names_output)
    config = config.with_options(names=names or config.names, names_learn=names, names_profile=None)
    inputs = Inputs(args.inputs, read_options(args))
    started = time.perf_counter()
    meter = ByteMeter()  # the input bytes read: the same progress as `arcorpus clean`'s learning pass
    progress = RunProgress.for_stream(inputs.total_bytes(), meter, args.quiet, sys.stderr)
    try:
        with meter.active():
            models = learn(inputs, config, args.workers, progress=progress, on_phase=progress.phase)
        progress.finish()
    finally:
        inputs.close()
        progress.close()
    model = models[site_lines.STEP]
    site_lines.save_profile(model, args.output)
    if names:
        from arcorpus.text.names.learn import save_profile

        save_profile(models["names"], args.names_output)
        if not args.quiet:
            clusters = len(models["names"].clusters)
            print(f"arcorpus learn: {clusters} name-variant clusters -> {args.names_output}", file=sys.stderr)
    if not args.quiet:
        lines = sum(len(p.lines) for p in model.sources.values())
        docs = sum(p.docs for p in model.sources.values())
        print(
            f"arcorpus learn: {docs} documents, {len(model.sources)} sources, {lines} recurring lines "
            f"-> {args.output} ({time.perf_counter() - started:.1f}s)",
            file=sys.stderr,
        )
    return 0
