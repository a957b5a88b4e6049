"""Checking a database and recovering it from its backups. No UI."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from filelock import Timeout

from reader.anchoring import is_exact
from reader.errors import DatabaseError, UserError
from reader.model import KINDS
from reader.store import (
    JournalDamaged,
    Store,
    backup_paths,
    fsync_folder,
    generation_of,
    journal_path,
    lock_for,
    parse_database,
    read_journal,
)


@dataclass
class CheckReport:
    """What `presscheck db check` found."""

    path: Path
    articles: int = 0
    annotations: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    """Annotations whose article is not in the database, or whose quote is not where it was."""
    backups: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        counts = ", ".join(f"{self.annotations.get(kind, 0)} {kind}" for kind in KINDS)
        lines = [f"{self.path}: {self.articles} articles; annotations: {counts}"]
        lines += [f"problem: {problem}" for problem in self.problems]
        lines += [f"orphan: {orphan}" for orphan in self.orphans]
        lines.append(f"backups: {', '.join(p.name for p in self.backups) or 'none yet'}")
        lines.append("ok" if self.ok else f"{len(self.problems)} problem(s)")
        return lines


def check_database(path: Path) -> CheckReport:
    """Validate every record; a file that does not open at all raises its DatabaseError."""
    store = Store.open(path, create=False)
    report = CheckReport(path=path, backups=[b for b in backup_paths(path) if b.exists()])
    articles = {article.id: article for article in store.articles()}
    report.articles = len(articles)
    annotations = store.annotations()
    report.problems.extend(store.problems)
    for annotation in annotations:
        report.annotations[annotation.kind] = report.annotations.get(annotation.kind, 0) + 1
        for target in annotation.targets:
            article = articles.get(target.article_id)
            where = f"{annotation.kind} {annotation.id}"
            if article is None:
                report.orphans.append(f"{where}: its article {target.article_id} is not in the database")
            elif not is_exact(article.text, target):
                report.orphans.append(f"{where}: the quote is no longer at {target.start}-{target.end}")
    return report


def recover_database(path: Path) -> tuple[Path, Path | None]:
    """Restore the newest backup that parses; the unreadable file is kept aside. When only
    the journal is damaged, keep the snapshot and the journal's changes before the damage.

    Returns (the backup restored, or the journal cut short; where the bad file went).
    Refuses when the database reads fine, so a good file is never replaced by an older one.
    """
    try:
        with lock_for(path):
            if path.exists():
                try:
                    data = parse_database(path.read_bytes(), path)
                except DatabaseError:
                    pass
                else:
                    journal = journal_path(path)
                    try:
                        raw = journal.read_bytes()
                        read_journal(journal, raw, generation_of(data))
                    except FileNotFoundError:
                        pass
                    except JournalDamaged as damage:
                        return _cut_journal(journal, raw, damage.valid_bytes)
                    raise UserError(f"{path}: the database reads fine; nothing to recover (see `presscheck db check`)")
            for backup in backup_paths(path):
                try:
                    parse_database(backup.read_bytes(), backup)
                except (OSError, DatabaseError):
                    continue
                aside = None
                if path.exists():
                    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
                    os.replace(path, aside)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
                os.close(fd)
                shutil.copy2(backup, tmp)
                os.replace(tmp, path)
                return backup, aside
    except Timeout:
        raise DatabaseError(f"{path}: locked by another process; close presscheck and try again") from None
    raise UserError(f"{path}: no readable backup ({', '.join(b.name for b in backup_paths(path))}) to recover from")


def _cut_journal(journal: Path, raw: bytes, valid_bytes: int) -> tuple[Path, Path]:
    """Keep the damaged journal aside and put back its lines before the damage."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = journal.with_name(f"{journal.name}.corrupt-{stamp}")
    fd, tmp = tempfile.mkstemp(dir=journal.parent, prefix=f".{journal.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw[:valid_bytes])
        handle.flush()
        os.fsync(handle.fileno())
    os.link(journal, aside)
    os.replace(tmp, journal)
    fsync_folder(journal.parent)
    return journal, aside
