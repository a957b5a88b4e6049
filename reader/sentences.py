"""Sentences of canonical text, found lazily one paragraph at a time (pysbd). No UI.

A paragraph is a run of text between newlines. Only the paragraphs the reader's cursor
visits are segmented, so a 5 MB article costs nothing until it is read.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd

Span = tuple[int, int]

BLOCK = 4000
"""Paragraphs longer than this are segmented in blocks of about this many characters, cut
at a space, so that a 2 MB one-line article costs one block, not the whole line."""


@cache
def _segmenter() -> pysbd.Segmenter:
    import pysbd  # ~8 ms: imported when the first paragraph is segmented, not at start-up

    return pysbd.Segmenter(language="en", clean=False)


CLOSED_SENTENCE = r"[.!?\u2026][\u2019'\u201d\"\u00bb)\]]+(?=\s+[\u201c\u2018\"'\u00ab(\[]?[A-Z0-9])"
"""A sentence that ends inside a closing quote or bracket (`that.\u2019 Ri Yong Ho`, `over?\u00bb
Nobody`, `expected.) Then`), where the next begins with a capital or a figure: pysbd keeps
both in one sentence when the quote is single or angled, or a bracket. Compiled when first
used (by `re`, which keeps it): the first sentence is found after the first frame."""


CLOSING = "\u2019\u201d\u00bb)]"
"""Marks that only close a quote or bracket: never the start of a sentence."""
STRAIGHT_QUOTES = "'\""


def _closes(piece: str) -> bool:
    """Whether `piece` starts with the mark that closes the sentence before it: a closing
    quote or bracket, or a straight quote followed by a space or punctuation (an opening
    one is followed by a word)."""
    if piece[:1] in CLOSING:
        return True
    return piece[:1] in STRAIGHT_QUOTES and (len(piece) == 1 or piece[1].isspace() or piece[1] in ",.;:!?")


def split_sentences(paragraph: str) -> list[Span]:
    """Spans of the sentences of one paragraph, without surrounding white space."""
    pieces: list[Span] = []
    for start, end in _segmented(paragraph):
        if pieces and _closes(paragraph[start:end]):  # pysbd cut before the quote that ends it
            start = pieces.pop()[0]
        pieces.append((start, end))
    spans: list[Span] = []
    for start, end in pieces:
        for found in re.compile(CLOSED_SENTENCE).finditer(paragraph, start, end):
            cut = found.end()
            spans.append((start, cut))
            start = cut + len(paragraph[cut:end]) - len(paragraph[cut:end].lstrip())
        spans.append((start, end))
    return spans


def _segmented(paragraph: str) -> list[Span]:
    """pysbd's sentences of `paragraph`, as spans."""
    spans: list[Span] = []
    try:
        pieces = _segmenter().segment(paragraph)
    except Exception:  # pysbd is rule-based and has crashed on odd input before
        pieces = [paragraph]
    position = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = paragraph.find(piece, position)
        if found < 0:
            # pysbd changed the text; fall back to the rest of the paragraph as one sentence
            break
        spans.append((found, found + len(piece)))
        position = found + len(piece)
    rest = paragraph[position:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        spans.append((position + lead, position + len(rest.rstrip())))
    return spans


class SentenceIndex:
    """Sentence spans of one text, with moves to the next and previous sentence.

    `hidden` ranges (folded page furniture) are stepped over.
    """

    def __init__(self, text: str, hidden: tuple[Span, ...] = ()) -> None:
        self.text = text
        self.hidden = tuple(sorted(hidden))
        self._paragraphs: dict[int, list[Span]] = {}

    def _paragraph_bounds(self, offset: int) -> Span:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return start, len(self.text) if end < 0 else end

    def _cut(self, para_start: int, para_end: int, k: int) -> int:
        """Where block `k` of a long paragraph starts: after the first space past k×BLOCK."""
        if k <= 0:
            return para_start
        nominal = para_start + k * BLOCK
        if nominal >= para_end:
            return para_end
        space = self.text.find(" ", nominal, min(para_end, nominal + BLOCK // 4))
        return space + 1 if space >= 0 else nominal

    def _block_bounds(self, offset: int) -> Span:
        """The paragraph holding `offset`, or the block of it when it is long."""
        para_start, para_end = self._paragraph_bounds(offset)
        if para_end - para_start <= BLOCK:
            return para_start, para_end
        k = (offset - para_start) // BLOCK
        start, end = self._cut(para_start, para_end, k), self._cut(para_start, para_end, k + 1)
        if offset < start:
            return self._cut(para_start, para_end, k - 1), start
        return start, end

    def _sentences_of_block(self, start: int) -> list[Span]:
        cached = self._paragraphs.get(start)
        if cached is None:
            _, end = self._block_bounds(start)
            cached = [(start + a, start + b) for a, b in split_sentences(self.text[start:end])]
            self._paragraphs[start] = cached
        return cached

    def _is_hidden(self, span: Span) -> bool:
        index = bisect.bisect_right(self.hidden, (span[0], len(self.text) + 1)) - 1
        return index >= 0 and self.hidden[index][0] <= span[0] < self.hidden[index][1]

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding `offset`, or the next one after it."""
        offset = max(0, min(offset, len(self.text)))
        return self._first_from(offset)

    def first(self) -> Span | None:
        return self._first_from(0)

    def last(self) -> Span | None:
        return self.before(len(self.text) + 1)

    def after(self, span: Span) -> Span | None:
        """The first visible sentence that starts at or after `span`'s end."""
        return self._first_from(span[1], strictly_after=span[0])

    def before(self, start: int) -> Span | None:
        """The last visible sentence that starts before `start`."""
        position = min(start, len(self.text))
        while True:
            para_start, _ = self._block_bounds(position)
            for span in reversed(self._sentences_of_block(para_start)):
                if span[0] < start and not self._is_hidden(span):
                    return span
            if para_start == 0:
                return None
            position = para_start - 1

    def _first_from(self, offset: int, strictly_after: int = -1) -> Span | None:
        position = offset
        while position <= len(self.text):
            para_start, para_end = self._block_bounds(position)
            for span in self._sentences_of_block(para_start):
                if span[1] > offset and span[0] > strictly_after and not self._is_hidden(span):
                    return span
            position = para_end + 1
        return None
