"""A pane row is drawn without making a Rich `Text` for it, and comes out as Rich would have
drawn it: the same segments, styles put together in the same order, over the same base,
whatever lies over the row (highlights nested and overlapping, the emphasised one, the
selection, the find's matches, the class's heat, furniture), with a style of the theme
that is empty, and with the styles put together kept from row to row."""

from __future__ import annotations

import random

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from reader.layout import ArticleLayout
from reader.widgets.highlight_index import Highlight
from reader.widgets.highlight_index import HighlightIndex
from reader.widgets.pane_rows import GUTTER, KIND_MARKS, RowOverlay, StyleMixes, draw_row

WORDS = "the bridge reopens in May said officials after inspectors found cracked cables".split()
NAMES = ["claim", "contradiction", "link", "note", "related", "cursor", "cursor-blurred", "gutter", "furniture",
         "fold", "match", "match-current", "heat-1", "heat-2", "heat-3", "heat-4"]


def as_rich_draws_it(row, text, furniture, overlay: RowOverlay, style, base: Style, console: Console) -> Strip:
    """The row as a Rich `Text` stylized layer by layer and rendered over `base`: how the
    pane drew its rows before (a row without layers is drawn plainly by both)."""
    shown = Text(text[row.start : row.end], end="")
    if any(start <= row.start < end for start, end in furniture):
        shown.stylize(style("furniture"))
    marks: list[str] = []
    for highlight in overlay.highlights:
        highlight_style = style(highlight.kind)
        if highlight.annotation_id in overlay.related:
            highlight_style += style("related")
        shown.stylize(highlight_style, max(0, highlight.start - row.start), min(row.end, highlight.end) - row.start)
        if KIND_MARKS[highlight.kind] not in marks:
            marks.append(KIND_MARKS[highlight.kind])
    most = 0
    for start, end, count in overlay.heat:
        level = min(4, 1 + (4 * count - 1) // overlay.heat_top)
        shown.stylize(style(f"heat-{level}"), max(0, start - row.start), min(row.end, end) - row.start)
        most = max(most, count)
    selection = overlay.selection
    if selection and selection[0] < max(row.end, row.start + 1) and selection[1] > row.start:
        name = "cursor" if overlay.focused else "cursor-blurred"
        shown.stylize(style(name), max(0, selection[0] - row.start), min(row.end, selection[1]) - row.start)
    matches, current = overlay.found
    drawn = [(span, "match") for span in matches if span != current] + ([(current, "match-current")] if current else [])
    for (start, end), name in drawn:
        shown.stylize(style(name), max(0, start - row.start), min(row.end, end) - row.start)
    marks.sort(key=lambda mark: list(KIND_MARKS.values()).index(mark))
    if overlay.class_view:
        marks = [f"{min(most, 99):>2}" if most else ""]
    gutter_text = "".join(marks)[:GUTTER].ljust(GUTTER)
    if not shown.spans:
        return Strip([Segment(gutter_text, base + style("gutter")), Segment(shown.plain, base)])
    gutter = Text(gutter_text, style=style("gutter"), end="")
    return Strip(list(Segment.apply_style(list(gutter.render(console)) + list(shown.render(console)), base)))


def random_text(rng: random.Random) -> str:
    paragraphs = [" ".join(rng.choices(WORDS, k=rng.randint(5, 60))).capitalize() + "." for _ in range(rng.randint(2, 8))]
    return "\n\n".join(paragraphs)


def random_highlights(rng: random.Random, text: str) -> list[Highlight]:
    found = []
    for number in range(rng.choice([0, 1, 5, 30, 120])):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice([1, 4, 20, 90, 300]))
        found.append(Highlight(start, end, rng.choice(["claim", "contradiction", "link", "note"]), f"a{number % 40}"))
    return found


def test_a_row_comes_out_as_rich_draws_it_whatever_lies_over_it():
    console = Console()
    for seed in range(60):
        rng = random.Random(seed)
        text = random_text(rng)
        highlights = HighlightIndex(random_highlights(rng, text))
        names = {name: Style(bgcolor=f"#{rng.randrange(1 << 24):06x}", bold=rng.random() < 0.5,
                             italic=rng.random() < 0.3, underline=rng.random() < 0.3) for name in NAMES}
        for empty in rng.sample(NAMES, rng.choice([0, 0, 3])):  # a theme may leave a class without a style
            names[empty] = Style.null()
        base = rng.choice([Style(color="#cccccc", bgcolor="#202020"), Style.null()])
        layout = ArticleLayout(text, (), rng.choice([12, 40, 75]))
        layout.prepare(0, 10_000)
        related = frozenset(h.annotation_id for h in rng.sample(list(highlights), min(2, len(highlights))))
        mixes = StyleMixes()  # kept from row to row, as the pane keeps it
        for index in range(layout.total):
            row = layout.row(index)
            end = max(row.end, row.start + 1)
            overlay = RowOverlay(
                highlights=highlights.overlapping(row.start, end),
                related=related,
                class_view=rng.random() < 0.2,
                heat=[(row.start + 2, row.start + 9, rng.randint(1, 3))] if rng.random() < 0.3 else [],
                heat_top=3,
                selection=rng.choice([None, (row.start + 3, row.end + 40), (row.start - 30, row.start + 7)]),
                focused=rng.random() < 0.5,
                found=rng.choice([((), None), (((row.start, row.start + 3), (row.start + 5, row.start + 8)),
                                               (row.start + 5, row.start + 8))]),
            )
            furniture = ((row.start, row.end + 1),) if rng.random() < 0.1 else ()
            expected = as_rich_draws_it(row, text, furniture, overlay, names.__getitem__, base, console)
            got = draw_row(row, text, furniture, overlay, names.__getitem__, base, console, mixes)
            assert list(got) == list(expected), (seed, index)
            assert [s.style is None for s in got] == [s.style is None for s in expected]
            assert got.cell_length == expected.cell_length


def test_the_styles_of_a_rows_layers_are_put_together_once_for_all_rows():
    """Twenty claims over a row come to one mix (a style added again overrides what it set
    before): the second row like it finds it made."""
    text = "Officials said the bridge reopens in May. " * 4
    claims = [Highlight(start, start + 60, "claim", f"c{start}") for start in range(10, 50, 2)]
    layout = ArticleLayout(text, (), 80)
    layout.prepare(0, 100)
    row = layout.row(0)
    styles = {"claim": Style(bgcolor="#ff0000"), "gutter": Style(bold=True)}
    mixes = StyleMixes()
    overlay = RowOverlay(highlights=claims, related=frozenset(), class_view=False, heat=[], heat_top=1,
                         selection=None, focused=False)
    first = draw_row(row, text, (), overlay, styles.__getitem__, Style(color="#cccccc"), Console(), mixes)
    assert len(mixes._mixed) == 2  # the text under no claim, and under one or more claims
    again = draw_row(row, text, (), overlay, styles.__getitem__, Style(color="#cccccc"), Console(), mixes)
    assert list(again) == list(first) and len(mixes._mixed) == 2
