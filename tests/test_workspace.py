"""The session object alone, without the app: apply, undo, redo across opens, the one
merge of what the store holds, the half-made pair, and the save queue."""

from __future__ import annotations

import pytest

from reader.anchoring import describe
from reader.ingest import load_article
from reader.launch import Session
from reader.model import Annotation
from reader.save_queue import SaveQueue
from reader.store import Store
from reader.workspace import Merged, Workspace


@pytest.fixture
def articles(seeds):
    return [load_article(path) for path in sorted(seeds.glob("*.txt"))]


@pytest.fixture
def store(tmp_path, articles):
    store = Store.open(tmp_path / "db.json")
    for article in articles:
        store.put_article(article)
    return store


def workspace_on(store, articles, opened=None):
    opened = articles if opened is None else opened
    session = Session(store=store, articles=opened, author="ann",
                      annotations=store.annotations(a.id for a in opened))
    return Workspace(session, SaveQueue(store))


def target(article, start=0, end=20):
    return describe(article.id, article.text, start, end)


def stored_ids(store):
    return {a.id for a in store.annotations()}


def test_a_change_shows_at_once_and_lands_when_the_queue_runs(store, articles):
    workspace = workspace_on(store, articles)
    claim = workspace.add("claim", (target(articles[0]),), tags=("factual claim",))
    assert workspace.annotations == {claim.id: claim}
    assert workspace.saves.unsaved_count == 1 and workspace.saves.state == "saving"
    assert stored_ids(store) == set()
    assert workspace.saves.run()
    assert stored_ids(store) == {claim.id} and workspace.saves.state == "saved"


def test_edit_delete_undo_redo(store, articles):
    workspace = workspace_on(store, articles)
    note = workspace.add("note", (target(articles[1]),), note="first")
    assert workspace.edit(note.id, tags=(), relation="", note="first") is None  # nothing changed
    edited = workspace.edit(note.id, tags=(), relation="", note="second")
    assert edited is not None and workspace.annotations[note.id].note == "second"
    assert workspace.delete(note.id) == edited and workspace.annotations == {}
    assert workspace.undo().label == "delete note"
    assert workspace.annotations[note.id].note == "second"
    assert workspace.undo().label == "edit note"
    assert workspace.annotations[note.id].note == "first"
    assert workspace.redo().label == "edit note"
    workspace.saves.run()
    assert [a.note for a in store.annotations()] == ["second"]
    assert workspace.undo() and workspace.undo() and workspace.undo() is None
    workspace.saves.run()
    assert workspace.annotations == {} and store.annotations() == []


def test_undo_lives_across_opening_articles_again(store, articles):
    """The reading screen opens articles again through `open`: the history stays."""
    workspace = workspace_on(store, articles)
    claim = workspace.add("claim", (target(articles[0]),))
    workspace.saves.run()
    workspace.open(articles, workspace.read_stored(a.id for a in articles))
    assert workspace.annotations == {claim.id: claim}
    assert workspace.undo().label == "add claim"
    workspace.saves.run()
    assert workspace.annotations == {} and stored_ids(store) == set()
    workspace.redo()
    workspace.saves.run()
    assert workspace.annotations == {claim.id: claim} and stored_ids(store) == {claim.id}


def test_undo_reaches_an_article_that_is_no_longer_open(store, articles):
    workspace = workspace_on(store, articles)
    claim = workspace.add("claim", (target(articles[0]),))
    workspace.open([articles[1]], workspace.read_stored([articles[1].id]))
    assert workspace.annotations == {}
    workspace.undo()
    assert workspace.annotations == {}  # not shown: its article is closed
    workspace.saves.run()
    assert stored_ids(store) == set()
    workspace.redo()
    workspace.saves.run()
    assert workspace.annotations == {} and stored_ids(store) == {claim.id}


def test_open_keeps_what_is_not_saved_yet(store, articles):
    """A change still on its way to disk (or failed) is shown as made, not as stored."""
    workspace = workspace_on(store, articles)
    kept = workspace.add("claim", (target(articles[0]),))
    gone = workspace.add("claim", (target(articles[0], 30, 60),))
    workspace.saves.run()
    workspace.delete(gone.id)  # queued, not run
    added = workspace.add("note", (target(articles[0], 70, 90),), note="queued")
    workspace.open(articles[:1], workspace.read_stored([articles[0].id]))
    assert set(workspace.annotations) == {kept.id, added.id}


def test_a_save_that_lands_while_the_store_is_read_is_not_lost(store, articles):
    workspace = workspace_on(store, articles)
    stored = workspace.read_stored(a.id for a in articles)  # read before the claim exists
    claim = workspace.add("claim", (target(articles[0]),))
    workspace.saves.run()  # lands before the read is taken in
    workspace.open(articles, stored)
    assert workspace.annotations == {claim.id: claim}


def test_merge_external_takes_in_another_process_and_keeps_ours(store, tmp_path, articles):
    workspace = workspace_on(store, articles)
    heard: list[Merged] = []
    workspace.subscribe(heard.append)
    ours = workspace.add("claim", (target(articles[0]),))
    workspace.saves.run()
    other = Store.open(tmp_path / "db.json")
    theirs = Annotation(kind="note", targets=(target(articles[1]),), note="elsewhere", author="bo")
    other.put_annotation(theirs)
    other.delete_annotation(ours.id)
    assert workspace.saves.changed_elsewhere()
    mine = workspace.add("claim", (target(articles[1], 40, 60),))  # not saved yet
    merged = workspace.merge_external(workspace.read_stored(workspace.open_ids))
    assert merged == Merged(added=1, removed=1) and heard == [merged]
    assert set(workspace.annotations) == {theirs.id, mine.id}
    workspace.saves.caught_up()
    assert not workspace.saves.changed_elsewhere()
    assert workspace.merge_external(workspace.read_stored(workspace.open_ids)) is None
    workspace.unsubscribe(heard.append)


def test_fetched_articles_open_beside_the_others(store, articles, tmp_path):
    url = "http://example.invalid/page"
    session = Session(store=store, articles=articles[:1], author="ann", to_fetch=[url])
    workspace = Workspace(session, SaveQueue(store))
    assert workspace.to_fetch == [url]  # for the first reading screen to fetch
    claim = workspace.add("claim", (target(articles[0]),))
    workspace.add_fetched([articles[1]], [], workspace.read_stored([articles[1].id]))
    assert workspace.articles == articles and workspace.to_fetch == []
    assert workspace.annotations == {claim.id: claim}


def test_the_half_made_pair(articles, store):
    workspace = workspace_on(store, articles)
    first, second = target(articles[0]), target(articles[1])
    assert workspace.mark("contradiction", first).pair is None
    assert workspace.half_mark.kind == "contradiction"
    assert workspace.mark("contradiction", first).same_passage
    replaced = workspace.mark("link", second).replaced
    assert replaced is not None and replaced.kind == "contradiction"
    assert workspace.mark("link", first).pair == (second, first)
    assert workspace.half_mark is None
    workspace.mark("link", first)
    assert workspace.cancel_mark().kind == "link" and workspace.cancel_mark() is None


def test_a_failed_write_waits_with_its_reason_and_is_retried(store, articles):
    workspace = workspace_on(store, articles)
    saves = workspace.saves
    broken = {"yes": True}

    def flaky() -> None:
        if broken["yes"]:
            raise OSError(28, "No space left on device")

    saves.add(flaky)
    claim = workspace.add("claim", (target(articles[0]),))
    assert not saves.run()
    assert "No space left" in saves.state and saves.unsaved_count == 2
    assert workspace.unsaved_annotations() == [claim]
    workspace.open([articles[1]], workspace.read_stored([articles[1].id]))
    assert workspace.unsaved_annotations() == [claim]  # closed, still in a copy saved elsewhere
    broken["yes"] = False
    assert saves.run() and saves.state == "saved" and stored_ids(store) == {claim.id}
    assert workspace.unsaved_annotations() == []


def test_an_export_holds_every_change_made_before_it(store, articles, tmp_path):
    import json

    workspace = workspace_on(store, articles)
    claim = workspace.add("claim", (target(articles[0]),))
    path, count = workspace.export("json")  # the claim was only queued
    assert count == 1 and workspace.saves.unsaved_count == 0
    assert [a["id"] for a in json.loads(path.read_text())["annotations"]] == [claim.id]


def test_a_write_added_while_the_follow_up_runs_gets_a_follow_up_of_its_own(tmp_path):
    """Key mode rewrites the key file after each run of saves: a change made while it is
    being written must not be left out of the file."""
    from reader.save_queue import SaveQueue
    from reader.store import Store

    queue = SaveQueue(Store.open(tmp_path / "db.json"))
    seen: list[int] = []

    def follow_up() -> None:
        seen.append(len(seen))
        if len(seen) == 1:  # a key pressed while the key file is written
            queue.add(lambda: None)

    queue.follow_up = follow_up
    queue.add(lambda: None)
    assert queue.run() and queue.unsaved_count == 2  # the new write, and its follow-up, wait
    assert queue.run() and queue.unsaved_count == 0
    assert seen == [0, 1]
