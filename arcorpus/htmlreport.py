"""``--report report.html``: one self-contained page to look at a cleaning run (no network, no script).

`ReportDetails` collects, next to the run summary's counts, what a person needs to judge a run: lines
removed per source (site), a few example removed lines per rule (each with its document id), and the name
rewrites (before -> after, with counts). It is picklable and merges like `arcorpus.report.RunSummary`:
it is filled where the outcomes are encoded (the worker processes) and merged in input order, so the
examples are the first ones in the input whatever the worker count.

`render_html(report)` turns the JSON report (the summary, the dedup report and the details) into one
HTML page: inline CSS, charts as inline SVG drawn here, tables; every value is escaped; text in Arabic is
shown right-to-left (``dir="auto"``). Nothing is fetched: no CDN, no font, no image, no script.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EXAMPLES_PER_RULE = 3
_WORDS = re.compile(r"[^\W\d_\u0640]{2}")
"""Removed text worth showing as an example holds a word (two letters; tatweel is no letter here)."""
EXAMPLE_CHARS = 200
TOP = 20


@dataclass
class ReportDetails:
    """What the HTML report shows beyond the summary's counts (see the module docstring)."""

    lines_removed_by_source: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """rule -> up to `EXAMPLES_PER_RULE` (document id, removed text) in input order."""
    name_rewrites: Counter[str] = field(default_factory=Counter)
    """``"before → after"`` -> times rewritten."""

    def add(self, outcome: Any) -> None:
        """Tally one `Outcome` (kept, duplicate or rejected)."""
        item = outcome.document if outcome.document is not None else outcome.reject
        if item is None:
            return
        changes = item.changes
        if not changes:
            return
        doc_id = str(item.id)
        source = _source(item)
        examples = self.examples
        for change in changes:
            action = change.action
            if action in ("remove_line", "remove_span", "to_metadata") and change.before:
                if action != "remove_span":
                    self.lines_removed_by_source[source] += 1
                if _WORDS.search(change.before) is None:
                    continue  # spaces, a tatweel, invisible characters: not an example anyone needs
                shown = examples.setdefault(change.rule, [])
                if len(shown) < EXAMPLES_PER_RULE:
                    shown.append((doc_id, change.before[:EXAMPLE_CHARS]))
            elif action == "rewrite" and change.step == "names":
                self.name_rewrites[f"{change.before} → {change.after}"] += change.count

    def merge(self, other: ReportDetails) -> None:
        """Add ``other`` (a later batch): examples keep the earliest ones."""
        self.lines_removed_by_source.update(other.lines_removed_by_source)
        self.name_rewrites.update(other.name_rewrites)
        for rule, shown in other.examples.items():
            mine = self.examples.setdefault(rule, [])
            mine.extend(shown[: EXAMPLES_PER_RULE - len(mine)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines_removed_by_source": dict(self.lines_removed_by_source.most_common()),
            "examples": {rule: [list(e) for e in shown] for rule, shown in sorted(self.examples.items())},
            "name_rewrites": dict(self.name_rewrites.most_common(200)),
        }


def _source(item: Any) -> str:
    """The site a document comes from: its ``source`` (or ``site``/``domain``) field, else its file."""
    get = getattr(item, "field", None)  # a Document: added fields, then the input's
    metadata = getattr(item, "metadata", None) or {}
    for name in ("source", "site", "domain"):
        value = get(name) if get is not None else metadata.get(name)
        if isinstance(value, str) and value:
            return value
    origin = getattr(item, "origin", "") or getattr(item, "source", "")
    return str(origin) or "(unknown)"


# --- rendering ------------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",sans-serif;margin:0;
 color:#1d232a;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}section h2{margin-top:0}
.sub{color:#5b6570;margin:0 0 18px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:26px}.card span{color:#5b6570}
section{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:16px;margin-top:16px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{color:#5b6570;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.t{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;unicode-bidi:plaintext}
svg.chart{display:block;width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1d232a}
.empty{color:#5b6570;font-style:italic}
"""
_COLORS = ("#2f6fb2", "#3a9d5d", "#d08b1f", "#c0392b", "#7d5ba6", "#16a2a2")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, width: int = 1000, color: str = _COLORS[0]
) -> str:
    """Horizontal bars, one per ``(label, value)``, as an inline SVG (labels may be Arabic)."""
    if not rows:
        return f'<p class="empty">{_e(title)}: nothing to show</p>'
    bar, gap, label_w, value_w = 18, 6, 330, 80
    height = len(rows) * (bar + gap) + gap
    top = max(value for _, value in rows) or 1
    span = width - label_w - value_w - 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(1.0, span * value / top)
        shown = label if len(label) <= 48 else label[:47] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar - 5}" text-anchor="end" direction="ltr">'
            f'<tspan unicode-bidi="plaintext">{_e(shown)}</tspan></text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" rx="3" fill="{color}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar - 5}">{_e(_num(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    rows: Sequence[tuple[str, float]], *, title: str, width: int = 1000, height: int = 220
) -> str:
    """Vertical columns (a histogram), as an inline SVG."""
    if not rows:
        return f'<p class="empty">{_e(title)}: nothing to show</p>'
    base, left = height - 30, 50
    top = max(value for _, value in rows) or 1
    slot = (width - left - 10) / len(rows)
    parts = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>',
        f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#9aa4ae"/>',
    ]
    for i, (label, value) in enumerate(rows):
        h = max(1.0, (base - 20) * value / top)
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" '
            f'fill="{_COLORS[1]}"/>'
            f'<text x="{x + w / 2:.1f}" y="{base + 16}" text-anchor="middle">{_e(label)}</text>'
            f'<text x="{x + w / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">{_e(_num(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    numeric: Sequence[int] = (),
    text: Sequence[int] = (),
) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cls = ' class="n"' if i in numeric else ' class="t" dir="auto"' if i in text else ""
            cells.append(f"<td{cls}>{_e(_num(value) if i in numeric else value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        return '<p class="empty">none</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _by_step(changes_by_rule: Mapping[str, int]) -> list[tuple[str, float]]:
    steps: Counter[str] = Counter()
    for key, n in changes_by_rule.items():
        steps[key.split("/", 1)[0]] += n
    return [(step, float(n)) for step, n in steps.most_common()]


def render_html(report: Mapping[str, Any]) -> str:
    """The report page for ``report`` (what ``--report x.json`` writes, plus ``details``)."""
    details = report.get("details") or {}
    dedup = report.get("dedup") or {}
    counts = [
        ("documents in", report.get("documents_in", 0)),
        ("kept", report.get("documents_out", 0)),
        ("duplicates", report.get("duplicates", 0)),
        ("rejected", report.get("rejected", 0)),
    ]
    cards = "".join(
        f'<div class="card"><b>{_e(_num(n))}</b><span>{_e(name)}</span></div>' for name, n in counts
    )
    changes = report.get("changes_by_rule") or {}
    top_rules = sorted(changes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    removed = report.get("lines_removed_by_rule") or {}
    by_source = list((details.get("lines_removed_by_source") or {}).items())[:TOP]
    sizes = sorted(((int(k), v) for k, v in (dedup.get("cluster_sizes") or {}).items()))
    rewrites = list((details.get("name_rewrites") or {}).items())[:TOP]
    examples = details.get("examples") or {}
    rejects = sorted((report.get("rejects_by_reason") or {}).items(), key=lambda kv: -kv[1])
    per_rule = {key.split("/", 1)[-1]: n for key, n in changes.items()}
    example_rows = [
        (rule, doc_id, text)
        for rule in sorted(examples, key=lambda r: (-per_rule.get(r, 0), r))
        for doc_id, text in examples[rule]
    ]
    seconds = report.get("seconds") or 0
    mb = (report.get("bytes_in") or 0) / 1e6
    sub = f"{mb:.1f} MB in {seconds:.1f} s" if seconds else ""
    profile = (report.get("config") or {}).get("profile", "")
    sections = [
        "<h2>Documents</h2>",
        '<div class="cards">' + cards + "</div>",
        bar_chart([(name, float(n)) for name, n in counts], title="documents in, kept, duplicates, rejected"),
        "<section><h2>Changes per step</h2>"
        + bar_chart(_by_step(changes), title="changes per step", color=_COLORS[0])
        + "</section>",
        "<section><h2>Top rules (changes)</h2>"
        + bar_chart([(k, float(v)) for k, v in top_rules], title="changes per rule", color=_COLORS[2])
        + "</section>",
        "<section><h2>Lines removed per source</h2>"
        + bar_chart([(k, float(v)) for k, v in by_source], title="lines removed per source", color=_COLORS[3])
        + "</section>",
        "<section><h2>Duplicate cluster sizes</h2>"
        + column_chart(
            [(str(k), float(v)) for k, v in sizes], title="clusters by size (documents per cluster)"
        )
        + "</section>",
        "<section><h2>Rejected documents by reason</h2>"
        + _table(("reason", "documents"), rejects, numeric=(1,))
        + "</section>",
        "<section><h2>Top name rewrites</h2>"
        + _table(("before → after", "times"), rewrites, numeric=(1,), text=(0,))
        + "</section>",
        "<section><h2>Example removed lines per rule</h2>"
        + _table(("rule", "document", "removed"), example_rows, text=(1, 2))
        + "</section>",
        '<section><details><summary><h2 style="display:inline">Every rule</h2></summary>'
        + _table(
            ("step/rule", "changes", "lines removed"),
            ((k, v, removed.get(k, 0)) for k, v in sorted(changes.items())),
            numeric=(1, 2),
        )
        + "</details></section>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>arcorpus cleaning report</title>"
        f"<style>{_CSS}</style></head><body><main>"
        f'<h1>arcorpus cleaning report</h1><p class="sub">profile {_e(profile)} · {_e(sub)}</p>'
        + "\n".join(sections)
        + "</main></body></html>\n"
    )


def is_html(path: str | None) -> bool:
    """Whether a ``--report`` path asks for the HTML page (``.html``/``.htm``) rather than JSON."""
    return bool(path) and str(path).lower().endswith((".html", ".htm"))
