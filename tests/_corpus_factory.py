"""Test helpers: run the real ``arcorpus`` command, and build a corpus holding every kind of bad record.

Not a test module (no ``test_`` prefix); imported by the reliability, CLI and golden tests.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
_LETTERS = [chr(c) for c in range(0x0628, 0x063B) if c not in (0x0629,)] + [
    chr(c) for c in range(0x0641, 0x064B) if c != 0x0649  # teh marbuta and alef maksura only end words
]


def arabic_sentence(seed: int, words: int = 12) -> str:
    """A line of random Arabic-letter words, different for every ``seed`` (no near-duplicates)."""
    rng = random.Random(seed)
    return " ".join("".join(rng.choice(_LETTERS) for _ in range(rng.randint(3, 7))) for _ in range(words))


def seed_documents() -> list[dict[str, str]]:
    """The five seed articles as JSONL records, ids as `arcorpus clean seeds/` gives them."""
    return [
        {"id": (Path("seeds") / p.stem).as_posix(), "text": p.read_text(encoding="utf-8")}
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def run_cli(
    *args: str | os.PathLike[str], stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """``arcorpus ARGS`` in a subprocess (the installed entry point's module), capturing output."""
    return subprocess.run(
        [sys.executable, "-m", "arcorpus.cli", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd or REPO,
        timeout=timeout,
        check=False,
    )


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def jsonl_bytes(records: list[dict]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records)


@dataclass
class BadCorpus:
    """A directory seeded with every kind of bad input of issue 8, next to good documents."""

    root: Path
    good: int = 0
    expected_rejects: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def expect(self, reason: str, n: int = 1) -> None:
        self.expected_rejects[reason] = self.expected_rejects.get(reason, 0) + n


def build_bad_corpus(root: Path, *, unreadable: bool) -> BadCorpus:
    """Every kind of bad record of issue 8, each with the reject reason it must produce."""
    c = BadCorpus(root)
    root.mkdir(parents=True, exist_ok=True)
    text = arabic_sentence

    # good plain .txt documents, UTF-8, windows-1256, UTF-16 with and without BOM
    (root / "a_good.txt").write_text(text(1) + "\n" + text(2), encoding="utf-8")
    (root / "b_cp1256.txt").write_bytes((text(3) + "\n" + text(4)).encode("cp1256"))
    (root / "c_utf16_bom.txt").write_bytes((text(5) + "\n").encode("utf-16"))
    (root / "d_utf16le_nobom.txt").write_bytes((text(6) + "\n").encode("utf-16-le"))
    c.good += 4
    # bad .txt files
    (root / "e_invalid_utf8.txt").write_bytes(b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e " * 3)
    c.expect("invalid_utf8")
    (root / "f_mixed.txt").write_bytes(
        (text(7) * 3).encode("utf-8") + b"\n" + text(8).encode("cp1256") + b"\n"
    )
    c.expect("mixed_encoding")
    (root / "g_binary.txt").write_bytes(bytes(range(256)) * 8)
    c.expect("binary_file")
    (root / "h_empty.txt").write_bytes(b"")
    c.expect("empty_file")
    (root / "i_blank.txt").write_text(" \n\t\n", encoding="utf-8")
    c.expect("empty_text")
    # NUL bytes inside an otherwise fine text file: read (the repair step removes NULs)
    (root / "j_nul.txt").write_bytes(text(9).encode("utf-8") + b"\x00" + text(10).encode("utf-8"))
    c.good += 1
    # a binary file that is not an input (skipped, listed in the report), and one named .jsonl
    (root / "k_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    c.skipped.append("k_image.png")
    (root / "l_binary.jsonl").write_bytes(b"\x00\x01\x02\x03" * 512)
    c.expect("binary_file")

    # a JSONL file with every kind of bad line among good ones
    lines: list[bytes] = []
    for i in range(5):
        lines.append(json.dumps({"id": f"ok-{i}", "text": text(20 + i), "source": "s"}).encode())
    c.good += 5
    bad_lines = {
        "malformed_json": b'{"id": "x", "text": "unterminated',
        "not_an_object": b'["a", "list"]',
        "missing_text": b'{"id": "no-text", "body": "x"}',
        "text_not_string": b'{"id": "num", "text": 42}',
        "too_deeply_nested": b'{"id": "deep", "text": "x", "m": ' + b"[" * 200 + b"]" * 200 + b"}",
        "invalid_utf8": b'{"id": "bad-bytes", "text": "caf\xe9"}',
        "nul_byte": b'{"id": "nul", "text": "a\x00b"}',
        "record_too_large": json.dumps({"id": "big", "text": "x" * 20_000}).encode(),
        "empty_text": b'{"id": "blank", "text": "   "}',
    }
    for reason, line in bad_lines.items():
        lines.append(line)
        c.expect(reason)
    lines.append(b"")  # a blank line is not a record
    lines.append(b'{"id": "deep-ok", "text": "' + text(30).encode() + b'", "m": [[[1]]]}')
    lines.append(b'{"id": "surrogate", "text": "' + text(31).encode() + b' \\ud800"}')
    c.good += 2
    (root / "m_mixed_bag.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (root / "n_empty.jsonl").write_bytes(b"")
    c.expect("empty_file")

    # truncated gzip and zstd streams: the records before the break are kept
    good_block = jsonl_bytes([{"id": f"gz-{i}", "text": text(40 + i)} for i in range(200)])
    gz = gzip.compress(good_block, mtime=0)
    (root / "o_truncated.jsonl.gz").write_bytes(gz[: len(gz) * 3 // 4])
    c.expect("truncated_stream")
    zst = zstandard.ZstdCompressor().compress(good_block)
    (root / "p_truncated.jsonl.zst").write_bytes(zst[: len(zst) * 3 // 4])
    c.expect("truncated_stream")
    (root / "q_ok.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor().compress(jsonl_bytes([{"id": "zst-ok", "text": text(1000)}]))
    )
    c.good += 1

    # broken symlink, and an unreadable file (root can read anything: skipped then)
    (root / "r_broken.txt").symlink_to(root / "does-not-exist.txt")
    c.expect("broken_symlink")
    if unreadable:
        locked = root / "s_locked.txt"
        locked.write_text(text(70), encoding="utf-8")
        locked.chmod(0)
        c.expect("unreadable_file")
    return c
