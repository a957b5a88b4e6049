"""Where `presscheck key` keeps a pack's answer key: a database of its own inside the pack,
and the key file that `compare`, `class` and `pack check` read, rewritten after every
save. No UI.

- The database is `PACK/.key/key-db.json` (with its journal and backups): crash-safe and
  undoable like any presscheck database, and never mixed with a reader's own database.
  `pack handout` copies only the manifest and the articles, so it never leaves the pack.
- The key file (`key.json`, or the file `pack.toml` names as `key`) is a presscheck JSON
  export of exactly the key's annotations on the pack's articles, articles named by their
  file in the pack (no local paths). It is written whole or not at all after every run of
  saves; "✓ saved" in key mode means both are on disk.
- A key file changed outside key mode (a teacher replaced it, `pack create --key`, a pack
  that came with one) wins: on opening, when its bytes are not the ones key mode last
  wrote, the database is set to exactly its annotations, and a notice says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from reader.classroom.pack import PACK_FILE, Pack
from reader.errors import UserError
from reader.ingest.sanitize import display_line
from reader.model import Annotation, Article
from reader.store import Store

KEY_FILE = "key.json"
"""The key file's name when the pack names none."""
STORE_FOLDER = ".key"
STORE_FILE = "key-db.json"
KEY_AUTHOR = "answer key"
"""Who the key's items are by, in the key file and the app."""
_WRITTEN = "key_file_sha256"
"""The store's record of the key file's bytes as key mode last wrote them."""


@dataclass
class KeyStore:
    """The answer key of one pack, as key mode edits it."""

    pack: Pack
    store: Store
    key_file: Path
    sources: dict[str, str]
    """Article id → its file in the pack: how the key file names the articles."""
    articles: list[Article] = field(default_factory=list)
    """The pack's articles, in pack order (the database holds them too)."""
    notices: list[str] = field(default_factory=list)

    def write_key_file(self) -> int:
        """Rewrite the key file from the database (atomically); how many items it holds.
        The first time, `pack.toml` gets its `key` entry."""
        from reader.export import write_export

        count = write_export(self.store, "json", self.key_file, sorted(self.sources), KEY_AUTHOR,
                             sources=self.sources)
        self.store.set_meta(_WRITTEN, _digest(self.key_file))
        name = self.key_file.relative_to(self.pack.folder).as_posix()
        if self.pack.key is None:
            name_key_file(self.pack.folder / PACK_FILE, name)
            self.pack = _with_key(self.pack, self.key_file)
        return count


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _with_key(pack: Pack, key_file: Path) -> Pack:
    from dataclasses import replace

    return replace(pack, key=key_file)


def name_key_file(manifest: Path, name: str) -> None:
    """Add `key = "NAME"` to a manifest that has none, among its top-level entries (before
    the first table, where TOML would read it as part of that table), atomically."""
    import json

    from reader.atomic_write import write_atomically

    lines = manifest.read_text("utf-8").splitlines(keepends=True)
    first_table = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    entry = f"key = {json.dumps(name, ensure_ascii=False)}\n"
    if first_table and not lines[first_table - 1].endswith("\n"):
        lines[first_table - 1] += "\n"
    lines.insert(first_table, entry)
    write_atomically(manifest, "".join(lines).encode("utf-8"), 0o644)


def open_key_store(pack: Pack) -> KeyStore:
    """The key database of `pack` (made on first use), caught up with its key file.

    A pack read from a .zip is refused: the key is written into the pack, and a zip is
    not edited in place."""
    if pack.zip_file is not None:
        raise UserError(
            f"{pack.zip_file}: key mode writes the key into the pack, and a .zip is not changed "
            "in place; unzip it and run presscheck key on the folder"
        )
    from reader.classroom.handin import pack_sources
    from reader.classroom.pack import load_pack_articles

    key_file = pack.key or pack.folder / KEY_FILE
    store = Store.open(pack.folder / STORE_FOLDER / STORE_FILE)
    articles = list(load_pack_articles(pack.folder))
    store.put_many(articles)  # the key file carries their texts; a no-op once they are in
    key = KeyStore(pack, store, key_file, pack_sources(pack, articles), articles)
    if key_file.is_file() and _digest(key_file) != store.get_meta(_WRITTEN):
        key.notices.append(_take_key_file(key))
    return key


def add_to_key(pack: Pack, annotation: Annotation) -> int:
    """One item into the pack's key from outside key mode (the live class view, during the
    debrief): saved as key mode saves, database then key file; how many items it holds."""
    key = open_key_store(pack)
    try:
        key.store.put_annotation(annotation)
        return key.write_key_file()
    finally:
        key.store.close()


def _take_key_file(key: KeyStore) -> str:
    """Set the database to exactly the key file's annotations; the notice saying so."""
    from reader.export.importing import apply
    from reader.export.reading import read_file

    shown = display_line(str(key.key_file))
    parsed = read_file(key.key_file)  # read and checked once: a bad file changes nothing
    reports = apply(key.store, [parsed], key.articles)
    wanted = {annotation.id for annotation in parsed.annotations}
    with key.store.transaction():
        for annotation in key.store.annotations():
            if annotation.id not in wanted:
                key.store.delete_annotation(annotation.id)
    key.store.set_meta(_WRITTEN, _digest(key.key_file))
    report = reports[0]
    placed = report.added + report.updated + report.unchanged
    return f"Key mode took the key from {shown}: {placed} item(s)"
