"""Display safety: article text shown as data, never as terminal control. No UI.

Every code point maps to exactly one code point, so offsets into the canonical text are
offsets into the display text too. Control characters become visible placeholders; bidi
overrides and isolates become a visible mark; markup is never parsed because the UI only
ever builds plain text objects from this string.
"""

from __future__ import annotations

BIDI_MARK = "\u21c6"  # ⇆ in place of bidi overrides, embeddings, isolates and marks
C1_MARK = "\ufffd"  # � in place of C1 control characters
BIDI_CONTROLS = (
    [0x061C, 0x200E, 0x200F] + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))
)


def _table() -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟ (␛ for ESC)
    del table[0x0A]  # newlines separate paragraphs; panes and lists handle them
    table[0x09] = " "  # a tab is one space wide in a pane
    table[0x7F] = "\u2421"  # ␡
    table.update({code: C1_MARK for code in range(0x80, 0xA0)})
    table.update({code: BIDI_MARK for code in BIDI_CONTROLS})
    table.update({0x2028: "\u23ce", 0x2029: "\u23ce"})  # ⏎ for line and paragraph separators
    return table


_TABLE = _table()


def display_text(text: str) -> str:
    """`text` with every control character but `\\n` made visible, length unchanged."""
    return text.translate(_TABLE)


def display_line(text: str) -> str:
    """One line of untrusted text for a title, list entry or message: newlines as spaces."""
    return display_text(text.replace("\n", " "))
