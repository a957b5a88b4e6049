"""The help screen: every key that works on the screen it was opened from, read from the
live bindings (as Textual reports them, `check_action` included) so it cannot drift."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, Static

from reader.screens.dialog import Dialog
from reader.widgets.key_bar import key_label, live_bindings

KeyGroup = tuple[str, list[Binding]]
"""A heading and its bindings, one per action, `key` holding all of the action's keys."""

MARKING_IDS = ("tag_claim", "contradiction", "link", "note")
"""The keys that act on a selection, named in the mouse's row as they are bound now."""
EXTRA_KEYS: list[tuple[str, str]] = [
    ("mouse drag", "select exactly the dragged text; then {marking} apply"),
    ("click", "put the cursor on a sentence (Shift+click extends); click an entry to jump"),
    ("Enter (find bar)", "next match"),
]
"""What no binding says: the mouse, and the find field's Enter (its Submitted message)."""
EXTRA_TITLE = "Mouse, and Enter in the find bar"

CLEARER: dict[str, str] = {
    "app.focus_next": "Next pane, then the sidebar",
    "app.focus_previous": "Previous pane or the sidebar",
    "command_palette": "Command palette: every action by name",
    "screen.copy_text": "Copy the selected text",
}
"""Textual's own bindings, said in presscheck's words (by action)."""

SMALL_WIDTH = 60
SMALL_HEIGHT = 20
"""Below this many columns or rows the help takes the whole terminal."""
KEY_CELLS = 18
NARROW_KEY_CELLS = 11
"""The widest the key column gets; a narrow terminal wraps longer keys."""

SCREEN_TITLE = "Reading and annotating"
APP_TITLE = "Everywhere"
HERE_TITLE = "Here"

_HORIZONTAL = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})


@dataclass(frozen=True)
class Place:
    """A part of the screen with keys of its own (an article pane, the sidebar, the find
    bar): its heading in the help, its widget, and its bindings said in its own words."""

    title: str
    widget: Widget
    wording: Mapping[str, str] = field(default_factory=dict)


def keys_label(binding: Binding) -> str:
    """All of a binding's keys: `u / Ctrl+Z`."""
    keys = binding.key.split(",")
    display = binding.key_display if len(keys) == 1 else None  # a key_display names one key
    return " / ".join(key_label(key, display) for key in keys)


def _applies(node: DOMNode, binding: Binding) -> bool:
    """False for a key that does nothing on `node`: its `check_action` says so (the same
    check `Screen.active_bindings` makes), or it scrolls sideways what wraps its lines."""
    if binding.action in _HORIZONTAL and isinstance(node, Widget) and not node.allow_horizontal_scroll:
        return False
    return node.app._check_action_state(binding.action, node) is not False


def _declared_order(node: DOMNode) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(action, key) → where the node's classes declare it, the most derived class first:
    presscheck's keys before the ones Textual gives every screen or list."""
    order: dict[tuple[str, str], tuple[int, int, int]] = {}
    for depth, cls in enumerate(type(node).__mro__):
        for index, binding in enumerate(cls.__dict__.get("BINDINGS", ())):
            if isinstance(binding, Binding):
                for position, key in enumerate(binding.key.split(",")):
                    order.setdefault((binding.action, key.strip()), (depth, index, position))
    return order


def _merged(node: DOMNode, bindings: Sequence[Binding], wording: Mapping[str, str]) -> list[Binding]:
    """One binding per action, with every key of it, in the order the node's classes
    declare them; those without a description (Textual's internal ones) left out."""
    order = _declared_order(node)
    unknown = (len(type(node).__mro__), 0, 0)  # a key from a keymap: after the declared ones
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for binding in bindings:
        if not binding.description:
            continue
        first.setdefault(binding.action, binding)
        if binding.key not in keys.setdefault(binding.action, []):  # a keymap may give a key twice
            keys[binding.action].append(binding.key)
    merged = []
    for action, binding in first.items():
        ranked = sorted(keys[action], key=lambda key: order.get((action, key), unknown))
        description = wording.get(action) or CLEARER.get(action) or binding.description
        merged.append(dataclasses.replace(binding, key=",".join(ranked), description=description))
    # the place's own words first, in their order (a list's keys: Textual declares them A to Z)
    worded = list(wording)
    # an action where its class declares it, even when a keymap gave it keys of its own
    placed: dict[str, tuple[int, int, int]] = {}
    for (action, _key), at in order.items():
        placed[action] = min(at, placed.get(action, at))
    merged.sort(key=lambda b: (worded.index(b.action) if b.action in worded else len(worded),
                               placed.get(b.action, unknown)))
    return merged


def live_key_groups(screen: Screen, places: Sequence[Place] = ()) -> list[KeyGroup]:
    """The keys that work on `screen`, grouped where they work: its own, the part of it that
    has focus (exactly the active bindings Textual reports for the focused widget and its
    ancestors), the app's, then its other `places` (their widgets' own keys, which work once
    Tab takes focus there)."""
    app = screen.app
    focused = screen.focused
    here = next((p for p in places if focused is not None and p.widget in focused.ancestors_with_self), None)
    by_node: dict[DOMNode, list[Binding]] = {}
    for node, binding, _enabled, _tooltip in screen.active_bindings.values():
        if _applies(node, binding):
            by_node.setdefault(node, []).append(binding)
    focused_bindings: list[Binding] = []
    for node, bindings in by_node.items():
        if node is not screen and node is not app:
            focused_bindings += _merged(node, bindings, here.wording if here else {})
    groups: list[KeyGroup] = [(SCREEN_TITLE, _merged(screen, by_node.get(screen, []), {}))]
    if focused_bindings:
        groups.append(((here.title if here else HERE_TITLE) + " (you are here)", focused_bindings))
    groups.append((APP_TITLE, _merged(app, by_node.get(app, []), {})))
    for place in places:
        if place is here:
            continue
        bindings = []
        for node in place.widget.ancestors_with_self:
            if node is screen:
                break
            # `active_bindings` covers the focused chain only: these, with the keymap applied
            own = [binding for _key, binding in live_bindings(node) if _applies(node, binding)]
            bindings += _merged(node, own, place.wording)
        if bindings:
            groups.append((place.title, bindings))
    return [(title, bindings) for title, bindings in groups if bindings]


def extra_keys(groups: Sequence[KeyGroup]) -> list[tuple[str, str]]:
    """EXTRA_KEYS, the mouse's row naming the keys that act on a selection as the groups
    have them (a keymap may have moved them; the class view has none)."""
    first_keys = {binding.id: binding.key.split(",")[0] for _title, bindings in groups for binding in bindings}
    marking = [key_label(first_keys[binding_id]) for binding_id in MARKING_IDS if binding_id in first_keys]
    (mouse, drag), *rest = EXTRA_KEYS
    drag = drag.format(marking=", ".join(marking)) if marking else drag.partition(";")[0]
    return [(mouse, drag), *rest]


class HelpScreen(Dialog[None]):
    """The keys of the screen it was opened from, grouped where they apply; it scrolls, and
    in a small terminal it takes the whole screen."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]
    # styles/dialogs.tcss: the help fills a terminal narrower or shorter than these
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (SMALL_WIDTH, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SMALL_HEIGHT, "-tall")]

    def __init__(self, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        sections = [(title, [(keys_label(b), b.description) for b in bindings]) for title, bindings in self.groups]
        sections.append((EXTRA_TITLE, extra_keys(self.groups)))
        # one key column for every section, so the descriptions line up; in a narrow
        # terminal long keys wrap ("Ctrl+C /" over "Super+C") rather than the descriptions
        widest = max(cell_len(keys) for _title, rows in sections for keys, _what in rows)
        key_width = min(widest, KEY_CELLS if self.app.size.width >= SMALL_WIDTH else NARROW_KEY_CELLS)
        with VerticalScroll(id="help", classes="dialog"):
            yield Label("presscheck keys", classes="dialog-title")
            for title, rows in sections:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", width=key_width)
                table.add_column()
                for keys, what in rows:
                    table.add_row(Text(keys), Text(what))
                yield Label(title, classes="help-group")
                yield Static(table)
            yield Label("↑↓ PgUp PgDn scroll · Esc, q or ? closes · key bar ^ = Ctrl", classes="dialog-hint")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
