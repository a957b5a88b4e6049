"""The reading session as it stands: the open articles, their annotations, undo and redo
for the whole run, the half-made contradiction or link. No UI.

Screens render a Workspace and send it commands; each change shows at once (in
`annotations`) and is saved in the background by its `SaveQueue`. What the store holds is
taken in by one merge, whether articles open at the start, from the library, from fetched
URLs, or another process changed the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reader.launch import MAX_OPEN, Session, unique_articles, unique_entries
from reader.model import Annotation, Article, Kind, Target
from reader.save_queue import SaveQueue
from reader.store import Store

if TYPE_CHECKING:
    from reader.history import History, Step
    from reader.ingest.entry import FeedEntry


# The small records below are NamedTuples: made as the app starts, a frozen dataclass
# costs about ten times as much (~1 ms each on a busy machine).


class HalfMark(NamedTuple):
    """The first side of a contradiction or link, waiting for the second."""

    kind: Kind
    target: Target


class Marked(NamedTuple):
    """What marking one side of a pair did."""

    pair: tuple[Target, Target] | None = None
    """Both sides, when this mark was the second: the pair is ready to be made."""
    replaced: HalfMark | None = None
    """A half mark of the other kind that this first side took the place of."""
    same_passage: bool = False
    """The second side was the first one again: nothing changed."""


class StoredAnnotations(NamedTuple):
    """The annotations the store held for some articles, read when this session's writes
    up to number `landed` were on disk (`Workspace.read_stored`)."""

    article_ids: frozenset[str]
    annotations: tuple[Annotation, ...]
    landed: int


class Merged(NamedTuple):
    """What another process changed: annotations it added and removed."""

    added: int
    removed: int


def _step(name: str, before: Annotation | None, after: Annotation | None) -> Step:
    """A step of the history (`reader.history`, a dataclass module, loaded when first needed)."""
    from reader.history import Step

    return Step(name, before, after)


def touches(annotation: Annotation, article_ids: frozenset[str] | set[str]) -> bool:
    """Whether any end of `annotation` is in one of these articles."""
    return any(target.article_id in article_ids for target in annotation.targets)


class Workspace:
    """The open articles and their annotations, for a whole run of the app."""

    def __init__(self, session: Session, saves: SaveQueue) -> None:
        self.session = session
        self.saves = saves
        self.half_mark: HalfMark | None = None
        self.articles: list[Article] = []
        self.annotations: dict[str, Annotation] = {}
        """The annotations touching the open articles, by id, as they are shown."""
        self.to_fetch: list[str | FeedEntry] = []
        """URLs and feed entries the next reading screen fetches and opens."""
        self.feed_entries: list[FeedEntry] = list(session.feed_entries)
        self._written: dict[str, tuple[int, Annotation | None]] = {}
        """Annotation id → the number of this session's last write of it, and what it
        wrote (None: deleted). A write not on disk when the store was read wins."""
        self._listeners: list[Callable[[Merged], None]] = []
        ids = frozenset(a.id for a in session.articles)
        self.open(session.articles, StoredAnnotations(ids, tuple(session.annotations), saves.landed),
                  session.to_fetch)

    @cached_property
    def history(self) -> History:
        """Every step of the run, across every set of articles opened (its module loaded
        with the first change or undo, not before the first frame)."""
        from reader.history import History

        return History()

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def open_ids(self) -> frozenset[str]:
        return frozenset(article.id for article in self.articles)

    # taking in what the store holds --------------------------------------------------------

    def read_stored(self, article_ids: Iterable[str]) -> StoredAnnotations:
        """What the store holds for these articles (blocking: call it off the event loop)."""
        wanted = frozenset(article_ids)
        landed = self.saves.landed  # before the read: all these are in what it finds
        found = self.store.annotations(wanted) if wanted else []
        return StoredAnnotations(wanted, tuple(found), landed)

    def open(self, articles: list[Article], stored: StoredAnnotations,
             to_fetch: list[str | FeedEntry] | None = None) -> None:
        """Open these articles (no repeats, at most MAX_OPEN) with their annotations, in
        place of those open; `to_fetch` are fetched and added by the next screen."""
        self.articles = unique_articles(articles)[:MAX_OPEN]
        self.annotations = {}
        self.half_mark = None
        self.to_fetch = list(to_fetch or [])
        self._take_in(stored)

    def take_furniture(self, furnished: Callable[[Article], Article]) -> list[Article]:
        """The open articles with their page furniture (`furnished` finds it, for the
        articles the first frame was drawn without), in place of the ones without: those
        that changed."""
        changed = []
        for index, article in enumerate(self.articles):
            found = furnished(article)
            if found is not article:
                self.articles[index] = found
                changed.append(found)
        return changed

    def add_fetched(self, articles: list[Article], entries: list[FeedEntry], stored: StoredAnnotations) -> None:
        """Open fetched articles beside those open (up to MAX_OPEN in all) and list the
        fetched feeds' entries; nothing is left to fetch."""
        self.articles = unique_articles([*self.articles, *articles])[:MAX_OPEN]
        self.feed_entries = unique_entries([*self.feed_entries, *entries])
        self.to_fetch = []
        self._take_in(stored)
        for article in articles:
            self.saves.add(partial(self.store.put_article, article))

    def merge_external(self, stored: StoredAnnotations) -> Merged | None:
        """Take in the database as another process left it; None when nothing changed.
        Listeners (the screens showing this workspace) are told what did."""
        before = self.annotations
        self._take_in(stored)
        if self.annotations == before:
            self.annotations = before  # the same ones: in the order they are shown
            return None
        merged = Merged(len(self.annotations.keys() - before.keys()), len(before.keys() - self.annotations.keys()))
        for listener in list(self._listeners):
            listener(merged)
        return merged

    def _take_in(self, stored: StoredAnnotations) -> None:
        """The one merge: the annotations of `stored.article_ids` become what the store
        held, except those this session wrote after the read began (or could not save),
        which stay as this session made them. Others stay as they are; only those
        touching an open article are kept, in the order the store gave them."""
        covered = stored.article_ids
        merged = {a.id: a for a in self.annotations.values() if not touches(a, covered)}
        merged.update((a.id, a) for a in stored.annotations)
        for annotation_id, (number, written) in self._written.items():
            if number <= stored.landed:
                continue  # on disk before the read: the store has it, or something newer
            if written is None:
                merged.pop(annotation_id, None)
            elif touches(written, covered):
                merged[annotation_id] = written
        open_ids = self.open_ids
        self.annotations = {a.id: a for a in merged.values() if touches(a, open_ids)}

    def subscribe(self, listener: Callable[[Merged], None]) -> None:
        """Call `listener` whenever another process's changes are taken in."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Merged], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # changes ------------------------------------------------------------------------------

    def apply(self, step: Step, *, record: bool = True) -> None:
        """Make a step: shown at once (when it touches an open article), saved in the
        background, and recorded for undo unless it is an undo or redo itself."""
        annotation_id = step.annotation_id
        if step.after is None:
            self.annotations.pop(annotation_id, None)
            number = self.saves.add(partial(self.store.delete_annotation, annotation_id))
        else:
            if touches(step.after, self.open_ids):
                self.annotations[annotation_id] = step.after
            number = self.saves.add(partial(self.store.put_annotation, step.after))
        self._written[annotation_id] = (number, step.after)
        if record:
            self.history.record(step)

    def add(self, kind: Kind, targets: tuple[Target, ...], *, tags: tuple[str, ...] = (),
            relation: str = "", note: str = "") -> Annotation:
        """Make a new annotation by the session's author."""
        annotation = Annotation(kind=kind, targets=targets, tags=tags, relation=relation, note=note,
                                author=self.session.author)
        self.apply(_step(f"add {kind}", None, annotation))
        return annotation

    def edit(self, annotation_id: str, *, tags: tuple[str, ...], relation: str, note: str) -> Annotation | None:
        """Change an annotation's tags, relation and note; None when it is gone or the
        fields are as they were."""
        current = self.annotations.get(annotation_id)
        if current is None or (tags, relation, note) == (current.tags, current.relation, current.note):
            return None
        new = current.edited(tags=tags, relation=relation, note=note)
        self.apply(_step(f"edit {current.kind}", current, new))
        return new

    def delete(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation (undo brings it back); None when it is not shown."""
        current = self.annotations.get(annotation_id)
        if current is not None:
            self.apply(_step(f"delete {current.kind}", current, None))
        return current

    def undo(self) -> Step | None:
        """Undo the last step of the run, whichever articles it was made in; the step
        that did it, or None when there is nothing to undo."""
        step = self.history.undo()
        if step is not None:
            self.apply(step, record=False)
        return step

    def redo(self) -> Step | None:
        """Make the last undone step again; None when there is nothing to redo."""
        step = self.history.redo()
        if step is not None:
            self.apply(step, record=False)
        return step

    def unsaved_annotations(self) -> list[Annotation]:
        """The annotations shown, and those of closed articles whose save has not landed:
        what a copy saved elsewhere must hold."""
        found = dict(self.annotations)
        for annotation_id, (number, written) in self._written.items():
            if number > self.saves.landed and written is not None:
                found.setdefault(annotation_id, written)
        return list(found.values())

    # the half-made pair -------------------------------------------------------------------

    def mark(self, kind: Kind, target: Target) -> Marked:
        """Mark one side of a contradiction or link: the first side waits as the half
        mark; a second, different passage completes the pair (and clears the mark)."""
        half = self.half_mark
        if half is None or half.kind != kind:
            self.half_mark = HalfMark(kind, target)
            return Marked(replaced=half)
        first = half.target
        if (first.article_id, first.start, first.end) == (target.article_id, target.start, target.end):
            return Marked(same_passage=True)
        self.half_mark = None
        return Marked(pair=(first, target))

    def cancel_mark(self) -> HalfMark | None:
        """Drop the half mark; the one dropped, if any."""
        half, self.half_mark = self.half_mark, None
        return half

    # the session's settings ---------------------------------------------------------------

    def set_author(self, name: str) -> None:
        """Who annotates from now on; remembered in the database unless the session asks
        every time (`presscheck serve`)."""
        self.session.author = name
        if self.session.remember_author:
            self.saves.add(partial(self.store.set_meta, "author", name))

    def first_open_of_pack(self) -> bool:
        """True the first time the session's pack opens on this database (then remembered)."""
        pack = self.session.pack
        if pack is None:
            return False
        key = f"instructions_seen:{pack.title}"
        if self.store.get_meta(key):
            return False
        self.saves.add(partial(self.store.set_meta, key, True))
        return True

    # files for someone else ---------------------------------------------------------------

    def export(self, format: str) -> tuple[Path, int]:
        """Write an export next to the database, stamped with the time, once every change
        made before has landed (blocking): its path and how many annotations it holds."""
        from datetime import datetime

        from reader.export import SUFFIXES, write_export  # imported on the first export

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = self.store.path.parent / f"presscheck-export-{stamp}{SUFFIXES[format]}"
        return path, self.saves.after_saves(partial(write_export, self.store, format, path))

    def hand_in(self, folder: Path) -> tuple[Path, int]:
        """Write the student's NAME-PACK-HASH.json into `folder` once every change made
        before has landed (blocking); the session must have a pack."""
        from reader.classroom.handin import hand_in

        assert self.session.pack is not None
        # on a shared database (presscheck serve), only this student's annotations
        only_mine = not self.session.remember_author
        return self.saves.after_saves(
            partial(hand_in, self.store, self.session.author, self.session.pack, folder, only_mine=only_mine)
        )
