"""`presscheck compare` and `presscheck pack` as a teacher runs them: real processes."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
from classroom_helpers import KEY, SEED_FILES, SEEDS, key_annotations, write_native
from test_packs import broken_pack

REPORT_SCHEMA = json.loads((Path(__file__).parent / "report.schema.json").read_text("utf-8"))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    env["COLUMNS"] = "120"
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_compare_prints_a_table_and_writes_json_md_csv(tmp_path):
    two = write_native(tmp_path / "ann.json", [a for a in key_annotations() if a.kind != "link"], "Ann")
    (tmp_path / "junk.json").write_text("not json at all")
    table = run("compare", str(KEY), str(KEY), str(two), str(tmp_path / "junk.json"), "--pack", str(SEEDS), cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "Ann" in table.stdout and "presscheck answer key" in table.stdout and "found by" in table.stdout
    assert "0/2" not in table.stdout and "1/2" in table.stdout and "2/2" in table.stdout
    [skip_line] = table.stderr.strip().splitlines()
    assert "junk.json" in skip_line and "not valid JSON" in skip_line

    for fmt in ("json", "md", "csv"):
        out = tmp_path / f"report.{fmt}"
        result = run("compare", str(KEY), str(two), "--format", fmt, "-o", str(out), "--pack", str(SEEDS), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert str(out) in result.stderr
    data = json.loads((tmp_path / "report.json").read_text("utf-8"))
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["students"][0]["kinds"]["link"]["recall"] == 0.0
    assert data["students"][0]["kinds"]["contradiction"]["f1"] == 1.0
    assert "missed link" in (tmp_path / "report.md").read_text("utf-8")
    rows = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert [r["kind"] for r in rows] == ["claim", "contradiction", "link", "note", "overall"]


def test_compare_uses_the_seeds_pack_of_the_current_folder_by_default(tmp_path):
    result = run("compare", "seeds/key.json", "seeds/key.json", "--format", "json", cwd=SEEDS.parent)
    assert result.returncode == 0, result.stderr
    [student] = json.loads(result.stdout)["students"]
    assert student["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_compare_errors_are_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("[")
    for args in (["bad.json", str(KEY)], [str(KEY), "bad.json"], [str(KEY), str(KEY), "--pack", "nowhere"]):
        result = run("compare", *args, cwd=tmp_path)
        assert result.returncode == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "bad.json" in lines[0] or "nowhere" in lines[0]
    usage = run("compare", str(KEY), str(KEY), "--threshold", "1.5", cwd=tmp_path)
    assert usage.returncode == 2 and "threshold" in usage.stderr
    assert run("compare", str(KEY), cwd=tmp_path).returncode == 2


def test_pack_create_and_check(tmp_path):
    files = [str(SEEDS / name) for name in SEED_FILES]
    made = run("pack", "create", "class1", *files, "--title", "Class 1", "--key", str(KEY), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    ok = run("pack", "check", "class1", cwd=tmp_path)
    assert ok.returncode == 0 and "ok" in ok.stdout
    zipped = run("pack", "create", "class1.zip", *files, "--title", "Class 1", cwd=tmp_path)
    assert zipped.returncode == 0 and run("pack", "check", "class1.zip", cwd=tmp_path).returncode == 0

    broken = run("pack", "check", str(broken_pack(tmp_path)), cwd=tmp_path)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    lines = broken.stdout.strip().splitlines()
    assert len(lines) == len(set(lines)) == 4, lines
    assert "4 problem(s)" in broken.stderr

    again = run("pack", "create", "class1", *files, "--title", "X", cwd=tmp_path)
    assert again.returncode == 1 and len(again.stderr.strip().splitlines()) == 1
    assert run("pack", "create", "class2", *files, cwd=tmp_path).returncode == 2  # no --title


def test_a_report_that_cannot_be_written_whole_leaves_the_old_one(tmp_path, monkeypatch, capsys):
    """`compare -o` on a full disk: one line, and the report already there is kept whole
    (it used to be truncated and half written)."""
    import errno

    import reader.atomic_write as atomic_write
    from reader.cli import main

    report = tmp_path / "report.md"
    report.write_text("last week's report\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write.os, "fsync", full)
    key = str(Path(__file__).resolve().parents[2] / "seeds" / "key.json")
    assert main(["compare", key, key, "--format", "md", "-o", str(report)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the report (No space left on device)" in err
    assert report.read_text() == "last week's report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temp file left
