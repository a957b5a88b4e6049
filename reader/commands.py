"""The command palette's presscheck commands: every action of the reading screen."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.widgets.key_bar import bound_keys


class PresscheckCommands(Provider):
    """Each binding of the active screen (and its article panes) as a named command."""

    def _commands(self) -> list[tuple[str, str, str]]:
        from reader.widgets.article_pane import ArticlePane

        screen = self.screen
        found: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for owner in (screen, ArticlePane):
            for binding in getattr(owner, "BINDINGS", []):
                if not isinstance(binding, Binding) or binding.action in seen:
                    continue
                seen.add(binding.action)
                if owner is screen and screen.check_action(binding.action, ()) is False:
                    continue  # a key that does nothing here (the class view's writing keys)
                node = screen if owner is screen else getattr(screen, "active_pane", None)
                moved = bound_keys(node, binding.id) if node is not None and binding.id else []
                key = self.app.get_key_display(Binding((moved or binding.key.split(","))[0], ""))
                found.append((binding.description, binding.action, binding.tooltip or f"key: {key}"))
        for name, action, help_text in getattr(screen, "PALETTE_ONLY", ()):
            if screen.check_action(action, ()) is not False:
                found.append((name, action, help_text))
        return found

    async def _run(self, action: str) -> None:
        from reader.widgets.article_pane import ArticlePane

        screen = self.screen
        if hasattr(screen, f"action_{action}"):
            await screen.run_action(action)
            return
        pane = getattr(screen, "active_pane", None)
        if isinstance(pane, ArticlePane):
            await pane.run_action(action)

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
