"""The reference Textual app of the first-frame measure: one `Static` showing the line
given on the command line, and `q` to quit. It costs what any Textual app costs to start
(Python, importing Textual, the first render), and nothing of presscheck's own."""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS: ClassVar = [Binding("q", "quit", "Quit")]

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        yield Static(self.line, markup=False)


if __name__ == "__main__":
    MinimalApp(" ".join(sys.argv[1:]) or "minimal Textual app").run()
