"""canonicalize(text): the one text anchors point into, and the article id made from it."""

from __future__ import annotations

import hashlib
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ingest import article_from_text
from reader.ingest.canonical import canonicalize
from reader.model import article_id_for


def test_crlf_becomes_lf():
    assert canonicalize("one\r\ntwo\r\n\r\nthree") == "one\ntwo\n\nthree"


def test_lone_cr_becomes_lf():
    assert canonicalize("one\rtwo\r\rthree") == "one\ntwo\n\nthree"


def test_mixed_newlines():
    assert canonicalize("a\r\nb\rc\nd\n\r\ne") == "a\nb\nc\nd\n\ne"


def test_crlf_is_one_newline_not_two():
    assert canonicalize("a\r\nb").count("\n") == 1


def test_nfc_composes_combining_accent():
    result = canonicalize("caf\u0065\u0301")
    assert result == "caf\u00e9"
    assert len(result) == 4


def test_nfc_keeps_precomposed_text():
    assert canonicalize("café – “quoted” 東京") == "café – “quoted” 東京"


def test_nfc_hangul_jamo_compose():
    assert canonicalize("\u1100\u1161") == "\uac00"


def test_trailing_spaces_trimmed_per_line():
    assert canonicalize("one  \ntwo\t\nthree \u00a0\nfour") == "one\ntwo\nthree\nfour"


def test_leading_spaces_kept():
    assert canonicalize("  indented\n\tquote") == "  indented\n\tquote"


def test_inner_spaces_kept():
    assert canonicalize("a  b   c") == "a  b   c"


def test_whitespace_only_lines_become_empty():
    assert canonicalize("a\n   \n\t\nb") == "a\n\n\nb"


def test_blank_lines_at_both_ends_dropped():
    assert canonicalize("\n\n  \n\r\nTitle\n\nBody.\n\n \n") == "Title\n\nBody."


def test_inner_blank_lines_kept():
    assert canonicalize("a\n\n\n\nb") == "a\n\n\n\nb"


def test_leading_indent_of_first_line_kept():
    # only blank *lines* go; the first line's own indent is text
    assert canonicalize("\n\n   First line") == "   First line"


def test_whitespace_only_becomes_empty():
    assert canonicalize(" \r\n\t\n ") == ""


def test_empty_stays_empty():
    assert canonicalize("") == ""


def test_article_id_is_sha256_prefix_of_canonical_text():
    text = canonicalize("Title\r\n\r\nCafe\u0301 body.  \r\n")
    assert text == "Title\n\nCafé body."
    article_id = article_id_for(text)
    assert article_id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    assert len(article_id) == 16
    assert set(article_id) <= set("0123456789abcdef")


def test_same_article_in_different_forms_gets_same_id():
    forms = [
        "Title\n\nCafé body.\n",
        "Title\r\n\r\nCafe\u0301 body.   \r\n",
        "\n\nTitle  \r\rCafé body.\r\r\r",
    ]
    articles = [article_from_text(form) for form in forms]
    assert {a.text for a in articles} == {"Title\n\nCafé body."}
    assert len({a.id for a in articles}) == 1
    assert articles[0].id == article_id_for("Title\n\nCafé body.")


def test_different_text_gets_different_id():
    assert article_id_for(canonicalize("Body one.")) != article_id_for(canonicalize("Body two."))


def test_id_is_a_pinned_value():
    # The id must be the same on every machine and in every release: pin one value.
    assert article_id_for("hello") == "2cf24dba5fb0a30e"


_PIECES = [
    "a", "b", "e", " ", "é", ".", ",", "\n", "\r", "\r\n", "\t", "\u00a0", "\u0301",
    "\u0308", "\u1100", "\u1161", "\u2028", "\x0b", "\x0c", "\x1c", "\x85", "\ufb01",
]
_messy_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join) | st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(_messy_text)
def test_idempotent(text: str):
    once = canonicalize(text)
    assert canonicalize(once) == once


@settings(max_examples=200, deadline=None)
@given(_messy_text)
def test_canonical_form_invariants(text: str):
    result = canonicalize(text)
    assert "\r" not in result
    assert unicodedata.is_normalized("NFC", result)
    assert not result.startswith("\n") and not result.endswith("\n")
    for line in result.split("\n"):
        assert line == line.rstrip()
