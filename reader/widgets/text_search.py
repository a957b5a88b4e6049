"""Finding the next or previous match of a query in an article's text, wrapping around,
the previous one without scanning the whole text. No Textual."""

from __future__ import annotations

import re

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


def find_match(
    pattern: re.Pattern[str], text: str, selected: int, *, forward: bool = True, origin: int | None = None
) -> re.Match[str] | None:
    """The match after (or before) the one selected at `selected`, wrapping around the
    text; with `origin`, the first match at or after it (a search as the query is typed).
    None when nothing matches, or only the empty string does."""
    if origin is not None:
        match = pattern.search(text, origin) or pattern.search(text)
    elif forward:
        match = pattern.search(text, selected + 1) or pattern.search(text)
    else:
        match = last_match(pattern, text, 0, selected) or last_match(pattern, text, 0, len(text))
    return None if match is None or match.end() == match.start() else match
