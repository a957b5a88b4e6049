"""Canonical text: the one form of an article's text that anchors point into. No UI.

The same input gives the same text, and so the same article id, on every machine:
newlines become `\\n`, the text is Unicode NFC, trailing spaces of every line and blank
lines at both ends are dropped.
"""

from __future__ import annotations

import unicodedata


def canonicalize(text: str) -> str:
    """The canonical form of `text`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")
