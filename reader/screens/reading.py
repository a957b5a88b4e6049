"""The reading screen: articles side by side, the annotation sidebar, the status bar."""

from __future__ import annotations

from collections import Counter
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label

from reader.anchoring import describe
from reader.ingest.sanitize import display_line
from reader.launch import Session
from reader.model import Annotation
from reader.screens.tag_picker import TagPicker
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_pane import ArticlePane
from reader.widgets.status_bar import StatusBar

PLURALS = {"claim": "claims", "contradiction": "contradictions", "link": "links", "note": "notes"}


class ReadingScreen(Screen[None]):
    """Read and annotate the session's articles."""

    BINDINGS = [
        Binding("t", "tag_claim", "Tag claim", id="tag_claim", tooltip="Tag the selection as a claim"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.annotations: list[Annotation] = list(session.annotations)
        self._active_pane_id = "pane-0"

    def compose(self) -> ComposeResult:
        with Horizontal(id="reading"):
            for index, article in enumerate(self.session.articles):
                with Vertical(classes="article-column", id=f"column-{index}"):
                    yield Label(Text(display_line(article.title)), classes="article-title")
                    yield Label(Text(display_line(self._source_line(article))), classes="article-source")
                    yield ArticlePane(article, id=f"pane-{index}")
            yield AnnotationSidebar(id="sidebar")
        yield StatusBar(str(self.session.store.path), self.session.author, id="status")
        yield Footer()

    @staticmethod
    def _source_line(article) -> str:
        parts = [article.byline, article.published, article.source.rsplit("/", 1)[-1]]
        return " · ".join(part for part in parts if part)

    def on_mount(self) -> None:
        self._show_annotations()
        self.watch(self.app, "save_state", self._save_state_changed)
        panes = list(self.query(ArticlePane))
        if panes:
            panes[0].focus()

    def _save_state_changed(self, state: str) -> None:
        self.query_one(StatusBar).save_state = state

    @property
    def active_pane(self) -> ArticlePane | None:
        """The pane that has focus, else the one that had it last."""
        focused = self.focused
        if isinstance(focused, ArticlePane):
            return focused
        found = self.query(f"#{self._active_pane_id}")
        return found.first(ArticlePane) if found else None

    @on(ArticlePane.SelectionChanged)
    def _pane_used(self, event: ArticlePane.SelectionChanged) -> None:
        if event.pane.id:
            self._active_pane_id = event.pane.id

    def on_descendant_focus(self) -> None:
        if isinstance(self.focused, ArticlePane) and self.focused.id:
            self._active_pane_id = self.focused.id

    def _show_annotations(self) -> None:
        for pane in self.query(ArticlePane):
            pane.set_annotations(self.annotations)
        self.query_one(AnnotationSidebar).show(self.annotations)
        counts = Counter(a.kind for a in self.annotations)
        self.query_one(StatusBar).counts = " · ".join(
            f"{counts[kind]} {kind if counts[kind] == 1 else PLURALS[kind]}"
            for kind in PLURALS
            if counts[kind]
        )

    def _add(self, annotation: Annotation) -> None:
        self.annotations.append(annotation)
        self._show_annotations()
        self.app.persist(partial(self.session.store.put_annotation, annotation))  # type: ignore[attr-defined]

    def action_tag_claim(self) -> None:
        pane = self.active_pane
        span = pane.selection if pane else None
        if pane is None or span is None:
            self.notify("Select a sentence first (arrows or j/k).", severity="warning")
            return
        article = pane.article

        def tagged(tag: str | None) -> None:
            if not tag:
                return
            target = describe(article.id, article.text, span[0], span[1])
            self._add(
                Annotation(kind="claim", targets=(target,), tags=(tag,), author=self.session.author)
            )
            pane.clear_selection()
            pane.focus()

        self.app.push_screen(TagPicker(self.session.tags, article.text[span[0] : span[1]]), tagged)

    @on(AnnotationSidebar.AnnotationChosen)
    def _jump(self, event: AnnotationSidebar.AnnotationChosen) -> None:
        panes = {pane.article.id: pane for pane in self.query(ArticlePane)}
        first: ArticlePane | None = None
        for target in event.annotation.targets:
            pane = panes.get(target.article_id)
            if pane is not None:
                pane.select(target.start, target.end)
                first = first or pane
        if first is None:
            self.notify("That annotation's article is not open.", severity="warning")
