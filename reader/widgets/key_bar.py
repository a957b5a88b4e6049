"""The key bar: the keys that work here, drawn as one line by one widget.

Textual's Footer mounts a widget per key and recomposes all of them whenever the
bindings change (a focus move, a key becoming enabled): that cost about 0.25 s of start-up
and 100-200 ms on some key presses with a long article open. This bar re-renders one line.

Also here, for the help and the messages that name a key: the keys a binding has now, the
app's keymap (from the settings file) applied, and how a key is spelled in words.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen
from textual.widget import Widget

_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super", "meta": "Meta", "hyper": "Hyper"}
DIM = Style(dim=True)
"""A key that does nothing now: shown, dimmed."""
_NAMES = {"escape": "Esc", "enter": "Enter", "pageup": "PgUp", "pagedown": "PgDn", "delete": "Del"}


def key_label(key: str, key_display: str | None = None) -> str:
    """A key as the help and messages spell it: `ctrl+p` → `Ctrl+P`, `f2` → `F2`."""
    if key_display:
        return key_display
    *modifiers, name = key.split("+")
    shown = _NAMES.get(name) or format_key(name)
    if name not in _NAMES and len(shown) > 1 and shown.isascii():
        shown = shown.capitalize()  # tab → Tab, f3 → F3
    elif modifiers and len(shown) == 1 and shown.isalpha():
        shown = shown.upper()  # ctrl+p → Ctrl+P
    return "+".join([*(_MODIFIERS.get(m, m.capitalize()) for m in modifiers), shown])


def declared_place(node: DOMNode, action: str) -> tuple[int, int]:
    """Where `node`'s classes first declare a binding of `action`: (how far up the MRO, its
    index in that class's BINDINGS); after them all when none does."""
    return _declared_place(type(node), action)


@cache
def _declared_place(node_class: type, action: str) -> tuple[int, int]:
    for depth, cls in enumerate(node_class.__mro__):
        for index, binding in enumerate(cls.__dict__.get("BINDINGS", ())):
            if isinstance(binding, Binding) and binding.action == action:
                return depth, index
    return len(node_class.__mro__), 0


def live_bindings(node: DOMNode) -> BindingsMap:
    """`node`'s own bindings as they work now: a copy with the app's keymap applied, as
    Textual applies it to the focused chain (`Screen._binding_chain`); Textual 8.2.8 has no
    public accessor for a node outside that chain."""
    bindings = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def bound_keys(node: DOMNode, binding_id: str) -> list[str]:
    """The keys the binding `binding_id` of `node` (or of its ancestors) has now, the
    keymap's if it moved them."""
    for owner in node.ancestors_with_self:
        keys = [key for key, binding in live_bindings(owner) if binding.id == binding_id]
        if keys:
            return list(dict.fromkeys(keys))
    return []


def key_named(node: DOMNode, binding_id: str) -> str:
    """The first key of `binding_id` as a message says it ("press F2"); "?" when it has none."""
    keys = bound_keys(node, binding_id)
    return key_label(keys[0]) if keys else "?"


class KeyHint(NamedTuple):
    """One key shown in the bar, and the cells it takes."""

    key: str
    display: str
    description: str
    enabled: bool
    short: str = ""
    """A shorter description, used when the full ones do not fit."""


class KeyBar(Widget, can_focus=False):
    """The shown bindings of the focused widget and its screen, and the command palette's
    key on the right; or, while focus is in a widget that has `key_hints()` (the find bar),
    only the keys that widget gives. Click a key to press it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--palette"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._regions: list[tuple[int, int, KeyHint]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def hints(self) -> tuple[list[KeyHint], KeyHint | None]:
        """The keys to show (one per action, in binding order) and the palette's key."""
        node = self.screen.focused
        while node is not None and node is not self.screen:
            own = getattr(node, "key_hints", None)
            if callable(own):  # its keys are the ones that matter while typing in it
                return own(), None
            node = node.parent
        active = self.screen.active_bindings
        shown: dict[str, KeyHint] = {}
        places: dict[str, tuple[int, int, int]] = {}
        nodes: list[DOMNode] = []
        for owner, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in shown:
                display = self.app.get_key_display(binding)
                shown[binding.action] = KeyHint(binding.key, display, binding.description, enabled)
                if owner not in nodes:
                    nodes.append(owner)
                places[binding.action] = (nodes.index(owner), *declared_place(owner, binding.action))
        # where the classes declare them: a key a keymap moved is bound last, not shown last
        shown = dict(sorted(shown.items(), key=lambda item: places[item[0]]))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = KeyHint(binding.key, self.app.get_key_display(binding), binding.description, enabled)
        return list(shown.values()), palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hints, palette = self.hints()
        width = self.size.width
        right = Text()
        if palette is not None:
            right.append("▏", self.get_component_rich_style("key-bar--palette"))
            right.append(f" {palette.display} ", key_style)
            right.append(f"{palette.description} ", description_style)
        line = Text(no_wrap=True, overflow="crop", end="")
        regions: list[tuple[int, int, KeyHint]] = []
        room = width - right.cell_len if palette is not None else width
        full = sum(cell_len(f" {h.display} {h.description} ") for h in hints)
        shorten = full > room and all(h.short for h in hints)
        used = 0  # cells: counted here, not asked of the line after every piece
        for hint in hints:
            key, description = f" {hint.display} ", f"{hint.short if shorten else hint.description} "
            cells = cell_len(key) + cell_len(description)
            if used + cells > room:
                break
            regions.append((used, used + cells, hint))
            dim = Style.null() if hint.enabled else DIM
            line.append(key, key_style + dim)
            line.append(description, description_style + dim)
            used += cells
        if palette is not None and width >= right.cell_len:
            line.append(" " * max(0, width - used - right.cell_len))
            start = line.cell_len
            line.append_text(right)
            regions.append((start + 1, line.cell_len, palette))
        self._regions = regions
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, hint in self._regions:
            if start <= event.x < end:
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return
