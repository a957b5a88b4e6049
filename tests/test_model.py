from __future__ import annotations

import pytest

from reader.anchoring import describe
from reader.model import Annotation, Article, Target, article_id_for

TEXT = "One sentence here. Another one there.\nA second paragraph."


def test_article_id_is_sha256_prefix_of_canonical_text():
    assert article_id_for("abc") == "ba7816bf8f01cfea"
    assert len(article_id_for(TEXT)) == 16


def test_article_round_trips_through_dict():
    article = Article(id=article_id_for(TEXT), title="T", text=TEXT, furniture=((3, 9),))
    assert Article.from_dict(article.to_dict()) == article


def test_annotation_round_trips_with_both_selectors():
    target = describe("a" * 16, TEXT, 19, 37)
    claim = Annotation(kind="claim", targets=(target,), tags=("factual claim",), author="ann")
    data = claim.to_dict()
    kinds = [s["type"] for s in data["targets"][0]["selectors"]]
    assert kinds == ["TextPositionSelector", "TextQuoteSelector"]
    assert Annotation.from_dict(data) == claim
    assert claim.modified == claim.created


@pytest.mark.parametrize(
    ("kind", "count"), [("claim", 2), ("note", 0), ("contradiction", 1), ("link", 3)]
)
def test_wrong_number_of_targets_is_refused(kind, count):
    targets = tuple(describe("a" * 16, TEXT, 0, 3) for _ in range(count))
    with pytest.raises(ValueError):
        Annotation(kind=kind, targets=targets, author="x")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Annotation(kind="rumour", targets=(describe("a" * 16, TEXT, 0, 3),), author="x")  # type: ignore[arg-type]


def test_edited_sets_modified_and_keeps_identity():
    claim = Annotation(kind="claim", targets=(describe("a" * 16, TEXT, 0, 3),), author="x",
                       created="2020-01-01T00:00:00+00:00")
    edited = claim.edited(tags=("opinion",))
    assert edited.id == claim.id and edited.tags == ("opinion",)
    assert edited.modified > claim.modified


def test_target_without_quote_selector_is_refused():
    with pytest.raises(ValueError):
        Target.from_dict({"article_id": "a", "selectors": [{"type": "TextPositionSelector", "start": 0, "end": 1}]})
