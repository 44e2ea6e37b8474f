"""The Python API: `clean` for a string, `clean_document` for one document, `clean_documents` for a corpus."""

from __future__ import annotations

import functools
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.outcome import Item, Outcome
from arcorpus.run.local import run
from arcorpus.run.plan import clean_one
from arcorpus.steps import Models, Step, apply_steps, build_steps

DocumentLike = Document | str | Mapping[str, Any]


def _config(config: CleanConfig | None, options: Mapping[str, Any]) -> CleanConfig:
    if config is None:
        profile = options.get("profile", "standard")
        rest = {k: v for k, v in options.items() if k != "profile"}
        return CleanConfig.from_profile(profile, **rest)
    return config.with_options(**options) if options else config


@functools.lru_cache(maxsize=32)
def _steps(config: CleanConfig) -> tuple[Step, ...]:
    return build_steps(config, {})


def clean(text: str, config: CleanConfig | None = None, **options: Any) -> str:
    """Clean one string with the ``standard`` profile (or ``config`` / ``profile=`` / step options).

    Corpus-level steps (site-line learning, dedup) need a corpus and do nothing here. A string whose
    every line is boilerplate comes back empty.
    """
    cfg = _config(config, options)
    return apply_steps(Document(id="", text=text), _steps(cfg)).text


def clean_document(
    doc: DocumentLike, config: CleanConfig | None = None, *, models: Models | None = None, **options: Any
) -> Document:
    """Clean one document and return it with its metadata and the list of changes."""
    cfg = _config(config, options)
    steps = _steps(cfg) if not models else build_steps(cfg, models)
    return apply_steps(as_document(doc), steps)


def as_document(doc: DocumentLike, index: int = 0) -> Document:
    """A `Document` from a document, a string (id = its index) or a mapping with ``id``/``text``."""
    if isinstance(doc, Document):
        return doc
    if isinstance(doc, str):
        return Document(id=str(index), text=doc)
    if isinstance(doc, Mapping):
        text = doc.get("text")
        if not isinstance(text, str):
            raise TypeError(f"document {doc.get('id', index)!r}: 'text' must be a string")
        meta = {k: v for k, v in doc.items() if k not in ("id", "text")}
        return Document(id=str(doc.get("id", index)), text=text, metadata=meta)
    raise TypeError(f"cannot make a document from {type(doc).__name__}")


def clean_documents(
    docs: Iterable[DocumentLike],
    config: CleanConfig | None = None,
    *,
    models: Models | None = None,
    workers: int = 1,
    on_reject: Callable[[Reject], None] | None = None,
    **options: Any,
) -> Iterator[Document]:
    """Clean a corpus, streaming: yields kept documents (and marked duplicates with ``keep_duplicates``).

    Corpus passes need to read the input twice; a one-shot iterator is spooled to a temporary file
    (bounded memory). Rejected documents (e.g. empty after cleaning) go to ``on_reject``.
    """
    cfg = _config(config, options)
    for outcome in run_outcomes(docs, cfg, models=models, workers=workers):
        if outcome.kind == "rejected":
            if on_reject is not None and outcome.reject is not None:
                on_reject(outcome.reject)
        elif outcome.kind == "kept" or cfg.keep_duplicates:
            assert outcome.document is not None
            yield outcome.document


def run_outcomes(
    docs: Iterable[DocumentLike], config: CleanConfig, *, models: Models | None = None, workers: int = 1
) -> Iterator[Outcome]:
    """Like `clean_documents` but yields every `Outcome` (kept, duplicate, rejected)."""
    if isinstance(docs, (list, tuple)):
        items = [d if isinstance(d, Reject) else as_document(d, i) for i, d in enumerate(docs)]
        yield from run(lambda: items, config, models=models, workers=workers)
        return
    with tempfile.TemporaryFile(prefix="arcorpus-input-") as spool:
        for i, d in enumerate(docs):
            pickle.dump(d if isinstance(d, Reject) else as_document(d, i), spool, pickle.HIGHEST_PROTOCOL)
        spool.flush()

        def source() -> Iterator[Item]:
            with open(os.dup(spool.fileno()), "rb") as fh:
                fh.seek(0)
                while True:
                    try:
                        yield pickle.load(fh)
                    except EOFError:
                        return

        yield from run(source, config, models=models, workers=workers)


__all__ = ["as_document", "clean", "clean_document", "clean_documents", "clean_one", "run_outcomes"]
