"""Outcomes to output bytes: the one way every engine turns `Outcome`s into JSONL lines and counts.

`OutcomeEncoder` is picklable and pure, so it runs wherever the outcomes are: in the pipeline's worker
processes (`arcorpus.run.local.run_encoded`), in the Dask runner's driver, or in a resumed run. The
writing itself (files, atomic rename, which rejects are echoed) stays with the caller
(`arcorpus.cli.write_encoded`).

This module deliberately does not decide anything about documents: what is kept, duplicate or rejected
is already in the outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from arcorpus.document import Document, id_text
from arcorpus.io.writers import encode_line
from arcorpus.outcome import Outcome
from arcorpus.report import RunSummary


@dataclass
class EncodedOutcomes:
    """A batch of outcomes as output bytes, plus its counts (a `RunSummary` to merge)."""

    documents: bytes = b""
    document_count: int = 0
    rejects: bytes = b""
    reject_count: int = 0
    reject_messages: list[str] = field(default_factory=list)
    """``"(reason): message"`` of every reject, in order (the caller echoes the first few)."""
    tally: RunSummary = field(default_factory=RunSummary)


@dataclass(frozen=True)
class OutcomeEncoder:
    """``explain``: add each document's changes; ``keep_duplicates``: write duplicates too (marked);
    ``text_field``/``id_field``: the record's fields as the input names them (``--text-field``)."""

    explain: bool = False
    keep_duplicates: bool = False
    text_field: str = "text"
    id_field: str = "id"
    details: bool = False
    """eco (issue 17): also tally `arcorpus.htmlreport.ReportDetails` (for ``--report report.html``)."""

    def __call__(self, outcomes: Iterable[Outcome]) -> EncodedOutcomes:
        documents: list[bytes] = []
        rejects: list[bytes] = []
        encoded = EncodedOutcomes()
        if self.details:
            encoded.tally = RunSummary.with_details()
        for outcome in outcomes:
            encoded.tally.add(outcome)
            if outcome.kind == "rejected":
                assert outcome.reject is not None
                rejects.append(encode_line(outcome.reject.to_record()))
                encoded.reject_messages.append(f"({outcome.reject.reason}): {outcome.reject.message}")
            elif outcome.kind == "kept" or self.keep_duplicates:
                assert outcome.document is not None
                record = outcome.document.to_record(
                    explain=self.explain, text_field=self.text_field, id_field=self.id_field
                )
                documents.append(encode_line(record))
            else:
                # trustio (issue 14): a dropped duplicate is listed in the rejects file (reason
                # "duplicate", with the id it duplicates): every input is in the output or that file
                assert outcome.document is not None
                rejects.append(encode_line(duplicate_record(outcome.document)))
        encoded.documents = b"".join(documents)
        encoded.document_count = len(documents)
        encoded.rejects = b"".join(rejects)
        encoded.reject_count = len(rejects)
        return encoded


def duplicate_record(doc: Document) -> dict[str, Any]:
    """The rejects-file line of a dropped duplicate: where it was and which document was kept instead."""
    info = doc.added
    record: dict[str, Any] = {
        "reason": "duplicate",
        "message": f"{id_text(doc.id)}: {info.get('duplicate_method', 'a')} duplicate of "
        f"{id_text(info.get('duplicate_of'))}",
        "source": doc.origin,
        "line": doc.origin_line,
        "id": doc.id,
    }
    for key in ("duplicate_of", "cluster_id", "cluster_size", "duplicate_method", "duplicate_similarity"):
        if key in info:
            record[key] = info[key]
    return record
