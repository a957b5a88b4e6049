"""A student's first screen in a live lesson (`presscheck serve LESSON --class`): their
name, which chooses their seat; then the reading screen over their own work.

It is light on purpose (a title and one input): when a whole class opens the link in the
same second, this is what thirty sessions draw at once. The articles are laid out after
the name, while the student is already reading the instructions.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Input, Label

from reader.classroom.live_lesson import LiveLesson, SeatTaken, clean_name
from reader.errors import UserError
from reader.ingest.sanitize import display_line

MAX_NAME = 60
"""Characters a name may have: it goes on every annotation and into file names."""


class NameInput(Input):
    """An Input whose typing repaints its line and nothing else. Textual's Input sets its
    virtual size on every change, and a virtual size change lays out the whole screen:
    about a quarter of what a key cost here, thirty times over when a class types at once.
    Its own horizontal scrolling reads the virtual size directly and needs no layout."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=True)


class SignInScreen(Screen[None]):
    """Type your name, Enter: your seat opens (a new one, or yours from before)."""

    def __init__(self, lesson: LiveLesson) -> None:
        super().__init__()
        self.lesson = lesson
        self._opening = False

    def compose(self) -> ComposeResult:
        # the input comes second: at 40×12 what does not fit is the explanation below it
        with Vertical(id="sign-in", classes="dialog"):
            yield Label("Who is annotating?", classes="dialog-title")
            yield NameInput(placeholder="Your name", id="author", max_length=MAX_NAME)
            yield Label("", id="sign-in-problem", classes="dialog-body -empty")
            yield Label("Enter start", classes="dialog-hint")
            yield Label(
                "Type your own name. Your work is kept under it on this server: come back "
                "with the same name to carry on.",
                classes="dialog-body", id="sign-in-why",
            )
            yield Label(Text(display_line(self.lesson.pack.title)), classes="dialog-hint", id="sign-in-lesson")

    def on_mount(self) -> None:
        name = self.query_one(Input)
        # a steady cursor: thirty blinking ones redrew sixty times a second, a quarter of a
        # core of the server's two while a class sat at this screen
        name.cursor_blink = False
        name.focus()

    def _problem(self, message: str) -> None:
        problem = self.query_one("#sign-in-problem", Label)
        problem.update(Text(display_line(message)))
        problem.set_class(not message, "-empty")

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        if self._opening:
            return
        name = clean_name(event.value)
        if not name:
            self._problem("A name is needed: type your own.")
            return
        if self.lesson.ended:
            self._problem("This lesson has ended: your teacher has everyone's work.")
            return
        self._opening = True
        self._problem("Opening your work…")
        seat = self.lesson.seat(name)
        try:
            seat.take()
            from reader.launch import seat_session

            session = await asyncio.to_thread(seat_session, self.lesson, seat, name)
        except SeatTaken as taken:
            self._opening = False
            self._problem(f"{name}: {taken}")
            return
        except (UserError, OSError) as error:
            seat.release()
            self._opening = False
            self._problem(f"Your work could not be opened: {error}. Ask your teacher.")
            return
        self.app.begin(session)  # type: ignore[attr-defined]
