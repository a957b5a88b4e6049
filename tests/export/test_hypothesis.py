"""Hypothesis's files in and out: its API JSON (a search result, one annotation, a list) and
its JSON-LD import with quotes, tags, notes, ids, page addresses and exact stamps kept;
replies and page notes are skipped with their reason; exporting again keeps it all, and
presscheck's own exports do not change by a byte."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from export_fixtures import fill, seed_articles
from test_w3c_official import _holds, _listed
from reader.anchoring import reanchor
from reader.export import render_export, write_export
from reader.export.hypothesis import is_api, kind_summary
from reader.export.importing import import_files
from reader.export.json_format import build_document
from reader.export.json_format import schema as native_schema
from reader.export.reading import ImportFileError, read_file
from reader.export.w3c import CONTEXT_IRI, w3c_datetime
from reader.export.w3c_reading import read_annotations
from reader.model import Annotation, Target, TextPositionSelector, TextQuoteSelector
from reader.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "hypothesis"
SEARCH, SINGLE, JSONLD = DATA / "search.json", DATA / "annotation.json", DATA / "annotations.jsonld"
LEFT_PAGE = "https://www.example-news.org/world/asia/2019/02/28/trump-kim-hanoi-summit-sanctions"
RIGHT_PAGE = "https://news.example.com/politics/2019/03/01/talks-between-us-and-north-korea-collapse/"


def _store(folder: Path, name: str = "db.json", *, articles: bool = True) -> Store:
    store = Store.open(folder / name)
    if articles:
        for article in seed_articles():
            store.put_article(article)
    return store


def _rows() -> dict[str, dict]:
    return {row["id"]: row for row in json.loads(SEARCH.read_text("utf-8"))["rows"]}


def _by_canonical(store: Store) -> dict[str, Annotation]:
    return {a.canonical.rsplit("/", 1)[-1]: a for a in store.annotations()}


# ---------------------------------------------------------------------- the API's JSON


def test_a_search_result_imports_with_what_hypothesis_said_kept(tmp_path):
    store = _store(tmp_path)
    left, right = seed_articles()
    (report,) = import_files(store, [SEARCH])
    assert (report.format, report.added, report.updated) == ("hypothesis", 5, 0)
    assert report.skipped == [
        "1 page note (annotation 1): on the whole page, with no passage to place",
        "1 reply (annotation 2): presscheck keeps no replies; the annotations they answer are imported",
    ]
    assert report.orphaned == 1 and not report.waiting
    lines = report.lines()
    assert lines[1] == ("  as presscheck kinds: 2 claims (tagged; a comment kept as the claim's note), "
                        "1 claim (a highlight: no tags, no comment), 2 notes (a comment without tags)")

    found, rows = _by_canonical(store), _rows()
    assert set(found) == set(rows) - {"CWj8Yg9KEe-5oNcPgxDb2w", "9xk0Ng9JEe-hZ0M3yVbJcw"}
    for key, annotation in found.items():
        row = rows[key]
        assert annotation.canonical == row["links"]["html"] == f"https://hypothes.is/a/{key}"
        assert (annotation.created, annotation.modified) == (row["created"], row["updated"])  # to the µs
        assert annotation.tags == tuple(row["tags"])
        assert annotation.note == row["text"]
        assert annotation.note_format == ("text/markdown" if row["text"] else "")
        (target,) = annotation.targets
        assert target.uri == row["uri"] and not target.source  # placed, its page kept
        (quote,) = [s for s in row["target"][0]["selector"] if s["type"] == "TextQuoteSelector"]
        assert target.quote.exact == quote["exact"]
        article = left if row["uri"] == LEFT_PAGE else right
        assert target.article_id == article.id

    tagged = found["Hm4sKQ9HEe-lYWvcYgT0Uw"]
    assert (tagged.kind, tagged.author, tagged.anchor) == ("claim", "Ms Okafor", "exact")
    assert left.text[tagged.targets[0].start:tagged.targets[0].end] == tagged.targets[0].quote.exact
    unnamed = found["KX2b1A9IEe-x_yfRn5c3kA"]  # display_name null: the account's name
    assert (unnamed.kind, unnamed.author) == ("claim", "dlee")
    note = found["0hL3Ug9JEe-9H1e0dYyG2Q"]
    assert (note.kind, note.anchor) == ("note", "exact")
    highlight = found["5VfXWA9JEe-2oiOrq0Wl8g"]
    assert (highlight.kind, highlight.tags, highlight.note) == ("claim", (), "")
    orphan = found["bq0Yxg9IEe-8Y0tDHvVmyw"]  # on the page the file's other annotations placed
    assert (orphan.kind, orphan.anchor, orphan.targets[0].article_id) == ("note", "orphaned", left.id)
    assert orphan.targets[0].uri == LEFT_PAGE


def test_a_single_annotation_and_a_bare_list_are_read_as_the_api_too(tmp_path):
    store = _store(tmp_path)
    (report,) = import_files(store, [SINGLE])
    assert (report.format, report.added) == ("hypothesis", 1)
    (claim,) = store.annotations()
    assert (claim.kind, claim.tags, claim.author) == ("claim", ("attributed claim",), "Ms Okafor")
    assert claim.targets[0].uri == RIGHT_PAGE and claim.created == "2024-03-05T15:21:33.707106+00:00"

    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(list(_rows().values())), "utf-8")
    assert is_api(json.loads(listed.read_text("utf-8")))
    from_list = read_file(listed)
    from_search = read_file(SEARCH)
    assert from_list.annotations == from_search.annotations and from_list.skipped == from_search.skipped


def test_replies_separated_by_the_search_and_hidden_annotations_are_counted_too(tmp_path):
    document = json.loads(SEARCH.read_text("utf-8"))
    reply = document["rows"].pop(1)
    document["replies"] = [reply, {**reply, "id": "Other0reply000000000000"}]
    document["rows"][1].update(hidden=True, text="", tags=[])  # as a non-moderator is given it
    path = tmp_path / "separate.json"
    path.write_text(json.dumps(document), "utf-8")
    parsed = read_file(path)
    assert len(parsed.annotations) == 4
    assert parsed.skipped == [
        "1 page note (annotation 1): on the whole page, with no passage to place",
        "annotation 2: hidden by the group's moderators: Hypothesis gave out neither its text nor its tags",
        "2 replies (annotations 7, 8): presscheck keeps no replies; the annotations they answer are imported",
    ]


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d.update(rows="none"), "its rows (or replies) are not a list"),
    (lambda d: d["rows"][2].update(id=7), "annotation 3: its id is not text"),
    (lambda d: d["rows"][2].update(tags="a, b"), "annotation 3: its tags are not a list of texts"),
    (lambda d: d["rows"][2].update(target={"source": "x"}), "annotation 3: its target is not a list of objects"),
    (lambda d: d["rows"][2].update(created="5 March"), "annotation 3: created is not an xsd:dateTime"),
    (lambda d: d["rows"][4]["target"][0]["selector"][2].update(exact=""), "annotation 5: a TextQuoteSelector has no exact"),
])
def test_a_broken_api_file_is_refused_in_one_line_naming_it_and_nothing_is_written(tmp_path, breakage, message):
    store = _store(tmp_path)
    before = store.path.read_bytes()
    document = json.loads(SEARCH.read_text("utf-8"))
    breakage(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(ImportFileError) as caught:
        import_files(store, [SINGLE, path])
    text = str(caught.value)
    assert text.startswith(f"{path}: not Hypothesis API JSON that presscheck can read (") and message in text
    assert "\n" not in text
    assert store.path.read_bytes() == before and store.annotations() == []


def test_an_id_given_twice_is_refused_naming_it_on_one_line(tmp_path):
    items = json.loads(JSONLD.read_text("utf-8"))
    items += [dict(items[2], id="https://hypothes.is/a/x\ny")] * 2
    path = tmp_path / "twice.jsonld"
    path.write_text(json.dumps(items), "utf-8")
    with pytest.raises(ImportFileError, match="annotation id https://hypothes.is/a/x y appears twice") as caught:
        read_file(path)
    assert "\n" not in str(caught.value)


# ------------------------------------------------------------------------- its JSON-LD


def test_its_json_ld_gives_the_same_annotations_as_its_api(tmp_path):
    from_api = _store(tmp_path, "api.json")
    import_files(from_api, [SEARCH])
    from_jsonld = _store(tmp_path, "jsonld.json")
    (report,) = import_files(from_jsonld, [JSONLD])
    assert (report.format, report.added) == ("w3c", 5)
    assert report.skipped == [
        "2 page notes or replies (annotations 1, 2): on the whole page, with no passage to place"]
    assert report.notes == [kind_summary(from_api.annotations())]
    # all but the author: h's JSON-LD names the account, not the display name
    api = {a.id: a.to_dict() for a in from_api.annotations()}
    jsonld = {a.id: a.to_dict() for a in from_jsonld.annotations()}
    assert {i: a["author"] for i, a in jsonld.items()} == {
        i: ("dlee" if a["author"] == "dlee" else "ms_okafor") for i, a in api.items()}
    for record in [*api.values(), *jsonld.values()]:
        record.pop("author")
    assert jsonld == api
    # so importing one after the other changes nothing
    before = from_api.path.read_bytes()
    (report,) = import_files(from_api, [JSONLD])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert from_api.path.read_bytes() == before


def test_json_ld_reading_keeps_the_id_iri_stamps_format_and_account_name():
    (item,) = [i for i in json.loads(JSONLD.read_text("utf-8")) if i["id"].endswith("0hL3Ug9JEe-9H1e0dYyG2Q")]
    (note,), skipped = read_annotations(item)
    assert not skipped
    assert note.canonical == "https://hypothes.is/a/0hL3Ug9JEe-9H1e0dYyG2Q"
    assert (note.created, note.modified) == ("2024-03-05T14:31:08.040506+00:00", "2024-03-06T08:02:59.314159+00:00")
    assert (note.kind, note.note_format, note.author) == ("note", "text/markdown", "ms_okafor")
    (target,) = note.targets
    assert target.source == RIGHT_PAGE and (target.start, target.end) == (0, 0)  # the page's count: by quote
    other = read_annotations(dict(item, creator="acct:ana@lms.example.edu"))[0][0]
    assert other.author == "ana@lms.example.edu"  # another authority's account stays whole


# ------------------------------------------------------------------------- out again


def test_w3c_export_and_import_into_a_fresh_database_keep_everything(tmp_path):
    first = _store(tmp_path)
    import_files(first, [SEARCH, SINGLE])
    exported = tmp_path / "out.jsonld"
    write_export(first, "w3c", exported)
    document = json.loads(exported.read_text("utf-8"))
    items = {i["canonical"].rsplit("/", 1)[-1]: i for i in document["first"]["items"]}
    tagged = items["Hm4sKQ9HEe-lYWvcYgT0Uw"]
    assert (tagged["created"], tagged["modified"]) == ("2024-03-05T14:07:21.123456+00:00", "2024-03-05T14:09:02.500031+00:00")
    assert tagged["target"][0]["scope"] == LEFT_PAGE
    assert tagged["target"][0]["source"].startswith("urn:presscheck:article:")
    (comment,) = [b for b in tagged["body"] if b["purpose"] == "commenting"]
    assert comment["format"] == "text/markdown"

    second = _store(tmp_path, "fresh.json")
    (report,) = import_files(second, [exported])
    assert report.added == 6
    assert second.annotations() == first.annotations()
    assert render_export(second, "w3c")[0] == exported.read_bytes()
    before = second.path.read_bytes()
    (report,) = import_files(second, [exported])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 6)
    assert second.path.read_bytes() == before


def test_json_export_carries_it_all_into_an_empty_database(tmp_path):
    first = _store(tmp_path)
    import_files(first, [SEARCH, SINGLE])
    exported = tmp_path / "out.json"
    write_export(first, "json", exported)
    jsonschema.validate(json.loads(exported.read_text("utf-8")), native_schema(),
                        format_checker=jsonschema.FormatChecker())
    empty = _store(tmp_path, "empty.json", articles=False)
    (report,) = import_files(empty, [exported])
    assert (report.added, report.articles_added) == (6, 2)
    assert empty.annotations() == first.annotations()
    (report,) = import_files(empty, [SEARCH])  # and the original file on top changes nothing
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)


def test_the_w3c_export_of_hypothesis_annotations_meets_the_musts_and_its_own_terms(tmp_path):
    store = _store(tmp_path)
    import_files(store, [SEARCH, SINGLE])
    items = [{"@context": CONTEXT_IRI, **i} for i in json.loads(render_export(store, "w3c")[0])["first"]["items"]]
    musts = _listed("annotationMusts.test")
    assert [(i["id"], name) for i in items for name in musts if not _holds(name, i)] == []
    for name in ("annotations/3.3.7-annotationCanonicalImplemented.json",
                 "annotations/3.3.7-annotationCanonicalValidated.json",
                 "annotations/3.3.1-annotationCreatedValidated.json",
                 "annotations/3.3.1-annotationModifiedValidated.json"):
        assert all(_holds(name, i) for i in items), name
    assert all(_holds("annotations/specificResource/4.6-scope.json", i) for i in items)  # the page
    assert not _holds("annotations/specificResource/4.6-scope.json",
                      {**items[0], "target": [{k: v for k, v in items[0]["target"][0].items() if k != "scope"}]})


def test_a_hand_in_names_a_local_page_by_its_file_name_only():
    left, _ = seed_articles()
    target = Target(left.id, TextPositionSelector(0, 9), TextQuoteSelector(left.text[:9]),
                    uri="/home/ana/pages/hanoi.html")
    on_web = Target(left.id, TextPositionSelector(0, 9), TextQuoteSelector(left.text[:9]), uri=LEFT_PAGE)
    annotations = [Annotation("claim", (target,), "ana"), Annotation("claim", (on_web,), "ana")]
    document = build_document([left], annotations, sources={})
    assert [a["targets"][0]["uri"] for a in document["annotations"]] == ["hanoi.html", LEFT_PAGE]
    assert "/home/ana" not in json.dumps(document)


# ------------------------------------------------------------------ presscheck's own


def test_presscheck_records_and_stamps_are_as_they_always_were(tmp_path):
    store = Store.open(tmp_path / "db.json")
    _, made = fill(store)
    for annotation in made:
        record = annotation.to_dict()
        assert "canonical" not in record and "note_format" not in record
        assert all("uri" not in target for target in record["targets"])
        assert Annotation.from_dict(record) == annotation
    assert w3c_datetime("2024-03-01T10:01:00+00:00") == "2024-03-01T10:01:00Z"
    assert w3c_datetime("2024-03-01T11:01:00+01:00") == "2024-03-01T10:01:00Z"
    assert w3c_datetime("2024-03-01T10:01:00.250") == "2024-03-01T10:01:00Z"  # no offset: not kept
    assert w3c_datetime("2024-03-01T10:01:00.250+01:00") == "2024-03-01T10:01:00.250+01:00"
    document = json.loads(render_export(store, "w3c")[0])
    assert all("canonical" not in item for item in document["first"]["items"])
    assert all("scope" not in t for item in document["first"]["items"] for t in item["target"])


def test_the_new_fields_are_checked_on_read():
    left, _ = seed_articles()
    claim = Annotation("claim", (Target(left.id, TextPositionSelector(0, 9), TextQuoteSelector(left.text[:9]),
                                        uri=LEFT_PAGE),), "ana", note="*x*", note_format="text/markdown",
                       canonical="https://hypothes.is/a/abc")
    record = claim.to_dict()
    assert Annotation.from_dict(record) == claim
    for key, value, message in (("canonical", 3, "canonical is 3"), ("note_format", "<b>", "not a media type")):
        with pytest.raises(ValueError, match=message):
            Annotation.from_dict({**record, key: value})
    with pytest.raises(ValueError, match="uri"):
        Annotation.from_dict({**record, "targets": [{**record["targets"][0], "uri": ["x"]}]})
    assert Annotation("note", claim.targets, "ana", note_format="text/markdown").note_format == ""


def test_re_anchoring_on_an_edited_text_keeps_the_page():
    left, _ = seed_articles()
    exact = "Kim Jong Un demanded a total reversal"
    start = left.text.index(exact)
    target = Target(left.id, TextPositionSelector(start, start + len(exact)),
                    TextQuoteSelector(exact), uri=LEFT_PAGE)
    placed, anchor = reanchor("A new first line.\n" + left.text, target)
    assert anchor == "moved" and placed.uri == LEFT_PAGE
