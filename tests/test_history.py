from __future__ import annotations

import pytest

from reader.anchoring import describe
from reader.history import History, Step
from reader.model import Annotation

TEXT = "One. Two. Three."


def _claim(tag="a"):
    return Annotation(kind="claim", targets=(describe("x", TEXT, 0, 4),), tags=(tag,), author="t")


def test_undo_of_an_addition_is_a_deletion_and_redo_adds_again():
    history = History()
    claim = _claim()
    history.record(Step("tag claim", None, claim))
    undo = history.undo()
    assert (undo.before, undo.after) == (claim, None)
    assert history.undo() is None
    redo = history.redo()
    assert (redo.before, redo.after) == (None, claim)
    assert history.redo() is None


def test_undo_of_an_edit_restores_the_old_version():
    history = History()
    old = _claim("a")
    new = old.edited(tags=("b",))
    history.record(Step("edit", old, new))
    assert history.undo().after == old


def test_a_new_change_clears_redo():
    history = History()
    history.record(Step("one", None, _claim()))
    history.undo()
    assert history.can_redo
    history.record(Step("two", None, _claim()))
    assert not history.can_redo


def test_undo_order_is_last_first_across_many_changes():
    history = History()
    claims = [_claim(str(i)) for i in range(5)]
    for claim in claims:
        history.record(Step("add", None, claim))
    undone = [history.undo().before for _ in range(5)]
    assert undone == claims[::-1]


def test_history_is_bounded():
    history = History(limit=3)
    for i in range(10):
        history.record(Step("add", None, _claim(str(i))))
    assert sum(1 for _ in iter(history.undo, None)) == 3


def test_a_step_needs_an_annotation():
    with pytest.raises(ValueError):
        Step("nothing", None, None)


def test_undo_and_redo_keep_the_label_of_the_step():
    history = History()
    history.record(Step("add claim", None, _claim()))
    assert history.undo().label == "add claim"
    assert history.redo().label == "add claim"
