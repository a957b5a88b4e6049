"""`canonical_lines`: the canonical text and its lines in one pass, the same text as the
definition (CRLF and CR to LF, NFC, trailing spaces of each line and blank lines at both
ends dropped), and the lines exactly what splitting it at `\\n` gives."""

from __future__ import annotations

import random
import unicodedata

import pytest

from reader.ingest.canonical import canonical_lines, canonicalize

PIECES = ["a", "bc ", " ", "\n", "\r\n", "\r", "\t", "e\u0301", "\u00a0", "x\u2028y", "\n\n", "  \n", "word"]


def _by_definition(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


@pytest.mark.parametrize("seed", range(20))
def test_the_canonical_text_and_its_lines(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        canonical, lines = canonical_lines(text)
        assert canonical == canonicalize(text) == _by_definition(text), repr(text)
        assert lines == canonical.split("\n"), repr(text)


def test_a_text_without_trailing_spaces_keeps_its_lines() -> None:
    text = "Title\n\nBody one.\nBody two.\n"
    canonical, lines = canonical_lines(text)
    assert canonical == "Title\n\nBody one.\nBody two."
    assert lines == ["Title", "", "Body one.", "Body two."]
