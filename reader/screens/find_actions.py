"""The reading screen's find: the find bar's query searched in the active article or in
every open one (ctrl+o in the bar), its matches marked and counted (`3/17`), the current
one selected and scrolled to. A mixin of `ReadingScreen`, kept apart for its length.

The find bar is mounted after the first frame and imported then, so its messages are
handled by name (`on_find_bar_search`), not with @on.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.widgets import Input

if TYPE_CHECKING:
    import re

    from textual.screen import Screen

    from reader.widgets.article_pane import ArticlePane
    from reader.widgets.find_bar import FindBar

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object


class FindActions(_ScreenBase):
    """`action_find`, F3 / Shift+F3, and the find bar's messages."""

    if TYPE_CHECKING:  # what the reading screen provides
        _active_pane_id: str
        _find_origin: tuple[str, int] | None
        """Where the find bar was opened (pane id, offset): a query typed searches from there."""
        _furnished: asyncio.Event

        @property
        def panes(self) -> list[ArticlePane]: ...

        @property
        def active_pane(self) -> ArticlePane | None: ...

        def _find_bar(self) -> FindBar | None: ...

        def _focus_pane(self, pane: ArticlePane | None) -> None: ...

        def _mark_current_column(self) -> None: ...

        def _say(self, message: str) -> None: ...

    def action_find(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # typing in a field (the find field itself): / is a character
        self._set_find_origin()
        bar = self._find_bar()
        if bar is not None:
            self._open_find(bar)
        else:  # pressed before the find bar is mounted: open it then, without holding the app
            self.run_worker(self._open_find_when_furnished, group="find", exclusive=True)

    async def _open_find_when_furnished(self) -> None:
        await self._furnished.wait()
        bar = self._find_bar()
        if bar is not None:
            self._open_find(bar)

    def _open_find(self, bar: FindBar) -> None:
        bar.open()
        self._refresh_find()  # the last query's matches, counted, until a key changes it

    def _set_find_origin(self) -> None:
        pane = self.active_pane
        if pane is not None and pane.id:
            self._find_origin = (pane.id, pane.selection[0] if pane.selection else 0)

    def _finding(self) -> bool:
        """The find bar is open."""
        bar = self._find_bar()
        return bar is not None and bar.has_class("-open")

    def _typing_a_query(self) -> bool:
        """Focus is in the find bar's field: a pane the find moves to does not take it."""
        return self._finding() and isinstance(self.focused, Input) and self.focused.id == "find-input"

    def _find_panes(self) -> list[ArticlePane]:
        """The panes searched: every open one, or the active one."""
        bar, pane = self._find_bar(), self.active_pane
        if bar is not None and bar.all_articles:
            return self.panes
        return [pane] if pane is not None else []

    def _mark_matches(self, pattern: re.Pattern[str] | None) -> list[ArticlePane]:
        """Mark the matches of `pattern` in the panes searched, none in the others; those."""
        searched = self._find_panes() if pattern is not None else []
        for pane in self.panes:
            pane.search.search(pattern if pane in searched else None)
        return searched

    def _refresh_find(self) -> None:
        """The find bar's scope, marks and count as they stand, nothing moved (the bar
        opened, the active article changed)."""
        bar = self._find_bar()
        if bar is None or not self._finding():
            return
        from reader.widgets.find_bar import compile_query

        pane = self.active_pane
        bar.show_scope(pane.article.title if pane else None, len(self.panes))
        searched = self._mark_matches(compile_query(bar.query_text))
        current = next((i for i, each in enumerate(searched) if each.search.current), None)
        span = searched[current].search.current if current is not None else None
        self._show_count(bar, searched, current, span[0] if span else None)

    def _show_count(self, bar: FindBar, searched: list[ArticlePane], current: int | None, start: int | None) -> None:
        from reader.widgets.text_search import match_count

        found = [pane.search.matches for pane in searched]
        if not found or any(matches is None for matches in found):
            bar.show_count("")  # nothing typed
        else:
            bar.show_count(match_count(found, current, start))  # type: ignore[arg-type]

    def on_find_bar_search(self, event: FindBar.Search) -> None:
        self._find(event.query, event.forward, incremental=event.incremental)

    def on_find_bar_scope_toggled(self, event: FindBar.ScopeToggled) -> None:
        """Search the other scope from the current match, which stays current if it can."""
        self._set_find_origin()
        self._find(event.bar.query_text, True, incremental=True)

    def on_find_bar_closed(self) -> None:
        self._mark_matches(None)
        self._focus_pane(self.active_pane)

    def _find(self, query: str, forward: bool, *, incremental: bool = False) -> None:
        """Select the next (previous) match of `query` in the panes searched, going on into
        the next (previous) article when searching all; with `incremental`, the first one
        from where the find bar was opened (a search as the query is typed)."""
        from reader.widgets.find_bar import compile_query
        from reader.widgets.text_search import find_across

        pattern = compile_query(query)
        pane = self.active_pane
        if pattern is None or pane is None:
            self._refresh_find()  # nothing typed: no marks, no count
            return
        searched = self._mark_matches(pattern) if self._finding() else self._find_panes()
        current, selected, origin = searched.index(pane), (pane.selection or (0, 0))[0], None
        if incremental and self._find_origin is not None:
            where = [each.id for each in searched]
            origin_id, origin = self._find_origin
            current = where.index(origin_id) if origin_id in where else current
        found = find_across(pattern, [each.article.text for each in searched], current, selected,
                            forward=forward, origin=origin)
        bar = self._find_bar()
        if found is None:
            self._say(f"Not found: {query}")
            if bar is not None and self._finding():
                self._show_count(bar, searched, None, None)
            return
        index, match = found
        target, span = searched[index], (match.start(), match.end())
        for each in self.panes:
            each.search.show(span if each is target else None)
        target.set_selection(*span, scroll=False)
        target.scroll_to_offset(span[0], center=True)
        self._say("")
        if target is not pane and target.id:  # all articles: the match is in another one
            self._active_pane_id = target.id
            self._mark_current_column()
        if bar is not None and self._finding():
            bar.show_scope(target.article.title, len(self.panes))
            self._show_count(bar, searched, index, span[0])

    def action_find_next(self) -> None:
        bar = self._find_bar()
        if bar is not None:  # before it is mounted nothing was searched for yet
            self._find(bar.query_text, True)

    def action_find_previous(self) -> None:
        bar = self._find_bar()
        if bar is not None:
            self._find(bar.query_text, False)
