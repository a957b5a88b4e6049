"""Issue 16: a pack comes from someone else; nothing it names may lie outside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from classroom_helpers import SEED_FILES, SEEDS

from reader.classroom.pack import load_pack
from reader.classroom.pack_check import check_pack
from reader.classroom.pack_create import create_pack
from reader.errors import UserError

ARTICLE = "The minister said on Monday that the bridge would open in May.\n"


def _zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return target


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSCHECK_")}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def test_a_manifest_cannot_name_files_outside_the_pack(tmp_path):
    """The reproduction: `articles = ["a.txt", "/etc/passwd", "../../../../etc/hostname"]`
    opened all three, and `pack check` said ok, for the folder and for a zip of it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    pack = tmp_path / "class" / "pack"
    pack.mkdir(parents=True)
    (pack / "a.txt").write_text(ARTICLE)
    (pack / "pack.toml").write_text(
        f'title = "Bridges"\narticles = ["a.txt", "{secret}", "../../secret.txt"]\n', "utf-8"
    )
    zipped = _zip_folder(pack, tmp_path / "pack.zip")
    for where in (pack, zipped):
        with pytest.raises(UserError) as refused:
            load_pack(where)
        message = str(refused.value)
        assert "\n" not in message and "outside the pack" in message
        assert str(where / "pack.toml") in message and str(secret) in message
        problems = check_pack(where)
        assert [p for p in problems if str(secret) in p and "outside the pack" in p]
        assert [p for p in problems if "../../secret.txt" in p and "outside the pack" in p]
        result = _cli("pack", "check", str(where), cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        assert "outside the pack" in result.stdout and "root:x" not in result.stdout + result.stderr


def test_links_out_of_the_pack_are_refused_for_articles_and_the_key(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.txt").write_text("a private diary entry, not an article for class\n")
    (outside / "key.json").write_text("{}")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "a.txt").write_text(ARTICLE)
    (pack / "b.txt").symlink_to(outside / "private.txt")
    (pack / "texts").symlink_to(outside, target_is_directory=True)
    for articles, key in (('["a.txt", "b.txt"]', "k.json"), ('["a.txt", "texts/private.txt"]', "k.json"),
                          ('["a.txt"]', "texts/key.json"), (None, "k.json")):
        listed = f"articles = {articles}\n" if articles else ""
        (pack / "pack.toml").write_text(f'title = "T"\n{listed}key = "{key}"\n', "utf-8")
        with pytest.raises(UserError, match="outside the pack"):
            load_pack(pack)
        assert any("outside the pack" in p for p in check_pack(pack)), (articles, key)
    # a link that stays inside the pack is fine
    (pack / "b.txt").unlink()
    (pack / "b.txt").symlink_to(pack / "a.txt")
    (pack / "pack.toml").write_text('title = "T"\narticles = ["a.txt", "b.txt"]\n', "utf-8")
    assert [p.name for p in load_pack(pack).articles] == ["a.txt", "b.txt"]


def test_zip_members_that_are_links_or_climb_out_are_refused(tmp_path):
    linked = tmp_path / "linked.zip"
    with zipfile.ZipFile(linked, "w") as archive:
        archive.writestr("pack.toml", 'title = "x"\narticles = ["a.txt"]\n')
        link = zipfile.ZipInfo("a.txt")
        link.external_attr = (0o120777 << 16)  # a symbolic link member, to /etc/passwd
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(UserError, match="symbolic link"):
        load_pack(linked)
    assert any("symbolic link" in p for p in check_pack(linked))
    for name in ("/abs.txt", "C:/windows.txt", "sub/../../up.txt"):
        evil = tmp_path / "evil.zip"
        with zipfile.ZipFile(evil, "w") as archive:
            archive.writestr("pack.toml", 'title = "x"\n')
            archive.writestr(name, "gotcha")
        with pytest.raises(UserError, match="outside the pack"):
            load_pack(evil)
        evil.unlink()



def test_a_zip_of_countless_empty_files_is_refused_before_unzipping(tmp_path):
    from reader.classroom.pack_zip import MAX_ZIP_MEMBERS

    bomb = tmp_path / "many.zip"
    with zipfile.ZipFile(bomb, "w") as archive:
        archive.writestr("pack.toml", 'title = "x"\n')
        for number in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"f{number}.txt", "")
    with pytest.raises(UserError, match="too many for a pack"):
        load_pack(bomb)

def test_untrusted_names_in_pack_errors_are_made_visible(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('title = "T"\narticles = ["\\u001b[31mred\\u202e.txt"]\n', "utf-8")
    with pytest.raises(UserError) as refused:
        load_pack(pack)
    assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)
    assert all("\x1b" not in p and "\u202e" not in p for p in check_pack(pack))


def test_pack_create_writes_names_that_stay_inside(tmp_path):
    sources = tmp_path / "deep" / "folders"
    sources.mkdir(parents=True)
    for name in SEED_FILES:
        shutil.copyfile(SEEDS / name, sources / name)
    for made in (create_pack(tmp_path / "p", "T", [sources / n for n in SEED_FILES]),
                 create_pack(tmp_path / "p.zip", "T", [sources / n for n in SEED_FILES])):
        pack = load_pack(made)
        assert [p.name for p in pack.articles] == list(SEED_FILES)
        assert all(p.resolve().is_relative_to(pack.folder.resolve()) for p in pack.articles)
        assert check_pack(made) == []
