"""Markdown to plain article text with markdown-it-py: the words, not the markup. No UI.

Headings, paragraphs, quotes and code blocks become paragraphs separated by a blank
line; a paragraph's soft line breaks become spaces; list items become lines starting
with "• " or their number; links and images keep their text (alt text); emphasis marks
and inline HTML tags are dropped.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from reader.ingest.html import fragment_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BULLET = "• "


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _inline(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "".join(c.content for c in child.children or ()))
    return "".join(parts)


def markdown_text(source: str) -> str:
    """The plain text of a Markdown document, paragraphs separated by a blank line."""
    blocks: list[str] = []  # paragraphs; a whole list, or a whole table, is one block
    lists: list[int | None] = []  # per open list: the next number, or None for bullets
    items: list[str] = []  # the lines of the outermost open list
    marker = ""  # the marker waiting for the first paragraph of a list item
    cells: list[str] = []
    rows: list[str] = []
    in_cell = False

    def emit(text: str) -> None:
        nonlocal marker
        text = text.strip("\n")
        if not text.strip():
            return
        if not lists:
            blocks.append(text)
            return
        indent = "  " * (len(lists) - 1)
        if marker:
            items.append(indent + marker + text)
            marker = ""
        else:
            items.append(indent + "  " + text)

    for token in _parser().parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if marker:  # an item that starts with a nested list
                items.append("  " * (len(lists) - 1) + marker.rstrip())
                marker = ""
            start = token.attrGet("start")
            lists.append(int(start or 1) if kind == "ordered_list_open" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists and items:
                blocks.append("\n".join(items))
                items = []
        elif kind == "list_item_open":
            number = lists[-1]
            marker = BULLET if number is None else f"{number}. "
            if number is not None:
                lists[-1] = number + 1
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind == "tr_close":
            if any(cells):
                rows.append(" | ".join(cells))
            cells = []
        elif kind == "table_close":
            emit("\n".join(rows))
            rows = []
        elif kind == "inline":
            if in_cell:
                cells.append(" ".join(_inline(token).split()))
            else:
                emit(_inline(token))
        elif kind in ("fence", "code_block"):
            emit("\n".join(line.rstrip() for line in token.content.split("\n")))
        elif kind == "html_block":
            emit(fragment_text(token.content))
    return "\n\n".join(blocks)
