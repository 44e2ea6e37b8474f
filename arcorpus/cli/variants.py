"""``arcorpus variants``: propose name-variant clusters from a corpus (a user gazetteer to review)."""

from __future__ import annotations

import argparse
from typing import Any

from arcorpus.cli.checks import check_single_output
from arcorpus.cli.inputs import Inputs
from arcorpus.cli.options import add_input_flags, read_options


def register(subparsers: Any) -> None:
    """``arcorpus variants CORPUS... [-o FILE]``: propose variant clusters for review."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "variants",
        help="propose name-variant clusters from a corpus (a user gazetteer to review)",
        description="Find words and word pairs that differ only by the systematic alternations of "
        "transliterated names (g-letters, long vowels, hamza, joins) and are used next to the same words, "
        "rank them by corpus counts, and write them in the gazetteer format with example contexts "
        "(loadable with --names-file after review). Same evidence as the corpus learner of clean: not "
        "native words (shipped lists, corpus morphology), not minimal pairs, same neighbour words; ranked by "
        "confidence.",
    )
    add_input_flags(parser)
    parser.add_argument("-o", "--output", default="-", help="output TSV (default: stdout)")
    parser.add_argument("--min-count", type=int, default=5, help="every spelling seen at least this often")
    parser.add_argument("--limit", type=int, default=200, help="at most this many clusters (default: 200)")
    parser.add_argument("--all", action="store_true", help="also list clusters the gazetteer already has")
    parser.add_argument(
        "--min-similarity",
        type=float,
        default=0.5,
        help="cosine similarity of neighbour words a variant needs with the main spelling (default: 0.5)",
    )
    parser.set_defaults(func=cmd_variants)


def cmd_variants(args: argparse.Namespace) -> int:
    from arcorpus.steps.names import load_entities
    from arcorpus.text.names.discover import discover, write_tsv

    check_single_output(args)  # before anything is read (issue 14)
    inputs = Inputs(args.inputs, read_options(args))
    try:
        clusters = discover(
            inputs,
            known=None if args.all else load_entities(),
            min_count=args.min_count,
            limit=args.limit,
            min_similarity=args.min_similarity,
        )
    finally:
        inputs.close()
    write_tsv(clusters, args.output)
    return 0
