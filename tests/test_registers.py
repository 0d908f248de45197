"""The sổ đăng ký văn bản đến / đi (Nghị định 30/2020, Phụ lục IV): the office rule with its
decoys, one row per letter, numbered in the order of arrival, XLSX and CSV read back."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from index.office import IN_COLUMNS, OUT_COLUMNS, Office, OfficeError
from search_cli import cli
from tests.office_letters import COPY_OF, MAIL, OFFICE, build

YEAR = 2025


@pytest.fixture(scope="module")
def office_archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    order = build(root / "archive", root / "mail")
    return root / "archive", order


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def expected(direction: str) -> list[str]:
    """Codes of YEAR's letters of one register, in their order: arrival for `in`, date for `out`."""
    chosen = [m for m in MAIL if m.date[0] == YEAR and m.own == (direction == "out")]
    if direction == "out":
        chosen.sort(key=lambda m: m.date)
    return [m.code for m in chosen]


# -- the rule: which letters are the office's own -------------------------------------------
RULE = [
    # office name, codes, issuer, parent, code of the letter, the letter's place, own?
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None, "UBND", "Nghệ An", True),
    ("Ủy ban nhân dân tỉnh Nghệ An", [], "UBND TỈNH NGHỆ AN", None, None, None, True),
    ("Ủy ban nhân dân tỉnh Nghệ An", [], "Uy ban nhan dan tinh Nghe An", None, None, None, True),
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], None, None, "UBND", "Nghệ An", True),
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], "ỦY BAN NHÂN DÂN TỈNH THANH HÓA", None, "UBND", "Thanh Hóa", False),
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], "ỦY BAN NHÂN DÂN HUYỆN DIỄN CHÂU", None, "UBND", "Diễn Châu", False),
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], "SỞ Y TẾ", "UBND TỈNH NGHỆ AN", "SYT", "Nghệ An", False),
    ("Ủy ban nhân dân tỉnh Nghệ An", ["UBND"], "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN HỘI ĐỒNG", None, "HĐND", "Nghệ An",
     False),
    ("Ủy ban nhân dân tỉnh Hà Giang", [], "UBND TỈNH TUYÊN QUANG", None, None, None, False),  # merged in 2025
    ("Văn phòng Tỉnh ủy Nghệ An", ["VPTU"], "VĂN PHÒNG", "TỈNH ỦY NGHỆ AN", "VPTU", "Nghệ An", True),
    ("Văn phòng Tỉnh ủy Nghệ An", ["VPTU"], "VĂN PHÒNG", "TỈNH ỦY HÀ TĨNH", "VPTU", "Hà Tĩnh", False),
    ("Văn phòng Tỉnh ủy Nghệ An", ["VPTU"], "BAN TUYÊN GIÁO", "TỈNH ỦY NGHỆ AN", "BTGTU", "Nghệ An", False),
    ("Văn phòng Chính phủ", ["VPCP"], "VĂN PHÒNG CHÍNH PHỦ", None, "VPCP", "Hà Nội", True),
    ("Văn phòng Chính phủ", ["VPCP"], None, None, "VPCP", None, True),  # a central code: any place
    ("Văn phòng Chính phủ", ["VPCP"], "VĂN PHÒNG QUỐC HỘI", None, "VPQH", "Hà Nội", False),
    ("Văn phòng Chính phủ", ["VPCP"], "VĂN PHÒNG CHÍNH PHỦ CŨ", None, "VPCPX", None, False),
    ("Ban Tuyên giáo và Dân vận Trung ương", ["BTGDVTW"], "BAN TUYÊN GIÁO VÀ DÂN VẬN",
     "BAN CHẤP HÀNH TRUNG ƯƠNG", "BTGDVTW", "Hà Nội", True),
    ("Ban Tuyên giáo và Dân vận Trung ương", ["BTGDVTW"], "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
     "TỈNH ỦY NGHỆ AN", "BTGDVTU", "Nghệ An", False),
]


@pytest.mark.parametrize("name,codes,issuer,parent,code,place,own", RULE)
def test_office_rule(name, codes, issuer, parent, code, place, own):
    assert Office.make(name, codes).issued(issuer, parent, code, place) is own


@pytest.mark.parametrize("typed,code,place", [
    ("UBND:Thanh Hóa", "UBND", "Thanh Hóa"), ("ubnd Thanh Hóa", "UBND", "Thanh Hóa"),
    ("UBND@Thanh Hóa", "UBND", "Thanh Hóa"), ("UBND", "UBND", "Nghệ An"),  # the name's place
    ("VPCP", "VPCP", None), ("VPCP:Hà Nội", "VPCP", None),  # a central body: no place
])
def test_office_codes_are_read_with_their_place(typed, code, place):
    office = Office.make(OFFICE, [typed])
    assert [(c.code, c.place) for c in office.codes] == [(code, place)]


@pytest.mark.parametrize("name,codes", [("Văn phòng", ["UBND"]), ("", ["VPCP"]), ("Bộ Tài chính", ["12/BTC"])])
def test_office_settings_that_cannot_decide_are_refused(name, codes):
    with pytest.raises(OfficeError):
        Office.make(name, codes)


# -- the registers -------------------------------------------------------------------------
@pytest.mark.parametrize("direction", ["in", "out"])
def test_register_xlsx_reads_back(office_archive, tmp_path, direction):
    root, _order = office_archive
    out = tmp_path / f"{direction}.xlsx"
    code, text = run("--archive", str(root), "register", direction, "--year", str(YEAR), "--xlsx", str(out))
    assert code == 0, text
    wb = load_workbook(out)
    ws = wb.active
    title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" if direction == "in" else "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert ws["A1"].value == f"{title} – năm {YEAR}"
    assert ws["A2"].value == OFFICE
    columns = IN_COLUMNS if direction == "in" else OUT_COLUMNS
    header = [c.value for c in ws[3]]
    assert header == [c.title for c in columns]
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert all(ws.column_dimensions[chr(65 + i)].width >= 8 for i in range(len(columns)))
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    code_col = [c.title for c in columns].index("Số, ký hiệu" if direction == "in" else "Số, ký hiệu văn bản")
    assert [r[code_col] for r in rows] == expected(direction)
    date_col = 4 if direction == "in" else 1
    for r, cells in zip(rows, ws.iter_rows(min_row=4)):
        assert isinstance(r[date_col], dt.datetime)  # a real date, shown dd/mm/yyyy
        assert cells[date_col].number_format == "dd/mm/yyyy"
        assert cells[5 if direction == "in" else 2].alignment.wrap_text
    by_code = {m.code: m for m in MAIL}
    for r in rows:
        m = by_code[r[code_col]]
        assert r[date_col].date() == dt.date(*m.date)
        assert m.subject[1:] in r[5 if direction == "in" else 2]  # its first letter may be capitalised
    if direction == "in":
        assert [r[1] for r in rows] == list(range(1, len(rows) + 1))  # Số đến from 1, in arrival order
        assert all(r[0].date() == rows[0][0].date() for r in rows)  # Ngày đến: the day ingested
        copy = next(m for m in MAIL if m.name == COPY_OF)
        assert "Kho giữ 2 bản" in next(r[8] for r in rows if r[3] == copy.code)
        assert [r[2] for r in rows] == [m.issuer for m in MAIL if m.date[0] == YEAR and not m.own]
    else:
        assert {r[3] for r in rows} == {"Nguyễn Văn An (Phó trưởng ban)"}
        assert {r[4] for r in rows} == {"Các cơ quan, đơn vị"}


def test_registers_split_the_year_with_nothing_lost_or_twice(office_archive):
    """Every letter of the year is in exactly one register, whatever the office."""
    root, _ = office_archive
    from index.archive import Archive

    archive = Archive(root)
    try:
        for office in (None, Office.make("Bộ Tài chính", ["BTC"]), Office.make("Nobody", [])):
            found = [r[3 if d == "in" else 0] for d in ("in", "out")
                     for r in archive.register(d, YEAR, office=office).table.rows]
            assert sorted(found) == sorted(m.code for m in MAIL if m.date[0] == YEAR)
        btc = archive.register("out", YEAR, office=Office.make("Bộ Tài chính", ["BTC"])).table.rows
        assert [r[0] for r in btc] == ["5000/BTC-NSNN"]  # its copy folded
        assert archive.register("in", 2031).table.rows == []
    finally:
        archive.close()


def test_register_csv_reads_back_in_excel_form(office_archive, tmp_path):
    root, _ = office_archive
    out = tmp_path / "in.csv"
    code, _ = run("--archive", str(root), "register", "in", "--year", str(YEAR), "--csv", str(out))
    assert code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 with it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [c.title for c in IN_COLUMNS]
    assert [r[3] for r in rows[1:]] == expected("in")
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(1, len(rows))]
    assert all(len(r[4]) == 10 and r[4][2] == "/" for r in rows[1:])  # dd/mm/yyyy
    assert "ỦY BAN NHÂN DÂN TỈNH THANH HÓA".encode() in data  # NFC Vietnamese, as it is


def test_office_is_set_and_printed_by_the_command(tmp_path):
    root = tmp_path / "a"
    code, out = run("--archive", str(root), "config", "office")
    assert code == 0 and "Chưa đặt" in out
    code, out = run("--archive", str(root), "config", "office", "--name", "Văn phòng Tỉnh ủy Nghệ An",
                    "--code", "VPTU", "--code", "TU:Nghệ An")
    assert code == 0, out
    code, out = run("--archive", str(root), "config", "office", "--json")
    assert json.loads(out) == {"name": "Văn phòng Tỉnh ủy Nghệ An", "codes": [
        {"code": "VPTU", "place": "Nghệ An"}, {"code": "TU", "place": "Nghệ An"}]}
    code, out = run("--archive", str(root), "config", "office", "--name", "Văn phòng", "--code", "UBND")
    assert code == 1 and "địa danh" in out
    code, out = run("--archive", str(root), "config", "office")
    assert "Văn phòng Tỉnh ủy Nghệ An" in out  # a refused setting leaves the one before


def test_register_without_an_office_says_what_to_do(tmp_path):
    code, out = run("--archive", str(tmp_path / "a"), "register", "out", "--year", "2025", "--csv", "-")
    assert code == 1 and "config office" in out
    code, out = run("--archive", str(tmp_path / "a"), "register", "out", "--year", "2025")
    assert code == 2
