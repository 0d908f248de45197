"""Header fields, one row per printed variant: numbers, dates, issuers, subjects, recipients,
signing blocks and deadlines, each with the value a user filters and links by."""
from __future__ import annotations

import pytest

from ingest.models import Extracted, Source
from nlp import parse
from nlp.deadlines import find_deadlines
from nlp.header import read_header, recipients
from nlp.signer import find_signer


def rec(text: str):
    return parse(Extracted(text=text, source=Source(path="t.txt", sha256="", format="txt")))


NUMBERS = [
    ("Số 2871 - CV/TU", "2871-CV/TU", "2871", "CV/TU", "party"),
    ("S ố: 56 /TB-UBND", "56/TB-UBND", "56", "TB-UBND", "state"),
    ("Số -CV/BTGDV", "-CV/BTGDV", None, "CV/BTGDV", "party"),
    ("Số: /BTTTT-TTĐN Hà Nội, ngày tháng năm 2023", "/BTTTT-TTĐN", None, "BTTTT-TTĐN", "state"),
    ("Số:      /QĐ-UBND", "/QĐ-UBND", None, "QĐ-UBND", "state"),
    ("S ố : 38/2022/N Đ -CP", "38/2022/NĐ-CP", "38", "2022/NĐ-CP", "state"),
    ("Luật số: 51/2024/QH15", "51/2024/QH15", "51", "2024/QH15", "state"),
    ("Số:\n75/2006/QH 11\nHà Nội, ngày 29 tháng 11 năm 2006", "75/2006/QH11", "75", "2006/QH11", "state"),
    ("Số: 01/2022/TTLT-VKSNDTC-\nTANDTC-BCA", "01/2022/TTLT-VKSNDTC-TANDTC-BCA", "01", "2022/TTLT-VKSNDTC-TANDTC-BCA",
     "state"),
]


@pytest.mark.parametrize("line,code,number,symbol,system", NUMBERS)
def test_number_line_variants(line, code, number, symbol, system):
    r = rec("BỘ TÀI CHÍNH\n" + line + "\n")
    assert (r.code, r.number, r.symbol, r.system) == (code, number, symbol, system)


def test_gazette_running_head_is_not_the_number_or_date():
    text = ("CÔNG BÁO/Số 1093 + 1094/Ngày 29-12-2020\n3\nCHÍNH PHỦ\n____\nSố: 38/2022/NĐ-CP\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 12 tháng 6 năm 2022\n"
            "NGHỊ ĐỊNH\nQuy định mức lương tối thiểu\nCăn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n")
    r = rec(text)
    assert (r.code, r.issued_date, r.place, r.doc_type) == ("38/2022/NĐ-CP", "2022-06-12", "Hà Nội", "Nghị định")
    assert r.issuer.name == "CHÍNH PHỦ" and r.subject == "Quy định mức lương tối thiểu"


DATES = [
    ("Hà Nội, ngày 08 tháng 8 năm 2025", "2025-08-08", "Hà Nội"),
    ("Hà Nội, ngày  tháng 6 năm 2026", "2026-06", "Hà Nội"),
    ("Hà Nội, ngày   tháng   năm 2023", "2023", "Hà Nội"),
    ("Hưng Yên, 05-8-2024", "2024-08-05", "Hưng Yên"),
    ("TP. Hồ Chí Minh, 05/3/2020", "2020-03-05", "TP. Hồ Chí Minh"),
]


@pytest.mark.parametrize("line,iso,place", DATES)
def test_date_line_variants(line, iso, place):
    h = read_header("UBND TỈNH X\nSố: 12/UBND-VX\n" + line + "\n")
    assert (h.issued_date, h.place) == (iso, place)


ISSUERS = [
    (["ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG"], "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", None),
    (["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN"], "BAN TUYÊN GIÁO VÀ DÂN VẬN",
     "BAN CHẤP HÀNH TRUNG ƯƠNG"),
    (["UBND TỈNH QUẢNG NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"], "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH QUẢNG NINH"),
    (["TỈNH ỦY HƯNG YÊN", "BAN TUYÊN GIÁO"], "BAN TUYÊN GIÁO", "TỈNH ỦY HƯNG YÊN"),
    (["BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"], "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None),
    (["BỘ TÀI CHÍNH", "TỔNG CỤC HẢI QUAN"], "TỔNG CỤC HẢI QUAN", "BỘ TÀI CHÍNH"),
]


@pytest.mark.parametrize("lines,name,parent", ISSUERS)
def test_issuer_join_or_parent(lines, name, parent):
    r = rec("\n".join(lines) + "\nSố: 12/SGDĐT-VP\nQuảng Ninh, ngày 1 tháng 2 năm 2024\nV/v thử\n")
    assert (r.issuer.name, r.issuer.parent) == (name, parent)


def test_issuer_from_register_when_the_header_has_none():
    r = rec("Số: /BTTTT-TTĐN Hà Nội, ngày tháng năm 2023\nV/v tổng kết\n\nKính gửi: Các bộ\n")
    assert (r.issuer.name, r.issuer.code, r.doc_type) == ("Bộ Thông tin và Truyền thông", "BTTTT", "Công văn")


def test_issuer_named_in_the_text_by_the_codes_initials():
    r = rec("Số -CV/BTGDV\nV/v tuyên truyền\n\nBan Tuyên giáo và Dân vận Đảng ủy Bộ đề nghị các đảng ủy")
    assert r.issuer.name == "Ban Tuyên giáo và Dân vận" and r.issuer.code == "BTGDV"


def test_subject_from_vv_lines_and_from_title():
    assert rec("BỘ Y TẾ\nSố: 1/BYT-KH\nV/v tăng cường\nphòng chống dịch\n\nKính gửi: Sở Y tế").subject == \
        "tăng cường phòng chống dịch"
    r = rec("UBND TỈNH SƠN LA\nSố: 1182/QĐ-UBND\nSơn La, ngày 2 tháng 3 năm 2026\nQUYẾT ĐỊNH\n"
            "Về việc phê duyệt quy hoạch\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\nCăn cứ Luật")
    assert (r.doc_type, r.subject) == ("Quyết định", "phê duyệt quy hoạch")


def test_title_word_wins_over_the_symbol_letters():
    r = rec("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 08-QĐ/TW\nHà Nội, ngày 25 tháng 10 năm 2018\n"
            "QUY ĐỊNH\nvề trách nhiệm nêu gương")
    assert r.doc_type == "Quy định"


def test_recipients_list():
    text = ("Kính gửi: - Ngành thành viên Ban Chỉ đạo,\n- Báo Hưng Yên; Đài Phát thanh tỉnh;\nTạp chí Phố Hiến,\n"
            "- Ban Thường vụ huyện ủy, đảng ủy trực thuộc\nTỉnh ủy.\nNgày 19/4/2024, Ban Tuyên giáo đã ban hành")
    assert recipients(text) == ["Ngành thành viên Ban Chỉ đạo", "Báo Hưng Yên; Đài Phát thanh tỉnh; Tạp chí Phố Hiến",
                                "Ban Thường vụ huyện ủy, đảng ủy trực thuộc Tỉnh ủy"]
    assert recipients("Kính gửi: Bộ Nông nghiệp và Môi trường,\n\nGiải thưởng") == ["Bộ Nông nghiệp và Môi trường"]
    assert recipients("Kính gửi:\n\n- Các bộ;\n- Ủy ban nhân dân các tỉnh.\n\nThực hiện") == [
        "Các bộ", "Ủy ban nhân dân các tỉnh"]


SIGNERS = [
    ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Thanh Lâm", ("Nguyễn Thanh Lâm", "Thứ trưởng", "KT. BỘ TRƯỞNG")),
    ("**K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN**\n\nLê Doãn Hoàn", ("Lê Doãn Hoàn", "Phó trưởng ban", "K/T TRƯỞNG BAN")),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n(Đã ký)\nNguyễn Văn An", ("Nguyễn Văn An", "Chủ tịch", "TM. ỦY BAN NHÂN DÂN")),
    ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nTrần Văn Bình", ("Trần Văn Bình", "Phó bí thư", "T/M BAN THƯỜNG VỤ")),
    ("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ\n\nLê Thị Hoa", ("Lê Thị Hoa", "Vụ trưởng vụ pháp chế", "TL. BỘ TRƯỞNG")),
    ("T/L GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n\nPhạm Minh", ("Phạm Minh", "Chánh văn phòng", "T/L GIÁM ĐỐC")),
    ("TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nHồ Thị Lan", ("Hồ Thị Lan", "Chánh văn phòng", "TUQ. CHỦ TỊCH")),
    ("KT. BỘ TRƯỞNG\nQ. THỨ TRƯỞNG\n\nĐỗ Văn Chiến", ("Đỗ Văn Chiến", "Q. Thứ trưởng", "KT. BỘ TRƯỞNG")),
    ("Q. CỤC TRƯỞNG\n\nVũ Văn Dũng", ("Vũ Văn Dũng", "Q. Cục trưởng", None)),
    ("BỘ TRƯỞNG\n\nNguyễn Mạnh Hùng", ("Nguyễn Mạnh Hùng", "Bộ trưởng", None)),
    ("TM. CHÍNH PHỦ THỦ TƯỚNG Nguyễn Tấn Dũng", ("Nguyễn Tấn Dũng", "Thủ tướng", "TM. CHÍNH PHỦ")),
]


@pytest.mark.parametrize("block,expected", SIGNERS)
def test_signing_blocks(block, expected):
    s = find_signer("Trân trọng./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n" + block + "\n")
    assert (s.name, s.position, s.authority) == expected


def test_appendix_form_without_name_is_not_the_signer():
    text = "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Đức Chi\nPHỤ LỤC\nGIÁM ĐỐC DOANH NGHIỆP\n(Ký, ghi rõ họ tên)\n"
    assert find_signer(text).name == "Nguyễn Đức Chi"


DEADLINES = [
    ("Báo cáo gửi về Bộ trước ngày 26/8/2023.", ["2023-08-26"]),
    ("Thời hạn nhận tác phẩm đến trước ngày 15/9/2025.", ["2025-09-15"]),
    ("gửi về trước 17h00 ngày 20/12/2024 và chậm nhất ngày 15 tháng 01 năm 2025", ["2024-12-20", "2025-01-15"]),
    ("nộp trước ngày 20/12/2024; nhắc lại: trước ngày 20/12/2024", ["2024-12-20"]),
    ("báo cáo trước ngày 20 hằng tháng", []),
    ("Quyết định có hiệu lực kể từ ngày 01/7/2025", []),
    ("Hội nghị tổ chức ngày 10/10/2025 tại Hà Nội", []),
    ("Hợp đồng đã ký trước ngày 01/7/2025 thì tiếp tục thực hiện", []),
]


@pytest.mark.parametrize("text,dates", DEADLINES)
def test_deadlines(text, dates):
    assert [d.date for d in find_deadlines(text)] == dates


def test_bad_input_gives_a_sparse_record():
    for text in ["", "\x00\x01", "Số:", "Kính gửi:", "KT.", "\n" * 100, "Số: 99999999999/" * 50]:
        r = rec(text)
        assert r.text is not None


def test_numeric_date_after_ngay_and_noisy_so():
    h = read_header("UBND TỈNH X\nSô: 12/UBND-VX\nHà Nội, ngày 08-8-2025\n")
    assert (h.code, h.issued_date, h.place) == ("12/UBND-VX", "2025-08-08", "Hà Nội")
    spaced = read_header("CHÍNH PHỦ\nSố: 233/2025 /NĐ -CP\nHà Nội, ngày 26 tháng 8 năm 202 5\n")
    assert (spaced.code, spaced.issued_date) == ("233/2025/NĐ-CP", "2025-08-26")


def test_central_committee_of_an_organisation_is_one_body():
    r = rec("BAN CHẤP HÀNH TRUNG ƯƠNG\nĐOÀN TNCS HỒ CHÍ MINH\nSố: 12-CV/TWĐTN\n"
            "Hà Nội, ngày 1 tháng 2 năm 2024\nV/v a\n")
    assert (r.issuer.name, r.issuer.parent) == ("BAN CHẤP HÀNH TRUNG ƯƠNG ĐOÀN TNCS HỒ CHÍ MINH", None)


ATTACHMENTS = [
    ("(Thông tin được đăng tải trên website, Mã QR Website và Trailer giới thiệu Giải thưởng xin gửi kèm).",
     ["Mã QR Website và Trailer giới thiệu Giải thưởng"]),
    ("(Gửi kèm Mã QR Trailer giới thiệu Giải thưởng năm 2026).", ["Mã QR Trailer giới thiệu Giải thưởng năm 2026"]),
    ("Đề nghị các đơn vị thực hiện (có Kế hoạch kèm theo).", ["Kế hoạch"]),
    ("Văn bản gửi kèm:\n\nĐề cương báo cáo đánh giá kết quả\n", ["Đề cương báo cáo đánh giá kết quả"]),
    ("Các đơn vị gửi báo cáo về Sở.", []),
]


@pytest.mark.parametrize("text,expected", ATTACHMENTS)
def test_attachments(text, expected):
    from nlp.attachments import find_attachments

    assert find_attachments(text) == expected
