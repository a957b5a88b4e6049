"""The annotation sidebar: the open articles' annotations, grouped by kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.ingest.sanitize import display_line
from reader.model import KINDS, Annotation
from reader.widgets.option_lists import ChoiceList

GROUP_TITLES = {
    "claim": "Claims",
    "contradiction": "Contradictions",
    "link": "Links",
    "note": "Notes",
}
QUOTE_CHARS = 140


@dataclass(frozen=True)
class SidebarFilter:
    """Which annotations the sidebar lists: all, one kind, those with one tag, or one
    person's (the class view lists the answer key, or one student)."""

    kind: str = ""
    tag: str = ""
    author: str = ""

    def keeps(self, annotation: Annotation) -> bool:
        if self.kind and annotation.kind != self.kind:
            return False
        if self.author and annotation.author != self.author:
            return False
        return not self.tag or self.tag in annotation.tags

    @property
    def label(self) -> str:
        if self.author:
            return self.author
        if self.kind:
            return GROUP_TITLES[self.kind].lower()
        return f"tag “{self.tag}”" if self.tag else ""


def one_line(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` safe and on one line, cut to `limit` characters with "…"."""
    text = " ".join(display_line(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_text(annotation: Annotation, badge: str = "") -> Text:
    """What one sidebar entry shows: tags or relation, the quote(s), note and author, and
    the badge the screen gives it (the class view: "found by 2/3")."""
    text = Text(end="")
    label = ", ".join(annotation.tags) or annotation.relation or annotation.kind
    text.append(display_line(label), style="bold")
    text.append(f" — {display_line(annotation.author)}", style="dim")
    if badge:
        text.append(f" · {display_line(badge)}", style="bold")
    if annotation.anchor != "exact":
        text.append(f"  ({annotation.anchor})", style="italic")
    pair = len(annotation.targets) > 1
    for index, target in enumerate(annotation.targets):
        label = f"{'AB'[index]} " if pair else ""
        text.append(f"\n{label}“" + one_line(target.quote.exact) + "”", style="italic")
    if annotation.note:
        text.append("\n" + one_line(annotation.note))
    return text


class AnnotationSidebar(Vertical):
    """The annotations of the open articles; Enter or a click jumps to one."""

    DEFAULT_CSS = """
    AnnotationSidebar {
        width: 40;
        height: 1fr;
    }
    AnnotationSidebar > OptionList {
        height: 1fr;
    }
    """

    @dataclass
    class ExtraChosen(Message):
        """The reader chose one of the extra entries (key mode: a class candidate)."""

        sidebar: AnnotationSidebar
        entry_id: str

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    @dataclass
    class AnnotationChosen(Message):
        """The reader chose an annotation in the sidebar."""

        sidebar: AnnotationSidebar
        annotation: Annotation

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._annotations: dict[str, Annotation] = {}
        self._list: OptionList | None = None
        self._extra: set[str] = set()
        self._waiting: tuple[tuple[Any, ...], dict[str, Any], str | None] | None = None
        """What to show once the list is mounted: `show`'s arguments, the highlighted id."""

    def compose(self) -> ComposeResult:
        yield Label("Annotations", classes="sidebar-title", id="sidebar-title")
        # The list comes just after the first frame: the sidebar keeps its width and title
        # in that frame, and drawing its rows does not hold the article back.

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_list)

    async def _mount_list(self) -> None:
        option_list = ChoiceList(id="annotation-list")
        await self.mount(option_list)
        self._list = option_list
        if self._waiting is not None:
            args, kwargs, highlighted = self._waiting
            self._waiting = None
            self.show(*args, **kwargs)
            if highlighted is not None:
                self.highlight(highlighted)

    def focus_list(self) -> None:
        if self._list is not None:
            self._list.focus()

    @property
    def highlighted_annotation(self) -> Annotation | None:
        option = self._list.highlighted_option if self._list is not None else None
        return self._annotations.get(option.id) if option and option.id else None

    def highlight(self, annotation_id: str) -> None:
        """Move the sidebar's highlight to an annotation, if it is listed."""
        if self._list is None and self._waiting is not None:
            self._waiting = (*self._waiting[:2], annotation_id)
        elif self._list is not None and annotation_id in self._annotations:
            self._list.highlighted = self._list.get_option_index(annotation_id)

    @property
    def highlighted_extra(self) -> str | None:
        """The id of the highlighted extra entry, if one is."""
        option = self._list.highlighted_option if self._list is not None else None
        return option.id if option and option.id in self._extra else None

    def show(
        self,
        annotations: list[Annotation],
        where: SidebarFilter = SidebarFilter(),
        *,
        badges: Mapping[str, str] | None = None,
        extra: Sequence[tuple[str, Text]] = (),
        extra_title: str = "",
        title: str = "Annotations",
    ) -> None:
        """List these annotations, grouped by kind, keeping the highlighted entry; then the
        `extra` entries (id, text) under `extra_title` (key mode: the class's candidates)."""
        if self._list is None:
            self._waiting = ((annotations, where), {"badges": badges, "extra": extra, "extra_title": extra_title, "title": title}, None)
            return
        badges = badges or {}
        option_list = self._list
        highlighted = option_list.highlighted_option
        keep = highlighted.id if highlighted else None
        title = f"{title} · {where.label}" if where.label else title
        self.query_one("#sidebar-title", Label).update(Text(display_line(title)))
        annotations = [a for a in annotations if where.keeps(a)]
        self._annotations = {a.id: a for a in annotations}
        options: list[Option | None] = []
        for kind in KINDS:
            group = [a for a in annotations if a.kind == kind]
            if not group:
                continue
            options.append(
                Option(Text(f"{GROUP_TITLES[kind]} · {len(group)}", style="bold"), disabled=True)
            )
            options.extend(Option(entry_text(a, badges.get(a.id, "")), id=a.id) for a in group)
        if not options and extra:
            options.append(Option(Text("Nothing yet: Enter on a candidate below adds it,\nor select a passage and press t.", style="dim"), disabled=True))
        if not options:
            empty = (
                f"Nothing matches the filter ({where.label}).\nPress f to change it."
                if where.label
                else "No annotations yet.\nSelect a sentence and press t to tag a claim."
            )
            options.append(Option(Text(empty, style="dim"), disabled=True))
        self._extra = {entry_id for entry_id, _ in extra}
        if extra:
            options.append(Option(Text(f"{extra_title} · {len(extra)}", style="bold"), disabled=True))
            options.extend(Option(text, id=entry_id) for entry_id, text in extra)
        option_list.clear_options()
        option_list.add_options(options)
        if keep and (keep in self._annotations or keep in self._extra):
            option_list.highlighted = option_list.get_option_index(keep)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self._extra:
            self.post_message(self.ExtraChosen(self, event.option.id))
            return
        annotation = self._annotations.get(event.option.id or "")
        if annotation is not None:
            self.post_message(self.AnnotationChosen(self, annotation))
