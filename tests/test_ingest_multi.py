"""A file holding several documents comes out as one `Extracted` per document, whatever the
layout of its headers: motto alone on its line, motto beside the issuer (a two-column header
pasted as text), no blank lines between documents; a motto quoted in a body does not split.
The letters of tests/data/multi are written from the templates of Nghị định 30/2020/NĐ-CP
(Phụ lục III) and Hướng dẫn 36-HD/VPTW, with invented bodies and names."""
from __future__ import annotations

import pytest
from conftest import ROOT

import ingest
from nlp import parse
from text.letter_parts import motto_cell

MULTI = ROOT / "tests" / "data" / "multi"

NOTICES = [
    ("12/TB-UBND", "2024-06-03", "ỦY BAN NHÂN DÂN XÃ TÂN HÒA"),
    ("35/TB-PNV", "2024-06-10", "PHÒNG NỘI VỤ"),
    ("402/TB-UBND", "2024-06-17", "ỦY BAN NHÂN DÂN TỈNH BẮC NGUYÊN"),
]

# file: (code, issued date, issuer name) of each part, in order
CASES = {
    # a district People's Committee forwards a provincial decision; issuer and motto share lines
    "ubnd_forward.txt": [("215/UBND-VP", "2024-03-04", "ỦY BAN NHÂN DÂN HUYỆN ĐỨC LẬP"),
                         ("88/QĐ-UBND", "2024-02-26", "ỦY BAN NHÂN DÂN TỈNH BẮC NGUYÊN")],
    # a district Party committee forwards a Central Committee conclusion; `ĐẢNG CỘNG SẢN VIỆT NAM` on the right
    "party_forward.txt": [("47-CV/HU", "2024-05-12", "HUYỆN ỦY ĐỨC LẬP"),
                          ("21-KL/TW", "2021-10-25", "BAN CHẤP HÀNH TRUNG ƯƠNG")],
    "three_notices.txt": NOTICES,  # the motto alone on its line
    "three_notices_inline.txt": NOTICES,  # the motto beside the issuer
    "three_notices_tight.txt": NOTICES,  # beside the issuer, and no blank line anywhere
    "three_notices_tight_caps.txt": NOTICES,  # the same with the signers' names in capitals
    # text pasted from an OCR: columns joined by one space, `S ố:`/`Sô:` for `Số:`, `V⁄v`
    "ocr_pasted.txt": [("2041/TCT-CS", "2024-05-14", "TONG CỤC THUÊ"),
                       ("318/CTBNG-TTHT", "2024-05-20", "PHÒNG TUYÊN TRUYỀN")],
    "three_notices_tabs.txt": NOTICES,  # the same with tabs between the columns (a DOCX saved as text)
    # a web copy: issuer, rule and both motto lines on one line, the signing block run into one line
    "web_flattened.txt": [("215/UBND-VP", "2024-03-04", "ỦY BAN NHÂN DÂN HUYỆN ĐỨC LẬP"),
                          ("88/QĐ-UBND", "2024-02-26", "ỦY BAN NHÂN DÂN TỈNH BẮC NGUYÊN")],
    # a Party letter forwards a Ban's Hướng dẫn whose header reads `TỈNH ỦY …` / `BAN …` / `*` /
    # `Số 12-HD/…`, then the motto and the date line (a two-column header exported column by column)
    "party_forward_number_first.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP"),
                                       ("12-HD/BTGTU", "2024-04-03", "BAN TUYÊN GIÁO")],
    # the same with the date line before the motto
    "party_forward_date_first.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP"),
                                     ("12-HD/BTGTU", "2024-04-03", "BAN TUYÊN GIÁO")],
    # the same with the signers' names in capitals under blank lines: the names stay with their letters
    "party_forward_caps_signer.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP"),
                                      ("12-HD/BTGTU", "2024-04-03", "BAN TUYÊN GIÁO")],
    # the same with the right column read first: motto and date line, then issuer, star and number
    "party_forward_motto_first.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP"),
                                      ("12-HD/BTGTU", "2024-04-03", "BAN TUYÊN GIÁO")],
    # decoy: an annex quotes the letter's `Số` line and prints a form with the motto and a blank date
    "party_appendix_number.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP")],
    # decoy: an annex quotes a whole header (issuer, number, motto, date line) inside its body
    "party_quoted_header.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP")],
    # decoy: a second page's running head (issuer, number, motto, no date line) after the signature
    "party_running_head.txt": [("52-CV/HU", "2024-04-18", "HUYỆN ỦY ĐỨC LẬP")],
    # an annex after the signature quotes the motto and names `NƯỚC CỘNG HÒA …`: one document
    "quoted_motto.txt": [("517/QĐ-UBND", "2024-07-09", "ỦY BAN NHÂN DÂN TỈNH BẮC NGUYÊN")],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_record_per_document(name: str) -> None:
    docs = ingest.extract(MULTI / name)
    assert [d.source.part for d in docs] == list(range(len(CASES[name])))
    got = [(r.code, r.issued_date, r.issuer.name if r.issuer else None) for r in map(parse, docs)]
    assert got == CASES[name]


@pytest.mark.parametrize("line, cell", [
    ("UBND TỈNH BẮC NGUYÊN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("BAN CHẤP HÀNH TRUNG ƯƠNG        ĐẢNG CỘNG SẢN VIỆT NAM", True),
    ("SỞ Y TẾ          Độc lập - Tự do - Hạnh phúc", True),
    ("BỘ TÀI CHÍNH CỘNG HOA XÃ HOI CHỦ NGHĨA VIỆT NAM", True),  # OCR joins the columns with one space
    ("QUỐC HỘI ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc -------", True),
    ("| TỔNG CỤC HẢI QUAN ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |", True),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False),
    ("- Hàng chữ “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM” và hàng", False),
    ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;", False),
    ("LUẬT CỦA QUỐC HỘI NƯỚC CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM SỐ 28/2001/QH10", False),
    ("Phụ lục 5: Báo cáo CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc", False),
])
def test_motto_cell(line: str, cell: bool) -> None:
    assert (motto_cell(line) is not None) == cell


def test_a_signers_name_in_capitals_stays_with_its_letter() -> None:
    docs = ingest.extract(MULTI / "party_forward_caps_signer.txt")
    assert [parse(d).signer.name for d in docs] == ["LÊ THỊ HẠNH", "TRẦN VĂN BÌNH"]


def test_title_run_into_the_body_ends_before_it() -> None:
    """With no blank line under the title, the trích yếu stops before the body's sentence."""
    docs = ingest.extract(MULTI / "three_notices_tight.txt")
    assert [parse(d).subject for d in docs] == [
        "Lịch tiếp công dân tháng 6 năm 2024", "Kết quả xét tuyển viên chức năm 2024",
        "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban"]


def test_signer_in_capitals_stays_with_its_document() -> None:
    """A name in capitals right above the next header is the signer's, not the next issuer's parent."""
    records = [parse(d) for d in ingest.extract(MULTI / "three_notices_tight_caps.txt")]
    assert [r.signer.name for r in records] == ["PHẠM VĂN ĐÔNG", "VŨ THỊ LAN", "ĐỖ QUANG HUY"]
    assert [r.issuer.parent for r in records] == [None, "UBND HUYỆN ĐỨC LẬP", None]
