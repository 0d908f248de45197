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
