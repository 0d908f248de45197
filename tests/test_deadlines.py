"""What is due and what is answered (issue 19): `Archive.deadlines`, `Archive.answers`,
`congvan deadlines` (text, `--json`, `--ics`) and `show`'s answer line.

A small archive of ministries' letters: A (Bộ Tài chính, to Bộ Y tế and Bộ Giáo dục) asks
for a report by 15/8; B from Bộ Y tế cites A after that date (A is answered); decoys that
must not answer A: a ministry A was not sent to citing it, a recipient's letter dated before
A, a cover letter forwarding it; A's re-sent copy (one letter: its obligations once). C
asks Bộ Xây dựng and nobody cites it (open). G is sent to every ministry (`Các bộ, cơ quan
ngang bộ`) and answered by a reply (`Phúc đáp Công văn số …`)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from index.archive import Archive
from search_cli import cli
from tests.deadline_letters import letter

A_CODE, C_CODE, G_CODE = "4521/BTC-NSNN", "5017/BTC-HCSN", "6120/BTC-TCCB"
A_BODY = ("Để có cơ sở tổng hợp tình hình thực hiện dự toán năm 2025, Bộ Tài chính đề nghị Bộ Y tế, "
          "Bộ Giáo dục và Đào tạo báo cáo kết quả giải ngân vốn đầu tư công, gửi về Bộ Tài chính "
          "trước ngày 15/8/2025 để tổng hợp báo cáo Chính phủ.")
LETTERS = {
    "A.txt": letter(A_CODE, (2025, 8, 1), "BỘ TÀI CHÍNH", ["Bộ Y tế", "Bộ Giáo dục và Đào tạo"], A_BODY,
                    "báo cáo tình hình giải ngân vốn đầu tư công năm 2025"),
    # a re-send of A with a storage note: the same letter
    "A-resend.txt": letter(A_CODE, (2025, 8, 1), "BỘ TÀI CHÍNH", ["Bộ Y tế", "Bộ Giáo dục và Đào tạo"],
                           A_BODY + "\n\nGhi chú văn thư: bản gửi lại, lưu hộp số 4037 ngăn Bạch Đằng.",
                           "báo cáo tình hình giải ngân vốn đầu tư công năm 2025"),
    # B: a recipient of A, after A's deadline, cites A (no `trả lời`): an answer
    "B.txt": letter("3210/BYT-KH", (2025, 8, 25), "BỘ Y TẾ", ["Bộ Tài chính"],
                    f"Thực hiện Công văn số {A_CODE} ngày 01/8/2025 của Bộ Tài chính về việc báo cáo tình hình "
                    "giải ngân vốn đầu tư công, Bộ Y tế báo cáo như sau: đến hết tháng 7, đã giải ngân 61% kế hoạch.",
                    "báo cáo giải ngân vốn đầu tư công"),
    # decoy: a ministry A was not sent to cites it, later
    "D.txt": letter("812/BCT-KH", (2025, 8, 20), "BỘ CÔNG THƯƠNG", ["Các đơn vị thuộc Bộ"],
                    f"Căn cứ Công văn số {A_CODE} ngày 01/8/2025 của Bộ Tài chính, Bộ Công Thương hướng dẫn các "
                    "đơn vị thuộc Bộ rà soát kế hoạch vốn năm 2025.",
                    "rà soát kế hoạch vốn năm 2025"),
    # decoy: a recipient of A whose letter citing it is dated before A
    "E.txt": letter("977/BGDĐT-KHTC", (2025, 7, 20), "BỘ GIÁO DỤC VÀ ĐÀO TẠO", ["Bộ Tài chính"],
                    f"Liên quan đến Công văn số {A_CODE} ngày 01/8/2025 của Bộ Tài chính, Bộ Giáo dục và Đào tạo "
                    "cung cấp số liệu giải ngân.", "số liệu giải ngân"),
    # C: asks, nobody cites it
    "C.txt": letter(C_CODE, (2025, 9, 1), "BỘ TÀI CHÍNH", ["Bộ Xây dựng"],
                    "Bộ Tài chính đề nghị Bộ Xây dựng gửi ý kiến góp ý dự thảo Thông tư về quản lý chi phí "
                    "đầu tư xây dựng chậm nhất ngày 30/9/2025.", "góp ý dự thảo Thông tư"),
    # G: to every ministry; answered by a reply from one of them
    "G.txt": letter(G_CODE, (2025, 10, 2), "BỘ TÀI CHÍNH", ["Các bộ, cơ quan ngang bộ"],
                    "Bộ Tài chính đề nghị các bộ, cơ quan ngang bộ cho ý kiến về phương án sắp xếp tổ chức, "
                    "gửi về Bộ Tài chính trước ngày 20/10/2025.", "ý kiến về phương án sắp xếp tổ chức"),
    "H.txt": letter("1455/BNV-TCBC", (2025, 10, 15), "BỘ NỘI VỤ", ["Bộ Tài chính"],
                    f"Phúc đáp Công văn số {G_CODE} ngày 02/10/2025 của Bộ Tài chính, Bộ Nội vụ thống nhất với "
                    "phương án sắp xếp tổ chức.", "ý kiến về phương án sắp xếp tổ chức"),
}
TODAY = dt.date(2025, 9, 10)


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("letters")
    for name, text in LETTERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    root = tmp_path_factory.mktemp("archive")
    arc = Archive(root)
    report = arc.ingest([folder], workers=1)
    arc.close()
    assert not report.failed, report.failed
    return root


@pytest.fixture()
def archive(archive_dir):
    arc = Archive(archive_dir)
    yield arc
    arc.close()


def by_code(items) -> dict[str, list]:
    out: dict[str, list] = {}
    for o in items:
        out.setdefault(o.document["code"], []).append(o)
    return out


def codes(docs: list[dict]) -> list[str]:
    return [d["code"] for d in docs]


def test_the_letters_read_as_intended(archive):
    """The fixture's own premises: every letter's code, date and deadline were read."""
    got = {o.document["code"]: o.date for o in archive.deadlines(today=TODAY).items}
    assert got == {A_CODE: "2025-08-15", C_CODE: "2025-09-30", G_CODE: "2025-10-20"}


def test_the_decoys_do_cite_a(archive):
    """The decoys are decoys of the rule, not of the citation graph: each of them cites A."""
    citers = set(codes(archive.cited_by(A_CODE)["documents"]))
    assert {"3210/BYT-KH", "812/BCT-KH", "977/BGDĐT-KHTC"} <= citers


def test_a_later_letter_from_a_recipient_that_cites_answers(archive):
    items = by_code(archive.deadlines(today=TODAY).items)
    assert codes(items[A_CODE][0].answered_by) == ["3210/BYT-KH"]  # not D (not a recipient), not E (earlier)
    assert items[C_CODE][0].answered_by == []
    assert codes(items[G_CODE][0].answered_by) == ["1455/BNV-TCBC"]  # a reply, from a collective recipient


def test_copies_fold_into_one_obligation_list(archive):
    """A and its re-send are two documents, one letter: its deadline is listed once."""
    ids = [r[0] for r in archive.catalog.db.execute("SELECT id FROM documents WHERE code = ?", (A_CODE,))]
    assert len(ids) == 2 and len({archive.letters().representative(i) for i in ids}) == 1
    items = archive.deadlines(today=TODAY).items
    assert [o.document["code"] for o in items].count(A_CODE) == 1


def test_every_answer_is_later_and_never_the_letter_itself(archive):
    """Invariants over every obligation: answers are dated after the letter, are not it or
    its copies, and the list is sorted by date."""
    items = archive.deadlines(today=TODAY).items
    assert [o.date for o in items] == sorted(o.date for o in items)
    for o in items:
        for a in o.answered_by:
            assert a["issued_date"] > o.document["issued_date"]
            assert a["code"] != o.document["code"]


@pytest.mark.parametrize("kwargs, expected", [
    ({}, {A_CODE, C_CODE, G_CODE}),
    ({"since": "1/9/2025"}, {C_CODE, G_CODE}),
    ({"since": "2025-09-01", "until": "30/9/2025"}, {C_CODE}),
    ({"until": "9/2025"}, {A_CODE, C_CODE}),              # a month: to its last day
    ({"since": "2025-10"}, {G_CODE}),
    ({"overdue": True}, {A_CODE}),                        # before 10/9/2025
    ({"open_only": True}, {C_CODE}),
    ({"overdue": True, "open_only": True}, set()),        # A is past its date but answered
    ({"issuer": "bo tai chinh"}, {A_CODE, C_CODE, G_CODE}),  # without diacritics
    ({"issuer": "Bộ Y tế"}, set()),
])
def test_filters(archive, kwargs, expected):
    assert {o.document["code"] for o in archive.deadlines(today=TODAY, **kwargs).items} == expected


def test_overdue_moves_with_today(archive):
    later = archive.deadlines(today=dt.date(2025, 12, 1), overdue=True).items
    assert {o.document["code"] for o in later} == {A_CODE, C_CODE, G_CODE}
    assert [o.overdue for o in later if o.document["code"] == C_CODE] == [True]  # open and past
    assert [o.overdue for o in later if o.document["code"] == A_CODE] == [False]  # answered


def test_bad_dates_are_refused(archive):
    from index.archive import QueryError
    for bad in ("32/1/2025", "15/13/2025", "hôm qua"):
        with pytest.raises(QueryError):
            archive.deadlines(since=bad)


def test_answers_of_a_letter_and_of_one_that_asks_nothing(archive):
    a = archive.get(A_CODE)
    got = archive.answers(a.id)
    assert got.asks and codes(got.answered_by) == ["3210/BYT-KH"]
    b = archive.get("3210/BYT-KH")
    assert archive.answers(b.id).to_dict() == {"asks": False, "answered_by": []}
    assert archive.answers(archive.get(C_CODE).id).to_dict() == {"asks": True, "answered_by": []}


def run(archive_dir: Path, *args: str):
    result = CliRunner().invoke(cli, ["--archive", str(archive_dir), *args])
    return result


def test_json_shape(archive_dir):
    result = run(archive_dir, "deadlines", "--json", "--today", "2025-09-10")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["deadlines"]
    ref_doc = {"id", "key", "code", "doc_type", "issued_date", "subject"}
    for d in data["deadlines"]:
        assert set(d) == {"date", "text", "document", "answered_by"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", d["date"]) and d["text"]
        assert ref_doc <= set(d["document"])
        for a in d["answered_by"]:
            assert ref_doc <= set(a)
    assert [d["date"] for d in data["deadlines"]] == ["2025-08-15", "2025-09-30", "2025-10-20"]


def test_text_groups_by_week_in_vietnamese(archive_dir):
    result = run(archive_dir, "deadlines", "--today", "2025-09-29")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Tuần 29/9/2025 – 5/10/2025 (tuần này)" in out
    assert out.index("Tuần 11/8/2025") < out.index("Tuần 29/9/2025") < out.index("Tuần 20/10/2025")
    assert "trước ngày 15/8/2025" in out and "3210/BYT-KH" in out


def test_a_bad_date_is_a_user_error(archive_dir):
    result = run(archive_dir, "deadlines", "--from", "15/13/2025")
    assert result.exit_code == 1 and "ngày không hợp lệ" in result.output


def test_show_says_whether_answered(archive_dir):
    assert "Đã có văn bản trả lời: 3210/BYT-KH" in run(archive_dir, "show", A_CODE).output
    assert "Chưa có văn bản trả lời" in run(archive_dir, "show", C_CODE).output
    out = run(archive_dir, "show", "3210/BYT-KH").output
    assert "văn bản trả lời" not in out  # asks for nothing
    data = json.loads(run(archive_dir, "show", A_CODE, "--json").output)
    assert codes(data["answered_by"]) == ["3210/BYT-KH"]


def test_ics_reads_back(archive_dir, tmp_path):
    ics = tmp_path / "han.ics"
    result = run(archive_dir, "deadlines", "--ics", str(ics), "--url-base", "http://vanthu.local:8080/")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    arc = Archive(archive_dir)
    items = arc.deadlines().items
    arc.close()
    assert len(events) == len(items) == 3
    for ev, o in zip(sorted(events, key=lambda e: e.decoded("dtstart")), items):
        assert ev.decoded("dtstart") == dt.date.fromisoformat(o.date)
        assert ev.decoded("dtend") - ev.decoded("dtstart") == dt.timedelta(days=1)
        assert o.document["code"] in str(ev["summary"]) and o.document["subject"] in str(ev["summary"])
        assert o.text in str(ev["description"])
        assert str(ev["url"]) == f"http://vanthu.local:8080/van-ban/{o.document['id']}"
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    # the same (letter, date) gives the same UID on the next export: an import updates, never doubles
    again = tmp_path / "again.ics"
    run(archive_dir, "deadlines", "--ics", str(again), "--from", "1/9/2025")
    later = {str(e["uid"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")}
    assert later and later <= set(uids)


def test_an_archive_written_before_the_table_is_migrated(archive_dir, tmp_path, monkeypatch):
    """A catalog without the deadlines table (older code) is read from its records while on
    read-only media, and gets the table filled on its first writable open: the same answer."""
    import shutil
    import sqlite3
    copy = tmp_path / "old"
    shutil.copytree(archive_dir, copy)
    db = sqlite3.connect(copy / "catalog.sqlite3")
    db.execute("DROP TABLE deadlines")
    db.execute("DELETE FROM meta WHERE name = 'deadlines.version'")
    db.commit()
    db.close()
    with monkeypatch.context() as m:
        m.setenv("CONGVAN_READ_ONLY", "1")
        ro = Archive(copy)
        try:
            assert ro.read_only
            assert {o.document["code"]: o.date for o in ro.deadlines().items} == \
                {A_CODE: "2025-08-15", C_CODE: "2025-09-30", G_CODE: "2025-10-20"}
        finally:
            ro.close()
    arc = Archive(copy)
    try:
        assert {o.document["code"] for o in arc.deadlines().items} == {A_CODE, C_CODE, G_CODE}
        assert arc.catalog.db.execute("SELECT count(*) FROM deadlines").fetchone()[0] >= 3
    finally:
        arc.close()


def test_corpus_deadlines_are_plausible(corpus_archive):
    """On the corpus: every obligation's date is a real day and the words that set it name it."""
    arc = Archive(corpus_archive)
    try:
        items = arc.deadlines().items
    finally:
        arc.close()
    assert items
    for o in items:
        day = dt.date.fromisoformat(o.date)
        assert str(day.year) in o.text
        assert o.document["issued_date"] is None or o.document["issued_date"][:10] <= o.date


def test_the_page_and_its_calendar(archive_dir):
    """`/viec-den-han` over Starlette's TestClient, today injected through `app.state.today`."""
    from starlette.testclient import TestClient

    from web import create_app
    app = create_app(archive_dir)
    app.state.today = TODAY
    with TestClient(app, base_url="http://localhost") as client:
        page = client.get("/viec-den-han")
        assert page.status_code == 200
        html = page.text
        assert 'href="/viec-den-han"' in html and "Việc đến hạn" in html
        # this week (8–14/9) holds nothing; the weeks ahead come first, then the weeks gone by
        assert html.index("2025-09-29") < html.index("2025-10-20") < html.index("2025-08-11")
        assert "quá hạn" not in html.split("<main")[1].split("Tải lịch")[1]  # A is past but answered
        assert "Đã có văn bản trả lời" in html and "3210/BYT-KH" in html
        only_open = client.get("/viec-den-han", params={"chua_tra_loi": "1"}).text
        assert C_CODE in only_open and A_CODE not in only_open and G_CODE not in only_open
        bad = client.get("/viec-den-han", params={"tu": "15/13/2025"})
        assert bad.status_code == 400 and "ngày không hợp lệ" in bad.text
        ics = client.get("/viec-den-han.ics", params={"tu": "1/9/2025"})
        assert ics.headers["content-type"].startswith("text/calendar")
        assert "attachment" in ics.headers["content-disposition"]
        events = list(Calendar.from_ical(ics.content).walk("VEVENT"))
        assert sorted(e.decoded("dtstart") for e in events) == [dt.date(2025, 9, 30), dt.date(2025, 10, 20)]
        assert all(str(e["url"]).startswith("http://localhost/van-ban/") for e in events)
        later = TestClient(create_app(archive_dir), base_url="http://localhost")
        later.app.state.today = dt.date(2025, 12, 1)
        with later:
            assert 'class="deadline overdue"' in later.get("/viec-den-han").text  # C, open and past


def test_an_unwritable_calendar_file_is_a_user_error(archive_dir, tmp_path):
    result = run(archive_dir, "deadlines", "--ics", str(tmp_path / "khong-co" / "lich.ics"))
    assert result.exit_code == 1 and "không ghi được tệp lịch" in result.output


def test_the_page_shows_the_nearest_weeks_first_and_counts_the_rest():
    """`web.deadlines.first`: what a page of many obligations keeps, in the order shown."""
    from web.deadlines import first, weeks

    class Due:
        def __init__(self, date: str):
            self.date, self.overdue = date, False

    today = dt.date(2025, 9, 10)
    days = [today + dt.timedelta(days=k) for k in range(-60, 60, 3)]
    groups = weeks([Due(d.isoformat()) for d in days], today)
    order = [o.date for w in groups for o in w.items]
    assert sorted(order) == sorted(d.isoformat() for d in days)  # nothing lost by the grouping
    assert groups[0].monday == dt.date(2025, 9, 8)
    ahead = [w.monday for w in groups if w.monday >= groups[0].monday]
    assert ahead == sorted(ahead)
    for n in (0, 1, 7, len(days), len(days) + 5):
        shown, hidden = first(groups, n)
        kept = [o.date for w in shown for o in w.items]
        assert kept == order[:n] and hidden == len(days) - len(kept)
