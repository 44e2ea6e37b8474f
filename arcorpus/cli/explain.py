"""``arcorpus explain``: show what each step removed or changed in a document."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from arcorpus.cli.inputs import Inputs, is_multi
from arcorpus.cli.options import (
    add_config_flags,
    add_input_flags,
    check_tables,
    config_from_args,
    read_options,
)
from arcorpus.document import Document, Reject, id_text
from arcorpus.outcome import Item
from arcorpus.run.output import EXIT_OK, EXIT_USAGE


def register(sub: Any) -> None:
    explain = sub.add_parser("explain", help="show what each step removed or changed in a document")
    add_input_flags(explain)
    explain.add_argument("--id", help="the document to explain (default: every document, see --limit)")
    explain.add_argument("--limit", type=int, default=20, help="at most this many documents (default: 20)")
    explain.add_argument("--show-text", action="store_true", help="also print the cleaned text")
    add_config_flags(explain)
    explain.set_defaults(func=cmd_explain)


def cmd_explain(args: argparse.Namespace) -> int:
    from arcorpus.explain import render_document, trace
    from arcorpus.run.local import learn

    config = config_from_args(args)
    check_tables(config)
    inputs = Inputs(args.inputs, read_options(args))
    try:
        wanted: list[Item] = [
            item
            for item in inputs()
            if args.id is None or (isinstance(item, Document) and id_text(item.id) == args.id)
        ]
        if not wanted:
            print(f"arcorpus explain: no document {args.id!r} in the input", file=sys.stderr)
            return EXIT_USAGE
        models = (
            learn(inputs, config) if len(inputs.files) > 1 or any(is_multi(p) for p in inputs.files) else {}
        )
        from arcorpus.steps import build_steps

        steps = build_steps(config, models)
        shown = 0
        for item in wanted[: args.limit]:
            if isinstance(item, Reject):
                print(f"rejected: {item.message}")
                continue
            cleaned, where = trace(item, steps)  # changes located by 1-based input line
            print(render_document(item, cleaned, where))
            if args.show_text:
                print("--- cleaned text ---")
                print(cleaned.text)
            print()
            shown += 1
    finally:
        inputs.close()
    return EXIT_OK
