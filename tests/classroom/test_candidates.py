"""Candidate key items: the class's annotations clustered by kind and span overlap, on the seed
exercise and hand-made students."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from classroom_helpers import SEEDS, respan, write_native

import reader.classroom.candidates as candidates_module
from reader.classroom.candidates import (
    LOOSE_CLUSTER,
    SPANS_DIFFER,
    SPLIT_RELATION,
    SPLIT_TAGS,
    Candidate,
    candidate_annotation,
    cluster,
    covered,
    read_candidates,
)
from reader.classroom.compare import compare
from reader.classroom.matching import DEFAULT_THRESHOLD, Item, item_score, span_iou
from reader.classroom.submissions import Submission
from reader.errors import UserError


def shifted(annotation, articles, by=(0, 0), **changes):
    """`annotation` with each end's start and end moved by `by` characters."""
    spans = [(t.start + by[0], t.end + by[1]) for t in annotation.targets]
    return respan(annotation, spans, articles, **changes)


def texts(articles):
    return {a.id: a.text for a in articles.values()}


def students(tmp_path, **annotations_by_author) -> list[Path]:
    return [
        write_native(tmp_path / f"{author.lower()}.json", annotations, author)
        for author, annotations in annotations_by_author.items()
    ]


def candidate_at(found: list[Candidate], annotation) -> Candidate:
    """The one candidate of `annotation`'s kind whose ends are `annotation`'s passage."""
    mine = Item(annotation.kind, tuple((t.article_id, t.start, t.end) for t in annotation.targets), ())
    [hit] = [c for c in found if item_score(c.as_item(), mine) >= DEFAULT_THRESHOLD]
    return hit


def test_two_of_three_students_on_one_sentence_is_one_candidate_two_thirds(tmp_path, key, articles):
    sentence, other = key[6], key[9]
    paths = students(
        tmp_path,
        Ann=[sentence],
        Ben=[shifted(sentence, articles, by=(9, -4))],  # "recent intelligence …" without "However, "
        Cat=[other],
    )
    found, skipped = read_candidates(SEEDS, paths)
    assert skipped == []
    assert [c.label for c in found] == ["2/3", "1/3"]
    top = found[0]
    assert top.kind == "claim" and top.students == ("Ann", "Ben") and top.total == 3
    assert top.flags == (SPANS_DIFFER,)
    assert top.tags == (("unsourced claim", 2),) and top.tag_set == ("unsourced claim",)
    assert top.line.startswith("2/3 · claim · “However, recent intelligence")
    assert "spans differ" in top.line and "unsourced claim" in top.line
    assert found[1].students == ("Cat",) and found[1].flags == ()


def test_the_span_most_students_chose_exactly_is_the_representative(tmp_path, key, articles):
    sentence = key[6]
    shorter = shifted(sentence, articles, by=(9, 0))
    paths = students(tmp_path, Ann=[shorter], Ben=[sentence], Cat=[sentence], Dan=[shifted(sentence, articles, by=(0, -3))])
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.label == "4/4"
    assert candidate.spans == tuple((t.article_id, t.start, t.end) for t in sentence.targets)
    assert candidate.quotes == (sentence.targets[0].quote.exact,)


def test_on_a_tie_the_representative_is_the_medoid(tmp_path, key, articles):
    sentence = key[6]
    start, end = sentence.targets[0].start, sentence.targets[0].end
    left, middle, right = (start - 20, end - 20), (start, end), (start + 20, end + 20)
    paths = students(
        tmp_path,
        **{name: [respan(sentence, [span], articles)] for name, span in zip(("Ann", "Ben", "Cat"), (left, middle, right))},
    )
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.label == "3/3" and candidate.spans[0][1:] == middle


def test_split_tags_and_notes_are_shown(tmp_path, key, articles):
    sentence = key[6]
    paths = students(
        tmp_path,
        Ann=[replace(sentence, tags=("unsourced claim",), note="who says?")],
        Ben=[replace(sentence, tags=("unsourced claim",), note="  ")],  # blank: not shown
        Cat=[replace(sentence, tags=("factual claim",), note="checkable")],
    )
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.flags == (SPLIT_TAGS,)  # same spans: only the tags split
    assert candidate.tags == (("unsourced claim", 2), ("factual claim", 1))
    assert candidate.tag_set == ("unsourced claim",)
    assert candidate.notes == (("Ann", "who says?"), ("Cat", "checkable"))
    accepted = candidate_annotation(candidate, texts(articles), author="Teacher")
    assert accepted.tags == ("unsourced claim",) and accepted.note == "" and accepted.author == "Teacher"


def test_agreeing_tags_are_not_flagged(tmp_path, key):
    paths = students(tmp_path, Ann=[key[6]], Ben=[key[6]])
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.flags == () and candidate.label == "2/2"


def test_a_student_marking_the_same_passage_twice_counts_once(tmp_path, key, articles):
    sentence = key[6]
    paths = students(
        tmp_path,
        Ann=[sentence, shifted(sentence, articles, by=(9, 0))],
        Ben=[sentence],
        Cat=[key[9]],
    )
    found, _ = read_candidates(SEEDS, paths)
    top = candidate_at(found, sentence)
    assert top.label == "2/3" and top.students == ("Ann", "Ben")
    assert len(top.members) == 3 and [m.author for m in top.members] == ["Ann", "Ann", "Ben"]
    alone, _ = read_candidates(SEEDS, paths[:1] + paths[2:])
    assert candidate_at(alone, sentence).label == "1/2"


def test_contradictions_match_at_both_ends_in_either_order(tmp_path, key, articles):
    contradiction = key[0]
    swapped = replace(contradiction, targets=contradiction.targets[::-1])
    paths = students(
        tmp_path,
        Ann=[contradiction],
        Ben=[swapped],
        Cat=[shifted(contradiction, articles, by=(3, 0))],
    )
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.kind == "contradiction" and candidate.label == "3/3"
    assert candidate.spans == tuple((t.article_id, t.start, t.end) for t in contradiction.targets)
    assert candidate.flags == (SPANS_DIFFER,)  # Cat's ends differ; Ben's swap does not count


def test_one_end_alone_is_not_the_same_contradiction(tmp_path, key, articles):
    contradiction, other = key[0], key[1]
    half = replace(contradiction, targets=(contradiction.targets[0], other.targets[1]))
    paths = students(tmp_path, Ann=[contradiction], Ben=[half])
    found, _ = read_candidates(SEEDS, paths)
    assert [c.label for c in found] == ["1/2", "1/2"]


def test_a_link_with_different_relations_is_flagged_and_the_commonest_accepted(tmp_path, key, articles):
    link = key[3]
    paths = students(
        tmp_path,
        Ann=[replace(link, relation="corroborates")],
        Ben=[replace(link, relation="corroborates")],
        Cat=[replace(link, relation="same event")],
    )
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.flags == (SPLIT_RELATION,)
    assert candidate.relations == (("corroborates", 2), ("same event", 1))
    assert candidate_annotation(candidate, texts(articles)).relation == "corroborates"
    assert "corroborates" in candidate.line


def test_kinds_are_never_mixed(tmp_path, key, articles):
    sentence = key[6]
    note = replace(sentence, kind="note", tags=())
    found, _ = read_candidates(SEEDS, students(tmp_path, Ann=[sentence], Ben=[note]))
    assert sorted((c.kind, c.label) for c in found) == [("claim", "1/2"), ("note", "1/2")]


def test_covered_once_the_accepted_annotation_is_in_the_key(tmp_path, key, articles):
    sentence = key[6]
    paths = students(tmp_path, Ann=[sentence], Ben=[shifted(sentence, articles, by=(9, -4))], Cat=[key[9]])
    found, _ = read_candidates(SEEDS, paths)
    top = found[0]
    assert not covered(top, [])
    assert not covered(top, [key[7], replace(key[6], kind="note", tags=())])  # elsewhere; same place, other kind
    accepted = candidate_annotation(top, texts(articles), author="Teacher")
    assert covered(top, [key[7], accepted])
    assert covered(top, [top.as_item()])  # scoring items do as well as annotations
    assert not covered(found[1], [accepted])


def test_an_accepted_candidate_is_found_by_exactly_its_students_in_compare(tmp_path, key, articles):
    sentence = key[6]
    paths = students(tmp_path, Ann=[sentence], Ben=[shifted(sentence, articles, by=(9, -4))], Cat=[key[9]])
    found, _ = read_candidates(SEEDS, paths)
    top = found[0]
    assert top.label == "2/3"
    accepted = candidate_annotation(top, texts(articles), author="Teacher")
    key_path = write_native(tmp_path / "teacher-key.json", [accepted], "Teacher")
    report = compare(key_path, paths, SEEDS)
    assert report.found_by() == [2]
    assert sorted(s.author for s in report.students if s.found[0]) == list(top.students)


def test_a_loose_chain_is_flagged(tmp_path, key, articles):
    sentence = key[6]
    start, end = sentence.targets[0].start, sentence.targets[0].end
    width = end - start
    step = width // 3  # neighbours overlap by 2/3 of a span (IoU 0.5), the ends by 1/3 (IoU 0.2)
    spans = [(start + n * step, end + n * step) for n in range(3)]
    assert span_iou(("a", *spans[0]), ("a", *spans[1])) >= 0.5 > span_iou(("a", *spans[0]), ("a", *spans[2]))
    paths = students(tmp_path, **{name: [respan(sentence, [span], articles)] for name, span in zip(("Ann", "Ben", "Cat"), spans)})
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.label == "3/3" and candidate.spans[0][1:] == spans[1]  # the medoid: the middle one
    assert LOOSE_CLUSTER not in candidate.flags  # every student reaches the middle one
    paths = students(tmp_path, Ann=[respan(sentence, [spans[0]], articles)], Ben=[respan(sentence, [spans[0]], articles)],
                     Cat=[respan(sentence, [spans[1]], articles)], Dan=[respan(sentence, [spans[2]], articles)])
    [candidate], _ = read_candidates(SEEDS, paths)
    assert candidate.label == "4/4" and candidate.spans[0][1:] == spans[0]  # two chose it exactly
    assert LOOSE_CLUSTER in candidate.flags  # Dan's mark only reaches it through Cat's


def test_unreadable_empty_and_off_pack_files_are_skipped_with_a_reason(tmp_path, key):
    from reader.anchoring import describe
    from reader.export import json_format
    from reader.model import Annotation, Article, article_id_for

    (tmp_path / "notjson.json").write_text("{this is not json")
    other_text = "A different exercise about a different summit entirely."
    other = Article(id=article_id_for(other_text), title="Other", text=other_text, source="other.txt")
    claim = Annotation("claim", (describe(other.id, other_text, 2, 20),), "Elsewhere")
    (tmp_path / "other.json").write_bytes(json_format.dumps(json_format.build_document([other], [claim], "Elsewhere")))
    write_native(tmp_path / "nothing.json", [], "Nobody")
    good = students(tmp_path, Ann=[key[6]], Ben=[key[6]])
    names = ["notjson.json", "other.json", "nothing.json", "missing.json"]
    found, skipped = read_candidates(SEEDS, [tmp_path / n for n in names] + good)
    assert [c.label for c in found] == ["2/2"]
    reasons = {Path(f).name: r for f, r in skipped}
    assert list(reasons) == names
    assert "not valid JSON" in reasons["notjson.json"]
    assert "another exercise" in reasons["other.json"]
    assert "no annotations" in reasons["nothing.json"]
    assert "no such file" in reasons["missing.json"]
    assert all("\n" not in r for r in reasons.values())
    assert read_candidates(SEEDS, [tmp_path / "missing.json"]) == ([], [(str(tmp_path / "missing.json"), reasons["missing.json"])])


def test_bad_threshold_is_a_user_error():
    with pytest.raises(UserError):
        cluster([], threshold=0)
    with pytest.raises(UserError):
        read_candidates(SEEDS, [], threshold=1.5)


def test_two_files_with_the_same_author_are_two_students(key):
    item = Item("claim", (("a", 0, 10),), ("q",))
    found = cluster([Submission("x/one.json", "Sam", [item]), Submission("x/two.json", "Sam", [item])])
    assert [c.students for c in found] == [("Sam (one.json)", "Sam (two.json)")]


def test_candidates_are_sorted_by_students_then_text_position():
    def claim(start):
        return Item("claim", (("b", start, start + 10),), ("q",))

    subs = [
        Submission("1", "A", [claim(50), claim(0), Item("claim", (("a", 500, 510),), ("q",))]),
        Submission("2", "B", [claim(50)]),
    ]
    found = cluster(subs, order=["b", "a"])
    assert [(c.count, c.spans[0]) for c in found] == [(2, ("b", 50, 60)), (1, ("b", 0, 10)), (1, ("a", 500, 510))]
    assert [c.spans[0][0] for c in cluster(subs)][1:] == ["a", "b"]  # no order given: by article id


# -- clustering only compares nearby items, and finds exactly what comparing all pairs finds


def random_class(rng: random.Random, students: int, per_student: int) -> list[Submission]:
    submissions = []
    for n in range(students):
        items = []
        for _ in range(per_student):
            kind = rng.choice(["claim", "note", "contradiction", "link"])
            spans = []
            for _ in range(2 if kind in ("contradiction", "link") else 1):
                start = rng.randrange(0, 3000)
                spans.append((rng.choice(["a" * 16, "b" * 16]), start, start + rng.randint(20, 120)))
            items.append(Item(kind, tuple(spans), tuple("q" for _ in spans), tags=(rng.choice("xyz"),)))
        submissions.append(Submission(f"s{n}.json", f"student {n}", items))
    return submissions


def naive_partition(submissions, threshold):
    items = [(n, item) for n, s in enumerate(submissions) for item in s.items]
    parent = list(range(len(items)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if item_score(items[a][1], items[b][1]) >= threshold:
                parent[root(a)] = root(b)
    groups = {}
    for i, (n, item) in enumerate(items):
        groups.setdefault(root(i), set()).add((f"student {n}", item.spans))
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize("seed", range(12))
def test_clusters_are_the_components_of_comparing_all_pairs(seed):
    rng = random.Random(seed)
    subs = random_class(rng, rng.randint(1, 8), rng.randint(0, 20))
    threshold = rng.choice([0.2, 0.5, 0.8, 1.0])
    found = cluster(subs, threshold)
    got = sorted(sorted((m.author, m.spans) for m in c.members) for c in found)
    assert got == naive_partition(subs, threshold)
    for c in found:
        assert c.count == len({m.author for m in c.members}) and c.total == len(subs)


def test_thirty_students_by_fifty_items_compare_only_nearby_items(monkeypatch):
    subs = random_class(random.Random(7), 30, 50)
    calls = 0
    real = candidates_module.item_score

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(candidates_module, "item_score", counting)
    found = cluster(subs)
    items = 30 * 50
    assert sum(len(c.members) for c in found) == items
    assert calls < items * (items - 1) // 2 // 10  # a tenth of all pairs, with room to spare
