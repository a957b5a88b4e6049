"""Fuzzing ingest with hypothesis: random bytes and text never raise anything but the
documented one-line IngestError, and what opens is canonical and displayable."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import IngestError
from reader.ingest import article_from_text
from reader.ingest.canonical import canonicalize
from reader.ingest.decode import decode
from reader.ingest.sanitize import display_text
from reader.sentences import SentenceIndex

EXAMPLES = int(os.environ.get("PRESSCHECK_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text with the characters that break naive readers: controls, escapes, bidi, markup, CJK
NASTY = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            ["\x1b]52;c;aGk=\x07", "\x1b[31m", "\x9b", "\u202e", "\u2066", "\r\n", "\n\n", "\t",
             "[bold]", "[@click=app.quit]", "日本", "👍🏽", "e\u0301", ". ", "? ", "Mr. ", "Notice: x on line 3"]
        ),
    ),
    max_size=60,
).map("".join)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_are_refused_in_one_line(data):
    try:
        text = decode(data, "fuzz.txt")
    except IngestError as error:
        message = str(error)
        assert message.startswith("fuzz.txt: ") and "\n" not in message
        return
    assert isinstance(text, str) and text.strip()


@FUZZ
@given(NASTY)
def test_random_text_becomes_a_consistent_article_or_a_clear_error(text):
    try:
        article = article_from_text(text, "fuzz.txt")
    except IngestError as error:
        assert "\n" not in str(error)
        assert not canonicalize(text).strip()
        return
    assert article.text == canonicalize(article.text)  # canonical is a fixed point
    assert article.id == article_from_text(article.text, "other").id  # same text, same id
    shown = display_text(article.text)
    assert len(shown) == len(article.text)
    assert not any(ch in shown for ch in "\x1b\x9b\u202e\u2066\r")
    for start, end in article.furniture:
        assert 0 <= start < end <= len(article.text)
    assert "\n" not in article.title


@FUZZ
@given(NASTY)
def test_sentence_walk_always_ends_and_moves_forward(text):
    index = SentenceIndex(text)
    span = index.first()
    steps = 0
    while span is not None:
        assert 0 <= span[0] < span[1] <= len(text)
        following = index.after(span)
        assert following is None or following[0] >= span[1]
        span = following
        steps += 1
        assert steps <= len(text) + 1
