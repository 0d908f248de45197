"""A landscape table printed turned a quarter on a portrait page (a gazette's appendix): its
glyphs are not upright. They are read turned back, after the page's upright running head,
instead of being dropped (and the page sent to OCR, which reads it upside down)."""
from __future__ import annotations

import pytest

from ingest.pdf import page_lines

W, H, SIZE, ADVANCE = 595.0, 842.0, 12.0, 7.0


def _upright(text: str, x: float, top: float) -> list[dict]:
    return [{"text": ch, "x0": x + i * ADVANCE, "x1": x + (i + 1) * ADVANCE, "top": top, "bottom": top + SIZE,
             "size": SIZE, "fontname": "Times", "upright": True} for i, ch in enumerate(text)]


def _turned(lines: list[str], left: bool) -> list[dict]:
    """Glyphs as a PDF library reports them for a page turned left (lines read upwards, the
    first at the left) or right (downwards, the first at the right); each box spans the font's
    whole height along the line, as pdfium gives it."""
    out = []
    for n, text in enumerate(lines):
        x0 = 60 + n * 20 if left else W - 60 - n * 20
        for i, ch in enumerate(text):
            top = (H - 80 - (i + 1) * ADVANCE) if left else 80 + i * ADVANCE
            out.append({"text": ch, "x0": x0, "x1": x0 + 3, "top": top, "bottom": top + 14,
                        "size": SIZE, "fontname": "Times", "upright": False})
    return out


ROWS = ["DANH MỤC VĂN BẢN HẾT HIỆU LỰC", "Thông tư số 36/2017/TT-BLĐTBXH ngày 29/12/2017",
        "Nghị định số 63/2015/NĐ-CP ngày 22/7/2015 của Chính phủ"]


@pytest.mark.parametrize("left", [True, False], ids=["turned-left", "turned-right"])
def test_turned_table_page_is_read_upright_after_its_running_head(left):
    chars = _upright("CÔNG BÁO/Số 377/Ngày 04-3-2024", 200, 30) + _turned(ROWS, left)
    got = [ln.text for ln in page_lines(chars, 3, W, None, H)]
    assert got == ["CÔNG BÁO/Số 377/Ngày 04-3-2024"] + ROWS


def test_a_few_turned_glyphs_are_a_stamp_not_a_page():
    chars = _upright("Điều 1. Phạm vi điều chỉnh", 60, 100) + _turned(["Ký bởi"], True)
    assert [ln.text for ln in page_lines(chars, 1, W, None, H)] == ["Điều 1. Phạm vi điều chỉnh"]


def test_gazette_appendix_printed_turned_is_read_with_its_citations():
    from conftest import SHARED

    import ingest
    from nlp import parse

    pdf = SHARED / "eval" / "real" / "pdf" / "congbao_quyet-dinh-so-135-qd-bldtbxh-41357.pdf"
    if not pdf.is_file():
        pytest.skip("shared real PDFs not present")
    docs = ingest.extract(pdf, ocr="never")
    codes = [r.code for r in parse(docs[0]).references]
    assert len(docs) == 1 and "DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT HẾT HIỆU LỰC" in docs[0].text
    # rows of the turned table, first and last pages
    assert {"36/2017/TT-BLĐTBXH", "63/2015/NĐ-CP", "09/2020/TT-BLĐTBXH"} <= set(codes)
