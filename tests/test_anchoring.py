from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.anchoring import CONTEXT, describe, is_exact

TEXT = "The talks were happening in Hanoi, Vietnam, and the two leaders were expected to announce progress."


def test_describe_keeps_quote_and_32_characters_of_context():
    start = TEXT.index("leaders")
    target = describe("abc", TEXT, start, start + 7)
    assert target.quote.exact == "leaders"
    assert target.quote.prefix == "ppening in Hanoi, Vietnam, and the two "[-CONTEXT:]
    assert len(target.quote.prefix) == CONTEXT
    assert target.quote.suffix == " were expected to announce progr"
    assert (target.start, target.end) == (start, start + 7)


def test_context_is_cut_at_the_text_edges():
    target = describe("abc", TEXT, 0, 3)
    assert target.quote.prefix == "" and target.quote.exact == "The"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1)])
def test_spans_outside_the_text_are_refused(start, end):
    with pytest.raises(ValueError):
        describe("abc", TEXT, start, end)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.data())
def test_describe_then_check_is_exact_on_unchanged_text(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    target = describe("x", text, start, end)
    assert is_exact(text, target)
    assert len(target.quote.prefix) <= CONTEXT and len(target.quote.suffix) <= CONTEXT
    assert target.quote.prefix + target.quote.exact + target.quote.suffix in text


def test_is_exact_notices_changed_text():
    target = describe("x", TEXT, 0, 9)
    assert not is_exact("Our " + TEXT, target)


# ------------------------------------------------------------------------- re-anchoring

import random  # noqa: E402
from pathlib import Path  # noqa: E402

from reader.anchoring import QUOTE_THRESHOLD, locate, reanchor  # noqa: E402
from reader.model import Target, TextPositionSelector  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_TEXTS = [
    (SEEDS / name).read_text("utf-8").replace("\r\n", "\n")
    for name in ("000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt")
]
FILLER = "abcdefghijklmnopqrstuvwxyz ,.;'\n"


def test_unchanged_text_is_exact_and_the_target_comes_back_the_same():
    target = describe("x", TEXT, 15, 33)
    assert reanchor(TEXT, target) == (target, "exact")


def test_text_inserted_before_moves_the_span_with_the_same_quote():
    target = describe("x", TEXT, TEXT.index("leaders"), TEXT.index("leaders") + 7)
    edited = "Breaking: " + TEXT
    placed, anchor = reanchor(edited, target)
    assert anchor == "moved" and placed.quote.exact == "leaders"
    assert placed.start == target.start + len("Breaking: ")
    assert placed.quote.prefix == edited[placed.start - CONTEXT : placed.start]


def test_the_occurrence_whose_context_fits_wins_over_a_nearer_one():
    others = "".join(f"Witness {n} said it was calm. " for n in range(6))
    text = others + "The minister said talks would resume in spring."
    start = text.index("said talks")
    target = describe("x", text, start, start + 4)  # the minister's "said"
    edited = "The minister said talks would resume in spring. " + others
    placed, anchor = reanchor(edited, target)
    assert anchor == "moved" and (placed.start, placed.end) == (13, 17)


def test_among_equal_contexts_the_nearest_to_the_old_position_wins():
    text = "x" * 50 + "needle" + "x" * 50 + "needle" + "x" * 50
    target = describe("x", text, 106, 112)  # the second needle
    edited = "y" + text
    placed, _ = reanchor(edited, target)
    assert placed.start == 107


def test_a_lightly_edited_quote_is_found_fuzzily_and_marked_moved():
    quote_text = "foreign minister Ri Yong Ho claims Kim Jong Un has demanded the removal"
    text = SEED_TEXTS[1]
    start = text.index(quote_text)
    target = describe("x", text, start, start + len(quote_text))
    edited = text.replace(quote_text, "Foreign Minister Ri Yong-ho claims Kim Jong Un had demanded the removal")
    placed, anchor = reanchor(edited, target)
    assert anchor == "moved"
    assert placed.quote.exact == "Foreign Minister Ri Yong-ho claims Kim Jong Un had demanded the removal"


def test_a_quote_that_is_gone_is_orphaned_and_kept_unchanged():
    target = describe("x", TEXT, 15, 33)
    edited = TEXT[:10] + "Nothing of the sort is said here any more at all" + TEXT[40:]
    assert reanchor(edited, target) == (target, "orphaned")


def test_a_quote_only_target_is_found_by_its_quote():
    quote_only = Target("x", TextPositionSelector(0, 0), describe("x", TEXT, 15, 33).quote)
    placed, anchor = reanchor(TEXT, quote_only)
    assert anchor == "exact" and (placed.start, placed.end) == (15, 33)


def test_fuzzy_scores_fall_as_the_quote_degrades():
    text = SEED_TEXTS[0]
    quote_text = "Trump added that Kim’s demands to have the sanctions lifted entirely were not acceptable"
    start = text.index(quote_text)
    quote = describe("x", text, start, start + len(quote_text)).quote
    scores = []
    for damage in (1, 4, 8):
        broken = quote_text
        for i in range(damage):
            at = 5 + i * 9
            broken = broken[:at] + "#" + broken[at + 1 :]
        match = locate(text.replace(quote_text, broken), quote)
        scores.append(match.score if match else 0.0)
    assert scores == sorted(scores, reverse=True) and scores[0] > QUOTE_THRESHOLD


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.data())
def test_describe_then_reanchor_on_unchanged_text_is_exact(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    target = describe("x", text, start, end)
    assert reanchor(text, target) == (target, "exact")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1), st.data())
def test_after_an_insertion_before_the_span_the_same_quote_comes_back(text, inserted, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    target = describe("x", text, start, end)
    at = data.draw(st.integers(0, start))
    edited = text[:at] + inserted + text[at:]
    placed, anchor = reanchor(edited, target)
    assert anchor in ("exact", "moved")
    assert placed.quote.exact == target.quote.exact == edited[placed.start : placed.end]
    if edited.find(target.quote.exact) == edited.rfind(target.quote.exact):  # once, overlaps counted
        assert (placed.start, anchor) == (start + len(inserted), "moved")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abc \n", min_size=1, max_size=300), st.text(alphabet="XYZ", min_size=6, max_size=40), st.data())
def test_a_target_whose_quote_no_longer_occurs_is_orphaned_and_kept(text, gone, data):
    start = data.draw(st.integers(0, len(text)))
    written = text[:start] + gone + text[start:]
    target = describe("x", written, start, start + len(gone))
    assert reanchor(text, target) == (target, "orphaned")


def _edit_outside(text: str, spans: list[tuple[int, int]], edits: list[tuple[int, int, str]]):
    """Apply (position, deleted count, inserted text) edits that stay clear of `spans`;
    return the new text and where the spans are now."""
    spans = [list(s) for s in spans]
    for position, delete, insert in edits:
        position %= len(text) + 1
        end = min(len(text), position + delete)
        if any(position <= s_end and end >= s_start for s_start, s_end in spans):
            continue  # would touch (or abut) an annotated span
        text = text[:position] + insert + text[end:]
        shift = len(insert) - (end - position)
        for span in spans:
            if span[0] >= end:
                span[0] += shift
                span[1] += shift
    return text, [tuple(s) for s in spans]


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 40), st.text(FILLER, max_size=40)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SEED_TEXTS), st.data(), edits)
def test_edits_outside_the_spans_leave_every_annotation_exact_or_moved_with_its_quote(text, data, changes):
    """Done when 3, first half: random insertions and deletions outside annotated spans."""
    spans = []
    for _ in range(data.draw(st.integers(1, 6))):
        start = data.draw(st.integers(0, len(text) - 2))
        spans.append((start, data.draw(st.integers(start + 1, min(len(text), start + 200)))))
    targets = [describe("x", text, s, e) for s, e in spans]
    edited, now = _edit_outside(text, spans, changes)
    for target, (start, end) in zip(targets, now):
        placed, anchor = reanchor(edited, target)
        assert anchor in ("exact", "moved")
        assert placed.quote.exact == target.quote.exact == edited[placed.start : placed.end]
        if edited.find(target.quote.exact) == edited.rfind(target.quote.exact):  # once, overlaps counted
            assert (placed.start, placed.end) == (start, end)
        if (start, end) == (target.start, target.end):
            assert anchor == "exact"


def _edit_inside(rng: random.Random, text: str, start: int, end: int, count: int):
    """`count` one-character edits strictly inside text[start:end]; the new text and span."""
    for _ in range(count):
        at = rng.randrange(start + 1, end)
        action = rng.choice(("insert", "delete", "replace"))
        if action == "delete" and end - start > 2:
            text, end = text[:at] + text[at + 1 :], end - 1
        elif action == "replace":
            text = text[:at] + rng.choice(FILLER[:26]) + text[at + 1 :]
        else:
            text, end = text[:at] + rng.choice(FILLER[:26]) + text[at:], end + 1
    return text, start, end


def test_lightly_edited_quotes_are_mostly_moved_to_the_right_place_and_the_rest_orphaned():
    """Done when 3, second half: 1 to 3 character edits inside quotes of 15 to 200 characters,
    plus edits elsewhere; at least 90% moved to the right place (each end within 2
    characters of where the edited passage now is), the rest orphaned, almost none wrong."""
    rng = random.Random(7)
    outcome = {"right": 0, "wrong": 0, "orphaned": 0}
    trials = 400
    for _ in range(trials):
        text = rng.choice(SEED_TEXTS)
        length = rng.randint(15, 200)
        start = rng.randrange(0, len(text) - length)
        target = describe("x", text, start, start + length)
        edited, start, end = _edit_inside(rng, text, start, start + length, rng.randint(1, 3))
        changes = [(rng.randrange(len(edited)), rng.randint(0, 30), "".join(rng.choices(FILLER, k=rng.randint(0, 30))))
                   for _ in range(rng.randint(0, 10))]
        edited, [(start, end)] = _edit_outside(edited, [(start, end)], changes)
        placed, anchor = reanchor(edited, target)
        if anchor == "orphaned":
            assert placed == target  # kept as it was
            outcome["orphaned"] += 1
        elif abs(placed.start - start) <= 2 and abs(placed.end - end) <= 2:
            assert anchor == "moved"
            outcome["right"] += 1
        else:
            outcome["wrong"] += 1
    print(f"light quote edits over {trials} trials: {outcome}")
    assert outcome["right"] >= 0.9 * trials
    assert outcome["wrong"] <= 0.02 * trials
