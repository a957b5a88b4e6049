"""Finding the next or previous match of a query in an article's text (or in the texts of
all open articles, one after another), wrapping around, the previous one without scanning
the whole text; and every match counted, for the find bar's count. No Textual."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

FIND_WINDOW = 65_536
"""A backward search looks at this many characters before the cursor, then twice as many
further back, and so on: finding the previous match costs what lies between them."""


def last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of `pattern` in text[start:end], looking back from `end` in windows
    that double: a match found in [low, end) is the last one, as any match the window cuts
    starts before it."""
    window = FIND_WINDOW
    while True:
        low = max(start, end - window)
        last = None
        for last in pattern.finditer(text, low, end):
            pass
        if last is not None or low == start:
            return last
        window *= 2


def _valid(match: re.Match[str] | None) -> re.Match[str] | None:
    return None if match is None or match.end() == match.start() else match


def find_match(
    pattern: re.Pattern[str], text: str, selected: int, *, forward: bool = True, origin: int | None = None
) -> re.Match[str] | None:
    """The match after (or before) the one selected at `selected`, wrapping around the
    text; with `origin`, the first match at or after it (a search as the query is typed).
    None when nothing matches, or only the empty string does."""
    found = find_across(pattern, [text], 0, selected, forward=forward, origin=origin)
    return None if found is None else found[1]


def find_across(
    pattern: re.Pattern[str],
    texts: Sequence[str],
    current: int,
    selected: int,
    *,
    forward: bool = True,
    origin: int | None = None,
) -> tuple[int, re.Match[str]] | None:
    """The match after (or before) the one selected at `selected` in `texts[current]`, else
    the first (last) one of the texts after (before) it, going round to the current text's
    other end; with `origin`, the first match at or after it. (the text's index, the match),
    or None when no text matches."""
    text = texts[current]
    if origin is not None:
        match = pattern.search(text, origin)
    elif forward:
        match = pattern.search(text, selected + 1)
    else:
        match = last_match(pattern, text, 0, selected)
    if _valid(match):
        return current, match  # type: ignore[return-value]
    step = 1 if forward or origin is not None else -1
    for turn in range(1, len(texts) + 1):  # the others, then the current one from its other end
        index = (current + step * turn) % len(texts)
        other = texts[index]
        match = pattern.search(other) if step > 0 else last_match(pattern, other, 0, len(other))
        if _valid(match):
            return index, match  # type: ignore[return-value]
    return None


MAX_COUNTED = 10_000
"""Matches counted in one article; past this the count says "10000+" (counting a one-letter
query in a 5 MB article whole would hold each key typed for a quarter of a second)."""

Span = tuple[int, int]


class Matches:
    """Every match of a query in one text, in order (at most `limit`): the find bar's count
    and the matches a pane marks."""

    def __init__(self, pattern: re.Pattern[str], text: str, limit: int = MAX_COUNTED) -> None:
        self.pattern = pattern
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.more = False
        """True when there are more than `limit`: the lists hold the first `limit`."""
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            if len(self.starts) == limit:
                self.more = True
                break
            self.starts.append(match.start())
            self.ends.append(match.end())

    def __len__(self) -> int:
        return len(self.starts)

    def index_of(self, start: int) -> int | None:
        """The 0-based rank of the match that starts at `start`; None if none counted does."""
        index = bisect_left(self.starts, start)
        return index if index < len(self.starts) and self.starts[index] == start else None

    def overlapping(self, start: int, end: int) -> list[Span]:
        """The matches overlapping [start, end) (matches never overlap one another, so their
        ends are in order too)."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end, lo=first)
        return list(zip(self.starts[first:last], self.ends[first:last]))


def match_count(matches: Sequence[Matches], current: int | None, start: int | None) -> str:
    """What the find bar says: `3/17` (the match starting at `start` in `matches[current]`
    is the 3rd of 17 in all of them), `–/17` when that one is past the counted ones,
    `no match`; `+` after the total when not every match was counted."""
    total = sum(len(m) for m in matches)
    more = "+" if any(m.more for m in matches) else ""
    if not total and not more:
        return "no match"
    rank = "–"
    if current is not None and start is not None:
        index = matches[current].index_of(start)
        if index is not None:
            rank = str(sum(len(m) for m in matches[:current]) + index + 1)
    return f"{rank}/{total}{more}"


class PaneSearch:
    """What a pane shows of a search: every match of the query in its text, and which one
    is the current match (the find bar's n of n/m). `changed` is called when either
    changes, to draw them again."""

    def __init__(self, text: str, changed: Callable[[], None]) -> None:
        self.text = text
        self.changed = changed
        self.matches: Matches | None = None
        """None while nothing is searched for here."""
        self.current: Span | None = None

    def search(self, pattern: re.Pattern[str] | None) -> Matches | None:
        """Every match of `pattern` (None: stop searching), counted once per query."""
        if pattern is None:
            if self.matches is not None or self.current is not None:
                self.matches = self.current = None
                self.changed()
        elif self.matches is None or self.matches.pattern != pattern:
            self.matches, self.current = Matches(pattern, self.text), None
            self.changed()
        return self.matches

    def show(self, span: Span | None) -> None:
        """Draw `span` as the current match (None: the current match is not in this text)."""
        if span != self.current:
            self.current = span
            self.changed()

    def on_row(self, start: int, end: int) -> tuple[tuple[Span, ...], Span | None]:
        """The matches overlapping [start, end), and the current match if it does; nothing
        while nothing is searched for."""
        if self.matches is None:
            return (), None
        current = self.current if self.current and self.current[0] < end and self.current[1] > start else None
        return tuple(self.matches.overlapping(start, end)), current
