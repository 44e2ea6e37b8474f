"""The Python API: `clean` for a string, `clean_document` for one document, `clean_documents` for a corpus."""

from __future__ import annotations

import functools
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from arcorpus.config import CleanConfig
from arcorpus.document import DocId, Document, Reject
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


API_SOURCE = "<api>"
"""The ``source`` of a `Reject` made from an API input; its ``line`` is the input's 1-based position."""


def as_item(
    doc: DocumentLike | Reject, index: int = 0, *, text_field: str = "text", id_field: str = "id"
) -> Document | Reject:
    """`as_document`, but an input that cannot be a document becomes a `Reject` (with the reason the CLI
    gives the same record) instead of raising: one bad record must not abort a batch. ``text_field`` and
    ``id_field`` name the fields of a mapping, as ``--text-field``/``--id-field`` do on the CLI."""
    if isinstance(doc, (Document, Reject)):
        return doc
    if isinstance(doc, Mapping) and (text_field, id_field) != ("text", "id"):
        # eco (issue 17): named fields are read as the CLI reads a record (same reasons; the input's own
        # "text"/"id" fields, if any, stay metadata)
        from arcorpus.io.jsonl import record_item
        from arcorpus.io.options import ReadOptions

        options = ReadOptions(text_field=text_field, id_field=id_field)
        return record_item(dict(doc), API_SOURCE, index + 1, options, f"document {index}")
    where = f"document {index}"
    if isinstance(doc, Mapping):
        raw_id = doc.get("id", index)
        where = f"document {raw_id!r}"
        if "text" not in doc:
            return Reject("missing_text", f"{where}: no 'text' field", API_SOURCE, index + 1, id=str(raw_id))
        if not isinstance(doc["text"], str):
            kind = type(doc["text"]).__name__
            message = f"{where}: 'text' is {kind}, not a string"
            return Reject("text_not_string", message, API_SOURCE, index + 1, id=str(raw_id))
    elif not isinstance(doc, str):
        message = f"{where}: cannot make a document from {type(doc).__name__}"
        return Reject("not_a_document", message, API_SOURCE, index + 1)
    made = as_document(doc, index)
    if not made.text.strip():
        return Reject("empty_text", f"{where}: the document has no text", API_SOURCE, index + 1, id=made.id)
    return Document(made.id, made.text, made.metadata, origin=API_SOURCE, origin_line=index + 1)


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
        return Document(id=_doc_id(doc.get("id"), index), text=text, metadata=meta)
    raise TypeError(f"cannot make a document from {type(doc).__name__}")


def _doc_id(raw: Any, index: int) -> DocId:
    """A mapping's id keeps its JSON type (``1`` stays ``1``, as in the CLI's output); no id (or null): the
    index as text; anything else (a list, an object): its text."""
    if raw is None:
        return str(index)
    return raw if isinstance(raw, (str, int, float, bool)) else str(raw)


def clean_documents(
    docs: Iterable[DocumentLike],
    config: CleanConfig | None = None,
    *,
    models: Models | None = None,
    workers: int = 1,
    on_reject: Callable[[Reject], None] | None = None,
    on_duplicate: Callable[[Document], None] | None = None,
    text_field: str = "text",
    id_field: str = "id",
    **options: Any,
) -> Iterator[Document]:
    """Clean a corpus, streaming: yields the kept documents (and marked duplicates with ``keep_duplicates``).

    Every input comes out exactly once, never silently: a kept document is yielded; a duplicate (marked
    with ``duplicate_of``) is yielded with ``keep_duplicates``, else passed to ``on_duplicate``; a rejected
    input (a record without a string ``text``, a document empty after cleaning, a step that failed) is
    passed to ``on_reject`` as a `Reject` with its reason. Inputs that reach no callback are counted and
    reported in one `UnreturnedDocumentsWarning` at the end. For one `Outcome` per input, in input
    order, use `run_outcomes`. Corpus passes need to read the input twice; a one-shot iterator is spooled
    to a temporary file (bounded memory).
    """
    cfg = _config(config, options)
    unreturned = {"rejected": 0, "duplicate": 0}
    fields = {"text_field": text_field, "id_field": id_field}
    for outcome in run_outcomes(docs, cfg, models=models, workers=workers, **fields):
        if outcome.kind == "rejected":
            assert outcome.reject is not None
            if on_reject is not None:
                on_reject(outcome.reject)
            else:
                unreturned["rejected"] += 1
        elif outcome.kind == "kept" or cfg.keep_duplicates:
            assert outcome.document is not None
            yield outcome.document
        else:
            assert outcome.document is not None
            if on_duplicate is not None:
                on_duplicate(outcome.document)
            else:
                unreturned["duplicate"] += 1
    if any(unreturned.values()):
        warnings.warn(
            f"clean_documents: {unreturned['rejected']} rejected and {unreturned['duplicate']} duplicate "
            "input(s) were not returned; pass on_reject= / on_duplicate= to receive them, or use "
            "run_outcomes() for one outcome per input",
            UnreturnedDocumentsWarning,
            stacklevel=2,
        )


class UnreturnedDocumentsWarning(UserWarning):
    """`clean_documents` did not return some inputs (rejected or duplicate) because no callback took them."""


def run_outcomes(
    docs: Iterable[DocumentLike],
    config: CleanConfig,
    *,
    models: Models | None = None,
    workers: int = 1,
    text_field: str = "text",
    id_field: str = "id",
) -> Iterator[Outcome]:
    """Clean a corpus: exactly one `Outcome` (kept, duplicate, rejected) per input, in input order.

    Inputs that cannot be documents (a mapping without a string ``text``, an empty text, another type)
    are ``rejected`` outcomes with their reason (`as_item`), never an exception that aborts the batch."""
    if isinstance(docs, (list, tuple)):
        items = [as_item(d, i, text_field=text_field, id_field=id_field) for i, d in enumerate(docs)]
        yield from run(lambda: items, config, models=models, workers=workers)
        return
    with tempfile.TemporaryFile(prefix="arcorpus-input-") as spool:
        for i, d in enumerate(docs):
            item = as_item(d, i, text_field=text_field, id_field=id_field)
            pickle.dump(item, spool, pickle.HIGHEST_PROTOCOL)
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


__all__ = [
    "UnreturnedDocumentsWarning",
    "as_document",
    "as_item",
    "clean",
    "clean_document",
    "clean_documents",
    "clean_one",
    "run_outcomes",
]
