"""The reading pane alone in a tiny host app, for the widget tests."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult

from reader.model import Annotation, Article
from reader.widgets.article_pane import ArticlePane


class PaneHost(App[None]):
    """One focused pane on `article`, showing `annotations`."""

    def __init__(self, article: Article, annotations: Sequence[Annotation] = ()) -> None:
        super().__init__()
        self.article = article
        self.annotations = list(annotations)

    def compose(self) -> ComposeResult:
        yield ArticlePane(self.article)

    def on_mount(self) -> None:
        pane = self.query_one(ArticlePane)
        pane.set_annotations(self.annotations)
        pane.focus()
