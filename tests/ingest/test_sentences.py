"""split_sentences and SentenceIndex: sentence spans, walked forwards and back."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.model import Article
from reader import sentences
from reader.sentences import BLOCK, SentenceIndex, split_sentences

TEXT = (
    "Mr. Smith went to Washington. He said: “It was all about the sanctions.” Then he left!\n"
    "\n"
    "  Is this the end?   Nobody knows.  \n"
    "A line without a full stop\n"
    "\n"
    "\n"
    "Last paragraph. Really the last one."
)


def walk_forward(index: SentenceIndex, limit: int) -> list[tuple[int, int]]:
    spans = []
    span = index.first()
    while span is not None:
        spans.append(span)
        assert len(spans) <= limit, "after() does not terminate"
        span = index.after(span)
    return spans


def walk_back(index: SentenceIndex, limit: int) -> list[tuple[int, int]]:
    spans = []
    span = index.last()
    while span is not None:
        spans.append(span)
        assert len(spans) <= limit, "before() does not terminate"
        span = index.before(span[0])
    return spans


def expected_spans(text: str) -> list[tuple[int, int]]:
    """Every paragraph's split_sentences, in text offsets (paragraphs under BLOCK only)."""
    spans, start = [], 0
    for paragraph in text.split("\n"):
        assert len(paragraph) <= BLOCK
        spans.extend((start + a, start + b) for a, b in split_sentences(paragraph))
        start += len(paragraph) + 1
    return spans


def assert_covers_all_but_space(text: str, spans: list[tuple[int, int]]) -> None:
    """Every non-space character of `text` is inside one of `spans`."""
    covered = bytearray(len(text))
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    missing = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert missing == [], (text, spans, missing)


def assert_spans_well_formed(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert start >= previous_end  # increasing and non-overlapping
        piece = text[start:end]
        assert piece == piece.strip()
        assert not piece[0].isspace() and not piece[-1].isspace()
        previous_end = end


# --- split_sentences -------------------------------------------------------------------------


def test_split_sentences_basic():
    paragraph = "Mr. Smith went to Washington. He said: “Hi!” Then he left."
    pieces = [paragraph[a:b] for a, b in split_sentences(paragraph)]
    assert pieces == ["Mr. Smith went to Washington.", "He said: “Hi!”", "Then he left."]


def test_split_sentences_strips_surrounding_space():
    paragraph = "   Hello there.    How are you?   "
    pieces = [paragraph[a:b] for a, b in split_sentences(paragraph)]
    assert pieces == ["Hello there.", "How are you?"]


def test_split_sentences_unterminated_tail_is_a_sentence():
    paragraph = "First one. and then some words without an end"
    spans = split_sentences(paragraph)
    assert paragraph[spans[-1][0] : spans[-1][1]].endswith("without an end")
    assert spans[-1][1] == len(paragraph)


def test_split_sentences_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences("   \t ") == []


def test_split_sentences_cover_all_words():
    paragraph = "One. Two? Three! Four… Five – six; seven: eight, nine. Ten"
    spans = split_sentences(paragraph)
    assert_spans_well_formed(paragraph, spans)
    assert_covers_all_but_space(paragraph, spans)


# --- SentenceIndex ---------------------------------------------------------------------------


def test_walk_forward_matches_paragraph_sentences():
    index = SentenceIndex(TEXT)
    spans = walk_forward(index, 100)
    assert spans == expected_spans(TEXT)
    assert [TEXT[a:b] for a, b in spans] == [
        "Mr. Smith went to Washington.",
        "He said: “It was all about the sanctions.”",
        "Then he left!",
        "Is this the end?",
        "Nobody knows.",
        "A line without a full stop",
        "Last paragraph.",
        "Really the last one.",
    ]
    assert_spans_well_formed(TEXT, spans)


def test_span_text_is_stripped_sentence():
    for start, end in walk_forward(SentenceIndex(TEXT), 100):
        assert TEXT[start:end] == TEXT[start:end].strip() != ""


def test_walk_back_is_walk_forward_reversed():
    index = SentenceIndex(TEXT)
    forward = walk_forward(index, 100)
    assert walk_back(SentenceIndex(TEXT), 100) == forward[::-1]
    assert walk_back(index, 100) == forward[::-1]  # same index, warm cache


def test_last_is_last_sentence():
    assert TEXT[slice(*SentenceIndex(TEXT).last())] == "Really the last one."


def test_before_first_sentence_is_none():
    index = SentenceIndex(TEXT)
    assert index.before(index.first()[0]) is None
    assert index.before(0) is None


def test_after_last_sentence_is_none():
    index = SentenceIndex(TEXT)
    assert index.after(index.last()) is None


def test_sentence_at_offsets():
    index = SentenceIndex(TEXT)
    spans = walk_forward(index, 100)
    for start, end in spans:
        assert index.sentence_at(start) == (start, end)
        assert index.sentence_at(end - 1) == (start, end)
    # in the blank lines between paragraphs: the next sentence
    gap = TEXT.index("\n\n") + 1
    assert index.sentence_at(gap) == spans[3]
    assert index.sentence_at(-5) == spans[0]
    assert index.sentence_at(len(TEXT) + 10) is None


def test_hidden_ranges_are_skipped():
    spans = walk_forward(SentenceIndex(TEXT), 100)
    # hide the second paragraph, and the first sentence of the last one
    second = TEXT.index("  Is this the end?")
    hidden = ((second, TEXT.index("A line without")), spans[6])
    index = SentenceIndex(TEXT, hidden)
    visible = walk_forward(index, 100)
    assert visible == [spans[0], spans[1], spans[2], spans[5], spans[7]]
    assert walk_back(index, 100) == visible[::-1]
    assert index.first() == spans[0]
    assert index.last() == spans[7]


def test_hidden_range_at_start_and_end():
    spans = walk_forward(SentenceIndex(TEXT), 100)
    index = SentenceIndex(TEXT, ((0, spans[2][1]), (spans[6][0], len(TEXT))))
    assert index.first() == spans[3]
    assert index.last() == spans[5]
    assert walk_forward(index, 100) == spans[3:6]


def test_everything_hidden():
    index = SentenceIndex(TEXT, ((0, len(TEXT)),))
    assert index.first() is None
    assert index.last() is None


def test_seed_furniture_is_skipped(seed_001: Article):
    text = seed_001.text
    index = SentenceIndex(text, seed_001.furniture)
    spans = walk_forward(index, 10_000)
    assert_spans_well_formed(text, spans)
    tail = seed_001.furniture[-1][0]
    assert all(start < tail for start, _ in spans)
    assert text[slice(*spans[-1])] == "It is impossible to predict what might lay ahead, but the world will continue to watch as it all unravels."
    assert walk_back(index, 10_000) == spans[::-1]
    # without the furniture hidden, the walk reaches the page's tail
    assert walk_forward(SentenceIndex(text), 10_000)[-1][0] > tail


def test_seed_000_walk(seed_000: Article):
    text = seed_000.text
    spans = walk_forward(SentenceIndex(text), 10_000)
    assert spans == expected_spans(text)
    assert walk_back(SentenceIndex(text), 10_000) == spans[::-1]
    assert text[slice(*spans[0])].startswith("President Donald Trump confirmed on Thursday")


def test_long_paragraph_in_blocks():
    sentence = "The quick brown fox jumps over the lazy dog near the river bank. "
    text = "Intro line.\n" + (sentence * (5 * BLOCK // len(sentence))).strip() + "\nOutro line."
    index = SentenceIndex(text)
    spans = walk_forward(index, len(text))
    assert_spans_well_formed(text, spans)
    assert text[slice(*spans[0])] == "Intro line."
    assert text[slice(*spans[-1])] == "Outro line."
    assert walk_back(SentenceIndex(text), len(text)) == spans[::-1]
    assert_covers_all_but_space(text, spans)


def test_long_paragraph_without_spaces_in_blocks():
    text = "x" * (3 * BLOCK + 17)
    spans = walk_forward(SentenceIndex(text), len(text))
    assert_spans_well_formed(text, spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert sum(b - a for a, b in spans) == len(text)
    assert walk_back(SentenceIndex(text), len(text)) == spans[::-1]


def test_empty_text():
    index = SentenceIndex("")
    assert index.first() is None
    assert index.last() is None
    assert index.sentence_at(0) is None


# --- properties ------------------------------------------------------------------------------

_TOKENS = st.sampled_from(
    ["word", "Mr.", "U.S.", "é", "1.5", "…", ".", "!", "?", ",", ";", "“", "”", "(", ")", "'", "-",
     " ", " ", "  ", "\t", "\n", "\n\n", "\u00a0", "e.g.", "...", "?!", "A", "b"]
)
_random_text = st.lists(_TOKENS, max_size=80).map("".join)


@settings(max_examples=150, deadline=None)
@given(_random_text)
def test_split_sentences_property(paragraph: str):
    paragraph = paragraph.replace("\n", " ")
    spans = split_sentences(paragraph)
    assert_spans_well_formed(paragraph, spans)
    assert_covers_all_but_space(paragraph, spans)


@settings(max_examples=150, deadline=None)
@given(_random_text, st.data())
def test_index_walk_property(text: str, data):
    limit = len(text) + 2
    index = SentenceIndex(text)
    spans = walk_forward(index, limit)
    assert_spans_well_formed(text, spans)
    assert_covers_all_but_space(text, spans)
    assert spans == expected_spans(text)
    assert walk_back(SentenceIndex(text), limit) == spans[::-1]
    # hidden ranges: the walk is the full walk without the spans starting inside them
    if text:
        cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6, unique=True)))
        hidden = tuple((a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b)
        visible = [s for s in spans if not any(a <= s[0] < b for a, b in hidden)]
        hidden_index = SentenceIndex(text, hidden)
        assert walk_forward(hidden_index, limit) == visible
        assert walk_back(hidden_index, limit) == visible[::-1]


_blocky_text = st.lists(
    st.sampled_from(["abc", " ", "x.", "\n", "Yes. ", "Mr. X", "a" * 23, "  "]), max_size=40
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_random_text, _blocky_text))
def test_block_segmentation_property(text: str):
    # With tiny blocks, every paragraph of a few words is a "long" one cut into blocks: the
    # walk must still be well formed, cover every word, agree with before() and sentence_at().
    with patch.object(sentences, "BLOCK", 16):
        limit = len(text) + 2
        index = SentenceIndex(text)
        spans = walk_forward(index, limit)
        assert_spans_well_formed(text, spans)
        assert_covers_all_but_space(text, spans)
        assert walk_back(SentenceIndex(text), limit) == spans[::-1]
        for offset in range(len(text) + 1):
            expected = next((span for span in spans if span[1] > offset), None)
            assert index.sentence_at(offset) == expected, offset


TRICKY = {
    # a sentence ending inside a closing quote or bracket, the next one capitalised
    "He said, ‘It was all about the sanctions. We couldn’t do that.’ Ri Yong Ho has stated that.":
        ["He said, ‘It was all about the sanctions. We couldn’t do that.’", "Ri Yong Ho has stated that."],
    "She asked: «Is it over?» Nobody answered.": ["She asked: «Is it over?»", "Nobody answered."],
    "It ended (as expected.) Then they left.": ["It ended (as expected.)", "Then they left."],
    "He said ‘no.’ “Why?” she asked.": ["He said ‘no.’", "“Why?” she asked."],
    "They said 'enough.' 2019 was the year.": ["They said 'enough.'", "2019 was the year."],
    "He wrote: ‘That is all.’ Then he left. Mr. Smith agreed.":
        ["He wrote: ‘That is all.’", "Then he left.", "Mr. Smith agreed."],
    # ...and what stays one sentence
    "“Stop!” he shouted. They stopped.": ["“Stop!” he shouted.", "They stopped."],
    "He said “we are done.” The talks ended.": ["He said “we are done.”", "The talks ended."],
    "The U.S. said so. The end.": ["The U.S. said so.", "The end."],
    "‘Who knows?’ asked the minister.": ["‘Who knows?’ asked the minister."],
    "It was (see p. 4) not clear.": ["It was (see p. 4) not clear."],
    "'Who knows?' asked the minister.": ["'Who knows?' asked the minister."],
    'He left. "Why?" she asked.': ["He left.", '"Why?" she asked.'],
}


def test_tricky_sentence_ends():
    for paragraph, expected in TRICKY.items():
        assert [paragraph[a:b] for a, b in split_sentences(paragraph)] == expected, paragraph


def test_the_seed_quote_that_ends_a_sentence_ends_it(seed_001: Article):
    index = SentenceIndex(seed_001.text)
    start = seed_001.text.index("Ri Yong Ho has stated")
    span = index.sentence_at(start)
    assert span is not None and span[0] == start
