"""The seed exercise: the articles exactly as received, a pack that loads, tags as data."""

from __future__ import annotations

import hashlib

from reader.classroom.pack import bundled_seed_folder, default_pack_folder, load_pack
from reader.ingest import load_article

AS_RECEIVED = {
    "000_1aa975c49d58f58c.txt": "3fe5cf52d3d3c94eeedc4c6926ef69f4f15e753aa8a3c674797fb74852db406d",
    "001_1c2accc8ffba02b5.txt": "1869cb92919b887555bc5ce0dc043e2ae4b16712d2c6eaa8bf27df0c4aaa1e16",
}


def test_seed_articles_are_byte_for_byte_as_received(seeds):
    for name, digest in AS_RECEIVED.items():
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == digest


def test_seed_pack_loads_with_title_instructions_and_tags(seeds):
    pack = load_pack(seeds)
    assert pack.title.startswith("Hanoi summit")
    assert "contradict" in pack.instructions
    assert [p.name for p in pack.articles] == list(AS_RECEIVED)
    assert len(pack.tags) >= 5 and pack.tags[0].name == "factual claim"
    assert all(tag.description for tag in pack.tags)


def test_default_pack_is_local_seeds_else_bundled(tmp_path, seeds):
    assert default_pack_folder(seeds.parent) == seeds
    assert default_pack_folder(tmp_path) == bundled_seed_folder()
    assert load_pack(bundled_seed_folder()).articles


def test_seed_articles_ingest_with_titles_and_furniture(seeds):
    first, second = (load_article(seeds / name) for name in AS_RECEIVED)
    assert first.title.startswith("President Donald Trump confirmed on Thursday")
    assert second.title == "Talks between US and North Korea collapse"
    assert first.furniture == ()
    [(start, end)] = second.furniture
    assert second.text[start:].startswith("Follow Concrete on Twitter")
    assert end == len(second.text)
