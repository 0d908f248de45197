"""Letters written for these tests from the templates of Nghị định 30/2020 (Phụ lục I) and
Hướng dẫn 36-HD/VPTW, for issuers the seeds do not cover (Đoàn, MTTQ, Công đoàn, a commune
after the 2025 merger, a district Party committee, a ministry's department), in the shapes
plain text takes: two columns side by side, `S ố:`, headers without diacritics, a blank day,
wrapped `V/v` lines. One row per letter, every field a user filters or links by."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.models import Extracted, Source
from nlp import parse

DATA = Path(__file__).parent / "data" / "noisy_letters"

LETTERS = [
    ("doan.txt", {
        "code": "412-CV/TĐTN-VP", "system": "party", "doc_type": "Công văn", "issued_date": "2025-03-14",
        "place": "Nghệ An", "issuer": ("BCH ĐOÀN TỈNH NGHỆ AN", None, "TĐTN"),
        "subject": "tổ chức các hoạt động kỷ niệm 94 năm Ngày thành lập Đoàn",
        "recipients": ["Ban Thường vụ các huyện, thành, thị đoàn và đoàn trực thuộc"],
        "signer": ("Nguyễn Văn Hùng", "Phó bí thư", "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN"),
        "refs": ["286-KH/TWĐTN-VP", "286-KH/TWĐTN-VP"], "deadlines": ["2025-03-31"]}),  # `Kế hoạch 286` too
    ("mttq.txt", {
        "code": "215/KH-MTTQ-BTT", "system": "state", "doc_type": "Kế hoạch", "issued_date": "2025-06",
        "place": "Thanh Hóa", "issuer": ("BAN THƯỜNG TRỰC", "UỶ BAN MTTQ VIỆT NAM TỈNH THANH HÓA", "MTTQ"),
        "subject": "Giám sát việc thực hiện chính sách bảo hiểm y tế đối với người cao tuổi năm 2025",
        "recipients": [], "signer": ("Lê Thị Hà", "Phó chủ tịch", "TM. BAN THƯỜNG TRỰC"),
        "refs": ["217-QĐ/TW", "12/CTrPH-MTTQ-UBND"], "deadlines": ["2025-11-15"]}),
    ("xa.txt", {
        "code": "37/UBND-VP", "system": "state", "doc_type": "Công văn", "issued_date": "2025-10-02",
        "place": "Tam Đảo", "issuer": ("UY BAN NHAN DAN XÃ TAM ĐẢO", None, "UBND"),
        "subject": "triển khai Công văn số 1520/UBND-NC ngày 25/9/2025 của UBND tỉnh Phú Thọ",
        "recipients": ["Công an xã", "Các thôn, tổ dân phố trên địa bàn xã"],
        "signer": ("Trần Minh Tuấn", "Phó chủ tịch", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
        "refs": ["1520/UBND-NC", "1520/UBND-NC"], "deadlines": ["2025-10-20"]}),
    ("congdoan.txt", {
        "code": "89/HD-LĐLĐ", "system": "state", "doc_type": "Hướng dẫn", "issued_date": "2025-04-07",
        "place": "Hà Tĩnh", "issuer": ("LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ TĨNH", None, "LĐLĐ"),
        "subject": "Tổ chức Tháng Công nhân năm 2025", "recipients": [],
        "signer": ("Võ Văn Bình", "Chủ tịch", "TM. BAN THƯỜNG VỤ"),
        "refs": ["15/KH-TLĐ"], "deadlines": ["2025-06-15"]}),
    ("dangbo.txt", {
        "code": "58-TB/ĐU", "system": "party", "doc_type": "Thông báo", "issued_date": "2025-08-19",
        "place": "Hải Hòa", "issuer": ("ĐẢNG ỦY XÃ HẢI HÒA", "ĐẢNG BỘ TỈNH QUẢNG NINH", "ĐU"),
        "subject": "kết luận của Ban Thường vụ Đảng ủy xã về công tác chuẩn bị Đại hội Đảng bộ xã nhiệm kỳ 2025 - 2030",
        "recipients": [], "signer": ("Phạm Thu Trang", "Phó bí thư", "T/M BAN THƯỜNG VỤ"),
        # `Chỉ thị 45` later is a short form of the first citation; `30/6 hằng năm` recurs: no deadline
        "refs": ["45-CT/TW", "12-KH/TU", "45-CT/TW"], "deadlines": []}),
    ("noisy1.txt", {
        "code": "215-CV/BTGHU", "system": "party", "doc_type": "Công văn", "issued_date": "2024-09",
        "place": "Cam Lâm", "issuer": ("BAN TUYEN GIAO", "HUYEN UY CAM LAM", "BTGHU"),
        "subject": "đẩy mạnh tuyên truyền kỷ niệm 79 năm Cách mạng tháng Tám và Quốc khánh 2/9",
        "recipients": ["Các chi, đảng bộ trực thuộc Huyện ủy", "Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện"],
        "signer": ("Đỗ Thị Mai", "Phó trưởng ban", "K/T TRƯỞNG BAN"),
        "refs": ["125-HD/BTGTU"], "deadlines": ["2024-09-10"]}),
    ("noisy2.txt", {
        "code": "1234/QLD-ĐK", "system": "state", "doc_type": "Công văn", "issued_date": "2025-02-03",
        "place": "Hà Nội", "issuer": ("CỤC QUẢN LÝ DƯỢC", "BỘ Y TẾ", "QLD"),
        "subject": "đính chính thông tin trong danh mục thuốc",
        "recipients": ["Sở Y tế các tỉnh, thành phố trực thuộc Trung ương"],
        "signer": ("Nguyễn Thành Lâm", "Phó cục trưởng", "KT. CỤC TRƯỞNG"),
        "refs": ["876/QĐ-QLD", "08/2022/TT-BYT", "876/QĐ-QLD"], "deadlines": []}),
    # a commune's plan typed without marks in its header and title, the day of the date left blank
    ("bare.txt", {
        "code": "45/KH-UBND", "system": "state", "doc_type": "Kế hoạch", "issued_date": "2025-04",
        "place": "Tân Hòa", "issuer": ("UY BAN NHAN DAN XA TAN HOA", None, "UBND"),
        "subject": "Trien khai cong tac phong, chong thien tai nam 2025", "recipients": [],
        "signer": ("Hoàng Văn Lâm", "Chu tich", "TM. UY BAN NHAN DAN"),
        "refs": ["112/KH-UBND"], "deadlines": ["2025-04-30"]}),
    # a department under a provincial committee; OCR put a wrong tone on `ngày` (`ngảy`)
    ("so_gd.txt", {
        "code": "1875/SGDĐT-GDPT", "system": "state", "doc_type": "Công văn", "issued_date": "2025-09-12",
        "place": "Quảng Ninh", "issuer": ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH QUẢNG NINH", "SGDĐT"),
        "subject": "triển khai nhiệm vụ giáo dục phổ thông năm học 2025-2026",
        "recipients": ["Phòng Văn hóa - Xã hội các xã, phường, đặc khu", "Các trường trung học phổ thông trực thuộc"],
        "signer": ("Vũ Thị Thu Hằng", "Phó giám đốc", "KT. GIÁM ĐỐC"),
        "refs": ["2156/QĐ-UBND", "4567/BGDĐT-GDPT"], "deadlines": ["2025-09-30", "2026-01-15"]}),
    # a Ban of a provincial Party committee; the title's second line opens with `thực hiện`
    ("ban_tctu.txt", {
        "code": "27-HD/BTCTU", "system": "party", "doc_type": "Hướng dẫn", "issued_date": "2025-10-03",
        "place": "Gia Lai", "issuer": ("BAN TỔ CHỨC", "TỈNH ỦY GIA LAI", "BTCTU"),
        "subject": "thực hiện quy trình nhận xét, đánh giá cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý năm 2025",
        "recipients": [], "signer": ("Rơ Châm Long", "Phó trưởng ban", "K/T TRƯỞNG BAN"),
        "refs": ["366-QĐ/TW", "21-HD/BTCTW", "366-QĐ/TW"], "deadlines": ["2025-12-15"]}),
    # a commune's department (two-level local government) submits a Tờ trình; its head signs
    # in their own name, the title printed beside `Nơi nhận:`
    ("totrinh_xa.txt", {
        "code": "15/TTr-PKT", "system": "state", "doc_type": "Tờ trình", "issued_date": "2025-07-22",
        "place": "Nam Trực", "issuer": ("PHÒNG KINH TẾ", "UBND XÃ NAM TRỰC", "PKT"),
        "subject": "đề nghị phê duyệt danh mục công trình sửa chữa giao thông nông thôn năm 2025",
        "recipients": ["Ủy ban nhân dân xã Nam Trực"], "signer": ("Trần Quốc Khánh", "Trưởng phòng", None),
        "refs": ["08/NQ-HĐND", "21/KH-UBND"], "deadlines": ["2025-07-31"]}),
    # an invitation: the meeting's date is an event, the report asked before it a deadline
    ("giaymoi.txt", {
        "code": "112/GM-UBND", "system": "state", "doc_type": "Giấy mời", "issued_date": "2025-11-05",
        "place": "Hạc Thành", "issuer": ("ỦY BAN NHÂN DÂN PHƯỜNG HẠC THÀNH", None, "UBND"),
        "subject": "Dự hội nghị sơ kết công tác chuyển đổi số 9 tháng năm 2025", "recipients": [],
        "signer": ("Lê Thị Thanh Hà", "Phó chủ tịch", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
        "refs": ["45/KH-UBND"], "deadlines": ["2025-11-08"]}),
    ("tbkl.txt", {
        "code": "1052-TB/TU", "system": "party", "doc_type": "Thông báo", "issued_date": "2025-10-28",
        "place": "Thanh Hóa", "issuer": ("TỈNH ỦY THANH HÓA", None, "TU"),
        "subject": "KẾT LUẬN của Thường trực Tỉnh ủy tại buổi làm việc với Ban Thường vụ Đảng ủy phường Hạc Thành",
        "recipients": [], "signer": ("Nguyễn Văn Hải", "Phó chánh văn phòng", "T/L BAN THƯỜNG VỤ"),
        "refs": ["57-NQ/TW", "123-KL/TW"], "deadlines": ["2025-11-30"]}),
    # a village Party cell under a commune committee; sums and phone numbers are no citations
    ("chibo.txt", {
        "code": "05-BC/CB", "system": "party", "doc_type": "Báo cáo", "issued_date": "2025-12-02",
        "place": "Yên Thủy", "issuer": ("CHI BỘ THÔN ĐÔNG", "ĐẢNG BỘ XÃ YÊN THỦY", "CB"),
        "subject": "kết quả thực hiện nhiệm vụ năm 2025, phương hướng nhiệm vụ năm 2026", "recipients": [],
        "signer": ("Bùi Văn Thắng", "Bí thư", "T/M CHI BỘ"),
        "refs": ["08-HD/ĐU", "08-HD/ĐU"], "deadlines": []}),
    # `V/v` alone on its line, the day of the date left blank, a weekly report is no deadline
    ("vv_split.txt", {
        "code": "2310/SYT-NVY", "system": "state", "doc_type": "Công văn", "issued_date": "2025-10",
        "place": "Phú Thọ", "issuer": ("SỞ Y TẾ", "UBND TỈNH PHÚ THỌ", "SYT"),
        "subject": "tăng cường phòng, chống dịch sốt xuất huyết trên địa bàn tỉnh",
        "recipients": ["Trung tâm Y tế các khu vực"], "signer": ("Đinh Công Sứ", "Phó giám đốc", "KT. GIÁM ĐỐC"),
        "refs": ["14/CĐ-BYT"], "deadlines": []}),
    # a commune's decision: a law cited by name and date (no code), `Điều 1`, `Quyết định này`
    ("qd_xa.txt", {
        "code": "208/QĐ-UBND", "system": "state", "doc_type": "Quyết định", "issued_date": "2025-08-14",
        "place": "Đồng Tiến", "issuer": ("ỦY BAN NHÂN DÂN XÃ ĐỒNG TIẾN", None, "UBND"),
        "subject": "thành lập Ban Chỉ đạo chuyển đổi số xã Đồng Tiến", "recipients": [],
        "signer": ("Hoàng Minh Đức", "Chủ tịch", None), "refs": [None, "1131/QĐ-UBND"], "deadlines": []}),
    # OCR: `UÝ`, a spaced number, `Vlv` for `V/v`
    ("ocr_header.txt", {
        "code": "3412/UBND-VX", "system": "state", "doc_type": "Công văn", "issued_date": "2025-10-21",
        "place": "Lào Cai", "issuer": ("UÝ BAN NHÂN DÂN TỈNH LÀO CAI", None, "UBND"),
        "subject": "tổ chức các hoạt động hưởng ứng Ngày Pháp luật Việt Nam năm 2025",
        "recipients": ["Các sở, ban, ngành thuộc tỉnh"],
        "signer": ("Nguyễn Thành Sinh", "Phó chủ tịch", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
        "refs": ["203/KH-BTP"], "deadlines": ["2025-11-20"]}),
    # a mass organisation (Hội) numbers Party-style; `Chỉ thị 05` later is a short form
    ("hoind.txt", {
        "code": "45-BC/HNDT", "system": "party", "doc_type": "Báo cáo", "issued_date": "2025-11-18",
        # `HỘI NÔNG DÂN VIỆT NAM` over the header is an umbrella line, not the parent (issue 16)
        "place": "Nghệ An", "issuer": ("BCH HỘI NÔNG DÂN TỈNH NGHỆ AN", None, "HNDT"),
        "subject": "Kết quả thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị năm 2025", "recipients": [],
        "signer": ("Nguyễn Thị Thu Hường", "Chủ tịch", "T/M BAN THƯỜNG VỤ"),
        "refs": ["05-CT/TW", "112-HD/HNDTW", "05-CT/TW"], "deadlines": []}),
    # a Công điện: its addressees follow `… điện:`; `bão số 10` and a phone number are no citations
    ("congdien.txt", {
        "code": "12/CĐ-UBND", "system": "state", "doc_type": "Công điện", "issued_date": "2025-09-24",
        "place": "Hà Tĩnh", "issuer": ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", None, "UBND"),
        "subject": "tập trung ứng phó với bão số 10",
        "recipients": ["Chủ tịch UBND các xã, phường", "Giám đốc các sở, ban, ngành cấp tỉnh"],
        "signer": ("Trần Báu Hà", "Phó chủ tịch", "KT. CHỦ TỊCH"), "refs": ["165/CĐ-TTg"],
        "deadlines": ["2025-09-25"]}),
]


@pytest.mark.parametrize("name,want", LETTERS, ids=[n for n, _ in LETTERS])
def test_noisy_letter_fields(name, want):
    text = (DATA / name).read_text(encoding="utf-8")
    r = parse(Extracted(text=text, source=Source(path=name, sha256="", format="txt")))
    got = {
        "code": r.code, "system": r.system, "doc_type": r.doc_type, "issued_date": r.issued_date, "place": r.place,
        "issuer": (r.issuer.name, r.issuer.parent, r.issuer.code), "subject": r.subject, "recipients": r.recipients,
        "signer": (r.signer.name, r.signer.position, r.signer.authority),
        "refs": [x.code for x in r.references], "deadlines": [d.date for d in r.deadlines],
    }
    assert got == want
