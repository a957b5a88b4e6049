"""Textual's option lists, with Page Up / Page Down that never raise.

Textual's `OptionList` (and `SelectionList`, built on it) builds its line index only when
it renders with room; Page Up / Page Down read that index, and raised KeyError when a key
came before the list had rendered its options (a list with no height in a terminal a dozen
rows high, or keys typed faster than the screen was drawn: the monkey test found both).
Every list of the app pages through `SafePaging` (the library's `SelectionList` too).
"""

from __future__ import annotations

from textual.widgets import OptionList


class SafePaging:
    """Page Up / Page Down do nothing while the list has no line index for its highlight."""

    def _can_page(self) -> bool:
        if not self.scrollable_content_region.height:  # type: ignore[attr-defined]
            return False
        highlighted = self.highlighted  # type: ignore[attr-defined]
        return highlighted is None or highlighted in self._index_to_line  # type: ignore[attr-defined]

    def action_page_down(self) -> None:
        if self._can_page():
            super().action_page_down()  # type: ignore[misc]

    def action_page_up(self) -> None:
        if self._can_page():
            super().action_page_up()  # type: ignore[misc]


class ChoiceList(SafePaging, OptionList):
    """An `OptionList` whose paging keys are safe before it is drawn."""
