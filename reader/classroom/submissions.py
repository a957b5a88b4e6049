"""A student's export read onto the exercise: its annotations placed on the pack's articles and
reduced to scoring items. No UI.

Input files are native presscheck exports or W3C Web Annotation JSON-LD from any tool;
targets are placed on the pack's articles with the importer's rules (`reader.placing`),
so quote-only targets land by their quote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from reader.classroom.matching import Item, Span
from reader.classroom.pack import load_pack_articles
from reader.errors import UserError
from reader.export.reading import read_file
from reader.model import Annotation
from reader.placing import Library, place


@dataclass
class Submission:
    """A read export: whose it is and its items on the pack's articles."""

    file: str
    author: str
    items: list[Item]


class SubmissionReader:
    """Reads exports (the key's and the students') onto the articles of one pack."""

    def __init__(self, pack_folder: Path) -> None:
        articles = list(load_pack_articles(pack_folder))  # a broken pack is the teacher's error: raise
        self.pack_ids = {a.id for a in articles}
        self.library = Library(pack_articles=articles)

    def read(self, path: Path) -> tuple[Submission, int]:
        """The submission in `path`, and how many annotations are not on the pack."""
        parsed = read_file(path)
        # the texts an export carries are not used: a target whose article id is not one of
        # the pack's is placed by quote on the pack article of the same file name (another
        # version of it), or else counted as not on the pack
        items: list[Item] = []
        off_pack = 0
        for annotation in parsed.annotations:
            spans: list[Span] = []
            on_pack = True
            for target in annotation.targets:
                placed, status, article = place(target, self.library, parsed.names)
                if article is None or article.id not in self.pack_ids or status == "waiting":
                    on_pack = False
                spans.append((placed.article_id, placed.start, placed.end))
            if not on_pack:
                off_pack += 1
                continue
            items.append(_item(annotation, spans))
        return Submission(str(path), _author(path, parsed.annotations), items), off_pack


    def read_students(self, paths: Sequence[str | Path]) -> tuple[list[Submission], list[tuple[str, str]]]:
        """The students' files that can be scored, and the others with a one-line reason:
        unreadable, no annotations, or none on the pack's articles."""
        submissions: list[Submission] = []
        skipped: list[tuple[str, str]] = []
        for raw in paths:
            path = Path(raw)
            try:
                submission, off_pack = self.read(path)
            except UserError as error:
                skipped.append((str(path), str(error).removeprefix(f"{path}: ")))
                continue
            if submission.items:
                submissions.append(submission)
            elif off_pack:
                skipped.append((str(path), f"none of its {off_pack} annotation(s) are on the pack's "
                                           "articles (an export of another exercise?)"))
            else:
                skipped.append((str(path), "the export has no annotations"))
        return submissions, skipped


class RereadingReader(SubmissionReader):
    """A reader for files that keep changing (a live lesson's copies, re-scored every few
    seconds): a file is parsed again only when its size, time or inode changed."""

    def __init__(self, pack_folder: Path) -> None:
        super().__init__(pack_folder)
        self._parsed: dict[Path, tuple[tuple[int, int, int], tuple[Submission, int]]] = {}

    def read(self, path: Path) -> tuple[Submission, int]:
        try:
            stat = path.stat()
        except OSError:
            return super().read(path)  # says why, as always
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        known = self._parsed.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        read = super().read(path)
        self._parsed[path] = (stamp, read)
        return read


def student_names(submissions: Sequence[Submission]) -> list[str]:
    """Each submission's student name; a name two submissions share gets the file's name,
    so two students of one name stay two (in the candidates' counts, the class view's filter)."""
    counts = Counter(s.author for s in submissions)
    return [s.author if counts[s.author] == 1 else f"{s.author} ({Path(s.file).name})" for s in submissions]


def _item(annotation: Annotation, spans: list[Span]) -> Item:
    return Item(
        annotation.kind,
        tuple(spans),
        tuple(t.quote.exact for t in annotation.targets),
        annotation.note,
        annotation.tags,
        annotation.relation,
        annotation.author,
    )


def _author(path: Path, annotations: Sequence[Annotation]) -> str:
    """The export's author, else its annotations' most frequent author, else the file's stem."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("author"), str) and data["author"].strip():
        return data["author"].strip()
    names = Counter(a.author for a in annotations if a.author)
    return names.most_common(1)[0][0] if names else path.stem
