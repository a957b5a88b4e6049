"""`presscheck serve` in a real Chromium: what students see, type and save.

What is on screen is read from the xterm.js terminal of textual-serve's page (the rows it
draws on its canvas); what is saved is read back with `presscheck export`.
"""

from __future__ import annotations

import pytest

from serve_helpers import ARTIFACTS, keys, open_page, screen, wait_for, wait_screen

pytestmark = pytest.mark.browser

FIRST = "President Donald Trump confirmed on Thursday"
SECOND = "Talks between US and North Korea collapse"
TAGGED = "The president was speaking in a press conference in the Vietnamese capital Hanoi."


def _sign_in(page, name: str) -> None:
    wait_screen(page, "Who is annotating?", FIRST, SECOND)
    dialog = screen(page).split("Who is annotating?", 1)[1]
    # nobody's name is offered (not the server's PRESSCHECK_AUTHOR, not its login name)
    assert "the teacher" not in dialog and "Type your own name." in dialog
    assert "Esc keep the suggestion" not in dialog
    keys(page, *name, "Enter")
    wait_screen(page, "✓ saved", f"│ {name}", gone=("Who is annotating?",))  # the status bar names them


def _tag(page, *moves: str) -> None:
    keys(page, *moves, "t")
    wait_screen(page, "Tag this claim")
    keys(page, "Enter")
    wait_screen(page, gone=("Tag this claim",))


def test_a_student_opens_the_link_tags_a_claim_and_it_is_saved(serve, chromium):
    served = serve()
    page, response = open_page(chromium, served.url)
    assert response.status == 200
    wait_screen(page, FIRST, SECOND, "Who is annotating?", "No annotations yet")
    _sign_in(page, "Ada")
    _tag(page, "j")
    shown = wait_screen(page, "Claims · 1", "factual claim — Ada", "✓ saved")
    assert "The president was speaking in a press" in shown.split("Claims · 1", 1)[1]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "serve-tagged-claim.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")

    [claim] = wait_for(served.annotations, "the claim reaching the database")
    assert claim["kind"] == "claim" and claim["author"] == "Ada" and claim["tags"] == ["factual claim"]
    assert claim["targets"][0]["selectors"][1]["exact"] == TAGGED
    page.context.close()


def test_without_the_token_nothing_with_it_the_app(serve, chromium):
    served = serve("--host", "0.0.0.0")
    assert served.token
    bare = served.url.split("?", 1)[0]  # the printed link without its token
    page, response = open_page(chromium, bare)
    assert response.status == 403
    body = page.content()
    assert "403" in body and FIRST not in body and "textual" not in body.lower()
    page, response = open_page(chromium, served.url)
    assert response.status == 200
    wait_screen(page, FIRST, SECOND, "Who is annotating?")
    page.context.close()


def test_two_students_annotate_at_the_same_time_and_the_database_keeps_both(serve, chromium):
    served = serve("--host", "0.0.0.0")
    ada, _ = open_page(chromium, served.page, size=(1400, 900))
    bo, _ = open_page(chromium, served.page, size=(1400, 900))
    _sign_in(ada, "Ada")
    _sign_in(bo, "Bo")
    # two rounds, interleaved: both dialogs open, both accepted at once, both apps saving
    for ada_moves, bo_moves in ((["j"], ["Tab", "j"]), (["j"], ["j"])):
        keys(ada, *ada_moves, "t")
        keys(bo, *bo_moves, "t")
        for page in (ada, bo):
            wait_screen(page, "Tag this claim")
        keys(ada, "Enter")
        keys(bo, "Enter")
        for page in (ada, bo):
            wait_screen(page, gone=("Tag this claim",))
    for page in (ada, bo):
        wait_screen(page, "✓ saved")

    def both() -> list[dict] | None:
        annotations = served.annotations()
        return annotations if len(annotations) == 4 else None

    annotations = wait_for(both, "four claims in the database", shown=lambda: "\n".join(
        [*(f"{c['author']}: {c['targets'][0]['selectors'][1]['exact']}" for c in served.annotations()),
         screen(ada), screen(bo)]))
    by_author: dict[str, set[str]] = {}
    for claim in annotations:
        by_author.setdefault(claim["author"], set()).add(claim["targets"][0]["article_id"])
    assert {name: len(articles) for name, articles in by_author.items()} == {"Ada": 1, "Bo": 1}
    assert by_author["Ada"] != by_author["Bo"]  # Ada in the first article, Bo in the second
    assert sorted(c["author"] for c in annotations) == ["Ada", "Ada", "Bo", "Bo"]
    # and each student's screen shows their own name on their work
    assert "— Ada" in screen(ada) and "— Bo" in screen(bo)
    for page in (ada, bo):
        page.context.close()

