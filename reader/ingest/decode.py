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
_SNIFF_BYTES = 1024
ZERO_SHARE = 0.3
"""The least share of characters with a zero byte in the places UTF-16 or UTF-32 put one
for a text to be read so (spaces, digits and markup are ASCII in every script)."""
_ZERO_PLACES = (
    (4, (2, 3), 0, "utf-32-le"),
    (4, (0, 1), 3, "utf-32-be"),
    (2, (1,), 0, "utf-16-le"),
    (2, (0,), 1, "utf-16-be"),
)
"""UTF-16 and UTF-32 without a BOM, told by the zero bytes in the first _SNIFF_BYTES:
(character width, the byte places that are zero in nearly every character, the byte
place that is zero in almost none, the encoding). ASCII and most letters have zeros
there; a text of CJK characters only is not told (and is rare without a BOM)."""
_UTF8_SEQUENCE = rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
"""A valid multi-byte UTF-8 sequence. The patterns here are compiled when first used (by
`re`, which keeps them): a UTF-8 file, the common case, needs neither."""
_SEVEN_BIT = ("iso2022", "hz", "utf-7")
"""Encodings whose bytes are all ASCII: valid UTF-8, yet not to be read as it."""
UTF8_STRAY_SHARE = 0.05
"""How many stray bytes, for each valid multi-byte UTF-8 sequence, bytes may hold and
still be read as UTF-8 (the stray ones as U+FFFD)."""
CP1252_TOLERANCE = 5.0
"""How much more 'chaos' (charset-normalizer's mess score, in %) cp1252 may have than the
best guess and still win, when the text has bytes that are punctuation only in cp1252."""
_CP1252_PUNCTUATION = rb"[\x80\x82-\x8c\x8e\x91-\x9c\x9e\x9f]"

_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF",
    b"RIFF", b"OggS", b"ID3", b"fLaC", b"\x00\x00\x01\x00",
)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """The text of a file's bytes, or an IngestError naming the file.

    `encoding` is one the file declares (an HTTP header, an HTML meta tag, an XML
    declaration); a BOM still wins over it, and it is ignored when Python does not know
    it. Bytes that are UTF-8 but for a few stray ones are read as UTF-8 whatever the
    declaration says, the stray bytes shown as U+FFFD: a page saved as UTF-8 with one
    bad byte in an ad script is not a page in a legacy code page.
    """
    if not data:
        raise IngestError(f"{name}: the file is empty; nothing to read")
    if data.isspace():  # not `strip()`, which copies a 5 MB file to find out
        raise IngestError(f"{name}: the file holds only white space; nothing to read")
    unicode = unicode_encoding(data)
    if unicode:
        try:
            return _non_blank(data.decode(unicode), name)
        except UnicodeDecodeError:
            pass
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        raise IngestError(f"{name}: a binary file, not an article; open text, Markdown, HTML or a feed")
    declared = known_codec(encoding)
    if declared and declared.startswith(_SEVEN_BIT) and _decodes(data, declared):
        return _non_blank(data.decode(declared), name)  # ISO-2022-JP is ASCII bytes too
    text = _utf8(data)
    if text is not None:
        return _non_blank(text, name)
    for codec in (declared, _WIDER.get(declared or "")):
        if codec and _decodes(data, codec):
            return _non_blank(data.decode(codec), name)
    # a wrong declaration is common; guess from the bytes instead
    return _non_blank(_guess(data, name), name)


def plain_utf8(data: bytes, end: int) -> str | None:
    """What `decode(data)` reads, without the trailing white space `data[end:]`, when it
    reads the bytes as plain UTF-8 (no byte-order mark, not binary, no stray byte):
    decoded strictly from the bytes before `end`, in place, so a 5 MB file costs one 5 MB
    string (which can be the canonical text itself) rather than three. None for any other
    bytes: `decode` reads them, or refuses them with its message."""
    if not end or unicode_encoding(data) or data.startswith(_BINARY_MAGIC) or b"\x00" in data[:8192]:
        return None
    try:
        text = str(memoryview(data)[:end], "utf-8")
    except UnicodeDecodeError:
        return None
    return None if text.isspace() else text


def can_decode(data: bytes, label: str | None) -> bool:
    """True when the bytes decode without error in the encoding a label names (as
    `decode` reads it, a wider code page included)."""
    codec = known_codec(label)
    return bool(codec) and any(c and _decodes(data, c) for c in (codec, _WIDER.get(codec or "")))


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _guess(data: bytes, name: str) -> str:
    """The text of bytes that are neither UTF-8 nor in the encoding they declare."""
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
    tolerance = CP1252_TOLERANCE if re.search(_CP1252_PUNCTUATION, data) else 0.0
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.percent_chaos <= best.percent_chaos + tolerance:
            return data.decode("cp1252", errors="replace")
    return str(best)


def unicode_encoding(data: bytes) -> str | None:
    """UTF-8, UTF-16 or UTF-32 when the bytes say so: by a byte-order mark, else (UTF-16
    and UTF-32 only) by where the zero bytes of text that is mostly ASCII fall, as the
    XML specification's appendix F reads `<?xml` and as text editors tell UTF-16 apart."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return bom_encoding
    head = data[: _SNIFF_BYTES - _SNIFF_BYTES % 4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    for width, zeros, nonzero, candidate in _ZERO_PLACES:
        columns = [head[offset::width] for offset in range(width)]
        if all(_zero_share(columns[i]) >= ZERO_SHARE for i in zeros) and _zero_share(columns[nonzero]) <= 0.02:
            if _printable(head, candidate):
                return candidate
    return None


def _zero_share(column: bytes) -> float:
    return column.count(0) / len(column) if column else 0.0


def _printable(head: bytes, candidate: str) -> bool:
    """True when the head decodes in `candidate` to text: letters, marks, punctuation and
    white space, not control characters (a binary file's zeros can fall in place too)."""
    text = head.decode(candidate, errors="ignore")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return bool(text) and controls <= len(text) // 50


def mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with at most a few stray bytes: the non-ASCII ones
    form valid UTF-8 sequences, all but UTF8_STRAY_SHARE of them. Text in a legacy code
    page almost never does (its accented letters are lone bytes, never valid sequences)."""
    return _utf8(data) is not None


def _utf8(data: bytes) -> str | None:
    """The text of bytes that are UTF-8 but for a few stray bytes (`mostly_utf8`), those
    shown as U+FFFD; None for other bytes. Decoded once: a 5 MB file is not decoded twice."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    valid = len(re.findall(_UTF8_SEQUENCE, data))
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return text if valid > 0 and stray <= max(1, valid) * UTF8_STRAY_SHARE else None


_WHATWG_ALIASES = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
}
"""Labels that browsers read as a larger code page (the WHATWG Encoding Standard), which
reads what the smaller one reads the same way."""
_WIDER = {"shift_jis": "cp932", "euc_kr": "cp949"}
"""Code pages tried when bytes declared in the key's do not decode in it: a page declared
Shift_JIS with a "Ⅲ" in it is Windows-31J, one declared EUC-KR is Windows-949 (Python's
Windows-31J reads some JIS characters differently, so it is not tried first)."""


def known_codec(encoding: str | None) -> str | None:
    """The Python codec for a declared encoding label, read as browsers read it; None
    for an unknown label, and for UTF-16 and UTF-32 (told better from the bytes)."""
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
    if not text or text.isspace():  # not `strip()`, which copies the whole text
        raise IngestError(f"{name}: the file holds only white space; nothing to read")
    return text
