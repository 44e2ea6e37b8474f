"""The ``arcorpus`` command line: ``clean``, ``explain`` (and the subcommands other modules register).

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
import dataclasses
import functools
import itertools
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

from arcorpus.config import PROFILES, CleanConfig, ConfigError
from arcorpus.document import Document, Reject
from arcorpus.io.outcomes import EncodedOutcomes, OutcomeEncoder
from arcorpus.io.readers import InputError, RawRecord, ReadOptions, expand_inputs, read_file
from arcorpus.io.writers import AtomicJsonlWriter, write_json_atomic
from arcorpus.pipeline import Item, Outcome, learn, run_encoded
from arcorpus.report import RunSummary
from arcorpus.resume import ResumeError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3


class UsageError(ValueError):
    """A combination of options that cannot work (exit code 2)."""


Subcommand = Callable[[Any], None]
EXTRA_SUBCOMMANDS: list[str] = [
    # "module:function" registering further subcommands (learn, variants ...); imported lazily.
    "arcorpus.steps.site_lines:register_cli",
    "arcorpus.steps.names:register_cli",
]


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per `CleanConfig` field; unset flags stay ``None`` so profile/TOML values win."""
    group = parser.add_argument_group("cleaning options (default: the profile's value)")
    group.add_argument("--profile", choices=list(PROFILES), default=None, help="minimal | standard | search")
    group.add_argument("--config", metavar="TOML", default=None, help="read options from a TOML file")
    hints = get_type_hints(CleanConfig)
    for f in dataclasses.fields(CleanConfig):
        if f.name == "profile":
            continue
        hint = hints[f.name]
        doc = (_field_docs().get(f.name) or "").replace("%", "%%")
        if hint is bool:
            group.add_argument(
                _flag(f.name), dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=doc
            )
        elif getattr(hint, "__origin__", None) is Literal:
            group.add_argument(_flag(f.name), dest=f.name, choices=get_args(hint), default=None, help=doc)
        elif hint in (int, float):
            group.add_argument(_flag(f.name), dest=f.name, type=hint, default=None, help=doc)
        else:
            group.add_argument(_flag(f.name), dest=f.name, default=None, metavar="PATH", help=doc)


@functools.lru_cache(maxsize=1)
def _field_docs() -> dict[str, str]:
    """Field docstrings from the source of `CleanConfig` (the string literal after each field)."""
    import ast
    import inspect

    import arcorpus.config as module

    tree = ast.parse(inspect.getsource(module))
    docs: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "CleanConfig":
            body = node.body
            for a, b in itertools.pairwise(body):
                if (
                    isinstance(a, ast.AnnAssign)
                    and isinstance(a.target, ast.Name)
                    and isinstance(b, ast.Expr)
                    and isinstance(b.value, ast.Constant)
                    and isinstance(b.value.value, str)
                ):
                    docs[a.target.id] = b.value.value
    return docs


def config_from_args(args: argparse.Namespace) -> CleanConfig:
    options = {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(CleanConfig)
        if f.name != "profile" and getattr(args, f.name, None) is not None
    }
    if args.profile is not None:
        options["profile"] = args.profile
    if args.config:
        return CleanConfig.from_toml(args.config, **options)
    profile = options.pop("profile", "standard")
    return CleanConfig.from_profile(profile, **options)


def add_input_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs", nargs="+", metavar="INPUT", help=".txt, .jsonl[.gz|.zst], a directory, or - (stdin)"
    )
    parser.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    parser.add_argument("--id-field", default="id", help="JSONL field holding the id (default: id)")
    parser.add_argument(
        "--max-record-bytes",
        type=int,
        default=ReadOptions.max_record_bytes,
        help="reject a record (JSONL line or .txt file) larger than this (default: 64 MiB)",
    )


def read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(
        text_field=args.text_field, id_field=args.id_field, max_record_bytes=args.max_record_bytes
    )


class Inputs:
    """The input paths as a re-readable source; stdin is spooled to a temporary file first."""

    def __init__(self, paths: Sequence[str], options: ReadOptions) -> None:
        self.options = options
        self.skipped: list[dict[str, str]] = []
        self._tmpdir: str | None = None
        self._spooled: dict[str, str] = {}
        resolved: list[str] = []
        for path in paths:
            if path == "-" or _is_pipe(path):
                self._tmpdir = self._tmpdir or tempfile.mkdtemp(prefix="arcorpus-stdin-")
                spool = os.path.join(self._tmpdir, f"stdin-{len(resolved)}.jsonl")
                with open(spool, "wb") as fh:
                    if path == "-":
                        shutil.copyfileobj(sys.stdin.buffer, fh)
                    else:
                        with open(path, "rb") as pipe:
                            shutil.copyfileobj(pipe, fh)
                self._spooled[spool] = path
                resolved.append(spool)
            else:
                resolved.append(path)
        self.files = expand_inputs(resolved, self._skip)
        self._stdin_names = {str(p): self._spooled[str(p)] for p in self.files if str(p) in self._spooled}

    def _skip(self, path: str, reason: str) -> None:
        self.skipped.append({"path": path, "reason": reason})

    def __call__(self) -> Iterator[Item]:
        for path in self.files:
            yield from self._read(path)

    def deferred(self) -> Iterator[Item | RawRecord]:
        """Like calling the source, but JSONL records come unparsed (`RawRecord`), to be parsed by
        whichever process cleans them (`arcorpus.pipeline` parses them in its workers)."""
        for path in self.files:
            if str(path) in self._stdin_names:  # ids and origins are renamed after parsing
                yield from self._read(path)
            else:
                yield from read_file(path, self.options, deferred=True)

    def _read(self, path: Path) -> Iterator[Item]:
        for item in read_file(path, self.options):
            if isinstance(item, Document) and item.origin in self._stdin_names:
                name = self._stdin_names[item.origin]
                if item.id.startswith(item.origin + ":"):
                    item = dataclasses.replace(item, id=name + item.id[len(item.origin) :])
                item = dataclasses.replace(item, origin=name)
            elif isinstance(item, Reject) and item.source in self._stdin_names:
                name = self._stdin_names[item.source]
                item = dataclasses.replace(
                    item,
                    source=name,
                    message=item.message.replace(item.source, name),
                    id=item.id.replace(item.source, name) if item.id else item.id,
                )
            yield item

    def total_bytes(self) -> int:
        total = 0
        for path in self.files:
            try:
                total += path.stat().st_size
            except OSError:
                pass
        return total

    def close(self) -> None:
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)


def _is_pipe(path: str) -> bool:
    """A named pipe or character device (``<(zcat x.gz)``): read once, so it is spooled like stdin."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


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


def _compute_models(inputs: Inputs, config: CleanConfig, workers: int) -> dict[str, Any]:
    """Pass 1: a saved site profile, or the models learned from the input."""
    if config.site_lines and config.site_lines_profile:
        from arcorpus.steps import site_lines

        module: Any = site_lines  # load_profile arrives with the site_lines step
        return {"site_lines": module.load_profile(config.site_lines_profile)}
    return learn(inputs.deferred, config, workers)


def check_tables(config: CleanConfig) -> None:
    """Build every step once before reading any input, so that a bad table (a user's boilerplate or names
    file) stops the run at once with exit code 2 instead of after a corpus pass."""
    from arcorpus.steps import build_steps

    try:
        build_steps(config, {})
    except (ValueError, KeyError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(str(exc) if isinstance(exc, (ValueError, OSError)) else repr(exc)) from exc


def cmd_clean(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    check_tables(config)
    if args.workers is None:
        args.workers = os.cpu_count() or 1
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.resume and ("-" in args.inputs or args.output == "-"):
        raise UsageError("--resume needs input files (not stdin) and an output file (not stdout)")
    inputs = Inputs(args.inputs, read_options(args))
    if args.engine != "local" or args.scheduler:  # scale-out: arcorpus.distributed (docs/scale.md)
        from arcorpus.distributed.runner import clean_on_dask

        return clean_on_dask(args, config, inputs)
    summary = RunSummary(skipped_files=inputs.skipped, bytes_in=inputs.total_bytes())
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
            from arcorpus.resume import ResumableRun, default_work_dir

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
        with AtomicJsonlWriter(args.output) as out:
            rejects = AtomicJsonlWriter(rejects_path) if rejects_path else None
            try:
                if resumable is not None:
                    outcomes = resumable.outcomes(
                        lambda: _compute_models(inputs, config, args.workers), progress
                    )
                    write_outcomes(outcomes, out, rejects, summary, config, args)
                else:
                    models = _compute_models(inputs, config, args.workers)
                    encoded = run_encoded(
                        inputs.deferred,
                        config,
                        OutcomeEncoder(explain=args.explain, keep_duplicates=config.keep_duplicates),
                        models=models,
                        workers=args.workers,
                        progress=progress,
                        on_dedup_report=dedup_report.update,
                    )
                    write_encoded(encoded, out, rejects, summary, args)
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
        print(summary.render(), file=sys.stderr)
    if args.report:
        report = {"config": config.to_dict(), **summary.to_dict()}
        if dedup_report:
            report["dedup"] = dedup_report
        write_json_atomic(args.report, report)
    return EXIT_REJECTS if summary.rejected else EXIT_OK


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


def cmd_explain(args: argparse.Namespace) -> int:
    from arcorpus.explain import render_document, trace

    config = config_from_args(args)
    check_tables(config)
    inputs = Inputs(args.inputs, read_options(args))
    try:
        wanted: list[Item] = [
            item
            for item in inputs()
            if args.id is None or (isinstance(item, Document) and item.id == args.id)
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


def is_multi(path: Path) -> bool:
    return str(path).lower().endswith((".jsonl", ".gz", ".zst", ".zstd", ".ndjson"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arcorpus", description="Clean, normalize and deduplicate Arabic news and web text."
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)

    clean = sub.add_parser("clean", help="clean documents and write JSONL")
    add_input_flags(clean)
    clean.add_argument("-o", "--output", default="-", help="output JSONL (.gz/.zst compress), - for stdout")
    clean.add_argument("--explain", action="store_true", help="add each document's list of changes")
    clean.add_argument("--report", metavar="FILE", help="write the run summary as JSON")
    clean.add_argument("--rejects", metavar="PATH", help="rejects JSONL (default: OUTPUT.rejects.jsonl)")
    clean.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: the machine's cores)"
    )
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
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

    explain = sub.add_parser("explain", help="show what each step removed or changed in a document")
    add_input_flags(explain)
    explain.add_argument("--id", help="the document to explain (default: every document, see --limit)")
    explain.add_argument("--limit", type=int, default=20, help="at most this many documents (default: 20)")
    explain.add_argument("--show-text", action="store_true", help="also print the cleaned text")
    add_config_flags(explain)
    explain.set_defaults(func=cmd_explain)

    for target in EXTRA_SUBCOMMANDS:
        module, _, func = target.partition(":")
        try:
            register = getattr(__import__(module, fromlist=[func]), func)
        except (ImportError, AttributeError):
            continue
        register(sub)
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
    except (ConfigError, InputError, UsageError, ResumeError) as exc:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
