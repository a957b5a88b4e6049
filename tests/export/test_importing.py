"""Import: round trips into an empty database, merging by id, waiting articles, old exports."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export_fixtures import quote, seed_annotations, seed_articles
from reader.anchoring import describe
from reader.errors import IngestError, UserError
from reader.export import render_export, write_export
from reader.export.importing import import_files
from reader.export.reading import MAX_IMPORT_BYTES, read_file
from reader.ingest import article_from_text
from reader.model import KINDS, TARGET_COUNT, Annotation, Article
from reader.store import Store

SEEDS = seed_articles()


# ------------------------------------------------------------------------ strategies


@st.composite
def articles(draw) -> list[Article]:
    found = {a.id: a for a in SEEDS}
    for text in draw(st.lists(st.text(min_size=1, max_size=300), max_size=2)):
        try:
            article = article_from_text(text, draw(st.text(max_size=30)))
        except IngestError:
            continue
        found.setdefault(article.id, replace(article, added_at="2024-01-01T00:00:00+00:00",
                                             site=draw(st.text(max_size=12))))
    return list(found.values())


@st.composite
def annotations(draw, pool: list[Article]) -> Annotation:
    kind = draw(st.sampled_from(KINDS))
    targets = []
    for _ in range(TARGET_COUNT[kind]):
        article = draw(st.sampled_from(pool))
        start = draw(st.integers(0, len(article.text) - 1))
        end = draw(st.integers(start + 1, min(len(article.text), start + 400)))
        targets.append(describe(article.id, article.text, start, end))
    anchor = draw(st.sampled_from(["exact", "moved", "orphaned"]))
    if anchor == "orphaned":  # as orphans really are: the quote is in no text any more
        stale = targets[0]
        targets[0] = replace(stale, quote=replace(stale.quote, exact=f"⟦gone {draw(st.uuids()).hex}⟧"))
    created = draw(st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1), timezones=st.just(timezone.utc)))
    later = created + timedelta(seconds=draw(st.integers(0, 10**7)), microseconds=draw(st.integers(0, 10**6)))
    # another tool's (Hypothesis's): its id IRI, exact stamps, a Markdown note, the page
    foreign = draw(st.booleans())
    if foreign:
        page = f"https://news.example.org/{draw(st.integers(0, 99))}"
        targets = [replace(target, uri=page) for target in targets]
    return Annotation(
        kind=kind,
        targets=tuple(targets),
        author=draw(st.text(max_size=20)),
        id=str(draw(st.uuids(version=4))),
        tags=tuple(draw(st.lists(st.text(max_size=20), max_size=3))),
        relation=draw(st.text(max_size=15)),
        note=draw(st.text(max_size=60)),
        created=created.isoformat(timespec="microseconds" if foreign else "seconds"),
        modified=later.isoformat(timespec="microseconds" if foreign else "seconds"),
        anchor=anchor,
        canonical=f"https://hypothes.is/a/{draw(st.uuids()).hex[:22]}" if foreign else "",
        note_format=draw(st.sampled_from(["", "text/markdown", "text/html"])) if foreign else "",
    )


@st.composite
def workloads(draw) -> tuple[list[Article], list[Annotation]]:
    pool = draw(articles())
    found = draw(st.lists(annotations(pool), max_size=8, unique_by=lambda a: a.id))
    return pool, found


def _fresh(folder: Path, name: str) -> Store:
    return Store.open(folder / name)


def _without_time(blob: bytes) -> dict:
    document = json.loads(blob)
    document.pop("exported_at")
    return document


ROUND_TRIP = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- Done when 1: round trips


@ROUND_TRIP
@given(workloads())
def test_json_export_import_export_is_the_same_document_and_import_is_idempotent(workload):
    pool, made = workload
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = _fresh(folder, "a.json")
        source.put_many(pool, made)
        write_export(source, "json", folder / "export.json", author="teacher")

        target = _fresh(folder, "b.json")
        (report,) = import_files(target, [folder / "export.json"])
        assert report.added == len(made) and not report.waiting
        again, count = render_export(target, "json", author="teacher")
        assert count == len(made)
        assert _without_time(again) == _without_time((folder / "export.json").read_bytes())

        before = target.path.read_bytes()
        (report,) = import_files(target, [folder / "export.json"])
        assert (report.added, report.updated, report.unchanged) == (0, 0, len(made))
        assert target.path.read_bytes() == before


@ROUND_TRIP
@given(workloads(), st.booleans())
def test_w3c_export_import_export_is_the_same_document_and_import_is_idempotent(workload, has_articles):
    pool, made = workload
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = _fresh(folder, "a.json")
        source.put_many(pool, made)
        write_export(source, "w3c", folder / "export.jsonld", author="teacher")

        target = _fresh(folder, "b.json")
        if has_articles:  # placed on the texts, or kept waiting for them: the same either way
            target.put_many(pool)
        (report,) = import_files(target, [folder / "export.jsonld"])
        assert report.added == len(made)
        assert bool(report.waiting) == (bool(made) and not has_articles)
        # nothing lost (but the anchor, which W3C does not carry: it is found again on the text)
        assert {a.id: replace(a, anchor="exact") for a in target.annotations()} == {
            a.id: replace(a, anchor="exact") for a in made}
        again, _ = render_export(target, "w3c", author="teacher")
        assert again == (folder / "export.jsonld").read_bytes()

        before = target.path.read_bytes()
        (report,) = import_files(target, [folder / "export.jsonld"])
        assert (report.added, report.updated, report.unchanged) == (0, 0, len(made))
        assert target.path.read_bytes() == before


# ------------------------------------------------------------------------ merging by id


def _export(store: Store, folder: Path, name: str = "export.json", fmt: str = "json") -> Path:
    path = folder / name
    write_export(store, fmt, path)
    return path


def test_a_later_edit_replaces_an_earlier_one_and_never_the_other_way(tmp_path, seeded):
    first = _export(seeded, tmp_path, "first.json")
    claim = seeded.annotations()[0]
    seeded.put_annotation(claim.edited(note="changed my mind"))
    second = _export(seeded, tmp_path, "second.json")

    store = _fresh(tmp_path, "class.json")
    import_files(store, [second])
    (report,) = import_files(store, [first])
    assert (report.updated, report.added) == (0, 0)
    assert {a.id: a.note for a in store.annotations()}[claim.id] == "changed my mind"

    store = _fresh(tmp_path, "class2.json")
    import_files(store, [first])
    (report,) = import_files(store, [second])
    assert report.updated == 1
    assert {a.id: a.note for a in store.annotations()}[claim.id] == "changed my mind"


def test_several_students_merge_into_one_database_with_all_their_authors(tmp_path, seeded):
    ana = _export(seeded, tmp_path, "ana.json")
    other = _fresh(tmp_path, "ben-db.json")
    left, right = seed_articles()
    other.put_many([right])
    ben = Annotation(kind="claim", targets=(quote(right, "the two leaders reportedly appeared to get along"),),
                     author="Ben", tags=("attributed claim",))
    other.put_annotation(ben)
    ben_file = _export(other, tmp_path, "ben.jsonld", "w3c")

    store = _fresh(tmp_path, "class.json")
    reports = import_files(store, [ana, ben_file])
    assert [r.added for r in reports] == [9, 1]
    assert {a.author for a in store.annotations()} == {"Ana Student", "Ben"}
    assert len(store.articles()) == 2


def test_annotations_whose_article_is_missing_are_kept_and_reported_waiting(tmp_path, seeded):
    path = tmp_path / "no-text.json"
    document = json.loads(render_export(seeded, "json")[0])
    for entry in document["articles"]:
        del entry["text"], entry["furniture"]
        entry["source"] = "somewhere/else.txt"
    path.write_text(json.dumps(document))
    store = _fresh(tmp_path, "empty.json")
    (report,) = import_files(store, [path])
    assert report.added == 9
    assert report.waiting == {"somewhere/else.txt": 9}  # annotations, not targets
    assert len(store.annotations()) == 9 and store.articles() == []
    assert any("waiting for article somewhere/else.txt" in line for line in report.lines())
    # exported again, they are all still there
    assert len(json.loads(render_export(store, "json")[0])["annotations"]) == 9
    # and an export that carries the text brings the articles in later
    (report,) = import_files(store, [_export(seeded, tmp_path)])
    assert report.articles_added == 2 and report.unchanged == 9


def test_an_old_export_without_text_is_placed_on_the_edited_article_by_its_file_name(tmp_path, seeded):
    """Re-anchoring through import: the database holds a corrected version of the article."""
    left, right = seed_articles()
    document = json.loads(render_export(seeded, "json")[0])
    for entry in document["articles"]:  # as the walking skeleton exported: no text
        del entry["text"], entry["furniture"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))

    edited_text = "Correction appended on 3 March.\n" + left.text.replace("flew immediately back", "flew back")
    edited = replace(article_from_text(edited_text, left.source), added_at=left.added_at)
    store = _fresh(tmp_path, "edited.json")
    store.put_many([edited, right])
    (report,) = import_files(store, [path])
    assert report.added == 9 and not report.waiting
    placed = {a.id: a for a in store.annotations()}
    assert all(t.article_id in (edited.id, right.id) for a in placed.values() for t in a.targets)
    for annotation in placed.values():
        for target in annotation.targets:
            text = edited.text if target.article_id == edited.id else right.text
            if annotation.anchor != "orphaned":
                assert text[target.start:target.end] == target.quote.exact
    by_number = {int(a.id[-2:]): a for a in placed.values()}
    assert by_number[1].anchor == "moved"   # same quote, later in the text
    assert by_number[2].anchor == "exact"   # the other article did not change
    assert by_number[8].anchor == "moved"   # "flew immediately back" was edited: fuzzy
    assert by_number[8].targets[1].quote.exact == "After the press conference, the president flew back to the US."
    assert by_number[9].anchor == "orphaned"
    assert report.moved == 5 and report.orphaned == 1  # 1, 3, 4, 6, 8 touch the edited article


# -------------------------------------------------------------------------- bad files


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1024 * 1024)
    opened = []
    monkeypatch.setattr(Path, "open", lambda *a, **k: opened.append(a) or (_ for _ in ()).throw(AssertionError))
    with pytest.raises(UserError, match=r"100 MB is over the 32 MB import limit"):
        read_file(path)
    assert not opened and MAX_IMPORT_BYTES == 32 * 1024 * 1024


def test_one_bad_file_among_good_ones_imports_nothing(tmp_path, seeded):
    good = _export(seeded, tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "annotations": "nope"}')
    store = _fresh(tmp_path, "db.json")
    before = store.path.read_bytes()
    with pytest.raises(UserError, match="bad.json"):
        import_files(store, [good, bad])
    assert store.path.read_bytes() == before


def test_an_edited_article_text_in_an_export_is_refused(tmp_path, seeded):
    document = json.loads(render_export(seeded, "json")[0])
    document["articles"][0]["text"] += " And one more sentence."
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document))
    with pytest.raises(UserError, match="does not match its id"):
        read_file(path)


def test_orphans_of_the_seed_fixture_are_exported_in_every_format(seeded):
    orphan = next(a for a in seed_annotations(*seed_articles()) if a.anchor == "orphaned")
    for fmt in ("json", "w3c", "csv", "md"):
        blob, _ = render_export(seeded, fmt)
        assert orphan.targets[0].quote.exact.encode() in blob, fmt
