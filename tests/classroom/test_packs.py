"""Packs: create (folder and zip), load from a zip, check a broken pack, open one in the app."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from classroom_helpers import KEY, SEED_FILES, SEEDS

from reader.classroom.pack import is_pack, load_pack
from reader.classroom.pack_check import check_pack
from reader.classroom.pack_create import create_pack
from reader.errors import UserError
from reader.ingest import load_article

SEED_PATHS = [SEEDS / name for name in SEED_FILES]


def article_ids(pack):
    return [load_article(p).id for p in pack.articles]


def test_seed_pack_names_its_key_and_checks_clean():
    pack = load_pack(SEEDS)
    assert pack.key == SEEDS / "key.json" and pack.key.is_file()
    assert check_pack(SEEDS) == []


def test_create_a_folder_pack_with_a_key(tmp_path):
    made = create_pack(tmp_path / "hanoi", "Hanoi: two reports", SEED_PATHS, "Read both.\nMark contradictions.", KEY)
    pack = load_pack(made)
    assert pack.title == "Hanoi: two reports" and pack.instructions == "Read both.\nMark contradictions."
    assert [p.name for p in pack.articles] == list(SEED_FILES)
    assert article_ids(pack) == article_ids(load_pack(SEEDS))
    assert pack.key == made / "key.json" and pack.tags and pack.tags[0].name == "factual claim"
    assert check_pack(made) == []
    with pytest.raises(UserError, match="already exists"):
        create_pack(made, "again", SEED_PATHS)


def test_create_refuses_unreadable_articles_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(UserError, match="empty.txt"):
        create_pack(tmp_path / "p", "T", [SEED_PATHS[0], empty])
    assert not (tmp_path / "p").exists()


def test_zip_packs_load_and_check_like_folders(tmp_path):
    zipped = create_pack(tmp_path / "hanoi.zip", "Zipped", SEED_PATHS, "Read.", KEY)
    assert zipfile.is_zipfile(zipped) and is_pack(zipped)
    pack = load_pack(zipped)
    assert pack.title == "Zipped" and article_ids(pack) == article_ids(load_pack(SEEDS))
    assert pack.key is not None and pack.key.is_file()
    assert check_pack(zipped) == []
    # a zip of the pack folder itself (one top-level folder) works too
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        for file in ("pack.toml", "key.json", *SEED_FILES):
            archive.write(SEEDS / file, f"seeds/{file}")
    assert load_pack(nested).title == load_pack(SEEDS).title and check_pack(nested) == []


def test_zips_that_escape_or_are_not_packs_are_refused(tmp_path):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("pack.toml", 'title = "x"\n')
        archive.writestr("../escaped.txt", "gotcha")
    with pytest.raises(UserError, match="outside"):
        load_pack(evil)
    assert not (tmp_path.parent / "escaped.txt").exists()
    notpack = tmp_path / "plain.zip"
    with zipfile.ZipFile(notpack, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert not is_pack(notpack)
    with pytest.raises(UserError, match="not an exercise pack"):
        load_pack(notpack)
    (tmp_path / "broken.zip").write_bytes(b"PK not really")
    with pytest.raises(UserError, match="not a valid zip"):
        load_pack(tmp_path / "broken.zip")


def broken_pack(tmp_path):
    """The seed pack with one missing article, a key quote changed, an unknown tag used
    twice and an unknown relation: four problems."""
    pack = tmp_path / "broken"
    shutil.copytree(SEEDS, pack)
    manifest = (pack / "pack.toml").read_text("utf-8")
    manifest = manifest.replace(
        'articles = ["000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt"]',
        'articles = ["000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt", "ghost.txt"]',
    )
    (pack / "pack.toml").write_text(manifest, "utf-8")
    key = json.loads((pack / "key.json").read_text("utf-8"))
    first = key["annotations"][0]["targets"][0]["selectors"][1]
    assert first["type"] == "TextQuoteSelector"
    first["exact"] = "a sentence that neither report contains"
    claims = [a for a in key["annotations"] if a["kind"] == "claim"]
    claims[0]["tags"] = ["gossip"]
    claims[1]["tags"] = ["gossip", "cause"]
    next(a for a in key["annotations"] if a["kind"] == "link")["relation"] = "rumour"
    (pack / "key.json").write_text(json.dumps(key), "utf-8")
    return pack


def test_check_reports_each_problem_of_a_broken_pack_once(tmp_path):
    problems = check_pack(broken_pack(tmp_path))
    assert len(problems) == 4, problems
    assert len(set(problems)) == 4
    assert sum("ghost.txt" in p and "not found" in p for p in problems) == 1
    assert sum("neither report contains" in p for p in problems) == 1
    assert sum("'gossip'" in p for p in problems) == 1
    assert sum("'rumour'" in p for p in problems) == 1


def test_check_reports_a_missing_key_and_a_missing_manifest(tmp_path):
    pack = tmp_path / "p"
    shutil.copytree(SEEDS, pack)
    (pack / "key.json").unlink()
    [problem] = check_pack(pack)
    assert "key.json" in problem and "not found" in problem
    (pack / "pack.toml").unlink()
    [problem] = check_pack(pack)
    assert "not an exercise pack" in problem


async def test_a_created_pack_opens_in_the_app(tmp_path, make_app):
    made = create_pack(tmp_path / "class-pack", "Made for class", SEED_PATHS, "Read both.", KEY)
    app = make_app([str(made)])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.session.pack is not None and app.session.pack.title == "Made for class"
        assert [a.id for a in app.session.articles] == article_ids(load_pack(SEEDS))


def test_instructions_are_reflowed_paragraph_by_paragraph_and_item_by_item():
    from reader.classroom.pack import reflowed

    written = ("\nTwo reports describe the same event: the collapse of the summit\nin Hanoi, in 2019.\n\n"
               "Read both closely.\n\n1. Tag the claims (t): who says what,\n   numbers, causes.\n"
               "2) Mark contradictions.\n- a dash item\n  continued\n• a bullet\n\nDone.   \n")
    assert reflowed(written) == (
        "\nTwo reports describe the same event: the collapse of the summit in Hanoi, in 2019.\n\n"
        "Read both closely.\n\n1. Tag the claims (t): who says what, numbers, causes.\n"
        "2) Mark contradictions.\n- a dash item continued\n• a bullet\n\nDone.")
    assert reflowed("") == "" and reflowed("one line") == "one line"


async def test_the_instructions_screen_wraps_a_sentence_at_its_own_width(make_app):
    from textual.widgets import Static

    from reader.screens.instructions import InstructionsScreen

    pack = load_pack(SEEDS)
    app = make_app([str(SEEDS)])
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, InstructionsScreen):
            app.push_screen(InstructionsScreen(pack.title, pack.instructions))
            await pilot.pause()
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        assert "second summit between Donald Trump" in shown  # the TOML breaks the line there
        assert "4. Write a note" in shown
