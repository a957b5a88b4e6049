"""A web page's headline, told from the names a page gives itself: its h1 headings, its
og:title and other meta titles, its <title>, and what trafilatura found. No UI.

Meta titles and <title> often carry the site's name (" | The Paradigm", "LinkNaija |
Nigeria's popular news platform: ..."), a section, a date, or a title written for
search engines or social media; a page's JSON-LD may even name its CMS ("escenic").
What a reader sees as the headline is the page's article heading, so an h1 that another
title confirms wins; else the first meta title with the site's name taken off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CMS_NAMES = frozenset({
    "escenic", "wordpress", "drupal", "joomla", "typo3", "contao", "ghost", "blogger", "brightspot",
    "sitecore", "umbraco", "squarespace", "wix", "hugo", "jekyll", "arc publishing", "polopoly", "livingdocs",
})
"""Content management systems whose name a page's metadata sometimes gives as its title."""
META_TITLES = ("og:title", "twitter:title", "title", "headline", "dc.title", "parsely-title", "sailthru.title")
META_SITES = ("og:site_name", "application-name", "twitter:site", "publisher", "twitter:app:name:iphone")
MAX_HEADLINE = 300
_SEPARATOR = re.compile(r"\s+[|\-–—:·•»«/~]+\s+|\s*(?:::|\||_)\s*")
_WORD = re.compile(r"\w+")


@dataclass
class PageTitles:
    """Every name a page gives itself, in the page's order."""

    h1s: list[str] = field(default_factory=list)
    metas: list[str] = field(default_factory=list)
    head_title: str = ""
    sites: list[str] = field(default_factory=list)
    cms: set[str] = field(default_factory=set)


def _text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def page_titles(tree, url: str = "") -> PageTitles:  # type: ignore[no-untyped-def]
    """The names in a parsed page (lxml), before trafilatura cleans its tree."""
    found = PageTitles()
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        if key in META_TITLES:
            found.metas.append(content)
        elif key in META_SITES:
            found.sites.append(content.lstrip("@"))
        elif key == "generator":
            found.cms.add(content.split()[0].casefold())
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            found.sites.append(urlsplit(link.get("href")).hostname or "")
    found.h1s = [text for text in (_text(h1) for h1 in tree.iter("h1")) if 0 < len(text) <= MAX_HEADLINE]
    title = next(iter(tree.iter("title")), None)
    found.head_title = _text(title) if title is not None else ""
    if url:
        found.sites.append(urlsplit(url).hostname or "")
    return found


def _squash(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


def _site_keys(sites: list[str]) -> set[str]:
    """Site names as compared: letters and digits only; a host also without its `www.`
    and its top-level domain (`www.lastampa.it` is "La Stampa")."""
    keys = set()
    for site in sites:
        keys.add(_squash(site))
        host = site.casefold().removeprefix("www.")
        if "." in host and " " not in host:
            keys.add(_squash(host.rsplit(".", 1)[0]))
            keys.add(_squash(host.split(".", 1)[0]))
    return {key for key in keys if len(key) >= 3}


def _is_site(text: str, keys: set[str], cms: set[str]) -> bool:
    squashed = _squash(text)
    if not squashed or text.casefold() in CMS_NAMES or squashed in cms:
        return True
    if squashed in keys:
        return True
    # a site's name with its slogan ("El Mostrador, el primer diario digital de Chile.")
    return not _SEPARATOR.search(text) and any(squashed.startswith(key) and len(key) >= 6 for key in keys)


def _segments(title: str) -> list[str]:
    return [part for part in _SEPARATOR.split(title) if part.strip()]


def strip_site(title: str, keys: set[str], cms: set[str]) -> str:
    """`title` without a leading or trailing part that names the site (" - La Stampa",
    "TechCrunch | "), whole site names with separators in them taken first."""
    for _ in range(3):
        parts = list(_SEPARATOR.finditer(title))
        if not parts:
            return title
        first, last = title[: parts[0].start()], title[parts[-1].end() :]
        if _is_site(last, keys, cms) or (len(parts) > 1 and _is_site(title[parts[-2].end() :], keys, cms)):
            cut = parts[-1] if _is_site(last, keys, cms) else parts[-2]
            title = title[: cut.start()]
        elif _is_site(first, keys, cms) or (len(parts) > 1 and _is_site(title[: parts[1].start()], keys, cms)):
            cut = parts[0] if _is_site(first, keys, cms) else parts[1]
            title = title[cut.end() :]
        else:
            return title
    return title


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split()).casefold()


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


def _confirmation(h1: str, title: str) -> float:
    """How well `title` confirms `h1` as the headline: 3 the same, 2 its beginning (a
    site or section follows), 1 inside its first part, 0.5 half the h1's words in it."""
    heading, whole = _norm(h1), _norm(title)
    if not heading or not whole:
        return 0.0
    if heading == whole:
        return 3.0
    rest = whole[len(heading) :].lstrip()
    if whole.startswith(heading) and rest and not rest[0].isalnum():
        return 2.0
    parts = [_norm(part) for part in _segments(title)] or [whole]
    if any(heading in part and len(heading) * 2 >= len(part) for part in parts):
        return 1.0  # "Receita de Sequilho ... | CyberCook", "Pétition : Non à ..."
    words = _WORD.findall(heading)
    shared = set(_WORD.findall(parts[0]))
    if len(words) >= 3 and sum(word in shared for word in words) * 2 >= len(words):
        return 0.5
    return 0.0


def _names_site(h1: str, head_title: str) -> bool:
    """True when the h1 is the last part of the page's <title> and shorter than its
    first: a blog's name over every post ("Recipe | Liebe geht durch den Magen")."""
    parts = _segments(head_title)
    return len(parts) > 1 and _norm(parts[-1]) == _norm(h1) and len(parts[-1]) < len(parts[0])


def choose_headline(titles: PageTitles, extracted: str = "", extracted_site: str = "") -> str:
    """The page's headline: the h1 best confirmed by its other titles; else a lone h1 of
    three words or more; else its first meta title, trafilatura's, or its <title>,
    each without the site's name; "" when it names itself nowhere."""
    cms = set(titles.cms)
    blog_names = [h for h in titles.h1s if _names_site(h, titles.head_title)]
    keys = _site_keys([*titles.sites, *blog_names, extracted_site])
    h1s = [h for h in titles.h1s if not _is_site(h, keys, cms)]
    others = [t for t in [*titles.metas, extracted, titles.head_title] if t and not _is_site(t, keys, cms)]
    stripped = [strip_site(t, keys, cms) for t in others]
    best, best_score = "", 0.0
    for h1 in h1s:
        score = max((_confirmation(h1, t) for t in [*others, *stripped]), default=0.0)
        if score > best_score:
            best, best_score = h1, score
    if best:
        return best
    if len(set(h1s)) == 1 and len(_WORD.findall(h1s[0])) >= 3:
        return h1s[0]
    chosen = next((t for t in stripped if not _is_site(t, keys, cms)), "")
    # a meta title cut short by an unescaped quote ('content="... de "incapacitado""')
    return max((t for t in stripped if chosen and t.startswith(chosen)), key=len, default=chosen)
