"""compare's matching looks only at student items near each key item; it must pair
exactly as scoring every key × student pair does."""

from __future__ import annotations

import random

import pytest

from reader.classroom.matching import Item, item_score, match


def naive_match(key, student, threshold):
    candidates = []
    for k, key_item in enumerate(key):
        for s, student_item in enumerate(student):
            score = item_score(key_item, student_item)
            if score >= threshold and score > 0:
                candidates.append((-score, k, s))
    candidates.sort()
    pairs, used = {}, set()
    for _, k, s in candidates:
        if k not in pairs and s not in used:
            pairs[k] = s
            used.add(s)
    return pairs


def random_items(rng: random.Random, count: int) -> list[Item]:
    items = []
    for _ in range(count):
        kind = rng.choice(["claim", "note", "contradiction", "link"])
        ends = 2 if kind in ("contradiction", "link") else 1
        spans = []
        for _ in range(ends):
            start = rng.randrange(0, 400)
            spans.append((rng.choice(["a" * 16, "b" * 16]), start, start + rng.randint(0, 60)))
        items.append(Item(kind=kind, spans=tuple(spans), quotes=tuple("q" for _ in spans)))
    return items


@pytest.mark.parametrize("seed", range(40))
def test_nearby_matching_pairs_exactly_as_all_pairs(seed):
    rng = random.Random(seed)
    key, student = random_items(rng, rng.randint(0, 40)), random_items(rng, rng.randint(0, 60))
    threshold = rng.choice([0.01, 0.3, 0.5, 0.9, 1.0])
    assert match(key, student, threshold) == naive_match(key, student, threshold)
