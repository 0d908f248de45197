"""Snippets rendered once: the engine's highlight (`index.search._snippets`, text escaped once, matches
between OPEN and CLOSE) becomes `<mark>` on the web page and brackets on the command line, and
the text a person reads is the letter's own, character for character: a tag or an entity the
letter prints literally (`<b>`, `<script>`, `&lt;`) is shown as printed, never as markup and
never escaped twice."""
from __future__ import annotations

import html
import re

import pytest

from index.search import CLOSE, OPEN, plain, snippet
from tests.conftest import CORPUS
from text.fold import fold
from web.present import safe_snippet

_MARK = re.compile(r"<mark>(.*?)</mark>")
_TAG = re.compile(r"<[^>]*>")


def visible(markup: str) -> str:
    """What a browser shows of an HTML fragment: tags dropped, entities read once."""
    return html.unescape(_TAG.sub("", markup))


def squeeze(text: str) -> str:
    return " ".join(text.split())


TRICKY = [  # (text, query words): tags and entities a letter may print, and decoys without any
    ("Sở nhận được thư có thẻ <b>in đậm</b> và đoạn mã <script>alert(1)</script> trong thông tin.", ["thông", "tin"]),
    ("Tệp HTML ghi &lt;b&gt; và &amp; nguyên văn; thông tin gửi kèm.", ["thong", "tin"]),
    ("Công thức a < b > c và AT&T, thông tin đối ngoại.", ["thông", "tin", "đối", "ngoại"]),
    ("Văn bản thường: thông tin đối ngoại năm 2025, không có ký tự đặc biệt nào.", ["thong", "tin"]),
    ("Dòng chữ </b> đứng lẻ và <b> đứng lẻ quanh thông tin.", ["tin"]),
]


def corpus_rows() -> list[tuple[str, list[str]]]:
    rows = []
    for path in sorted((CORPUS / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        rows += [(text, ["thông", "tin"]), (text, ["thong", "tin", "doi", "ngoai"]), (text, ["quyết", "định"])]
    return rows


@pytest.mark.parametrize(("text", "words"), TRICKY + corpus_rows())
def test_the_page_shows_the_letter_s_own_text_with_each_match_marked_once(text, words):
    snip = snippet(text, words)
    page = str(safe_snippet(snip))
    shown = visible(page).strip("…")
    assert squeeze(shown) in squeeze(text), (shown, text)
    # every mark is a match of a query word (any spelling when typed without diacritics), and
    # nothing but the marks is markup: a tag the letter prints is text
    marks = _MARK.findall(page)
    assert marks or not any(fold(w) in fold(text) for w in words)
    for m in marks:
        assert fold(html.unescape(m)) in {fold(w) for w in words}, (m, page)
    assert _TAG.sub("", _MARK.sub(r"\1", page)) == _MARK.sub(r"\1", page)
    # the command line: brackets, the same text
    assert squeeze(plain(snip).replace("[", "").replace("]", "")).strip("…") in squeeze(text) or "[" in text


@pytest.mark.parametrize(("engine_snippet", "page"), [
    (f"về thông {OPEN}tin{CLOSE} &lt;script&gt;alert(1)&lt;/script&gt;",
     "về thông <mark>tin</mark> &lt;script&gt;alert(1)&lt;/script&gt;"),
    (f"thẻ &lt;b&gt;{OPEN}thông{CLOSE}&lt;/b&gt;", "thẻ &lt;b&gt;<mark>thông</mark>&lt;/b&gt;"),
    (f"ghi &amp;lt; {OPEN}tin{CLOSE}", "ghi &amp;lt; <mark>tin</mark>"),  # the letter prints `&lt;`
    ("không có từ nào khớp", "không có từ nào khớp"),
    ("", ""),
])
def test_engine_marks_become_mark_elements_and_text_stays_text(engine_snippet, page):
    assert str(safe_snippet(engine_snippet)) == page
