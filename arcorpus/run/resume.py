"""Resumable runs: per-shard intermediate output in a work directory, so an interrupted run continues.

``arcorpus clean INPUT... -o OUT --resume`` keeps its state in a work directory (default ``OUT.resume/``):

    manifest.json        what the run is: arcorpus version, options, shard size, and every input file's
                         path, size and modification time. A resumed run with different inputs or options
                         is refused (`ResumeError`) instead of mixing two runs.
    models.pickle        the corpus models from pass 1 (site lines, word counts), learned once.
    shard-000000.jsonl   the cleaned items ``[0, S)`` of the input stream (documents with their changes,
    shard-000001.jsonl   and rejects), each written to a temporary file and renamed when complete, so a
    ...                  shard that exists is complete.

Pass 2 (cleaning, the expensive part) skips every item whose shard exists. When all shards exist, the
corpus-wide part runs over them -- dedup signatures and clustering, which need every document and are
therefore redone on each resume (they are cheap next to cleaning) -- and the final output is written
atomically as in a normal run, byte-identical to it; then the work directory is deleted.

The work directory is trusted working state written by arcorpus itself (``models.pickle`` is a pickle):
never point ``--work-dir`` at a directory someone else can write to.

This module deliberately holds no cleaning logic; it only decides what to (re)do and where it is stored.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from arcorpus.config import CleanConfig
from arcorpus.document import Change, Document, Reject
from arcorpus.io.readers import RawRecord, ReadOptions
from arcorpus.io.writers import AtomicJsonlWriter, write_json_atomic
from arcorpus.outcome import Item, Outcome
from arcorpus.run.local import Source, _process, run
from arcorpus.run.plan import Plan

DEFAULT_SHARD_SIZE = 10_000
MANIFEST = "manifest.json"
MODELS = "models.pickle"


class ResumeError(ValueError):
    """The work directory belongs to a different run (other inputs/options) or is not arcorpus's."""


def default_work_dir(output: str) -> Path:
    return Path(output + ".resume")


def fingerprint(
    files: Sequence[Path], config: CleanConfig, options: ReadOptions, shard_size: int
) -> dict[str, Any]:
    """What must be unchanged for a resumed run to continue the interrupted one."""
    from arcorpus import __version__

    def describe(path: Path | str) -> dict[str, Any]:
        try:
            info = os.stat(path)
        except OSError:
            return {"path": str(path), "missing": True}
        return {"path": str(path), "size": info.st_size, "mtime_ns": info.st_mtime_ns}

    extra = [config.boilerplate_file, config.names_file, config.site_lines_profile, config.names_profile]
    return {
        "arcorpus": __version__,
        "config": config.to_dict(),
        "read_options": {
            "text_field": options.text_field,
            "id_field": options.id_field,
            "max_record_bytes": options.max_record_bytes,
            "max_json_depth": options.max_json_depth,
        },
        "shard_size": shard_size,
        "inputs": [describe(p) for p in files],
        "config_files": [describe(p) for p in extra if p],
    }


def item_to_record(item: Item) -> dict[str, Any]:
    if isinstance(item, Reject):
        return {"kind": "reject", **item.to_record()}
    return {
        "kind": "document",
        "id": item.id,
        "text": item.text,
        "metadata": dict(item.metadata),
        "added": dict(item.added),
        "changes": [c.to_dict() for c in item.changes],
        "origin": item.origin,
        "origin_line": item.origin_line,
    }


def item_from_record(record: dict[str, Any]) -> Item:
    changes = tuple(Change.from_dict(c) for c in record.get("changes", ()))
    if record["kind"] == "reject":
        return Reject(
            reason=record["reason"],
            message=record["message"],
            source=record["source"],
            line=record.get("line", 0),
            id=record.get("id"),
            text=record.get("text"),
            changes=changes,
        )
    return Document(
        id=record["id"],
        text=record["text"],
        metadata=record["metadata"],
        changes=changes,
        origin=record["origin"],
        origin_line=record["origin_line"],
        added=record.get("added", {}),
    )


class ResumableRun:
    """The three passes of a run, with pass 2 split into shards that survive an interruption."""

    def __init__(
        self,
        work_dir: Path,
        source: Source,
        files: Sequence[Path],
        config: CleanConfig,
        options: ReadOptions,
        *,
        shard_size: int = DEFAULT_SHARD_SIZE,
        workers: int = 1,
    ) -> None:
        if shard_size < 1:
            raise ResumeError("--shard-size must be at least 1")
        self.work_dir = work_dir
        self.source = source
        self.config = config
        self.shard_size = shard_size
        self.workers = workers
        self.manifest = fingerprint(files, config, options, shard_size)
        self.resumed_shards = 0
        self._open()

    def _open(self) -> None:
        manifest = self.work_dir / MANIFEST
        if manifest.exists():
            try:
                old = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ResumeError(
                    f"{manifest}: unreadable manifest ({exc}); delete {self.work_dir}"
                ) from None
            if old != self.manifest:
                changed = sorted(k for k in self.manifest if old.get(k) != self.manifest[k])
                raise ResumeError(
                    f"{self.work_dir} holds an interrupted run with different {', '.join(changed)}; "
                    f"delete it to start afresh, or rerun with the same inputs and options"
                )
            return
        if self.work_dir.exists() and any(self.work_dir.iterdir()):
            raise ResumeError(
                f"{self.work_dir} exists, is not empty and has no {MANIFEST}: not an arcorpus work dir"
            )
        self.work_dir.mkdir(parents=True, exist_ok=True)
        write_json_atomic(manifest, self.manifest)

    def shard_path(self, index: int) -> Path:
        return self.work_dir / f"shard-{index:06d}.jsonl"

    def models(self, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The pass-1 models: loaded from the work dir, or computed by ``compute`` and saved there."""
        path = self.work_dir / MODELS
        if path.exists():
            with open(path, "rb") as fh:
                loaded: dict[str, Any] = pickle.load(fh)
            return loaded
        models = compute()
        try:
            blob = pickle.dumps(models, protocol=pickle.HIGHEST_PROTOCOL)
        except (TypeError, pickle.PicklingError, AttributeError):
            # a model that cannot be pickled (e.g. it holds a mappingproxy) is learned again on resume:
            # learning is deterministic, so the result is the same, only pass 1 is redone
            return models
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return models

    def clean_shards(
        self,
        models: dict[str, Any],
        progress: Callable[[int], None] | None = None,
        *,
        on_skip: Callable[[int], None] | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> int:
        """Pass 2: clean every item of every missing shard. Returns the number of shards.

        ``progress`` is told of each item cleaned, ``on_skip`` (else ``progress``) of each item of a shard
        already done, read past and not cleaned again."""
        if on_phase is not None:
            on_phase("cleaning")
        skipped = on_skip or progress
        done = {i for i in range(self._count_existing()) if self.shard_path(i).exists()}
        self.resumed_shards = len(done)
        fed: deque[int] = deque()
        total = 0

        def pending() -> Iterator[Item | RawRecord]:
            nonlocal total
            for index, item in enumerate(self.source()):
                total = index + 1
                if index // self.shard_size in done:
                    if skipped is not None:
                        skipped(1)
                    continue
                fed.append(index)
                yield item

        writer: AtomicJsonlWriter | None = None
        current = -1
        try:
            plan = Plan(self.config, models, sign=False)  # signed when the shards are assembled
            for item, _ in _process(pending(), plan, self.workers):
                shard = fed.popleft() // self.shard_size
                if writer is None or shard != current:
                    if writer is not None:
                        writer.commit()
                    writer = AtomicJsonlWriter(self.shard_path(shard))
                    current = shard
                writer.write(item_to_record(item))
                if progress is not None:
                    progress(1)
            if writer is not None:
                writer.commit()
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        shards = -(-total // self.shard_size)
        missing = [i for i in range(shards) if not self.shard_path(i).exists()]
        if missing:  # pragma: no cover - would mean the input changed while being read
            raise ResumeError(
                f"shards {missing[:5]} missing after pass 2: did the input change during the run?"
            )
        return shards

    def _count_existing(self) -> int:
        return 1 + max((int(p.stem.split("-")[1]) for p in self.work_dir.glob("shard-*.jsonl")), default=-1)

    def shard_items(self, shards: int) -> Iterator[Item]:
        for i in range(shards):
            with open(self.shard_path(i), "rb") as fh:
                for line in fh:
                    yield item_from_record(json.loads(line))

    def outcomes(
        self,
        compute_models: Callable[[], dict[str, Any]],
        progress: Callable[[int], None] | None = None,
        *,
        on_skip: Callable[[int], None] | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> Iterator[Outcome]:
        """All three passes; yields one `Outcome` per input item, in input order, as `run` does
        (``progress``, ``on_skip``, ``on_phase``: see `clean_shards` and `arcorpus.run.local`)."""
        models = self.models(compute_models)
        shards = self.clean_shards(models, progress, on_skip=on_skip, on_phase=on_phase)
        yield from run(
            lambda: self.shard_items(shards),
            self.config,
            workers=self.workers,
            precleaned=True,
            progress=progress,
            on_phase=on_phase,
        )

    def finish(self) -> None:
        """Delete the work directory (after the final output was committed)."""
        shutil.rmtree(self.work_dir, ignore_errors=True)
