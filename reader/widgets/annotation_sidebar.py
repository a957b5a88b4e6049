"""The annotation sidebar: the open articles' annotations, grouped by kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from reader.records import record
from reader.widgets.plain_containers import PlainBackground
from reader.widgets.sidebar_list import SidebarList

GROUP_TITLES = {
    "claim": "Claims",
    "contradiction": "Contradictions",
    "link": "Links",
    "note": "Notes",
}
QUOTE_CHARS = 140


@record(frozen=True)
class SidebarFilter:
    """Which annotations the sidebar lists: all, one kind, those with one tag, or one
    person's (the class view lists the answer key, or one student)."""

    kind: str = ""
    tag: str = ""
    author: str = ""

    def __init__(self, kind: str = "", tag: str = "", author: str = "") -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "tag", tag)
        object.__setattr__(self, "author", author)

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


class AnnotationSidebar(PlainBackground, Vertical):
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

    @record()  # a dataclass without the code generation: see reader.records
    class ExtraChosen(Message):
        """The reader chose one of the extra entries (key mode: a class candidate)."""

        sidebar: AnnotationSidebar
        entry_id: str

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    @record()  # a dataclass without the code generation: see reader.records
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
        self._fewest_lines = 0
        """The fewest lines the listed entries can take."""
        self._kept: dict[object, tuple[object, Option]] = {}
        """The entries listed, by annotation id (or heading, or extra entry's id): what each
        showed and its `Option`, listed again while it shows the same."""
        self._waiting: tuple[tuple[Any, ...], dict[str, Any], str | None] | None = None
        """What to show once the list is mounted: `show`'s arguments, the highlighted id."""

    def compose(self) -> ComposeResult:
        yield Label("Annotations", classes="sidebar-title", id="sidebar-title")
        # The list comes just after the first frame: the sidebar keeps its width and title
        # in that frame, and drawing its rows does not hold the article back.

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_list)

    async def _mount_list(self) -> None:
        option_list = SidebarList(id="annotation-list")
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
        option_list = self._list
        highlighted = option_list.highlighted_option
        keep = highlighted.id if highlighted else None
        title = f"{title} · {where.label}" if where.label else title
        self.query_one("#sidebar-title", Label).update(Text(display_line(title)))
        annotations = [a for a in annotations if where.keeps(a)]
        self._annotations = {a.id: a for a in annotations}
        self._extra = {entry_id for entry_id, _ in extra}
        options = self._options(annotations, where, badges or {}, extra, extra_title)
        if len(options) == option_list.option_count and all(a is b for a, b in zip(options, option_list.options)):
            return  # the same entries: the list stays as it is, where it is
        # every entry has a line for its label and one for each quote, a heading has one
        self._fewest_lines = sum(1 + len(self._annotations[o.id].targets) if o.id in self._annotations else 1
                                 for o in options)
        self._keep_scrollbar_room()
        option_list.clear_options()
        option_list.add_options(options)
        if keep and (keep in self._annotations or keep in self._extra):
            option_list.highlighted = option_list.get_option_index(keep)

    def _options(
        self,
        annotations: list[Annotation],
        where: SidebarFilter,
        badges: Mapping[str, str],
        extra: Sequence[tuple[str, Text]],
        extra_title: str,
    ) -> list[Option]:
        """The list's entries: a heading per kind and its annotations, or what to do when
        there are none, then the extra entries under their heading."""
        self._kept, kept = {}, self._kept
        options: list[Option] = []
        for kind in KINDS:
            group = [a for a in annotations if a.kind == kind]
            if not group:
                continue
            heading = f"{GROUP_TITLES[kind]} · {len(group)}"
            options.append(self._option(kept, ("heading", kind), heading,
                                        lambda: Option(Text(heading, style="bold"), disabled=True)))
            for a in group:
                badge = badges.get(a.id, "")
                options.append(self._option(kept, a.id, (a, badge), lambda: Option(entry_text(a, badge), id=a.id)))
        if not options and extra:
            options.append(Option(Text("Nothing yet: Enter on a candidate below adds it,\nor select a passage and press t.", style="dim"), disabled=True))
        if not options:
            empty = (
                f"Nothing matches the filter ({where.label}).\nPress f to change it."
                if where.label
                else "No annotations yet.\nSelect a sentence and press t to tag a claim."
            )
            options.append(Option(Text(empty, style="dim"), disabled=True))
        if extra:
            heading = f"{extra_title} · {len(extra)}"
            options.append(self._option(kept, ("heading", "extra"), heading,
                                        lambda: Option(Text(heading, style="bold"), disabled=True)))
            for entry_id, text in extra:
                options.append(self._option(kept, ("extra", entry_id), text, lambda: Option(text, id=entry_id)))
        return options

    def _option(self, kept: dict[object, tuple[object, Option]], key: object, shows: object,
                make: Callable[[], Option]) -> Option:
        """The entry listed under `key` last time if it showed the same (`shows`), else
        `make()`: the list keeps the height and drawing of an entry it lists again."""
        known = kept.get(key)
        option = known[1] if known is not None and known[0] == shows else make()
        self._kept[key] = (shows, option)
        return option

    def _keep_scrollbar_room(self) -> None:
        """The list keeps its scroll bar's column free when its entries cannot fit in the
        sidebar (a hidden sidebar, with no height, decides nothing)."""
        if self._list is not None and self.size.height:
            self._list.keep_scrollbar_room(self._fewest_lines > self.size.height)

    def on_resize(self) -> None:
        self._keep_scrollbar_room()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self._extra:
            self.post_message(self.ExtraChosen(self, event.option.id))
            return
        annotation = self._annotations.get(event.option.id or "")
        if annotation is not None:
            self.post_message(self.AnnotationChosen(self, annotation))
