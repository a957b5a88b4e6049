"""How an open article's name is shown: its tab in a narrow terminal, cut to its share of
the row and whole on hover, and the title line over its pane; an article named by its
source has its first sentence beside its name.

The tabs used to take their titles whole: a long first title filled the row at 80 columns
and the second article's tab was off screen until `]` was pressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from reader.ingest.sanitize import display_line

if TYPE_CHECKING:
    from textual.widgets import Tabs

    from reader.model import Article

TAB_PADDING = 2
"""Cells of a tab around its label (Textual's `Tab { padding: 0 1; }`)."""
LABEL_MIN = 4
"""A label is never cut shorter than this, whatever the width: `Tal…`."""
SUBTITLE_MIN = 12
"""A subtitle is added to a tab's label only when this much of it would be seen."""
SUBTITLE_JOIN = " · "


def label_rooms(needs: list[int], width: int) -> list[int]:
    """Cells for each tab's label, given what each label needs whole and the row's width:
    each gets its share of the row, and what a short label leaves goes to the others."""
    rooms = [0] * len(needs)
    left = width - TAB_PADDING * len(needs)
    for done, index in enumerate(sorted(range(len(needs)), key=lambda i: needs[i])):
        share = left // (len(needs) - done)
        rooms[index] = max(LABEL_MIN, min(needs[index], share))
        left -= rooms[index]
    return rooms


def cut(text: Text, room: int) -> Text:
    """`text` in at most `room` cells, ending with "…" when it was cut."""
    text = text.copy()
    text.truncate(max(room, 1), overflow="ellipsis")
    return text


def tab_label(title: str, subtitle: str, room: int) -> Text:
    """A tab's label in `room` cells: the title, cut with "…" when it must be, and the
    subtitle after it when enough of it would be seen to say something."""
    label = Text(display_line(title), end="", no_wrap=True)
    if subtitle and room - cell_len(label.plain) - len(SUBTITLE_JOIN) >= SUBTITLE_MIN:
        label.append(SUBTITLE_JOIN + display_line(subtitle), style="italic")
    return cut(label, room)


def full_label(title: str, subtitle: str) -> Text:
    """A label whole: what it needs, and the tooltip of a tab cut short."""
    label = Text(display_line(title), end="")
    if subtitle:
        label.append(SUBTITLE_JOIN + display_line(subtitle), style="italic")
    return label


def tab_labels(names: list[tuple[str, str]], width: int) -> list[Text]:
    """The labels of tabs named (title, subtitle) sharing a row `width` cells wide."""
    rooms = label_rooms([cell_len(full_label(*name).plain) for name in names], width)
    return [tab_label(title, subtitle, room) for (title, subtitle), room in zip(names, rooms, strict=True)]


def label_tabs(tabs: Tabs, names: list[tuple[str, str]], width: int) -> None:
    """Label the tabs (`tab-0`, `tab-1`, … for the names in order) to share `width` cells;
    each says its whole name on hover."""
    from textual.widgets import Tab

    for index, (label, name) in enumerate(zip(tab_labels(names, width), names, strict=True)):
        found = tabs.query(f"#tab-{index}")
        if not found:
            continue  # mounted a moment before its tabs: labelled again once they are
        tab = found.first(Tab)
        if tab.label.plain != label.plain:
            tab.label = label
        tab.tooltip = full_label(*name)


def title_text(article: Article, subtitle: str) -> Text:
    """The title line over a pane: the title, and the subtitle of an untitled article."""
    text = Text(display_line(article.title), end="")
    if subtitle:
        text.append(SUBTITLE_JOIN + display_line(subtitle), style="not bold italic")
    return text
