"""The settings file's keymap and theme, checked against the app's own bindings and themes.

`reader/preferences.py` reads the file without knowing the UI; this module knows which
binding ids the app has and where they work (`SCOPES`), which key names Textual knows
(`textual.keys`), and which keys would land on two bindings at once where they are pressed
(`CHAINS`: a focused widget's bindings, its screen's, the app's). Each problem is one line
naming the file. `presscheck config show` lists every binding id from here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys, _character_to_key

from reader.errors import UserError
from reader.ingest.sanitize import display_line
from reader.preferences import Preferences, quoted, where

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""Textual's modifiers, in the order its key names list them."""
EXAMPLES = '"f2", "ctrl+t", "T", "question_mark", "space"'


@dataclass(frozen=True)
class Scope:
    """Where a set of bindings works: its title (as the help heads it), its bindings one key
    each, and whether a text field there takes what is typed (keys without ctrl or alt)."""

    title: str
    bindings: tuple[Binding, ...]
    takes_typing: bool = False


@cache
def scopes() -> dict[str, Scope]:
    """The places with keys of their own, by name; those with binding ids first, in the
    order `presscheck config show` lists them."""
    from textual.app import App
    from textual.widgets import Input

    from reader.app import PresscheckApp
    from reader.screens.reading import ReadingScreen
    from reader.widgets.article_pane import ArticlePane
    from reader.widgets.find_bar import FindBar
    from reader.widgets.option_lists import ChoiceList

    palette = Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")

    def own(cls: type) -> tuple[Binding, ...]:
        """The bindings of `cls` and its bases, one key each, in the order they are declared
        (the most derived class first)."""
        order: dict[str, tuple[int, int]] = {}
        for depth, klass in enumerate(cls.__mro__):
            for index, binding in enumerate(klass.__dict__.get("BINDINGS", ())):
                if isinstance(binding, Binding):
                    order.setdefault(binding.action, (depth, index))
        merged = [binding for _key, binding in cls._merge_bindings()]  # type: ignore[attr-defined]
        return tuple(sorted(merged, key=lambda binding: order.get(binding.action, (len(cls.__mro__), 0))))

    return {
        "app": Scope("Everywhere", (*own(PresscheckApp), palette)),
        "reading": Scope("Reading and annotating", own(ReadingScreen)),
        "pane": Scope("In an article pane", own(ArticlePane)),
        "find": Scope("In the find bar", own(FindBar)),
        "sidebar": Scope("In the sidebar", own(ChoiceList)),
        "find_field": Scope("In the find bar's field", own(Input), takes_typing=True),
    }


CHAINS = (
    ("pane", "reading", "app"),
    ("sidebar", "reading", "app"),
    ("find_field", "find"),
)
"""The scopes whose keys work together: the focused widget's, its ancestors', the app's.
While the find bar's field has focus only its keys and the bar's matter: the screen's are
meant to wait (Esc closes the bar, Ctrl+E moves in the field)."""


@cache
def known_ids() -> dict[str, tuple[Scope, Binding]]:
    """Every binding id a keymap may name: where it works, and its binding."""
    found: dict[str, tuple[Scope, Binding]] = {}
    for scope in scopes().values():
        for binding in scope.bindings:
            if binding.id:
                found.setdefault(binding.id, (scope, binding))
    return found


def declared_keys(binding_id: str) -> str:
    """The keys a binding id has when no keymap moves it, comma-separated."""
    scope, binding = known_ids()[binding_id]
    return ",".join(b.key for b in scope.bindings if b.id == binding_id) or binding.key


@cache
def key_names() -> frozenset[str]:
    """The key names of more than one character Textual knows: its `Keys` without their
    modifiers, and the names it gives punctuation (`question_mark`, `comma`)."""
    names = {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    names |= set(KEY_NAME_REPLACEMENTS.values()) | set(KEY_TO_UNICODE_NAME)
    names |= {_character_to_key(chr(code)) for code in range(0x21, 0x7F)}
    return frozenset(name for name in names if len(name) > 1)


def normalized_key(key: str) -> str | None:
    """`key` as Textual names it (`F2` → `f2`, `?` → `question_mark`, `shift+t` → `T`,
    `Shift+Ctrl+Up` → `ctrl+shift+up`); None when it names no key."""
    if key == "+":
        return "plus"
    *modifiers, name = key.split("+")
    modifiers = [modifier.lower() for modifier in modifiers]
    if not name or len(set(modifiers)) != len(modifiers) or not set(modifiers) <= set(MODIFIERS):
        return None
    if len(name) == 1:
        if not name.isprintable():
            return None
        if modifiers == ["shift"] and name.isalpha():
            return name.upper()  # Textual names Shift+t by the letter it types
        name = _character_to_key(name.lower() if modifiers and name.isalpha() else name)
    else:
        name = name.lower()
        if name not in key_names() and not _names_a_character(name):
            return None
    return "+".join([*sorted(modifiers), name])


def _names_a_character(name: str) -> bool:
    """`pound_sign`, `e_acute`-like names of one printable character, as Textual reads them."""
    try:
        return unicodedata.lookup(name.replace("_", " ").upper()).isprintable()
    except KeyError:
        return False


def check_keymap(keymap: Mapping[str, str], path: Path) -> dict[str, str]:
    """`keymap` with its keys in Textual's names; UserError (one line naming `path`) for an
    unknown binding id, a key name Textual does not know, or a key given to two bindings
    that work in the same place."""
    known = known_ids()
    normalized: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            raise UserError(f"{where(path)}: keymap: {quoted(binding_id)} is not a key binding id "
                            "(`presscheck config show` lists them)")
        normalized[binding_id] = ",".join(_keys(binding_id, keys, path))
    _check_clashes(normalized, path)
    return normalized


def _keys(binding_id: str, keys: str, path: Path) -> list[str]:
    said = f"{where(path)}: keymap: {binding_id} = {quoted(keys)}"
    if not keys.strip():
        raise UserError(f"{said}: no key given; write one or more, comma-separated, like {EXAMPLES}")
    found: list[str] = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            raise UserError(f"{said}: an empty key between commas (the comma key is written \"comma\")")
        name = normalized_key(key)
        if name is None:
            raise UserError(f"{said}: {quoted(key)} is not a key name Textual knows; "
                            f"write keys like {EXAMPLES}")
        if name not in found:
            found.append(name)
    return found


def _check_clashes(keymap: Mapping[str, str], path: Path) -> None:
    """A key the keymap gives a binding must not also reach another binding where it works
    (a key of the focused widget hides its screen's and the app's): one of them would never
    run. Clashes among Textual's and presscheck's own keys are not the keymap's doing."""
    every = scopes()
    for chain in CHAINS:
        owners: dict[str, dict[tuple[str, str], Binding]] = {}
        for name in chain:
            scope = every[name]
            for binding in scope.bindings:
                keys = keymap[binding.id].split(",") if binding.id in keymap else [binding.key]
                for key in keys:
                    owners.setdefault(key, {}).setdefault((scope.title, binding.action), binding)
        for key, bound in owners.items():
            moved = [binding for binding in bound.values()
                     if binding.id in keymap and key not in declared_keys(binding.id).split(",")]
            if not moved or len(bound) < 2:
                continue
            first = moved[0]
            (where_other, _action), other = next(item for item in bound.items() if item[1] is not first)
            said = f"{where(path)}: keymap: {quoted(key)}"
            if other.id:
                raise UserError(f"{said} would be both {_named(first)} and {_named(other)}, where both "
                                "work; give one of them another key")
            raise UserError(f"{said} is already {quoted(other.description or other.action)} "
                            f"({where_other.lower()}), which has no id to move it by; give "
                            f"{first.id} another key")
        _check_typing(chain, keymap, path)


def _check_typing(chain: Sequence[str], keymap: Mapping[str, str], path: Path) -> None:
    """The keys of a text field's own widget (the find bar's) work while the field has focus,
    and the field takes a typed character first: such a key would type, not run."""
    every = scopes()
    field, owner, *_rest = chain
    if not every[field].takes_typing:
        return
    for binding in every[owner].bindings:
        for key in keymap.get(binding.id or "", "").split(","):
            if key and _typed(key) and key not in declared_keys(binding.id or "").split(","):
                raise UserError(f"{where(path)}: keymap: {binding.id} = {quoted(key)}: the find bar's field "
                                'types that character; give it a key with ctrl or alt, or a named key like "f9"')


def _typed(key: str) -> bool:
    """A key a text field takes as typed text: a printable character, shift at most."""
    from textual.keys import key_to_character

    character = key_to_character(key)
    return character is not None and character.isprintable()


def _named(binding: Binding) -> str:
    return f"{binding.id} ({binding.description or binding.action})"


def check_theme(theme: str, path: Path) -> None:
    """UserError (one line naming `path`) when `theme` is not one of the app's themes."""
    if not theme:
        return
    themes = theme_names()
    if theme not in themes:
        raise UserError(f"{where(path)}: theme: {quoted(theme)} is not a theme; one of {', '.join(themes)}")


@cache
def theme_names() -> tuple[str, ...]:
    """The themes the app offers, A to Z: Textual's own, which every app registers, and the
    black-and-white one it registers when chosen. Not read from an app: making one to ask
    cost a settings file with a theme about 20 ms of every start."""
    from textual.theme import BUILTIN_THEMES

    from reader.accessibility import MONO_THEME_NAME

    return tuple(sorted({*BUILTIN_THEMES, MONO_THEME_NAME}))


def checked(preferences: Preferences, path: Path) -> Preferences:
    """`preferences` with its keymap in Textual's key names, once its keymap and theme are
    known to be the app's; UserError (one line naming `path`) when not."""
    check_theme(preferences.theme, path)
    if not preferences.keymap:
        return preferences
    return replace(preferences, keymap=check_keymap(preferences.keymap, path))


def keymap_rows(keymap: Mapping[str, str]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Every binding id a keymap may name, grouped where it works: (heading, [(id, its keys
    now, what it does)])."""
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for binding_id, (scope, binding) in known_ids().items():
        keys = keymap.get(binding_id) or declared_keys(binding_id)
        groups.setdefault(scope.title, []).append((binding_id, keys, display_line(binding.description)))
    return list(groups.items())
