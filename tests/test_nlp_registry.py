"""The authority register: codes to names, provinces across the 2025 merger, issuer spellings."""
from __future__ import annotations

import pytest

from nlp.registry import issuer_forms, name_for, name_in_text, province_after_2025, provinces


def test_register_covers_both_province_lists():
    assert len(provinces(True)) == 34 and len(provinces(False)) == 63


@pytest.mark.parametrize("code,name", [("BTTTT", "Bộ Thông tin và Truyền thông"), ("VPCP", "Văn phòng Chính phủ"),
                                       ("TTg", "Thủ tướng Chính phủ"), ("XYZQ", None)])
def test_name_for_code(code, name):
    assert name_for(code) == name


@pytest.mark.parametrize("old,new", [("Bình Dương", "Hồ Chí Minh"), ("tỉnh Hà Giang", "Tuyên Quang"),
                                     ("Thừa Thiên Huế", "Huế"), ("Hà Nội", "Hà Nội"), ("Atlantis", None)])
def test_province_after_merger(old, new):
    assert province_after_2025(old) == new


def test_issuer_forms_spell_abbreviations_both_ways_and_follow_the_merger():
    forms = issuer_forms("UBND TỈNH HÀ GIANG", "UBND")
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG" in forms
    assert any("Tuyên Quang" in f for f in forms)


def test_name_in_text_by_initials():
    text = "Ban Tuyên giáo và Dân vận Đảng ủy Bộ đề nghị các đảng ủy trực thuộc"
    assert name_in_text("BTGDV", text) == "Ban Tuyên giáo và Dân vận"
    assert name_in_text("BTGDV", "không có cơ quan nào") is None
