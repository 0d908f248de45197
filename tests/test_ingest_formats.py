"""The seed letters through their other formats (tests/data/formats, made by
scripts/make_ingest_fixtures.py) give the same header fields as through their text."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

import ingest
from nlp import parse

FORMATS = ROOT / "tests" / "data" / "formats"
SEEDS = sorted((CORPUS / "text").glob("*.txt"))
FIELDS = ("code", "issued_date", "doc_type")  # place: the text parse of 004 is wrong (nlp)


def records(path: Path) -> list[dict]:
    return [parse(d).to_dict() for d in ingest.extract(path, ocr="never")]


@pytest.mark.parametrize("kind", ["pdf", "docx", "nfd", "tcvn3", "vni"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_same_fields_as_text(kind: str, seed: Path) -> None:
    base = records(seed)
    other = records(next((FORMATS / kind).glob(seed.stem + ".*")))
    for a, b in zip(base, other):
        for f in FIELDS:
            if a[f] is not None:  # where the text's own parse finds the field
                assert b[f] == a[f], (kind, f)


@pytest.mark.parametrize("kind", ["pdf", "docx", "tcvn3", "vni"])
def test_cover_letter_and_forwarded_copy_are_two_documents(kind: str) -> None:
    docs = ingest.extract(next((FORMATS / kind).glob("002_f54cac8d25e4004e.*")), ocr="never")
    assert [d.source.part for d in docs] == [0, 1]
    assert [parse(d).code for d in docs] == ["1469-CV/BTGTU", "33-CV/TTĐN"]
    if kind != "docx":
        assert docs[0].source.pages[-1] < docs[1].source.pages[0]
    assert parse(docs[0]).recipients[-1].endswith("trực thuộc Tỉnh ủy")  # the list ends before the body


@pytest.mark.parametrize("encoding, fonts, code",
                         [("tcvn3", {".VnTime", ".VnTimeH"}, "\xad"), ("vni", {"VNI-Times"}, "ö")])
def test_legacy_fixture_text_layer_is_legacy_throughout(encoding: str, fonts: set[str], code: str) -> None:
    """The fixtures stand for real legacy PDFs: legacy font names, legacy codes (TCVN3 `ư` is
    0xAD) and no Unicode Vietnamese anywhere in the text layer, labels included."""
    import pdfplumber

    with pdfplumber.open(FORMATS / encoding / "002_f54cac8d25e4004e.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    assert {c["fontname"].split("+")[-1].split(",")[0] for c in chars} == fonts
    text = "".join(c["text"] for c in chars)
    assert code in text and not set(text) & set("ươăđƯƠĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def test_pdf_header_columns_read_left_then_right() -> None:
    text = ingest.extract(FORMATS / "pdf" / "000_a6851c37ec536b4a.pdf")[0].text
    lines = [x for x in text.split("\n") if x.strip()]
    assert lines[0] == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert lines.index("Số 1805-CV/BTGDVTW") < lines.index("ĐẢNG CỘNG SẢN VIỆT NAM")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_text_layer_is_repaired(encoding: str) -> None:
    docs = ingest.extract(FORMATS / encoding / "000_a6851c37ec536b4a.pdf")
    assert docs[0].source.repaired_encoding == encoding
    rec = parse(docs[0])
    assert (rec.code, rec.issued_date) == ("1805-CV/BTGDVTW", "2025-08-08")
    assert "Bộ Chính trị" in docs[0].text


def test_legacy_text_file_is_repaired() -> None:
    path = ROOT / "tests" / "data" / "legacy" / "004_8f334d4af6981667.vni.txt"
    doc = ingest.extract(path)[0]
    assert doc.source.repaired_encoding == "vni" and "Thông tin và Truyền thông" in doc.text


def test_docx_header_table_is_read_left_cell_first() -> None:
    doc = ingest.extract(FORMATS / "docx" / "004_8f334d4af6981667.docx")[0]
    assert doc.source.format == "docx"
    lines = [x for x in doc.text.split("\n") if x.strip()]
    assert lines.index("BỘ THÔNG TIN VÀ TRUYỀN THÔNG") < lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_text_encodings_and_markers(tmp_path: Path) -> None:
    text = "**BỘ Y TẾ**\nSố: 12/BYT-KH\nHà Nội, ngày 02 tháng 3 năm 2024\n*V/v thử*\n"
    (tmp_path / "a.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "b.txt").write_bytes(b"S\xe1\xbb\x91: 1\xff\n")  # invalid UTF-8 does not crash
    (tmp_path / "c.txt").write_text("H\u00e0 N\u1ed9i\u200b\u00a0\u00d0\u1ed3ng", encoding="utf-8")
    a = ingest.extract(tmp_path / "a.txt")[0].text
    assert "**" not in a and "BỘ Y TẾ" in a and "V/v thử" in a
    assert ingest.extract(tmp_path / "b.txt")[0].text
    assert ingest.extract(tmp_path / "c.txt")[0].text.strip() == "Hà Nội Đồng"


@pytest.mark.slow
def test_ocr_of_a_scanned_letter() -> None:
    """Image-only scan (rotated, noisy) of a two-page letter: about 10 s of OCR."""
    doc = ingest.extract(FORMATS / "scan" / "000_a6851c37ec536b4a.pdf")[0]
    assert doc.source.method == "ocr"
    rec = parse(doc)
    assert rec.code == "1805-CV/BTGDVTW" and rec.issued_date == "2025-08-08"
