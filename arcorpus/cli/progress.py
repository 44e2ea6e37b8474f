"""What ``arcorpus clean`` shows while it runs: one bar per phase, by input bytes, with total and ETA.

    learning: 100%|██████████| 221M/221M [00:21<00:00, 10.3MB/s, 75,247 docs]
    cleaning:  41%|████      | 90.6M/221M [00:17<00:25, 5.2MB/s, 30,815 docs]

The phases are the run loop's (`arcorpus.run.local.PHASES`: learning, cleaning, dedup, writing). Learning
and cleaning read the input, so their position is the input bytes read so far (`arcorpus.io.meter`;
compressed bytes for a compressed file), out of the sum of the input files' sizes. Dedup and writing do
not read the input: their position is the input bytes of the documents done, from the marks the cleaning
pass left (documents -> bytes). Dedup is one step (clustering), so its bar is full when it ends.

Where it goes: on a terminal, tqdm bars on stderr, with every reject message printed above them
(`tqdm.write`), never into a bar's line. When stderr is not a terminal (a log file, CI, a batch job): one
plain line every `LINE_INTERVAL` seconds, so a short run prints none and a long one leaves a readable log
instead of carriage returns. With ``-q``: nothing.

After ``--resume``, the items of the shards already done are read past (`RunProgress.skipped`): their
bytes count as done, but not as speed; `RunProgress.bytes_skipped` is what the summary's MB/s leaves out.
"""

from __future__ import annotations

import sys
import time
from array import array
from bisect import bisect_right
from typing import Any, TextIO

from arcorpus.io.meter import ByteMeter

LINE_INTERVAL = 30.0
"""Seconds between two progress lines when stderr is not a terminal."""
READING = frozenset({"learning", "cleaning"})
"""The phases that read the input (their position is the bytes read)."""
MARKS = 2000
"""About how many (documents, bytes) marks the cleaning pass keeps for the later phases."""


class RunProgress:
    """A run's progress: ``phase(name)`` when a pass starts, ``progress(n)`` (calling the object) when
    ``n`` more documents of it are done, `skipped` for the documents of resumed shards; `finish` once the
    run succeeded, `close` always (a run that fails leaves its bar where it stopped).

    ``display``: ``"bar"`` (tqdm, a terminal), ``"lines"`` (periodic lines) or ``"off"`` (``-q``: only
    `bytes_skipped` is kept, for the report)."""

    def __init__(
        self, total_bytes: int, meter: ByteMeter, display: str, stream: TextIO | None = None
    ) -> None:
        self.total = total_bytes
        self.meter = meter
        self.display = display
        self.stream = stream if stream is not None else sys.stderr
        self.bytes_skipped = 0
        """Input bytes of the shards a resumed run read past without cleaning them."""
        self.name: str | None = None
        self.documents = 0
        self.position = 0
        self._read_at_start = 0
        self._read_last = 0
        self._skipped_in_phase = 0
        self._started = self._last_line = time.monotonic()
        self._mark_docs = array("q")
        self._mark_bytes = array("q")
        self._bar: Any = None

    @classmethod
    def for_stream(cls, total_bytes: int, meter: ByteMeter, quiet: bool, stream: TextIO) -> RunProgress:
        """Bars on a terminal, periodic lines elsewhere, nothing when ``quiet``."""
        display = "off" if quiet else ("bar" if _is_terminal(stream) else "lines")
        return cls(total_bytes, meter, display, stream)

    def phase(self, name: str) -> None:
        """A pass starts (the same name again: the same pass goes on)."""
        if name == self.name:
            return
        self._end_phase()
        self.name = name
        self.documents = self.position = self._skipped_in_phase = 0
        self._read_at_start = self._read_last = self.meter.bytes_read
        self._started = self._last_line = time.monotonic()
        if name == "cleaning":
            self._mark_docs, self._mark_bytes = array("q"), array("q")
        if self.display == "bar":
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total or None,
                desc=name,
                unit="B",
                unit_scale=True,
                unit_divisor=1000,
                file=self.stream,
                mininterval=0.5,
                dynamic_ncols=True,
                leave=True,
            )

    def __call__(self, documents: int) -> None:
        self._advance(documents, skipped=False)

    def skipped(self, documents: int) -> None:
        """``documents`` of a shard already done were read past (``--resume``)."""
        self._advance(documents, skipped=True)

    def _advance(self, documents: int, *, skipped: bool) -> None:
        self.documents += documents
        read = self.meter.bytes_read
        if skipped:
            self.bytes_skipped += read - self._read_last
            self._skipped_in_phase += read - self._read_last
        self._read_last = read
        if self.name in READING:
            position = read - self._read_at_start
            if self.name == "cleaning":
                self._mark(position)
        else:
            position = self._bytes_at(self.documents)
        self._show(min(position, self.total) if self.total else position)

    def _mark(self, position: int) -> None:
        last = self._mark_bytes[-1] if self._mark_bytes else -1
        if position - last >= max(1, self.total // MARKS):
            self._mark_docs.append(self.documents)
            self._mark_bytes.append(position)

    def _bytes_at(self, documents: int) -> int:
        """The input bytes the cleaning pass had read when it had done ``documents``."""
        at = bisect_right(self._mark_docs, documents)
        return self._mark_bytes[at - 1] if at else 0

    def _show(self, position: int) -> None:
        if position > self.position:
            if self._bar is not None:
                self._bar.update(position - self.position)
            self.position = position
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.documents:,} docs", refresh=False)
        elif self.display == "lines":
            now = time.monotonic()
            if now - self._last_line >= LINE_INTERVAL:
                self._last_line = now
                print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """The current phase as one line (what a non-terminal gets every `LINE_INTERVAL` seconds)."""
        elapsed = max(1e-9, (now if now is not None else time.monotonic()) - self._started)
        mb, total_mb = self.position / 1e6, self.total / 1e6
        rate = max(0, self.position - self._skipped_in_phase) / 1e6 / elapsed
        text = f"arcorpus: {self.name} {mb:.1f} MB"
        if self.total:
            text += f" of {total_mb:.1f} MB ({100 * self.position / self.total:.0f}%)"
        text += f", {self.documents:,} documents, {rate:.1f} MB/s"
        if self.total and rate > 0 and self.position < self.total:
            text += f", about {_duration((total_mb - mb) / rate)} left"
        return text

    def _end_phase(self) -> None:
        """The current pass is done: its bar full, and the marks cover the whole input."""
        if self.name is None:
            return
        if self.name == "cleaning":
            self._mark_docs.append(self.documents)
            self._mark_bytes.append(self.total)
        if self._bar is not None:
            if self.total and self._bar.n < self.total:
                self._bar.update(self.total - self._bar.n)
            self._bar.close()
            self._bar = None

    def finish(self) -> None:
        """The run succeeded: the last pass is done."""
        self._end_phase()
        self.name = None

    def close(self) -> None:
        """Close the bar where it is (after a failure or Ctrl-C it is not filled)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
