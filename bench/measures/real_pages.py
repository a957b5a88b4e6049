"""Real saved pages and feeds (tests/data/real/, see its manifest): opened with
presscheck's own ingest as a reader opens them, and scored by tests/data/real_corpus.py:
crashes, mojibake, title = headline, body extraction F1 (4-word sequences against the
article-extraction benchmark's ground truth), story lines folded as furniture, furniture
left in. One run (the figures do not vary between runs); the same in --quick."""

from __future__ import annotations

import sys
import time

from context import BENCH, Context, log
from report import Figure

DATA = BENCH.parent / "tests" / "data"


def measure(ctx: Context) -> list[Figure]:
    sys.path.insert(0, str(DATA))
    import real_corpus

    log("real_pages: opening the corpus")
    began = time.perf_counter()
    pages, feeds = real_corpus.run()
    seconds = time.perf_counter() - began
    figures = real_corpus.summary(pages, feeds)

    def figure(key: str, label: str, target: str = "", ok: bool | None = None, unit: str = "n", scale: float = 1) -> Figure:
        made = Figure(f"real_pages.{key}", label, unit=unit, samples=[figures[key] * scale], target=target)
        made.judge(ok)
        return made

    size = Figure("real_pages.size", f"corpus: {figures['pages']:.0f} pages in {figures['languages']:.0f} languages "
                  f"({figures['non_utf8_pages']:.0f} not UTF-8), {figures['feeds']:.0f} feeds "
                  f"({figures['non_utf8_feeds']:.0f} not UTF-8)", unit="s", samples=[seconds])
    size.judge(None)
    rows = [
        size,
        figure("crashes", "real pages and feeds: crashes", "0", figures["crashes"] == 0),
        figure("feeds_refused_wrongly", "real feeds refused for the wrong reason", "0", figures["feeds_refused_wrongly"] == 0),
        figure("mojibake_pages", "real pages with mojibake", "0", figures["mojibake_pages"] == 0),
        figure("mojibake_feeds", "real feeds with mojibake", "0", figures["mojibake_feeds"] == 0),
        figure("title_ok_percent", "real pages: title = headline", "≥ 98 %", figures["title_ok_percent"] >= 98, "%"),
        figure("f1", f"real pages: body F1 (as %), 4-word sequences ({figures['f1_pages']:.0f} pages)", "≥ 95 %", figures["f1"] >= 0.95, "%", 100),
        figure("story_lines_folded", "real pages: story lines folded as furniture", "0", figures["story_lines_folded"] == 0),
        figure("furniture_left_in", "real pages: furniture lines left in"),
        figure("folded_lines", "real pages: lines folded as furniture"),
        figure("feed_names_with_paths", "feed entries named by a folder path", "0", figures["feed_names_with_paths"] == 0),
        figure("replacement_chars", "real pages: U+FFFD shown for stray bytes"),
    ]
    for row in rows[1:]:
        row.extra["figures"] = figures
    problems = list(real_corpus.problems(pages, feeds))
    rows[0].notes.extend(problems[:20])
    rows[0].extra["problems"] = problems
    return rows
