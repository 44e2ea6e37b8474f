"""Encoding detection of plain-text files (`arcorpus.io.encoding.decode_bytes`)."""

from __future__ import annotations

import codecs

import pytest
from _corpus_factory import arabic_sentence

from arcorpus.io.encoding import DecodeFailure, decode_bytes

ARABIC = arabic_sentence(1) + "\n" + arabic_sentence(2) + " 2024."
ENGLISH = "Plain English news text, with numbers 1,234 and punctuation!"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (ARABIC.encode("utf-8"), ARABIC, "utf-8"),
        (ENGLISH.encode("utf-8"), ENGLISH, "utf-8"),
        (codecs.BOM_UTF8 + ARABIC.encode("utf-8"), ARABIC, "utf-8-sig"),
        (ARABIC.encode("utf-16"), ARABIC, "utf-16"),
        (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), ARABIC, "utf-16"),
        (ARABIC.encode("utf-16-le"), ARABIC, "utf-16"),
        (ARABIC.encode("utf-16-be"), ARABIC, "utf-16"),
        (ENGLISH.encode("utf-16-le"), ENGLISH, "utf-16"),
        (ARABIC.encode("cp1256"), ARABIC, "windows-1256"),
        # negatives: text that must stay what it is
        ("caf\u00e9 na\u00efve".encode(), "caf\u00e9 na\u00efve", "utf-8"),
        (b"tab\tand\r\nCRLF\x0c", "tab\tand\r\nCRLF\x0c", "utf-8"),
    ],
    ids=[
        "utf8-ar",
        "utf8-en",
        "utf8-bom",
        "utf16-bom-le",
        "utf16-bom-be",
        "utf16le",
        "utf16be",
        "utf16le-en",
        "cp1256",
        "utf8-latin",
        "utf8-controls",
    ],
)
def test_decodes(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty_file"),
        (bytes(range(256)) * 4, "binary_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary_file"),
        (b"caf\xe9 cr\xe8me br\xfbl\xe9e, a latin-1 text", "invalid_utf8"),
        ((ARABIC * 3).encode("utf-8") + b"\n" + ARABIC.encode("cp1256"), "mixed_encoding"),
        (codecs.BOM_UTF8 + b"ok \xff", "invalid_utf8"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8\x41", "invalid_utf16"),
    ],
    ids=["empty", "binary", "png", "latin1", "mixed", "bom-bad-utf8", "bom-bad-utf16"],
)
def test_refuses_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeFailure) as info:
        decode_bytes(data)
    assert info.value.reason == reason
    assert info.value.message


def test_latin1_reading_of_arabic_bytes_is_never_guessed() -> None:
    """cp1256 bytes of a Latin-script text are not 'Arabic enough' to be read as windows-1256."""
    with pytest.raises(DecodeFailure):
        decode_bytes("d\u00e9j\u00e0 vu \u00e0 la cr\u00e8me".encode("cp1252"))


def test_message_locates_the_bad_byte() -> None:
    with pytest.raises(DecodeFailure) as info:
        decode_bytes(b"abc \xe9 def")
    assert "0xe9" in info.value.message and "offset 4" in info.value.message
