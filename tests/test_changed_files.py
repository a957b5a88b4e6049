"""A file edited after it was annotated: reopening it re-anchors its annotations on the new
text (exact, moved, orphaned), saves them, and says so; nothing is lost."""

from __future__ import annotations

import shutil

import pytest

from reader.anchoring import describe
from reader.launch import prepare_session
from reader.model import Annotation
from reader.store import Store


@pytest.fixture
def report(tmp_path, seeds):
    path = tmp_path / "report.txt"
    shutil.copyfile(sorted(seeds.glob("*.txt"))[1], path)  # paragraphs split by blank lines
    return path


def _annotate(session, sentence: str, kind="claim") -> Annotation:
    (article,) = session.articles
    start = article.text.index(sentence)
    annotation = Annotation(kind=kind, targets=(describe(article.id, article.text, start, start + len(sentence)),),
                            author="ann", tags=("a tag",) if kind == "claim" else (), note="kept")
    session.store.put_annotation(annotation)
    return annotation


def _paragraphs(path):
    return path.read_text("utf-8").split("\n\n")


def test_an_inserted_paragraph_and_a_changed_word_move_the_annotations(tmp_path, report):
    db = tmp_path / "db.json"
    first = prepare_session([str(report)], db, "ann")
    paragraphs = _paragraphs(report)
    later = paragraphs[-2]  # a sentence near the end, and one further up with a word to change
    kept = later.split(". ")[0].strip()
    edited_paragraph = paragraphs[3]
    edited = edited_paragraph.split(". ")[0].strip()
    words = edited.split()
    assert len(words) > 6
    a = _annotate(first, kept)
    b = _annotate(first, edited, kind="note")
    first.store.close()

    # the reader's file is re-saved: a paragraph inserted before both, a word changed inside b
    changed_word = words[3]
    new_edited = edited.replace(f" {changed_word} ", " CORRECTED ", 1)
    text = report.read_text("utf-8").replace(edited, new_edited, 1)
    head, _, rest = text.partition("\n\n")
    report.write_text(f"{head}\n\nAn inserted paragraph, added after publication.\n\n{rest}", "utf-8")

    second = prepare_session([str(report)], db, "ann")
    (article,) = second.articles
    assert article.id != first.articles[0].id
    by_id = {x.id: x for x in second.annotations}
    assert set(by_id) == {a.id, b.id}, "an annotation was lost"
    assert by_id[a.id].anchor == "moved"
    assert by_id[b.id].anchor in ("exact", "moved")
    for annotation in by_id.values():
        (target,) = annotation.targets
        assert target.article_id == article.id
        assert article.text[target.start:target.end] == target.quote.exact
    assert article.text[by_id[a.id].targets[0].start:by_id[a.id].targets[0].end] == kept
    assert "CORRECTED" in by_id[b.id].targets[0].quote.exact
    assert by_id[a.id].tags == ("a tag",) and by_id[b.id].note == "kept"
    assert second.banner == "report.txt changed since it was annotated; its annotations: 2 moved"
    second.store.close()

    # saved: a third open finds them on the new text, in place, and says nothing
    third = prepare_session([str(report)], db, "ann")
    assert {x.id for x in third.annotations} == {a.id, b.id}
    assert third.banner == ""
    assert len(Store.open(db).annotations()) == 2


def test_a_passage_that_is_gone_is_orphaned_and_kept(tmp_path, report):
    db = tmp_path / "db.json"
    first = prepare_session([str(report)], db, "ann")
    gone = _paragraphs(report)[2].split(". ")[0].strip()
    a = _annotate(first, gone)
    first.store.close()
    report.write_text(report.read_text("utf-8").replace(gone, "Something else entirely now stands here"), "utf-8")

    second = prepare_session([str(report)], db, "ann")
    (annotation,) = second.annotations
    assert annotation.id == a.id and annotation.anchor == "orphaned"
    assert annotation.targets[0].article_id == second.articles[0].id
    assert annotation.targets[0].quote.exact == gone
    assert second.banner.endswith("its annotation: 1 orphaned")


def test_a_pair_across_two_files_keeps_its_other_end(tmp_path, seeds):
    files = []
    for path in sorted(seeds.glob("*.txt")):
        files.append(tmp_path / path.name)
        shutil.copyfile(path, files[-1])
    db = tmp_path / "db.json"
    first = prepare_session([str(f) for f in files], db, "ann")
    one, two = first.articles
    pair = Annotation(kind="contradiction", author="ann", targets=(
        describe(one.id, one.text, 0, 30), describe(two.id, two.text, 0, 30)))
    first.store.put_annotation(pair)
    first.store.close()
    files[1].write_text("A new first line.\n\n" + files[1].read_text("utf-8"), "utf-8")

    second = prepare_session([str(f) for f in files], db, "ann")
    (moved,) = second.annotations
    assert moved.targets[0] == pair.targets[0]
    assert moved.targets[1].article_id == second.articles[1].id != two.id
    assert moved.anchor == "moved"


def test_other_files_and_unchanged_files_are_left_alone(tmp_path, seeds):
    db = tmp_path / "db.json"
    paths = [str(p) for p in sorted(seeds.glob("*.txt"))]
    first = prepare_session(paths, db, "ann")
    one = first.articles[0]
    first.store.put_annotation(Annotation(kind="note", author="ann", targets=(describe(one.id, one.text, 0, 30),)))
    first.store.close()
    again = prepare_session(paths, db, "ann")
    assert again.banner == "" and again.annotations[0].anchor == "exact"
    assert again.annotations[0].targets[0].article_id == one.id


def test_the_library_lists_a_changed_file_once(tmp_path, report):
    from reader.changed_files import current_versions

    db = tmp_path / "db.json"
    first = prepare_session([str(report)], db, "ann")
    _annotate(first, _paragraphs(report)[2].split(". ")[0].strip())
    first.store.close()
    report.write_text("A new first line.\n\n" + report.read_text("utf-8"), "utf-8")
    second = prepare_session([str(report)], db, "ann")
    articles = second.store.articles()
    assert len(articles) == 2
    counts = {a.id: 0 for a in articles} | {second.articles[0].id: 1}
    assert current_versions(articles, counts.__getitem__) == [second.articles[0]]
    # an earlier text that still has annotations (a pair's other end, say) stays listed
    old = next(a for a in articles if a.id != second.articles[0].id)
    counts[old.id] = 1
    assert len(current_versions(articles, counts.__getitem__)) == 2
