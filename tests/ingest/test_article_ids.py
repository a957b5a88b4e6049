"""An article's id is the start of the sha256 of its canonical text, however it was read:
a plain UTF-8 file's id is read off the file's own hash (the same bytes), any other is
hashed from the canonical text."""

from __future__ import annotations

import hashlib

import pytest

from reader.ingest import article as article_module
from reader.ingest.sources import article_from_bytes
from reader.model import article_id_for

TEXTS = {
    "plain": b"A title\n\nThe minister said exports rose by a third.\n",
    "no final newline": b"A title\n\nThe minister said exports rose.",
    "accents": "Título\n\nEl ministro dijo que las exportaciones crecieron.".encode(),
    "crlf": b"A title\r\n\r\nThe minister said exports rose.\r\n",
    "cr": b"A title\r\rThe minister said exports rose.\r",  # as many bytes as its canonical text
    "trailing spaces": b"A title  \n\nThe minister said exports rose.   \n",
    "blank lines around": b"\n\n\nA title\n\nThe minister said exports rose.\n\n\n",
    "decomposed": "Cafe\u0301\n\nThe cafe\u0301 closed.".encode(),
    "bom": b"\xef\xbb\xbfA title\n\nThe minister said exports rose.",
    "latin-1": "Título\n\nEl ministro dijo que crecieron.".encode("latin-1"),
    "utf-16": "A title\n\nThe minister said exports rose.".encode("utf-16"),
}


@pytest.mark.parametrize("kind", ["text", "markdown"])
@pytest.mark.parametrize("name", TEXTS)
def test_the_id_is_the_canonical_text_s_hash(name: str, kind: str) -> None:
    data = TEXTS[name]
    article = article_from_bytes(data, f"{name}.txt", kind)  # type: ignore[arg-type]
    assert article.id == article_id_for(article.text)
    assert article.raw_sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", ["plain", "no final newline", "accents"])
def test_a_plain_utf8_file_is_not_hashed_twice(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[str] = []
    monkeypatch.setattr(article_module, "article_id_for", lambda text: hashed.append(text) or "x" * 16)
    article = article_from_bytes(TEXTS[name], f"{name}.txt", "text")
    assert hashed == []
    assert article.id == hashlib.sha256(article.text.encode()).hexdigest()[:16]


def test_an_id_is_as_many_digits_as_the_model_makes() -> None:
    assert len(article_id_for("x")) == article_module.ID_DIGITS
