from __future__ import annotations

import unicodedata

import pytest

from text.fold import fold
from text.normalize import clean_text, unify_tones


@pytest.mark.parametrize("old,new", [
    ("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("thuỷ lợi", "thủy lợi"), ("khoẻ", "khỏe"),
    ("tuỳ", "tùy"), ("hòa", "hòa"), ("hoàng", "hoàng"), ("quả", "quả"), ("quý", "quý"),
    ("thuyết", "thuyết"), ("giữa", "giữa"),
])
def test_old_and_new_tone_placement_compare_equal(old, new):
    assert unify_tones(old) == new


@pytest.mark.parametrize("text,folded", [
    ("Thông tin Đối ngoại", "thong tin doi ngoai"),
    ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
    ("Nghị định 30/2020/NĐ-CP", "nghi dinh 30/2020/nd-cp"),
])
def test_fold_drops_diacritics_and_d_bar(text, folded):
    assert fold(text) == folded


def test_clean_text_is_nfc():
    nfd = unicodedata.normalize("NFD", "Kính gửi: Bộ Nông nghiệp\r\n")
    out = clean_text(nfd)
    assert out == "Kính gửi: Bộ Nông nghiệp\n"
    assert unicodedata.is_normalized("NFC", out)
