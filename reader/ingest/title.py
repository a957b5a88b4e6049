"""An article's title: its leading title line, else the name of its source (a file's name,
a page's address), else its first sentence; and the subtitle of an article named by its
source: its first sentence. No UI."""

from __future__ import annotations

from reader.article_names import readable_name
from reader.sentences import split_sentences

TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 100
SUBTITLE_HEAD = 1000
"""The first sentence is looked for in this many characters of the first line (a longer
one is cut anyway), and a longer first line is no title line: a 2 MB one-line article
costs no more than a short one."""


def title_line(text: str) -> str:
    """The leading title line of canonical `text`, or "" when it has none.

    A first line counts as a title line when a blank line follows it, it is short, and it
    does not end like a sentence of body text (a full stop, comma, colon or semicolon).
    """
    lines = text[: SUBTITLE_HEAD + 2].split("\n", 2)  # a longer first line is no title
    first = lines[0].strip()
    followed_by_blank = len(lines) > 1 and not lines[1].strip() and len(lines[0]) <= SUBTITLE_HEAD
    if (
        first
        and followed_by_blank
        and len(first.split()) <= TITLE_MAX_WORDS
        and not first.endswith((".", ",", ":", ";"))
    ):
        return shorten(first)
    return ""


def first_sentence(text: str) -> str:
    """The first sentence of canonical `text`, shortened to TITLE_MAX_CHARS."""
    head = text[:SUBTITLE_HEAD].split("\n", 1)[0]
    spans = split_sentences(head)
    return shorten(head[spans[0][0] : spans[0][1]] if spans else head)


def find_title(text: str, source: str = "") -> str:
    """The title of canonical `text` read from `source`: its title line, else the readable
    name of its source (`hanoi-summit_report.txt` → `hanoi summit report`), else (no
    source) its first sentence. A truncated first sentence made a poor title: it was not
    the article's name, and it said again what the text says first."""
    return title_line(text) or readable_name(source) or first_sentence(text)


def named_by_source(title: str, text: str, source: str) -> bool:
    """Whether an article is named by its source: no title line, its title the source's
    name. One stored before, titled by its first sentence, keeps that title and is not."""
    return bool(title) and title == readable_name(source) and not title_line(text)


def find_subtitle(title: str, text: str, source: str) -> str:
    """What is shown beside the title of an article named by its source: its first
    sentence. Any other article has none."""
    return first_sentence(text) if named_by_source(title, text, source) else ""


def opening(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """The start of the text's first line, shortened to `limit`: the subtitle where a line
    has room for only its start (the library). No sentence segmenter: cheap for a
    thousand articles, and safe in a worker thread (pysbd's segmenter is shared)."""
    return shorten(text[: limit * 2].split("\n", 1)[0], limit)


def shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
