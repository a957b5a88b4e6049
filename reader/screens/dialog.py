"""The base of every presscheck dialog: a modal screen that can be dismissed only once."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


SHORT_ROWS = 30
"""Below this many rows (80×24 among them) a dialog is `-short`: it drops its spacing, cuts
its quotes to two lines and gives its choices the rest, so that its choices, its note and
its keys stay on screen (styles/dialogs.tcss)."""


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose second dismiss is ignored, and `-short` in a short terminal.

    Textual's `dismiss` pops whatever screen is on top, so two quick Enter presses (the
    second arriving before the first one's pop) would close the reading screen under the
    dialog too. Found by the monkey test.
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_ROWS, "-tall")]

    _dismissed = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)
