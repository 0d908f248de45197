"""References in ruled tables: a list of documents gives the number, date and issuer in one cell
over several printed lines, beside other cells; read cell by cell, the reference has its date.
Decoys: a header or signing block drawn with borders is still read as a header, a framed box of
one column is no table, and borderless two-column text keeps its columns."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SHARED

import ingest
from ingest import pdf as pdf_mod
from nlp import parse

FONTS = (Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
         Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"))

HEADER = [["BỘ LAO ĐỘNG - THƯƠNG BINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
          ["VÀ XÃ HỘI", "Độc lập - Tự do - Hạnh phúc"],
          ["Số: 135/QĐ-BLĐTBXH", "Hà Nội, ngày 31 tháng 01 năm 2024"]]
# (STT, văn bản hết hiệu lực, lý do, ngày hết hiệu lực): the cited document's cell wraps
ROWS = [
    ["STT", "Văn bản hết hiệu lực", "Lý do hết hiệu lực", "Ngày hết hiệu lực"],
    ["1", "Thông tư liên tịch số 35/2015/TTLT-BLĐTBXH-BNV ngày 16/9/2015 của Bộ trưởng Bộ Lao động - "
          "Thương binh và Xã hội quy định mã số chức danh",
     "Được thay thế bởi Thông tư số 30/2022/TT-BLĐTBXH ngày 28/12/2022 của Bộ trưởng", "13/02/2023"],
    ["2", "Nghị định số 55/2016/NĐ-CP ngày 15/6/2016 của Chính phủ về việc điều chỉnh mức lương hưu",
     "Được bãi bỏ bởi Nghị định số 110/2022/NĐ-CP ngày 30/12/2022 của Chính phủ", "30/12/2022"],
]
WANT = {"35/2015/TTLT-BLĐTBXH-BNV": "2015-09-16", "30/2022/TT-BLĐTBXH": "2022-12-28",
        "55/2016/NĐ-CP": "2016-06-15", "110/2022/NĐ-CP": "2022-12-30"}


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = next((p for p in FONTS if p.is_file()), None)
    if path is None:
        pytest.skip("no Liberation Serif with Vietnamese letters")
    pdfmetrics.registerFont(TTFont("TableSerif", str(path)))
    return "TableSerif"


def _pdf(header_grid: bool = False, table_grid: bool = True, columns: int = 4) -> bytes:
    """A decision's header (a two-column table, borderless unless `header_grid`), then the list
    of documents as a table with wrapped cells (ruled unless not `table_grid`), `columns` wide."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    style = ParagraphStyle("cell", fontName=font, fontSize=11, leading=13)
    head = Table([[Paragraph(a, style), Paragraph(b, style)] for a, b in HEADER], colWidths=[200, 260])
    if header_grid:
        head.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    rows = [[Paragraph(c, style) for c in row[:columns]] for row in ROWS]
    widths = [40, 190, 160, 80][:columns] if columns > 1 else [470]
    if columns == 1:
        rows = [[Paragraph(" ".join(row), style)] for row in ROWS]
    table = Table(rows, colWidths=widths)
    if table_grid:
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(
        [head, Spacer(1, 12), Paragraph("QUYẾT ĐỊNH", ParagraphStyle("title", parent=style, alignment=1)),
         Spacer(1, 12), table])
    return buf.getvalue()


def _refs(tmp_path, data: bytes) -> tuple[object, dict[str, str | None]]:
    path = tmp_path / "table.pdf"
    path.write_bytes(data)
    rec = parse(ingest.extract(path, ocr="never")[0])
    return rec, {r.code: r.date for r in rec.references if r.code}


def test_a_reference_in_a_ruled_table_has_the_date_of_its_cell(tmp_path) -> None:
    rec, refs = _refs(tmp_path, _pdf())
    assert {code: refs.get(code) for code in WANT} == WANT


def test_each_cell_is_one_line_in_reading_order(tmp_path) -> None:
    path = tmp_path / "table.pdf"
    path.write_bytes(_pdf())
    lines = [ln.text for ln in pdf_mod.read_pages(str(path))[0].lines if ln.column == "cell"]
    assert lines[:4] == ["STT", "Văn bản hết hiệu lực", "Lý do hết hiệu lực", "Ngày hết hiệu lực"]
    assert lines[5].startswith("Thông tư liên tịch số 35/2015/TTLT-BLĐTBXH-BNV ngày 16/9/2015")
    assert lines[5].endswith("quy định mã số chức danh")


@pytest.mark.parametrize("name,kwargs", [
    ("header drawn with borders", {"header_grid": True}),
    ("borderless table", {"table_grid": False}),
    ("a framed box of one column", {"columns": 1}),
])
def test_decoys_are_not_read_as_cells(tmp_path, name, kwargs) -> None:
    path = tmp_path / "decoy.pdf"
    path.write_bytes(_pdf(**kwargs))
    page = pdf_mod.read_pages(str(path))[0]
    header_cells = [ln for ln in page.lines if ln.column == "cell" and ("Số:" in ln.text or "CỘNG HÒA" in ln.text)]
    assert not header_cells
    if name != "header drawn with borders":
        assert not any(ln.column == "cell" for ln in page.lines)
    rec = parse(ingest.extract(path, ocr="never")[0])
    assert (rec.code, rec.issued_date) == ("135/QĐ-BLĐTBXH", "2024-01-31")


QD_135 = SHARED / "eval" / "real" / "pdf" / "congbao_quyet-dinh-so-135-qd-bldtbxh-41357.pdf"


@pytest.mark.skipif(not QD_135.is_file(), reason="real gazette PDFs not present")
def test_the_gazette_appendix_turned_on_its_side_is_read_by_cell() -> None:
    """Danh mục văn bản hết hiệu lực of Quyết định 135/QĐ-BLĐTBXH: a ruled table printed turned."""
    rec = parse(ingest.extract(QD_135, ocr="never")[0])
    dates = {}
    for r in rec.references:
        if r.code and r.date:
            dates.setdefault(r.code, r.date)
    assert dates.get("35/2015/TTLT-BLĐTBXH-BNV") == "2015-09-16"
    assert dates.get("30/2022/TT-BLĐTBXH") == "2022-12-28"
    assert dates.get("42/2023/NĐ-CP") == "2023-06-29"


NQ_97 = SHARED / "eval" / "real" / "pdf" / "congbao_nghi-quyet-so-97-nq-cp-469324.pdf"


@pytest.mark.skipif(not NQ_97.is_file(), reason="real gazette PDFs not present")
def test_a_raised_footnote_mark_in_a_cell_is_not_read_into_a_code() -> None:
    """`Nghị định số 09/2026/NĐ-` / `CP⁴` in a cell of Nghị quyết 97/NQ-CP's table: the mark is
    a row of its own and stays out of the code."""
    rec = parse(ingest.extract(NQ_97, ocr="never")[0])
    codes = {r.code for r in rec.references if r.code and r.code.startswith("09/2026/")}
    assert codes == {"09/2026/NĐ-CP"}
