"""The half-made pair's line: its wording fits every width without cutting the instruction."""

from __future__ import annotations

from rich.cells import cell_len

from reader.widgets.pending_mark import pending_text

QUOTE = "The president was speaking in a press conference in the Vietnamese capital Hanoi."


def test_the_instruction_is_whole_at_every_width_and_the_quote_gets_the_rest():
    for width in range(12, 200):
        text = pending_text("contradiction", QUOTE, "c", width).plain
        assert cell_len(text) <= width, (width, text)
        assert text.rstrip().endswith("Esc cancels") or text.rstrip().endswith("Esc"), (width, text)
        assert "c ·" in text or "c · Esc" in text, (width, text)
    wide = pending_text("contradiction", QUOTE, "c", 160).plain
    assert "first side “The president was speaking" in wide and "(in either pane) and press c" in wide
    assert "“The president" in pending_text("contradiction", QUOTE, "c", 80).plain
    assert pending_text("link", QUOTE, "l", 40).plain.strip() == "Link: other side, then l · Esc cancels"
    assert pending_text("contradiction", QUOTE, "c", 40).plain.strip() == "Other side, then c · Esc cancels"


def test_a_quote_from_a_file_is_shown_literally_on_one_line():
    text = pending_text("link", "[bold]Hi[/bold]\x1b[31m\nsecond line", "l", 160).plain
    assert "[bold]Hi[/bold]" in text and "\x1b" not in text and "\n" not in text
