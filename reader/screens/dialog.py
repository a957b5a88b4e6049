"""The base of every presscheck dialog: a modal screen that can be dismissed only once."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose second dismiss is ignored.

    Textual's `dismiss` pops whatever screen is on top, so two quick Enter presses (the
    second arriving before the first one's pop) would close the reading screen under the
    dialog too. Found by the monkey test.
    """

    _dismissed = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)
