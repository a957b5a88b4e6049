"""Selectors for spans of canonical text: describe a span, place it again. No UI."""

from __future__ import annotations

from reader.model import Target, TextPositionSelector, TextQuoteSelector

CONTEXT = 32
"""Characters of prefix and suffix kept with a quote, as Hypothesis does."""


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


def is_exact(text: str, target: Target) -> bool:
    """True when the target's position still holds its quote in `text`."""
    return text[target.start : target.end] == target.quote.exact
