"""Everything the app needs, loaded before it starts: database, pack, articles, author. No UI.

Local files are read here, before the app starts; URLs (and feed entries chosen in the
library) are left `to_fetch` for the app to fetch in a worker, so a slow or unreachable
server never holds up the start. The app keeps what is open later in a `Workspace`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from reader.changed_files import follow_changed_files
from reader.ingest.urls import is_url
from reader.ingest.sources import Known, load_file, open_path
from reader.ingest.stamps import STAMPS_KEY, FileStamps, KnownArticles
from reader.model import Annotation, Article
from reader.records import FROM_FACTORY, record
from reader.store import Store

# `reader.classroom.pack` (two dataclasses) is loaded when a pack is opened or its defaults are
# needed: opening an article file needs none of it before the first frame

if TYPE_CHECKING:
    from reader.classroom.candidates import Candidate
    from reader.classroom.pack import Pack, Tag
    from reader.ingest.entry import FeedEntry  # a dataclass: its module is loaded when a feed is read
    from reader.classroom.class_view import ClassView, LiveClass  # only `class`, `serve --class`
    from reader.classroom.compare import Report
    from reader.classroom.key_mode import KeyMode  # only `presscheck key` makes one
    from reader.classroom.live_lesson import LiveLesson, Seat  # only `serve --class` has one

MAX_OPEN = 4
"""Articles opened side by side at the start; the others wait in the library."""

@record()
class Session:
    """One reading session as it starts: where annotations are kept, who makes them, the
    exercise; the articles to open first (later ones are the workspace's)."""

    store: Store
    articles: list[Article]
    author: str
    pack_tags: tuple[Tag, ...] = ()
    """The pack's tag set; empty without a pack (see `tags`)."""
    pack_relations: tuple[str, ...] = ()
    """The pack's relations; empty without a pack (see `relations`)."""
    annotations: list[Annotation] = field(default_factory=list)
    pack: Pack | None = None
    notices: list[str] = field(default_factory=list)
    to_fetch: list[str | FeedEntry] = field(default_factory=list)
    """URLs and feed entries to fetch and open once the app runs."""
    feed_entries: list[FeedEntry] = field(default_factory=list)
    """Entries of the opened feeds; the library lists them, and opening one ingests it."""
    read_only: bool = False
    """The class view: nothing is annotated or saved."""
    heat: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    """Article id → (start, end, students who marked it): the class view's overlay."""
    heat_students: int = 0
    banner: str = ""
    """A line for the status bar when the screen opens."""
    remember_author: bool = True
    """Use and keep the name remembered in the database; `presscheck serve` turns it off, so
    that every student's session asks for their own name and remembers none."""
    key_mode: KeyMode | None = None
    """`presscheck key`: what is made is the pack's answer key; the class's candidates."""
    students: tuple[str, ...] = ()
    """The class view: the students whose annotations the sidebar can list, one at a time."""
    class_report: Report | None = None
    """The class view: the compare report it shows (the palette writes its feedback)."""
    badges: dict[str, str] = field(default_factory=dict)
    """Annotation id → a few words the sidebar adds to it (the class view: "found by 2/3")."""
    follow_up: Callable[[], object] | None = None
    """Run after every run of saves, as part of the save: key mode rewrites the pack's key
    file, a lesson seat its live copy for the teacher's view."""
    lesson: LiveLesson | None = None
    """`serve --class`: the live lesson this session is a seat of, or the teacher's view of."""
    hand_in_folder: Path | None = None
    """Where `h` writes the hand-in (the working folder when None)."""
    seat: Seat | None = None
    """A student's seat in a live lesson, held (locked) while the session runs."""
    candidates: list[Candidate] = field(default_factory=list)
    """The teacher's live class view: the class's marks, clustered, to accept into the key."""
    live_class: LiveClass | None = None
    """The teacher's live class view: what builds it again as the students save."""
    unsaved: list[Callable[[], object]] = field(default_factory=list)
    """Writes `prepare_session(defer_writes=True)` left for after the first frame: the
    articles read anew, the files' stamps, the name to remember (the app queues them once
    it is drawn)."""
    furniture_later: FurnitureLater | None = None
    """The articles read anew, drawn at the first frame without their page furniture, which
    the app finds just after it (`prepare_session(defer_writes=True)`)."""

    def __init__(
        self, store: Store, articles: list[Article], author: str, pack_tags: tuple[Tag, ...] = (),
        pack_relations: tuple[str, ...] = (), annotations: list[Annotation] = FROM_FACTORY,
        pack: Pack | None = None, notices: list[str] = FROM_FACTORY,
        to_fetch: list[str | FeedEntry] = FROM_FACTORY, feed_entries: list[FeedEntry] = FROM_FACTORY,
        read_only: bool = False, heat: dict[str, list[tuple[int, int, int]]] = FROM_FACTORY,
        heat_students: int = 0, banner: str = "", remember_author: bool = True,
        key_mode: KeyMode | None = None, students: tuple[str, ...] = (), class_report: Report | None = None,
        badges: dict[str, str] = FROM_FACTORY, follow_up: Callable[[], object] | None = None,
        lesson: LiveLesson | None = None, hand_in_folder: Path | None = None, seat: Seat | None = None,
        candidates: list[Candidate] = FROM_FACTORY, live_class: LiveClass | None = None,
        unsaved: list[Callable[[], object]] = FROM_FACTORY, furniture_later: FurnitureLater | None = None
    ) -> None:
        self.store = store
        self.articles = articles
        self.author = author
        self.pack_tags = pack_tags
        self.pack_relations = pack_relations
        self.annotations = [] if annotations is FROM_FACTORY else annotations
        self.pack = pack
        self.notices = [] if notices is FROM_FACTORY else notices
        self.to_fetch = [] if to_fetch is FROM_FACTORY else to_fetch
        self.feed_entries = [] if feed_entries is FROM_FACTORY else feed_entries
        self.read_only = read_only
        self.heat = {} if heat is FROM_FACTORY else heat
        self.heat_students = heat_students
        self.banner = banner
        self.remember_author = remember_author
        self.key_mode = key_mode
        self.students = students
        self.class_report = class_report
        self.badges = {} if badges is FROM_FACTORY else badges
        self.follow_up = follow_up
        self.lesson = lesson
        self.hand_in_folder = hand_in_folder
        self.seat = seat
        self.candidates = [] if candidates is FROM_FACTORY else candidates
        self.live_class = live_class
        self.unsaved = [] if unsaved is FROM_FACTORY else unsaved
        self.furniture_later = furniture_later

    def save_unsaved(self) -> None:
        """Run the writes left in `unsaved` now (the app stopped before taking them)."""
        writes, self.unsaved = self.unsaved, []
        for write in writes:
            write()

    @cached_property
    def tags(self) -> tuple[Tag, ...]:
        """The tags a claim can have: the pack's, else the seed exercise's, read from its
        `pack.toml` when first asked for (the tag picker), not before the first frame."""
        from reader.classroom.pack import default_tags

        return self.pack_tags or default_tags()

    @cached_property
    def relations(self) -> tuple[str, ...]:
        """The relations a link can have: the pack's, else the default ones (a pack's list
        is never empty)."""
        from reader.classroom.pack import DEFAULT_RELATIONS

        return self.pack_relations or DEFAULT_RELATIONS

def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reader"

class _Collected:
    """What the paths held. (A plain class: a dataclass costs about 1 ms to make, on the way
    to every first frame.)"""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.entries: list[FeedEntry] = []
        self.urls: list[str] = []
        self.notices: list[str] = []
        self.pack: Pack | None = None

def _collect(paths: list[str], known: Known | None = None, furniture_later: bool = False) -> _Collected:
    """Read every local path; URLs are only noted, to be fetched by the app. Files the
    database already holds, byte for byte, come back from it (`known`); the others come
    without their page furniture when `furniture_later` (`FurnitureLater`)."""
    found = _Collected()
    if not paths:
        from reader.classroom.pack import default_pack_folder, load_pack

        found.pack = load_pack(default_pack_folder())
        found.articles = [load_file(Path(path), known, furniture_later=furniture_later) for path in found.pack.articles]
        return found
    for raw in paths:
        if is_url(raw):
            found.urls.append(raw)
            continue
        path = Path(raw)
        pack = _pack_at(path)
        if pack is not None:
            found.pack = found.pack or pack
            found.articles.extend(load_file(Path(file), known, furniture_later=furniture_later) for file in pack.articles)
            continue
        opened = open_path(path, known, furniture_later=furniture_later)
        found.articles.extend(opened.articles)
        found.entries.extend(opened.entries)
        found.notices.extend(opened.notices)
    return found

class FurnitureLater:
    """The articles read anew as the app opens. They are drawn at its first frame without
    their page furniture (a 5 MB text's was 30 ms of its first open), which is found just
    after it: the panes then fold it, and each article is saved with it. No UI."""

    def __init__(self, articles: list[Article]) -> None:
        self._waiting = {article.id for article in articles}
        self._found: dict[str, Article] = {}

    def waits_for(self, article: Article) -> bool:
        """Whether `article` was read without its page furniture."""
        return article.id in self._waiting

    def furnished(self, article: Article) -> Article:
        """`article` with its page furniture: found now if it is still waiting (once)."""
        if article.id not in self._waiting:
            return article
        found = self._found.get(article.id)
        if found is None:
            from reader.ingest.article import with_furniture

            found = self._found[article.id] = with_furniture(article)
        return found

    def save(self, store: Store, article: Article) -> None:
        """Save `article`, its page furniture found first if need be."""
        store.put_article(self.furnished(article))


def _pack_at(path: Path) -> Pack | None:
    """The pack at `path` (a folder with a `pack.toml`, or a .zip holding one), else None.
    Only a folder or a .zip can be one: for an article file the pack module is not loaded."""
    if not (path.suffix.lower() == ".zip" or path.is_dir()):
        return None
    from reader.classroom.pack import is_pack, load_pack

    return load_pack(path) if is_pack(path) else None

def prepare_session(paths: list[str], db: Path, author: str = "", ask_author: bool = False, *,
                    defer_writes: bool = False) -> Session:
    """Open the database, read the articles, and settle who is annotating.

    `ask_author` (`presscheck serve`: many students on one database) leaves the name the
    database remembers alone: unless `author` is given, the app asks for it, every session.
    `defer_writes` (the command line, opening the app): the articles read anew, the files'
    stamps and a new name to remember are left in `Session.unsaved`, saved once the first
    frame is drawn (a 5 MB article's text file written and synced was ~20 ms of its first
    open); else they are saved here. The articles read anew then come without their page
    furniture, found just after the first frame too (`Session.furniture_later`).
    """
    # articles the database holds come back from it; a database is only made once the
    # paths have opened (a refused file leaves nothing behind)
    existing = Store.open(db) if db.exists() else None
    by_raw = _StoredByRaw(existing) if existing else {}
    stamps = FileStamps.from_meta(existing.get_meta(STAMPS_KEY)) if existing else FileStamps()
    found = _collect(paths, KnownArticles(by_raw, stamps), furniture_later=defer_writes)
    store = existing or Store.open(db, on_first_write=defer_writes)  # a new one made after the first frame
    pack = found.pack
    articles = unique_articles(found.articles)
    stored = by_raw.found if isinstance(by_raw, _StoredByRaw) else {}
    # read anew from their files (not given back by the database): without their furniture
    anew = [article for article in articles if stored.get(article.id) is not article]
    later = FurnitureLater(anew if defer_writes else [])
    unsaved: list[Callable[[], object]] = []
    for article in articles:
        if later.waits_for(article):
            unsaved.append(partial(later.save, store, article))
        else:
            store.put_article(article)  # a stored one: its metadata refreshed, if it changed
    if stamps.changed:
        # after the articles: a stamp names the bytes of an article the database holds
        unsaved.append(partial(store.set_meta, STAMPS_KEY, stamps.records))
    notices = list(found.notices)
    if len(articles) > MAX_OPEN:
        notices.append(f"{len(articles) - MAX_OPEN} more article(s) are in the library (o)")
        articles = articles[:MAX_OPEN]
    if not ask_author:
        remembered = store.get_meta("author", "")
        author = author or remembered  # when still empty, the app asks once
        if author and author != remembered:
            unsaved.append(partial(store.set_meta, "author", author))  # saved with the rest
    followed = follow_changed_files(store, articles)
    if followed or not defer_writes:
        # annotations moved onto the new articles: the articles are saved with them
        for write in unsaved:
            write()
        unsaved = []
    banner = "; ".join(f.summary() for f in followed)
    annotations = store.annotations(a.id for a in articles)
    if store.problems:
        notices.append(
            f"{len(store.problems)} record(s) of {store.path.name} could not be read and are left "
            "out (kept in the file as they are); `presscheck db check` lists them"
        )
    return Session(
        store=store,
        articles=articles,
        author=author,
        pack_tags=pack.tags if pack else (),
        pack_relations=pack.relations if pack else (),
        annotations=annotations,
        pack=pack,
        notices=notices,
        to_fetch=list(found.urls),
        feed_entries=unique_entries(found.entries),
        remember_author=not ask_author,
        banner=banner,
        unsaved=unsaved,
        furniture_later=later if defer_writes else None,
    )

class _StoredByRaw:
    """The database's articles by the sha256 of the bytes they were read from, looked up
    one at a time (an index lookup), never all read."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.found: dict[str, Article] = {}
        """The articles found (stored already), by id."""

    def get(self, raw_sha256: str) -> Article | None:
        article = self.store.article_by_raw(raw_sha256)
        if article is not None:
            self.found[article.id] = article
        return article


def unique_articles(articles: list[Article]) -> list[Article]:
    """Articles without repeats (the same text opened from two files), first kept."""
    seen: set[str] = set()
    kept = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            kept.append(article)
    return kept

def unique_entries(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Feed entries without repeats (the same entry of a feed opened twice)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for entry in entries:
        if (entry.feed_source, entry.key) not in seen:
            seen.add((entry.feed_source, entry.key))
            kept.append(entry)
    return kept

def class_session(view: ClassView, pack: Pack, store: Store) -> Session:
    """The read-only session of the class view: the key's items over the class's heat, and
    each student's annotations for the sidebar's filter."""
    return Session(
        store=store,
        articles=view.articles,
        author="teacher",
        pack_tags=pack.tags,
        pack_relations=pack.relations,
        annotations=[*view.key_annotations, *view.student_annotations],
        pack=pack,
        read_only=True,
        heat=view.heat,
        heat_students=view.students,
        banner=view.summary,
        students=tuple(view.student_names),
        class_report=view.report,
        badges={key_id: f"found by {count}/{view.students}" for key_id, count in view.found_by.items()},
    )


def key_session(mode: KeyMode) -> Session:
    """Key mode: the pack's articles over the pack's own key database."""
    from reader.classroom.key_store import KEY_AUTHOR

    store = mode.key.store
    pack = mode.pack
    articles = mode.articles[:MAX_OPEN]
    notices = list(mode.key.notices)
    notices += [f"skipped {file}: {reason}" for file, reason in mode.skipped]
    key = store.annotations(a.id for a in mode.articles)  # read once: the count, and those shown
    open_ids = {a.id for a in articles}
    items = len(key)
    banner = f"key mode · {items} key item{'s' if items != 1 else ''}"
    if mode.handins:
        banner += f" · {len(mode.candidates)} candidates from {mode.handins} hand-ins"
    return Session(
        store=store,
        articles=articles,
        author=KEY_AUTHOR,
        pack_tags=pack.tags,
        pack_relations=pack.relations,
        annotations=[a for a in key if any(t.article_id in open_ids for t in a.targets)],
        pack=pack,
        notices=notices,
        remember_author=False,
        key_mode=mode,
        banner=banner,
        follow_up=mode.key.write_key_file,
    )


def seat_session(lesson: LiveLesson, seat: Seat, name: str) -> Session:
    """A student's session in a live lesson: the pack over the seat's own database, under
    the name the seat was first taken with; the live copy is written at once, so the
    teacher's view lists the student as soon as they sign in."""
    author = seat.author() or name
    # prepare_session remembers the name in the seat's database (the setting AUTHOR_KEY)
    session = prepare_session([str(lesson.pack.folder)], seat.db, author=author)
    store = session.store
    seat.write_live_copy(store, author)
    session.follow_up = lambda: seat.write_live_copy(store, author)
    session.lesson = lesson
    session.seat = seat
    session.hand_in_folder = lesson.handins
    return session


def watch_session(live: LiveClass, store: Store) -> Session:
    """The teacher's live class view: the class view of the students' live copies as they
    are now (kept up to date by the app)."""
    view = live.view_if_changed()
    assert view is not None  # the first build always builds
    session = class_session(view, live.lesson.pack, store)
    session.lesson = live.lesson
    session.live_class = live
    session.candidates = view.candidates
    return session
