"""End to end: the page "Việc đến hạn" of a real `congvan serve`, in Debian's chromium through
Playwright. The letters' dates are set around the real today, so that one obligation is past
and unanswered (red, "quá hạn"), one falls in this week and one weeks ahead; the calendar
download is read back with `icalendar`. Skipped, saying why, without chromium or playwright."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from index.archive import Archive
from tests.deadline_letters import letter
from tests.serving import start_serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extras)")

TODAY = dt.date.today()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
PAST = TODAY - dt.timedelta(days=10)
THIS_WEEK = MONDAY + dt.timedelta(days=6)  # the Sunday: today or later
AHEAD = MONDAY + dt.timedelta(days=22)


def vn(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def ymd(d: dt.date) -> tuple[int, int, int]:
    return d.year, d.month, d.day


LETTERS = {
    "past.txt": letter("701/BTC-NSNN", ymd(PAST - dt.timedelta(days=20)), "BỘ TÀI CHÍNH", ["Bộ Y tế"],
                       f"Bộ Tài chính đề nghị Bộ Y tế báo cáo số liệu quyết toán trước ngày {vn(PAST)}.",
                       "báo cáo số liệu quyết toán"),
    "week.txt": letter("702/BTC-HCSN", ymd(MONDAY - dt.timedelta(days=14)), "BỘ TÀI CHÍNH", ["Bộ Xây dựng"],
                       f"Bộ Tài chính đề nghị Bộ Xây dựng gửi ý kiến chậm nhất ngày {vn(THIS_WEEK)}.",
                       "góp ý dự thảo Thông tư"),
    "ahead.txt": letter("703/BTC-TCCB", ymd(MONDAY - dt.timedelta(days=3)), "BỘ TÀI CHÍNH", ["Bộ Nội vụ"],
                        f"Bộ Tài chính đề nghị Bộ Nội vụ cho ý kiến, gửi về Bộ Tài chính trước ngày {vn(AHEAD)}.",
                        "ý kiến về phương án sắp xếp tổ chức"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("due-letters")
    for name, text in LETTERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp("due-archive")
    arc = Archive(root)
    report = arc.ingest([folder], workers=1)
    arc.close()
    assert not report.failed, report.failed
    proc, port = start_serve(root)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_due_dates_page_groups_by_week_overdue_in_red_and_downloads_the_calendar(server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(server + "/")
    page.click("nav >> text=Việc đến hạn")
    page.wait_for_url("**/viec-den-han")
    weeks = page.locator("section.deadline-week")
    mondays = [weeks.nth(i).get_attribute("data-monday") for i in range(weeks.count())]
    past_monday = PAST - dt.timedelta(days=PAST.weekday())
    # this week first, then the weeks ahead, then the weeks gone by
    assert mondays == [MONDAY.isoformat(), (AHEAD - dt.timedelta(days=AHEAD.weekday())).isoformat(),
                       past_monday.isoformat()]
    assert weeks.nth(0).locator("h2").inner_text().lower().startswith("tuần này")
    overdue = page.locator("li.deadline.overdue")
    assert overdue.count() == 1
    assert overdue.first.get_attribute("data-date") == PAST.isoformat()
    assert "quá hạn" in overdue.first.inner_text()
    red = overdue.first.evaluate("e => getComputedStyle(e).color")
    other = page.locator("li.deadline:not(.overdue)").first.evaluate("e => getComputedStyle(e).color")
    assert red == "rgb(163, 22, 26)" and other != red
    # the filter "open only, overdue only" keeps the one
    page.check("input[name=qua_han]")
    page.click("button:has-text('Lọc')")
    page.wait_for_url("**qua_han=1**")
    assert page.locator("li.deadline").count() == 1
    # the calendar of what is shown
    with page.expect_download() as info:
        page.click("text=Tải lịch (.ics)")
    saved = tmp_path / "lich.ics"
    info.value.save_as(saved)
    events = list(Calendar.from_ical(saved.read_bytes()).walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [PAST]
    assert "701/BTC-NSNN" in str(events[0]["summary"])
    assert str(events[0]["url"]).startswith(server + "/van-ban/")
    # the letter's page says it waits for an answer
    page.goto(server + "/viec-den-han")
    page.click("li.deadline.overdue a:has-text('701/BTC-NSNN')")
    assert "Chưa có văn bản trả lời" in page.locator("#answers").inner_text()
    context.close()
