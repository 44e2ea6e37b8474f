"""``--report report.html``: the page's content, and the page in a real browser (headless Chromium)."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from _browser import Browser, find_chromium
from _corpus_factory import run_cli

from arcorpus.htmlreport import ReportDetails, render_html

ROOT = Path(__file__).resolve().parents[2]


def _corpus(tmp_path: Path) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    rows = [{"id": f"s{i}", "text": t, "source": f"site{i % 2}"} for i, t in enumerate(texts)]
    rows.append({"id": "copy", "text": texts[0], "source": "site0"})
    rows.append({"id": "ads", "text": "[ad_1]\n[ad_2]", "source": "site1"})
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    page = tmp / "report.html"
    proc = run_cli("clean", _corpus(tmp), "-o", tmp / "out.jsonl", "--report", page, "--workers", "1", "-q")
    assert proc.returncode in (0, 3), proc.stderr.decode()
    return page


def test_page_is_self_contained_and_says_what_happened(report_page: Path) -> None:
    page = report_page.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched
    assert "<script" not in page and "@import" not in page and "url(" not in page
    for heading in (
        "Changes per step",
        "Lines removed per source",
        "Duplicate cluster sizes",
        "Top name rewrites",
        "Example removed lines per rule",
    ):
        assert heading in page
    assert "<b>7</b><span>documents in</span>" in page
    assert "<b>1</b><span>duplicates</span>" in page
    assert "site0" in page and "site1" in page  # lines removed per source
    assert "[ad_1]" in page and ">ads<" in page  # an example removed line, with its document id
    assert page.count('<svg class="chart"') >= 5


def test_page_is_committed_with_the_outputs_all_or_none(tmp_path: Path) -> None:
    """The page is one of the run's files: when it cannot be written (here a link to /dev/full, a disk
    that is full), neither is the output nor the rejects file; nothing is left behind."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    page = tmp_path / "report.html"
    page.symlink_to("/dev/full")
    out = tmp_path / "out.jsonl"
    proc = run_cli("clean", _corpus(tmp_path), "-o", out, "--report", page, "--workers", "1", "-q")
    assert proc.returncode == 1, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr and b"No space left" in proc.stderr
    assert page.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "report.html"]


def test_page_follows_the_umask(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    out = tmp_path / "out.jsonl"
    run_cli("clean", _corpus(tmp_path), "-o", out, "--report", page, "--workers", "1", "-q")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert page.stat().st_mode & 0o777 == out.stat().st_mode & 0o777


def test_details_merge_keeps_the_first_examples() -> None:
    from arcorpus.document import Change, Document
    from arcorpus.outcome import Outcome

    def outcome(doc_id: str) -> Outcome:
        change = Change(
            "boilerplate", "boilerplate.ad_marker", "remove_line", before=f"[ad {doc_id}]", line=0
        )
        return Outcome("kept", document=Document(doc_id, "x", {"source": "s"}, (change,)))

    one, two = ReportDetails(), ReportDetails()
    for i in range(2):
        one.add(outcome(f"a{i}"))
    for i in range(5):
        two.add(outcome(f"b{i}"))
    one.merge(two)
    assert [d for d, _ in one.examples["boilerplate.ad_marker"]] == ["a0", "a1", "b0"]
    assert one.lines_removed_by_source["s"] == 7


def test_values_are_escaped() -> None:
    page = render_html({"documents_in": 1, "changes_by_rule": {"x/<script>alert(1)</script>": 3}})
    assert "<script>" not in page and "&lt;script&gt;" in page


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_page_renders_in_a_real_browser(report_page: Path, tmp_path: Path) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium; apt-get install chromium)")
    with Browser(binary) as browser:
        browser.load(report_page.as_uri(), width=1200, height=1000)
        sizes = browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(e => {"
            "const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
        )
        text = browser.evaluate("document.body.innerText")
        png = browser.screenshot(tmp_path / "report.png")
        errors = browser.errors()
        urls = browser.requested_urls()
    assert not errors, errors
    assert urls == [report_page.as_uri()]  # the page fetched nothing
    assert sizes and len(sizes) >= 5
    assert all(w > 200 and h > 20 for w, h in sizes), sizes
    assert "arcorpus cleaning report" in text and "documents in" in text
    width, height = _png_size(png)
    assert width >= 1000 and height > 1000
    assert len(png) > 20_000  # not a blank page
