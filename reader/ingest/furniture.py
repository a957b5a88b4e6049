"""Page furniture: find the lines around an article that came from its web page. No UI.

The rules are data (`furniture.toml` beside this module). The result is a list of
code-point ranges of the canonical text; the text itself is never changed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class FurnitureRules:
    """Patterns that mark a furniture line, and how short a line of a page's tail is."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    tail_max_words: int
    inline: frozenset[str] = frozenset()
    """Rules whose lines are folded alone and never start a page's tail: a "Read more: ..."
    link between paragraphs is followed by more of the story, often in short paragraphs."""

    def match(self, line: str) -> str | None:
        """The name of the first rule matching `line`, if any."""
        stripped = line.strip()
        if not stripped:
            return None
        for name, pattern in self.patterns:
            if pattern.search(stripped):
                return name
        return None

    def starts_tail(self, line: str) -> bool:
        """True when `line` is furniture that may start the page's tail."""
        name = self.match(line)
        return name is not None and name not in self.inline


@cache
def default_rules() -> FurnitureRules:
    """The rules shipped with presscheck."""
    data = tomllib.loads(files("reader.ingest").joinpath("furniture.toml").read_text("utf-8"))
    return FurnitureRules(
        patterns=tuple(
            (rule["name"], re.compile(rule["pattern"], re.IGNORECASE)) for rule in data["rule"]
        ),
        tail_max_words=int(data["tail_max_words"]),
        inline=frozenset(rule["name"] for rule in data["rule"] if not rule.get("starts_tail", True)),
    )


def _lines_with_offsets(text: str) -> list[tuple[int, int, str]]:
    lines = []
    start = 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), line))
        start += len(line) + 1
    return lines


def find_furniture(text: str, rules: FurnitureRules | None = None) -> tuple[tuple[int, int], ...]:
    """Ranges (start, end) of canonical `text` that are page furniture, merged and sorted."""
    rules = rules or default_rules()
    lines = _lines_with_offsets(text)
    marked = [rules.match(line) is not None for _, _, line in lines]
    starts = [hit and rules.starts_tail(line) for (_, _, line), hit in zip(lines, marked)]

    ranges: list[tuple[int, int]] = []
    tail_start: int | None = None
    body_before_tail = False
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index][2]
        if starts[index]:
            tail_start = index
        elif marked[index]:
            continue
        elif line.strip() and len(line.split()) > rules.tail_max_words:
            body_before_tail = True
            break
    # An article of short paragraphs only is not one long tail: without a paragraph of
    # body text before it, a tail may take at most a quarter of the text.
    if tail_start is not None and not body_before_tail:
        if len(text) - lines[tail_start][0] > len(text) // 4:
            tail_start = None
    if tail_start is not None:
        ranges.append((lines[tail_start][0], len(text)))
        lines = lines[:tail_start]
    ranges.extend((start, end) for (start, end, _), hit in zip(lines, marked) if hit)
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
