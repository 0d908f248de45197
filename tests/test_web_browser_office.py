"""The office's downloads in a real browser: the search page's "Tải kết quả" and the "Sổ đăng
ký" page, driven by Debian's chromium through Playwright against a real `congvan serve`; the
files saved by the browser are read back with `openpyxl` and `csv`."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from index.archive import Archive
from tests.office_letters import MAIL, OFFICE, build
from tests.serving import start_serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium; scripts/setup_system.sh does it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extras)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    base = tmp_path_factory.mktemp("office-browser")
    build(base / "archive", base / "mail")
    proc, port = start_serve(base / "archive")
    yield f"http://127.0.0.1:{port}", base / "archive"
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
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def download(page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_search_results_download_as_xlsx_and_csv(served, page, tmp_path):
    url, root = served
    page.goto(url + "/")
    page.fill("input[name=q]", "đề nghị")
    page.fill("input[name=co_quan]", "Ủy ban nhân dân")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#tai-xlsx")
    arc = Archive(root)
    try:
        hits = arc.search("đề nghị", limit=100, issuer="Ủy ban nhân dân")["hits"]
    finally:
        arc.close()
    assert hits
    saved = download(page, "#tai-xlsx", tmp_path)
    assert saved.suffix == ".xlsx"
    ws = load_workbook(saved).active
    header = [c.value for c in ws[3]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[header.index("Mã văn bản")] for r in rows] == [h["id"] for h in hits]
    assert [r[header.index("Số, ký hiệu")] for r in rows] == [h["code"] for h in hits]
    saved = download(page, "#tai-csv", tmp_path)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0] == header and [r[header.index("Mã văn bản")] for r in lines[1:]] == [h["id"] for h in hits]


@pytest.mark.parametrize("direction,label", [("in", "Sổ đăng ký văn bản đến"), ("out", "Sổ đăng ký văn bản đi")])
def test_register_page_downloads_the_year(served, page, tmp_path, direction, label):
    url, _ = served
    page.goto(url + "/")
    page.click("nav >> text=Sổ đăng ký")
    page.select_option("select[name=so]", label=label)
    page.select_option("select[name=nam]", "2025")
    page.click("button:has-text('Xem sổ')")
    page.wait_for_selector("#tai-so-xlsx")
    assert OFFICE in page.inner_text("main")
    saved = download(page, "#tai-so-xlsx", tmp_path)
    ws = load_workbook(saved).active
    assert ws["A1"].value == f"{label.upper()} – năm 2025"
    assert ws["A2"].value == OFFICE
    code_col = 3 if direction == "in" else 0
    codes = [r[code_col].value for r in ws.iter_rows(min_row=4)]
    want = [m for m in MAIL if m.date[0] == 2025 and m.own == (direction == "out")]
    if direction == "out":
        want.sort(key=lambda m: m.date)
    assert codes == [m.code for m in want]
    shown = page.inner_text("table.register-table")
    assert all(m.code in shown for m in want)
