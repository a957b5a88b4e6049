"""Selectors for spans of canonical text: describe a span, place it again. No UI.

Placing follows the hypothesis client's order (`match-quote.ts`, `html.ts`): the position
if the text there is still the quote; else the exact quote, the occurrence whose context
fits best and that is nearest the old position; else a fuzzy match (rapidfuzz) of
prefix + quote + suffix, accepted above a threshold. What can't be placed is `orphaned`:
the caller keeps it with its old selectors, it is never dropped.
"""

from __future__ import annotations

from dataclasses import replace

from typing import TYPE_CHECKING

from reader.model import Anchor, Target, TextPositionSelector, TextQuoteSelector
from reader.records import record

if TYPE_CHECKING:
    from rapidfuzz.distance import Levenshtein

CONTEXT = 32
"""Characters of prefix and suffix kept with a quote, as Hypothesis does."""

QUOTE_THRESHOLD = 0.75
"""A fuzzy match is taken only when the text found is this similar to the quote (0..1)."""
NEEDLE_THRESHOLD = 0.70
"""...and prefix + found text + suffix is this similar to prefix + quote + suffix."""
MAX_OCCURRENCES = 5000
"""Exact occurrences of a quote weighed against each other; more are not looked at."""
WEAK_CONTEXT = 0.6
"""An exact quote whose context fits less than this is weighed against a fuzzy match."""
LOCAL_WINDOW = 2000
"""A fuzzy search looks this far around the old position before searching the whole text."""


@record(frozen=True)
class Match:
    """Where a quote was found: a span, how sure (0..1), and whether it is where it was."""

    start: int
    end: int
    score: float
    anchor: Anchor

    def __init__(self, start: int, end: int, score: float, anchor: Anchor) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "anchor", anchor)


def describe(article_id: str, text: str, start: int, end: int) -> Target:
    """Both selectors for `text[start:end]` of the article `article_id`."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}:{end} is not inside a text of {len(text)} characters")
    return Target(
        article_id=article_id,
        position=TextPositionSelector(start, end),
        quote=TextQuoteSelector(
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
        ),
    )


def has_position(target: Target) -> bool:
    """False for a target that came with a quote only (its position is 0:0)."""
    return target.end > target.start


def _holds(text: str, start: int, end: int, exact: str) -> bool:
    """True when [start, end) is inside `text` and is `exact` (a slice past the end of the
    text is silently shorter, so the bounds are checked too: found by fuzzing)."""
    return 0 <= start < end <= len(text) and text[start:end] == exact


def is_exact(text: str, target: Target) -> bool:
    """True when the target's position still holds its quote in `text`."""
    return _holds(text, target.start, target.end, target.quote.exact)


def reanchor(text: str, target: Target) -> tuple[Target, Anchor]:
    """Place `target` on `text`, the current text of its article.

    Returns the placed target (selectors describing the span found, context refreshed) and
    `exact` (the position still holds the quote, or a quote-only target was found as
    written), `moved` (found elsewhere, or found lightly edited), or `orphaned` (the
    target unchanged: its quote is not in the text any more).
    """
    match = locate(text, target.quote, target.position if has_position(target) else None)
    if match is None:
        return target, "orphaned"
    placed = describe(target.article_id, text, match.start, match.end)
    if target.uri:  # the page another tool annotated it on stays with it
        placed = replace(placed, uri=target.uri)
    return placed, match.anchor


def locate(
    text: str, quote: TextQuoteSelector, position: TextPositionSelector | None = None
) -> Match | None:
    """Find `quote` in `text`, using `position` (if known) first and as a hint after."""
    exact = quote.exact
    if not exact or not text:
        return None
    if position is not None and _holds(text, position.start, position.end, exact):
        return Match(position.start, position.end, 1.0, "exact")
    hint = None if position is None else position.start
    found = _exact_quote(text, quote, hint)
    if found is not None:
        context_fit = _context_fit(text, quote, found.start, found.end)
        if context_fit < WEAK_CONTEXT:
            # the same words elsewhere, in other company: the passage itself may have been
            # edited in place; take the fuzzy match if it fits better as a whole
            fuzzy = _fuzzy_quote(text, quote, hint)
            if fuzzy is not None and fuzzy.score > 0.7 + 0.3 * context_fit:
                return fuzzy
        return found if position is not None else Match(found.start, found.end, found.score, "exact")
    return _fuzzy_quote(text, quote, hint)


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    from rapidfuzz import fuzz  # loaded when re-anchoring needs it, not to open the app

    return fuzz.ratio(a, b) / 100.0


def _context_fit(text: str, quote: TextQuoteSelector, start: int, end: int) -> float:
    """How well the text around `start:end` agrees with the quote's prefix and suffix (0..1)."""
    prefix, suffix = quote.prefix, quote.suffix
    weight = len(prefix) + len(suffix)
    if not weight:
        return 1.0
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    return (
        _similarity(prefix, before) * len(prefix) + _similarity(suffix, after) * len(suffix)
    ) / weight


def _nearness(text: str, start: int, hint: int | None) -> float:
    if hint is None:
        return 1.0
    return 1.0 - abs(start - hint) / max(1, len(text))


def _exact_quote(text: str, quote: TextQuoteSelector, hint: int | None) -> Match | None:
    """The occurrence of the exact quote whose context fits best, nearest `hint` on a tie."""
    exact = quote.exact
    best: tuple[float, int] | None = None
    at = text.find(exact)
    seen = 0
    while at != -1 and seen < MAX_OCCURRENCES:
        score = 0.8 * _context_fit(text, quote, at, at + len(exact)) + 0.2 * _nearness(text, at, hint)
        if best is None or score > best[0]:
            best = (score, at)
        seen += 1
        at = text.find(exact, at + 1)
    if best is None:
        return None
    return Match(best[1], best[1] + len(exact), best[0], "moved")


def _map_start(opcodes: Levenshtein.Opcodes, i: int) -> int:
    """Where source character `i` (the quote's first) landed in the destination."""
    for op in opcodes:
        if op.src_start <= i < op.src_end:
            if op.tag == "equal":
                return op.dest_start + (i - op.src_start)
            if op.tag == "replace":
                span = op.src_end - op.src_start
                return op.dest_start + round((i - op.src_start) * (op.dest_end - op.dest_start) / span)
            return op.dest_start  # deleted: the gap where it was
    return opcodes.dest_len


def _map_end(opcodes: Levenshtein.Opcodes, i: int) -> int:
    """Where the gap after source character `i - 1` (the quote's last) landed."""
    last = i - 1
    for op in opcodes:
        if op.src_start <= last < op.src_end:
            if op.tag == "equal":
                return op.dest_start + (i - op.src_start)
            if op.tag == "replace":
                span = op.src_end - op.src_start
                return op.dest_start + round((i - op.src_start) * (op.dest_end - op.dest_start) / span)
            return op.dest_start
    return 0


def _fuzzy_quote(text: str, quote: TextQuoteSelector, hint: int | None) -> Match | None:
    """prefix + quote + suffix matched approximately: near `hint` first, then anywhere."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    needle = quote.prefix + quote.exact + quote.suffix
    quote_start, quote_end = len(quote.prefix), len(quote.prefix) + len(quote.exact)
    windows: list[tuple[int, int]] = []
    if hint is not None:
        reach = max(LOCAL_WINDOW, 4 * len(needle))
        lo, hi = max(0, hint - reach), min(len(text), hint + len(quote.exact) + reach)
        if (lo, hi) != (0, len(text)):
            windows.append((lo, hi))
    windows.append((0, len(text)))
    best: Match | None = None
    for lo, hi in windows:
        alignment = fuzz.partial_ratio_alignment(
            needle, text[lo:hi], score_cutoff=NEEDLE_THRESHOLD * 100
        )
        if alignment is None:
            continue
        slack = 8 + len(needle) // 4
        region_lo = max(0, lo + alignment.dest_start - slack)
        region_hi = min(len(text), lo + alignment.dest_end + slack)
        opcodes = Levenshtein.opcodes(needle, text[region_lo:region_hi])
        start = region_lo + _map_start(opcodes, quote_start)
        end = region_lo + _map_end(opcodes, quote_end)
        # the found text is often flanked by white space the edit left behind
        while start < end and text[start].isspace() and not quote.exact[0].isspace():
            start += 1
        while end > start and text[end - 1].isspace() and not quote.exact[-1].isspace():
            end -= 1
        if end <= start:
            continue
        quote_fit = _similarity(quote.exact, text[start:end])
        if quote_fit < QUOTE_THRESHOLD:
            continue
        context_fit = _context_fit(text, quote, start, end)
        score = 0.7 * quote_fit + 0.3 * context_fit
        if best is None or score > best.score:
            best = Match(start, end, score, "moved")
        if score >= 0.95:
            break
    return best
