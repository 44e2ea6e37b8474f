"""The run summary: documents in / out / duplicates / rejected, and changes per step and rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from arcorpus.outcome import Outcome

TOP_RULES = 10
"""Rules the default summary shows (by number of changes)."""


@dataclass
class RunSummary:
    documents_in: int = 0
    documents_out: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    changes_by_rule: Counter[str] = field(default_factory=Counter)
    lines_removed_by_rule: Counter[str] = field(default_factory=Counter)
    skipped_files: list[dict[str, str]] = field(default_factory=list)
    bytes_in: int = 0
    seconds: float = 0.0
    rejects_file: str | None = None
    resumed_shards: int = 0
    bytes_resumed: int = 0
    """Input bytes of the shards a resumed run did not clean again (left out of the MB/s)."""
    details: Any = None
    """eco (issue 17): an `arcorpus.htmlreport.ReportDetails` tallied along (for the HTML report), or None."""

    @classmethod
    def with_details(cls, **fields: Any) -> RunSummary:
        """A summary that also tallies what the HTML report shows (examples, per source, name rewrites)."""
        from arcorpus.htmlreport import ReportDetails

        return cls(details=ReportDetails(), **fields)

    def add(self, outcome: Outcome) -> None:
        self.documents_in += 1
        if outcome.kind == "rejected":
            assert outcome.reject is not None
            self.rejected += 1
            self.rejects_by_reason[outcome.reject.reason] += 1
            changes = outcome.reject.changes
        else:
            assert outcome.document is not None
            if outcome.kind == "duplicate":
                self.duplicates += 1
            else:
                self.documents_out += 1
            changes = outcome.document.changes
        for change in changes:
            key = f"{change.step}/{change.rule}"
            self.changes_by_rule[key] += change.count
            if change.action in ("remove_line", "to_metadata") and change.before:
                self.lines_removed_by_rule[key] += 1
        if self.details is not None:
            self.details.add(outcome)

    def merge(self, other: RunSummary) -> None:
        """Add the counts of ``other`` (a batch tallied in another process); files and timings stay."""
        self.documents_in += other.documents_in
        self.documents_out += other.documents_out
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.rejects_by_reason.update(other.rejects_by_reason)
        self.changes_by_rule.update(other.changes_by_rule)
        self.lines_removed_by_rule.update(other.lines_removed_by_rule)
        if other.details is not None:
            if self.details is None:
                self.details = type(other.details)()
            self.details.merge(other.details)

    @property
    def reconciled(self) -> bool:
        return self.documents_in == self.documents_out + self.duplicates + self.rejected

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "reconciled": self.reconciled,
            "rejects_by_reason": dict(sorted(self.rejects_by_reason.items())),
            "changes_by_rule": dict(sorted(self.changes_by_rule.items())),
            "lines_removed_by_rule": dict(sorted(self.lines_removed_by_rule.items())),
            "skipped_files": self.skipped_files,
            "rejects_file": self.rejects_file,
            "resumed_shards": self.resumed_shards,
            **({"bytes_resumed": self.bytes_resumed} if self.bytes_resumed else {}),
            "bytes_in": self.bytes_in,
            "seconds": round(self.seconds, 3),
        }

    def render(self, verbose: bool = False) -> str:
        """The summary for stderr: the counts first and last, the top rules between (every rule with
        ``verbose``; eco, issue 17: 200+ rule lines scrolled the counts away)."""
        counts = (
            f"documents in {self.documents_in}: out {self.documents_out}, duplicates {self.duplicates}, "
            f"rejected {self.rejected}" + ("" if self.reconciled else "  (COUNTS DO NOT RECONCILE)")
        )
        lines = [counts]
        for reason, n in sorted(self.rejects_by_reason.items()):
            lines.append(f"  rejected {reason}: {n}")
        if self.rejected and self.rejects_file:
            lines.append(f"  rejected records (reason, file, line) are listed in {self.rejects_file}")
        if self.resumed_shards:
            lines.append(f"  resumed: {self.resumed_shards} shard(s) were already done and not cleaned again")
        if self.skipped_files:
            lines.append(
                f"  skipped {len(self.skipped_files)} non-input file(s), e.g. {self.skipped_files[0]['path']}"
            )
        if self.changes_by_rule and verbose:
            lines.append("changes by step/rule:")
            for key, n in sorted(self.changes_by_rule.items()):
                lines.append(f"  {key}: {n}")
        elif self.changes_by_rule:
            top = sorted(self.changes_by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_RULES]
            lines.append(f"top rules (of {len(self.changes_by_rule)}; all with --verbose or --report):")
            lines.extend(f"  {key}: {n}" for key, n in top)
        if self.seconds > 0 and self.bytes_in:
            mb = max(0, self.bytes_in - self.bytes_resumed) / 1e6  # what this run cleaned
            speed = f"{mb:.1f} MB in {self.seconds:.1f} s ({mb / self.seconds:.1f} MB/s)"
            if self.bytes_resumed:
                speed += f"; not counted: {self.bytes_resumed / 1e6:.1f} MB of shards already done"
            lines.append(speed)
        if len(lines) > 2:
            lines.append(counts)
        return "\n".join(lines)
