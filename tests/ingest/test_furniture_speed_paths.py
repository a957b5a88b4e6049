"""How the furniture rules are tried on a long text (a rule anchored at the line's start is
matched there only; a rule with a `needs` word is tried only on the lines holding it):
whatever the path, every line gets the rule `FurnitureRules.match` gives it alone."""

from __future__ import annotations

import random
import re
import sys

import pytest

from reader.ingest.furniture import (
    ASCII_TWINS,
    CASELESS_EXTRAS,
    anchored,
    default_rules,
    find_furniture,
    lowerable,
    rules_from_toml,
)

BODY = (
    "The council voted on Tuesday to close the old library, a decision that campaigners "
    "said would leave thousands of residents without access to books and a warm place."
)
LINES = [
    BODY, "", "We use cookies to improve your experience", "ACCEPT ALL COOKIES", "Cookie Policy",
    "By continuing you accept cookies.", "cookıe policy", "COOKİE POLICY", "accept cooKies", "ſhare",
    "Share", "Read more: Ministers reject the plan", "Follow us on Twitter", "Advertisement",
    "Lesen Sie auch: Der Plan", "   share this   ", "Most read", "PHP Notice: x on line 4",
    "Newsletter", "Subscribe to our newsletter now", "we use\u00a0cookies", "Our cookie jar recipe",
    "Follow us on Twitter to accept all cookies",  # an earlier rule than the cookie one matches too
    "READ MORE: Ministers Reject The Plan", "Share This", "ADVERTISEMENT", "PHP NOTICE: x ON LINE 4",
    "À LIRE AUSSI : le plan", "LEIA TAMBÉM: o plano", "Most Read In World News",
]


def _one_by_one(text: str) -> list[str | None]:
    """Each line against each rule alone, in order, as `search`: what every path must give."""
    rules = [(rule.name, re.compile(rule.pattern, re.IGNORECASE)) for rule in default_rules().rules]
    return [next((name for name, pattern in rules if line.strip() and pattern.search(line.strip())), None)
            for line in text.split("\n")]


def _lines(text: str) -> list[str | None]:
    rules = default_rules()
    lines = text.split("\n")
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return rules.match_lines(lines, text, starts)


@pytest.mark.parametrize("seed", range(40))
def test_every_line_gets_the_rule_it_gets_alone(seed: int) -> None:
    rng = random.Random(seed)
    text = "\n".join(rng.choice(LINES) for _ in range(rng.randint(1, 40)))
    assert _lines(text) == _one_by_one(text)


@pytest.mark.parametrize("line", ["cookıe policy", "COOKİE POLICY", "We use cookies", "WE ACCEPT ALL COOKIEs"])
def test_a_cookie_line_is_found_in_a_long_text_whatever_its_letters(line: str) -> None:
    text = "\n\n".join([BODY] * 50 + [line] + [BODY] * 50)
    assert default_rules().match(line) == "cookie banner"
    start = text.index(line)
    assert (start, start + len(line)) in find_furniture(text)


def test_the_cookie_rule_is_tried_only_where_cookie_is_written() -> None:
    [rule] = [rule for rule in default_rules().rules if rule.needs]
    assert (rule.name, rule.needs) == ("cookie banner", "cookie")
    # every match of the rule holds the word: the rule alone on each sample line says so
    pattern = re.compile(rule.pattern, re.IGNORECASE)
    for line in LINES:
        if pattern.search(line) and not CASELESS_EXTRAS.intersection(line):
            assert "cookie" in line.lower()


def test_caseless_extras_are_the_only_letters_lower_does_not_fold() -> None:
    """Characters a case-insensitive pattern takes for an ASCII character, though `lower()`
    makes them another one: the `needs` shortcut steps aside for exactly these."""
    ascii_char = re.compile("[\x20-\x7e]", re.IGNORECASE)
    odd = set()
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        if ascii_char.fullmatch(char) and not (len(lowered) == 1 and " " <= lowered <= "~"):
            odd.add(char)
    assert odd == set(CASELESS_EXTRAS)


@pytest.mark.parametrize(("pattern", "expected"), [
    ("^(share|tweet)\\s*:?$", True),
    ("^a|b", False),
    ("^(a|b)c$", True),
    ("^[|]x", True),
    ("^[]|]x", True),
    ("^a\\|b", True),
    ("^(?#a comment | with a bar)x", True),
    ("^(?# unclosed", False),
    ("^(a", False),
    ("(cookie)", False),
    ("a^b", False),
])
def test_anchored(pattern: str, expected: bool) -> None:
    assert anchored(pattern) is expected


def test_every_shipped_rule_but_the_cookie_one_is_matched_at_the_line_start_only() -> None:
    assert [rule.name for rule in default_rules().rules if not anchored(rule.pattern)] == ["cookie banner"]


@pytest.mark.parametrize("word", ["Cookie", "cöokie", " cookie", ""])
def test_a_needs_word_is_a_lowercase_ascii_word(word: str) -> None:
    data = {"tail_max_words": 30, "rule": [{"name": "x", "pattern": "cookie", "needs": word}]}
    if word:
        with pytest.raises(ValueError, match="lowercase ASCII"):
            rules_from_toml(data)
    else:
        assert rules_from_toml(data).rules[0].needs == ""


def test_rules_with_groups_of_their_own_keep_their_meaning() -> None:
    """A back reference, a named group or a top-level `|` keeps a rule out of the joined
    pattern (its groups would be renumbered, its `^` would not hold for every branch)."""
    data = {"tail_max_words": 30, "rule": [
        {"name": "plain", "pattern": r"^(x)(y)$"},
        {"name": "twice", "pattern": r"^(\w+) \1$"},
        {"name": "named", "pattern": r"^(?P<word>share)$"},
        {"name": "either", "pattern": r"^a|b$"},
        {"name": "later", "pattern": r"^(go)\b.*$"},
    ]}
    rules = rules_from_toml(data)
    alone = [(rule.name, re.compile(rule.pattern, re.IGNORECASE)) for rule in rules.rules]
    for line in ["go go", "go went", "Share", "a whole line", "ends with b", "xy", "XY", "zz", "Go GO", ""]:
        expected = next((name for name, pattern in alone if line and pattern.search(line)), None)
        assert rules.match(line) == expected, line


def test_ascii_twins_are_the_characters_a_caseless_pattern_takes_for_ascii_letters() -> None:
    ascii_char = re.compile("[\\x20-\\x7e]", re.IGNORECASE)
    twins = {chr(code) for code in range(0x80, sys.maxunicode + 1) if ascii_char.fullmatch(chr(code))}
    assert twins == set(ASCII_TWINS)


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"^(share|tweet)\s*:?$", True),
    (r"^\S+\W\D\B\d\w\b$", True),
    (r"^[a-z0-9\w .&!-]+$", True),
    (r"^[^a-z]", True),
    (r"^\\s", True),  # a backslash, then s
    (r"^A", False),
    (r"^\\A", False),  # a backslash, then a capital
    (r"^\x41", False),
    (r"^\N{LATIN SMALL LETTER A}", False),
    (r"^[ -_]", False),  # a range of capitals, not of small letters
    (r"^[!-~]", False),
    (r"^(?i:a)b", False),
    (r"^(?-i:a)b", False),
    ("^\u212a", False),
    (r"^[", False),
])
def test_lowerable(pattern: str, expected: bool) -> None:
    assert lowerable(pattern) is expected


def test_rules_not_lowerable_are_matched_without_lowering() -> None:
    data = {"tail_max_words": 30, "rule": [
        {"name": "capitals", "pattern": r"^[ -_]+$"},
        {"name": "ABC", "pattern": r"^ABC$"},
        {"name": "hex", "pattern": r"^\x41b$"},
    ]}
    rules = rules_from_toml(data)
    alone = [(rule.name, re.compile(rule.pattern, re.IGNORECASE)) for rule in rules.rules]
    for line in ["abc", "ABC", "Ab", "ab", "AB!", "{x}", ""]:
        expected = next((name for name, pattern in alone if line and pattern.search(line)), None)
        assert rules.match(line) == expected, line
