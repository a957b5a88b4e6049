"""A pack handed out as a .zip opens in the app like a folder."""

from __future__ import annotations

import zipfile

from reader.screens.reading import ReadingScreen
from reader.widgets.article_pane import ArticlePane


async def test_a_zipped_pack_opens_in_the_app(make_app, seeds, tmp_path):
    archive = tmp_path / "hanoi.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in seeds.iterdir():
            if path.is_file():
                zipped.write(path, f"hanoi/{path.name}")
    app = make_app([str(archive)])
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        titles = [pane.article.title for pane in app.screen.query(ArticlePane)]
        assert titles[1] == "Talks between US and North Korea collapse"
        assert app.session.pack is not None and app.session.pack.title.startswith("Hanoi summit")
