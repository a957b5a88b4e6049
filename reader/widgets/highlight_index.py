"""The highlights of one article, found by the stretch of text they overlap: the rows a frame
draws, the selection under the cursor, the ends of one annotation. No Textual.

A pane draws every row of its view, and each asks which highlights lie over it; scanning
the article's whole list for each row cost a few milliseconds a frame with 1,000
annotations open. Here the text is cut into bins of BIN code points and each bin lists the
highlights that reach into it, so a row looks at the few in its one or two bins, however
many the article has (the binning of genome browsers' interval indexes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

BIN = 256
"""Code points per bin: a few rows of text, so that a row's query looks at one or two bins."""


class Highlight(NamedTuple):
    """One annotated span of the pane's article."""

    start: int
    end: int
    kind: str
    annotation_id: str


def _bins(start: int, end: int) -> range:
    """The bins a span [start, end) reaches into (an empty span: the bin it stands in)."""
    return range(start // BIN, max(start, end - 1) // BIN + 1)


class HighlightIndex:
    """An article's highlights, sorted by (start, end), indexed by bin and by annotation."""

    def __init__(self, highlights: Iterable[Highlight] = ()) -> None:
        self._sorted = sorted(highlights, key=lambda h: (h.start, h.end))
        """Every highlight, in the order a row draws them (later ones over earlier ones)."""
        self._in_bin: dict[int, list[int]] = {}
        """Bin → positions in `_sorted` of the highlights reaching into it, ascending."""
        self._of_annotation: dict[str, list[Highlight]] = {}
        for position, highlight in enumerate(self._sorted):
            for number in _bins(highlight.start, highlight.end):
                self._in_bin.setdefault(number, []).append(position)
            self._of_annotation.setdefault(highlight.annotation_id, []).append(highlight)

    def __len__(self) -> int:
        return len(self._sorted)

    def __iter__(self) -> Iterator[Highlight]:
        return iter(self._sorted)

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        """The highlights overlapping [start, end), sorted by (start, end) as drawn."""
        if end <= start:
            return []
        found: set[int] = set()
        for number in _bins(start, end):
            for position in self._in_bin.get(number, ()):
                highlight = self._sorted[position]
                if highlight.start < end and highlight.end > start:
                    found.add(position)
        return [self._sorted[position] for position in sorted(found)]

    def of(self, annotation_ids: Iterable[str]) -> list[Highlight]:
        """The highlights of these annotations in this article (the ends of a pair)."""
        return [h for annotation_id in annotation_ids for h in self._of_annotation.get(annotation_id, ())]
