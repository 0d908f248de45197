"""Header shapes that an office's intake brings (issue 16), one table per rule, each with decoys:
stamps (draft, độ khẩn, độ mật) as `marks`, umbrella lines over mass-organisation headers,
places printed in full, symbols whose letters only look like a type, consolidated texts,
OCR debris after a code and signing blocks that OCR broke."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.models import Extracted, Source
from nlp import parse
from nlp.models import Marks, Record

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def rec(text: str):
    return parse(Extracted(text=text, source=Source(path="t.txt", sha256="", format="txt")))


def letter(issuer: str, stamp_lines: str = "", number: str = "Số: 123/SNV-CCVC",
           subject: str = "V/v tuyển dụng viên chức", date: str = "Nghệ An, ngày 03 tháng 02 năm 2026",
           body: str = "Sở Nội vụ đề nghị các cơ quan thực hiện.") -> str:
    """A công văn in the form of Nghị định 30/2020 (Phụ lục I), stamps where the issue saw them."""
    return (f"{issuer}\n{stamp_lines}{number}\n{subject}\n{MOTTO}{date}\nKính gửi: Các cơ quan, đơn vị\n{body}\n")


# (header text, draft, urgency, secrecy, issuer name, parent)
STAMPS = [
    # the draft box under the issuer (ô 10 area) and its rounds
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ", "DỰ THẢO\n"), True, None, None, "SỞ NỘI VỤ", "UBND TỈNH NGHỆ AN"),
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ", "Dự thảo lần 2\n"), True, None, None, "SỞ NỘI VỤ", "UBND TỈNH NGHỆ AN"),
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ", "(Dự thảo ngày 12/5/2026)\n"), True, None, None, "SỞ NỘI VỤ",
     "UBND TỈNH NGHỆ AN"),
    # a flattened layout runs the stamp onto the issuer's line
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ DỰ THẢO"), True, None, None, "SỞ NỘI VỤ", "UBND TỈNH NGHỆ AN"),
    # urgency (độ khẩn) and secrecy (độ mật), above or under the issuer, beside it in a column
    (letter("BỘ Y TẾ", "HỎA TỐC\n"), False, "Hỏa tốc", None, "BỘ Y TẾ", None),
    (letter("HOẢ TỐC\nBỘ Y TẾ"), False, "Hỏa tốc", None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ", "HỎA TỐC HẸN GIỜ\n"), False, "Hỏa tốc", None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ", "THƯỢNG KHẨN\n"), False, "Thượng khẩn", None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ          KHẨN"), False, "Khẩn", None, "BỘ Y TẾ", None),
    (letter("ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nMẬT"), False, None, "Mật", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None),
    (letter("TỈNH ỦY NGHỆ AN", "TỐI MẬT\n", "Số 12-CV/TU", "*"), False, None, "Tối mật", "TỈNH ỦY NGHỆ AN", None),
    (letter("BỘ CÔNG AN", "TUYỆT MẬT\nHỎA TỐC\n"), False, "Hỏa tốc", "Tuyệt mật", "BỘ CÔNG AN", None),
    (letter("BỘ CÔNG AN", "T U Y Ệ T  M Ậ T\n"), False, None, "Tuyệt mật", "BỘ CÔNG AN", None),
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ MẬT"), False, None, "Mật", "SỞ NỘI VỤ", "UBND TỈNH NGHỆ AN"),
    # a stamp run onto the date line, the trích yếu or the start of the issuer's line; OCR'd with a wrong mark
    (letter("BỘ Y TẾ", date="Hà Nội, ngày 03 tháng 02 năm 2026 HỎA TỐC"), False, "Hỏa tốc", None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ", subject="V/v phòng, chống dịch bệnh THƯỢNG KHẨN"), False, "Thượng khẩn", None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ", date="Hà Nội, ngày    tháng 6 năm 2026 (Dự thảo)"), True, None, None, "BỘ Y TẾ", None),
    (letter("BỘ Y TẾ", date="Hà Nội, ngày 03 tháng 6 năm 2026 khẩn trương"), False, None, None, "BỘ Y TẾ", None),
    (letter("HỎA TỐC BỘ Y TẾ"), False, "Hỏa tốc", None, "BỘ Y TẾ", None),
    (letter("BỘ CÔNG AN", "TỐI MÂT\n"), False, None, "Tối mật", "BỘ CÔNG AN", None),
    (letter("UBND TỈNH NGHỆ AN\nSỞ NỘI VỤ", "DỰ THẢO (Lần 2)\n"), True, None, None, "SỞ NỘI VỤ", "UBND TỈNH NGHỆ AN"),
    ("BỘ Y TẾ\nSố: 12/QĐ-BYT\n" + MOTTO + "Hà Nội, ngày 03 tháng 02 năm 2026\nQUYẾT ĐỊNH\nVề danh mục\nMẬT\n"
     "Căn cứ Luật;\n", False, None, "Mật", "BỘ Y TẾ", None),  # among the title's lines
    # decoys: the words inside sentences, subjects and names are no stamp
    (letter("MẬT TRẬN TỔ QUỐC VIỆT NAM\nỦY BAN TỈNH NGHỆ AN"), False, None, None, "ỦY BAN TỈNH NGHỆ AN", None),
    (letter("BỘ TƯ PHÁP", subject="V/v góp ý DỰ THẢO"), False, None, None, "BỘ TƯ PHÁP", None),
    (letter("BỘ Y TẾ", body="Đề nghị các đơn vị khẩn trương triển khai, giữ bí mật và báo cáo dự thảo.\nMẬT"),
     False, None, None, "BỘ Y TẾ", None),
    (letter("BỘ CÔNG AN", subject="V/v bảo vệ bí mật nhà nước và dự thảo quy chế"),
     False, None, None, "BỘ CÔNG AN", None),
    (letter("BỘ CÔNG AN\nCỤC BẢO VỆ BÍ MẬT"), False, None, None, "CỤC BẢO VỆ BÍ MẬT", "BỘ CÔNG AN"),
    (letter("BỘ Y TẾ\nCỤC QUẢN LÝ KHÁM CHỮA BỆNH KHẨN CẤP"), False, None, None, "CỤC QUẢN LÝ KHÁM CHỮA BỆNH KHẨN CẤP",
     "BỘ Y TẾ"),
    ("BỘ CÔNG AN\nSố: 12/2026/TT-BCA\n" + MOTTO + "Hà Nội, ngày 03 tháng 02 năm 2026\nTHÔNG TƯ\n"
     "QUY ĐỊNH VỀ BẢO VỆ BÍ MẬT NHÀ NƯỚC\nCăn cứ Luật Bảo vệ bí mật nhà nước;\n",
     False, None, None, "BỘ CÔNG AN", None),
    ("BỘ Y TẾ\nSố: 12/CĐ-BYT\n" + MOTTO + "Hà Nội, ngày 03 tháng 02 năm 2026\nCÔNG ĐIỆN\n"
     "Về việc khẩn trương phòng, chống dịch\nBỘ TRƯỞNG BỘ Y TẾ điện:\n- Sở Y tế các tỉnh\n",
     False, None, None, "BỘ Y TẾ", None),
]


# A web copy flattens the header: the stamp runs on between the fields of one line.
WEB_HEADER = "BỘ Y TẾ -------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
FLATTENED_STAMPS = [
    (WEB_HEADER + "Số: 123/BYT-KCB V/v phòng chống dịch HỎA TỐC Hà Nội, ngày 03 tháng 02 năm 2026\nKính gửi: Sở Y tế\n",
     Marks(urgency="Hỏa tốc"), "Hà Nội", "phòng chống dịch"),
    (WEB_HEADER + "Số: /BYT-KCB DỰ THẢO Cao Bằng, ngày    tháng 6 năm 2026\nV/v tuyển dụng\nKính gửi: Sở Y tế\n",
     Marks(draft=True), "Cao Bằng", "tuyển dụng"),
    (WEB_HEADER + "Số: 123/BYT-KCB\nMẬT Thành phố Hồ Chí Minh, ngày 03 tháng 02 năm 2026\nV/v bảo mật\nKính gửi: X\n",
     Marks(secrecy="Mật"), "Thành phố Hồ Chí Minh", "bảo mật"),
    # decoys: a place in capitals, a subject about secrets
    (WEB_HEADER + "Số: 123/BYT-KCB Hà Nội, ngày 03 tháng 02 năm 2026 KHẨN TRƯƠNG TRIỂN KHAI\nV/v dịch\nKính gửi: X\n",
     Marks(), "Hà Nội", "dịch"),
    (WEB_HEADER + "Số: 123/BYT-KCB HÀ NỘI, ngày 03 tháng 02 năm 2026\nV/v giữ BÍ MẬT\nKính gửi: X\n",
     Marks(), "HÀ NỘI", "giữ BÍ MẬT"),
]


@pytest.mark.parametrize("text,marks,place,subject", FLATTENED_STAMPS)
def test_stamp_run_onto_a_flattened_line_is_no_part_of_place_or_subject(text, marks, place, subject):
    r = rec(text)
    assert (r.marks, r.place, r.subject) == (marks, place, subject)


@pytest.mark.parametrize("text,draft,urgency,secrecy,name,parent", STAMPS)
def test_header_stamps_are_marks_and_no_part_of_the_issuer(text, draft, urgency, secrecy, name, parent):
    r = rec(text)
    assert (r.marks.draft, r.marks.urgency, r.marks.secrecy) == (draft, urgency, secrecy)
    assert (r.issuer.name, r.issuer.parent) == (name, parent)


# A draft's number is blank; what follows the symbol on its line is the next field, not the symbol.
BLANK_NUMBERS = [
    ("Số:      /SNV-CCVC Cao Bằng, ngày    tháng 6 năm 2026", "/SNV-CCVC", "Cao Bằng"),
    ("Số: /QĐ-UBND Gia Lai, ngày    tháng 6 năm 2026", "/QĐ-UBND", "Gia Lai"),
    # the text layer lost the space: a word glued onto the symbol
    ("Số: /SNV-CCVCCao Bằng, ngày    tháng 6 năm 2026", "/SNV-CCVC", "Cao Bằng"),
    ("Số: 12/QĐ-UBNDHà Nội, ngày 03 tháng 6 năm 2026", "12/QĐ-UBND", "Hà Nội"),
    ("Luật số: … /2016/QH14 DỰ THẢO 24.10.2016", "/2016/QH14", None),
    # decoys: OCR spaces inside a code still join it
    ("S ố : 38/2022/N Đ -CP", "38/2022/NĐ-CP", None),
    ("Số: 75/2006/QH 11", "75/2006/QH11", None),
    ("Số: 12/UBND- TTr", "12/UBND-TTr", None),
    ("Số: 21/CT-TTg", "21/CT-TTg", None),
    ("Số: 45-QĐi/TW", "45-QĐi/TW", None),
    ("Số: 1234/CT-HTr", "1234/CT-HTr", None),
]


@pytest.mark.parametrize("line,code,place", BLANK_NUMBERS)
def test_blank_number_does_not_swallow_the_next_field(line, code, place):
    r = rec("UBND TỈNH CAO BẰNG\nSỞ NỘI VỤ\n" + line + "\n")
    assert r.code == code
    if place:
        assert r.place == place


def test_draft_stamp_after_the_number_marks_a_draft_law():
    r = rec("QUỐC HỘI\n" + MOTTO + "Luật số: … /2016/QH14 DỰ THẢO 24.10.2016 LUẬT VỀ HỘI\nCăn cứ Hiến pháp;\n")
    assert r.marks.draft and r.doc_type == "Luật"


def test_marks_in_the_record_and_its_json():
    r = rec(letter("BỘ Y TẾ", "MẬT\nHỎA TỐC\n"))
    d = r.to_dict()
    assert d["marks"] == {"draft": False, "urgency": "Hỏa tốc", "secrecy": "Mật"}
    assert Record.from_dict(d).marks == r.marks
    del d["marks"]  # a record stored before the field existed
    assert Record.from_dict(d).marks == Marks()


# (issuer lines, name, parent): the organisation's name over its header is no issuer line
UMBRELLAS = [
    (["ĐOÀN TNCS HỒ CHÍ MINH", "BCH TỈNH ĐOÀN NGHỆ AN"], "BCH TỈNH ĐOÀN NGHỆ AN", None),
    (["ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH", "BCH ĐOÀN TỈNH NGHỆ AN"], "BCH ĐOÀN TỈNH NGHỆ AN", None),
    (["ĐOÀN TNCS HỒ CHÍ MINH", "TỈNH ĐOÀN NGHỆ AN", "BAN TUYÊN GIÁO"], "BAN TUYÊN GIÁO", "TỈNH ĐOÀN NGHỆ AN"),
    (["HỘI NÔNG DÂN VIỆT NAM", "BAN CHẤP HÀNH TỈNH NGHỆ AN"], "BAN CHẤP HÀNH TỈNH NGHỆ AN", None),
    (["MẶT TRẬN TỔ QUỐC VIỆT NAM", "ỦY BAN TỈNH NGHỆ AN"], "ỦY BAN TỈNH NGHỆ AN", None),
    (["CÔNG ĐOÀN VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH NGHỆ AN"], "LIÊN ĐOÀN LAO ĐỘNG TỈNH NGHỆ AN", None),
    (["HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM", "BCH HỘI LHPN TỈNH NGHỆ AN"], "BCH HỘI LHPN TỈNH NGHỆ AN", None),
    (["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ TỈNH NGHỆ AN"], "ĐẢNG BỘ TỈNH NGHỆ AN", None),
    (["ĐOÀN TNCS HỒ CHÍ MINH BCH TỈNH ĐOÀN NGHỆ AN"], "BCH TỈNH ĐOÀN NGHỆ AN", None),  # flattened onto one line
    # the right column's umbrella read after the left column's lines
    (["BCH TỈNH ĐOÀN NGHỆ AN", "ĐOÀN TNCS HỒ CHÍ MINH"], "BCH TỈNH ĐOÀN NGHỆ AN", None),
    (["HỘI NÔNG DAN VIỆT NAM", "BAN CHẤP HÀNH TỈNH NGHỆ AN"], "BAN CHẤP HÀNH TỈNH NGHỆ AN", None),  # OCR'd marks
    # the central committee alone under it: whose committee the umbrella tells
    (["HỘI NÔNG DÂN VIỆT NAM", "BAN CHẤP HÀNH TRUNG ƯƠNG"], "BAN CHẤP HÀNH TRUNG ƯƠNG HỘI NÔNG DÂN VIỆT NAM", None),
    # decoys: the organisation's name finishing a committee's, a body named after it, a wrapped name
    (["BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐOÀN TNCS HỒ CHÍ MINH"], "BAN CHẤP HÀNH TRUNG ƯƠNG ĐOÀN TNCS HỒ CHÍ MINH", None),
    (["ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM", "BAN THƯỜNG TRỰC"], "BAN THƯỜNG TRỰC",
     "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM"),
    (["HỘI NÔNG DÂN", "TỈNH NGHỆ AN"], "HỘI NÔNG DÂN TỈNH NGHỆ AN", None),
    (["TỔNG LIÊN ĐOÀN LAO ĐỘNG", "VIỆT NAM"], "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", None),
    (["CÔNG ĐOÀN VIỆT NAM"], "CÔNG ĐOÀN VIỆT NAM", None),
]


@pytest.mark.parametrize("lines,name,parent", UMBRELLAS)
def test_umbrella_line_is_neither_issuer_nor_parent(lines, name, parent):
    r = rec("\n".join(lines) + "\n***\nSố: 37-KH/TĐTN\nNghệ An, ngày 03 tháng 02 năm 2026\nV/v tổ chức hè\n")
    assert (r.issuer.name, r.issuer.parent) == (name, parent)


# (date line, place as printed, the register's province it names or None)
PLACES = [
    ("Thành phố Hồ Chí Minh, ngày 03 tháng 02 năm 2026", "Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thành phố Huế, ngày 03 tháng 02 năm 2026", "Thành phố Huế", "Huế"),
    ("TP. Hồ Chí Minh, ngày 03 tháng 02 năm 2026", "TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("Quận 1, ngày 03 tháng 02 năm 2026", "Quận 1", None),
    ("Phường 12, ngày 03 tháng 02 năm 2026", "Phường 12", None),
    ("Thị xã Sơn Tây, ngày 03 tháng 02 năm 2026", "Thị xã Sơn Tây", None),
    ("Xã Kim Đồng, ngày 03 tháng 02 năm 2026", "Xã Kim Đồng", None),
    # decoys: a place printed without its unit keeps its name alone
    ("Hà Nội, ngày 03 tháng 02 năm 2026", "Hà Nội", "Hà Nội"),
    ("Hồ Chí Minh, ngày 03 tháng 02 năm 2026", "Hồ Chí Minh", "Hồ Chí Minh"),
    ("Số: 12/UBND-VX Cần Thơ, ngày 03 tháng 02 năm 2026", "Cần Thơ", "Cần Thơ"),
]


@pytest.mark.parametrize("line,place,prov", PLACES)
def test_place_as_printed_in_full(line, place, prov):
    from nlp.places import clean_place, province

    r = rec("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 12/UBND-VX\n" + MOTTO + line + "\nV/v thử\n")
    assert (r.place, r.issued_date) == (place, "2026-02-03")
    assert province(clean_place(r.place)) == prov  # keys and seats still find the province


# (number line, subject line, title, doc_type, issuer code): a state symbol's first letters are a
# type only in `số/năm/LOẠI-CQ` or under a known body; a công văn's `số/CQ-ĐV` may spell one
TYPE_LETTERS = [
    ("Số: 0342/CT-TTHT", "V/v chính sách thuế thu nhập cá nhân", "", "Công văn", "CT"),
    ("Số: 1234/CT-HTr", "V/v hoàn thuế giá trị gia tăng", "", "Công văn", "CT"),
    ("Số: 0342/CT-TTHT", "", "", "Công văn", "CT"),  # no V/v: `CT` names the Cục Thuế
    ("Số: 15/TB-VPĐU", "V/v lịch làm việc tuần", "", "Công văn", "TB"),
    # decoys: the year form, a known body after the letters, a title printed
    ("Số: 21/CT-TTg", "", "", "Chỉ thị", "TTg"),
    ("Số: 05/CT-UBND", "V/v tăng cường quản lý thuế", "", "Chỉ thị", "UBND"),
    ("Số: 12/2020/CT-TTHT", "", "", "Chỉ thị", "TTHT"),
    ("Số: 45/KH-UBND", "V/v triển khai kế hoạch", "", "Kế hoạch", "UBND"),
    ("Số: 0342/CT-TTHT", "", "CHỈ THỊ\nVề tăng cường kỷ cương\n", "Chỉ thị", "TTHT"),
    ("Số: 12/TB-VPĐU", "", "THÔNG BÁO\nLịch làm việc tuần\n", "Thông báo", "VPĐU"),
]


@pytest.mark.parametrize("number,subject,title,doc_type,code", TYPE_LETTERS)
def test_type_letters_of_a_state_symbol(number, subject, title, doc_type, code):
    text = (f"TỔNG CỤC THUẾ\nCỤC THUẾ TP HÀ NỘI\n{number}\n{subject}\n{MOTTO}Hà Nội, ngày 03 tháng 02 năm 2020\n"
            f"{title}Kính gửi: Công ty TNHH A\n")
    r = rec(text)
    assert (r.doc_type, r.issuer.code) == (doc_type, code)


CERTIFICATION = ("\n\nBỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI\nXÁC THỰC VĂN BẢN HỢP NHẤT\nSố: 1798/VBHN-BLĐTBXH\n"
                 "Hà Nội, ngày 10 tháng 02 năm 2025\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nLê Văn Thanh\n")
DECREE_HEADER = ("CHÍNH PHỦ\nSố: 145/2020/NĐ-CP\n" + MOTTO + "Hà Nội, ngày 14 tháng 12 năm 2020\nNGHỊ ĐỊNH\n"
                 "Quy định chi tiết một số điều của Bộ luật Lao động\nCăn cứ Luật Tổ chức Chính phủ;\n"
                 "Điều 1. Phạm vi điều chỉnh\nNội dung./.")
# (text, code, doc_type, issued_date)
CONSOLIDATED = [
    # the consolidated decree's header on top: the number and date are the certification block's
    (DECREE_HEADER + CERTIFICATION, "1798/VBHN-BLĐTBXH", "Văn bản hợp nhất", "2025-02-10"),
    # the block's number printed after the certification line, or before it
    (DECREE_HEADER + CERTIFICATION.replace("XÁC THỰC VĂN BẢN HỢP NHẤT\nSố: 1798/VBHN-BLĐTBXH",
                                           "Số: 1798/VBHN-BLĐTBXH\n\nXÁC THỰC VĂN BẢN HỢP NHẤT"),
     "1798/VBHN-BLĐTBXH", "Văn bản hợp nhất", "2025-02-10"),
    # a web copy runs the block into one line
    (DECREE_HEADER + "\nBỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI Số: 1798/VBHN-BLĐTBXH XÁC THỰC VĂN BẢN HỢP NHẤT "
     "Hà Nội, ngày 10 tháng 02 năm 2025 KT. BỘ TRƯỞNG THỨ TRƯỞNG Lê Văn Thanh\n",
     "1798/VBHN-BLĐTBXH", "Văn bản hợp nhất", "2025-02-10"),
    # the consolidated text's own header already carries its number
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 1798/VBHN-BLĐTBXH\n" + MOTTO + "Hà Nội, ngày 10 tháng 02 năm 2025\n"
     "NGHỊ ĐỊNH\nQuy định chi tiết\nĐiều 1. Phạm vi\nNội dung./.\nXÁC THỰC VĂN BẢN HỢP NHẤT\nKT. BỘ TRƯỞNG\n",
     "1798/VBHN-BLĐTBXH", "Văn bản hợp nhất", "2025-02-10"),
    # decoys: a decree that cites a consolidated text, a block with no number
    (DECREE_HEADER.replace("Nội dung./.", "Theo Văn bản hợp nhất số 16/VBHN-BTC ngày 06/3/2020.\nSố: 16/VBHN-BTC"),
     "145/2020/NĐ-CP", "Nghị định", "2020-12-14"),
    (DECREE_HEADER + "\nxác thực văn bản hợp nhất theo quy định\nSố: 16/VBHN-BTC\n", "145/2020/NĐ-CP", "Nghị định",
     "2020-12-14"),
]


@pytest.mark.parametrize("text,code,doc_type,date", CONSOLIDATED)
def test_consolidated_text_numbered_in_its_certification_block(text, code, doc_type, date):
    r = rec(text)
    assert (r.code, r.doc_type, r.issued_date) == (code, doc_type, date)


END = "Đề nghị các đơn vị thực hiện./.\n"
# (signing block after the body, name, position, authority)
SIGNING = [
    # signing lines that OCR flattened onto the `Nơi nhận` list
    ("Nơi nhận: KT. BỘ TRƯỞNG\n- Như trên; THỨ TRƯỞNG\n- Lưu: VT.\nNguyễn Văn An\n",
     "Nguyễn Văn An", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    ("Nơi nhận:\n- Như trên; KT. BỘ TRƯỞNG\n- Lưu: VT. THỨ TRƯỞNG\n(Đã ký)\nNguyễn Văn An\n",
     "Nguyễn Văn An", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    ("Nơi nhận:\n- Như trên;\n- Lưu: VT, TCCB. TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Thị Hoa\n",
     "Lê Thị Hoa", "Phó chủ tịch", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
    ("Nơi nhận: GIÁM ĐỐC\n- Như trên;\n- Lưu: VT.\nTrần Văn Bình\n", "Trần Văn Bình", "Giám đốc", None),
    ("Nơi nhận: KT. BỘ TRƯỞNG\n- Như trên; THỨ TRƯỞNG\n- Lưu: VT, Vụ PC. Nguyễn Văn An\n",
     "Nguyễn Văn An", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    # decoy: an addressee named in the list is not the signer
    ("Nơi nhận: KT. BỘ TRƯỞNG\n- Như trên; THỨ TRƯỞNG\n- Đ/c Trần Văn Bình;\n- Lưu: VT.\nNguyễn Văn An\n",
     "Nguyễn Văn An", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    # a title misread by one mark
    ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỜNG\nTHỨ TRƯỜNG\n\nNguyễn Văn An\n",
     "Nguyễn Văn An", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nBỘ TRƯỜNG\n\nNguyễn Văn An\n", "Nguyễn Văn An", "Bộ trưởng", None),
    ("KT. CHÙ TỊCH\nPHÓ CHÚ TỊCH\nNguyễn Văn An\n", "Nguyễn Văn An", "Phó chủ tịch", "KT. CHỦ TỊCH"),
    ("Bộ trường\n(Đã ký)\nNguyễn Văn An\n", "Nguyễn Văn An", "Bộ trưởng", None),  # a web copy's sentence case
    # the signer's name in capitals
    ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nĐOÀN THÁI SƠN\n", "ĐOÀN THÁI SƠN", "Thứ trưởng", "KT. BỘ TRƯỞNG"),
    ("GIÁM ĐỐC\n\nNGUYỄN VĂN AN\n", "NGUYỄN VĂN AN", "Giám đốc", None),
    ("KT. THỐNG ĐỐC PHÓ THỐNG ĐỐC ĐOÀN THÁI SƠN\n", "ĐOÀN THÁI SƠN", "Phó thống đốc", "KT. THỐNG ĐỐC"),
    ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH NGUYỄN THỊ THU HƯỜNG\n", "NGUYỄN THỊ THU HƯỜNG", "Phó chủ tịch",
     "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
    # decoys: an addressee in capitals on the list, a body's line under a title, a school, a bare title
    ("Nơi nhận:\n- THƯỜNG TRỰC TỈNH ỦY;\n- Lưu: VT.\n", None, None, None),
    ("Nơi nhận:\n- Như trên; THƯỜNG TRỰC HĐND\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn An\n", "Nguyễn Văn An", "Chủ tịch",
     None),
    ("GIÁM ĐỐC\n\nSỞ Y TẾ TỈNH NGHỆ AN\n", None, None, None),
    ("TM. ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\n", None, None, None),
    ("TM. TRƯỜNG ĐẠI HỌC VINH\nHIỆU TRƯỞNG\nPhạm Văn Cường\n", "Phạm Văn Cường", "Hiệu trưởng",
     "TM. TRƯỜNG ĐẠI HỌC VINH"),
    ("TM. UY BAN NHAN DAN\nCHU TICH\nHoang Van Lam\n", "Hoang Van Lam", "Chu tich", "TM. UY BAN NHAN DAN"),
]


@pytest.mark.parametrize("block,name,position,authority", SIGNING)
def test_broken_signing_blocks_still_give_the_signer(block, name, position, authority):
    from nlp.signer import find_signer

    got = find_signer(END + block)
    assert (got.name, got.position, got.authority) == (name, position, authority)


@pytest.mark.parametrize("line,repaired", [
    ("KT. BỘ TRƯỜNG", "KT. BỘ TRƯỞNG"), ("GIÁM ĐÓC", "GIÁM ĐỐC"), ("PHÓ CHÚ TỊCH", "PHÓ CHỦ TỊCH"),
    # decoys: titles printed right, a school, a bare header, a misreading between two titles
    ("THỦ TRƯỞNG", "THỦ TRƯỞNG"), ("THỨ TRƯỞNG", "THỨ TRƯỞNG"), ("TM. TRƯỜNG ĐẠI HỌC VINH", "TM. TRƯỜNG ĐẠI HỌC VINH"),
    ("CHU TICH", "CHU TICH"), ("THỪ TRƯỞNG", "THỪ TRƯỞNG"),
])
def test_title_misread_by_one_mark(line, repaired):
    from nlp.signer import _clean

    assert _clean(line) == repaired


# (text, the code read, its date): a stray OCR letter after a code is debris, not part of it
DEBRIS = [
    ("CHÍNH PHỦ\nSố: 241/2026/NĐ-CP l Hà Nội, ngày 03 tháng 02 năm 2026\nNGHỊ ĐỊNH\nQuy định\nCăn cứ Luật;\n",
     "241/2026/NĐ-CP", "2026-02-03"),
    ("UBND TỈNH NGHỆ AN\nSố: 12/UBND-VX i\nNghệ An, ngày 03 tháng 02 năm 2026\nV/v thử\n", "12/UBND-VX", "2026-02-03"),
    ("CHÍNH PHỦ\nSố: 241/2026/NĐ-CPl Hà Nội, ngày 03 tháng 02 năm 2026\nNGHỊ ĐỊNH\nQuy định\nCăn cứ Luật;\n",
     "241/2026/NĐ-CP", "2026-02-03"),  # the rule read as a letter, glued on
    ("CHÍNH PHỦ\nSố: 241/2026/NĐ-CP' Hà Nội, ngày 03 tháng 02 năm 2026\nNGHỊ ĐỊNH\nQuy định\nCăn cứ Luật;\n",
     "241/2026/NĐ-CP", "2026-02-03"),
    ("Căn cứ Nghị định số 241/2026/NĐ-CP l ngày 03/02/2026 của Chính phủ;\n", "241/2026/NĐ-CP", "2026-02-03"),
    ("Căn cứ Nghị định số 241/2026/NĐ-CPl ngày 03/02/2026 của Chính phủ;\n", "241/2026/NĐ-CP", "2026-02-03"),
    ("Căn cứ Chỉ thị số 21/CT-TTg ngày 03/02/2026 của Thủ tướng;\n", "21/CT-TTg", "2026-02-03"),  # decoy
    # decoys: a number's own letter, a mixed-case type part, a spaced state code
    ("UBND TỈNH NGHỆ AN\nSố: 12a/UBND-VX\nNghệ An, ngày 03 tháng 02 năm 2026\nV/v thử\n", "12a/UBND-VX", "2026-02-03"),
    ("THỦ TƯỚNG CHÍNH PHỦ\nSố: 21/CT-TTg\nHà Nội, ngày 03 tháng 02 năm 2026\nCHỈ THỊ\nVề thử\n", "21/CT-TTg",
     "2026-02-03"),
    ("UBND TỈNH NGHỆ AN\nSố: 12/TTr-UBND\nNghệ An, ngày 03 tháng 02 năm 2026\nTỜ TRÌNH\nVề thử\n", "12/TTr-UBND",
     "2026-02-03"),
    ("CHÍNH PHỦ\nSố: 241/2026/NĐ - CP\nHà Nội, ngày 03 tháng 02 năm 2026\nNGHỊ ĐỊNH\nQuy định\nCăn cứ Luật;\n",
     "241/2026/NĐ-CP", "2026-02-03"),
]


@pytest.mark.parametrize("text,code,date", DEBRIS)
def test_stray_ocr_letter_after_a_code(text, code, date):
    r = rec(text)
    if text.startswith("Căn cứ"):
        assert [(x.code, x.date) for x in r.references] == [(code, date)]
    else:
        assert (r.code, r.issued_date) == (code, date)


@pytest.mark.skipif(not (Path(__file__).resolve().parents[2] / "shared/eval/real/docs.jsonl").exists(),
                    reason="shared eval data not present")
def test_real_documents_invariants():
    """Over every real published document: no secrecy or urgency stamp (a published text carries
    none), a draft only where its header prints `DỰ THẢO`, no stamp in the issuer, a place as
    printed in the text, a code with no stray letter glued to its end."""
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.realdocs import documents

    for row, doc in documents():
        r = parse(doc)
        assert (r.marks.urgency, r.marks.secrecy) == (None, None), row["id"]
        assert r.marks.draft == ("DỰ THẢO" in r.text[:1500]), row["id"]
        for name in (r.issuer.name, r.issuer.parent):
            assert not (name and re.search(r"(?:DỰ THẢO|KHẨN|HỎA TỐC|(?<!BÍ )MẬT)$", name)), row["id"]
        assert r.place is None or r.place in r.text, row["id"]
        assert not (r.code and re.search(r"[A-Z]{2}[a-z]$", r.code) and not re.search(r"(?:Tg|Tr|Đi)$", r.code)), r.code


# A web copy runs a province's line and its body's line into one (the stamp rows above meet it too).
@pytest.mark.parametrize("line,name,parent", [
    ("UBND TỈNH CAO BẰNG SỞ NỘI VỤ", "SỞ NỘI VỤ", "UBND TỈNH CAO BẰNG"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH SỞ Y TẾ", "SỞ Y TẾ", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"),
    ("TỈNH ỦY NGHỆ AN BAN TUYÊN GIÁO", "BAN TUYÊN GIÁO", "TỈNH ỦY NGHỆ AN"),
    ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU VĂN PHÒNG", "VĂN PHÒNG", "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU"),
    # decoys: one body's name, a province's name that goes on
    ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None),
    ("UBND TỈNH HÀ TĨNH", "UBND TỈNH HÀ TĨNH", None),
])
def test_province_and_body_on_one_line(line, name, parent):
    r = rec(line + "\nSố: 12/SNV-VP\nHà Nội, ngày 03 tháng 02 năm 2026\nV/v thử\n")
    assert (r.issuer.name, r.issuer.parent) == (name, parent)


def test_marks_in_parse_and_show_json(tmp_path):
    import json

    from click.testing import CliRunner

    from search_cli import cli

    letter_path = tmp_path / "mat.txt"
    letter_path.write_text(letter("BỘ CÔNG AN", "TỐI MẬT\nHỎA TỐC\n", number="Số: 77/BCA-V01"), encoding="utf-8")
    runner = CliRunner()
    parsed = json.loads(runner.invoke(cli, ["parse", str(letter_path), "--json"], catch_exceptions=False).output)
    assert parsed[0]["marks"] == {"draft": False, "urgency": "Hỏa tốc", "secrecy": "Tối mật"}
    assert parsed[0]["issuer"]["name"] == "BỘ CÔNG AN"
    arc = str(tmp_path / "arc")
    runner.invoke(cli, ["--archive", arc, "ingest", str(letter_path), "--json"], catch_exceptions=False)
    shown = json.loads(runner.invoke(cli, ["--archive", arc, "show", "77/BCA-V01", "--json"],
                                     catch_exceptions=False).output)
    assert shown["marks"] == parsed[0]["marks"]
