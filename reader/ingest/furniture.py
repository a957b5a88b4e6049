"""Page furniture: find the lines around an article that came from its web page. No UI.

The rules are data (`furniture.toml` beside this module). The result is a list of
code-point ranges of the canonical text; the text itself is never changed.

Every line of a new article is tried against the rules, so how they are tried matters for
a long one (a 5 MB text has about 10,000 lines; trying each rule with `search` cost 0.1 s a
megabyte). The rules anchored at the line's start are joined into one pattern without
groups, matched at the start only, which says whether some rule matches (most lines are not
furniture; one that is gets its rule from the rules alone, in order; an ASCII line is
matched lowered, case-sensitively: faster, see `Joined`); a rule that may match anywhere
in a line is searched for only where it may come first, and, when it names the word every
match of it holds (`needs`), only on the lines holding that word. Whatever the path, a line
gets the rule it gets alone, tried case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate
from pathlib import Path

RULES_FILE = Path(__file__).with_name("furniture.toml")
"""The rules shipped with presscheck (package data beside this module)."""
CASELESS_EXTRAS = frozenset("İıſ")
"""The only characters a case-insensitive pattern takes for an ASCII letter whose `lower()`
is not that letter (İ and ı for i, ſ for s): in a text holding one, every line is searched,
the `needs` shortcut would miss them."""
_NOT_JOINABLE = re.compile(r"\(\?P|\(\?\(|\\[1-9]")
"""Named groups, conditionals and back references: a pattern with one keeps a compiled
pattern of its own (its groups would be renumbered in a joined one)."""
ASCII_TWINS = frozenset("İıſ\u212a")
"""The characters a case-insensitive pattern takes for an ASCII letter (İ and ı for i, ſ
for s, the Kelvin sign for k): a pattern holding one is never matched lowered."""
_CASE_FREE_ESCAPES = frozenset("sSwWdDbBAZ")
"""Escapes that name no character: classes and positions."""
_INLINE_FLAG = re.compile(r"\(\?[aiLmsux-]")


@dataclass(frozen=True)
class Rule:
    """One rule of `furniture.toml`."""

    name: str
    pattern: str
    """A regular expression, matched case-insensitively against a stripped line."""
    starts_tail: bool = True
    needs: str = ""
    """A lowercase ASCII word every match of the pattern holds, in any case ("" for none)."""


@dataclass(frozen=True)
class FurnitureRules:
    """Patterns that mark a furniture line, and how short a line of a page's tail is."""

    rules: tuple[Rule, ...]
    tail_max_words: int

    @cached_property
    def inline(self) -> frozenset[str]:
        """Rules whose lines are folded alone and never start a page's tail: a "Read more:
        ..." link between paragraphs is followed by more of the story, often in short
        paragraphs."""
        return frozenset(rule.name for rule in self.rules if not rule.starts_tail)

    def match(self, line: str) -> str | None:
        """The name of the first rule matching `line`, if any."""
        return self.match_lines([line], line, shortcuts=False)[0]

    def starts_tail(self, line: str) -> bool:
        """True when `line` is furniture that may start the page's tail."""
        name = self.match(line)
        return name is not None and name not in self.inline

    def match_lines(self, lines: Sequence[str], text: str, *, shortcuts: bool = True) -> list[str | None]:
        """The name of the first rule matching each of `lines` (the lines of `text`), if
        any. `shortcuts`: the `needs` rules are tried only on the lines holding their word."""
        stripped = [line.strip() for line in lines]
        first = self._first_joined(stripped)
        holding = self._lines_holding_needs(text) if shortcuts else None
        everywhere = range(len(lines))
        for index, attempt in self._alone:
            rule = self.rules[index]
            candidates = holding.get(rule.name, ()) if holding is not None and rule.needs else everywhere
            for line in candidates:
                best = first[line]
                if (best is None or index < best) and stripped[line] and attempt()(stripped[line]):
                    first[line] = index
        return [None if index is None else self.rules[index].name for index in first]

    @cached_property
    def _joinable(self) -> frozenset[int]:
        """The indexes of the rules that go in the joined pattern: the anchored ones whose
        groups are their own business (no back reference, named group or conditional)."""
        return frozenset(index for index, rule in enumerate(self.rules)
                         if anchored(rule.pattern) and not _NOT_JOINABLE.search(rule.pattern))

    @cached_property
    def _joined(self) -> Joined | None:
        """The joinable rules as one pattern, in order, their groups made non-capturing
        (None when there is none, or when they compile only alone)."""
        indexes = tuple(sorted(self._joinable))
        if not indexes:
            return None
        source = "|".join(f"(?:{without_captures(self.rules[index].pattern)})" for index in indexes)
        joined = Joined(source, indexes, all(lowerable(self.rules[index].pattern) for index in indexes))
        try:
            joined.compile_first()
        except re.error:  # a pattern that only compiles alone: each is tried alone
            return None
        return joined

    @cached_property
    def _attempts(self) -> tuple[Callable[[], Callable[[str], object]], ...]:
        """Each rule's compiled `match` or `search`, compiled when first asked for."""
        return tuple(_attempt(rule.pattern) for rule in self.rules)

    @cached_property
    def _alone(self) -> tuple[tuple[int, Callable[[], Callable[[str], object]]], ...]:
        """(rule index, its compiled `match` or `search`, compiled when first asked for) of
        each rule not in the joined pattern."""
        joined = set(self._joined.indexes) if self._joined is not None else set()
        return tuple((index, self._attempts[index]) for index in range(len(self.rules)) if index not in joined)

    def _first_joined(self, stripped: Sequence[str]) -> list[int | None]:
        """The index of the first joined rule matching each stripped line, if any: the
        joined pattern says whether one does, the rules alone, in order, which (see
        `Joined`)."""
        joined = self._joined
        if joined is None:
            return [None] * len(stripped)
        indexes, first_alone, matches = joined.indexes, self._first_alone, joined.matches
        return [first_alone(line, indexes) if line and matches(line) else None for line in stripped]

    def _first_alone(self, stripped: str, indexes: Sequence[int]) -> int | None:
        """The index of the first of the rules at `indexes` matching a stripped line, each
        tried alone (compiled when first tried: most are never needed)."""
        attempts = self._attempts
        return next((index for index in indexes if attempts[index]()(stripped)), None)

    def _lines_holding_needs(self, text: str) -> dict[str, set[int]] | None:
        """Rule name → the indexes of the lines holding its `needs` word, found in the whole
        text lowered at once. None, every line to be tried, when the text holds a character
        that makes its lowered form disagree with a case-insensitive pattern."""
        if any(extra in text for extra in CASELESS_EXTRAS):
            return None
        lowered = text.lower()  # no "\n" comes or goes: a line's index is the count of them before
        holding: dict[str, set[int]] = {}
        for rule in self.rules:
            if rule.needs:
                lines = holding.setdefault(rule.name, set())
                at, line, counted = lowered.find(rule.needs), 0, 0
                while at >= 0:
                    line += lowered.count("\n", counted, at)
                    counted = at
                    lines.add(line)
                    at = lowered.find(rule.needs, at + 1)
        return holding


def _attempt(pattern: str) -> Callable[[], Callable[[str], object]]:
    """How a rule alone is tried on a stripped line (`match` when it is anchored), its
    pattern compiled when first tried: a `needs` rule on a text without its word never is."""

    @cache
    def compiled() -> Callable[[str], object]:
        regex = re.compile(pattern, re.IGNORECASE)
        return regex.match if anchored(pattern) else regex.search

    return compiled


class Joined:
    """Rules joined into one pattern matched at the line's start, with no group that
    captures: it says whether some rule matches a line, and most lines are not furniture
    (a line that is gets its rule from the rules alone, in order). Without groups to mark,
    a line that matches no branch is done with in half the steps of named branches. An
    ASCII line is matched lowered, by the pattern compiled case-sensitively, when every
    rule in it says the same that way (`lowerable`): a case-insensitive branch is tried
    letter by letter, a case-sensitive one is skipped at its first letter (the lowered lines
    of a 5 MB text: 104 M instructions with named branches, 52 M without groups)."""

    def __init__(self, source: str, indexes: tuple[int, ...], lowered: bool) -> None:
        self.source = source
        self.indexes = indexes
        """The indexes of the joined rules, in order."""
        self.lowered = lowered

    def compile_first(self) -> None:
        """Compile the pattern that will be used first (re.error when it does not)."""
        _ = self._lowered_match if self.lowered else self._caseless_match

    @cached_property
    def _caseless_match(self) -> Callable[[str], re.Match[str] | None]:
        return re.compile(self.source, re.IGNORECASE).match

    @cached_property
    def _lowered_match(self) -> Callable[[str], re.Match[str] | None]:
        return re.compile(self.source).match

    def matches(self, stripped: str) -> bool:
        """Whether some joined rule matches a stripped line."""
        if self.lowered and stripped.isascii():
            return self._lowered_match(stripped.lower()) is not None
        return self._caseless_match(stripped) is not None


def lowerable(pattern: str) -> bool:
    """Whether a pattern finds, case-sensitively in a lowered ASCII line, what it finds
    case-insensitively in the line: no capital letter, no escape of a letter or digit but
    the classes (`\\s`, `\\W`, ...) and `\\b`, `\\B`, `\\A`, `\\Z` (`\\x41` is a capital), no
    inline flag, no character a case-insensitive pattern takes for an ASCII letter
    (`ASCII_TWINS`), and no range in a class but between two small letters or two digits.
    When unsure, False."""
    if ASCII_TWINS.intersection(pattern) or _INLINE_FLAG.search(pattern):
        return False
    tokens = _tokens(pattern)
    for token in tokens:
        if token[0] == "\\" and token[1:].isalnum() and token[1:] not in _CASE_FREE_ESCAPES:
            return False
        if token[0] != "\\" and "A" <= token <= "Z":
            return False
    depth = None  # the index of the token opening the class we are in
    for at, token in enumerate(tokens):
        if depth is None and token == "[":
            depth = at
        elif depth is not None and token == "]" and at > depth + 1 + (tokens[depth + 1] == "^"):
            if not _ranges_lowerable(tokens[depth + 1 : at]):
                return False
            depth = None
    return depth is None


def without_captures(pattern: str) -> str:
    """`pattern` with each capturing group made a non-capturing one, `(` → `(?:`: it matches
    the same strings when it has no back reference, named group or conditional (a joined
    rule has none)."""
    parts = []
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            parts.append(pattern[index : index + 2])
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            parts.append(pattern[index : end + 1])
            index = end + 1
        else:
            parts.append("(?:" if char == "(" and not pattern.startswith("(?", index) else char)
            index += 1
    return "".join(parts)


def _tokens(pattern: str) -> list[str]:
    """The characters of a pattern, an escape (`\\s`) one token."""
    tokens = []
    index = 0
    while index < len(pattern):
        step = 2 if pattern[index] == "\\" else 1
        tokens.append(pattern[index : index + step])
        index += step
    return tokens


def _ranges_lowerable(body: Sequence[str]) -> bool:
    """Whether every range of a class's body (its tokens) is between two small letters or
    two digits."""
    body = body[1:] if body[:1] == ["^"] else body
    for at in range(1, len(body) - 1):
        if body[at] == "-":
            low, high = body[at - 1], body[at + 1]
            if not (len(low) == len(high) == 1 and (low + high).isascii()
                    and ((low.islower() and high.islower()) or (low.isdigit() and high.isdigit()))):
                return False
    return True


def anchored(pattern: str) -> bool:
    """Whether a pattern matches only at the start of the text: it begins with `^` and has
    no `|` outside its groups and classes (`^a|b` may match anywhere). When unsure, False:
    the rule is then searched for, as before, only slower."""
    if not pattern.startswith("^") or "(?x" in pattern:
        return False
    depth, index, length = 0, 1, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if pattern.startswith("(?#", index):  # a comment: up to the first `)`
            index = pattern.find(")", index)
            if index < 0:
                return False
        elif char == "[":
            index = _class_end(pattern, index)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:  # `^a)(b`: it compiles only joined, never alone (a joined rule may be tried alone)
                return False
        elif char == "|" and depth == 0:
            return False
        index += 1
    return depth == 0


def _class_end(pattern: str, index: int) -> int:
    """The index of the `]` closing the character class that opens at `index`."""
    index += 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1  # a `]` first in a class is a character of it
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


@cache
def default_rules() -> FurnitureRules:
    """The rules shipped with presscheck."""
    import tomllib  # only a new article is scanned: reopening one needs no rules

    return rules_from_toml(tomllib.loads(RULES_FILE.read_text("utf-8")))


def rules_from_toml(data: dict) -> FurnitureRules:  # type: ignore[type-arg]
    """Rules from the parsed `furniture.toml`; ValueError for a `needs` that is not a
    lowercase ASCII word (it is looked for in the lowered text)."""
    rules = tuple(
        Rule(rule["name"], rule["pattern"], rule.get("starts_tail", True), rule.get("needs", ""))
        for rule in data["rule"]
    )
    for rule in rules:
        word = rule.needs
        if word and not (word.isascii() and word == word.lower() and word.strip() == word and "\n" not in word):
            raise ValueError(f"furniture rule {rule.name!r}: needs = {word!r} is not a lowercase ASCII word")
    return FurnitureRules(rules, int(data["tail_max_words"]))


def _line_starts(lines: list[str]) -> list[int]:
    """Where each of `lines` begins in the text they were split from (at `\n`)."""
    return list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))


def find_furniture(text: str, rules: FurnitureRules | None = None, *,
                   lines: list[str] | None = None) -> tuple[tuple[int, int], ...]:
    """Ranges (start, end) of canonical `text` that are page furniture, merged and sorted.
    `lines`: `text.split("\n")`, when the caller has it already."""
    rules = rules or default_rules()
    lines = text.split("\n") if lines is None else lines
    names = rules.match_lines(lines, text)
    if all(name is None for name in names):
        return ()  # most texts: where the lines begin is not needed
    starts = _line_starts(lines)

    tail_start: int | None = None
    body_before_tail = False
    for index in range(len(lines) - 1, -1, -1):
        name = names[index]
        if name is not None:
            if name not in rules.inline:
                tail_start = index
            continue
        line = lines[index]
        if line.strip() and len(line.split()) > rules.tail_max_words:
            body_before_tail = True
            break
    # An article of short paragraphs only is not one long tail: without a paragraph of
    # body text before it, a tail may take at most a quarter of the text.
    if tail_start is not None and not body_before_tail:
        if len(text) - starts[tail_start] > len(text) // 4:
            tail_start = None
    ranges: list[tuple[int, int]] = []
    last = len(lines)
    if tail_start is not None:
        ranges.append((starts[tail_start], len(text)))
        last = tail_start
    ranges.extend((starts[index], starts[index] + len(lines[index]))
                  for index in range(last) if names[index] is not None)
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
