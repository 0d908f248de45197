"""The all-capitals test (text/capitals.py): an issuer, a title, the motto and a signing title are
capitals; a sentence is not, and a line with no letters is neither."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from text.capitals import is_all_upper, is_upper
from text.chars import UPPER_LETTERS

CAPITAL_LINES = ["UBND TỈNH BẮC NGUYÊN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "QUYẾT ĐỊNH", "ỦY BAN NHÂN DÂN TP. HỒ CHÍ MINH",
                 "BAN CHẤP HÀNH TW (KHÓA XIII)"]
SENTENCES = ["Kính gửi: Sở Tài chính", "Hà Nội, ngày 08 tháng 8 năm 2025", "Số: 12/UBND-VP", "V/v báo cáo",
             "Nguyễn Văn A", "thực hiện Kế hoạch số 12/KH-UBND"]
NO_LETTERS = ["", "   ", "12/2024", "*****", "-----", "1.2.3"]


@pytest.mark.parametrize("line", CAPITAL_LINES)
def test_capital_lines_are_capitals_at_every_share(line):
    assert is_all_upper(line) and is_upper(line) and is_upper(line, share=0.5)


@pytest.mark.parametrize("line", SENTENCES)
def test_sentences_are_not_capitals(line):
    assert not is_all_upper(line) and not is_upper(line)


@pytest.mark.parametrize("line", NO_LETTERS)
def test_a_line_without_letters_is_not_capitals(line):
    assert not is_all_upper(line) and not is_upper(line) and not is_upper(line, share=0.0)


def test_one_ocr_slip_in_ten_letters_is_forgiven_but_not_by_the_strict_test():
    line = "SỞ NỘI Vụ TỈNH BẮC NGUYÊN"  # 21 letters, one small
    assert is_upper(line) and not is_all_upper(line)
    assert not is_upper("SỞ Nội vụ")


@given(st.text(alphabet=UPPER_LETTERS.lower() + " .,-/0123456789", min_size=1, max_size=40))
def test_capitalised_text_with_a_letter_is_capitals_and_lowered_text_is_not(s):
    has_letter = any(c.isalpha() for c in s)
    assert is_all_upper(s.upper()) == has_letter
    assert is_upper(s.upper()) == has_letter
    assert not is_upper(s.lower())


@given(st.text(max_size=30), st.floats(0.0, 1.0))
def test_the_strict_test_implies_the_forgiving_one_at_every_share(s, share):
    if is_all_upper(s):
        assert is_upper(s, share=share)
