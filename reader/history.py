"""Undo and redo of annotation changes for a whole run of the app. No UI.

A step is an annotation before and after: `before=None` is an addition, `after=None` a
deletion, both set an edit. Undoing applies the step reversed, redoing applies it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.model import Annotation


@dataclass(frozen=True)
class Step:
    """One step of the session: what an annotation was and what it became."""

    label: str
    """What the step did, as the status line says it: `add claim`, `delete note`."""
    before: Annotation | None
    after: Annotation | None

    def __post_init__(self) -> None:
        if self.before is None and self.after is None:
            raise ValueError("a step needs an annotation before or after it")

    @property
    def annotation_id(self) -> str:
        return (self.after or self.before).id  # type: ignore[union-attr]

    def reversed(self) -> Step:
        """The step that takes this one back; it keeps the label."""
        return Step(self.label, self.after, self.before)


@dataclass
class History:
    """The session's steps, with a cursor for undo and redo."""

    limit: int = 1000
    _done: list[Step] = field(default_factory=list)
    _undone: list[Step] = field(default_factory=list)

    def record(self, step: Step) -> None:
        """A new step: it can be undone, and nothing undone can be redone any more."""
        self._done.append(step)
        del self._done[: -self.limit]
        self._undone.clear()

    def undo(self) -> Step | None:
        """The step to apply to undo the last one (its reverse), if any."""
        if not self._done:
            return None
        step = self._done.pop()
        self._undone.append(step)
        return step.reversed()

    def redo(self) -> Step | None:
        """The step to apply to redo the last undone one, if any."""
        if not self._undone:
            return None
        step = self._undone.pop()
        self._done.append(step)
        return step

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)
