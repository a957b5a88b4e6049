"""`canonical_text` is `canonicalize`, and hands back the very text it was given when that
is already canonical (a 5 MB first open is then not split, copied or encoded again);
`plain_utf8` reads what `decode` reads. Both are checked against the plain versions on
texts made to hit every rule: white space of every kind at line ends and at both ends, CR,
decomposed accents, blank lines."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import IngestError
from reader.ingest.canonical import canonical_text, canonicalize
from reader.ingest.decode import decode, plain_utf8
from reader.ingest.sources import _hashes, article_from_bytes
from reader.model import article_id_for

SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace() and c != 10]
"""Every white space character `rstrip` strips, up to U+3000 (the last there is)."""
PIECES = st.one_of(
    st.sampled_from(["word", "Café", "cafe\u0301", "東京", "\n", "\n\n", "\r\n", "\r", " ", "x"]),
    st.sampled_from(SPACES),
    st.text(max_size=6),
)
TEXTS = st.lists(PIECES, max_size=14).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_canonical_text_is_canonicalize(text: str) -> None:
    assert canonical_text(text) == canonicalize(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_canonical_text_is_handed_back_as_it_is(text: str) -> None:
    canonical = canonicalize(text)
    assert canonical_text(canonical) is canonical or canonical == ""


@pytest.mark.parametrize("space", SPACES)
def test_a_line_ending_in_any_white_space_is_not_canonical(space: str) -> None:
    text = f"A title{space}\nThe body."
    assert canonical_text(text) == "A title\nThe body."
    assert canonical_text(f"A title\nThe body.{space}") == "A title\nThe body."


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_plain_utf8_reads_what_decode_reads(text: str) -> None:
    data = text.encode("utf-8")
    _, (_, end, _) = _hashes(data)
    plain = plain_utf8(data, end)
    try:
        decoded = decode(data, "x.txt")
    except IngestError:
        assert plain is None  # decode's message is the one given
        return
    if plain is not None:
        rest = decoded[len(plain):]
        assert decoded.startswith(plain) and (rest == "" or rest.isspace())


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.booleans())
def test_the_id_is_the_canonical_text_s_hash_either_way(text: str, later: bool) -> None:
    data = text.encode("utf-8")
    try:
        article = article_from_bytes(data, "x.txt", "text", furniture_later=later)
    except IngestError:
        return
    assert article.text == canonicalize(decode(data, "x.txt"))
    assert article.id == article_id_for(article.text)
    assert article.raw_sha256 == hashlib.sha256(data).hexdigest()
