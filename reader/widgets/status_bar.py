"""The status bar: save state, the last message, counts, author and database, in the room
there is.

At 80 columns it used to end at "1 claim · 1 contradiction · 1", the message never seen:
the author and the database path came first. Now every part but the save state and the
message has shorter forms, and the bar takes the longest that fit, giving up first what
matters least: the database path (in full, then `~/…/annotations.json`, then its name,
then not at all), then the counts' words (`1C 1X`), the author, the counts. The save state
and the message are always whole: when they do not fit on one line they wrap onto a second
and a third; a message longer still ends with "…" and is shown whole in a toast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from reader.ingest.sanitize import display_line
from reader.layout import wrap
from reader.widgets.pane_rows import KIND_MARKS

SEPARATOR = " │ "
MAX_LINES = 3
"""The save state and a long message wrap onto at most this many lines."""
COUNT = re.compile(r"(\d+) (claim|contradiction|link|note)s?\b")
"""One count as the reading screen says it: `2 claims`, `1 note`."""


class Part(NamedTuple):
    """One part of the bar: its forms, longest first (the last may be "", left out)."""

    forms: list[str]
    style: str


def count_forms(counts: str) -> list[str]:
    """`2 claims · 1 note`, then `2C 1N` (the pane's gutter letters; or `54 annotations`
    when that is shorter still), then left out."""
    found = COUNT.findall(counts)
    if not found:
        return shorter_and_shorter([counts, ""])
    letters = " ".join(f"{number}{KIND_MARKS[kind]}" for number, kind in found)
    total = sum(int(number) for number, _ in found)
    return shorter_and_shorter([counts, letters, f"{total} annotation{'s' if total != 1 else ''}", ""])


def where_forms(where: str, home: str | None = None) -> list[str]:
    """A database path in full (`~` for the home folder), then `~/…/name`, then its name,
    then left out; key mode's `key → path` keeps its `key → `; not a path: whole or out."""
    head, arrow, path = where.partition(" → ")
    if not arrow:
        head, path = "", where
    if "/" not in path and os.sep not in path:
        return shorter_and_shorter([where, ""])
    home = str(Path.home()) if home is None else home
    if home and home not in ("/", os.sep) and path.startswith((home + "/", home + os.sep)):
        path = "~" + path[len(home):]
    name = re.split(r"[/\\]", path.rstrip("/\\"))[-1]
    elided = ("~/…/" if path.startswith("~") else "…/") + name
    return shorter_and_shorter([f"{head}{arrow}{form}" for form in (path, elided, name)] + [""])


def shorter_and_shorter(forms: list[str]) -> list[str]:
    """The forms, each kept only when it is shorter than the one kept before it."""
    kept: list[str] = []
    for form in forms:
        if not kept or cell_len(form) < cell_len(kept[-1]):
            kept.append(form)
    return kept


TAIL_STEPS = (2, 2, 2, 0, 1, 0, 0)
"""What the tail (counts, author, database) gives up, one form at a time, as room runs out:
the database path to nothing first, then the counts' words, the author, the counts."""


def fitted_tail(tail: list[Part], room: int, steps: tuple[int, ...] = TAIL_STEPS) -> list[tuple[str, str]]:
    """The tail's (text, style) parts in at most `room` cells: its forms given up one step
    of `steps` (the index of the part that gives up a form) at a time until they fit, then
    given back where room is left, the parts that matter most first (a database name fits
    again beside the counts' letters)."""
    chosen = [0] * len(tail)

    def fits(choice: list[int]) -> bool:
        return cell_len(joined(_chosen(tail, choice)).plain) <= room

    for step in [*steps, *(index for index, part in enumerate(tail) for _ in part.forms)]:
        if fits(chosen):
            break
        if step < len(tail) and chosen[step] < len(tail[step].forms) - 1:
            chosen[step] += 1
    if not fits(chosen):
        return []
    for index in range(len(tail)):
        while chosen[index] > 0 and fits([*chosen[:index], chosen[index] - 1, *chosen[index + 1:]]):
            chosen[index] -= 1
    return _chosen(tail, chosen)


def _chosen(tail: list[Part], chosen: list[int]) -> list[tuple[str, str]]:
    return [(part.forms[i], part.style) for part, i in zip(tail, chosen, strict=True) if part.forms[i]]


def joined(parts: list[tuple[str, str]]) -> Text:
    """The parts with separators between them, no margin."""
    text = Text(end="", no_wrap=True)
    for index, (shown, style) in enumerate(parts):
        if index:
            text.append(SEPARATOR, style="dim")
        text.append(shown, style=style)
    return text


def margined(row: Text) -> Text:
    """A row of the bar: a cell of margin, the row's text without trailing spaces."""
    line = Text(" ", end="", no_wrap=True)
    line.append_text(row)
    line.rstrip()
    return line


def status_lines(head: list[tuple[str, str]], tail: list[Part], width: int) -> tuple[list[Text], bool]:
    """The bar's lines at `width` cells, and whether the head was cut to MAX_LINES.

    `head` (the save state, the message) is always shown whole; the tail is shown in the
    longest forms that fit beside it, on the head's last line.
    """
    width = max(1, width)
    block = joined(head)
    rows = wrap(block.plain, width - 1) if block.plain else [(0, 0)]
    lines = [margined(block[start:end]) for start, end in rows]
    cut = len(lines) > MAX_LINES
    if cut:
        lines = lines[: MAX_LINES - 1] + [margined(block[rows[MAX_LINES - 1][0]:])]
        lines[-1].truncate(width, overflow="ellipsis")
    last = lines[-1]
    gap = SEPARATOR if block.plain else ""
    extra = joined(fitted_tail(tail, width - cell_len(last.plain) - cell_len(gap)))
    if extra.plain:
        last.append(gap, style="dim")
        last.append_text(extra)
    return lines, cut


def save_part(save_state: str) -> tuple[str, str]:
    if save_state == "saved":
        return "✓ saved", "bold"
    if save_state == "saving":
        return "… saving", "bold"
    return f"✗ not saved: {display_line(save_state)}", "bold reverse"


class StatusBar(Widget):
    """The bottom lines of the reading screen: one, unless the message needs more."""

    DEFAULT_CSS = """
    StatusBar {
        height: auto;
        width: 1fr;
    }
    """

    save_state: reactive[str] = reactive("saved", layout=True)
    """`saved`, `saving`, or the one-line reason a save failed."""
    counts: reactive[str] = reactive("", layout=True)
    """Annotation counts, e.g. `2 claims · 1 note`."""
    message: reactive[str] = reactive("", layout=True)
    """What the last action did."""
    author: reactive[str] = reactive("", layout=True)
    """Who is annotating."""

    def __init__(self, db: str, author: str, *, id: str | None = None, read_only: bool = False,
                 banner: str = "") -> None:
        super().__init__(id=id)
        self.db = db
        self.banner = banner
        """The class view: what it shows, when no message stands in its place."""
        self.read_only = read_only
        """The class view: nothing is made or saved, so nothing about saving is said."""
        self.set_reactive(StatusBar.author, author)

    def _parts(self) -> tuple[list[tuple[str, str]], list[Part]]:
        """What the bar says: its head, always whole, and its tail, shortened to fit."""
        if self.read_only:  # the class view: what it shows, never a word about saving
            shown = self.message or self.banner
            head = [(display_line(shown), "bold")] if shown else []
            showing = [f"showing {form}" if form else "" for form in count_forms(self.counts)] if self.counts else [""]
            return head, [Part(showing, "dim")]
        head = [save_part(self.save_state)]
        if self.message:
            head.append((display_line(self.message), "bold"))
        counts = count_forms(self.counts) if self.counts else [""]
        author = [display_line(self.author or "no author yet"), ""]
        return head, [Part(counts, ""), Part(author, "italic"), Part(where_forms(display_line(self.db)), "dim")]

    def lines(self, width: int) -> tuple[list[Text], bool]:
        """The bar's lines at `width`, and whether the message was too long for them."""
        head, tail = self._parts()
        return status_lines(head, tail, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)[0])

    def watch_message(self, message: str) -> None:
        """A message too long even for MAX_LINES is shown whole in a toast as well."""
        if message and self.size.width and self.lines(self.size.width)[1]:
            self.notify(display_line(message), timeout=10, markup=False)

    def render(self) -> Text:
        lines, _ = self.lines(self.size.width)
        for line in lines:  # Textual 8 wraps a rendered Text despite no_wrap: never wider than the bar
            line.truncate(self.size.width, overflow="ellipsis")
        return Text("\n", end="").join(lines)
