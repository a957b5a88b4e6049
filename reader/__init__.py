"""presscheck: close reading of the news in a terminal."""

__version__ = "0.1.0"
