"""The presscheck Textual app: wiring only; the work is done by the domain modules."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer

from reader.accessibility import MONO_THEME_NAME, Accessible
from reader.css_cache import CachedStylesheet
from reader.gc_policy import IdleCollections, settle_after_start_up
from reader.ingest.sanitize import display_line, display_text
from reader.launch import Session
from reader.preferences import Preferences
from reader.live_lesson_watch import LiveLessonWatch
from reader.resources import resource_folder
from reader.save_queue import SaveQueue
from reader.screens.reading import ReadingScreen
from reader.widgets.worker_failures import ReportsWorkerFailures
from reader.workspace import Workspace

if TYPE_CHECKING:
    from textual.command import Provider

    from reader.classroom.live_lesson import LiveLesson

RETRY_SECONDS = 5.0
"""How often a failed save is tried again."""
WATCH_SECONDS = 2.0
"""How often the database file is checked for changes by another presscheck."""
IDLE_CHECK_SECONDS = 1.0
"""How often the app looks whether a full cycle collection is due while idle."""
WATCH_CLASS_SECONDS = 0.25
"""How often the teacher's live view looks at the students' live copies (a stat of each):
a save shows within a second, re-scoring included (at most once every REFRESH_SECONDS)."""
WATCH_END_SECONDS = 1.0
"""How often a student's session looks whether the lesson has ended."""
STYLES = resource_folder("styles")
LATER_STYLES = (STYLES / "plain_marks.tcss", STYLES / "dialogs.tcss")
"""Read just after the first frame (the reading screen's are `CSS_PATH`): the highlight
styles and the view without colour, and everything drawn later. Parsing them before it cost
about 8 ms of a 170 ms start."""
FRAME_SWITCH_INTERVAL = 0.001
"""Seconds the event loop's thread keeps Python's lock while Textual's writer thread waits to
send a frame to the terminal. With Python's 5 ms the first frame reached the terminal ~5 ms
later (measured in tmux), as the work queued behind it (the widgets mounted after it, the
later stylesheets) went on first; any frame can wait so behind the work that follows it."""


def presscheck_commands() -> type[Provider]:
    """The palette's presscheck commands, imported when the palette first opens."""
    from reader.commands import PresscheckCommands

    return PresscheckCommands


class PresscheckApp(LiveLessonWatch, ReportsWorkerFailures, Accessible, App[None]):
    """Close reading of the news: articles side by side, annotated and saved at once."""

    CSS_PATH = STYLES / "app.tcss"
    TITLE = "presscheck"
    COMMANDS = App.COMMANDS | {presscheck_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit (waits for saves to finish)"),
    ]

    save_state: var[str] = var("saved")
    """`saved`, `saving`, or the reason the last save failed."""

    def __init__(self, session: Session | None = None, *, lesson: LiveLesson | None = None,
                 preferences: Preferences | None = None) -> None:
        """The app over `session`; or, for a student of a live lesson (`lesson`, no session
        yet), a sign-in screen first, whose name opens the student's own session.
        `preferences`: the settings file's, as the command line read and checked them (the
        app never reads the file itself); None, the defaults."""
        super().__init__()
        # parsed rules from the last run (`css_cache`), before a theme sets its variables
        self.stylesheet = CachedStylesheet(variables=self.stylesheet._variables)
        sys.setswitchinterval(min(sys.getswitchinterval(), FRAME_SWITCH_INTERVAL))
        self.preferences = preferences or Preferences()
        self._signing_in = lesson
        self._later_styles_read = False
        self._apply_preferences()
        self._save_lock = asyncio.Lock()
        self._retry_timer: Timer | None = None
        self._collections = IdleCollections()
        if session is not None:
            self._take(session)

    def _apply_preferences(self) -> None:
        """Keymap, theme and highlight style, set before the first frame (a class or a theme
        changed later restyles every widget), and the stylesheets the first frame needs."""
        preferences = self.preferences
        if preferences.keymap:
            self.set_keymap(preferences.keymap)
        if preferences.theme:
            self.use_theme(preferences.theme)
        if preferences.highlight != "default":
            self.add_class(f"-highlight-{preferences.highlight}")  # styles/plain_marks.tcss
        plain_marks, dialogs = LATER_STYLES
        if preferences.highlight != "default" or preferences.theme == MONO_THEME_NAME or self.no_color:
            self.css_path.append(plain_marks)  # the first frame's marks are text styles
        if self._signing_in is not None:
            self.css_path.append(dialogs)  # the sign-in screen is drawn as a dialog

    def load_later_styles(self) -> None:
        """Read the stylesheets the first frame did not need (`LATER_STYLES`), once: just
        after it, or as a screen is pushed ahead of it. Only their own rules are parsed
        (Textual keeps the others'), and no widget on screen is restyled: their rules are
        for widgets not mounted yet, or (plain_marks.tcss) for a view not in force."""
        if self._later_styles_read:
            return
        self._later_styles_read = True
        stylesheet = self.stylesheet
        for path in LATER_STYLES:
            if not stylesheet.has_source(os.path.abspath(path)):
                stylesheet.read(path)
        stylesheet.parse()
        if isinstance(stylesheet, CachedStylesheet):
            stylesheet.save_parsed()  # for the next run's first frame: written only when it parsed any

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Every screen but the reading screen is drawn with the later stylesheets."""
        self.load_later_styles()
        return super().push_screen(*args, **kwargs)

    @property
    def screen_reader(self) -> bool:
        """The screen-reader mode: `--screen-reader`, or `screen_reader = true` in the file."""
        return self.preferences.screen_reader

    def get_key_display(self, binding: Binding) -> str:
        """Textual's key display, function keys capitalized as on the keyboard (`f2` → `F2`)."""
        display = super().get_key_display(binding)
        head, _f, number = display.rpartition("f")
        if not binding.key_display and number.isdigit() and head[-1:] in ("", "+", "^"):
            return f"{head}F{number}"
        return display

    def _take(self, session: Session) -> None:
        self.session = session
        self.saves = SaveQueue(session.store, on_add=self._save_soon)
        self.saves.follow_up = session.follow_up  # key mode: the key file; a seat: its live copy
        self.workspace = Workspace(session, self.saves)
        """Everything the screens show and change; they get it, not the app."""

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        if self._signing_in is not None:
            self.sub_title = display_line(self._signing_in.pack.title)
            return
        self._started()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collections.input_seen()
        await super().on_event(event)

    def _after_first_frame(self) -> None:
        self.load_later_styles()
        settle_after_start_up()  # a full collection was a 50-70 ms hitch
        self._collections.hold()  # full collections only while the reader is idle
        self.set_interval(IDLE_CHECK_SECONDS, self._collections.tick, name="collect-when-idle")
        if self._signing_in is None:
            self._show_furniture()
            self._save_unsaved()

    def _show_furniture(self) -> None:
        """The page furniture of the articles read anew, which the first frame was drawn
        without (`Session.furniture_later`): found now, folded in their panes, and saved
        with them (`_save_unsaved`)."""
        later = self.session.furniture_later
        if later is None:
            return
        for article in self.workspace.take_furniture(later.furnished):
            for screen in self.screen_stack:
                if isinstance(screen, ReadingScreen):
                    screen.take_furniture(article)

    def _save_unsaved(self) -> None:
        """Queue the writes the session left for after the first frame (the articles read
        anew, the files' stamps, the name to remember): saved in the background, in order,
        before any other."""
        writes, self.session.unsaved = self.session.unsaved, []
        for write in writes:
            self.saves.add(write)

    def begin(self, session: Session) -> None:
        """A student has signed in: their session takes the sign-in screen's place."""
        self._take(session)
        self._signing_in = None
        self.switch_screen(self._reading_screen())
        self._started()

    def _started(self) -> None:
        session = self.session
        title = display_line(session.pack.title) if session.pack else "presscheck"
        if session.key_mode is not None:
            title = f"answer key · {title}"
        elif session.read_only:
            title = f"{'live ' if session.lesson else ''}class view · {title}"
        self.sub_title = title
        self.set_interval(WATCH_SECONDS, self._check_external_change, name="watch-db")
        if session.lesson is not None:
            every = WATCH_CLASS_SECONDS if session.read_only else WATCH_END_SECONDS
            self.set_interval(every, self._check_lesson, name="watch-lesson")

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information",
        timeout: float | None = None, markup: bool = True,
    ) -> None:
        """Every toast, from any screen or widget, shows control characters as visible marks:
        messages quote file names, errors and authors that came from someone else's file."""
        super().notify(display_text(message), title=display_text(title), severity=severity,
                       timeout=timeout, markup=markup)

    def get_default_screen(self) -> Screen[None]:
        """The first screen is the reading screen itself (or a student's sign-in), rather
        than one pushed over Textual's default screen: that empty screen was composed,
        styled and drawn first (~15 ms before the first frame)."""
        if self._signing_in is not None:
            from reader.screens.sign_in import SignInScreen

            screen: Screen[None] = SignInScreen(self._signing_in)
        else:
            screen = self._reading_screen()
        # What push_screen gives every screen it pushes, and switch_screen takes back from
        # the screen it replaces: without it opening other articles, a switch, fails
        # (IndexError; Textual issue #2650). A mode's base screen has the same problem,
        # and a mode made at start-up is also drawn once for nothing (~120 ms).
        screen._push_result_callback(self, None)
        return screen

    def _reading_screen(self) -> ReadingScreen:
        return ReadingScreen(self.workspace)

    @property
    def reading_screen(self) -> ReadingScreen | None:
        """The reading screen under any dialogs (tests look at it)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReadingScreen):
                return screen
        return None

    # saving: the queue is the workspace's; the app runs it in workers --------------------

    def _save_soon(self) -> None:
        """A write was queued: run the queue off the event loop. Runs go one at a time, in
        order; a failed write stays queued (the change stays shown) and is tried again every
        RETRY_SECONDS and before any later write."""
        self.save_state = self.saves.state
        self.run_worker(self._save(), group="save", exit_on_error=False)

    async def _save(self) -> None:
        async with self._save_lock:
            if self.saves.unsaved_count:
                await asyncio.to_thread(self.saves.run)
        self._show_save_state()

    def _show_save_state(self) -> None:
        failing = self.save_state not in ("saved", "saving")
        self.save_state = self.saves.state
        if self.saves.failure:
            if not failing:
                self.notify(f"{self.saves.failure} (retrying every {RETRY_SECONDS:g} s)", severity="error",
                            timeout=10, markup=False)
            if self._retry_timer is None:
                self._retry_timer = self.set_interval(RETRY_SECONDS, self._retry, name="retry-save")
        elif not self.saves.unsaved_count and self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None

    def _retry(self) -> None:
        if not self._save_lock.locked():
            self.run_worker(self._save(), group="save", exit_on_error=False)

    @property
    def unsaved_count(self) -> int:
        """Changes not on disk yet (tests and the quit dialog ask)."""
        return self.saves.unsaved_count

    # changes by another process ---------------------------------------------------------

    async def _check_external_change(self) -> None:
        """Pick up a database changed by another presscheck (or `presscheck import`)."""
        saves = self.saves
        if saves.busy or self.session.read_only:
            return
        if not await asyncio.to_thread(saves.changed_elsewhere):
            return
        try:
            stored = await asyncio.to_thread(self.workspace.read_stored, self.workspace.open_ids)
        except Exception as error:  # noqa: BLE001 - a bad file is reported, never written
            self.save_state = str(error)
            return
        if saves.busy:
            return  # a change of ours started meanwhile; look again on the next tick
        saves.caught_up()
        self.workspace.merge_external(stored)

    # quitting ---------------------------------------------------------------------------

    async def action_quit(self) -> None:
        saving = [worker for worker in self.workers if worker.group == "save"]
        if saving:
            await self.workers.wait_for_complete(saving)
        if not self.saves.unsaved_count:
            self.exit()
            return
        from datetime import datetime

        from reader.screens.quit_dialog import UnsavedChangesDialog

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        suggestion = Path.home() / f"presscheck-unsaved-{stamp}.json"
        self.push_screen(
            UnsavedChangesDialog(self.saves.unsaved_count, self.save_state, suggestion), self._quit_choice
        )

    async def _quit_choice(self, choice: tuple[str, Path | None] | None) -> None:
        if choice is None:
            return
        from reader.atomic_write import write_atomically
        from reader.export.json_format import build_document, dumps
        from reader.screens.quit_dialog import DISCARD, RETRY, SAVE_COPY

        action, path = choice
        if action == DISCARD:
            self.exit()
        elif action == RETRY:
            await self._save()
            if not self.saves.unsaved_count:
                self.exit()
        elif action == SAVE_COPY and path is not None:
            workspace = self.workspace
            document = build_document(workspace.articles, workspace.unsaved_annotations(), self.session.author)
            try:
                # whole or not at all: the message below promises every annotation is in it
                await asyncio.to_thread(write_atomically, path, dumps(document), 0o644)
            except OSError as error:
                self.notify(
                    f"{path}: cannot write ({error.strerror}); choose another path", severity="error", markup=False
                )
                return
            self.exit(message=f"presscheck: the database could not be saved; all annotations were written to {path}")
