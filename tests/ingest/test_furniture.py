"""find_furniture(text): ranges of page furniture, folded in the view, never deleted."""

from __future__ import annotations

from pathlib import Path

from reader.ingest.canonical import canonicalize
from reader.ingest.furniture import default_rules, find_furniture
from reader.model import Article

LONG = (
    "The council voted on Tuesday to close the old library, a decision that campaigners "
    "said would leave thousands of residents without access to books, computers and a "
    "warm place to study during the winter months ahead."
)
assert len(LONG.split()) > default_rules().tail_max_words


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of `text`."""
    spans, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _assert_well_formed(text: str, ranges: tuple[tuple[int, int], ...]) -> None:
    for start, end in ranges:
        assert 0 <= start < end <= len(text)
    for (_, end), (start, _) in zip(ranges, ranges[1:]):
        assert end < start  # sorted, disjoint, not touching (merged)


# --- the real seeds ------------------------------------------------------------------------


def test_seed_001_tail_starts_at_follow_line_and_runs_to_end(seed_001: Article):
    text = seed_001.text
    follow = "Follow Concrete on Twitter to stay up to date"
    start = text.index(follow)
    assert text[start - 1] == "\n"  # it is a whole line
    assert seed_001.furniture == find_furniture(text)
    assert seed_001.furniture[-1] == (start, len(text))
    assert seed_001.furniture == ((start, len(text)),)


def test_seed_001_tail_holds_the_page_lines(seed_001: Article):
    start, end = seed_001.furniture[-1]
    tail = seed_001.text[start:end]
    for line in ("About Author", "William Warnes", "on line 11", "on line 26", "Latest Comments", "About Us"):
        assert line in tail


def test_seed_001_no_body_paragraph_is_furniture(seed_001: Article):
    text = seed_001.text
    tail_start = text.index("Follow Concrete on Twitter")
    body = [span for span in _paragraphs(text) if span[1] <= tail_start]
    assert len(body) == 9  # title + eight paragraphs
    assert text[body[0][0] : body[0][1]] == "Talks between US and North Korea collapse"
    assert text[body[-1][0] : body[-1][1]].startswith("Before this summit")
    for paragraph in body:
        for hidden in seed_001.furniture:
            assert not _overlaps(paragraph, hidden), text[paragraph[0] : paragraph[1]][:60]


def test_seed_000_has_no_furniture(seed_000: Article):
    assert seed_000.furniture == ()
    assert find_furniture(seed_000.text) == ()


def test_text_never_changed(seed_001: Article, seeds: Path):
    # the article's text is the whole canonical file, furniture included; ranges index it
    raw = (seeds / "001_1c2accc8ffba02b5.txt").read_bytes().decode("utf-8")
    assert seed_001.text == canonicalize(raw)
    assert "Notice: Trying to access array offset" in seed_001.text
    assert seed_001.text.endswith("Follow us at @ConcreteUEA.")
    ranges = find_furniture(seed_001.text)
    assert seed_001.text == canonicalize(raw)
    start, end = ranges[-1]
    assert seed_001.text[start:end].startswith("Follow Concrete on Twitter")
    assert seed_001.text[start:end].endswith("Follow us at @ConcreteUEA.")


# --- lines folded alone ------------------------------------------------------------------------


def test_php_notice_in_middle_folded_alone():
    notice = "Notice: Trying to access array offset on value of type null in /home/site/ on line 11"
    text = "\n\n".join([LONG, LONG.replace("council", "mayor"), notice, LONG.replace("Tuesday", "Friday")])
    start = text.index(notice)
    assert find_furniture(text) == ((start, start + len(notice)),)


def test_php_warning_variants_are_furniture():
    for line in (
        "Warning: Undefined variable $x in /var/www/index.php on line 3",
        "PHP Deprecated: Function create_function() is deprecated in /a/b.php on line 42",
        "Fatal error: Uncaught Error in /srv/x.php on line 7",
    ):
        text = f"{LONG}\n\n{line}\n\n{LONG}"
        start = text.index(line)
        assert find_furniture(text) == ((start, start + len(line)),), line


def test_share_prompt_between_body_paragraphs_folded_alone():
    text = f"{LONG}\n\nShare this article\n\n{LONG}"
    start = text.index("Share this article")
    assert find_furniture(text) == ((start, start + len("Share this article")),)


def test_sentence_mentioning_notice_and_twitter_is_not_furniture():
    # body sentences that merely use the words are kept
    text = "\n\n".join(
        [
            LONG,
            "Notice was given to tenants on Monday that the building would close.",
            "Follow-up reports on Twitter suggested that the vote had been rushed through by "
            "councillors who had not read the report, and residents demanded a second meeting.",
            LONG,
        ]
    )
    assert find_furniture(text) == ()


# --- short-paragraph articles ------------------------------------------------------------------


SHORT_PARAGRAPHS = [
    "The mayor resigned on Monday.",
    "She gave no reason.",
    "Council members were surprised.",
    "An election will follow in May.",
    "Two candidates have already declared.",
    "Turnout is expected to be low.",
    "The last election drew a quarter of voters.",
    "Campaigning starts next week.",
    "Both candidates promise lower taxes.",
    "Neither has said how.",
    "Results are due on the ninth of May.",
    "The new mayor takes office in June.",
]


def test_short_paragraph_article_with_share_line_near_top_not_folded_whole():
    text = "\n\n".join(SHORT_PARAGRAPHS[:1] + ["Share this"] + SHORT_PARAGRAPHS[1:])
    ranges = find_furniture(text)
    _assert_well_formed(text, ranges)
    hidden = sum(end - start for start, end in ranges)
    assert hidden <= len(text) // 4
    for paragraph in SHORT_PARAGRAPHS:
        start = text.index(paragraph)
        for span in ranges:
            assert not _overlaps((start, start + len(paragraph)), span), paragraph
    # the share line itself is still furniture, folded alone
    share = text.index("Share this")
    assert ranges == ((share, share + len("Share this")),)


def test_short_paragraph_article_with_footer_at_end_folds_the_footer():
    footer = "© 2024 Example News Ltd. All rights reserved."
    text = "\n\n".join(SHORT_PARAGRAPHS + ["Share this", "William Warnes", footer])
    start = text.index("Share this")
    assert find_furniture(text) == ((start, len(text)),)


def test_tail_after_long_body_paragraph_takes_short_unmatched_lines():
    text = "\n\n".join([LONG, LONG, "About the author", "Jane Doe", "Staff writer", "Read more"])
    start = text.index("About the author")
    assert find_furniture(text) == ((start, len(text)),)


def test_long_paragraph_after_furniture_ends_the_tail():
    # a marked line followed by a long body paragraph is not the start of a tail
    text = "\n\n".join([LONG, "Share this", LONG, "Read more"])
    share = text.index("Share this")
    read_more = text.rindex("Read more")
    assert find_furniture(text) == ((share, share + len("Share this")), (read_more, len(text)))


def test_no_furniture_in_plain_article():
    text = "\n\n".join([LONG] * 4 + SHORT_PARAGRAPHS)
    assert find_furniture(text) == ()


def test_adjacent_furniture_lines_merge():
    text = f"{LONG}\n\nShare this\nTweet this\n\n{LONG}"
    start = text.index("Share this")
    end = text.index("Tweet this") + len("Tweet this")
    assert find_furniture(text) == ((start, end),)


def test_ranges_well_formed_on_seeds(seed_000: Article, seed_001: Article):
    for article in (seed_000, seed_001):
        _assert_well_formed(article.text, find_furniture(article.text))


def test_empty_and_single_line():
    assert find_furniture("") == ()
    assert find_furniture(LONG) == ()
