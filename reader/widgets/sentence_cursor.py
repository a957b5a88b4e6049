"""The reading pane's cursor: a sentence of the article, or a span chosen exactly, and the
sentence a Shift extension started from. No Textual."""

from __future__ import annotations

from reader.layout import ArticleLayout
from reader.sentences import SentenceIndex, Span


class SentenceCursor:
    """Where the cursor is in one article's text, and where a move takes it."""

    def __init__(self, text: str, hidden: tuple[Span, ...] = ()) -> None:
        self.sentences = SentenceIndex(text, hidden)
        """The sentences the cursor moves over (folded furniture left out)."""
        self._at: Span | None = None
        self._due = True
        """The first sentence is found on first use, not when the pane is made (it takes
        pysbd's import and first run, ~15 ms)."""
        self._fixed_end: Span | None = None
        """The sentence a Shift extension started from: the selection's end that stays."""

    @property
    def placed(self) -> bool:
        """False until the first sentence is found or the cursor moved."""
        return not self._due

    @property
    def at(self) -> Span | None:
        """The span under the cursor (the first sentence until it moves); None in a text
        without sentences."""
        if self._due:
            self._due = False
            self._at = self.sentences.first()
        return self._at

    @property
    def selection(self) -> Span | None:
        """The selected span: the cursor, extended to the sentence it started from."""
        at = self.at
        if at is None or self._fixed_end is None:
            return at
        return (min(at[0], self._fixed_end[0]), max(at[1], self._fixed_end[1]))

    def move_to(self, span: Span, *, extend: bool = False) -> None:
        """Put the cursor on `span`; with `extend`, the selection keeps its other end."""
        self._fixed_end = (self._fixed_end or self.at) if extend else None
        self._due = False
        self._at = span

    def collapse(self) -> None:
        """Make an extended selection the sentence under the cursor again."""
        self._fixed_end = None
        at = self.at
        if at is not None:
            self._at = self.sentences.sentence_at(at[0]) or at

    def refold(self, text: str, hidden: tuple[Span, ...]) -> None:
        """Furniture was shown or folded: the sentences to move over are others."""
        self.sentences = SentenceIndex(text, hidden)

    # where a move goes ---------------------------------------------------------------

    def next(self) -> Span | None:
        at = self.at
        return None if at is None else self.sentences.after(at)

    def previous(self) -> Span | None:
        at = self.at
        return None if at is None else self.sentences.before(at[0])

    def find_around(self, layout: ArticleLayout, page: int) -> None:
        """Find the sentences the next keys go to (the next one, the previous one, and those
        `page` rows down and up), so that the next key does not wait for the segmenter (a
        new paragraph took it several milliseconds)."""
        at = self.at
        if at is None:
            return
        self.sentences.after(at)
        self.sentences.before(at[0])
        row = layout.row_of(at[0])
        for target in (row + page, row - page):
            if 0 <= target < layout.total:
                self.sentences.sentence_at(layout.row(target).start)
