"""Keystroke latency with the 5 MB article open: from sending a key to the first screen
capture that shows its effect.

Before each key the screen is left to settle (unchanged for 150 ms), so one key's late
redraws are not taken for the next one's; then the key is sent (tmux `send-keys`, the
clock starts just before) and the screen is captured in a tight loop until it differs
from the settled one and shows what the key should bring:

- Page Down (`PageDown`, from the top): any change;
- End: `inputs.LAST_WORDS` on screen (End and Home alternate; Home waits for
  `inputs.FIRST_WORDS` and is reported for information);
- find next: the find bar is opened with `/`, `inputs.NEEDLE` typed (not timed), then
  `Enter` (next match, bar open) is pressed again and again, and afterwards `F3` with the
  bar closed (`Esc`); each must scroll to another match, so the article rows change and
  show the needle. The needles are about 130 KB apart, never two on one screen.

A key whose effect does not appear within 5 s is a failed press, listed with the figure.
Reference: the same Page Down and End (`G` in less) in `less` on the same file, which shows
the floor of the method (tmux, the poll loop) on this machine.
"""

from __future__ import annotations

from collections.abc import Callable

import inputs
from context import Context, log, tail
from report import Figure, fmt
from terminal import Pane, ProgramDied, TerminalError, WaitTimeout

KEY_TIMEOUT = 5.0
OPEN_TIMEOUT = 30.0
GIVE_UP_AFTER = 3
"""Failed presses of one key after which that key is not pressed again."""
BOTTOM_ROWS = 3
"""Find bar, status bar and footer: rows that are not the article's."""

Ready = Callable[[str, str], bool]


def changed(before: str, now: str) -> bool:
    return now != before


def shows(text: str) -> Ready:
    return lambda before, now: now != before and text in now


def article_rows(screen: str) -> str:
    return "\n".join(screen.split("\n")[:-BOTTOM_ROWS])


def moved_to_needle(before: str, now: str) -> bool:
    body = article_rows(now)
    return body != article_rows(before) and inputs.NEEDLE.lower() in body.lower()


def press(ctx: Context, pane: Pane, key: str, figure: Figure, ready: Ready, what: str) -> None:
    """Settle, send `key`, wait until `ready(before, now)`; a sample or a failure."""
    if len(figure.failures) >= GIVE_UP_AFTER:
        figure.extra["presses_skipped"] = figure.extra.get("presses_skipped", 0) + 1
        return
    terminal = ctx.terminal
    before = terminal.settle(pane)
    sent = terminal.send(pane, key)
    try:
        shown, _ = terminal.wait_for(pane, lambda now: ready(before, now), KEY_TIMEOUT, what=what)
    except WaitTimeout as error:
        figure.failures.append(f"{key}: {error}; screen: {tail(error.screen)}")
        return
    figure.samples.append((shown - sent) * 1000)


def open_article(ctx: Context, argv: list[str]) -> Pane:
    """Launch `argv` and wait for the article; TerminalError when it does not show."""
    skip = ctx.skip_reason(argv)
    if skip:
        raise TerminalError(skip)
    terminal = ctx.terminal
    pane = terminal.spawn(argv, cwd=ctx.work)
    try:
        ctx.wait_for_article(pane, argv, OPEN_TIMEOUT, "the article")
    except TerminalError:
        terminal.quit(pane)
        raise
    return pane


def find_bar_open(screen: str) -> bool:
    return any(line.strip().startswith("Find") for line in screen.split("\n")[-BOTTOM_ROWS - 1:])


def presscheck_keys(ctx: Context, figures: dict[str, Figure]) -> None:
    """Page Down, End/Home, then find next, in one presscheck on the 5 MB article. A phase
    that cannot start (the find bar does not open) fails its own figures only; the program
    dying fails every figure not measured yet."""
    article = ctx.article(5_000_000)
    db = ctx.folder("keys") / "db.json"
    argv = [str(ctx.presscheck), "--db", str(db), "--author", "bench", str(article)]
    log("keys: opening the 5 MB article in presscheck")
    terminal = ctx.terminal
    pane = open_article(ctx, argv)
    phase = ["pagedown", "end", "home", "find", "f3"]
    try:
        for _ in range(ctx.repeats(20, 10)):
            press(ctx, pane, "PageDown", figures["pagedown"], changed, "a new page")
        del phase[0]
        log("keys: End / Home")
        for _ in range(ctx.repeats(8, 4)):
            press(ctx, pane, "End", figures["end"], shows(inputs.LAST_WORDS), "the last words")
            press(ctx, pane, "Home", figures["home"], shows(inputs.FIRST_WORDS), "the first words")
        del phase[:2]
        log("keys: find next")
        terminal.settle(pane)
        terminal.send(pane, "/")
        try:
            terminal.wait_for(pane, find_bar_open, KEY_TIMEOUT, what="the find bar")
        except WaitTimeout as error:
            for key in phase:
                figures[key].failures.append(f"/: {error}; screen: {tail(error.screen)}")
            return
        terminal.type(pane, inputs.NEEDLE)
        terminal.settle(pane, quiet=0.3, timeout=30)
        for _ in range(ctx.repeats(15, 8)):
            press(ctx, pane, "Enter", figures["find"], moved_to_needle, "the next match")
        del phase[0]
        terminal.send(pane, "Escape")
        terminal.settle(pane, quiet=0.3)
        for _ in range(ctx.repeats(10, 5)):
            press(ctx, pane, "F3", figures["f3"], moved_to_needle, "the next match")
        del phase[0]
    except ProgramDied as error:
        for key in phase:
            figures[key].failures.append(f"{error}; screen: {tail(error.screen)}")
    finally:
        terminal.quit(pane)


def less_keys(ctx: Context, figures: dict[str, Figure]) -> None:
    """Page Down, and End / Home as less spells them (`G` / `g`), in less on the same file."""
    log("keys: the same in less")
    pane = open_article(ctx, ["less", str(ctx.article(5_000_000))])
    try:
        for _ in range(ctx.repeats(20, 10)):
            press(ctx, pane, "PageDown", figures["less_pagedown"], changed, "a new page")
        for _ in range(ctx.repeats(8, 4)):
            press(ctx, pane, "G", figures["less_end"], shows(inputs.LAST_WORDS), "the last words")
            press(ctx, pane, "g", Figure("unused", ""), shows(inputs.FIRST_WORDS), "the first words")
    finally:
        ctx.terminal.quit(pane)


def measure(ctx: Context) -> list[Figure]:
    figures = {
        "pagedown": Figure("keys.pagedown", "Page Down at 5 MB"),
        "end": Figure("keys.end", "End at 5 MB"),
        "home": Figure("keys.home", "Home at 5 MB"),
        "find": Figure("keys.find_next", "find next at 5 MB (Enter, bar open)"),
        "f3": Figure("keys.find_f3", "find next at 5 MB (F3, bar closed)"),
        "less_pagedown": Figure("keys.less_pagedown", "Page Down at 5 MB, less"),
        "less_end": Figure("keys.less_end", "End at 5 MB, less (G)"),
    }
    ours = {k: v for k, v in figures.items() if not k.startswith("less")}
    try:
        presscheck_keys(ctx, ours)
    except TerminalError as error:  # it never showed the article
        screen = getattr(error, "screen", "")
        for figure in ours.values():
            if not (figure.samples or figure.failures):
                figure.failures.append(f"{error}; screen: {tail(screen)}" if screen else str(error))
    try:
        less_keys(ctx, figures)
    except TerminalError as error:
        for key in ("less_pagedown", "less_end"):
            figures[key].failures.append(str(error))

    for key, less_key in (("pagedown", "less_pagedown"), ("end", "less_end")):
        figure, floor = figures[key], figures[less_key]
        figure.target = "median ≤ 30 ms, max ≤ 100 ms"
        figure.reference = f"less {fmt(floor.median, 'ms')}, max {fmt(floor.max, 'ms')}"
        figure.judge(None if figure.median is None else figure.median <= 30 and (figure.max or 0) <= 100)
    for key in ("find", "f3"):
        figure = figures[key]
        figure.target = "median ≤ 50 ms"
        figure.reference = f"Page Down {fmt(figures['pagedown'].median, 'ms')}"
        figure.judge(None if figure.median is None else figure.median <= 50)
    for key in ("home", "less_pagedown", "less_end"):
        figures[key].judge(None)
    for figure in figures.values():
        if figure.extra.get("presses_skipped"):
            figure.notes.append(f"{figure.extra['presses_skipped']} later presses skipped after "
                                f"{GIVE_UP_AFTER} failed ones")
    return list(figures.values())
