"""The ``arcorpus`` command line: ``clean``, ``explain``, ``learn``, ``variants``: one module each.

Every `CleanConfig` field is a flag of the same name (``--fix-encoding/--no-fix-encoding``,
``--dedup near``), generated from the dataclass so the three names can never drift apart.

Exit codes (docs/reliability.md):
  0  the run completed and every input document is in the output (or is a listed duplicate)
  1  the run could not complete (output not writable, interrupted by Ctrl-C/SIGTERM, internal error);
     no output file was created or replaced
  2  usage or configuration error (bad flag, unknown option, invalid config or table file, missing input,
     a --resume work directory from a different run); nothing was written
  3  the run completed but some input records were rejected (each listed in the rejects file)
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from arcorpus.cli import clean, explain, learn, variants
from arcorpus.cli.checks import Parser
from arcorpus.config import ConfigError
from arcorpus.io.formats import FormatError
from arcorpus.io.readers import InputError
from arcorpus.run.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from arcorpus.run.resume import ResumeError

SUBCOMMANDS = (clean, explain, learn, variants)
"""The subcommand modules, in the order ``arcorpus --help`` lists them; each has ``register(subparsers)``."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="arcorpus", description="Clean, normalize and deduplicate Arabic news and web text."
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)
    for command in SUBCOMMANDS:
        command.register(sub)
    return parser


def _version() -> str:
    from arcorpus import __version__

    return f"arcorpus {__version__}"


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _stop_children() -> None:
    """Kill worker processes an interrupted run leaves behind: a pool abandoned mid-iteration is not
    always terminated before exit, and an orphaned worker would hold our stdout/stderr pipes open."""
    import multiprocessing

    for child in multiprocessing.active_children():
        child.kill()
        child.join(timeout=5)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.func(args))
    except (ConfigError, InputError, UsageError, ResumeError, FormatError) as exc:
        print(f"arcorpus: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our stdout went away (e.g. `| head`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _stop_children()
        print("arcorpus: interrupted; no partial output was left behind", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"arcorpus: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        import traceback

        traceback.print_exc(file=sys.stderr)
        _stop_children()
        print(f"arcorpus: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGTERM, previous)

