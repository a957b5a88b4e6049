"""decode(data, name): bytes to text, or an IngestError naming the file."""

from __future__ import annotations

import codecs

import pytest

from reader.errors import IngestError, UserError
from reader.ingest.decode import decode

NAME = "inbox/article.txt"
TEXT = "Café – “quoted” naïve Straße 東京 🙂"


def test_plain_utf8():
    assert decode(TEXT.encode("utf-8"), NAME) == TEXT


def test_ascii():
    assert decode(b"Plain old ASCII.\nSecond line.", NAME) == "Plain old ASCII.\nSecond line."


def test_utf8_bom_is_removed():
    data = codecs.BOM_UTF8 + TEXT.encode("utf-8")
    text = decode(data, NAME)
    assert text == TEXT
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
    ids=["utf-16-le", "utf-16-be"],
)
def test_utf16_with_bom(bom: bytes, codec: str):
    data = bom + TEXT.encode(codec)
    text = decode(data, NAME)
    assert text == TEXT
    assert "\ufeff" not in text
    assert "\x00" not in text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")],
    ids=["utf-32-le", "utf-32-be"],
)
def test_utf32_with_bom(bom: bytes, codec: str):
    assert decode(bom + TEXT.encode(codec), NAME) == TEXT


def test_utf16_le_text_is_not_mistaken_for_utf32():
    # The UTF-32 LE BOM begins with the UTF-16 LE BOM; a UTF-16 text must still decode.
    text = "Hello, world. A short UTF-16 article."
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), NAME) == text


def test_cp1252_quotes_and_dash():
    text = "café – “quoted”"
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the legacy path
    assert decode(data, NAME) == text


@pytest.mark.parametrize(
    "text",
    [
        "The minister’s statement – issued late on Friday – said the “review” would take months.",
        "He said: ‘It was all about the sanctions.’",
        "The café’s owner – a Frenchman – said “non”.",
        "“We won’t stop,” she said.",
        "It’s a “big” day — really.",
        "L’été dernier, la ministre a déclaré « c’est fini » – une première.",
        "Don’t panic… yet.",
    ],
)
def test_cp1252_news_sentences(text: str):
    # Smart quotes, dashes and ellipses are the bytes 0x80–0x9F that only cp1252 maps to
    # punctuation; short texts like these also decode cleanly in DOS and Mac code pages.
    assert decode(text.encode("cp1252"), NAME) == text


@pytest.mark.parametrize(
    "text",
    [
        "Ça coûte très cher, à mon avis.",
        "El niño comió piñata en España.",
        "Zürich, Genève und Bâle: drei Städte.",
        "Ærø og Æbeltoft er små øer.",
        "Die Größe der Straße ist schön.",
        "café au lait",
        "Größe",
    ],
)
def test_latin1(text: str):
    data = text.encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, NAME) == text


def _message(data: bytes, name: str = NAME) -> str:
    with pytest.raises(IngestError) as caught:
        decode(data, name)
    assert isinstance(caught.value, UserError)
    message = str(caught.value)
    assert name in message
    assert "\n" not in message and "\r" not in message
    return message


def test_empty_refused():
    assert "empty" in _message(b"")


@pytest.mark.parametrize("data", [b" ", b"\n\n\r\n", b" \t \n \x0b\x0c "])
def test_whitespace_only_refused(data: bytes):
    assert "white space" in _message(data)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"  \n ",
        codecs.BOM_UTF16_LE + " \n\t ".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + " \n\t ".encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be"],
)
def test_whitespace_only_behind_bom_refused(data: bytes):
    assert "white space" in _message(data)


def test_bom_only_refused():
    _message(codecs.BOM_UTF8)


@pytest.mark.parametrize(
    "data",
    [b"Some text\x00with a NUL", b"\x00", b"ok " * 100 + b"\x00" + b" ok" * 100],
    ids=["middle", "alone", "later"],
)
def test_nul_bytes_refused(data: bytes):
    assert "binary" in _message(data)


def test_png_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    assert "binary" in _message(png, "photos/cat.png")


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"GIF89a\x01\x00\x01\x00", b"\xff\xd8\xff\xe0\x00\x10JFIF"],
    ids=["pdf", "gif", "jpeg"],
)
def test_other_binary_magic_refused(data: bytes):
    assert "binary" in _message(data)


def test_error_names_file_with_spaces_and_unicode():
    _message(b"", "My Articles/été 2024 – draft.txt")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Critics called it a delay… and a costly one, at €2m a week.", "cp1252"),
        ("«Переговоры в Ханое сорваны» — заявил министр. Санкции остаются в силе.", "cp1251"),
        ("Η σύνοδος στο Ανόι κατέρρευσε — δήλωσε ο υπουργός.", "cp1253"),
    ],
)
def test_cp1252_punctuation_wins_without_breaking_other_code_pages(text, encoding):
    assert decode(text.encode(encoding), "news.txt") == text
