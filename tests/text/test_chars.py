"""Character classes for Vietnamese capitals, and the look-alike letters mapped back."""
from __future__ import annotations

import re

import pytest

from ingest.models import Extracted, Source
from nlp import parse
from nlp.signer import AUTHORITY
from text.chars import UPPER, UPPER_LETTERS

CAPITAL = re.compile(rf"[{UPPER}]")


@pytest.mark.parametrize("ch", list("ĐÔƠƯĂÂÊỘỮẤỲÝỸỴÀ"))
def test_toned_capitals_are_capitals(ch):
    assert CAPITAL.fullmatch(ch)


@pytest.mark.parametrize("ch", list("đôơưăâêộữấỳýỹỵàa"))
def test_lower_case_letters_are_not(ch):
    assert CAPITAL.fullmatch(ch) is None


def test_every_listed_letter_is_upper_case():
    assert all(c.isupper() for c in UPPER_LETTERS) and len(set(UPPER_LETTERS)) == 93


@pytest.mark.parametrize("line,authority", [
    ("KT. BỘ TRƯỞNG", "KT. BỘ TRƯỞNG"),
    ("TM. ỦY BAN NHÂN DÂN", "TM. ỦY BAN NHÂN DÂN"),
    ("KT. được giao", None),  # `KT.` then a lower-case word is prose, not a signing line
])
def test_signing_authority_starts_with_a_capital(line, authority):
    m = AUTHORITY.search(line)
    assert (m.group("a") if m else None) == authority


def test_cyrillic_look_alikes_in_a_code_are_read_as_latin():
    text = ("BỘ TÀI CHÍNH\nSố: 12/2026/TT-BТС\nHà Nội, ngày 05 tháng 3 năm 2026\nTHÔNG TƯ\n"
            "Sửa đổi Thông tư số 06/2022/TT-BТС ngày 08 tháng 02 năm 2022\n")
    rec = parse(Extracted(text=text, source=Source(path="t.txt", sha256="", format="txt")))
    assert rec.code == "12/2026/TT-BTC"
    assert [r.code for r in rec.references] == ["06/2022/TT-BTC"]
    assert len(rec.text) == len(text)
