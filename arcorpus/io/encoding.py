"""Decoding the bytes of a plain-text document whose encoding nobody told us.

Order of evidence: a BOM (UTF-8, UTF-16 LE/BE); strict UTF-8; UTF-16 without BOM (NULs in every other
byte); windows-1256, accepted only when the decoded text is mostly Arabic letters. Anything else is
undecodable and raises `DecodeFailure` with a reason code: the caller turns it into a rejected document.

This module deliberately does not repair mojibake inside correctly decoded text (that is the
``fix_encoding`` step's job) and never guesses a Latin-1 reading of Arabic bytes.
"""

from __future__ import annotations

import codecs


class DecodeFailure(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


_ARABIC_LO, _ARABIC_HI = 0x0600, 0x06FF


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    arabic = sum(1 for c in letters if _ARABIC_LO <= ord(c) <= _ARABIC_HI)
    return arabic / len(letters)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for codec, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        # Arabic in UTF-16 has 0x06 high bytes, ASCII has 0x00: look for either pattern.
        high = sample[1::2] if codec == "utf-16-le" else sample[0::2]
        arabic_high = high.count(0x06)
        if (nuls + arabic_high) / half > 0.6:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and say which encoding was used: ``(text, encoding)``.

    Raises `DecodeFailure` (reason ``empty_file``, ``binary_file`` or ``undecodable``) when no
    encoding explains the bytes.
    """
    if not data:
        raise DecodeFailure("empty_file", "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeFailure("invalid_utf8", f"UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(codec), "utf-16"
            except UnicodeDecodeError:
                raise DecodeFailure("undecodable", "UTF-16 BOM but the bytes are not valid UTF-16") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if "\x00" in text:
            utf16 = _utf16_without_bom(data)
            if utf16 is not None:
                return utf16, "utf-16"
            if _looks_binary(data):
                raise DecodeFailure("binary_file", "the file contains NUL bytes: it looks binary")
        return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    if _looks_binary(data):
        raise DecodeFailure("binary_file", "the file looks binary (control bytes), not text")
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and _arabic_share(text) >= 0.6:
        return text, "windows-1256"
    raise DecodeFailure(
        "invalid_utf8",
        f"not valid UTF-8 (bad byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and not recognisable as windows-1256 or UTF-16",
    )
