"""The big database's terminal rows (issue 21), for `measures.big_database`: presscheck
opening two short articles (`--db DB --author bench A B`) on databases of 0 to 100,000
annotations; the library screen; keystrokes with 1,000 annotations on the open articles.

First frame: from spawn to the first screen capture that shows `inputs.FIRST_WORDS`
twice, the start of each open article's first paragraph (one pane each, side by side at
160 × 45). Each database is a copy made once, opened once untimed first (the first open of
a database may write to it), so every timed launch is a reopen. Launches are interleaved
round by round, so a machine that slows down slows all of them. Peak RSS (VmHWM) is read
once the session has settled (nothing on screen changed for 0.3 s), before any key.

Library: in the sessions on the biggest database and on the reference one, `o`, timed to
the first capture showing a library entry (an article's title followed by ` · `, which
only the library's lines have: the titles over the panes have none), then `Esc`; twice a
session (once in a quick run).

Keys: Down in the pane (the sentence cursor) and, after Tab Tab, Down in the sidebar, timed
from the key to the first screen change, the screen captured with its colours (a cursor
that moves changes only styles), left to settle before each key as bench/measures/keys.py
does; then one Up fewer, so the cursor never hits an end. The floor of the method: less's
Page Down on the 5 MB article, captured the same way, in the same run.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import inputs
from context import Context, log, tail
from report import Figure
from terminal import Pane, TerminalError, memory_of, program_pid

OPEN_TIMEOUT = 30.0
"""Seconds a launch may take to show both articles (today's code at 100,000 annotations
needs ~5)."""
SETTLE_TIMEOUT = 30.0
KEY_TIMEOUT = 5.0
LIBRARY_TIMEOUT = 60.0
PAUSE = 0.3
GIVE_UP_AFTER = 2
"""Failed launches of one database after which it is not launched again this run."""
QUIT_NOTE = "a launch did not exit on q within 10 s (killed)"
LIBRARY_ENTRY = re.compile(re.escape(inputs.LIBRARY_TITLE) + r" \d{4} · ")


def both_articles(screen: str) -> bool:
    """Both panes show their article's first paragraph."""
    return screen.count(inputs.FIRST_WORDS) >= 2


def library_shown(screen: str) -> bool:
    return LIBRARY_ENTRY.search(screen) is not None


@dataclass
class Session:
    """One database the app is launched on, and what its launches measured."""

    key: str
    label: str
    db: Path
    library: bool = False
    """Whether its sessions also time the library screen."""
    first_frame: Figure = field(init=False)
    memory: Figure = field(init=False)
    presses: Figure = field(init=False)

    def __post_init__(self) -> None:
        self.first_frame = Figure(f"big.first_frame.{self.key}", f"first frame, {self.label}")
        self.memory = Figure(f"big.peak_rss.{self.key}", f"peak RSS, {self.label}", unit="MB")
        self.presses = Figure(f"big.library.{self.key}", f"library screen (o), {self.label}")


def argv(ctx: Context, db: Path) -> list[str]:
    return [str(ctx.presscheck), "--db", str(db), "--author", "bench",
            str(ctx.library_article(0)), str(ctx.library_article(1))]


def failed(figure: Figure, error: BaseException) -> None:
    figure.failures.append(f"{error}; screen: {tail(getattr(error, 'screen', ''))}")
    log(f"  {figure.label}: {error}")


def library_presses(ctx: Context, pane: Pane, figure: Figure, presses: int) -> None:
    """`o` and the library's first lines, then `Esc`, `presses` times."""
    terminal = ctx.terminal
    for index in range(presses):
        terminal.settle(pane, quiet=0.3, timeout=SETTLE_TIMEOUT)
        sent = terminal.send(pane, "o")
        shown, _ = terminal.wait_for(pane, library_shown, LIBRARY_TIMEOUT, what="the library's list")
        figure.samples.append((shown - sent) * 1000)
        if index == 0:
            figure.extra.setdefault("first_press_ms", []).append(figure.samples[-1])
        terminal.send(pane, "Escape")
        terminal.wait_for(pane, lambda screen: not library_shown(screen), LIBRARY_TIMEOUT, what="the library closed")


def unmeasured(session: Session, reason: str) -> None:
    """A launch that showed no article: its peak RSS and library presses fail with it."""
    session.memory.failures.append(reason)
    if session.library:
        session.presses.failures.append(reason)


def launch(ctx: Context, session: Session, timed: bool, library_presses_per_session: int) -> None:
    """One launch on `session`'s database: the first frame, the peak RSS once settled and,
    for a library session, the library presses; a failure is recorded with its figure."""
    command = argv(ctx, session.db)
    frame = session.first_frame if timed else Figure("warmup", "warm-up")
    pane = ctx.launch(command, frame)
    if pane is None:
        if timed:
            unmeasured(session, frame.failures[-1])
        return
    terminal = ctx.terminal
    try:
        shown = ctx.wait_for_article(pane, command, OPEN_TIMEOUT, "both articles' first words", both_articles)
        frame.samples.append((shown - pane.started) * 1000)
        if not timed:
            return
        terminal.settle(pane, quiet=0.3, timeout=SETTLE_TIMEOUT)
        try:
            memory = memory_of(program_pid(pane.pid, Path(command[0]).name))
            session.memory.samples.append(memory["VmHWM"])
        except (OSError, KeyError) as error:
            session.memory.failures.append(f"cannot read the peak RSS: {error}")
        if session.library:
            try:
                library_presses(ctx, pane, session.presses, library_presses_per_session)
            except TerminalError as error:
                failed(session.presses, error)
    except TerminalError as error:
        failed(frame, error)
        if timed:
            unmeasured(session, "the articles never showed")
        else:
            session.first_frame.notes.append(f"the warm-up launch failed: {frame.failures[-1]}")
    finally:
        if not terminal.quit(pane) and timed and QUIT_NOTE not in frame.notes:
            frame.notes.append(QUIT_NOTE)
        time.sleep(PAUSE)


def first_frames(ctx: Context, sessions: list[Session]) -> None:
    """A warm-up launch of each database, then the timed rounds, interleaved."""
    rounds = ctx.repeats(9, 3)
    presses = ctx.repeats(2, 1)
    for session in sessions:
        log(f"big database: warm-up launch, {session.label}")
        launch(ctx, session, timed=False, library_presses_per_session=0)
    for index in range(rounds):
        log(f"big database: first frame, round {index + 1}/{rounds}")
        for session in sessions:
            if len(session.first_frame.failures) >= GIVE_UP_AFTER:
                session.first_frame.extra["launches_skipped"] = session.first_frame.extra.get("launches_skipped", 0) + 1
                continue
            launch(ctx, session, timed=True, library_presses_per_session=presses)
    for session in sessions:
        skipped = session.first_frame.extra.get("launches_skipped")
        if skipped:
            session.first_frame.notes.append(f"launches skipped after {GIVE_UP_AFTER} failed ones: {skipped}")


# keystrokes --------------------------------------------------------------------------------


def styled(ctx: Context, pane: Pane) -> str:
    return ctx.terminal.capture(pane, escapes=True)


def settle_styled(ctx: Context, pane: Pane, quiet: float = 0.15, timeout: float = 5.0) -> str:
    """As `Terminal.settle`, but colours and styles count as changes."""
    deadline = time.monotonic() + timeout
    screen = styled(ctx, pane)
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.01)
        now = styled(ctx, pane)
        if now != screen:
            screen, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return screen


def press(ctx: Context, pane: Pane, key: str, figure: Figure) -> None:
    """Settle, send `key`, capture with styles until the screen differs: a sample, or a
    failure with the reason."""
    terminal = ctx.terminal
    before = settle_styled(ctx, pane)
    sent = terminal.send(pane, key)
    deadline = sent + KEY_TIMEOUT
    last = None
    while True:
        screen = styled(ctx, pane)
        now = time.perf_counter()
        if last is not None:
            terminal.polls.add(now - last)
        last = now
        if screen != before:
            figure.samples.append((now - sent) * 1000)
            return
        if now > deadline:
            status = terminal.dead(pane)
            why = "the program has exited" if status is not None else "the screen did not change"
            figure.failures.append(f"{key}: {why} within {KEY_TIMEOUT:g} s; screen: {tail(screen)}")
            return
        time.sleep(terminal.poll_sleep)


def moves(ctx: Context, pane: Pane, figure: Figure, down: str, up: str, count: int) -> None:
    """`count` presses of `down`, then one fewer of `up` (never past either end)."""
    for key in [down] * count + [up] * (count - 1):
        if len(figure.failures) >= 3:
            figure.notes.append("stopped after 3 failed presses")
            return
        press(ctx, pane, key, figure)


def keystrokes(ctx: Context, db: Path, cursor: Figure, sidebar: Figure, floor: Figure) -> None:
    """Down/Up in the pane, Tab Tab, Down/Up in the sidebar, in one presscheck on `db`;
    then Page Down in less, the floor."""
    count = ctx.repeats(20, 10)
    command = argv(ctx, db)
    log("big database: keys with 1,000 annotations on the open articles")
    pane = ctx.launch(command, cursor)
    if pane is None:
        sidebar.failures.append(cursor.failures[-1])
    else:
        try:
            ctx.wait_for_article(pane, command, OPEN_TIMEOUT, "both articles' first words", both_articles)
            settle_styled(ctx, pane, quiet=0.3, timeout=SETTLE_TIMEOUT)
            moves(ctx, pane, cursor, "Down", "Up", count)
            ctx.terminal.send(pane, "Tab")
            settle_styled(ctx, pane, quiet=0.3)
            ctx.terminal.send(pane, "Tab")
            settle_styled(ctx, pane, quiet=0.3)
            moves(ctx, pane, sidebar, "Down", "Up", count)
        except TerminalError as error:
            for figure in (cursor, sidebar):
                if not figure.samples:
                    failed(figure, error)
        finally:
            ctx.terminal.quit(pane)
            time.sleep(PAUSE)
    log("big database: Page Down in less, the floor")
    less = ["less", str(ctx.article(5_000_000))]
    pane = ctx.terminal.spawn(less, cwd=ctx.work)
    try:
        ctx.terminal.wait_for(pane, lambda screen: inputs.FIRST_WORDS in screen, OPEN_TIMEOUT, what="less's first page")
        for _ in range(count):
            press(ctx, pane, "PageDown", floor)
    except TerminalError as error:
        failed(floor, error)
    finally:
        ctx.terminal.quit(pane)

