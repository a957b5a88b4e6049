"""Builds seeds/key.json, the seed exercise's answer key, from quotes of the two seed articles.

Run `python tests/classroom/keygen.py` after editing KEY; tests check the file is what this
writes. Positions come from `describe` on each article's canonical text, so they are exact.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reader.anchoring import describe  # noqa: E402
from reader.export import json_format  # noqa: E402
from reader.ingest import load_article  # noqa: E402
from reader.model import Annotation, Article  # noqa: E402

SEEDS = REPO / "seeds"
A, B = "000_1aa975c49d58f58c.txt", "001_1c2accc8ffba02b5.txt"
AUTHOR = "presscheck answer key"
STAMP = "2026-11-23T00:00:00+00:00"

# (kind, [(file, quote), ...], tags, relation, note)
KEY = [
    ("contradiction",
     [(A, "the North Korea summit collapsed because Kim Jong Un demanded a total reversal of existing economic sanctions"),
      (B, "foreign minister Ri Yong Ho claims Kim Jong Un has demanded the removal of only some of the sanctions")],
     (), "", "All sanctions (Trump, as the first report tells it) or only some (Ri Yong Ho): the two sides' accounts of the demand disagree."),
    ("contradiction",
     [(A, "Trump said afterward that sometimes you have to “walk away” and this was one of those situations."),
      (B, "‘very productive, but sometimes you have to walk and this was just one of those times’")],
     (), "", "The same remark quoted in different words (“walk away” vs ‘walk’): at least one report misquotes Trump."),
    ("contradiction",
     [(A, "He also noted the areas North Korea was willing to give up were not terribly important to Washington."),
      (B, "Kim Jong Un made the significant offer of closing the Yongbyong complex, the research and production facility central to North Korea’s nuclear programme")],
     (), "", "Not terribly important (first report) vs a significant offer of the facility central to the programme (second)."),
    ("link",
     [(A, "Trump added that Kim’s demands to have the sanctions lifted entirely were not acceptable for the US."),
      (B, "‘It was all about the sanctions. They wanted sanctions lifted in their entirety and we couldn’t do that.’")],
     (), "corroborates", "Both report Trump's press-conference line on lifting the sanctions entirely; the second quotes it."),
    ("link",
     [(A, "President Donald Trump met Kim Jong Un for the first time during a summit in Singapore"),
      (B, "with the first occurring in Singapore during June 2018")],
     (), "same event", "The first summit, in Singapore (June 2018), described in both reports."),
    ("link",
     [(A, "made it clear that his country will continue to hold off any tests for nuclear missiles"),
      (B, "Kim Jong Un was ready to offer a permanent halt to the country’s nuclear and intercontinental ballistic missile tests")],
     (), "corroborates", "North Korea's offer to keep halting missile tests, in both reports."),
    ("claim", [(A, "However, recent intelligence reports indicate that North Korea has done very little towards this goal.")],
     ("unsourced claim",), "", "Which intelligence reports? Nothing is named or linked."),
    ("claim", [(A, "Many foreign relations experts have argued that the lack of a clear framework on these negotiations may hinder any substantial progress.")],
     ("unsourced claim",), "", "Unnamed experts: who argued this, and where?"),
    ("claim", [(A, "The talks have the blessings of China, North Korea’s biggest ally and economic partner.")],
     ("unsourced claim",), "", "China's position is asserted with no statement or source."),
    ("claim", [(A, "In addition to this, the US has suspended the joint military drills with the South Korean military.")],
     ("factual claim",), "", "Checkable against US and South Korean defence announcements."),
    ("claim", [(A, "The leaders of the two countries, in fact, had a cordial meeting at the DMZ a few months ago.")],
     ("number or date",), "", "“A few months ago” is vague: when was the inter-Korean meeting, and where exactly?"),
    ("claim", [(B, "claiming that his congressional testimony against Trump may ‘may have contributed’ to the collapse of the summit")],
     ("cause",), "", "A third cause for the collapse, from Trump, which the report itself says he did not explain."),
    ("claim", [(B, "with the Wall Street Journal claiming that South Korea is ‘pressing the two sides to return to negotiations")],
     ("attributed claim",), "", "Attributed to the Wall Street Journal: find the article it quotes."),
    ("claim", [(B, "Before this summit, there was a feeling that there may be a possible political declaration of the end of the 1950-53 Korean War.")],
     ("unsourced claim",), "", "“There was a feeling”: whose? The dates of the war are checkable, the expectation is not sourced."),
]


def build() -> dict:
    articles: dict[str, Article] = {name: load_article(SEEDS / name) for name in (A, B)}
    annotations = []
    for number, (kind, ends, tags, relation, note) in enumerate(KEY, start=1):
        targets = []
        for name, quote in ends:
            article = articles[name]
            at = article.text.find(quote)
            assert at != -1 and article.text.count(quote) == 1, f"item {number}: {quote!r} not unique in {name}"
            targets.append(describe(article.id, article.text, at, at + len(quote)))
        annotations.append(
            Annotation(
                kind=kind, targets=tuple(targets), author=AUTHOR,
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:presscheck:seed-key:{number}")),
                tags=tuple(tags), relation=relation, note=note, created=STAMP, modified=STAMP,
            )
        )
    fixed = [
        Article(**{**a.__dict__, "added_at": STAMP, "source": name}) for name, a in articles.items()
    ]
    return json_format.build_document(fixed, annotations, AUTHOR, exported_at=STAMP)


def dumps() -> bytes:
    return json_format.dumps(build())


if __name__ == "__main__":
    (SEEDS / "key.json").write_bytes(dumps())
    print(f"wrote {SEEDS / 'key.json'} ({len(KEY)} items)")
