"""The student's hand-in: NAME-PACK.json from the command line and from the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from reader.classroom.handin import hand_in_name, slug
from reader.classroom.pack import load_pack
from reader.store import Store


def test_names_are_safe_file_names(seeds):
    assert slug("Zoë O'Brien / 3B") == "zoe-o-brien-3b"
    assert hand_in_name("Ada Lovelace", load_pack(seeds)) == "ada-lovelace-hanoi-summit-february-2019-two-reports.json"


async def test_hand_in_from_the_app_writes_name_pack_json(make_app, workdir):
    app = make_app(author="Ada Lovelace")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("t", "enter", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    [handed] = list(workdir.glob("ada-lovelace-*.json"))
    document = json.loads(handed.read_text())
    assert document["author"] == "Ada Lovelace"
    assert [a["kind"] for a in document["annotations"]] == ["claim"]


def test_hand_in_from_the_command_line(make_app, workdir, db_path, seeds):
    store = Store.open(db_path)
    store.set_meta("author", "Grace")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--hand-in", "--db", str(db_path), "--pack", str(seeds)],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "grace-hanoi-summit" in result.stderr
    assert list(workdir.glob("grace-hanoi-summit-*.json"))


async def test_instructions_are_one_key_away_and_announced_once(make_app, db_path):
    from reader.screens.instructions import InstructionsScreen

    app = make_app()
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.pause()
        assert any("Press i for the instructions" in n.message for n in app._notifications)
        await pilot.press("i")
        assert isinstance(app.screen, InstructionsScreen)
        assert "contradict" in app.screen.instructions
        await pilot.press("escape")
        assert not isinstance(app.screen, InstructionsScreen)
        await app.workers.wait_for_complete()
    again = make_app()
    async with again.run_test(size=(160, 45), notifications=True) as pilot:
        await pilot.pause()
        assert not any("Press i" in n.message for n in again._notifications)


async def test_a_hand_in_from_a_shared_database_holds_only_its_students_work(make_app, workdir, db_path, seeds):
    """presscheck serve: one database for the class; Bo's hand-in must not carry Ada's."""
    from reader.anchoring import describe
    from reader.ingest import load_article
    from reader.model import Annotation

    article = load_article(load_pack(seeds).articles[0])
    Store.open(db_path).put_many(
        [article],
        [Annotation(kind="claim", targets=(describe(article.id, article.text, 0, 20),), author="Ada")],
    )
    app = make_app(author="Bo")
    app.session.remember_author = False  # as `presscheck serve` runs it
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("j", "t", "enter", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    [handed] = list(workdir.glob("bo-*.json"))
    document = json.loads(handed.read_text())
    assert [a["author"] for a in document["annotations"]] == ["Bo"]
    assert {a.author for a in Store.open(db_path).annotations()} == {"Ada", "Bo"}
