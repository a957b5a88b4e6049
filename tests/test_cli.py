"""The command line as a user runs it: real processes, exit codes, stderr lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from reader import __version__
from reader.anchoring import describe
from reader.export.json_format import schema
from reader.ingest import load_article
from reader.model import Annotation
from reader.store import Store


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_version_and_help(tmp_path):
    assert run("--version", cwd=tmp_path).stdout.strip() == f"presscheck {__version__}"
    help_text = run("--help", cwd=tmp_path).stdout
    assert "export" in help_text and "--db" in help_text
    assert "--output" in run("export", "--help", cwd=tmp_path).stdout


def test_usage_error_exits_2(tmp_path):
    result = run("export", "--format", "yaml", cwd=tmp_path)
    assert result.returncode == 2


BAD_DATABASES = {
    "not json": b"{this is not json",
    "empty": b"",
    "whitespace": b"  \n\n",
    "truncated": b'{"annotations": {"1": {"id": "x", "kind": "cl',
    "wrong shape": b'["a", "list"]',
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("content", BAD_DATABASES.values(), ids=BAD_DATABASES.keys())
@pytest.mark.parametrize("command", [[], ["export"]], ids=["open", "export"])
def test_bad_database_is_one_line_error_and_left_untouched(tmp_path, content, command):
    db = tmp_path / "bad.json"
    db.write_bytes(content)
    before = db.stat().st_mtime_ns
    result = run(*command, "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(db) in lines[0] and "Traceback" not in result.stderr
    assert "--db" in lines[0]  # says what to do
    assert db.read_bytes() == content and db.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".bad.json.*.tmp"))


def test_debug_shows_the_traceback(tmp_path):
    db = tmp_path / "bad.json"
    db.write_bytes(b"nope")
    result = run("export", "--db", str(db), "--debug", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_export_of_a_missing_database_is_a_user_error_and_creates_nothing(tmp_path):
    result = run("export", cwd=tmp_path)
    assert result.returncode == 1
    assert "annotations.json" in result.stderr and "--db" in result.stderr
    assert not (tmp_path / "annotations").exists()


def test_missing_article_file_is_a_user_error(tmp_path):
    result = run("nowhere.txt", "--db", str(tmp_path / "db.json"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "presscheck: nowhere.txt: no such file"


def _db_with_claim(path: Path, seeds: Path) -> tuple[Store, Annotation]:
    article = load_article(seeds / "000_1aa975c49d58f58c.txt")
    store = Store.open(path)
    store.put_article(article)
    claim = Annotation(kind="claim", targets=(describe(article.id, article.text, 0, 60),),
                       tags=("factual claim",), author="ann")
    store.put_annotation(claim)
    return store, claim


def test_export_to_stdout_and_file_validates(tmp_path, seeds):
    store, claim = _db_with_claim(tmp_path / "db.json", seeds)
    result = run("export", "--db", str(store.path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema())
    assert [a["id"] for a in document["annotations"]] == [claim.id]

    out = tmp_path / "out.json"
    result = run("export", "-o", str(out), cwd=tmp_path, env={"PRESSCHECK_DB": str(store.path)})
    assert result.returncode == 0
    assert json.loads(out.read_text())["annotations"] == document["annotations"]


def test_export_filters_by_article(tmp_path, seeds):
    store, claim = _db_with_claim(tmp_path / "db.json", seeds)
    article_id = claim.targets[0].article_id
    ok = run("export", "--db", str(store.path), "--article", article_id, cwd=tmp_path)
    assert len(json.loads(ok.stdout)["annotations"]) == 1
    bad = run("export", "--db", str(store.path), "--article", "0000000000000000", cwd=tmp_path)
    assert bad.returncode == 1 and "0000000000000000" in bad.stderr


def test_commands_without_ui_do_not_import_textual(tmp_path, seeds):
    store, _ = _db_with_claim(tmp_path / "db.json", seeds)
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['presscheck', 'export', '--db', {str(store.path)!r}, '-o', {str(tmp_path / 'x.json')!r}]\n"
        "from reader.cli import main\n"
        "main()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# ------------------------------------------------------------------- formats and import


@pytest.mark.parametrize("fmt", ["json", "w3c", "csv", "md"])
def test_export_in_every_format_to_stdout_and_to_a_file(tmp_path, seeds, fmt):
    store, claim = _db_with_claim(tmp_path / "db.json", seeds)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(store.path), "--format", fmt],
        cwd=tmp_path, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert claim.targets[0].quote.exact.encode() in result.stdout
    out = tmp_path / f"out.{fmt}"
    done = run("export", "--db", str(store.path), "--format", fmt, "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0 and done.stderr.strip() == f"wrote 1 annotation(s) to {out}"
    # Only the json export carries its own time; two runs may straddle a second.
    stamp = re.compile(rb'"exported_at": "[^"]*"')
    assert stamp.sub(b"", out.read_bytes()) == stamp.sub(b"", result.stdout)
    if fmt == "w3c":
        from reader.export.w3c import schema as w3c_schema

        jsonschema.validate(json.loads(out.read_bytes()), w3c_schema())


def test_import_merges_into_a_new_database_and_a_second_import_changes_nothing(tmp_path, seeds):
    store, claim = _db_with_claim(tmp_path / "db.json", seeds)
    export = tmp_path / "ann.json"
    assert run("export", "--db", str(store.path), "-o", str(export), cwd=tmp_path).returncode == 0
    target = tmp_path / "class" / "class.json"
    first = run("import", "--db", str(target), str(export), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == f"{export}: 1 added, 0 updated, 0 unchanged (json); 1 article(s) added"
    before, mtime = target.read_bytes(), target.stat().st_mtime_ns
    second = run("import", "--db", str(target), str(export), cwd=tmp_path)
    assert second.returncode == 0
    assert second.stdout.strip() == f"{export}: 0 added, 0 updated, 1 unchanged (json)"
    assert target.read_bytes() == before and target.stat().st_mtime_ns == mtime
    assert [a.id for a in Store.open(target).annotations()] == [claim.id]


def test_import_without_files_is_a_usage_error(tmp_path):
    assert run("import", cwd=tmp_path).returncode == 2


def _nested(depth: int) -> bytes:
    return b'{"schema_version": 1, "annotations": ' + b"[" * depth + b"]" * depth + b"}"


def _valid_export() -> dict:
    return {"schema_version": 1, "generator": "presscheck", "exported_at": "2024-03-01T10:00:00+00:00",
            "articles": [], "annotations": []}


BAD_IMPORTS = {
    "not json": (b"this is not json at all", "not valid JSON"),
    "empty": (b"", "empty"),
    "truncated": (json.dumps(_valid_export()).encode()[:-20], "not valid JSON"),
    "binary": (bytes(range(256)) * 4, "not valid JSON"),
    "another json document": (b'{"name": "package.json", "version": "1.0"}', "neither a presscheck export nor W3C"),
    "a bare number": (b"42", "neither a presscheck export nor W3C"),
    "wrong schema": (json.dumps({**_valid_export(), "annotations": [{"id": "x", "kind": "rumour"}]}).encode(),
                     "not a valid presscheck export"),
    "newer schema_version": (json.dumps({**_valid_export(), "schema_version": 99}).encode(), "newer presscheck"),
    "deeply nested json": (_nested(5000), "nested too deeply"),
    "nested within orjson's limit": (_nested(1000), "nested too deeply"),
    "w3c without targets": (json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1",
                                        "type": "Annotation"}).encode(), "has no target"),
    "w3c page by reference": (json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:c",
                                          "type": "AnnotationCollection", "first": "https://example.org/page1"}).encode(),
                              "only referred to"),
}


@pytest.mark.parametrize("db_exists", [True, False], ids=["db", "no-db"])
@pytest.mark.parametrize(("content", "says"), BAD_IMPORTS.values(), ids=BAD_IMPORTS.keys())
def test_a_bad_import_file_is_one_line_exit_1_and_changes_nothing(tmp_path, seeds, content, says, db_exists):
    db = tmp_path / "db.json"
    if db_exists:
        _db_with_claim(db, seeds)
        before, mtime = db.read_bytes(), db.stat().st_mtime_ns
    bad = tmp_path / "bad-import.json"
    bad.write_bytes(content)
    result = run("import", "--db", str(db), str(bad), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(bad) in lines[0] and says in lines[0], lines[0]
    assert result.stdout == ""
    if db_exists:
        assert db.read_bytes() == before and db.stat().st_mtime_ns == mtime
    else:
        assert not db.exists()


def test_a_100_mb_import_file_is_refused_by_its_size(tmp_path, seeds):
    db = tmp_path / "db.json"
    _db_with_claim(db, seeds)
    before = db.read_bytes()
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.write(b'{"schema_version": 1, "annotations": [')
        handle.truncate(100 * 1024 * 1024)  # sparse: quick to make, 100 MB to read
    result = run("import", "--db", str(db), str(huge), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"presscheck: {huge}: 100 MB is over the 32 MB import limit; export fewer articles "
        "at a time (presscheck export --article ID)"
    )
    assert db.read_bytes() == before


@pytest.mark.parametrize("problem", ["missing", "folder"])
def test_a_missing_or_folder_import_path_is_a_user_error(tmp_path, problem):
    path = tmp_path / "export.json"
    if problem == "folder":
        path.mkdir()
    result = run("import", "--db", str(tmp_path / "db.json"), str(path), cwd=tmp_path)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr
    assert not (tmp_path / "db.json").exists()


def test_import_does_not_import_textual(tmp_path, seeds):
    store, _ = _db_with_claim(tmp_path / "db.json", seeds)
    export = tmp_path / "x.json"
    assert run("export", "--db", str(store.path), "-o", str(export), cwd=tmp_path).returncode == 0
    code = (
        "import sys\n"
        f"sys.argv = ['presscheck', 'import', '--db', {str(tmp_path / 'new.json')!r}, {str(export)!r}]\n"
        "from reader.cli import main\n"
        "assert main() == 0\n"
        "print('UI modules:', ','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "UI modules: "


def test_opening_a_refused_file_makes_no_database(tmp_path):
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    db = tmp_path / "annotations" / "annotations.json"
    result = run(str(binary), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1 and "a binary file" in result.stderr
    assert not db.exists() and not db.parent.exists()


def test_global_options_work_before_the_command_as_after_it(tmp_path, seeds):
    store, claim = _db_with_claim(tmp_path / "db.json", seeds)
    after = run("export", "--format", "csv", "--db", str(store.path), cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    for before in (("--db", str(store.path)), (f"--db={store.path}",), ("--debug", "--db", str(store.path))):
        result = run(*before, "export", "--format", "csv", cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, after.stdout, ""), before
    # import, with a path after `--` (the options go before it, or they would be paths)
    export = tmp_path / "-dash.json"
    export.write_text(run("export", "--db", str(store.path), cwd=tmp_path).stdout)
    target = tmp_path / "other.json"
    result = run("--db", str(target), "--author", "Ann", "import", "--", export.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [a.id for a in Store.open(target).annotations()] == [claim.id]
    # a command that has no such option says so, as it does with the option after it
    refused = run("--author", "Ann", "serve", str(seeds), cwd=tmp_path)
    assert refused.returncode == 2 and "unrecognized arguments: --author Ann" in refused.stderr


def test_global_options_before_paths_still_open_them():
    from reader.cli import command_first

    assert command_first(["--db", "x.json", "a.txt"]) == ["--db", "x.json", "a.txt"]
    assert command_first(["--db", "x.json", "export", "-o", "e.json"]) == ["export", "-o", "e.json", "--db", "x.json"]
    assert command_first(["--db"]) == ["--db"]
    assert command_first(["--version"]) == ["--version"]
    assert command_first(["export", "--db", "x"]) == ["export", "--db", "x"]
