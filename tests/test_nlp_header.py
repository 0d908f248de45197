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
    ("So: 215/UBND-VP", "215/UBND-VP", "215", "UBND-VP", "state"),  # no marks: the colon tells
    ("Số: …/QĐ-UBND", "/QĐ-UBND", None, "QĐ-UBND", "state"),  # a draft's number dotted out
    ("Số: ….-CV/TU", "-CV/TU", None, "CV/TU", "party"),
    ("Só: 37 - KH/ĐTN", "37-KH/ĐTN", "37", "KH/ĐTN", "party"),
    ("Số : 95/ TB-MTTW-BTT", "95/TB-MTTW-BTT", "95", "TB-MTTW-BTT", "state"),
    # OCR reads `ố` as `6`; typed without marks and without the colon; an em dash for the hyphen
    ("S6: 412/UBND-VX", "412/UBND-VX", "412", "UBND-VX", "state"),
    ("So 77/UBND-VP", "77/UBND-VP", "77", "UBND-VP", "state"),
    ("Số: 123/UBND—KT", "123/UBND-KT", "123", "UBND-KT", "state"),
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
    ("Ninh Bình, ngay 05 thang 3 nam 2025", "2025-03-05", "Ninh Bình"),  # typed without marks
    ("Hà Nội, 05.3.2025", "2025-03-05", "Hà Nội"),
    # OCR's wrong tone on the a of `ngày`, `tháng`, `năm`
    ("Quảng Ninh, ngảy 12 tháng 9 năm 2025", "2025-09-12", "Quảng Ninh"),
    ("Lào Cai, ngày 03 thàng 10 nằm 2025", "2025-10-03", "Lào Cai"),
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
    # a web copy runs both lines into one: a central body's name, then another body
    (["BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN"], "TỔNG CỤC HẢI QUAN", "BỘ TÀI CHÍNH"),
    (["BỘ KẾ HOẠCH VÀ ĐẦU TƯ"], "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", None),
    (["BỘ CÔNG AN CÔNG AN TỈNH NGHỆ AN"], "CÔNG AN TỈNH NGHỆ AN", "BỘ CÔNG AN"),
    # mass organisations: the central committee of the Front is one body; a Hội's provincial committee
    (["ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM", "BAN THƯỜNG TRỰC"], "BAN THƯỜNG TRỰC",
     "ỦY BAN TRUNG ƯƠNG MẶT TRẬN TỔ QUỐC VIỆT NAM"),
    # the Hội's own name over its committee is an umbrella line, not the parent (issue 16)
    (["HỘI NÔNG DÂN VIỆT NAM", "BCH TỈNH BẮC NINH"], "BCH TỈNH BẮC NINH", None),
    (["TỔNG LIÊN ĐOÀN LAO ĐỘNG", "VIỆT NAM"], "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", None),
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
    # typed without marks; a Công điện's `… điện:` line names its addressees like `Kính gửi`
    assert recipients("Kinh gui: Cac thon tren dia ban xa.\n\nThuc hien") == ["Cac thon tren dia ban xa"]
    assert recipients("THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng các Bộ;\n- Chủ tịch UBND các tỉnh.\n\nNgày") == [
        "Bộ trưởng các Bộ", "Chủ tịch UBND các tỉnh"]
    assert recipients("Bưu điện: số 5 Lê Lai\n- Không phải người nhận.\n") == []


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
    # an authority that wraps: the lines before the first title still belong to it
    ("TL. BỘ TRƯỞNG\nKT. CHỦ TỊCH\nỦY BAN CHỨNG KHOÁN NHÀ NƯỚC\nPHÓ CHỦ TỊCH\n\nLê Thị Việt Nga",
     ("Lê Thị Việt Nga", "Phó chủ tịch", "TL. BỘ TRƯỞNG KT. CHỦ TỊCH ỦY BAN CHỨNG KHOÁN NHÀ NƯỚC")),
    ("KT. CHÁNH ÁN\nTÒA ÁN NHÂN DÂN TỐI CAO\nPHÓ CHÁNH ÁN\n\nNguyễn Trí Tuệ",
     ("Nguyễn Trí Tuệ", "Phó chánh án", "KT. CHÁNH ÁN TÒA ÁN NHÂN DÂN TỐI CAO")),
    ("TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nHồ Đức Phớc",
     ("Hồ Đức Phớc", "Phó thủ tướng", "TM. CHÍNH PHỦ KT. THỦ TƯỚNG")),
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTHƯỜNG TRỰC\n\nLê Văn Hòa",
     ("Lê Văn Hòa", "Phó chủ tịch thường trực", "KT. CHỦ TỊCH")),
    ("KT. TỔNG GIÁM ĐỐC PHÓ TỔNG GIÁM ĐỐC Phạm Lương Sơn",
     ("Phạm Lương Sơn", "Phó tổng giám đốc", "KT. TỔNG GIÁM ĐỐC")),
    # a title whose words carry Vietnamese capitals (`HỘI`), signing in the head's own name
    ("CHỦ TỊCH QUỐC HỘI\n\nTrần Thanh Mẫn", ("Trần Thanh Mẫn", "Chủ tịch quốc hội", None)),
    # a rank or degree before the name is a title, not the name
    ("BỘ TRƯỞNG\n\nĐại tướng Lương Tam Quang", ("Lương Tam Quang", "Bộ trưởng", None)),
    ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nThượng tướng Vũ Hải Sản", ("Vũ Hải Sản", "Thứ trưởng", "KT. BỘ TRƯỞNG")),
    ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nPGS.TS. Trần Văn Thuấn", ("Trần Văn Thuấn", "Phó giám đốc", "KT. GIÁM ĐỐC")),
    # a web copy: the title in sentence case, `(Đã ký)`, the name
    ("Chủ tịch Quốc hội\n\n(Đã ký)\n\nNguyễn Sinh Hùng", ("Nguyễn Sinh Hùng", "Chủ tịch quốc hội", None)),
    # `BAN THƯỜNG TRỰC` names the body that signs; the title is on the next line
    ("TM. BAN THƯỜNG TRỰC\nPHÓ CHỦ TỊCH\n\nLê Thị Hà", ("Lê Thị Hà", "Phó chủ tịch", "TM. BAN THƯỜNG TRỰC")),
    # `TL.` alone on its line, the authority and the title run on in a web copy
    ("TL.\nBỘ TRƯỞNG CHÁNH VĂN PHÒNG Nguyễn Đức Tâm", ("Nguyễn Đức Tâm", "Chánh văn phòng", "TL. BỘ TRƯỞNG")),
    # web copies that flatten the block into one line
    ("CHỦ TỊCH QUỐC HỘI Nguyễn Phú Trọng", ("Nguyễn Phú Trọng", "Chủ tịch quốc hội", None)),
    ("Epas: 180408 CHỦ TỊCH QUỐC HỘI Vương Đình Huệ", ("Vương Đình Huệ", "Chủ tịch quốc hội", None)),
    ("BỘ TRƯỞNG Phạm Thị Thanh Trà", ("Phạm Thị Thanh Trà", "Bộ trưởng", None)),
    ("- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng",
     ("Mai Tiến Dũng", "Bộ trưởng, chủ nhiệm", None)),
    ("XÁC THỰC VĂN BẢN HỢP NHẤT CHỦ NHIỆM Lê Quang Tùng [1] Luật Doanh nghiệp số 59/2020/QH14 có căn cứ",
     ("Lê Quang Tùng", "Chủ nhiệm", None)),
    ("Nguyễn Văn An (Đã ký)", ("Nguyễn Văn An", None, None)),
    # the appendix runs on after the name, on the same line
    ("TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Lê Minh Khái Phụ lục (Kèm theo Nghị định số 104/2024/NĐ-CP)",
     ("Lê Minh Khái", "Phó thủ tướng", "TM. CHÍNH PHỦ KT. THỦ TƯỚNG")),
    ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Đinh Trung Tụng KẾ HOẠCH TRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP NĂM 2015",
     ("Đinh Trung Tụng", "Thứ trưởng", "KT. BỘ TRƯỞNG")),
    ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Vũ Thị Mai Phụ lục I", ("Vũ Thị Mai", "Thứ trưởng", "KT. BỘ TRƯỞNG")),
    ("- Lưu: VT, TXNK (30b) KT. TỔNG CỤC TRƯỞNG PHÓ TỔNG CỤC TRƯỞNG Nguyễn Dương Thái QUY TRÌNH XÁC ĐỊNH",
     ("Nguyễn Dương Thái", "Phó tổng cục trưởng", "KT. TỔNG CỤC TRƯỞNG")),
    # a joint circular: one block per minister, the first one is the signer
    ("KT. BỘ TRƯỞNG BỘ CÔNG THƯƠNG THỨ TRƯỞNG Nguyễn Cẩm Tú KT. BỘ TRƯỞNG BỘ TÀI CHÍNH THỨ TRƯỞNG Đỗ Hoàng Anh Tuấn",
     ("Nguyễn Cẩm Tú", "Thứ trưởng", "KT. BỘ TRƯỞNG BỘ CÔNG THƯƠNG")),
]

# capitals followed by words that are no person's name: no signer
NOT_SIGNERS = [
    "BỘ TRƯỞNG BỘ TƯ PHÁP Căn cứ Luật Ban hành văn bản quy phạm pháp luật",
    "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Ký, ghi rõ họ tên, đóng dấu) Ghi chú: (1) Ghi cấp",
    "GIÁM ĐỐC Công ty cổ phần Minh Phát chịu trách nhiệm thi hành Quyết định này",
    "Ông Nguyễn Văn An (Đã ký) nhận bàn giao",
    "CHỦ TỊCH QUỐC HỘI Ban Hành",
]


@pytest.mark.parametrize("line", NOT_SIGNERS)
def test_capitals_without_a_name_are_no_signer(line):
    assert find_signer("Trân trọng./.\n" + line + "\n").name is None


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
    ("hạn cuối nhận bài ngày 15/9/2025", ["2025-09-15"]),
    ("Hạn cuối: ngày 05/10/2025.", ["2025-10-05"]),
    # typed without marks
    ("de nghi cac thon bao cao truoc ngay 15/9/2025.", ["2025-09-15"]),
    ("nop ho so cham nhat ngay 20/10/2025", ["2025-10-20"]),
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


# A two-column header flattened row by row (pdftotext -layout): cells are cut at the column gap
# where the left part is a whole field or the right part is the date line; gaps inside a field stay.
FLATTENED = [
    ("UBND TỈNH NAM ĐỊNH            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ Y TẾ\n"
     "Số: 09/SYT-VP             Nam Định, ngày 3 tháng 4 năm 2024\nV/v tiêm chủng\n",
     "09/SYT-VP", "Nam Định", "2024-04-03", "SỞ Y TẾ", "UBND TỈNH NAM ĐỊNH"),
    ("HUYỆN ỦY ĐÔ LƯƠNG          ĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
     "Số 09-CV/HU             Đô Lương, ngày 12 tháng 5 năm 2025\nV/v học tập nghị quyết\n",
     "09-CV/HU", "Đô Lương", "2025-05-12", "HUYỆN ỦY ĐÔ LƯƠNG", None),
    ("ỦY BAN NHÂN DÂN\nHUYỆN U MINH\nSố:      /UBND-VP      U Minh, ngày      tháng 6 năm 2026\nV/v rà soát\n",
     "/UBND-VP", "U Minh", "2026-06", "ỦY BAN NHÂN DÂN HUYỆN U MINH", None),
    # a web copy: the number, the place without its comma and the date on one line
    ("CHÍNH PHỦ -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
     "Số: 87/2025/NĐ-CP Hà Nội ngày 11 tháng 4 năm 2025\nNGHỊ ĐỊNH QUY ĐỊNH VIỆC GIẢM TIỀN THUÊ ĐẤT\n",
     "87/2025/NĐ-CP", "Hà Nội", "2025-04-11", "CHÍNH PHỦ", None),
]

# A web copy flattens the header: the subject after the number, `Kính gửi` after the date line.
WEB_COPIES = [
    ("BỘ TÀI CHÍNH --------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ----------------\n"
     "Số: 19046/BTC-TCHQ V/v hướng dẫn thực hiện Luật hải quan 2014\n"
     "Hà Nội, ngày 29 tháng 12 năm 2014 Kính gửi: Cục Hải quan các tỉnh, thành phố.\nLuật hải quan được",
     "hướng dẫn thực hiện Luật hải quan 2014", ["Cục Hải quan các tỉnh, thành phố"]),
    ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ ----------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
     "Số: 3397/BKHĐT-QLKTTW V/v hướng dẫn áp dụng Điều 162 Luật DN 2014 Hà Nội, ngày 23 tháng 5 năm 2019\n"
     "Kính gửi: Tổng công ty Khí Việt Nam\n\nPhúc đáp",
     "hướng dẫn áp dụng Điều 162 Luật DN 2014", ["Tổng công ty Khí Việt Nam"]),
]


# A Party công văn may print its trích yếu under the number with no `V/v`.
WEB_COPIES += [
    ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH        ĐẢNG CỘNG SẢN VIỆT NAM\nVĂN PHÒNG\n"
     "*                                  Vĩnh Long, ngày 21 tháng 7 năm 2025\nSố 318 - CV/VPĐU\n"
     "Sao gửi Công văn số 2045/UBND-KT\nngày 18/7/2025 của UBND tỉnh\n\nKính gửi: Các chi bộ trực thuộc.\n",
     "Sao gửi Công văn số 2045/UBND-KT ngày 18/7/2025 của UBND tỉnh", ["Các chi bộ trực thuộc"]),
    # no trích yếu at all: the addressee line is not one
    ("BỘ TÀI CHÍNH\nSố: 12/BTC-NSNN\nHà Nội, ngày 05 tháng 3 năm 2024\nKính gửi: Bộ Xây dựng.\n\nBộ Tài chính",
     None, ["Bộ Xây dựng"]),
]


@pytest.mark.parametrize("text,subject,recips", WEB_COPIES)
def test_web_copy_subject_and_recipients(text, subject, recips):
    r = rec(text)
    assert (r.subject, r.recipients) == (subject, recips)


@pytest.mark.parametrize("text,code,place,date,name,parent", FLATTENED)
def test_flattened_two_column_header(text, code, place, date, name, parent):
    r = rec(text)
    assert (r.code, r.place, r.issued_date, r.issuer.name, r.issuer.parent) == (code, place, date, name, parent)


# OCR'd headers: an illegible day or month leaves the date as precise as can be read, a full
# stop read for the comma after the place, `Viv` for `V/v`, capitals without their marks.
NOISY = [
    ("BỘ TÀI CHÍNH\nTONG CỤC THUÊ\nSố: 2862 /TCT-HTQT Hà Nội. ngày OF tháng 7 năm 2024\nViv thông báo hiệu lực\n",
     "2862/TCT-HTQT", "2024-07", "Hà Nội", "TONG CỤC THUÊ", "thông báo hiệu lực"),
    ("CHÍNH PHỦ\nSố: 115 /NQ-CP\nHà Nội, ngày @3 tháng !Ƒ năm 2026\nNGHỊ QUYẾT\nVề việc chuyển giao\n",
     "115/NQ-CP", "2026", "Hà Nội", "CHÍNH PHỦ", "chuyển giao"),
    ("BỘ TÀI CHÍNH\nSố: 216 /TCT-PC Hà Nội, ngày4#Tháng 0A năm 2025\nV/v xử phạt\n",
     "216/TCT-PC", "2025", "Hà Nội", "BỘ TÀI CHÍNH", "xử phạt"),
    # text pasted from an OCR keeps its fraction slash (U+2044) or division slash (U+2215)
    ("SỞ Y TẾ\nSố: 731/SYT-NVY\nLâm Viên, ngày 02 tháng 10 năm 2024\nV\u2044v tăng cường\nphòng chống sốt xuất huyết\n",
     "731/SYT-NVY", "2024-10-02", "Lâm Viên", "SỞ Y TẾ", "tăng cường phòng chống sốt xuất huyết"),
    ("SỞ Y TẾ\nSố: 731/SYT-NVY V\u2215v báo cáo tiến độ Lâm Viên, ngày 02 tháng 10 năm 2024\nKính gửi: Bệnh viện\n",
     "731/SYT-NVY", "2024-10-02", "Lâm Viên", "SỞ Y TẾ", "báo cáo tiến độ"),
]


@pytest.mark.parametrize("text,code,date,place,issuer,subject", NOISY)
def test_noisy_ocr_header(text, code, date, place, issuer, subject):
    r = rec(text)
    assert (r.code, r.issued_date, r.place, r.issuer.name, r.subject) == (code, date, place, issuer, subject)


def test_a_sentence_with_a_date_is_not_the_date_line():
    text = ("QUỐC HỘI\nHIẾN PHÁP\nNước Cộng hòa xã hội chủ nghĩa Việt Nam\nLỜI NÓI ĐẦU\n"
            "Từ năm 1930, Nhân dân ta tiến hành đấu tranh. Cách mạng tháng Tám thành công, ngày 02 tháng 9 năm 1945, "
            "Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập.\nĐiều 1\n"
            "Nước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước.\n"
            "Hiến pháp này đã được Quốc hội khóa XIII, kỳ họp thứ 6 thông qua ngày 28 tháng 11 năm 2013./.\n\n"
            "CHỦ TỊCH QUỐC HỘI\n\nNguyễn Sinh Hùng\n")
    r = rec(text)
    assert (r.doc_type, r.issued_date) == ("Hiến pháp", "2013-11-28")
    assert r.subject == "Nước Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert r.signer.name == "Nguyễn Sinh Hùng"


def test_enacted_date_is_the_dated_thong_qua():
    text = ("ỦY BAN THƯỜNG VỤ QUỐC HỘI\nNghị quyết số: 25/2022/UBTVQH15\nNGHỊ QUYẾT\nĐiều chỉnh Chương trình\n"
            "Căn cứ Hiến pháp;\nĐiều 3. Nghị quyết này có hiệu lực thi hành từ ngày thông qua.\n"
            "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XV thông qua ngày 17 tháng 8 năm 2022.\n")
    assert rec(text).issued_date == "2022-08-17"


def test_consolidated_text_dated_in_its_certification_block():
    text = ("VĂN BẢN HỢP NHẤT - BỘ TÀI CHÍNH\nTHÔNG TƯ\nHướng dẫn kế toán\n"
            "Thông tư số 35/2013/TT-BTC ngày 30 tháng 12 năm 2013 của Bộ trưởng Bộ Tài chính, có hiệu lực kể từ "
            "ngày 15 tháng 02 năm 2014, được sửa đổi, bổ sung bởi:\nThông tư số 12/2020/TT-BTC;\n"
            "Điều 1. Phạm vi\nNội dung./.\n\nBỘ TÀI CHÍNH\n\nSố: 08/VBHN-BTC\n\nXÁC THỰC VĂN BẢN HỢP NHẤT\n"
            "Hà Nội, ngày 17 tháng 4 năm 2026\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nCao Anh Tuấn\n")
    r = rec(text)
    assert (r.code, r.doc_type, r.issued_date, r.place) == ("08/VBHN-BTC", "Văn bản hợp nhất", "2026-04-17", "Hà Nội")


def test_consolidated_text_without_its_number_cites_no_amending_act_as_its_own():
    text = ("LUẬT\nXỬ LÝ VI PHẠM HÀNH CHÍNH\n\nLuật Xử lý vi phạm hành chính số 15/2012/QH13 ngày 20 tháng 6 năm 2012 "
            "của Quốc hội, có hiệu lực kể từ ngày 01 tháng 7 năm 2013, được sửa đổi, bổ sung bởi:\n"
            "Luật số 67/2020/QH14 ngày 13 tháng 11 năm 2020 của Quốc hội.\nCăn cứ Hiến pháp;\n")
    r = rec(text)
    assert (r.code, r.doc_type, r.issuer.name) == (None, "Văn bản hợp nhất", None)


def test_title_continues_over_a_cited_document_and_a_wrapped_year():
    text = ("HUYỆN ỦY KIẾN XƯƠNG\nSố 18-KH/HU\nKiến Xương, ngày 04 tháng 3 năm 2025\n\nKẾ HOẠCH\n"
            "triển khai thực hiện Kế hoạch số 25-KH/BTGTU của Ban Tuyên giáo Tỉnh ủy về triển khai thực hiện\n"
            "Nghị quyết số 06-NQ/TW ngày 21/1/2025 của Bộ Chính trị, Hội thi lần thứ I năm\n2025\n\nThực hiện x;\n")
    assert rec(text).subject == (
        "triển khai thực hiện Kế hoạch số 25-KH/BTGTU của Ban Tuyên giáo Tỉnh ủy về triển khai "
        "thực hiện Nghị quyết số 06-NQ/TW ngày 21/1/2025 của Bộ Chính trị, Hội thi lần thứ I năm 2025")


def test_short_letter_without_body_opener_still_has_its_signer():
    text = ("SỞ Y TẾ\nSố: 12/SYT-VP\nHà Nội, ngày 1 tháng 2 năm 2024\nV/v lịch trực\n\nSở Y tế gửi lịch trực Tết.\n\n"
            "GIÁM ĐỐC\n\nVũ Đức Việt\n")
    assert rec(text).signer.name == "Vũ Đức Việt"


def test_gazette_continuation_keeps_the_heading_type_over_an_appendix_title():
    text = ("CÔNG BÁO/Số 203 + 204/Ngày 18-02-2019\nVĂN BẢN QUY PHẠM PHÁP LUẬT\nBỘ TÀI CHÍNH\n"
            "Thông tư số 102/2018/TT-BTC ngày 14 tháng 11 năm 2018\nhướng dẫn kế toán Bảo hiểm xã hội\n"
            "(Tiếp theo Công báo số 201 + 202)\nPhụ lục số 04\nBÁO CÁO THANH TOÁN VỀ THU BHXH\n")
    r = rec(text)
    assert (r.code, r.doc_type) == ("102/2018/TT-BTC", "Thông tư")


def test_gazette_stub_signing_block_is_no_issuer_line():
    """A Công báo page whose text layer holds only the running head and the signing block: the
    block names who signs, and `TM.` names the body signed for; nothing is read as a header line."""
    stub = ("CÔNG BÁO/Số 323/Ngày 11-06-2026\n17\n\n\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nHồ Quốc Dũng\n")
    r = rec(stub)
    assert (r.issuer.name, r.code, r.issued_date) == ("CHÍNH PHỦ", None, None)
    assert (r.signer.name, r.signer.authority) == ("Hồ Quốc Dũng", "TM. CHÍNH PHỦ KT. THỦ TƯỚNG")
    r = rec("CÔNG BÁO/Số 88/Ngày 06-02-2026\n101\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Đức Chi\n")
    assert (r.issuer.name, r.signer.name) == (None, "Nguyễn Đức Chi")


def test_rule_under_the_title_ends_the_subject():
    r = rec("TỈNH ỦY NGHỆ AN\n*\nSố 120-KL/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\nNghệ An, ngày 05-8-2024\n\nKẾT LUẬN\n"
            "của Ban Thường vụ Tỉnh ủy về công tác cán bộ\n-----\nNgày 01/8/2024, Ban Thường vụ Tỉnh ủy họp")
    assert (r.doc_type, r.subject, r.issued_date) == ("Kết luận", "của Ban Thường vụ Tỉnh ủy về công tác cán bộ",
                                                     "2024-08-05")


@pytest.mark.parametrize("line,subject", [
    ("Số: 1056/QĐ-CT Tuyên Quang, ngày 16 tháng 8 năm 2010 QUYẾT ĐỊNH BAN HÀNH MỨC TRỢ GIÚP TRÊN ĐỊA BÀN "
     "TỈNH TUYÊN QUANG CHỦ TỊCH UỶ BAN NHÂN DÂN TỈNH", "BAN HÀNH MỨC TRỢ GIÚP TRÊN ĐỊA BÀN TỈNH TUYÊN QUANG"),
    ("Hà Nội, ngày 08 tháng 01 năm 2024 QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH KẾ HOẠCH NĂM 2024 BỘ TRƯỞNG BỘ TƯ PHÁP",
     "VỀ VIỆC BAN HÀNH KẾ HOẠCH NĂM 2024"),
    # the government named inside the title stays
    ("Hà Nội, ngày 18 tháng 02 năm 2025 LUẬT SỬA ĐỔI MỘT SỐ ĐIỀU CỦA LUẬT TỔ CHỨC CHÍNH PHỦ",
     "SỬA ĐỔI MỘT SỐ ĐIỀU CỦA LUẬT TỔ CHỨC CHÍNH PHỦ"),
])
def test_enacting_authority_run_into_an_inline_title_is_not_the_subject(line, subject):
    assert rec("BỘ TƯ PHÁP -------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n" + line
               + "\nCăn cứ Luật Tổ chức Chính phủ;\n").subject == subject


def test_title_subject_that_opens_with_ban_hanh():
    """`BAN HÀNH …` is the verb of a title, not a `BAN …` authority line under it."""
    r = rec("QUỐC HỘI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nLUẬT\n\n"
            "BAN HÀNH VĂN BẢN QUY PHẠM PHÁP LUẬT\n\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n")
    assert (r.doc_type, r.subject) == ("Luật", "BAN HÀNH VĂN BẢN QUY PHẠM PHÁP LUẬT")
