"""What a live lesson's sessions watch for (`presscheck serve LESSON --class`): the
teacher's view for the students' saves, a student's session for the end of the lesson.
A mixin of the app, polled (`app.WATCH_CLASS_SECONDS`, `WATCH_END_SECONDS`); the work is in
`reader.classroom.live_lesson` and `class_view.live_class_view`."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

REFRESH_SECONDS = 0.5
"""The teacher's view re-scores the class at most this often (30 students: ~90 ms of CPU)."""

if TYPE_CHECKING:
    from textual.app import App

    from reader.launch import Session
    from reader.save_queue import SaveQueue
    from reader.screens.reading import ReadingScreen
    from reader.workspace import Workspace

    _AppBase = App[None]
else:
    _AppBase = object


class LiveLessonWatch(_AppBase):
    if TYPE_CHECKING:  # what the app provides
        session: Session
        saves: SaveQueue
        workspace: Workspace

        @property
        def reading_screen(self) -> ReadingScreen | None: ...

        async def _save(self) -> None: ...

    _watching = False
    _lesson_over = False
    _next_refresh = 0.0

    def on_unmount(self) -> None:
        """The session ends: its seat is free for the student's next tab (a process that
        ends frees it too; this is for apps run in a test's process)."""
        session = getattr(self, "session", None)
        if session is not None and session.seat is not None:
            session.seat.release()

    async def _check_lesson(self) -> None:
        session = self.session
        if session.lesson is None or self._watching or self._lesson_over:
            return
        self._watching = True  # one look at a time: a slow disk never piles them up
        try:
            if session.read_only:
                await self._refresh_class_view()
            elif await asyncio.to_thread(lambda: session.lesson is not None and session.lesson.ended):
                await self._lesson_ended()
        finally:
            self._watching = False

    async def _refresh_class_view(self) -> None:
        """Re-score the class when a live copy (or the key) changed since the last look;
        at most once every REFRESH_SECONDS: thirty students saving at once cost the
        server's cores (which their sessions share) one re-scoring, not thirty."""
        live = self.session.live_class
        if live is None or time.monotonic() < self._next_refresh:
            return
        try:
            view = await asyncio.to_thread(live.view_if_changed)
        except Exception as error:  # noqa: BLE001 - the view stays as it was; said once
            self.notify(f"The class view could not be updated: {error}", severity="warning", markup=False)
            return
        if view is None:
            return
        self._next_refresh = time.monotonic() + REFRESH_SECONDS
        screen = self.reading_screen
        if screen is not None:
            screen.show_class(view)

    async def _lesson_ended(self) -> None:
        """The teacher ended the lesson: hand in what this student has (the teacher's end
        already handed in what was saved; this adds anything saved since), then say so."""
        from reader.screens.live_lesson_dialogs import LessonEndedScreen

        self._lesson_over = True
        session = self.session
        await self._save()
        try:
            assert session.hand_in_folder is not None
            path, count = await asyncio.to_thread(self.workspace.hand_in, session.hand_in_folder)
        except Exception as error:  # noqa: BLE001 - the teacher's copy from the database stands
            message = (f"Your work is saved on the server, and your teacher has it. (Handing in again "
                       f"failed: {error}.)")
        else:
            message = (f"Your {count} annotation(s) are handed in to your teacher as {path.name}. "
                       "Nothing more can be changed here; you can close this tab.")
        self.push_screen(LessonEndedScreen(message))

