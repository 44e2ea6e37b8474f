"""``arcorpus clean``'s progress: bars by input bytes for every phase on a terminal (total, percentage,
ETA), reject messages above the bars, periodic lines when stderr is not a terminal, nothing with -q, and
a speed after ``--resume`` that leaves out the shards already done (arcorpus/cli/progress.py)."""

from __future__ import annotations

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from _corpus_factory import arabic_sentence, run_cli
from tqdm import tqdm

from arcorpus.cli import main
from arcorpus.cli import progress as progress_module
from arcorpus.cli.progress import RunProgress
from arcorpus.io.meter import ByteMeter
from arcorpus.run.local import PHASES, run


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal (tqdm then draws its bars on it)."""

    def isatty(self) -> bool:
        return True


def _corpus(tmp_path: Path, n: int = 400, *, compress: bool = False) -> Path:
    rows = [
        {"id": f"d{i}", "text": f"{arabic_sentence(i, 40)}\n{arabic_sentence(i + 7, 30)}"} for i in range(n)
    ]
    rows[5] = {"id": "bad", "text": 7}  # one reject, echoed while the bars run
    rows[9] = dict(rows[8], id="copy")  # one duplicate
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    path = tmp_path / ("in.jsonl.gz" if compress else "in.jsonl")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def _clean(monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, *argv: object) -> int:
    monkeypatch.setattr("sys.stderr", stderr)
    return main(["clean", *map(str, argv)])


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("compress", [False, True])
def test_a_terminal_gets_a_bar_per_phase_by_input_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, compress: bool
) -> None:
    src = _corpus(tmp_path, compress=compress)
    stderr = _Terminal()
    assert _clean(monkeypatch, stderr, src, "-o", tmp_path / "out.jsonl", "--workers", workers) == 3
    text = stderr.getvalue()
    total = src.stat().st_size  # compressed input: progress by the compressed bytes read
    shown_total = tqdm.format_sizeof(total, divisor=1000)
    for phase in PHASES:
        done = [seg for seg in re.split(r"[\r\n]", text) if seg.startswith(f"{phase}: 100%")]
        assert done, f"no finished bar for {phase}: {text[-2000:]}"
        assert f"/{shown_total} [" in done[-1], done[-1]  # the total: the input files' sizes
        assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", done[-1]), done[-1]  # elapsed < remaining (ETA)
    # the reject is printed above the bar, on a line of its own, never into a bar's line
    lines = [seg for seg in re.split(r"[\r\n]", text) if "arcorpus: rejected" in seg]
    assert lines and all(seg.startswith("arcorpus: rejected (text_not_string)") for seg in lines), lines
    assert text.rstrip().endswith("rejected 1"), "the summary comes after the bars"


def test_quiet_prints_nothing_even_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = _Terminal()
    assert (
        _clean(monkeypatch, stderr, _corpus(tmp_path), "-o", tmp_path / "out.jsonl", "-q", "--workers", 1)
        == 3
    )
    assert stderr.getvalue() == ""


def test_not_a_terminal_gets_no_bar(tmp_path: Path) -> None:
    """A log file gets no carriage returns: a short run prints only the rejects and the summary."""
    proc = run_cli("clean", _corpus(tmp_path), "-o", tmp_path / "out.jsonl", "--workers", "1")
    assert proc.returncode == 3
    assert b"\r" not in proc.stderr and b"%|" not in proc.stderr and b"arcorpus: cleaning" not in proc.stderr
    assert proc.stderr.startswith(b"arcorpus: rejected (text_not_string)")


def test_not_a_terminal_gets_a_line_now_and_then(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "LINE_INTERVAL", 0.0)  # every update: a line
    stderr = io.StringIO()
    src = _corpus(tmp_path)
    assert _clean(monkeypatch, stderr, src, "-o", tmp_path / "out.jsonl", "--workers", 1) == 3
    text = stderr.getvalue()
    assert "\r" not in text
    lines = [line for line in text.splitlines() if re.match(r"arcorpus: (learning|cleaning|writing) ", line)]
    assert {line.split()[1] for line in lines} == {"learning", "cleaning", "writing"}
    total_mb = f"{src.stat().st_size / 1e6:.1f} MB"
    pattern = re.compile(r"[\d.]+ MB of " + re.escape(total_mb) + r" \(\d+%\), [\d,]+ documents, [\d.]+ MB/s")
    assert all(pattern.search(line) for line in lines), lines[:3]


def test_after_resume_the_speed_leaves_out_the_shards_already_done(tmp_path: Path) -> None:
    """A first run cleans every shard but cannot commit (its report is a link to a full disk), so the
    second finds every shard done: it cleans nothing, and its MB/s must not count the skipped input."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    src = _corpus(tmp_path, 600)
    out = tmp_path / "out.jsonl"
    full = tmp_path / "report.json"
    full.symlink_to("/dev/full")
    args = ("clean", src, "-o", out, "--resume", "--shard-size", "100", "--workers", "1")
    first = run_cli(*args, "--report", full)
    assert first.returncode == 1 and (tmp_path / "out.jsonl.resume").is_dir(), first.stderr.decode()
    second = run_cli(*args, "--report", tmp_path / "report2.json")
    assert second.returncode == 3, second.stderr.decode()
    err = second.stderr.decode()
    assert "resumed: 6 shard(s)" in err
    speed = re.search(r"^([\d.]+) MB in [\d.]+ s \(([\d.]+) MB/s\); not counted: ([\d.]+) MB", err, re.M)
    assert speed, err
    assert float(speed.group(1)) == 0.0 and float(speed.group(2)) == 0.0
    assert float(speed.group(3)) == pytest.approx(src.stat().st_size / 1e6, abs=0.05)
    report = json.loads((tmp_path / "report2.json").read_text(encoding="utf-8"))
    assert report["bytes_resumed"] == pytest.approx(report["bytes_in"], rel=0.01)


def test_the_run_loop_reports_every_phase_and_every_item() -> None:
    """The run loop's hook: each phase once, in order, and each phase's counts add up to the input."""
    from arcorpus.config import CleanConfig
    from arcorpus.document import Document

    docs = [Document(id=str(i), text=arabic_sentence(i, 20)) for i in range(300)]
    for workers in (1, 2):
        phases: list[str] = []
        counts: dict[str, int] = {}

        def on_phase(name: str, phases: list[str] = phases) -> None:
            phases.append(name)

        def progress(n: int, phases: list[str] = phases, counts: dict[str, int] = counts) -> None:
            counts[phases[-1]] = counts.get(phases[-1], 0) + n

        outcomes = list(
            run(lambda: docs, CleanConfig(), workers=workers, progress=progress, on_phase=on_phase)
        )
        assert len(outcomes) == 300
        assert phases == list(PHASES)
        assert counts == {"learning": 300, "cleaning": 300, "writing": 300}


def test_later_phases_map_documents_to_the_bytes_cleaning_read() -> None:
    meter = ByteMeter()
    progress = RunProgress(1000, meter, "off")
    progress.phase("cleaning")
    for _ in range(10):  # ten documents of 100 bytes; the first three were resumed (skipped)
        meter.bytes_read += 100
        (progress.skipped if progress.documents < 3 else progress)(1)
    assert progress.bytes_skipped == 300 and progress.position == 1000
    progress.phase("writing")
    progress(4)
    assert progress.position == 400
    line = progress.line(progress._started + 2.0)  # 400 bytes in 2 s: 600 more take 3 s
    assert line == "arcorpus: writing 0.0 MB of 0.0 MB (40%), 4 documents, 0.0 MB/s, about 3 s left"
    progress(6)
    assert progress.position == 1000
    progress.finish()


def test_learn_shows_its_pass_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = _Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    assert main(["learn", str(_corpus(tmp_path)), "-o", str(tmp_path / "sites.json")]) == 0
    assert any(seg.startswith("learning: 100%") for seg in re.split(r"[\r\n]", stderr.getvalue()))
