"""Property: any text in any string field of a hand-in, an import file or a pack reaches the
terminal as data only, through every command that reads them.

Hypothesis writes arbitrary text (every C0 and C1 control, escape sequences, bidi
controls, Rich and Textual markup, anything Unicode) into the author, notes, tags,
relations, article titles, bylines and sources, target sources, file names, a pack's
title, instructions, tags, relations and article names, and the parts of a file an error
line echoes. Then it runs `compare` (table, md, json, csv to stdout), `import`, `export`
(every format to stdout), `export --hand-in`, `db check` and `pack check` in this process,
and reads stdout and stderr at the file-descriptor level: no ESC, no C1, no other control
byte, no bidi control, and never a traceback. (`class`, which opens the app, is driven in
tmux by tests/terminal/test_hostile_tmux.py.)
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.export import json_format, w3c

sys.path.insert(0, str(Path(__file__).resolve().parent / "classroom"))
from classroom_helpers import KEY, SEED_FILES, SEEDS, key_annotations, seed_articles  # noqa: E402

import corpus  # noqa: E402  (tests/data, on sys.path through conftest)

PIECES = [
    *(payload.decode("utf-8") for payload in corpus.TERMINAL_PAYLOADS),
    *sorted(corpus.FORBIDDEN_CHARACTERS),
    "\x1b]52;c;cHdu\x1b\\", "\x1b[2J", "\x1b[?1049h", "\x1b]8;;file:///etc/passwd\x1b\\",
    "\r", "\r\n", "\n",
    "[bold]", "[/]", "[@click=app.quit]", "[link=https://evil.example]", ":smile:", "%s", "{0}",
    "../", "/etc/passwd", "王伟", "Дмитрий", "José", "\u0301", "\U0001f600", "\ufeff",
]
hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=8
).map("".join)


def file_name(text: str) -> str:
    """`text` as a file name this file system takes: no slash or NUL, at most 200 bytes."""
    name = text.replace("/", "\u2215").replace("\x00", "␀")
    while len(name.encode("utf-8")) > 200:
        name = name[:-1]
    return name if name not in ("", ".", "..") else "x"


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, DEL must be escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def unsafe(output: bytes) -> set[str]:
    text = output.decode("utf-8").replace("\r\n", "\n")
    return {char for char in text if char in corpus.FORBIDDEN_CHARACTERS and char != "\t"}


def write_files(folder: Path, s: dict[str, str]) -> dict[str, Path]:
    """A hand-in, a W3C file, two files whose error lines echo text, and a pack."""
    articles = {
        a.id: replace(a, title=s["title"], byline=s["byline"], source=s["source"])
        for a in seed_articles().values()
    }
    annotations = [
        replace(a, author=s["author"], note=s["note"], tags=(s["tag"],) if a.tags else (),
                relation=s["relation"] if a.relation else a.relation)
        for a in key_annotations()
    ]
    hand_in = folder / (file_name(s["file"]) + ".json")
    hand_in.write_bytes(json_format.dumps(
        json_format.build_document(list(articles.values()), annotations, s["author"])
    ))
    document = w3c.build_collection(annotations, s["author"])
    for item in document["first"]["items"]:
        for target in item["target"]:
            target["source"] = s["target"]  # placed by quote, or kept orphaned
    anno = folder / (file_name(s["file"]) + ".w3c.json")
    anno.write_bytes(w3c.dumps(document))
    referred = folder / "referred.json"  # the error line echoes `first`
    referred.write_text(json.dumps({
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "first": s["echo"],
    }))
    version = folder / "version.json"  # the error line echoes schema_version
    version.write_text(json.dumps({"schema_version": s["echo"], "annotations": []}))
    pack = folder / file_name(s["pack"])
    if pack.name == folder.name or pack.exists():
        pack = folder / "pack"
    pack.mkdir()
    names = [file_name(s["article"]) + ".txt", SEED_FILES[1]]
    for name, seed in zip(names, SEED_FILES):
        (pack / name).write_bytes((SEEDS / seed).read_bytes())
    (pack / "pack.toml").write_text(
        f"title = {toml_string(s['title'])}\n"
        f"instructions = {toml_string(s['instructions'])}\n"
        f"articles = [{', '.join(toml_string(n) for n in [*names, s['missing']])}]\n"
        f"relations = [{toml_string(s['relation'])}]\n"
        f"[[tags]]\nname = {toml_string(s['tag'])}\ndescription = {toml_string(s['note'])}\n",
        encoding="utf-8",
    )
    good_pack = folder / "good-pack"  # the same without the missing article: it loads
    good_pack.mkdir()
    for name in names:
        (good_pack / name).write_bytes((pack / name).read_bytes())
    manifest = (pack / "pack.toml").read_text("utf-8").splitlines()
    manifest[2] = f"articles = [{', '.join(toml_string(n) for n in names)}]"
    (good_pack / "pack.toml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return {"hand_in": hand_in, "w3c": anno, "referred": referred, "version": version,
            "pack": pack, "good_pack": good_pack}


FIELDS = ("author", "note", "tag", "relation", "title", "byline", "source", "target", "file",
          "echo", "pack", "article", "missing", "instructions")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(strings=st.fixed_dictionaries({field: hostile for field in FIELDS}))
def test_no_string_from_a_file_puts_a_control_byte_on_the_terminal(strings, capfdbinary, monkeypatch):
    with tempfile.TemporaryDirectory(prefix="presscheck-hostile-") as scratch:
        folder = Path(scratch)
        monkeypatch.chdir(folder)
        files = write_files(folder, strings)
        db = folder / "annotations" / (file_name(strings["file"]) + ".json")
        key, student, anno = str(KEY), str(files["hand_in"]), str(files["w3c"])
        commands = [
            ["compare", key, student],
            *(["compare", key, student, anno, "--format", fmt] for fmt in ("md", "json", "csv")),
            ["compare", key, str(files["referred"]), student],
            ["compare", str(files["version"]), student],
            ["compare", key, student, "--pack", str(files["good_pack"])],
            ["import", student, str(files["referred"]), "--db", str(db)],
            ["import", student, anno, "--db", str(db), "--pack", str(files["good_pack"])],
            *(["export", "--db", str(db), "--format", fmt] for fmt in ("json", "w3c", "csv", "md")),
            ["export", "--db", str(db), "--hand-in", "--author", strings["author"], "--pack", str(SEEDS)],
            ["db", "check", "--db", str(db)],
            ["pack", "check", str(files["pack"])],
            ["pack", "check", str(files["good_pack"])],
        ]
        for argv in commands:
            code = main(argv)
            out, err = capfdbinary.readouterr()
            where = f"presscheck {argv[0]} {argv[-1]!r}"
            assert code in (0, 1), f"{where}: exit {code}\n{err.decode(errors='replace')}"
            assert b"Traceback" not in err and b"Traceback" not in out, f"{where}:\n{err.decode()}"
            assert not unsafe(out), f"{where}: stdout carried {unsafe(out)!r}"
            assert not unsafe(err), f"{where}: stderr carried {unsafe(err)!r}"
            if code == 1:
                assert err.startswith(b"presscheck: ") or argv[0] in ("pack", "db"), f"{where}: {err!r}"


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_export_to_stdout_keeps_the_data_of_hostile_strings(tmp_path, capfdbinary, fmt):
    """JSON to stdout escapes what a terminal would act on, and parses back to the same text."""
    text = "".join(PIECES[:40])
    files = write_files(tmp_path, {field: text for field in FIELDS})
    db = tmp_path / "db.json"
    assert main(["import", str(files["hand_in"]), "--db", str(db)]) == 0
    capfdbinary.readouterr()
    assert main(["export", "--db", str(db), "--format", fmt]) == 0
    out, _ = capfdbinary.readouterr()
    assert not unsafe(out)
    notes = json.dumps(json.loads(out), ensure_ascii=False)
    assert json.dumps(text, ensure_ascii=False)[1:-1] in notes
