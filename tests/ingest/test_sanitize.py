"""display_text / display_line: article text shown as data, never as terminal control."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest.sanitize import display_line, display_text

# Every bidi formatting character of UAX #9: ALM, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI,
# RLI, FSI, PDI.
BIDI = ["\u061c", "\u200e", "\u200f"] + [chr(c) for c in range(0x202A, 0x202F)] + [
    chr(c) for c in range(0x2066, 0x206A)
]
C0 = [chr(c) for c in range(0x20)] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]


def _unsafe(text: str, *, newline_ok: bool) -> list[str]:
    """Characters of `text` a terminal would act on rather than show."""
    return [
        c
        for c in text
        if (unicodedata.category(c) == "Cc" and not (newline_ok and c == "\n"))
        or c in BIDI
        or c in ("\u2028", "\u2029")
    ]


@pytest.mark.parametrize("function", [display_text, display_line])
def test_escape_sequence_is_neutralised(function):
    attack = "before \x1b[2J\x1b]0;pwned\x07\x1b[31mred after"
    shown = function(attack)
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown == attack.replace("\x1b", "\u241b").replace("\x07", "\u2407")
    assert "[2J" in shown  # the rest of the sequence is shown as text


@pytest.mark.parametrize("function", [display_text, display_line])
def test_c1_csi_is_neutralised(function):
    shown = function("a\x9b31mb")
    assert "\x9b" not in shown
    assert shown == "a\ufffd31mb"


@pytest.mark.parametrize("function", [display_text, display_line])
@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u202d", "\u200f"])
def test_bidi_override_and_isolate_become_visible(function, control: str):
    shown = function(f"abc{control}def")
    assert control not in shown
    assert len(shown) == 7
    assert shown[:3] == "abc" and shown[4:] == "def"
    assert shown[3] == "\u21c6"


@pytest.mark.parametrize("function", [display_text, display_line])
def test_every_c0_c1_and_bidi_control_is_replaced(function):
    controls = "".join(c for c in C0 + C1 + BIDI + ["\u2028", "\u2029"] if c != "\n")
    shown = function(controls)
    assert len(shown) == len(controls)
    assert _unsafe(shown, newline_ok=False) == []
    for original, replacement in zip(controls, shown):
        assert original != replacement


def test_tab_is_one_space():
    assert display_text("a\tb") == "a b"


def test_carriage_return_cannot_overwrite_the_line():
    assert "\r" not in display_text("safe\rEVIL")
    assert display_text("safe\rEVIL") == "safe\u240dEVIL"


def test_newline_survives_display_text():
    assert display_text("one\ntwo\n\nthree") == "one\ntwo\n\nthree"


def test_newline_does_not_survive_display_line():
    shown = display_line("one\ntwo\n")
    assert "\n" not in shown
    assert shown == "one two "


@pytest.mark.parametrize("function", [display_text, display_line])
@pytest.mark.parametrize(
    "markup",
    [
        "[bold]x[/bold]",
        "[@click=app.quit]quit[/]",
        "[@click=app.quit]",
        "[link=https://example.com]x[/link]",
        "[red on blue]",
        "\\[escaped]",
        ":smile: :warning:",
    ],
)
def test_markup_is_unchanged(function, markup: str):
    assert function(markup) == markup


@pytest.mark.parametrize("function", [display_text, display_line])
def test_ordinary_text_is_unchanged(function):
    text = "Café – “quoted” 東京 عربي עברית 🙂 e\u0301 \u00a0nbsp \u200b zwsp \u200d zwj"
    assert function(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_length_preserved_any_string(text: str):
    assert len(display_text(text)) == len(text)
    assert len(display_line(text)) == len(text)


_hostile = st.text(
    alphabet=st.sampled_from(C0 + C1 + BIDI + ["\u2028", "\u2029", "a", " ", "[", "]", "é"]),
    max_size=60,
) | st.text(max_size=60)


@settings(max_examples=300, deadline=None)
@given(_hostile)
def test_no_control_survives(text: str):
    shown_text = display_text(text)
    shown_line = display_line(text)
    assert _unsafe(shown_text, newline_ok=True) == []
    assert _unsafe(shown_line, newline_ok=False) == []
    assert shown_text.count("\n") == text.count("\n")
    assert "\n" not in shown_line


@settings(max_examples=200, deadline=None)
@given(_hostile)
def test_offsets_map_one_to_one(text: str):
    # every code point maps to one code point: safe characters stay where they were
    shown = display_text(text)
    for original, displayed in zip(text, shown):
        if not _unsafe(original, newline_ok=True) and original != "\t":
            assert displayed == original
