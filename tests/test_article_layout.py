"""The lazy layout of an article: once every chunk is wrapped it is exactly the rows of
wrapping the whole text at once; before that, any row asked for is right; and the plain
fast path of `wrap` gives the same rows as measuring word by word."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.layout as layout_module
from reader.layout import ArticleLayout, Row, wrap


def eager_rows(text: str, hidden: tuple[tuple[int, int], ...], width: int) -> list[Row]:
    """The whole text wrapped in one go (the layout before it was made lazy)."""
    rows: list[Row] = []
    pending = list(hidden)
    position = 0
    while position <= len(text):
        if pending and position >= pending[0][0]:
            start, end = pending.pop(0)
            rows.append(Row(start, end, fold=True))
            position = end + 1
            continue
        newline = text.find("\n", position)
        end = len(text) if newline < 0 else newline
        rows.extend(Row(position + a, position + b) for a, b in wrap(text[position:end], width))
        if end > position and newline >= 0 and text[end + 1 : end + 2] not in ("\n", ""):
            rows.append(Row(end, end, spacer=True))
        position = end + 1
    return rows


def all_rows(layout: ArticleLayout) -> list[Row]:
    while not layout.complete:
        layout.wrap_next(0)
    return [layout.row(i) for i in range(layout.total)]


def article(rng: random.Random, paragraphs: int) -> str:
    words = ["the", "summit", "ended", "early,", "officials", "said.", "“Talks”", "—", "é",
             "中文", "x" * 40]
    return "\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(0, 60))) + rng.choice(["", "\n"])
        for _ in range(paragraphs)
    )


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(layout_module, "CHUNK", 3000)  # longer than any paragraph here


@pytest.mark.parametrize("seed", range(12))
def test_lazy_rows_equal_eager_rows(small_chunks, seed):
    rng = random.Random(seed)
    text = article(rng, rng.randint(1, 80))
    width = rng.randint(5, 90)
    hidden = ()
    lines = [m.start() for m in re.finditer(r"(?m)^", text)]
    if len(lines) > 4 and seed % 2:  # a folded range of whole lines, and a folded tail
        a, b = sorted(rng.sample(range(len(lines) - 1), 2))
        hidden = ((lines[a], lines[b] - 1), (lines[-2], len(text)))
    layout = ArticleLayout(text, hidden, width)
    assert all_rows(layout) == eager_rows(text, hidden, width)


def test_rows_asked_for_before_everything_is_wrapped_are_right(small_chunks):
    rng = random.Random(5)
    text = article(rng, 200)
    expected = eager_rows(text, (), 40)
    layout = ArticleLayout(text, (), 40)
    assert layout.unwrapped > 10
    for offset in rng.sample(range(len(text)), 30):
        # the same row as wrapping everything, whatever its index is estimated to be
        assert layout.row(layout.row_of(offset)) == expected[eager_rows_index(text, 40, offset)]
    layout.prepare(0, 30)
    assert [layout.row(i) for i in range(30)] == expected[:30]


def test_opening_wraps_only_what_is_shown(monkeypatch):
    text = ("A sentence of the article, long enough to wrap. " * 30 + "\n\n") * 3000  # ~4.5 MB
    layout = ArticleLayout(text, (), 100)
    layout.prepare(0, 50)
    assert layout.unwrapped == len(layout._rows) - 1
    layout.row_of(len(text) - 5)  # End: the last chunk, and nothing between
    assert layout.unwrapped == len(layout._rows) - 2


def test_opening_counts_the_paragraphs_of_a_sample_of_each_chunk():
    """A chunk's rows are estimated from the start of it until it is wrapped: the newlines
    of a 5 MB text are not all counted before its first frame."""
    counted: list[int] = []

    class Text(str):
        def count(self, sub, start=0, end=None):  # type: ignore[override]
            counted.append((len(self) if end is None else end) - start)
            return str.count(self, sub, start, end)

    text = Text(("A sentence of the article, long enough to wrap. " * 30 + "\n\n") * 3000)  # ~4.5 MB
    layout = ArticleLayout(text, (), 100)
    assert sum(counted) <= len(text) // 4
    estimated = layout.total
    while not layout.complete:
        layout.wrap_next(0)
    assert 0.5 < estimated / layout.total < 2  # an estimate of the same size


def test_background_wrapping_reports_how_far_the_top_row_moved(small_chunks):
    text = article(random.Random(9), 300)
    layout = ArticleLayout(text, (), 30)
    top_offset = len(text) // 2
    top = layout.row_of(top_offset)
    while not layout.complete:
        top += layout.wrap_next(top)
        assert layout.row(top).start <= top_offset <= layout.row(top).end or layout.row(top).spacer
    assert top == eager_rows_index(text, 30, top_offset)


def eager_rows_index(text: str, width: int, offset: int) -> int:
    rows = eager_rows(text, (), width)
    return max(i for i, row in enumerate(rows) if row.start <= offset)


def test_a_paragraph_longer_than_a_chunk_is_cut_at_spaces_and_covered_whole(monkeypatch):
    monkeypatch.setattr(layout_module, "CHUNK", 500)
    text = " ".join(random.Random(2).choice(["summit", "talks", "ended"]) for _ in range(2000))
    layout = ArticleLayout(text, (), 37)
    rows = all_rows(layout)
    assert rows[0].start == 0 and rows[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(rows, rows[1:]))
    assert all(len(text[r.start : r.end].rstrip()) <= 37 for r in rows)
    assert all(text[r.start] != " " for r in rows)  # cuts fall between words


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(["a", "b", " ", "  ", "x" * 12, "—", "“é”"]), max_size=40).map("".join),
    width=st.integers(1, 20),
)
def test_the_plain_fast_path_wraps_like_measuring_every_word(text, width):
    plain = wrap(text, width)
    saved = layout_module._NOT_PLAIN
    layout_module._NOT_PLAIN = re.compile(r"[\s\S]")  # force the word-by-word path
    try:
        measured = wrap(text, width)
    finally:
        layout_module._NOT_PLAIN = saved
    assert plain == measured


def test_rows_are_measured_as_the_text_is_drawn_control_characters_included():
    # The layout is given the canonical text and measures each paragraph in its display
    # form: an escape or a NUL is drawn as one visible cell (␛, ␀), not zero cells wide,
    # so wrapping the raw text would give rows wider than the pane.
    from reader.ingest.sanitize import display_text

    text = ("\x1b[31m réd \x00\x00\x00\x00 tab\there " * 12 + "\n") * 3 + "\u202eevil\u202c end"
    layout = ArticleLayout(text, (), 23)
    assert all_rows(layout) == eager_rows(display_text(text), (), 23)
    assert all_rows(layout) != eager_rows(text, (), 23)
