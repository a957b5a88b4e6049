"""The command line as a user runs it: real processes, exit codes, stderr lines."""

from __future__ import annotations

import json
import os
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
