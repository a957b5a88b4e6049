"""Markdown report: annotations grouped by article, quotes as block quotes. No UI.

Claims and notes, and contradictions or links within one article, are listed under their
article in reading order; contradictions and links between two articles follow in a section
of their own with both ends quoted. Article text is escaped (it is data, not Markdown) and
control characters are shown as visible placeholders, so the file is safe to `cat`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.anchoring import has_position
from reader.article_names import public_source
from reader.ingest.sanitize import display_line, display_text
from reader.model import Annotation, Article

KIND_TITLES = {"claim": "Claim", "contradiction": "Contradiction", "link": "Link", "note": "Note"}
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#+=~-])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def escape(text: str) -> str:
    """`text` shown literally by a Markdown renderer."""
    text = _INLINE.sub(r"\\\1", display_text(text))
    text = _LINE_START.sub(r"\1\\\2", text)
    return _NUMBERED.sub(r"\1\\\2", text)


def escape_line(text: str) -> str:
    return escape(display_line(text))


def _blockquote(text: str) -> str:
    lines = escape(text.strip("\n")).split("\n")
    return "\n".join(f"> {line.lstrip()}" if line.strip() else ">" for line in lines)


def _heading(annotation: Annotation) -> str:
    heading = f"### {KIND_TITLES[annotation.kind]}"
    if annotation.tags:
        heading += ": " + ", ".join(escape_line(t) for t in annotation.tags)
    if annotation.relation:
        heading += f" ({escape_line(annotation.relation)})"
    if annotation.anchor == "moved":
        heading += " *(moved: placed again on changed text)*"
    elif annotation.anchor == "orphaned":
        heading += " *(orphaned: its quote is no longer in the article)*"
    return heading


def _byline(annotation: Annotation) -> str:
    who = escape_line(annotation.author) if annotation.author else "unknown author"
    when = annotation.created[:16].replace("T", " ")
    return f"*{who}, {when}*" if when else f"*{who}*"


def _article_label(article_id: str, articles: dict[str, Article], source: str = "") -> str:
    article = articles.get(article_id)
    if article is not None:
        return f"*{escape_line(article.title or article.id)}*"
    source = public_source(source)
    return f"*{escape_line(source)} (not in the database)*" if source else f"*article {article_id} (not in the database)*"


def _entry(annotation: Annotation, articles: dict[str, Article], *, both_named: bool) -> str:
    parts = [_heading(annotation)]
    if len(annotation.targets) == 1:
        parts.append(_blockquote(annotation.targets[0].quote.exact))
    else:
        for number, target in enumerate(annotation.targets, start=1):
            label = f"**Passage {number}**"
            if both_named:
                label += " in " + _article_label(target.article_id, articles, target.source)
            parts.append(label)
            parts.append(_blockquote(target.quote.exact))
    if annotation.note:
        note = escape(annotation.note.strip()).replace("\n", "  \n")
        parts.append(f"**Note:** {note}")
    parts.append(_byline(annotation))
    return "\n\n".join(parts)


def _article_heading(article: Article) -> str:
    lines = [f"## {escape_line(article.title or article.id)}", ""]
    source = public_source(article.source)  # a local file by its name, not where it sits here
    where = f"`{display_line(source)}` · " if source else ""
    lines.append(f"{where}article `{article.id}`")
    return "\n".join(lines)


def _sort_key(annotation: Annotation, article_id: str) -> tuple[int, int, str, str]:
    """Reading order; orphans (whose positions mean nothing now) last."""
    spans = [t.start for t in annotation.targets if t.article_id == article_id and has_position(t)]
    placed = spans and annotation.anchor != "orphaned"
    return (0 if placed else 1, min(spans, default=0), annotation.created, annotation.id)


def report(
    articles: Iterable[Article], annotations: Iterable[Annotation], author: str = ""
) -> str:
    """The report as Markdown text."""
    articles = list(articles)
    annotations = list(annotations)
    by_id = {a.id: a for a in articles}
    single: dict[str, list[Annotation]] = {}
    across: list[Annotation] = []
    for annotation in annotations:
        ids = {t.article_id for t in annotation.targets}
        if len(ids) == 1:
            single.setdefault(annotation.targets[0].article_id, []).append(annotation)
        else:
            across.append(annotation)

    used = {t.article_id for a in annotations for t in a.targets}
    shown = [a for a in articles if a.id in used]
    out = ["# presscheck annotations", ""]
    summary = f"{len(annotations)} annotation(s) on {len(shown)} article(s)"
    out += [f"By {escape_line(author)} · {summary}." if author else f"{summary}.", ""]
    for article in shown:
        entries = sorted(single.get(article.id, []), key=lambda a: _sort_key(a, article.id))
        out += [_article_heading(article), ""]
        if not entries:
            out += ["Only in contradictions and links between articles, below.", ""]
        for annotation in entries:
            out += [_entry(annotation, by_id, both_named=False), ""]
    if across:
        out += ["## Between articles", ""]
        for annotation in sorted(across, key=lambda a: (a.created, a.id)):
            out += [_entry(annotation, by_id, both_named=True), ""]
    waiting = [aid for aid in single if aid not in by_id]
    if waiting:
        out += ["## Articles not in the database", ""]
        for article_id in waiting:
            entries = single[article_id]
            out += [f"Waiting for {_article_label(article_id, by_id, entries[0].targets[0].source)}:", ""]
            for annotation in sorted(entries, key=lambda a: (a.created, a.id)):
                out += [_entry(annotation, by_id, both_named=False), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def dumps(articles: Iterable[Article], annotations: Iterable[Annotation], author: str = "") -> bytes:
    return report(articles, annotations, author).encode("utf-8")
