"""A lesson served live (`presscheck serve LESSON --class`): each student's seat, the live
copies the teacher's view reads, and the end of the lesson. No UI.

Everything lives in the pack's `.class/` folder, which only the server's own processes
touch (`pack handout` copies from an allow-list, so it never reaches students):

- `seats/NAME-HASH/db.json`: one student's own database. A student's session opens only
  their own, so no other student's name, quote or note is ever in its process.
- `live/NAME-LESSON-HASH.json`: that student's work as a hand-in, rewritten after every
  save (part of the save: "✓ saved" means the teacher can see it). The teacher's view
  scores these; `compare` reads them like any hand-in.
- `ended`: present once the teacher has ended the lesson; the students' sessions see it.

A seat is chosen by the name the student types, compared without case and spacing
("ana  lee" is "Ana Lee"). Names are not passwords: anyone typing a student's name opens
their seat, except while a session holds it (the seat's lock), so two tabs never write
one seat at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reader.classroom.handin import hand_in_name, slug, write_hand_in
from reader.classroom.pack import Pack
from reader.errors import UserError
from reader.store import Store

STATE_FOLDER = ".class"
"""The lesson's live state, inside the pack folder."""
AUTHOR_KEY = "author"
"""The database setting holding the seat's name as the student first typed it."""


def seat_key(name: str) -> str:
    """What makes two typed names the same seat: NFC, no case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def clean_name(name: str) -> str:
    """A typed name as it goes on annotations: single spaces, no control characters."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(unicodedata.normalize("NFC", printable).split())


class SeatTaken(UserError):
    """The seat is open in another session."""


@dataclass
class Seat:
    """One student's place in the lesson: their database, and while a session holds it,
    the lock that keeps every other session out."""

    lesson: LiveLesson
    folder: Path
    _lock: int | None = field(default=None, repr=False)

    @property
    def db(self) -> Path:
        return self.folder / "db.json"

    def take(self) -> None:
        """Hold the seat for this process's lifetime, or raise SeatTaken."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(self.folder / "seat.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise SeatTaken(
                "this name is open in another tab or computer right now; close that one first, "
                "or ask your teacher"
            ) from None
        self._lock = descriptor

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None

    def author(self) -> str:
        """The name this seat's work is under (as first typed), or ''."""
        if not self.db.exists():
            return ""
        store = Store.open(self.db, create=False)
        try:
            return str(store.get_meta(AUTHOR_KEY, "") or "")
        finally:
            store.close()

    def write_live_copy(self, store: Store, author: str) -> None:
        """The seat's work as a hand-in in the live folder, for the teacher's view."""
        self.lesson.live_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_hand_in(store, author, self.lesson.pack, self.lesson.live_folder)


@dataclass(frozen=True)
class EndedLesson:
    """What ending the lesson wrote: hand-in paths, and seats that could not be handed in."""

    handed_in: list[Path]
    failed: list[tuple[str, str]]


@dataclass(frozen=True)
class LiveLesson:
    """The pack being taught, where its live state is, and where hand-ins go."""

    pack: Pack
    handins: Path
    state_folder: Path | None = None
    """Where the live state is kept; the pack's `.class/` unless given."""

    @property
    def state(self) -> Path:
        return self.state_folder or self.pack.folder / STATE_FOLDER

    @property
    def seats_folder(self) -> Path:
        return self.state / "seats"

    @property
    def live_folder(self) -> Path:
        return self.state / "live"

    @property
    def ended_marker(self) -> Path:
        return self.state / "ended"

    def prepare(self) -> None:
        """Make the folders (private to this user) and open the lesson: a lesson served
        again after its end is running again."""
        for folder in (self.state, self.seats_folder, self.live_folder):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.handins.mkdir(parents=True, exist_ok=True)
        self.ended_marker.unlink(missing_ok=True)

    def seat(self, name: str) -> Seat:
        key = seat_key(name)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
        return Seat(self, self.seats_folder / f"{slug(key, fallback='student')}-{digest}")

    def seats(self) -> list[Seat]:
        if not self.seats_folder.is_dir():
            return []
        return [Seat(self, folder) for folder in sorted(self.seats_folder.iterdir())
                if folder.is_dir() and not folder.is_symlink() and (folder / "db.json").is_file()]

    def live_files(self) -> list[Path]:
        """The students' live copies, in the order of their file names (stable for the view)."""
        if not self.live_folder.is_dir():
            return []
        return sorted(path for path in self.live_folder.glob("*.json")
                      if path.is_file() and not path.is_symlink())

    def key_path(self) -> Path | None:
        """The pack's answer key file, also when key mode made it after the pack was read."""
        from reader.classroom.key_store import KEY_FILE

        if self.pack.key is not None:
            return self.pack.key
        made = self.pack.folder / KEY_FILE
        return made if made.is_file() else None

    def live_signature(self) -> tuple[tuple[str, int, int], ...]:
        """Changes when any live copy or the key changes: what the teacher's view polls."""
        key = self.key_path()
        files = [*self.live_files(), *([key] if key else [])]
        signature = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            signature.append((path.name, stat.st_mtime_ns, stat.st_size))
        return tuple(signature)

    @property
    def ended(self) -> bool:
        return self.ended_marker.exists()

    def end(self) -> EndedLesson:
        """Hand in every seat's work to `handins` from its database (what was saved, even
        for a closed tab), then tell the students' sessions. A seat that fails is listed
        and the others still go in."""
        self.handins.mkdir(parents=True, exist_ok=True)
        handed_in: list[Path] = []
        failed: list[tuple[str, str]] = []
        for seat in self.seats():
            try:
                store = Store.open(seat.db, create=False)
            except Exception as error:  # noqa: BLE001 - one bad seat never stops the others
                failed.append((seat.folder.name, str(error)))
                continue
            try:
                author = str(store.get_meta(AUTHOR_KEY, "") or "")
                if not author:
                    continue  # signed in, never saved a name: nothing to hand in
                handed_in.append(write_hand_in(store, author, self.pack, self.handins).path)
            except Exception as error:  # noqa: BLE001
                failed.append((seat.folder.name, str(error)))
            finally:
                store.close()
        self.ended_marker.write_text("ended\n", encoding="utf-8")
        return EndedLesson(handed_in, failed)

    def hand_in_path(self, author: str) -> Path:
        return self.handins / hand_in_name(author, self.pack)
