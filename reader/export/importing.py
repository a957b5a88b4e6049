"""Importing read files into a database: annotations merged by id, each placed on the
text the database has. No UI.

The files come checked from `reader.export.reading`, so a bad one has changed nothing.
Each annotation is placed on the database's text (`reader.placing`); annotations whose
article is nowhere to be found are kept, waiting for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.export import w3c
from reader.export.reading import ParsedFile, read_file
from reader.model import Anchor, Annotation, Article, Target
from reader.placing import Library, Placement, place


@dataclass
class FileReport:
    """What importing one file did."""

    path: Path
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    articles_added: int = 0
    moved: int = 0
    orphaned: int = 0
    waiting: dict[str, int] = field(default_factory=dict)
    """Article name (or id) → how many annotations kept wait for that article."""
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader says about how it read the file (how kinds were chosen)."""

    def lines(self) -> list[str]:
        """The report as lines for a terminal."""
        head = (
            f"{self.path}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged ({self.format})"
        )
        if self.articles_added:
            head += f"; {self.articles_added} article(s) added"
        lines = [head]
        lines += [f"  {note}" for note in self.notes]
        if self.moved:
            lines.append(f"  {self.moved} moved to where their quote is in the current text")
        if self.orphaned:
            lines.append(
                f"  {self.orphaned} orphaned: the quote is no longer in the article; kept, "
                "and shown as orphaned"
            )
        for name, count in sorted(self.waiting.items()):
            lines.append(
                f"  {count} waiting for article {name}: not in the database; open it, or "
                "import an export that carries its text"
            )
        lines += [f"  skipped {reason}" for reason in self.skipped]
        return lines


def _newer(incoming: Annotation, existing: Annotation) -> bool:
    new = w3c.parse_datetime(incoming.modified, whole_seconds=False)
    old = w3c.parse_datetime(existing.modified, whole_seconds=False)
    if new is not None and old is not None:
        return new > old
    return incoming.modified > existing.modified


def _settle(annotation: Annotation, placed: list[tuple[Target, Placement]]) -> Annotation:
    """The annotation with its placed targets and the anchor they add up to."""
    statuses = [status for _, status in placed]
    targets = tuple(target for target, _ in placed)
    known = [s for s in statuses if s != "waiting"]
    anchor: Anchor
    if "orphaned" in known or any(t.source for t in targets):
        anchor = "orphaned"  # a target no text holds, or one we can't even find the article of
    elif "moved" in known:
        anchor = "moved"
    elif known:
        anchor = "moved" if annotation.anchor == "moved" else "exact"
    else:
        anchor = annotation.anchor
    if targets == annotation.targets and anchor == annotation.anchor:
        return annotation
    return replace(annotation, targets=targets, anchor=anchor)


def import_files(
    store: Any, paths: Sequence[str | Path], pack_articles: Iterable[Article] = ()
) -> list[FileReport]:
    """Import export files into `store`, all or nothing; what each did.

    Every file is read and checked first (a bad one raises a UserError and nothing is
    written). An annotation whose id is already in the database is replaced only by a copy
    modified later; importing the same file twice changes nothing, not even the file's bytes.
    `pack_articles` are more texts to place on (see `apply`).
    """
    parsed = [read_file(path) for path in paths]
    return apply(store, parsed, pack_articles)


def apply(store: Any, parsed: Sequence[ParsedFile], pack_articles: Iterable[Article] = ()) -> list[FileReport]:
    """Merge already-checked files into `store` in one transaction.

    `pack_articles` (an exercise pack's, e.g. `reader.classroom.pack.load_pack_articles`)
    are where annotations that name their article by file name or URL are looked for when
    neither the database nor the files hold it; they are read only if needed."""
    reports: list[FileReport] = []
    with store.transaction():
        library = Library(store.articles(), pack_articles)
        existing = {a.id: a for a in store.annotations()}
        articles_to_add: dict[str, Article] = {}
        to_save: dict[str, Annotation] = {}

        def merge(annotation: Annotation, file: ParsedFile, report: FileReport, *, last_try: bool) -> bool:
            """Place and keep one annotation; False (nothing done) when a target named by a
            page waits and the file's later annotations may yet place that page."""
            old = existing.get(annotation.id)
            if old is not None and (old == annotation or not _newer(annotation, old)):
                report.unchanged += 1
                return True
            placed: list[tuple[Target, Placement]] = []
            waits_for: set[str] = set()
            for target in annotation.targets:
                new_target, status, article = place(target, library, file.names)
                placed.append((new_target, status))
                if status == "waiting":
                    if target.source and not last_try:
                        return False
                    waits_for.add(target.source or file.names.get(target.article_id) or target.article_id)
                if article is not None and article.id not in library.db and article.id not in articles_to_add:
                    articles_to_add[article.id] = article
                    report.articles_added += 1
            settled = _settle(annotation, placed)
            if old is not None and settled == old:
                report.unchanged += 1
                return True
            for name in waits_for:
                report.waiting[name] = report.waiting.get(name, 0) + 1
            if old is None:
                report.added += 1
            else:
                report.updated += 1
            if settled.anchor == "moved" and any(s == "moved" for _, s in placed):
                report.moved += 1
            if any(s == "orphaned" for _, s in placed):
                report.orphaned += 1
            existing[settled.id] = settled
            to_save[settled.id] = settled
            return True

        for file in parsed:
            report = FileReport(file.path, file.format, skipped=list(file.skipped), notes=list(file.notes))
            reports.append(report)
            library.carried.update(file.articles)
            used = {t.article_id for a in file.annotations for t in a.targets}
            for article in file.articles.values():  # in the file's order
                if article.id in used and article.id not in library.db and article.id not in articles_to_add:
                    articles_to_add[article.id] = article
                    report.articles_added += 1
            deferred: list[Annotation] = []
            for annotation in file.annotations:
                if not merge(annotation, file, report, last_try=False):
                    deferred.append(annotation)
            for annotation in deferred:  # the file's other annotations may have placed their page
                merge(annotation, file, report, last_try=True)
        if articles_to_add or to_save:
            store.put_many(articles_to_add.values(), to_save.values())
    return reports
