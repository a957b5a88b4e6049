"""What the command line prints carries no control byte from someone else's file.

The reproductions of issue 16: a student's author name with OSC 52 and `ESC [2J` printed
by `compare` (table, md, csv, json to stdout), and an error line that echoed a W3C file's
`first` page (`import`, and `compare` with the file as key or as student).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from reader.cli import main
from reader.safe_output import SafeStream, safe_bytes, safe_json, safe_text

sys.path.insert(0, str(Path(__file__).resolve().parent / "classroom"))
from classroom_helpers import KEY, key_annotations, write_native  # noqa: E402

import corpus  # noqa: E402  (tests/data, on sys.path through conftest)

EVIL = "\x1b]52;c;cHdu\x1b\\\x1b[2JEve\u009b31m\u202eevE\x07\r"
"""OSC 52 (the clipboard gets `pwn`), clear screen, C1 CSI, a bidi override, BEL, a lone CR."""


def unsafe_characters(output: bytes) -> set[str]:
    """Characters of `output` a terminal could act on (newline, tab and CRLF are fine)."""
    text = output.decode("utf-8").replace("\r\n", "\n")
    return {char for char in text if char in corpus.FORBIDDEN_CHARACTERS and char not in "\t"}


def test_safe_text_keeps_layout_and_shows_every_control():
    text = "a\tb\nc\r\nd" + "".join(sorted(corpus.FORBIDDEN_CHARACTERS))
    safe = safe_text(text)
    assert safe.startswith("a\tb\nc\r\nd")
    assert not unsafe_characters(safe.encode())
    assert safe_text("plain text, [bold]markup[/bold] and ünïcode") == "plain text, [bold]markup[/bold] and ünïcode"
    assert safe_text("x\ry") == "x␍y"  # a lone CR would overwrite the line


def test_safe_json_is_the_same_data_with_no_raw_control():
    data = {"author": EVIL, "note": "".join(sorted(corpus.FORBIDDEN_CHARACTERS)), "ok": "Ærø 中文"}
    blob = orjson.dumps(data, option=orjson.OPT_INDENT_2)
    assert unsafe_characters(blob)  # orjson leaves C1 and bidi characters raw
    safe = safe_json(blob)
    assert not unsafe_characters(safe)
    assert json.loads(safe) == data


def test_safe_bytes_replaces_what_is_not_utf8():
    assert safe_bytes(b"ok \xff\x1b[2J") == "ok \ufffd␛[2J".encode()
    assert safe_bytes(b"untouched\n") == b"untouched\n"


def test_a_guarded_stream_shows_tracebacks_and_bytes_safely(capsys):
    stream = SafeStream(sys.stdout)
    stream.write(f"author: {EVIL}\n")
    stream.buffer.write(f"bytes: {EVIL}\n".encode())
    stream.flush()
    out = capsys.readouterr().out.encode()
    assert out.count(b"\n") == 2 and not unsafe_characters(out)


@pytest.fixture
def evil_hand_in(tmp_path: Path) -> Path:
    annotations = [replace(a, note=EVIL, tags=tuple(EVIL for _ in a.tags)) for a in key_annotations()]
    return write_native(tmp_path / "evil.json", annotations, EVIL)


@pytest.mark.parametrize("fmt", [None, "md", "csv", "json"])
def test_compare_prints_a_hostile_student_safely(evil_hand_in, capfdbinary, fmt):
    args = ["compare", str(KEY), str(evil_hand_in)] + (["--format", fmt] if fmt else [])
    assert main(args) == 0
    out, err = capfdbinary.readouterr()
    assert b"Eve" in out  # the author is shown, as data
    assert not unsafe_characters(out) and not unsafe_characters(err)


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_the_report_written_to_a_file_keeps_the_data(evil_hand_in, tmp_path, capfdbinary, fmt):
    report = tmp_path / f"report.{fmt}"
    assert main(["compare", str(KEY), str(evil_hand_in), "--format", fmt, "-o", str(report)]) == 0
    if fmt == "json":
        assert json.loads(report.read_bytes())["students"][0]["author"] == EVIL.strip()
    else:
        assert "Eve" in report.read_text("utf-8")


@pytest.fixture
def referred_page(tmp_path: Path) -> Path:
    """A W3C collection whose `first` page is only a string: the error line echoes it."""
    path = tmp_path / "referred.json"
    path.write_text(json.dumps({
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "first": EVIL,
    }))
    return path


@pytest.mark.parametrize("command", ["import", "compare-key", "compare-student"])
def test_an_error_line_echoes_a_hostile_file_safely(referred_page, evil_hand_in, tmp_path, capfdbinary, command):
    argv = {
        "import": ["import", str(referred_page), "--db", str(tmp_path / "db.json")],
        "compare-key": ["compare", str(referred_page), str(evil_hand_in)],
        "compare-student": ["compare", str(KEY), str(referred_page)],
    }[command]
    assert main(argv) == 1
    out, err = capfdbinary.readouterr()
    assert b"presscheck: " in err and b"Traceback" not in err
    assert err.decode().count("\n") == 1  # one line
    assert "␛]52;c;cHdu" in err.decode()  # shown, visibly
    assert not unsafe_characters(out) and not unsafe_characters(err)
