"""`nlp.bodies.addressed_to`: whether an issuing body is among a letter's `Kính gửi`. Each
row a recipient list, the body (name, the body above it, authority code), and whether it is
addressed; the decoys are bodies of another kind, another place, or persons."""
from __future__ import annotations

import pytest

from nlp.bodies import addressed_to

CASES = [
    # one body, as printed and in the header's capitals
    (["Bộ Nông nghiệp và Môi trường"], "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", None, "BNNMT", True),
    (["Bộ Lao động - Thương binh và Xã hội"], "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", None, "BLĐTBXH", True),
    (["Bo Tai chinh"], "BỘ TÀI CHÍNH", None, "BTC", True),                       # typed without marks
    (["Bộ Tài chính"], "BỘ TƯ PHÁP", None, "BTP", False),
    # abbreviations of the register, and places
    (["Ủy ban nhân dân tỉnh Nghệ An"], "UBND TỈNH NGHỆ AN", None, "UBND", True),
    (["UBND tỉnh Nghệ An"], "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None, "UBND", True),
    (["Ủy ban nhân dân tỉnh Nghệ An"], "UBND TỈNH THANH HÓA", None, "UBND", False),  # another province
    (["Sở Y tế tỉnh Nghệ An"], "SỞ Y TẾ", "UBND TỈNH NGHỆ AN", "SYT", True),      # the body above gives the place
    (["Sở Y tế tỉnh Nghệ An"], "SỞ Y TẾ", "UBND TỈNH HÀ TĨNH", "SYT", False),
    (["Sở Y tế tỉnh Nghệ An"], "SỞ TÀI CHÍNH", "UBND TỈNH NGHỆ AN", "STC", False),
    (["- Ban Tuyên giáo và Dân vận Tỉnh ủy Nghệ An;"], "BAN TUYÊN GIÁO VÀ DÂN VẬN", "TỈNH ỦY NGHỆ AN", "BTGDVTU",
     True),
    # collective recipients name every body of the kinds they list
    (["Các sở, ban, ngành tỉnh"], "SỞ Y TẾ", "UBND TỈNH NGHỆ AN", "SYT", True),
    (["Các sở, ban, ngành tỉnh"], "UBND HUYỆN DIỄN CHÂU", None, "UBND", False),
    (["Ủy ban nhân dân các huyện, thị xã, thành phố"], "UBND HUYỆN DIỄN CHÂU", None, "UBND", True),
    (["UBND các huyện, thị xã, thành phố"], "ỦY BAN NHÂN DÂN THỊ XÃ CỬA LÒ", None, "UBND", True),
    (["Ủy ban nhân dân các huyện, thị xã, thành phố"], "SỞ Y TẾ", None, "SYT", False),
    (["Các huyện ủy, thành ủy"], "HUYỆN ỦY DIỄN CHÂU", None, "HU", True),
    (["Các huyện ủy, thành ủy"], "BỘ Y TẾ", None, "BYT", False),
    (["Các bộ, cơ quan ngang bộ"], "BỘ NỘI VỤ", None, "BNV", True),
    (["Các cơ quan, đơn vị"], "BAN DÂN VẬN", None, None, True),
    # persons and empty lists name no body
    (["Đồng chí Nguyễn Văn An"], "BAN DÂN VẬN", None, None, False),
    ([], "BỘ TÀI CHÍNH", None, "BTC", False),
    (["Bộ Tài chính"], None, None, None, False),
]


@pytest.mark.parametrize("recipients, name, parent, code, expected", CASES)
def test_addressed_to(recipients, name, parent, code, expected):
    assert addressed_to(recipients, name, parent, code) is expected


@pytest.mark.parametrize("recipients, name, parent, code, expected", CASES)
def test_one_of_many_recipients_is_enough_and_order_does_not_matter(recipients, name, parent, code, expected):
    """An invariant of every row: other addressees around it change nothing."""
    others = ["Văn phòng Trung ương Đảng", "Đồng chí Bí thư"]
    assert addressed_to(others + recipients, name, parent, code) is expected
    assert addressed_to(recipients[::-1] + others, name, parent, code) is expected
