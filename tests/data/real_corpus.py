"""The corpus of real saved pages and feeds (tests/data/real/), opened the way a reader
opens them, and scored: crashes, mojibake, headline, body, page furniture.

Used by tests/ingest/test_real_corpus.py (the done-when targets) and by
bench/measures/real_pages.py (the figures). Tests `import real_corpus`: tests/conftest.py
puts tests/data on sys.path; the bench puts it there itself.

How each figure is decided:

- crash: anything but an IngestError raised while opening a file; a refusal (IngestError)
  is counted apart, and for a feed that holds no entries it is the expected outcome.
- mojibake: a line of the title or the text that ftfy's `is_bad` flags (UTF-8 read as a
  legacy code page and the like); a ground-truth segment with accents that is missing
  from the text but present once ftfy has repaired it; in a language written in another
  script (Japanese, Russian, Arabic, ...), text of which fewer than half the letters are
  in that script; a feed's title or entry title that differs from the one its own
  encoding gives.
- title: the article's title equals the page's headline as a person read it (case,
  typographic quotes, dashes and spaces aside; a title cut at 100 characters with "…"
  counts when it is the headline's beginning).
- F1: 4-word sequences of the visible text (folded furniture left out) against the
  ground-truth body (article-extraction-benchmark's pages), as that benchmark counts
  them: per page, then precision and recall averaged.
- story lines folded: folded lines that belong to the story: half or more of their
  4-word sequences are in the ground-truth body, or they hold a segment the source
  marks as part of the story.
- furniture left in: segments the source marks as not part of the story that are still
  visible, and visible lines that are common page furniture (read more, related, most
  read, newsletter, get the app, ... in several languages; the list below).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import statistics
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REAL = Path(__file__).resolve().parent / "real"
MANIFEST = REAL / "manifest.json"

SCRIPTS = {
    "ja": ("CJK", "HIRAGANA", "KATAKANA"), "zh": ("CJK",), "ko": ("HANGUL", "CJK"),
    "ru": ("CYRILLIC",), "bg": ("CYRILLIC",), "el": ("GREEK",), "he": ("HEBREW",),
    "ar": ("ARABIC",), "th": ("THAI",),
}
"""Languages not written in Latin letters, and the Unicode names their letters start with."""

COMMON_FURNITURE = re.compile(
    r"^(read more|read next|related( (articles?|stories|content|coverage|topics?))?|more on this story|"
    r"most (read|popular|viewed|shared)( in [\w ]+)?|recommended( for you)?|you may also like|"
    r"(sign up|subscribe) (for|to) (our|the) [\w -]*newsletter|"
    r"(click here to )?(get|download) the [\w -]*app|"
    r"lesen sie auch|weitere artikel( zum thema)?|mehr zum thema|das könnte sie auch interessieren|"
    r"à lire aussi|lire aussi|à voir aussi|sur le même sujet|"
    r"lee también|leer más|te puede interesar|noticias relacionadas|"
    r"leggi anche|potrebbe interessarti|articoli correlati|"
    r"leia também|veja também|saiba mais|"
    r"czytaj (też|także|więcej)|zobacz też)\b.{0,120}$",
    re.IGNORECASE,
)
"""Lines of page furniture a reader would notice, in English, German, French, Spanish,
Italian, Portuguese and Polish: an independent list, not presscheck's own rules."""

_TOKEN = re.compile(r"\w+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "‚": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "\u00a0": " "})


def norm_title(text: str) -> str:
    """A title compared as a reader compares it: case, quotes, dashes, spaces aside."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTES).split()).casefold()


def title_matches(got: str, expected: str) -> bool:
    got_n, expected_n = norm_title(got), norm_title(expected)
    if got_n == expected_n:
        return True
    return got_n.endswith("…") and len(got_n) > 20 and expected_n.startswith(got_n[:-1].rstrip())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])


def shingle_scores(true: str, predicted: str) -> tuple[float, float]:
    """(precision, recall) of `predicted` against `true`, as the article-extraction
    benchmark counts 4-word sequences."""
    truth, guess = shingles(true), shingles(predicted)
    tp = sum((truth & guess).values())
    fp = sum(guess.values()) - tp
    fn = sum(truth.values()) - tp
    precision = 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))
    recall = 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    return precision, recall


def is_mojibake(line: str) -> bool:
    from ftfy.badness import is_bad

    return bool(line.strip()) and is_bad(line)


def script_share(text: str, language: str) -> float | None:
    """The share of the letters of `text` written in `language`'s script (None for a
    language written in Latin letters, or a text without letters)."""
    prefixes = SCRIPTS.get(language)
    if not prefixes:
        return None
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    ours = sum(1 for c in letters if unicodedata.name(c, "").startswith(prefixes))
    return ours / len(letters)


def strip_markup(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


@dataclass
class PageResult:
    file: str
    language: str
    encoding: str
    crash: str = ""
    refused: str = ""
    title: str = ""
    expected_title: str = ""
    title_ok: bool = False
    mojibake: list[str] = field(default_factory=list)
    replacement_chars: int = 0
    precision: float | None = None
    recall: float | None = None
    story_folded: list[str] = field(default_factory=list)
    furniture_left: list[str] = field(default_factory=list)
    folded_lines: int = 0
    seconds: float = 0.0


@dataclass
class FeedResult:
    file: str
    language: str
    encoding: str
    crash: str = ""
    refused: str = ""
    wrongly_refused: bool = False
    feed_title: str = ""
    entries: int = 0
    mojibake: list[str] = field(default_factory=list)
    paths_in_names: list[str] = field(default_factory=list)


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _unpacked(folder: Path, item: dict) -> Path:
    """The corpus file, unzipped under its original name (suffix kept: .html, .xml)."""
    name = Path(item["file"]).name.removesuffix(".gz")
    target = folder / name
    target.write_bytes(gzip.decompress((REAL / item["file"]).read_bytes()))
    return target


def _visible_and_folded(text: str, furniture: tuple[tuple[int, int], ...]) -> tuple[list[str], list[str]]:
    """The lines of `text` a reader sees, and the lines folded away as furniture."""
    visible: list[str] = []
    folded: list[str] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        hidden = any(a <= start and end <= b for a, b in furniture) if line.strip() else False
        if line.strip():
            (folded if hidden else visible).append(line)
        start = end + 1
    return visible, folded


def _belongs_to_story(line: str, item: dict, body_shingles: Counter | None) -> bool:
    folded = norm_title(line)
    if any(norm_title(segment) in folded for segment in item.get("with", ())):
        return True
    if body_shingles is None:
        return False
    own = shingles(line)
    if not own or not tokens(line):
        return False
    found = sum(count for gram, count in own.items() if gram in body_shingles)
    return found * 2 >= sum(own.values())


def score_page(item: dict, folder: Path) -> PageResult:
    import time

    from reader.errors import IngestError
    from reader.ingest.sources import open_path

    result = PageResult(item["file"], item["language"], item["encoding"], expected_title=item["title"])
    path = _unpacked(folder, item)
    began = time.perf_counter()
    try:
        opened = open_path(path)
    except IngestError as error:
        result.refused = str(error)
        return result
    except Exception as error:  # noqa: BLE001 - a crash is what is counted
        result.crash = f"{type(error).__name__}: {error}"[:300]
        return result
    finally:
        result.seconds = time.perf_counter() - began
    if not opened.articles:
        result.refused = "opened as a feed, not a page"
        return result
    article = opened.articles[0]
    result.title = article.title
    result.title_ok = title_matches(article.title, item["title"])
    visible, folded = _visible_and_folded(article.text, article.furniture)
    body_text = "\n".join(visible[1:] if visible and norm_title(visible[0]) == norm_title(article.title) else visible)
    result.replacement_chars = article.text.count("\ufffd")
    result.mojibake = [line[:120] for line in [article.title, *article.text.split("\n")] if is_mojibake(line)][:5]
    share = script_share(article.text, item["language"])
    if share is not None and share < 0.5:
        result.mojibake.append(f"only {share:.0%} of the letters are {item['language']} script")
    if item.get("with"):
        from ftfy import fix_text

        plain, fixed = norm_title(article.text), norm_title(fix_text(article.text))
        for segment in item["with"]:
            wanted = norm_title(segment)
            if not wanted.isascii() and wanted not in plain and wanted in fixed:
                result.mojibake.append(f"ground truth {segment!r} found only after repair")
    body_shingles = shingles(item["body"]) if item.get("body") else None
    if item.get("body"):
        result.precision, result.recall = shingle_scores(item["body"], body_text)
    result.folded_lines = len(folded)
    result.story_folded = [line[:120] for line in folded if _belongs_to_story(line, item, body_shingles)]
    shown = norm_title("\n".join(visible))
    result.furniture_left = [f"segment {s!r}" for s in item.get("without", ()) if norm_title(s) in shown and len(s) > 12]
    result.furniture_left += [line[:120] for line in visible[1:] if COMMON_FURNITURE.match(line.strip())]
    return result


def score_feed(item: dict, folder: Path) -> FeedResult:
    from reader.errors import IngestError
    from reader.ingest.sources import open_path

    result = FeedResult(item["file"], item["language"], item["encoding"])
    path = _unpacked(folder, item)
    expected = [strip_markup(t) for t in item["entry_titles"]]
    try:
        opened = open_path(path)
    except IngestError as error:
        result.refused = str(error)
        result.wrongly_refused = bool(expected) or "no entries" not in result.refused
        return result
    except Exception as error:  # noqa: BLE001 - a crash is what is counted
        result.crash = f"{type(error).__name__}: {error}"[:300]
        return result
    entries = opened.entries
    result.entries = len(entries)
    result.feed_title = entries[0].feed_title if entries else ""
    if item["feed_title"] and norm_title(result.feed_title) != norm_title(strip_markup(item["feed_title"])):
        result.mojibake.append(f"feed title {result.feed_title!r}, expected {item['feed_title']!r}")
    wanted = {norm_title(title) for title in expected if title}
    for number, entry in enumerate(entries, start=1):
        untitled = entry.title.startswith(f"Entry {number} of ")  # presscheck's name for it
        if not untitled and norm_title(entry.title) not in wanted:
            result.mojibake.append(f"entry {entry.title!r}, not among the feed's own {sorted(wanted)[:3]}")
        elif is_mojibake(entry.title):
            result.mojibake.append(f"entry {entry.title!r}")
        if str(folder) in entry.title or str(folder) in entry.feed_title:
            result.paths_in_names.append(entry.title)
    return result


def run() -> tuple[list[PageResult], list[FeedResult]]:
    """Every page and feed of the corpus, opened from a temporary folder and scored."""
    data = manifest()
    with tempfile.TemporaryDirectory(prefix="presscheck-real-") as work:
        folder = Path(work)
        pages = [score_page(item, folder) for item in data["pages"]]
        feeds = [score_feed(item, folder) for item in data["feeds"]]
    return pages, feeds


def summary(pages: list[PageResult], feeds: list[FeedResult]) -> dict[str, float]:
    """The corpus's figures: its size, then what a reader would notice."""
    scored = [p for p in pages if p.precision is not None]
    precision = statistics.mean(p.precision for p in scored) if scored else 0.0  # type: ignore[misc]
    recall = statistics.mean(p.recall for p in scored) if scored else 0.0  # type: ignore[misc]
    opened = [p for p in pages if not p.crash and not p.refused]
    return {
        "pages": len(pages),
        "languages": len({p.language for p in pages}),
        "non_utf8_pages": sum(1 for p in pages if p.encoding != "utf-8"),
        "feeds": len(feeds),
        "feed_languages": len({f.language for f in feeds}),
        "non_utf8_feeds": sum(1 for f in feeds if f.encoding != "utf-8"),
        "crashes": sum(1 for p in pages if p.crash) + sum(1 for f in feeds if f.crash),
        "pages_refused": sum(1 for p in pages if p.refused),
        "feeds_refused_wrongly": sum(1 for f in feeds if f.wrongly_refused),
        "mojibake_pages": sum(1 for p in pages if p.mojibake),
        "mojibake_feeds": sum(1 for f in feeds if f.mojibake),
        "replacement_chars": sum(p.replacement_chars for p in pages),
        "title_ok_percent": 100.0 * sum(p.title_ok for p in pages) / len(pages) if pages else 0.0,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "f1_pages": len(scored),
        "story_lines_folded": sum(len(p.story_folded) for p in opened),
        "furniture_left_in": sum(len(p.furniture_left) for p in opened),
        "folded_lines": sum(p.folded_lines for p in opened),
        "feed_names_with_paths": sum(len(f.paths_in_names) for f in feeds),
    }


def problems(pages: list[PageResult], feeds: list[FeedResult]) -> Iterator[str]:
    """One line per thing a reader would notice, for a failing test's message."""
    for p in pages:
        if p.crash:
            yield f"{p.file}: crash {p.crash}"
        if p.refused:
            yield f"{p.file}: refused {p.refused}"
        for sample in p.mojibake:
            yield f"{p.file}: mojibake {sample!r}"
        if not p.crash and not p.refused and not p.title_ok:
            yield f"{p.file}: title {p.title!r}, headline {p.expected_title!r}"
        for line in p.story_folded:
            yield f"{p.file}: story line folded {line!r}"
    for f in feeds:
        if f.crash:
            yield f"{f.file}: crash {f.crash}"
        if f.wrongly_refused:
            yield f"{f.file}: refused {f.refused}"
        for sample in f.mojibake:
            yield f"{f.file}: {sample}"
        for name in f.paths_in_names:
            yield f"{f.file}: entry named by its path {name!r}"
