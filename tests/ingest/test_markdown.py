"""Markdown files become plain text that keeps their paragraphs."""

from __future__ import annotations

from reader.ingest import load_article
from reader.ingest.markdown import markdown_text

STORY = """\
# Harbour bridge closed

*By* **Maria Okonkwo** for [the Courier](https://courier.example/)

The Old Harbour Bridge was closed
to all traffic on Thursday.
The authority gave no date.

Shop owners said:

- trade *fell* at once
- the shuttle boat helps
  1. in the mornings
  2. not at night

> "We will not reopen the bridge until it is safe."

| Route | Delay |
|-------|-------|
| Tunnel | 20 min |

```
raw   code
```

<div class="ad">An <b>advert</b></div>

Line one\\
line two ![the bridge](bridge.jpg) and `inline code`.
"""


def test_paragraphs_are_kept_and_markup_dropped():
    assert markdown_text(STORY).split("\n\n") == [
        "Harbour bridge closed",
        "By Maria Okonkwo for the Courier",
        "The Old Harbour Bridge was closed to all traffic on Thursday. The authority gave no date.",
        "Shop owners said:",
        "• trade fell at once\n• the shuttle boat helps\n  1. in the mornings\n  2. not at night",
        "\"We will not reopen the bridge until it is safe.\"",
        "Route | Delay\nTunnel | 20 min",
        "raw   code",
        "An advert",
        "Line one\nline two the bridge and inline code.",
    ]


def test_rich_markup_in_markdown_stays_literal():
    text = markdown_text("Say [bold]hi[/bold] and [@click=app.quit]quit[/] and [link=x]y[/link].\n")
    assert text == "Say [bold]hi[/bold] and [@click=app.quit]quit[/] and [link=x]y[/link]."


def test_a_markdown_file_opens_with_its_heading_as_title(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(STORY, encoding="utf-8")
    article = load_article(path)
    assert article.title == "Harbour bridge closed"
    assert article.text == markdown_text(STORY)
    assert "**" not in article.text and "](" not in article.text


def test_an_empty_list_item_and_nested_quote_do_not_break_it():
    assert markdown_text("-\n- x\n\n> > deep\n") == "• x\n\ndeep"
