"""Decoding the bytes of a plain-text document whose encoding nobody told us.

Order of evidence: a BOM (UTF-8, UTF-16 LE/BE); strict UTF-8; UTF-16 without BOM (NULs or 0x06 in every
other byte); windows-1256, accepted only when the decoded text is mostly Arabic letters. Anything else is
undecodable and raises `DecodeFailure` with a reason code that the caller turns into a rejected document:

- ``empty_file``: no bytes at all;
- ``binary_file``: control bytes that no text encoding explains (an image or archive named ``.txt``);
- ``mixed_encoding``: mostly valid UTF-8 but with stray bytes that are not (two encodings in one file,
  or a damaged file) -- decoding it as one encoding would corrupt the other part, so it is not guessed;
- ``invalid_utf8``: neither UTF-8, nor UTF-16, nor windows-1256 that reads as Arabic.

This module deliberately does not repair mojibake inside correctly decoded text (that is the
``fix_encoding`` step's job) and never guesses a Latin-1 reading of Arabic bytes.
"""

from __future__ import annotations

import codecs
import re


class DecodeFailure(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


_SAMPLE_CHARS = 100_000
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _arabic_share(text: str) -> float:
    """Share of Arabic-block characters among the letters of (a prefix of) ``text``."""
    sample = text[:_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER.findall(sample)) / letters


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    return len(_CONTROL_BYTES.findall(sample)) / len(sample) > 0.05


_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ue000-\uf8ff\ufff0-\uffff]")


def _plausible(text: str) -> bool:
    """Decoded text that is not full of controls, private-use or non-characters (binary read as UTF-16)."""
    sample = text[:4096]
    return bool(sample) and len(_CONTROL_CHARS.findall(sample)) / len(sample) <= 0.05


def _utf8_share(data: bytes) -> float:
    """Share of the bytes >= 0x80 that form well-formed UTF-8 multi-byte sequences."""
    sample = data[: 4 * _SAMPLE_CHARS]
    high = len(_HIGH_BYTE.findall(sample))
    if not high:
        return 0.0
    covered = sum(len(m) for m in _UTF8_MULTIBYTE.findall(sample))
    return covered / high


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    half = len(sample) // 2
    for codec, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        # Arabic in UTF-16 has 0x06 high bytes, ASCII has 0x00: look for either pattern.
        if (high.count(0) + high.count(0x06)) / half > 0.6:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return text if _plausible(text) else None
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and say which encoding was used: ``(text, encoding)``.

    ``encoding`` is one of ``utf-8``, ``utf-8-sig``, ``utf-16`` (with or without BOM) and
    ``windows-1256``. Raises `DecodeFailure` when no encoding explains the bytes (see the module doc).
    """
    if not data:
        raise DecodeFailure("empty_file", "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeFailure(
                "invalid_utf8",
                f"UTF-8 BOM but invalid UTF-8 (byte 0x{data[exc.start + 3]:02x} at offset {exc.start + 3})",
            ) from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[2:].decode(codec)
            except UnicodeDecodeError:
                raise DecodeFailure(
                    "invalid_utf16", "UTF-16 BOM but the bytes are not valid UTF-16"
                ) from None
            if text and not _plausible(text):
                raise DecodeFailure("binary_file", "UTF-16 BOM but the content is control characters: binary")
            return text, "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if "\x00" in text:
            utf16 = _utf16_without_bom(data)
            if utf16 is not None:
                return utf16, "utf-16"
            if looks_binary(data):
                raise DecodeFailure("binary_file", "the file contains NUL and control bytes: it looks binary")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    if looks_binary(data):
        raise DecodeFailure("binary_file", "the file looks binary (control bytes), not text")
    where = f"byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}"
    if _utf8_share(data) >= 0.5:
        raise DecodeFailure(
            "mixed_encoding",
            f"mostly UTF-8 but not entirely ({where}): mixed encodings or a damaged file; not guessed",
        )
    text = data.decode("cp1256", errors="replace")
    if "\ufffd" not in text and _arabic_share(text) >= 0.6:
        return text, "windows-1256"
    raise DecodeFailure(
        "invalid_utf8", f"not valid UTF-8 ({where}) and not recognisable as windows-1256 or UTF-16"
    )
