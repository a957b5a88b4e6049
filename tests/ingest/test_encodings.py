"""Decoding the way real files come: UTF-8 with a stray byte, UTF-16 and UTF-32 without a
BOM, code pages wider than their label, and feeds decided as feedparser decides."""

from __future__ import annotations

import codecs

import pytest

from reader.ingest.decode import decode, mostly_utf8, unicode_encoding
from reader.ingest.feeds import looks_like_feed, parse_feed
from reader.ingest.sources import open_path

NAME = "saved/page.html"
GERMAN = "Mäscot das Schaf: Schafe sind ängstlich, naiv und für die Vögel. " * 20


@pytest.mark.parametrize("declared", ["utf-8", None, "iso-8859-1", "windows-1252"])
def test_utf8_with_one_stray_byte_stays_utf8(declared):
    data = GERMAN.encode("utf-8") + b"<!-- M\xe4scot Breit -->" + GERMAN.encode("utf-8")
    text = decode(data, NAME, declared)
    assert "Mäscot das Schaf" in text and "Ã" not in text
    assert text.count("\ufffd") == 1  # the stray byte, shown as such


def test_latin1_is_not_mistaken_for_utf8_with_stray_bytes():
    assert not mostly_utf8(GERMAN.encode("latin-1"))
    assert decode(GERMAN.encode("latin-1"), NAME, "iso-8859-1") == GERMAN


def test_a_few_valid_sequences_among_many_legacy_bytes_are_legacy():
    data = GERMAN.encode("latin-1") + "café".encode("utf-8")
    assert not mostly_utf8(data)


def test_iso_2022_jp_declared_is_read_so_though_it_is_ascii():
    text = "東京の天気は晴れです。"
    assert decode(text.encode("iso-2022-jp"), NAME, "iso-2022-jp") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_unicode_without_bom_is_told_by_its_zero_bytes(codec):
    text = '<?xml version="1.0"?><rss><channel><title>Привет, Zürich</title></channel></rss>'
    data = text.encode(codec)
    assert unicode_encoding(data) == codec
    assert decode(data, NAME) == text


def test_binary_with_zero_bytes_is_still_refused():
    from reader.errors import IngestError

    with pytest.raises(IngestError, match="binary"):
        decode(bytes(range(256)) * 8, NAME)


def test_shift_jis_with_windows_characters_is_windows_31j():
    text = "NIKE KATOⅢ　通勤①"
    data = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("shift_jis")
    assert decode(data, NAME, "Shift_JIS") == text


def test_shift_jis_reads_the_jis_wave_dash():
    assert decode("吹っ飛びぃ〜の".encode("shift_jis"), NAME, "shift_jis") == "吹っ飛びぃ〜の"


def test_euc_kr_with_windows_949_characters():
    text = "책읽記 - 타워 똠방각하"
    assert decode(text.encode("cp949"), NAME, "euc-kr") == text


FEED = '<rss version="2.0"><channel><title>{title}</title><item><title>{item}</title><description>{body}</description></item></channel></rss>'
BODY = {
    "euc-jp": "今年の正月は家でゲームばかりしていました。新しいソフトを三本も買ってしまい、毎日遅くまで遊んでいます。",
    "euc-kr": "블로그에서 한글 닉네임이 제대로 표시되지 않는 문제를 해결하는 방법을 정리했습니다. 설정을 바꾸면 됩니다.",
    "koi8-r": "Новогодняя ночь всегда полна сюрпризов. Рассказываем, как провести праздник спокойно и без лишних хлопот.",
}


@pytest.mark.parametrize(("codec", "title"), [("euc-jp", "ゲーム三昧な正月です"), ("euc-kr", "한글닉네임 표시하기"), ("koi8-r", "Как пережить новогоднюю ночь")])
def test_a_feed_without_declared_encoding_is_not_mojibake(codec, title):
    data = FEED.format(title="Feed", item=title, body=BODY[codec]).encode(codec)
    _, entries = parse_feed(data, "feeds/blog.xml")
    assert entries[0].title == title


def test_the_http_charset_decides_a_feed():
    data = ('<?xml version="1.0" encoding="iso-8859-1"?>' + FEED.format(title="F", item="“quoted” £5", body="x")).encode("cp1252")
    _, entries = parse_feed(data, "https://example.org/feed", charset="windows-1252")
    assert entries[0].title == "“quoted” £5"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_feeds_open(tmp_path, codec):
    path = tmp_path / "feed.xml"
    path.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>' + FEED.format(title="Ünïcode", item="Entrée", body="x")).encode(codec))
    entries = open_path(path).entries
    assert [e.title for e in entries] == ["Entrée"] and entries[0].feed_title == "Ünïcode"


def test_a_long_comment_does_not_hide_the_feed(tmp_path):
    data = ('<?xml version="1.0"?>\n<!--\n' + "Licence text. " * 800 + "\n-->\n" + FEED.format(title="F", item="One", body="x")).encode()
    assert data.index(b"<rss") > 8192
    assert looks_like_feed(data)
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    assert [e.title for e in open_path(path).entries] == ["One"]


def test_an_untitled_feed_is_named_by_its_file_name(tmp_path):
    folder = tmp_path / "deep" / "folder"
    folder.mkdir(parents=True)
    path = folder / "news.xml"
    path.write_bytes(b'<rss version="2.0"><channel><item><description>Text.</description></item></channel></rss>')
    entry = open_path(path).entries[0]
    assert entry.feed_title == "news.xml"
    assert entry.title == "Entry 1 of news.xml"
    assert str(folder) not in entry.title


def test_utf8_bom_and_declared_utf16_agree():
    data = codecs.BOM_UTF8 + FEED.format(title="Çà", item="Élan", body="x").encode()
    assert parse_feed(data, "f.xml")[1][0].title == "Élan"
