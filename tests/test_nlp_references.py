"""References, eyecite style: one row per shape a letter uses and per decoy, with the output
expected: (text, [(code, doc_type, date, issuer), …])."""
from __future__ import annotations

import pytest

from nlp.references import find_references

SHAPES = [
    ("Kết luận 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục",
     [("57-KL/TW", "Kết luận", "2023-06-15", "Bộ Chính trị")]),
    ("tại Nghị quyết số 59-NQ/TW ngày 24/01/2025 của Bộ Chính trị về hội nhập",
     [("59-NQ/TW", "Nghị quyết", "2025-01-24", "Bộ Chính trị")]),
    ("theo chỉ đạo tại số 57-KL/TW ngày 15/6/2023.",
     [("57-KL/TW", "Kết luận", "2023-06-15", None)]),
    ("tại văn bản số 5771/VPCP-QHQT ngày 29/7/2023 của Văn phòng Chính phủ về Chương trình",
     [("5771/VPCP-QHQT", "văn bản", "2023-07-29", "Văn phòng Chính phủ")]),
    ("Quán triệt Nghị quyết số 18-NQ/TW, số 19-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương.",
     [("18-NQ/TW", "Nghị quyết", "2017-10-25", "Ban Chấp hành Trung ương"),
      ("19-NQ/TW", "Nghị quyết", "2017-10-25", "Ban Chấp hành Trung ương")]),
    ("Ngày 19/4/2024, Ban Tuyên giáo Tỉnh ủy đã ban hành Công văn số 1337-CV/BTGTU gửi các địa phương.",
     [("1337-CV/BTGTU", "Công văn", "2024-04-19", None)]),
    ("Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;",
     [("63/2025/QH15", "Luật", None, None)]),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
     [("30/2020/NĐ-CP", "Nghị định", "2020-03-05", "Chính phủ")]),
    ("được sửa đổi, bổ sung bởi Luật số 73/2025/QH15, Luật số 84/2025/QH15;",
     [("73/2025/QH15", "Luật", None, None), ("84/2025/QH15", "Luật", None, None)]),
    ("Thực hiện Quyết định số 1182/QĐ-UBND ngày 05-8-2024 của UBND tỉnh",
     [("1182/QĐ-UBND", "Quyết định", "2024-08-05", "UBND tỉnh")]),
    ("Quy định số 08-QĐi/TW ngày 25/10/2018", [("08-QĐi/TW", "Quy định", "2018-10-25", None)]),
    ("Thông tư 01/2011/TT-BNV ngày 19 tháng 01 năm 2011", [("01/2011/TT-BNV", "Thông tư", "2011-01-19", None)]),
    ("theo Quyết định số 115/QĐ-TTg", [("115/QĐ-TTg", "Quyết định", None, None)]),
    ("Nghị quyết số 66.17/2026/NQ-CP", [("66.17/2026/NQ-CP", "Nghị quyết", None, None)]),
    # a lower-case word that describes the document: the symbol's letters name the type
    ("Thực hiện Thông báo kết luận số 15-TB/TU ngày 02/3/2025 của Ban Thường vụ Tỉnh ủy",
     [("15-TB/TU", "Thông báo", "2025-03-02", "Ban Thường vụ Tỉnh ủy")]),
    ("Căn cứ quy định số 205-QĐ/TW", [("205-QĐ/TW", "Quy định", None, None)]),  # QĐ letters may be a Quy định
    # two codes sharing `cùng ngày`
    ("Quyết định số 1234/QĐ-UBND và số 1235/QĐ-UBND cùng ngày 01/7/2025 của UBND tỉnh",
     [("1234/QĐ-UBND", "Quyết định", "2025-07-01", "UBND tỉnh"),
      ("1235/QĐ-UBND", "Quyết định", "2025-07-01", "UBND tỉnh")]),
    # a law's name that ends in a common noun: the lower-case word is not the type
    ("Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng số 72/2006/QH11;",
     [("72/2006/QH11", "Luật", None, None)]),
    # a table cell that ends in `luật`: a NĐ code is a Nghị định whatever word precedes it
    ("Các văn bản quy phạm pháp luật 09/2026/NĐ-CP", [("09/2026/NĐ-CP", "Nghị định", None, None)]),
    # a code cut at a cell's end: completed by its whole mention elsewhere in the text
    ("Xây dựng thể chế Nghị định số 09/2026/NĐ-\nTháng 6/2026\n4 Nghị định số 09/2026/NĐ-CP ngày 10/01/2026",
     [("09/2026/NĐ-CP", "Nghị định", "2026-01-10", None), ("09/2026/NĐ-CP", "Nghị định", "2026-01-10", None)]),
    # a cut Nghị định code with no whole mention: Nghị định are the Government's alone
    ("Quốc hội và Nghị định số 289/2025/NĐ-\n\nĐiều 2.", [("289/2025/NĐ-CP", "Nghị định", None, None)]),
    # a whole code followed by a table's dash is not cut
    ("Thông tư số 27/2016/TT-BLĐTBXH - Khoản 1 Điều 1", [("27/2016/TT-BLĐTBXH", "Thông tư", None, None)]),
    # two rows of a table: the date of the second row is not the first row's
    ("Được thay thế bởi Nghị định số 74/2024/NĐ-CP\nNghị định số 38/2022/NĐ-CP ngày 12/6/2022 của",
     [("74/2024/NĐ-CP", "Nghị định", None, None), ("38/2022/NĐ-CP", "Nghị định", "2022-06-12", None)]),
    # a table row read cell by cell: the bare date of the next cell (the day it lost effect) is not its date
    ("Được bãi bỏ bởi Thông tư số 13/2024/TT-BLĐTBXH\n01/02/2025",
     [("13/2024/TT-BLĐTBXH", "Thông tư", None, None)]),
    # decoys: a date that wraps onto the next line keeps its `ngày`; a bare date on the same line stays
    ("Được bãi bỏ bởi Thông tư số 13/2024/TT-BLĐTBXH\nngày 05/12/2024 của Bộ trưởng",
     [("13/2024/TT-BLĐTBXH", "Thông tư", "2024-12-05", "Bộ trưởng")]),
    ("Thông tư số 13/2024/TT-BLĐTBXH 05/12/2024", [("13/2024/TT-BLĐTBXH", "Thông tư", "2024-12-05", None)]),
    # decrees and decisions before 2000: no type letters in the code
    ("Căn cứ Nghị định số 61-CP ngày 05 tháng 7 năm 1994 của Chính phủ về mua bán nhà ở;",
     [("61-CP", "Nghị định", "1994-07-05", "Chính phủ")]),
    ("theo Quyết định số 12-TTg ngày 10/01/1995 của Thủ tướng Chính phủ",
     [("12-TTg", "Quyết định", "1995-01-10", "Thủ tướng Chính phủ")]),
    ("Thực hiện Nghị định số 15/CP ngày 02/3/1993 của Chính phủ;", [("15/CP", "Nghị định", "1993-03-02", "Chính phủ")]),
    ("Chỉ thị 200-TTg năm 1994 và Nghị định 388-HĐBT",
     [("200-TTg", "Chỉ thị", "1994", None), ("388-HĐBT", "Nghị định", None, None)]),
    # a gazette table cuts a code at a cell's end and runs the next cell's words into it
    ("Thông tư số 12/2017/TT-BLĐTBXH ngày 20/4/2017;\nsửa đổi Thông tư số 12/2017/TT-Lao động - Thương binh",
     [("12/2017/TT-BLĐTBXH", "Thông tư", "2017-04-20", None), ("12/2017/TT-BLĐTBXH", "Thông tư", "2017-04-20", None)]),
    # a code wrapped at its dash: the authority and the date open the next line
    ("quy định tại Thông tư số 53/2025/TT-\nBKHCN ngày 31 tháng 12 năm 2025 của Bộ Khoa học và Công nghệ ban hành",
     [("53/2025/TT-BKHCN", "Thông tư", "2025-12-31", "Bộ Khoa học và Công nghệ")]),
    # in a table the other column's line stands between the cut code and its rest
    ("Được thay thế bởi Thông tư số 05/2023/TT-\nThông tư số 36/2017/TT-BLĐTBXH ngày 29/12/2017\n"
     "BLĐTBXH ngày 15/6/2023 của Bộ trưởng Bộ",
     [("05/2023/TT-BLĐTBXH", "Thông tư", "2023-06-15", "Bộ trưởng Bộ"),
      ("36/2017/TT-BLĐTBXH", "Thông tư", "2017-12-29", None)]),
    ("theo Nghị quyết số 71-\n\nNQ/TW của Bộ Chính trị", [("71-NQ/TW", "Nghị quyết", None, "Bộ Chính trị")]),
    # a type word parted by a line break is still the type word (not `Luật` further back)
    ("theo quy định của Luật Bảo hiểm y tế (sau đây viết gọn là Nghị \nđịnh số 188/2025/NĐ-CP)",
     [("188/2025/NĐ-CP", "Nghị định", None, None)]),
    ("theo Quy \nđịnh số 178-QĐ/TW ngày 27 tháng 6 năm \n2024 của Bộ Chính trị về kiểm soát",
     [("178-QĐ/TW", "Quy định", "2024-06-27", "Bộ Chính trị")]),
    # the word printed shorter than the type its letters name
    ("Thông tư số 23/2005/TTLT-BLĐTBXH-BTC ngày 31 tháng 8 năm 2005",
     [("23/2005/TTLT-BLĐTBXH-BTC", "Thông tư liên tịch", "2005-08-31", None)]),
    # the issuer ends where the clause's verb begins
    ("Nghị quyết số 140/NQ-CP ngày 17 tháng 5 năm 2025 của Chính phủ tiếp tục được triển khai",
     [("140/NQ-CP", "Nghị quyết", "2025-05-17", "Chính phủ")]),
    # a form's number beside a real citation: only the document counts
    ("theo Mẫu số 02/QĐ-XL ban hành kèm theo Thông tư số 203/2014/TT-BTC ngày 22/12/2014",
     [("203/2014/TT-BTC", "Thông tư", "2014-12-22", None)]),
]


@pytest.mark.parametrize("text,expected", SHAPES, ids=[s[0][:40] for s in SHAPES])
def test_reference_shapes(text, expected):
    got = [(r.code, r.doc_type, r.date, r.issuer) for r in find_references(text)]
    assert got == expected


DECOYS = [
    "theo quy định tại Điều 5 và khoản 2 Điều 3 của Quyết định này",
    "Nghị định này có hiệu lực từ ngày 01/7/2025",
    "Điện thoại: 0913.680.438, (024)3.767.6666/máy lẻ 110",
    "tổng kinh phí 1.250.000.000 đồng, giai đoạn 2021-2025 và giai đoạn 2013 - 2020",
    "khắc phục hậu quả bão số 3 năm 2024",
    "CÔNG BÁO/Số 1093 + 1094/Ngày 29-12-2020",
    "tác phẩm/sản phẩm tham gia, mã số 12/abc",
    # a code cut at a cell's end whose rest is nowhere in the text: no guess
    "1 Thông tư số 34/2018/TT- Điều 4 Được bãi bỏ",
    # upside-down OCR of a rotated table page
    "Ä1Ò 2ÄN -LI/££06/S0 3uoq[ lọq Áe",
    # an old-style number needs its type word or `số`: a bare `61-CP` or a range is no citation
    "từ 61-CP trở đi, tổng số 12-15 người",
    # forms are numbered like letters (`Mẫu số 01/PLI`), alone or in a list
    "hồ sơ gồm Mẫu số 01/PLI, 02/PLI và 03a/PLI",
    "Tờ khai quyết toán theo mẫu số 02/CNKD-TNCN-QTT",
    "Biểu số 05/TKKK và Biểu mẫu số 06/TKKKQPAN",
    # addresses are numbered like letters too
    "Địa chỉ: Tổ 5/KP3, phường An Lạc; số nhà 12/4A đường Lê Lai",
]


@pytest.mark.parametrize("text", DECOYS)
def test_decoys_are_not_references(text):
    assert [r for r in find_references(text) if r.code] == []


def test_reference_in_the_subject_counts_as_a_mention():
    text = "V/v triển khai Kết luận\nsố 57-KL/TW ngày 15/6/2023 của BCT\n\nThực hiện Kết luận số 57-KL/TW"
    refs = find_references(text)
    assert [r.code for r in refs] == ["57-KL/TW", "57-KL/TW"]
    assert refs[0].date == "2023-06-15"


def test_short_form_is_a_mention_of_the_full_citation():
    text = ("Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị. Sau 2 năm triển khai Kết luận 57, "
            "Nghị định số 178/2024/NĐ-CP đã sửa đổi; việc thực hiện Nghị định 178 tại Điều 5")
    refs = find_references(text)
    assert [(r.code, r.date) for r in refs] == [
        ("57-KL/TW", "2023-06-15"), ("57-KL/TW", "2023-06-15"), ("178/2024/NĐ-CP", None), ("178/2024/NĐ-CP", None)]
    assert refs[1].text == "Kết luận 57"


def test_short_form_without_full_citation_is_not_a_reference():
    assert find_references("triển khai Kết luận 57 và Nghị định 178") == []


def test_law_cited_by_name_and_date_keeps_null_code():
    refs = find_references("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    assert [(r.code, r.doc_type, r.date) for r in refs] == [(None, "Luật", "2015-06-19")]


def test_effective_date_is_not_a_law_cited_by_name():
    text = ("theo Luật số 63/2020/QH14 sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật, "
            "có hiệu lực kể từ ngày 01 tháng 01 năm 2021.")
    assert [(r.code, r.doc_type) for r in find_references(text)] == [("63/2020/QH14", "Luật")]


def test_date_is_taken_from_any_mention_that_agrees():
    text = ("Căn cứ Luật Bảo hiểm y tế số 51/2024/QH15; Luật số 51/2024/QH15 ngày 27 tháng 11 năm 2024 của Quốc hội; "
            "Quyết định số 12/QĐ-UBND ngày 02/01/2024; Quyết định số 12/QĐ-UBND ngày 05/02/2025; "
            "Quyết định số 12/QĐ-UBND")
    got = [(r.code, r.date) for r in find_references(text)]
    # two mentions of `12/QĐ-UBND` with different dates are two letters (numbers restart each year): no guess
    assert got == [("51/2024/QH15", "2024-11-27"), ("51/2024/QH15", "2024-11-27"), ("12/QĐ-UBND", "2024-01-02"),
                   ("12/QĐ-UBND", "2025-02-05"), ("12/QĐ-UBND", None)]


def test_own_number_is_not_a_reference():
    text = "Số: 12/2024/TT-BTC\nThông tư số 12/2024/TT-BTC hướng dẫn; Thông tư số 11/2023/TT-BTC"
    assert [r.code for r in find_references(text, own_code="12/2024/TT-BTC")] == ["11/2023/TT-BTC"]


def test_offsets_point_into_the_text():
    text = "Căn cứ Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về việc"
    (ref,) = find_references(text)
    assert text[ref.start:ref.end].startswith("Kết luận số 57-KL/TW")


RELATIONS = [
    ("Sửa đổi, bổ sung một số điều của Nghị định số 10/2020/NĐ-CP", "amends"),
    ("Thông tư này thay thế Thông tư số 05/2019/TT-BTC", "replaces"),
    ("Luật số 41/2024/QH15 được sửa đổi, bổ sung bởi Luật số 73/2025/QH15", "cites"),
    ("(Gửi kèm, bản pho tô Công văn số 33-CV/TTĐN, ngày 03/7/2024)", "forwards"),
    ("Thực hiện Kết luận số 57-KL/TW", "cites"),
]


@pytest.mark.parametrize("text,relation", RELATIONS)
def test_relation_of_the_last_citation(text, relation):
    assert find_references(text)[-1].relation == relation
