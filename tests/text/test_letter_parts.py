"""The fixed wording of a letter (text/letter_parts.py): the motto, the `Số:` line and the signing
marks, each read in the forms OCR and web copies give, and never in the sentences that look alike.
Where a part has several forms (the splitter's, the header reader's, the PDF cell test's), the
forms agree on every canonical spelling."""
from __future__ import annotations

import json
import re
import unicodedata

import pytest
from conftest import CORPUS, SHARED
from hypothesis import given
from hypothesis import strategies as st

from nlp.header import is_number_line
from text.letter_parts import (
    DEPUTISING,
    MOTTO,
    NUMBER_LINE,
    NUMBER_OPENING,
    NUMBER_PREFIX,
    RECIPIENTS_LIST,
    SIGNED_FOR,
    SIGNING_MARK,
    SIGNING_MARK_LOOSE,
    SIGNING_OPENER,
    SIGNING_OPENER_SPACED,
    SUBJECT_AFTER_CODE,
    SUBJECT_LINE,
    SUBJECT_OPENER,
    is_motto,
    motto_cell,
    starts_with_motto,
)

REAL = SHARED / "eval" / "real" / "docs.jsonl"

# --- the motto ----------------------------------------------------------------------------------
MOTTOS = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # the old tone placement
    "CONG HOA XA HOI CHU NGHIA VIET NAM",  # typed without marks
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "DANG CONG SAN VIET NAM",
    "**ĐẢNG CỘNG SẢN VIỆT NAM**",  # Markdown bold of a web copy
    "CỘNGHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # a text layer that lost a space
]
MOTTO_SLIPS = ["CỘNG HÒA XÃ HỢI CHỦ NGHĨA VIỆT NAM", "CÔNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIẸT NAM"]
NOT_MOTTOS = [
    "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
    "ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM",
    "CỘNG HÒA PHÁP",
    "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH",
]


@pytest.mark.parametrize("line", MOTTOS + MOTTO_SLIPS)
def test_the_motto_is_read_alone_on_its_line_and_as_a_cell(line):
    assert is_motto(line) and starts_with_motto(line)
    assert motto_cell(line) == 0 or line.startswith("**")


@pytest.mark.parametrize("line", MOTTOS)
def test_the_marked_reader_finds_every_motto_the_folded_reader_finds(line):
    """The header reader's motto (spelled with its marks) and ingest's (matched folded) agree on
    every spelling of the motto but OCR's slips of one mark."""
    assert MOTTO.search(unicodedata.normalize("NFC", line))


@pytest.mark.parametrize("line", NOT_MOTTOS)
def test_a_motto_inside_a_name_or_a_sentence_is_not_a_motto(line):
    assert not is_motto(line)
    assert motto_cell(line) is None


@pytest.mark.parametrize("issuer,gap", [("UBND TỈNH BẮC NGUYÊN", "      "), ("BỘ TÀI CHÍNH", "\t"),
                                        ("SỞ NỘI VỤ", " ----- "), ("TỈNH ỦY LÂM ĐỒNG", " ")])
@pytest.mark.parametrize("motto", MOTTOS[:4])
def test_the_motto_beside_an_issuer_is_a_cell_where_it_starts(issuer, gap, motto):
    line = issuer + gap + motto
    assert motto_cell(line) == len(line) - len(motto)


# --- the number line ----------------------------------------------------------------------------
NUMBER_LINES = ["Số: 12/UBND-VP", "Số 47-CV/HU", "S ố: 38/2022/NĐ-CP", "Sô: 5/QĐ-UBND", "So: 12/BC-SNV",
                "Sổ: 101/TTr-UBND", "Số:12a/KH-UBND", "Số: 1805 - CV/BTGDVTW", "SỐ: 3/TB-VP"]
NOT_NUMBER_LINES = ["Số lượng: 12 người", "Sở Nội vụ tỉnh Bắc Nguyên", "Số 12 phố Tràng Tiền",
                    "So sánh với năm 2024", "Hồ sơ số: 12/HS", "Sau khi xem xét 12/2024", "số liệu 2024/2025"]


@pytest.mark.parametrize("line", NUMBER_LINES)
def test_a_number_line_is_read_by_the_splitter_and_the_header_alike(line):
    assert NUMBER_LINE.match(line)
    assert NUMBER_PREFIX.match(line) and is_number_line(line)


@pytest.mark.parametrize("line", ["Số: 12/UBND-VP", "SỐ: 3/TB-VP", "So: 12/BC-SNV", "Số 47-CV/HU", "số: /UBND-VP"])
def test_a_number_line_opens_a_pdf_cell(line):
    assert re.match(NUMBER_OPENING, line, re.I)


@pytest.mark.parametrize("line", NOT_NUMBER_LINES)
def test_words_that_start_like_so_are_not_a_number_line(line):
    assert not NUMBER_LINE.match(line)
    assert not re.match(NUMBER_OPENING, line, re.I)
    # the header reader takes any cell opening with the word `Số` (its code may be on the next line)
    assert is_number_line(line) == line.startswith("Số ")


@given(st.sampled_from(["Số:", "Số", "S ố:", "Sô:", "So:", "Sổ:", "SỐ:"]), st.integers(1, 99999),
       st.sampled_from(["", "a"]), st.sampled_from(["/", "-", " / ", " - "]),
       st.sampled_from(["UBND-VP", "QĐ-UBND", "CV/HU", "2024/NĐ-CP", "KH-SNV", "TB/TU"]))
def test_every_generated_number_line_is_a_number_line_for_both_readers(word, number, letter, joint, symbol):
    line = f"{word} {number}{letter}{joint}{symbol}"
    assert NUMBER_LINE.match(line), line
    assert NUMBER_PREFIX.match(line) and is_number_line(line), line


def _letters() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "text").glob("*.txt"))]
    if REAL.exists():
        texts += [json.loads(line)["text"] for line in REAL.open(encoding="utf-8")]
    return texts


def test_every_number_line_the_splitter_sees_in_real_letters_the_header_reads():
    seen = 0
    for text in _letters():
        for line in unicodedata.normalize("NFC", text).split("\n"):
            cell = line.strip().strip("*_ ")
            if NUMBER_LINE.match(cell):
                seen += 1
                assert NUMBER_PREFIX.match(cell) and is_number_line(cell), cell
    assert seen >= 4  # one per corpus letter at least


# --- the signing marks --------------------------------------------------------------------------
MARKS = ["KT.", "K/T", "TM.", "T/M", "TL.", "T/L", "TUQ."]
TITLES = ["BỘ TRƯỞNG", "ỦY BAN NHÂN DÂN", "CHÁNH VĂN PHÒNG", "GIÁM ĐỐC", "BAN THƯỜNG VỤ"]
NOT_SIGNING = ["KTXH", "TMĐT là thương mại điện tử", "TLS", "TUQUYEN", "Kính gửi: Bộ Tài chính", "TỔNG CỤC THUẾ",
               "Tiếp tục", "TM", "KT"]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("mark", MARKS)
def test_every_signing_mark_is_read_by_every_form(mark, title):
    line = f"{mark} {title}"
    assert re.match(rf"{SIGNING_MARK}\s*\S", line)
    assert re.fullmatch(SIGNING_MARK_LOOSE, mark)
    assert re.match(SIGNING_OPENER, line)
    assert re.match(SIGNING_OPENER_SPACED, line, re.I)
    # a mark is either the body signed for (thay mặt) or a deputy's, never both
    assert bool(re.fullmatch(SIGNED_FOR, mark)) != bool(re.fullmatch(DEPUTISING, mark))


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("mark", ["KT", "TL", "TUQ", "TM"])
def test_a_mark_that_lost_its_dot_is_read_only_by_the_loose_forms(mark, title):
    line = f"{mark} {title}"
    assert not re.match(SIGNING_MARK, line)
    assert re.match(rf"{SIGNING_MARK_LOOSE}\s*\S", line)
    assert re.match(SIGNING_OPENER_SPACED, line, re.I)


@pytest.mark.parametrize("line", NOT_SIGNING)
def test_words_that_start_like_a_mark_are_not_a_signing_mark(line):
    assert not re.match(SIGNING_MARK, line)
    assert not re.match(SIGNING_OPENER, line)
    assert not re.match(SIGNING_OPENER_SPACED, line, re.I)


@pytest.mark.parametrize("line,listed", [("Nơi nhận:", True), ("Noi nhan:", True), ("Nơi nhan:", True),
                                         ("Nơi nhập khẩu", False), ("Người nhận", False)])
def test_the_distribution_list_is_read_through_lost_marks(line, listed):
    assert bool(re.match(RECIPIENTS_LIST, line)) == listed


# --- the subject line ---------------------------------------------------------------------------
SUBJECTS = ["V/v báo cáo kết quả", "V/v: góp ý dự thảo", "V⁄v triển khai", "V/ v tăng cường"]
NOT_SUBJECTS = ["Vụ Pháp chế", "Văn bản số 12/UBND", "Việc làm cho người lao động", "Vĩnh Long", "Về dự"]


@pytest.mark.parametrize("line", SUBJECTS)
def test_a_subject_line_is_read_by_the_splitter_and_the_header(line):
    assert SUBJECT_LINE.match(line)
    assert SUBJECT_OPENER.match(line.replace("/ v", "/v"))  # the header reads cells with spaces closed


@pytest.mark.parametrize("line", ["Về việc công bố Danh mục", "VỀ VIỆC BAN HÀNH", "Viv báo cáo", "V.v báo cáo"])
def test_the_header_reads_the_subject_spelled_out_and_through_ocr(line):
    assert SUBJECT_OPENER.match(line)


@pytest.mark.parametrize("line", NOT_SUBJECTS)
def test_words_that_start_with_v_are_not_a_subject_line(line):
    assert not SUBJECT_LINE.match(line)
    assert not SUBJECT_OPENER.match(line)


@pytest.mark.parametrize("line,subject", [("Số: 778/TCHQ-GSQL V/v xử lý hàng hóa", "xử lý hàng hóa"),
                                          ("Số: 12/UBND-VP Về việc báo cáo", "báo cáo"),
                                          ("Số: 12/UBND-VP Vụ Pháp chế", None)])
def test_a_subject_run_on_after_the_number_starts_after_its_opener(line, subject):
    m = SUBJECT_AFTER_CODE.search(line)
    assert (line[m.end():] if m else None) == subject
