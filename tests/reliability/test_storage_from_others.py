"""Database files from other people or other tools (issue 16, storage): nothing in them
crashes a command, escapes the database's folder, hangs a command, or costs a save.

One test per reproduction: `db recover` keeps the journal's saves; a recover killed at any
step loses nothing and is finished by running it again; after `import` the `.json` alone
holds everything; a symlinked database is written through its link, and a FIFO or folder
is refused in one line; odd records (giant keys, giant or float positions, a string for
tags, an unknown anchor) are reported and skipped, never crash, never coerced, and stay in
the file as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from database_files import journal_of, read_database

import reader.snapshot as snapshot_module
from reader.anchoring import describe
from reader.errors import DatabaseError, UserError
from reader.export import render_export
from reader.maintenance import check_database, recover_database
from reader.model import Annotation, Article, article_id_for
from reader.store import STORE_SCHEMA, Store, backup_paths

TEXT = "The mayor said the budget was balanced. Auditors found a deficit of 4 million."
ARTICLE = article_id_for(TEXT)


def _claim(tag: str, start: int = 4, end: int = 9) -> Annotation:
    return Annotation(kind="claim", targets=(describe(ARTICLE, TEXT, start, end),), tags=(tag,), author="a")


def presscheck(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    return subprocess.run([sys.executable, "-m", "reader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _one_line_error(result: subprocess.CompletedProcess[str], names: object) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(names) in result.stderr, result.stderr


@pytest.fixture
def backups_at_every_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot_module, "BACKUP_INTERVAL", 0.0)


def _journal_only_saves(path: Path) -> tuple[Annotation, list[Annotation]]:
    """A database whose newest backup holds `kept`, whose journal holds three more saves,
    and whose snapshot is cut short (unparseable)."""
    store = Store.open(path)
    kept = _claim("kept")
    store.put_annotation(kept)
    store.close()  # a fold: .bak.1 is the file before it
    store.put_annotation(_claim("lost with the snapshot", 10, 16))
    store.close()  # another fold: .bak.1 now holds `kept`
    journal_only = [_claim(f"journal {i}", 20 + i, 30 + i) for i in range(3)]
    for claim in journal_only:
        store.put_annotation(claim)
    assert journal_of(path).read_bytes().count(b"\n") == 4  # the header and the three saves
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return kept, journal_only


# 1. recover keeps the saves that only the journal holds ------------------------------


def test_recover_folds_in_the_saves_only_the_journal_holds(tmp_path: Path, backups_at_every_fold: None) -> None:
    path = tmp_path / "db.json"
    kept, journal_only = _journal_only_saves(path)

    result = presscheck("db", "recover", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "from db.json.bak.1 and 3 change(s) from db.json.journal" in result.stdout, result.stdout
    assert "the unreadable file is kept as" in result.stdout
    wanted = {kept.id, *(a.id for a in journal_only)}
    assert {a.id for a in Store.open(path, create=False).annotations()} == wanted

    # the next save does not replace them, and after a clean close the .json alone holds all
    later = _claim("later", 40, 48)
    store = Store.open(path)
    store.put_annotation(later)
    store.close()
    alone = json.loads(path.read_bytes())
    assert {r["id"] for r in alone["annotations"].values()} == wanted | {later.id}


def test_recover_puts_journal_records_by_their_key_and_never_over_another_record(
    tmp_path: Path, backups_at_every_fold: None
) -> None:
    """The journal's records are whole documents: an edit replaces the backup's record of
    the same id, a deletion removes it, and a record never takes the place of another one
    the backup holds (it gets a new number instead)."""
    path = tmp_path / "db.json"
    store = Store.open(path)
    first, second, third = _claim("first"), _claim("second", 10, 16), _claim("third", 17, 22)
    for claim in (first, second, third):
        store.put_annotation(claim)
    store.close()
    store.put_annotation(_claim("lost", 20, 30))
    store.close()  # .bak.1: {first, second, third}
    store.put_annotation(first.edited(note="edited"))
    store.delete_annotation(second.id)
    new = _claim("new", 40, 48)
    store.put_annotation(new)
    # a line from another lineage: a new record under the number `third` has in the backup
    number = next(k for k, r in read_database(backup_paths(path)[0])["annotations"].items() if r["id"] == third.id)
    other = _claim("other", 50, 56)
    with journal_of(path).open("ab") as journal:
        journal.write(json.dumps({"t": "annotations", "k": number, "d": other.to_dict()}).encode() + b"\n")
    path.write_bytes(b"{")

    recovery = recover_database(path)
    assert recovery.journal_changes == 4
    by_id = {a.id: a for a in Store.open(path, create=False).annotations()}
    assert set(by_id) == {first.id, third.id, new.id, other.id}
    assert by_id[first.id].note == "edited"


# 2. a recover killed at any step -----------------------------------------------------


class Killed(BaseException):
    """A kill: nothing after it runs (only `with` blocks unwind, as the OS releases locks)."""


def test_recover_killed_at_any_step_is_finished_by_running_it_again(
    tmp_path: Path, backups_at_every_fold: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = tmp_path / "template"
    template.mkdir()
    kept, journal_only = _journal_only_saves(template / "db.json")
    bad = (template / "db.json").read_bytes()
    wanted = {kept.id, *(a.id for a in journal_only)}
    steps = ("replace", "link", "fsync", "unlink", "rename")
    originals = {name: getattr(os, name) for name in steps}

    for kill_at in range(1, 100):
        folder = tmp_path / f"kill-{kill_at}"
        shutil.copytree(template, folder)
        path = folder / "db.json"
        calls = 0

        def counted(name: str):
            def call(*args, **kwargs):
                nonlocal calls
                calls += 1
                if calls == kill_at:
                    raise Killed(f"killed before os.{name}")
                return originals[name](*args, **kwargs)
            return call

        with monkeypatch.context() as patched:
            for name in steps:
                patched.setattr(os, name, counted(name))
            try:
                recover_database(path)
                finished = True
            except Killed:
                finished = False

        assert path.exists(), f"killed at step {kill_at}: the database path names no file"
        if not finished:
            try:  # the next command a user runs: never makes an empty database over it
                Store.open(path).close()
            except DatabaseError:
                pass
            try:
                recover_database(path)
            except UserError as error:
                assert "nothing to recover" in str(error)
        recovered = Store.open(path, create=False)
        assert {a.id for a in recovered.annotations()} == wanted, f"killed at step {kill_at}"
        assert all(b.exists() for b in backup_paths(path)[:2]), "a backup went missing"
        asides = sorted(folder.glob("db.json.corrupt-*"))
        assert [a.read_bytes() for a in asides] == [bad], f"killed at step {kill_at}: {asides}"
        if finished:
            break
    else:
        pytest.fail("recover never finished")
    assert kill_at > 3  # the kills did land inside the recovery


def test_a_missing_database_beside_its_backups_is_not_made_anew(tmp_path: Path, backups_at_every_fold: None) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    claim = _claim("x")
    store.put_annotation(claim)
    store.close()
    path.unlink()  # e.g. a recover killed after moving it aside
    for create in (True, False):
        with pytest.raises(DatabaseError, match="db recover") as caught:
            Store.open(path, create=create)
        assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert not path.exists()
    recover_database(path)
    assert Store.open(path, create=False).get_meta("schema_version") == STORE_SCHEMA


# 3. the one-file promise after a bulk change -----------------------------------------


def _export_file(folder: Path, *claims: Annotation) -> Path:
    source = Store.open(folder / "source.json")
    source.put_article(Article(id=ARTICLE, title="Budget", text=TEXT))
    for claim in claims:
        source.put_annotation(claim)
    export = folder / "export.json"
    export.write_bytes(render_export(source, "json")[0])
    return export


def test_import_into_a_new_database_leaves_the_json_complete(tmp_path: Path) -> None:
    claims = [_claim(str(i), i, i + 5) for i in range(3)]
    export = _export_file(tmp_path, *claims)
    target = tmp_path / "class" / "class.json"
    result = presscheck("import", "--db", str(target), str(export), cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    copy = tmp_path / "copy.json"  # the .json alone, as a user copies it
    shutil.copyfile(target, copy)
    assert {r["id"] for r in json.loads(copy.read_bytes())["annotations"].values()} == {c.id for c in claims}
    assert [a["id"] for a in json.loads(copy.read_bytes())["articles"].values()] == [ARTICLE]
    assert journal_of(target).read_bytes().count(b"\n") == 1  # nothing but the header


def test_put_many_folds_the_journal_in(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    claims = [_claim(str(i), i, i + 5) for i in range(3)]
    store.put_many([Article(id=ARTICLE, title="Budget", text=TEXT)], claims)
    assert {r["id"] for r in json.loads(path.read_bytes())["annotations"].values()} == {c.id for c in claims}
    assert store.unfolded_changes() == 0


def test_check_says_when_the_journal_holds_changes_the_file_lacks(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    for i in range(3):
        store.put_annotation(_claim(str(i), i, i + 5))
    result = presscheck("db", "check", "--db", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout  # a journal in use is normal: a note, not a problem
    notes = [line for line in result.stdout.splitlines() if line.startswith("journal:")]
    assert notes == [
        "journal: 3 change(s) not yet folded into db.json; they are safe in db.json.journal "
        "(copy the database's files together meanwhile); closing presscheck folds them in"
    ]
    store.close()
    result = presscheck("db", "check", "--db", str(path), cwd=tmp_path)
    assert "journal:" not in result.stdout and result.stdout.strip().endswith("ok")


# 4. odd database paths ---------------------------------------------------------------


def test_a_symlinked_database_is_written_through_its_link(tmp_path: Path, backups_at_every_fold: None) -> None:
    real = tmp_path / "data" / "real.json"
    real.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(Path("data") / "real.json")
    first = Store.open(real)
    a = _claim("a")
    first.put_annotation(a)
    first.close()

    via_link = Store.open(link)
    b = _claim("b", 10, 16)
    via_link.put_annotation(b)
    via_link.close()  # a fold through the link: the target is replaced, the link kept

    assert link.is_symlink() and os.readlink(link) == str(Path("data") / "real.json")
    assert {r["id"] for r in json.loads(real.read_bytes())["annotations"].values()} == {a.id, b.id}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "link.json"]  # no journal, lock, backup here
    assert all(not p.is_symlink() for p in real.parent.iterdir())
    assert via_link.path == first.path == real
    assert {x.id for x in Store.open(real).annotations()} == {a.id, b.id}


@pytest.mark.parametrize(
    "command",
    [["export"], ["db", "check"], ["db", "recover"], ["import", "EXPORT"], ["--author", "x"]],
    ids=["export", "db-check", "db-recover", "import", "app"],
)
def test_a_fifo_database_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    export = _export_file(tmp_path, _claim("x")) if "EXPORT" in command else None
    args = [str(export) if part == "EXPORT" else part for part in command]
    result = presscheck(*args, "--db", str(fifo), cwd=tmp_path, timeout=30)
    _one_line_error(result, fifo)
    assert "named pipe" in result.stderr


def test_recover_of_a_folder_is_one_line(tmp_path: Path) -> None:
    result = presscheck("db", "recover", "--db", str(tmp_path), cwd=tmp_path)
    _one_line_error(result, tmp_path)
    assert "is a folder" in result.stderr


# 5. odd records ----------------------------------------------------------------------


def test_a_record_key_of_thousands_of_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    good = _claim("good")
    store.put_annotation(good)
    giant = "9" * 5000
    hostile = {"t": "annotations", "k": giant, "d": _claim("hostile", 10, 16).to_dict()}
    with journal_of(path).open("ab") as journal:
        journal.write(json.dumps(hostile).encode() + b"\n")

    later = _claim("later", 20, 30)
    Store.open(path).put_annotation(later)  # int() of 5000 digits raised here
    report = check_database(path)
    assert not report.ok
    assert report.problems == ["annotation record 999999999999… (5000 characters): its key is not a record number"]
    reopened = Store.open(path)
    assert {a.id for a in reopened.annotations()} == {good.id, later.id}
    reopened.close()
    assert read_database(path)["annotations"][giant] == hostile["d"]  # kept as it was


def _database_with(tmp_path: Path, bad: dict) -> tuple[Path, Annotation]:
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_article(Article(id=ARTICLE, title="Budget", text=TEXT))
    good = _claim("good")
    store.put_annotation(good)
    store.close()
    data = json.loads(path.read_bytes())
    data["annotations"]["7"] = bad
    path.write_text(json.dumps(data))
    return path, good


def test_a_huge_position_does_not_break_export(tmp_path: Path) -> None:
    bad = _claim("huge", 10, 16).to_dict()
    bad["targets"][0]["selectors"][0]["start"] = 1.5e300
    path, good = _database_with(tmp_path, bad)
    for fmt in ("json", "w3c", "csv", "md"):
        result = presscheck("export", "--format", fmt, "--db", str(path), cwd=tmp_path)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert "good" in result.stdout and "huge" not in result.stdout  # the tags
        warning = [line for line in result.stderr.splitlines() if "warning" in line]
        assert len(warning) == 1 and "1 record(s) could not be read and were left out" in warning[0]
        assert "presscheck db check" in warning[0]
    check = presscheck("db", "check", "--db", str(path), cwd=tmp_path)
    assert check.returncode == 1
    assert f"problem: annotation record 7 (id {bad['id']}): a target's start is 1.5e+300" in check.stdout


ODD = {
    "tags-a-string": ("tags", "abc", "tags is 'abc', not a list of texts"),
    "unknown-anchor": ("anchor", "somewhere", "unknown anchor 'somewhere'"),
    "unknown-kind-with-escapes": ("kind", "\x1b]0;owned\x07", "unknown annotation kind '\\x1b]0;owned\\x07'"),
    "note-null": ("note", None, "note is None, not text"),
    "author-a-number": ("author", 7, "author is 7, not text"),
}


@pytest.mark.parametrize(("field", "value", "says"), ODD.values(), ids=ODD.keys())
def test_an_odd_record_is_reported_skipped_and_kept_as_it_is(
    tmp_path: Path, field: str, value: object, says: str
) -> None:
    bad = _claim("odd", 10, 16).to_dict()
    bad[field] = value
    path, good = _database_with(tmp_path, bad)
    store = Store.open(path)
    assert [a.id for a in store.annotations()] == [good.id]  # never coerced into one
    assert store.problems == [f"annotation record 7 (id {bad['id']}): {says}"]
    assert all(ch.isprintable() for line in store.problems for ch in line)

    store.put_annotation(_claim("later", 20, 30))
    store.close()  # a fold writes the tables back, the bad record as it was
    assert json.loads(path.read_bytes())["annotations"]["7"] == bad
    report = check_database(path)
    assert report.problems == store.problems and not report.ok


def test_check_lists_damaged_articles_and_annotations_together(tmp_path: Path) -> None:
    bad = _claim("odd", 10, 16).to_dict()
    bad["tags"] = "abc"
    path, _ = _database_with(tmp_path, bad)
    data = json.loads(path.read_bytes())
    broken = {**Article(id="f" * 16, title="Other", text="short").to_dict(), "furniture": [[0, 99]]}
    data["articles"]["9"] = broken
    path.write_text(json.dumps(data))
    store = Store.open(path)
    store.articles()
    store.annotations()  # as an export reads them: both tables' problems are kept
    expected = [
        f"article record 9 (id {'f' * 16}): furniture is not a list of [start, end] spans inside the text",
        f"annotation record 7 (id {bad['id']}): tags is 'abc', not a list of texts",
    ]
    assert store.problems == expected
    assert check_database(path).problems == expected


def test_an_import_refuses_positions_a_database_would_not_read(tmp_path: Path) -> None:
    """What import lets in, the database reads back: positions beyond 2^53 or written as
    floats are refused by the import, in one line, instead of becoming damaged records."""
    from reader.export import w3c
    from reader.export.reading import ImportFileError, parse_bytes
    from reader.model import Target, TextPositionSelector

    claim = _claim("far")
    far = Target(ARTICLE, TextPositionSelector(4, 2**60), claim.targets[0].quote)
    blob = w3c.dumps(w3c.build_collection([Annotation(kind="claim", targets=(far,), author="a")], "a"))
    with pytest.raises(ImportFileError, match="over 2\\^53"):
        parse_bytes(blob, tmp_path / "far.jsonld")

    export = json.loads(_export_file(tmp_path, claim).read_bytes())
    export["annotations"][0]["targets"][0]["selectors"][0]["start"] = 4.0
    with pytest.raises(ImportFileError, match="annotation 1: a target's start is 4.0") as caught:
        parse_bytes(json.dumps(export).encode(), tmp_path / "float.json")
    assert "\n" not in str(caught.value)
    export["annotations"][0]["targets"][0]["selectors"][0]["start"] = 4
    export["articles"][0]["furniture"] = [[0.0, 3.0]]
    with pytest.raises(ImportFileError, match=f"article {ARTICLE}: furniture is not"):
        parse_bytes(json.dumps(export).encode(), tmp_path / "float.json")


def test_the_app_says_when_records_are_left_out(tmp_path: Path) -> None:
    """The app skips a record that does not read (Ctrl+E and the sidebar work on the rest)
    and says so once, as a notice, instead of leaving it out silently."""
    from reader.launch import prepare_session

    bad = _claim("huge", 10, 16).to_dict()
    bad["tags"] = "abc"
    path, good = _database_with(tmp_path, bad)
    article = tmp_path / "budget.txt"
    article.write_text(TEXT + "\n", encoding="utf-8")
    session = prepare_session([str(article)], path, "a")
    assert [a.id for a in session.annotations] == [good.id]
    notice = [n for n in session.notices if "could not be read" in n]
    assert len(notice) == 1 and "1 record(s) of db.json" in notice[0] and "presscheck db check" in notice[0]
