"""A declaration file's bytes as the parser gets them: UTF-8, or an error that says why not."""

from __future__ import annotations

import codecs

from tsgen.diagnostics import Diagnostic, Diagnostics, Level, Pos, TsgenError
from tsgen.kinds import SYNTAX


def position(file: str, raw: bytes, offset: int) -> Pos:
    """The 1-based line and column (in characters) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return Pos(file, raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1)


def utf8_source(file: str, raw: bytes, diagnostics: Diagnostics) -> bytes:
    """UTF-8 without a byte order mark. UTF-16 with a BOM (which TypeScript reads too) is
    converted. Bytes that are not UTF-8 in a file that also holds a NUL byte mean a binary file
    (an error); otherwise they are read as U+FFFD with a warning at the first of them. (NUL in
    valid UTF-8 is a control character like any other: the parser decides whether it is allowed.)"""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise TsgenError([Diagnostic(Level.ERROR, Pos(file, 1, 1), f"not valid UTF-16 although it starts with a UTF-16 byte order mark (byte {exc.start})")]) from None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\0" in raw:
            raise TsgenError([Diagnostic(Level.ERROR, position(file, raw, exc.start), f"binary file (NUL bytes, and byte 0x{raw[exc.start]:02x} is not UTF-8): not a TypeScript declaration file")]) from None
        diagnostics.warn(position(file, raw, exc.start), f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); bytes that are not UTF-8 are read as U+FFFD", kind=SYNTAX)
        return raw.decode("utf-8", "replace").encode("utf-8")
    return raw
