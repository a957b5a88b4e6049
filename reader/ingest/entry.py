"""One entry of a feed as listed before it is opened: a small module of its own, so that
what only names entries (the launch, the screens) does not import the feed parser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, as listed before it is opened."""

    feed_title: str
    feed_source: str
    """The feed's path or URL."""
    title: str
    link: str
    """The entry's web page, if the feed names one."""
    published: str
    """ISO 8601 in UTC (`2024-03-14T07:30:00Z`), or empty."""
    author: str
    content: str
    """The entry's full content (HTML or text), or empty."""
    summary: str
    """The entry's summary (HTML or text), or empty."""
    key: str
    """The entry's id in its feed (its guid or link)."""

    @property
    def source(self) -> str:
        """Where the article came from: the entry's page, else the feed and the entry's id."""
        return self.link or f"{self.feed_source}#{self.key}"
