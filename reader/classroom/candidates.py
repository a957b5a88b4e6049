"""The class's candidate key items: students' annotations clustered by kind and span overlap.
No UI.

What `presscheck key LESSON --from HANDINS` lists beside the key being written: each
candidate is a passage (or a pair of passages) several students marked, with how many of
them did, their tags, relations and notes, and flags where they disagreed.

- Two items are the same candidate when `matching.item_score` says so: same kind and number
  of ends, and every end overlaps the other's with a character IoU at or above `threshold`
  (contradictions and links in either order). The default is `compare`'s own
  (`DEFAULT_THRESHOLD`, 0.5): a candidate's students are the ones whose marks `compare`
  would count as the same passage, so "2/3" here is, as a rule, "found by 2" there once
  the candidate is in the key.
- Clusters are the connected components of that relation (union-find), so marks can chain:
  A ~ B and B ~ C puts C with A even when C and A overlap less. When a student's marks in a
  cluster all score below the threshold against the candidate's representative ends,
  `compare` would not count that student: the candidate is flagged "loose cluster".
- A student counts once per candidate however many of their items it holds; the class size
  (`total`) is the number of submissions clustered.
- The representative ends are the span choice most students made exactly (the two ends of
  a pair in either order); on a tie, the medoid among the tied: the member item with the
  highest summed `item_score` to the other members.
- Only items of the same kind, number of ends and article are compared, near each other
  by start (`matching._overlapping_pairs`): 30 students × 50 items is not 2M comparisons.
  Items with an empty span (nothing placed) mark no passage and are left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reader.anchoring import describe
from reader.classroom.matching import (
    DEFAULT_THRESHOLD,
    Item,
    Span,
    _overlapping_pairs,
    check_threshold,
    item_score,
)
from reader.classroom.submissions import Submission, SubmissionReader, student_names
from reader.model import Annotation

SPLIT_TAGS = "split tags"
"""Flag: the students gave more than one distinct set of tags (no tags is a set too)."""
SPLIT_RELATION = "split relation"
"""Flag: the students gave more than one relation (none is one too)."""
SPANS_DIFFER = "spans differ"
"""Flag: the members' spans are not all the same (they overlap, but differ)."""
LOOSE_CLUSTER = "loose cluster"
"""Flag: some student's marks reach the representative only through other students' marks,
so `compare` with this candidate as the key item would not count that student."""

QUOTE_SHOWN = 40
"""Characters of each quote in a candidate's one-line summary."""


@dataclass(frozen=True)
class Candidate:
    """One candidate key item: what the class marked, who marked it, and how they disagreed."""

    kind: str
    spans: tuple[Span, ...]
    """The representative ends (see the module's docstring)."""
    quotes: tuple[str, ...]
    """The representative member's quotes, one per end."""
    students: tuple[str, ...]
    """The students who marked it, sorted; each once."""
    total: int
    """How many students' submissions were clustered (the class size)."""
    tags: tuple[tuple[str, int], ...] = ()
    """(tag, students who gave it), most common first."""
    relations: tuple[tuple[str, int], ...] = ()
    """(relation, students who gave it), most common first; no relation is not listed."""
    notes: tuple[tuple[str, str], ...] = ()
    """(student, note) for every member with a note, in class order."""
    flags: tuple[str, ...] = ()
    """Where the class disagreed: `SPLIT_TAGS`, `SPLIT_RELATION`, `SPANS_DIFFER`, `LOOSE_CLUSTER`."""
    tag_set: tuple[str, ...] = ()
    """The set of tags most students gave (what accepting uses), most common tag first."""
    relation: str = ""
    """The relation most students gave (what accepting uses)."""
    members: tuple[Item, ...] = ()
    """The clustered items, each with `author` set to its student's name, in class order."""

    @property
    def count(self) -> int:
        """How many students marked it."""
        return len(self.students)

    @property
    def label(self) -> str:
        """How many of the class marked it: "2/3"."""
        return f"{self.count}/{self.total}"

    @property
    def line(self) -> str:
        """One short line for a list: label, kind, quotes, the top tag or relation, flags."""
        quotes = " ↔ ".join(f"“{_shorten(q)}”" for q in self.quotes)
        parts = [self.label, self.kind, quotes]
        if self.relation:
            parts.append(self.relation)
        elif self.tags:
            parts.append(", ".join(tag for tag, _ in self.tags[:2]))
        if self.flags:
            parts.append("⚑ " + ", ".join(self.flags))
        return " · ".join(parts)

    def as_item(self) -> Item:
        """The candidate as a scoring item (its representative ends)."""
        return Item(self.kind, self.spans, self.quotes, tags=self.tag_set, relation=self.relation)


def cluster(
    submissions: Sequence[Submission], threshold: float = DEFAULT_THRESHOLD, order: Sequence[str] = ()
) -> list[Candidate]:
    """The class's candidates: most students first, then in text order.

    `order` is the pack's article ids in pack order (text order across articles); articles
    not in it come after, by id. Two submissions with the same author are two students:
    their names get the file's name added."""
    check_threshold(threshold)
    names = student_names(submissions)
    items: list[Item] = []
    owner: list[int] = []
    for student, submission in enumerate(submissions):
        for item in submission.items:
            if item.spans and all(end > start for _, start, end in item.spans):
                items.append(replace(item, author=names[student]))
                owner.append(student)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in _overlapping_pairs(items, items):
        if a < b and item_score(items[a], items[b]) >= threshold:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    rank = {article_id: n for n, article_id in enumerate(order)}
    candidates = [
        _candidate([items[i] for i in members], [owner[i] for i in members], names, threshold)
        for members in groups.values()
    ]

    def position(candidate: Candidate) -> tuple:
        ends = sorted((rank.get(a, len(rank)), a, start, end) for a, start, end in candidate.spans)
        return (-candidate.count, ends, candidate.kind)

    return sorted(candidates, key=position)


def covered(candidate: Candidate, key: Iterable[Item | Annotation], threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether the key already holds the candidate: a key item (or annotation) of its kind
    scores at or above `threshold` against the candidate's representative ends."""
    mine = candidate.as_item()
    for entry in key:
        item = _annotation_item(entry) if isinstance(entry, Annotation) else entry
        if item.kind == mine.kind and item_score(item, mine) >= threshold:
            return True
    return False


def candidate_annotation(candidate: Candidate, texts: dict[str, str], author: str = "") -> Annotation:
    """The key annotation accepting `candidate` makes: its kind and representative ends, the
    tags and relation most students gave, no note (the teacher writes the "why").

    `texts` is article id → canonical text (the pack's); a ValueError when an end is not
    inside its article's text, a KeyError when its article is not in `texts`."""
    targets = tuple(describe(article_id, texts[article_id], start, end) for article_id, start, end in candidate.spans)
    return Annotation(
        kind=candidate.kind,  # type: ignore[arg-type]
        targets=targets,
        author=author,
        tags=candidate.tag_set,
        relation=candidate.relation,
        note="",
    )


def read_candidates(
    pack_folder: str | Path, handin_paths: Sequence[str | Path], threshold: float = DEFAULT_THRESHOLD
) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """The candidates of the students' files, and the files skipped with a one-line reason
    (unreadable, empty, or none of it on the pack's articles), as `compare` skips them. A
    broken pack or a bad threshold raises a UserError."""
    check_threshold(threshold)
    reader = SubmissionReader(Path(pack_folder))
    submissions, skipped = reader.read_students(handin_paths)
    order = list(reader.library.pack)  # the pack's article ids, in pack order
    return cluster(submissions, threshold, order), skipped


def _candidate(items: list[Item], owners: list[int], names: list[str], threshold: float) -> Candidate:
    """One cluster's candidate; `owners[i]` is the student index of `items[i]`."""
    choices = [tuple(sorted(item.spans)) for item in items]
    by_choice: dict[tuple[Span, ...], set[int]] = {}
    for choice, student in zip(choices, owners):
        by_choice.setdefault(choice, set()).add(student)
    most = max(len(students) for students in by_choice.values())
    tied = sorted(choice for choice, students in by_choice.items() if len(students) == most)
    if len(tied) == 1:
        representative = items[choices.index(tied[0])]
    else:
        def spread(i: int) -> tuple[float, tuple[Span, ...], int]:
            total = sum(item_score(items[i], other) for j, other in enumerate(items) if j != i)
            return (-total, choices[i], i)

        representative = items[min((i for i, c in enumerate(choices) if c in tied), key=spread)]

    students = sorted(set(owners))
    tag_sets: dict[int, set[str]] = {}
    relation_sets: dict[int, set[str]] = {}
    reaches: set[int] = set()
    for item, student in zip(items, owners):
        tag_sets.setdefault(student, set()).update(item.tags)
        relation_sets.setdefault(student, set()).add(item.relation)
        if item_score(item, representative) >= threshold:
            reaches.add(student)
    tag_counts = Counter(tag for tags in tag_sets.values() for tag in tags)
    tags = tuple(sorted(tag_counts.items(), key=lambda pair: (-pair[1], pair[0])))
    rank = {tag: n for n, (tag, _) in enumerate(tags)}
    set_counts = Counter(frozenset(tags) for tags in tag_sets.values())
    top_set = min(set_counts, key=lambda s: (-set_counts[s], not s, sorted(s)))
    relation_counts = Counter(relation for relations in relation_sets.values() for relation in relations)
    relation = min(relation_counts, key=lambda r: (-relation_counts[r], not r, r))

    flags = []
    if len(set_counts) > 1:
        flags.append(SPLIT_TAGS)
    if len(relation_counts) > 1:
        flags.append(SPLIT_RELATION)
    if len(by_choice) > 1:
        flags.append(SPANS_DIFFER)
    if len(reaches) < len(students):
        flags.append(LOOSE_CLUSTER)
    order = sorted(range(len(items)), key=lambda i: (owners[i], choices[i]))
    return Candidate(
        kind=representative.kind,
        spans=representative.spans,
        quotes=representative.quotes,
        students=tuple(sorted((names[s] for s in students), key=lambda n: (n.casefold(), n))),
        total=len(names),
        tags=tags,
        relations=tuple(
            sorted(((r, n) for r, n in relation_counts.items() if r), key=lambda pair: (-pair[1], pair[0]))
        ),
        notes=tuple((items[i].author, items[i].note) for i in order if items[i].note.strip()),
        flags=tuple(flags),
        tag_set=tuple(sorted(top_set, key=lambda tag: rank[tag])),
        relation=relation,
        members=tuple(items[i] for i in order),
    )


def _annotation_item(annotation: Annotation) -> Item:
    return Item(
        annotation.kind,
        tuple((t.article_id, t.start, t.end) for t in annotation.targets),
        tuple(t.quote.exact for t in annotation.targets),
        annotation.note,
        annotation.tags,
        annotation.relation,
        annotation.author,
    )


def _shorten(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_SHOWN else quote[: QUOTE_SHOWN - 1].rstrip() + "…"
