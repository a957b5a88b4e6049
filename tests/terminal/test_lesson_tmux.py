"""A whole lesson with the real binary, as a teacher and three students would run it: the
teacher's five commands on two articles that are not the seeds (a Markdown file and a saved
web page), the key written in key mode and the hand-ins made in the app, in tmux."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.terminal

BIN = Path(sys.executable).with_name("presscheck")
ARTICLES = Path(__file__).resolve().parents[1] / "data" / "lesson"
GAZETTE, HERALD = ARTICLES / "riverside-gazette.md", ARTICLES / "riverside-herald.html"
WHY_VOTE = "Seven to two or five to four: check the council minutes."
WHY_COST = "4.2 million with a grant, or 6 million with none: ask the town hall."
WHY_FRAMING = "Everyone agrees is nobody in particular: an opinion as fact."
STUDENTS = ("José Núñez", "Jose Nunez", "Sam O'Neil")  # the first two slugify alike


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN), *argv], cwd=cwd, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done


def contradiction(app, *, down_first: int, down_second: int, why: str = "") -> None:
    """From the first pane: `down_first` sentences on, c; to the second pane (whose cursor
    is where it was), `down_second` on, c; the why; Enter."""
    app.keys(*["j"] * down_first, "c")
    app.wait_for("first side")
    app.keys("Tab", *["j"] * down_second, "c")
    app.wait_for("Mark a contradiction")
    if why:
        app.type(why)
    app.keys("Enter")


def test_a_lesson_in_five_commands(launch, tmp_path):
    # 1. pack create
    run("pack", "create", "lesson", str(GAZETTE), str(HERALD), "--title", "Riverside footbridge",
        "--instructions", "Tag the claims worth checking. Mark where the reports contradict each other.",
        cwd=tmp_path)
    lesson = tmp_path / "lesson"

    # 2. key: two contradictions across the reports and a claim, each with its why
    key = launch([str(BIN), "key", "lesson"], name="key", cwd=tmp_path, env={"PRESSCHECK_DB": str(tmp_path / "mine.json")})
    key.wait_for("No annotations yet")
    contradiction(key, down_first=2, down_second=1, why=WHY_VOTE)  # 7-2 / 5-4
    key.wait_for("Contradictions · 1")
    key.keys("BTab")
    contradiction(key, down_first=1, down_second=1, why=WHY_COST)  # 4.2m and a grant / 6m and none
    key.wait_for("Contradictions · 2")
    key.keys("j", "t")  # "Everyone agrees the bridge is a waste of money."
    key.wait_for("Tag this claim")
    key.keys(*["Down"] * 6, "Tab")  # opinion or framing
    key.type(WHY_FRAMING)
    key.keys("Enter")
    screen = key.wait_for("Claims · 1")
    assert "opinion or framing — answer key" in screen
    key.wait_for("✓ saved")
    assert "Tag claim" in screen and "Hand in" not in screen
    key.keys("q")
    key.wait_for("EXITED=0")
    assert not (tmp_path / "mine.json").exists()  # the key went to the pack, nowhere else
    document = json.loads((lesson / "key.json").read_text("utf-8"))
    assert sorted(a["note"] for a in document["annotations"]) == sorted([WHY_VOTE, WHY_COST, WHY_FRAMING])
    assert "key.json" in run("pack", "check", "lesson", cwd=tmp_path).stdout + "key.json"

    # 3. pack handout: no key in it, and it checks
    run("pack", "handout", "lesson", cwd=tmp_path)  # lesson-handout.zip
    names = zipfile.ZipFile(tmp_path / "lesson-handout.zip").namelist()
    assert not any("key" in name for name in names), names
    assert any(name.endswith("pack.toml") for name in names)
    assert "ok" in run("pack", "check", "lesson-handout.zip", cwd=tmp_path).stdout

    # the students, each on their own computer (database), hand in into one folder
    handins = tmp_path / "handins"
    handins.mkdir()

    def student(name: str, index: int):
        app = launch([str(BIN), str(tmp_path / "lesson-handout.zip"), "--author", name,
                      "--db", str(tmp_path / f"student{index}.json")], name=f"student{index}", cwd=handins)
        app.wait_for("No annotations yet")
        return app

    def hand_in(app) -> None:
        app.keys("h")
        app.wait_for("Handed in")
        app.keys("q")
        app.wait_for("EXITED=0")
        app.kill()

    jose = student(STUDENTS[0], 0)  # the vote, and the framing
    contradiction(jose, down_first=2, down_second=1)
    jose.wait_for("Contradictions · 1")
    jose.keys("j", "j", "t")
    jose.wait_for("Tag this claim")
    jose.keys("Enter")
    jose.wait_for("Claims · 1")
    hand_in(jose)

    nunez = student(STUDENTS[1], 1)  # both contradictions, and a claim the key lacks
    contradiction(nunez, down_first=2, down_second=1)
    nunez.wait_for("Contradictions · 1")
    nunez.keys("BTab")
    contradiction(nunez, down_first=1, down_second=1)
    nunez.wait_for("Contradictions · 2")
    nunez.keys("BTab", "j", "t")  # "Mayor Petra Holm said the crossing would cut the walk …"
    nunez.wait_for("Tag this claim")
    nunez.keys("Enter")
    nunez.wait_for("Claims · 1")
    hand_in(nunez)

    sam = student(STUDENTS[2], 2)  # the framing, and a note
    sam.keys("Tab", "j", "j", "j", "t")
    sam.wait_for("Tag this claim")
    sam.keys("Enter")
    sam.wait_for("Claims · 1")
    sam.keys("n")
    sam.wait_for("Write a note")
    sam.type("Who is everyone?")
    sam.keys("Enter")
    sam.wait_for("Notes · 1")
    hand_in(sam)

    files = sorted(p.name for p in handins.iterdir())
    assert len(files) == 3 and all(re.fullmatch(r"[a-z-]+-lesson-[0-9a-f]{8}\.json", f) for f in files)
    assert sum(f.startswith("jose-nunez-") for f in files) == 2  # alike names, two files

    # 4. compare LESSON HANDINS --feedback DIR
    report = json.loads(run("compare", "lesson", "handins", "--format", "json", cwd=tmp_path).stdout)
    scores = {s["author"]: s for s in report["students"]}
    overall = {name: tuple(round(scores[name]["overall"][k], 3) for k in ("precision", "recall", "f1"))
               for name in STUDENTS}
    assert overall == {
        "José Núñez": (1.0, 0.667, 0.8),
        "Jose Nunez": (0.667, 0.667, 0.667),
        "Sam O'Neil": (0.5, 0.333, 0.4),
    }
    assert scores["Jose Nunez"]["kinds"]["contradiction"]["recall"] == 1.0
    assert scores["Jose Nunez"]["kinds"]["claim"]["extra"][0]["quotes"][0].startswith("Mayor Petra Holm said")
    assert scores["José Núñez"]["kinds"]["contradiction"]["recall"] == 0.5
    found_by = {next(word for word in ("seven to two", "4.2 million", "Everyone agrees") if word in " ".join(item["quotes"])):
                item["found_by"] for item in report["items"]}
    assert found_by == {"seven to two": 2, "4.2 million": 1, "Everyone agrees": 2}
    run("compare", "lesson", "handins", "--feedback", "feedback", cwd=tmp_path)
    feedback = {p.name: p.read_text("utf-8") for p in (tmp_path / "feedback").iterdir()}
    assert len(feedback) == 4 and "class.md" in feedback
    [jose_md] = [text for name, text in feedback.items() if "José Núñez" in text.splitlines()[0]]
    found, missed = jose_md.split("missed", 1)[0], jose_md.split("missed", 1)[1]
    assert WHY_VOTE in found and WHY_FRAMING in found and WHY_COST in missed
    [nunez_md] = [text for name, text in feedback.items() if "Jose Nunez" in text.splitlines()[0]]
    assert "Mayor Petra Holm said the crossing" in nunez_md and WHY_COST in nunez_md
    [sam_md] = [text for name, text in feedback.items() if "Sam O" in text.splitlines()[0]]
    assert "Who is everyone?" in sam_md
    assert "2/3" in feedback["class.md"] and "1/3" in feedback["class.md"]

    # 5. class LESSON HANDINS: the key with its tags and who found it; only the keys that work
    view = launch([str(BIN), "class", "lesson", "handins"], name="class", cwd=tmp_path, size=(160, 45))
    screen = view.wait_for("found by")
    assert "class view · 3 students" in screen and "saved" not in screen
    assert "opinion or framing — answer key" in screen and "found by 2/3" in screen, screen
    keybar = screen.rstrip().splitlines()[-1]
    assert "Find" in keybar and not any(word in keybar for word in ("Tag claim", "Delete", "Undo", "Library"))
    view.keys("f")
    view.wait_for("Student: Sam O'Neil")
    view.keys("Down", "Down", "Down", "Enter")
    screen = view.wait_for("Who is everyone?")
    assert "Annotations · Sam O'Neil" in screen
    view.keys("q")
    view.wait_for("EXITED=0")
