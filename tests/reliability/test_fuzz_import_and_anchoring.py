"""Fuzzing import files and re-anchoring with hypothesis: only the documented one-line
UserError escapes, and re-anchoring always returns a span that holds its quote."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.anchoring import describe, reanchor
from reader.errors import UserError
from reader.export.reading import parse_bytes
from reader.model import Target, TextPositionSelector, TextQuoteSelector

EXAMPLES = int(os.environ.get("PRESSCHECK_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
KEYS = ["schema_version", "annotations", "articles", "targets", "selectors", "type", "id", "kind",
        "@context", "items", "first", "target", "body", "source", "selector", "exact", "start", "end"]
LIKE_EXPORTS = st.recursive(
    st.none() | st.integers(-5, 5) | st.sampled_from(["claim", "note", "Annotation", "TextQuoteSelector",
                                                      "TextPositionSelector", "x", ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    max_leaves=40,
)


def _parses_or_refuses(raw: bytes) -> None:
    try:
        parse_bytes(raw, Path("fuzz.json"))
    except UserError as error:
        message = str(error)
        assert "fuzz.json" in message and "\n" not in message


@FUZZ
@given(st.binary(max_size=500))
def test_random_bytes_as_an_import_file(raw):
    _parses_or_refuses(raw)


@FUZZ
@given(JSON_VALUES)
def test_random_json_as_an_import_file(value):
    _parses_or_refuses(json.dumps(value).encode())


@FUZZ
@given(LIKE_EXPORTS, st.sampled_from([1, 2, 99, "1", None]))
def test_documents_shaped_like_exports(value, version):
    if isinstance(value, dict):
        value["schema_version"] = version
    _parses_or_refuses(json.dumps(value).encode())


TEXTS = st.text(alphabet=st.sampled_from(list("abc .,\nxyzé日")), min_size=1, max_size=200)


@FUZZ
@given(TEXTS, TEXTS, st.data())
def test_reanchor_returns_a_span_that_holds_its_quote_or_orphans(old, new, data):
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, len(old)))
    target = describe("a" * 16, old, start, end)
    placed, anchor = reanchor(new, target)
    assert anchor in ("exact", "moved", "orphaned")
    if anchor == "orphaned":
        assert placed == target  # kept as it was, never dropped
    else:
        assert 0 <= placed.start < placed.end <= len(new)
        assert new[placed.start : placed.end] == placed.quote.exact
        if anchor == "exact":
            assert placed.quote.exact == target.quote.exact


@FUZZ
@given(TEXTS, st.text(max_size=40), st.integers(-10, 300), st.integers(-10, 300))
def test_reanchor_survives_nonsense_selectors(text, exact, start, end):
    target = Target("a" * 16, TextPositionSelector(start, end), TextQuoteSelector(exact, "", ""))
    placed, anchor = reanchor(text, target)
    if anchor != "orphaned":
        assert text[placed.start : placed.end] == placed.quote.exact
