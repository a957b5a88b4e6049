"""The records made with `reader.records.record` (dataclasses without the code generation at
import: `__init__` written out, the other methods made without compiling source) behave
exactly as the generated ones did.

Each is checked against a real dataclass built at test time from its own `fields()`: the
same signature and defaults, repr, equality, hash, frozen-ness and `replace`, on sample
values; and an instance differs from one that has any single field changed, so a field
left out of a written-out `__init__` turns a test red."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from textual.message import Message

import reader.model
from reader.anchoring import Match
from reader.changed_files import Followed
from reader.launch import Session
from reader.model import Annotation, Article, Target, TextPositionSelector, TextQuoteSelector
from reader.preferences import Preferences
from reader.snapshot_layout import Index
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarFilter
from reader.widgets.article_pane import ArticlePane

POSITION = TextPositionSelector(3, 9)
QUOTE = TextQuoteSelector("quoted", "before ", " after")
TARGET = Target("a1", POSITION, QUOTE)
OTHER_TARGET = Target("a2", TextPositionSelector(0, 4), TextQuoteSelector("text"))
ARTICLE = Article("a1", "Title", "Some text")


class Thing:
    """A stand-in for a store, pane or sidebar: equal only to itself, with a short repr."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


# class → (frozen as a dataclass?, the arguments of a sample, another value for every field)
RECORDS: dict[type, tuple[bool, dict[str, Any], dict[str, Any]]] = {
    Article: (
        True,
        {"id": "a1", "title": "T", "text": "Body text", "source": "s.txt", "byline": "By",
         "published": "2024", "added_at": "2024-01-01", "furniture": ((0, 2),),
         "raw_sha256": "ab", "site": "Site"},
        {"id": "a2", "title": "U", "text": "Other", "source": "t.txt", "byline": "By2",
         "published": "2025", "added_at": "2025-01-01", "furniture": ((1, 3),),
         "raw_sha256": "cd", "site": "Site2"},
    ),
    TextPositionSelector: (True, {"start": 1, "end": 5}, {"start": 2, "end": 6}),
    TextQuoteSelector: (
        True,
        {"exact": "e", "prefix": "p", "suffix": "s"},
        {"exact": "f", "prefix": "q", "suffix": "t"},
    ),
    Target: (
        True,
        {"article_id": "a1", "position": POSITION, "quote": QUOTE, "source": "s", "uri": "u"},
        {"article_id": "a2", "position": TextPositionSelector(0, 1), "quote": TextQuoteSelector("x"),
         "source": "t", "uri": "v"},
    ),
    Annotation: (
        True,
        {"kind": "claim", "targets": (TARGET,), "author": "ada", "id": "i1", "tags": ("t",),
         "relation": "r", "note": "n", "created": "2024-01-01", "modified": "2024-01-02",
         "anchor": "exact", "canonical": "c", "note_format": "text/markdown"},
        {"kind": "note", "targets": (OTHER_TARGET,), "author": "bob", "id": "i2", "tags": ("u",),
         "relation": "s", "note": "m", "created": "2025-01-01", "modified": "2025-01-02",
         "anchor": "moved", "canonical": "d", "note_format": "text/html"},
    ),
    Preferences: (
        True,
        {"author": "a", "theme": "nord", "db": "x.json", "keymap": {"k": "f2"},
         "highlight": "underline", "screen_reader": False},
        {"author": "b", "theme": "dracula", "db": "y.json", "keymap": {"k": "f3"},
         "highlight": "default", "screen_reader": True},
    ),
    Match: (
        True,
        {"start": 1, "end": 4, "score": 0.5, "anchor": "exact"},
        {"start": 2, "end": 5, "score": 0.75, "anchor": "moved"},
    ),
    SidebarFilter: (
        True,
        {"kind": "claim", "tag": "t", "author": "a"},
        {"kind": "note", "tag": "u", "author": "b"},
    ),
    Index: (
        False,
        {"generation": "g", "snapshot": (1, 2), "tables": {"meta": (0, 1)}, "runs": {"a": (1, 2)},
         "shared": {"a": [(2, 3)]}, "unplaced": [(4, 5)], "next_annotation": 7,
         "counts": {"a": 1}},
        {"generation": None, "snapshot": (3, 4), "tables": {"meta": (0, 2)}, "runs": {"b": (1, 2)},
         "shared": {"b": [(2, 3)]}, "unplaced": [(6, 7)], "next_annotation": 8,
         "counts": {"a": 2}},
    ),
    Followed: (
        False,
        {"article": ARTICLE, "exact": 1, "moved": 2, "orphaned": 3},
        {"article": Article("a2", "T2", "x"), "exact": 4, "moved": 5, "orphaned": 6},
    ),
    AnnotationSidebar.ExtraChosen: (
        False,
        {"sidebar": Thing("sidebar"), "entry_id": "e1"},
        {"sidebar": Thing("other sidebar"), "entry_id": "e2"},
    ),
    AnnotationSidebar.AnnotationChosen: (
        False,
        {"sidebar": Thing("sidebar"), "annotation": "an annotation"},
        {"sidebar": Thing("other sidebar"), "annotation": "another"},
    ),
    ArticlePane.SelectionChanged: (
        False,
        {"pane": Thing("pane"), "start": 1, "end": 2},
        {"pane": Thing("other pane"), "start": 3, "end": 4},
    ),
}

SESSION_FIELDS = [f.name for f in dataclasses.fields(Session)]
RECORDS[Session] = (
    False,
    {name: Thing(f"{name} 1") for name in SESSION_FIELDS},
    {name: Thing(f"{name} 2") for name in SESSION_FIELDS},
)
MESSAGES = (AnnotationSidebar.ExtraChosen, AnnotationSidebar.AnnotationChosen, ArticlePane.SelectionChanged)
CLASSES = list(RECORDS)


def twin(cls: type) -> type:
    """A dataclass with the generated methods, made from `cls`'s fields: what `cls` was."""
    frozen = RECORDS[cls][0]
    specs = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            specs.append((f.name, f.type, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            specs.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            specs.append((f.name, f.type))
    namespace = {"__post_init__": cls.__dict__["__post_init__"]} if "__post_init__" in cls.__dict__ else {}
    bases = tuple(b for b in cls.__bases__ if b is not object)
    made = dataclasses.make_dataclass(cls.__name__, specs, bases=bases, namespace=namespace, frozen=frozen)
    made.__qualname__ = cls.__qualname__
    return made


@pytest.fixture(autouse=True)
def fixed_factories(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock and the random ids fixed, so that values made by default factories compare."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)

    monkeypatch.setattr(reader.model, "datetime", Clock)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=42))


def values(obj: object, cls: type) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls)}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_signature_and_fields_agree(cls: type) -> None:
    made = twin(cls)
    ours = inspect.signature(cls.__init__).parameters.values()
    theirs = inspect.signature(made.__init__).parameters.values()
    assert [(p.name, p.kind, repr(p.default)) for p in ours] == [
        (p.name, p.kind, repr(p.default)) for p in theirs
    ]
    assert cls.__match_args__ == made.__match_args__


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_defaults_agree_and_factories_are_fresh(cls: type) -> None:
    made = twin(cls)
    required = {
        f.name: RECORDS[cls][1][f.name]
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    if cls is Annotation:
        required = {"kind": "claim", "targets": (TARGET,), "author": "ada"}
    ours, theirs = cls(**required), made(**required)
    assert values(ours, cls) == values(theirs, made)
    again = cls(**required)
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING and isinstance(getattr(ours, f.name), (list, dict)):
            assert getattr(ours, f.name) is not getattr(again, f.name), f.name


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_fields_repr_eq_hash_agree(cls: type) -> None:
    made = twin(cls)
    sample = RECORDS[cls][1]
    ours, theirs = cls(**sample), made(**sample)
    assert values(ours, cls) == values(theirs, made) == sample
    assert repr(ours) == repr(theirs)
    assert ours == cls(**sample)
    assert not ours != cls(**sample)
    assert ours.__eq__(object()) is NotImplemented
    assert (cls.__hash__ is None) == (made.__hash__ is None)
    if cls.__hash__ is not None and cls is not Preferences:  # Preferences holds a dict
        assert hash(ours) == hash(theirs) == hash(cls(**sample))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_changing_any_one_field_makes_them_differ(cls: type) -> None:
    made = twin(cls)
    sample, other = RECORDS[cls][1], RECORDS[cls][2]
    ours = cls(**sample)
    for f in dataclasses.fields(cls):
        changed = {**sample, f.name: other[f.name]}
        mine, theirs = cls(**changed), made(**changed)
        assert getattr(mine, f.name) == other[f.name], f.name
        assert values(mine, cls) == values(theirs, made), f.name
        assert mine != ours, f.name
        assert repr(mine) == repr(theirs), f.name
        if cls not in MESSAGES:
            assert dataclasses.replace(ours, **{f.name: other[f.name]}) == mine, f.name


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_frozen_as_before(cls: type) -> None:
    made = twin(cls)
    sample = RECORDS[cls][1]
    ours, theirs = cls(**sample), made(**sample)
    name = dataclasses.fields(cls)[0].name
    if RECORDS[cls][0]:
        for obj in (ours, theirs):
            with pytest.raises(dataclasses.FrozenInstanceError) as raised:
                setattr(obj, name, "x")
            with pytest.raises(dataclasses.FrozenInstanceError) as deleted:
                delattr(obj, name)
        assert str(raised.value) == f"cannot assign to field {name!r}"
        assert str(deleted.value) == f"cannot delete field {name!r}"
        assert getattr(ours, name) == sample[name]
    else:
        setattr(ours, name, "x")
        assert getattr(ours, name) == "x"


@pytest.mark.parametrize("cls", [c for c in CLASSES if c not in MESSAGES and c not in (Session, Followed)],
                         ids=lambda c: c.__qualname__)
def test_pickled_and_copied_alike(cls: type) -> None:
    ours = cls(**RECORDS[cls][1])
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert copy.copy(ours) == ours
    assert copy.deepcopy(ours) == ours


@pytest.mark.parametrize("cls", MESSAGES, ids=lambda c: c.__qualname__)
def test_messages_are_still_messages(cls: type) -> None:
    message = cls(**RECORDS[cls][1])
    assert isinstance(message, Message)
    assert message._no_default_action is False and not message._stop_propagation
    assert message.handler_name.startswith("on_")


def test_annotation_checks_itself_as_before() -> None:
    with pytest.raises(ValueError, match="unknown annotation kind"):
        Annotation("nonsense", (TARGET,), "ada")
    with pytest.raises(ValueError, match="has 2 target"):
        Annotation("link", (TARGET,), "ada")
    made = Annotation("note", (TARGET,), "ada", created="2024", note_format="text/markdown")
    assert made.modified == "2024" and made.note_format == ""


@pytest.mark.parametrize("cls", MESSAGES, ids=lambda c: c.__qualname__)
def test_a_message_is_made_as_the_generated_init_made_it(cls: type) -> None:
    made = twin(cls)
    sample = RECORDS[cls][1]
    by_name = cls(**sample)
    assert by_name == cls(*sample.values())
    for wrong in ((), (*sample.values(), "extra")):
        with pytest.raises(TypeError):
            made(*wrong)
        with pytest.raises(TypeError):
            cls(*wrong)
    with pytest.raises(TypeError):
        cls(*sample.values(), **{next(iter(sample)): "twice"})
