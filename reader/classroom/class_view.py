"""What the class view shows: the pack's articles, the key's items and the class heat. No UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.anchoring import describe
from reader.classroom.candidates import Candidate, cluster
from reader.classroom.compare import Report, compare
from reader.classroom.heat import HeatRuns, heat
from reader.classroom.key_store import KEY_AUTHOR
from reader.classroom.matching import DEFAULT_THRESHOLD, Item
from reader.classroom.pack import load_pack_articles
from reader.classroom.submissions import RereadingReader, SubmissionReader, student_names
from reader.errors import UserError
from reader.model import Annotation, Article

if TYPE_CHECKING:
    from reader.classroom.live_lesson import LiveLesson


@dataclass
class ClassView:
    """A compare report turned into things a pane can draw."""

    articles: list[Article]
    key_annotations: list[Annotation]
    heat: dict[str, HeatRuns]
    students: int
    report: Report | None
    """None in a live lesson's view before the key has items: nothing to score against."""
    summary: str = ""
    found_by: dict[str, int] = field(default_factory=dict)
    """Key annotation id → how many students found it."""
    student_annotations: list[Annotation] = field(default_factory=list)
    """Every scored student's annotations, by the student's name (the sidebar's filter)."""
    student_names: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    """A live lesson's view: what the class marked, clustered, for the key (the debrief)."""


def build_class_view(
    key: str | Path, students: list[str | Path], pack_folder: str | Path, threshold: float = DEFAULT_THRESHOLD,
    reader: SubmissionReader | None = None,
) -> ClassView:
    """Score the class and prepare the view; a bad key or pack raises a UserError."""
    report = compare(key, students, pack_folder, threshold, reader)
    if not report.students:
        first, reason = report.skipped[0] if report.skipped else ("", "no student files")
        raise UserError(f"no student file could be scored; {first}: {reason}")
    articles = list(load_pack_articles(pack_folder))
    texts = {article.id: article.text for article in articles}
    key_annotations: list[Annotation] = []
    found_by: dict[str, int] = {}
    for item, count in zip(report.key_items, report.found_by()):
        annotation = _annotation(item, texts, KEY_AUTHOR)  # with the key's tags and "why" (its note)
        key_annotations.append(annotation)
        found_by[annotation.id] = count
    names = student_names(report.submissions)
    student_annotations = [
        _annotation(item, texts, name)
        for name, submission in zip(names, report.submissions)
        for item in submission.items
    ]
    alpha = report.agreement.get("alpha")
    agreement = f"α = {alpha:.2f}" if isinstance(alpha, (int, float)) else "α n/a"
    alpha_u = (report.agreement.get("unitizing") or {}).get("alpha_u")
    agreement += f" · αu = {alpha_u:.2f}" if isinstance(alpha_u, (int, float)) else " · αu n/a"
    summary = (
        f"class view · {len(report.students)} student{'s' if len(report.students) != 1 else ''} · "
        f"{len(report.key_items)} key item{'s' if len(report.key_items) != 1 else ''} · "
        f"{agreement} · read only · f: one student's work"
    )
    return ClassView(articles, key_annotations, heat(report.submissions), len(report.students), report,
                     summary, found_by, student_annotations, names)


def live_class_view(
    key: Path | None, students: list[Path], pack_folder: Path, threshold: float = DEFAULT_THRESHOLD,
    reader: SubmissionReader | None = None,
) -> ClassView:
    """The class view of a lesson under way (`serve --class`): the students' live copies,
    scored when the key has items; before that (or before any student has signed in), the
    key as far as it goes and the class's marks and heat, unscored. `reader` is kept by
    the view between refreshes, so that only the copies that changed are read again."""
    reader = reader or SubmissionReader(pack_folder)
    submissions, _skipped = reader.read_students(students)
    candidates = cluster(submissions, threshold, list(reader.library.pack))
    if key is not None and students:
        try:
            view = build_class_view(key, students, pack_folder, threshold, reader)
        except UserError:
            pass  # an empty or unreadable key: shown unscored below
        else:
            view.summary = f"live class view · {len(students)} signed in · {view.summary.removeprefix('class view · ')}"
            view.candidates = candidates
            return view
    articles = list(load_pack_articles(pack_folder))
    texts = {article.id: article.text for article in articles}
    key_items = []
    if key is not None:
        try:
            key_items = reader.read(key)[0].items
        except (UserError, OSError, ValueError):
            key_items = []
    names = student_names(submissions)
    student_annotations = [
        _annotation(item, texts, name) for name, submission in zip(names, submissions) for item in submission.items
    ]
    count = len(submissions)
    scored = "no key items yet: unscored" if not key_items else "waiting for students"
    summary = (f"live class view · {len(students)} signed in · {count} student{'s' if count != 1 else ''} "
               f"with marks · {scored} · f: one student's work")
    return ClassView(articles, [_annotation(item, texts, KEY_AUTHOR) for item in key_items],
                     heat(submissions), count, None, summary, {}, student_annotations, names, candidates)


class LiveClass:
    """The teacher's live view of a lesson as it goes: built again when a student's live
    copy (or the key) changed since the last build, reading again only the copies that
    changed."""

    def __init__(self, lesson: LiveLesson) -> None:
        self.lesson = lesson
        self.reader = RereadingReader(lesson.pack.folder)
        self.signature: object = None

    def view_if_changed(self) -> ClassView | None:
        """The class view now, or None when nothing changed since the last one (blocking:
        call it off the event loop). A build that fails is not tried again until
        something changes."""
        lesson = self.lesson
        signature = lesson.live_signature()  # before reading: a change meanwhile is seen next time
        if signature == self.signature:
            return None
        self.signature = signature
        return live_class_view(lesson.key_path(), lesson.live_files(), lesson.pack.folder, reader=self.reader)


def _annotation(item: Item, texts: dict[str, str], author: str) -> Annotation:
    return Annotation(
        kind=item.kind,  # type: ignore[arg-type]
        targets=tuple(describe(article_id, texts[article_id], start, end) for article_id, start, end in item.spans),
        note=item.note,
        author=author,
        tags=item.tags if item.kind == "claim" else (),
        relation=item.relation if item.kind == "link" else "",
    )
