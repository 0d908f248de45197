"""End to end: `congvan serve` on loopback, driven by Debian's chromium through Playwright.

A handful of tests only (a browser is slow to start). Screenshots of each page go to
build/screenshots/ for a person to look at. Skipped, saying why, when chromium or the
playwright package is missing; nothing is ever downloaded (no `playwright install`)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.archive import Archive
from tests.conftest import CORPUS, ROOT
from tests.serving import start_serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "build" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium; scripts/setup_system.sh does it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extras)")


ARCHIVES: dict[str, Path] = {}  # server address -> its archive folder (to read the letters' own texts)
# a letter that prints markup literally: formatting tags left by an editor, and an entity typed as text
TAGS_LETTER = """UBND TỈNH KIỂM THỬ
SỞ THÔNG TIN VÀ TRUYỀN THÔNG

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 81/STTTT-VP
V/v định dạng văn bản điện tử gửi qua hệ thống

Kiểm Thử, ngày 12 tháng 3 năm 2025

Kính gửi: Các phòng, ban thuộc Sở.

Một số văn bản điện tử gửi đến còn chứa thẻ định dạng <b>in đậm</b> và <i>in nghiêng</i> của trình soạn
thảo; có tệp lại ghi nguyên văn &lt;b&gt; thay cho thẻ. Đề nghị các phòng, ban chuyển sang định dạng
chuẩn trước khi gửi.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Trần Văn Định
"""



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-archive")
    tags = tmp_path_factory.mktemp("tags-letter")
    (tags / "tags-letter.txt").write_text(TAGS_LETTER, encoding="utf-8")
    arc = Archive(root)
    report = arc.ingest([CORPUS / "text", ROOT / "tests" / "data" / "web", tags], workers=1)
    arc.close()
    assert not report.failed
    proc, port = start_serve(root)
    ARCHIVES[f"http://127.0.0.1:{port}"] = root
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_open_follow_a_reference_and_see_cited_by(server, page):
    page.goto(server + "/")
    shot(page, "trang-chu")
    page.fill("input[name=q]", "thong tin doi ngoai")  # typed without diacritics
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=*")
    assert page.locator(".hit").count() >= 4
    assert page.locator(".snippet mark").count() > 0
    shot(page, "tim-kiem")

    page.locator(".hit-title", has_text="1469-CV/BTGTU").click()
    page.wait_for_url("**/van-ban/**")
    assert "1469-CV/BTGTU" in page.locator(".doc-kind").inner_text()
    assert page.locator("#doc-text mark.entity").count() >= 5
    shot(page, "van-ban")
    citing_url = page.url

    page.locator("a.ref-link", has_text="33-CV/TTĐN").first.click()
    page.wait_for_url(lambda url: url != citing_url)
    assert "33-CV/TTĐN" in page.locator(".doc-kind").inner_text()
    cited_by = page.locator("#cited-by")
    assert "1469-CV/BTGTU" in cited_by.inner_text()
    cited_by.locator("a", has_text="1469-CV/BTGTU").click()
    page.wait_for_url(citing_url)


def test_a_letter_containing_script_renders_as_text(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    page.fill("input[name=q]", "77/STTTT-CNTT")  # a code typed in the box opens its document
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/van-ban/**")
    assert '<script>alert("xss")</script>' in page.locator("h1.doc-title").inner_text()
    assert "<img src=x onerror=alert(1)>" in page.locator("#doc-text").inner_text()
    assert page.locator("#doc-text script, #doc-text img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    shot(page, "van-ban-co-script")


def test_trace_and_citation_pages(server, page):
    page.goto(server + "/truy-vet")
    page.fill("input[name=ma]", "57-KL/TW")
    page.press("input[name=ma]", "Enter")
    page.wait_for_url("**/truy-vet?ma=*")
    assert page.locator("ul.tree li").count() >= 3
    shot(page, "truy-vet")
    page.locator(".tree-root .node.root a").click()
    page.wait_for_url("**/trich-dan?ma=*")
    assert "chưa có trong kho" in page.locator("h1").inner_text()
    shot(page, "trich-dan")


# markup escaped (`&lt;b&gt;` seen as such: escaped twice) or shown as text (`<b>`: a highlight
# escaped once too often); a page may show either only where a letter prints it
ESCAPES = ("&lt;", "&gt;", "&amp;", "<", ">")


def test_no_page_shows_escaped_markup_and_highlights_are_mark_elements(server, page):
    """Home, search (with and without diacritics), each letter found, a trace and a citation
    page: `&lt;`, `&gt;`, `&amp;`, `<` and `>` appear in what a person reads no more often than
    the texts of the letters the page shows or links to print them (the tags and script letters
    print some, the others none), and every highlighted word is a <mark> holding a query word."""
    from urllib.parse import unquote

    from text.fold import fold
    arc = Archive(ARCHIVES[server])
    visited = []

    def own_text(href: str) -> str:
        rec = arc.catalog.record(unquote(href.rsplit("/", 1)[-1]))
        return rec.text if rec else ""

    def visit(url: str, shown: list[str]) -> None:
        page.goto(url)
        text = page.locator("body").inner_text()
        # the letters the page shows something of: itself, its hits, the letters it links to
        shown = list(shown) + [a.get_attribute("href") for a in page.locator('a[href^="/van-ban/"]').all()]
        for esc in ESCAPES:
            allowed = sum(own_text(h).count(esc) for h in shown)
            assert text.count(esc) <= allowed, (url, esc, text.count(esc), allowed)
        visited.append(url)

    visit(server + "/", [])
    doc_urls: list[str] = []
    for query in ("thong tin doi ngoai", "thông tin", "quyết định", "ban tuyên giáo"):
        page.goto(server + "/?q=" + query)
        hrefs = [a.get_attribute("href") for a in page.locator(".hit-title").all()]
        visit(server + "/?q=" + query, hrefs)
        marks = page.locator(".snippet mark")
        assert marks.count() > 0, query
        words = {fold(w) for w in query.split()}
        for m in marks.all_inner_texts():
            assert fold(m) in words, (query, m)
        assert page.locator(".snippet b, .snippet script").count() == 0
        doc_urls += hrefs
    for href in dict.fromkeys(doc_urls):
        visit(server + href, [href])
    visit(server + "/truy-vet?ma=57-KL/TW", [])
    visit(server + "/trich-dan?ma=57-KL/TW", [])
    arc.close()
    assert len(visited) >= 8


def test_a_letter_that_prints_tags_shows_them_as_text(server, page):
    """Decoy: the letter's own `<b>in đậm</b>` and `&lt;b&gt;` are its text, shown as printed,
    in the snippet and on its page; only the engine's highlight is a <mark>."""
    page.goto(server + "/?q=thẻ định dạng in đậm")
    hit = page.locator(".hit", has_text="81/STTTT-VP")
    snip = hit.locator(".snippet")
    assert "<b>in đậm</b>" in snip.inner_text() or "<b>" in snip.inner_text(), snip.inner_text()
    assert snip.locator("b, i").count() == 0
    assert snip.locator("mark").count() >= 2
    hit.locator(".hit-title").click()
    page.wait_for_url("**/van-ban/**")
    body = page.locator("#doc-text")
    text = " ".join(body.inner_text().split())
    assert "<b>in đậm</b>" in text and "<i>in nghiêng</i>" in text
    assert "&lt;b&gt;" in text and "&amp;lt;" not in text
    assert body.locator("b, i").count() == 0
    shot(page, "van-ban-co-the")
