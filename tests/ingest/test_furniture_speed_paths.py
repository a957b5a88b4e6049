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
    without_captures,
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
    return default_rules().match_lines(text.split("\n"), text)


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
    ("^a)(b", False),
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


def _plain_find_furniture(text: str) -> tuple[tuple[int, int], ...]:
    """`find_furniture` written plainly: each line against each rule alone, the tail found
    walking back from the end, the ranges merged."""
    rules = default_rules()
    lines = text.split("\n")
    names = _one_by_one(text)
    starts = [sum(len(line) + 1 for line in lines[:index]) for index in range(len(lines))]
    tail = None
    body_before_tail = False
    for index in range(len(lines) - 1, -1, -1):
        if names[index] is not None:
            if names[index] not in rules.inline:
                tail = index
            continue
        if lines[index].strip() and len(lines[index].split()) > rules.tail_max_words:
            body_before_tail = True
            break
    if tail is not None and not body_before_tail and len(text) - starts[tail] > len(text) // 4:
        tail = None
    ranges = [(starts[tail], len(text))] if tail is not None else []
    ranges += [(starts[index], starts[index] + len(lines[index]))
               for index in range(len(lines) if tail is None else tail) if names[index] is not None]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _long_text(rng: random.Random, count: int, ascii_only: bool = False) -> str:
    """A long article of body paragraphs (ASCII, with curly quotes, with a letter a caseless
    pattern takes for an ASCII one), blank lines and furniture lines in every case.
    `ascii_only`: ASCII lines only (the lines holding `needs` words are then found in the
    whole text at once)."""
    words = ("share", "read", "more", "cookies", "follow", "the", "Twitter", "newsletter", "“quoted”",
             "İstanbul", "ſhare", "accept", "all", "on", "line", "4", "—", "Sign", "up", "Cookie", "policy")
    lines = LINES
    if ascii_only:
        words = tuple(word for word in words if word.isascii())
        lines = [line for line in LINES if line.isascii()]
    made = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.3:
            made.append(rng.choice(lines))
        elif pick < 0.4:
            line = rng.choice(lines)
            made.append("".join(char.upper() if rng.random() < 0.5 else char.lower() for char in line))
        elif pick < 0.5:
            made.append("")
        else:
            made.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))))
    return "\n".join(made)


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_a_long_text_gets_what_each_rule_alone_gives(seed: int, ascii_only: bool) -> None:
    """The joined pattern without groups, the rules alone for the lines it matches, the
    `needs` word looked for in the whole text at once: the same names, the same ranges."""
    text = _long_text(random.Random(seed), 3000, ascii_only)
    assert len(text) > 100_000
    assert _lines(text) == _one_by_one(text)
    assert find_furniture(text) == _plain_find_furniture(text)


def test_a_long_text_without_furniture_has_none() -> None:
    rng = random.Random(7)
    text = "\n\n".join(" ".join(rng.choice(BODY.split()) for _ in range(60)) for _ in range(2000))
    assert find_furniture(text) == _plain_find_furniture(text) == ()


@pytest.mark.parametrize("pattern", [
    r"^(share( this( article| story| post)?)?|tweet)\s*:?$",
    r"^[(]x(y)\(z\)$",
    r"^[]()]+(a|b)$",
    r"^(?:a|(b))(?i:c)(?#(comment)d$",
    r"^(?=x)(x)\d+$",
])
def test_without_captures_matches_the_same_lines_and_captures_nothing(pattern: str) -> None:
    plain = without_captures(pattern)
    assert re.compile(plain).groups == 0
    for line in ["share this story", "Share", "tweet :", "(xy(z)", "xy(z)", "(x)a", "]]b", "bc", "aC",
                 "bcd", "x12", "x", "", "y"]:
        assert bool(re.match(plain, line, re.IGNORECASE)) == bool(re.match(pattern, line, re.IGNORECASE)), line
