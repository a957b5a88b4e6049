"""Bytes to text: BOMs, UTF-16, legacy encodings; binary and empty input refused. No UI."""

from __future__ import annotations

import codecs
import re


from reader.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CP1252_TOLERANCE = 5.0
"""How much more 'chaos' (charset-normalizer's mess score, in %) cp1252 may have than the
best guess and still win, when the text has bytes that are punctuation only in cp1252."""
_CP1252_PUNCTUATION = re.compile(rb"[\x80\x82-\x8c\x8e\x91-\x9c\x9e\x9f]")

_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF",
    b"RIFF", b"OggS", b"ID3", b"fLaC", b"\x00\x00\x01\x00",
)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """The text of a file's bytes, or an IngestError naming the file.

    `encoding` is one the file declares (an HTTP header, an HTML meta tag); a BOM still
    wins over it, and it is ignored when Python does not know it.
    """
    if not data:
        raise IngestError(f"{name}: the file is empty; nothing to read")
    if not data.strip():
        raise IngestError(f"{name}: the file holds only white space; nothing to read")
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _non_blank(data.decode(bom_encoding), name)
            except UnicodeDecodeError:
                break
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise IngestError(f"{name}: a binary file, not an article; open text, Markdown, HTML or a feed")
    declared = _known_codec(encoding)
    if declared:
        try:
            return _non_blank(data.decode(declared), name)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; guess from the bytes instead
    try:
        return _non_blank(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise IngestError(f"{name}: cannot tell the text encoding; save the file as UTF-8")
    # Short texts often decode about equally well in several code pages; of those,
    # Windows-1252 is by far the likeliest for news saved from the web. Bytes 0x80-0x9F
    # (€ ‘ ’ “ ” – — … in cp1252, controls in ISO 8859) make it likelier still.
    # charset-normalizer folds encodings that decode the bytes to the same text into one
    # match, so cp1252 may be listed only among another match's `could_be_from_charset`.
    tolerance = CP1252_TOLERANCE if _CP1252_PUNCTUATION.search(data) else 0.0
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.percent_chaos <= best.percent_chaos + tolerance:
            return _non_blank(data.decode("cp1252", errors="replace"), name)
    return _non_blank(str(best), name)


_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}
"""Labels that browsers read as a Windows code page (the WHATWG Encoding Standard)."""


def _known_codec(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # without a BOM these are guessed better from the bytes
    return _WHATWG_ALIASES.get(name, name)


def _non_blank(text: str, name: str) -> str:
    if not text.strip():
        raise IngestError(f"{name}: the file holds only white space; nothing to read")
    return text
