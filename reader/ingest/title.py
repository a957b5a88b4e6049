"""An article's title: its leading title line, else its first sentence. No UI."""

from __future__ import annotations

from reader.sentences import split_sentences

TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 100


def find_title(text: str) -> str:
    """The title of canonical `text`.

    A first line counts as a title line when a blank line follows it, it is short, and it
    does not end like a sentence of body text (a full stop, comma, colon or semicolon).
    """
    lines = text.split("\n")
    first = lines[0].strip()
    followed_by_blank = len(lines) > 1 and not lines[1].strip()
    if (
        first
        and followed_by_blank
        and len(first.split()) <= TITLE_MAX_WORDS
        and not first.endswith((".", ",", ":", ";"))
    ):
        return shorten(first)
    head = lines[0][: TITLE_MAX_CHARS * 10]  # the first sentence is in here, or is cut anyway
    spans = split_sentences(head)
    sentence = head[spans[0][0] : spans[0][1]] if spans else first
    return shorten(sentence)


def shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
