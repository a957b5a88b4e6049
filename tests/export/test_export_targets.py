"""Where `presscheck export -o` writes: a regular file is replaced atomically, anything
else (a pipe, /dev/null, a terminal) is written into and stays what it was. Found when an
export to /dev/null, run as root, renamed a regular file over /dev/null."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading

from reader.anchoring import describe
from reader.model import Annotation
from reader.store import Store

TEXT = "One sentence. Another sentence."


def _database(tmp_path):
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_annotation(
        Annotation(kind="claim", targets=(describe("a" * 16, TEXT, 0, 13),), tags=("t",), author="a")
    )
    return path


def _export(db, target, cwd):
    return subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(db), "-o", str(target)],
        cwd=cwd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_an_export_into_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path):
    db = _database(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _export(db, fifo, tmp_path)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b'"annotations"' in received[0]
    assert not list(tmp_path.glob(".pipe.*.tmp"))


def test_an_export_to_the_null_device_leaves_it_a_device(tmp_path):
    db = _database(tmp_path)
    result = _export(db, os.devnull, tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_export_to_a_folder_is_a_one_line_error(tmp_path):
    db = _database(tmp_path)
    result = _export(db, tmp_path, tmp_path)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "cannot write the export" in result.stderr
