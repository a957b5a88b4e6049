"""Undo and redo of annotation changes for one session. No UI.

A change is an annotation before and after: `before=None` is an addition, `after=None`
a deletion, both set an edit. Undoing applies the change backwards, redoing forwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.model import Annotation


@dataclass(frozen=True)
class Change:
    """One step of the session: what an annotation was and what it became."""

    label: str
    before: Annotation | None
    after: Annotation | None

    def __post_init__(self) -> None:
        if self.before is None and self.after is None:
            raise ValueError("a change needs an annotation before or after it")

    @property
    def annotation_id(self) -> str:
        return (self.after or self.before).id  # type: ignore[union-attr]

    def inverse(self) -> Change:
        return Change(f"undo {self.label}", self.after, self.before)


@dataclass
class History:
    """The session's changes, with a cursor for undo and redo."""

    limit: int = 1000
    _done: list[Change] = field(default_factory=list)
    _undone: list[Change] = field(default_factory=list)

    def record(self, change: Change) -> None:
        """A new change: it can be undone, and nothing undone can be redone any more."""
        self._done.append(change)
        del self._done[: -self.limit]
        self._undone.clear()

    def undo(self) -> Change | None:
        """The change to apply to undo the last one, if any."""
        if not self._done:
            return None
        change = self._done.pop()
        self._undone.append(change)
        return change.inverse()

    def redo(self) -> Change | None:
        """The change to apply to redo the last undone one, if any."""
        if not self._undone:
            return None
        change = self._undone.pop()
        self._done.append(change)
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)
