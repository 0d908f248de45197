from __future__ import annotations

import pytest

from nlp.codes import canonical_key, parse_code

CASES = [
    # printed, code, number, symbol, system, doc_type
    ("1805 - CV/BTGDVTW", "1805-CV/BTGDVTW", "1805", "CV/BTGDVTW", "party", "Công văn"),
    ("57-KL/TW", "57-KL/TW", "57", "KL/TW", "party", "Kết luận"),
    ("08-QĐi/TW", "08-QĐi/TW", "08", "QĐi/TW", "party", "Quy định"),
    ("-CV/BTGDV", "-CV/BTGDV", None, "CV/BTGDV", "party", "Công văn"),
    ("5771/VPCP-QHQT", "5771/VPCP-QHQT", "5771", "VPCP-QHQT", "state", None),
    ("/BTTTT-TTĐN", "/BTTTT-TTĐN", None, "BTTTT-TTĐN", "state", None),
    ("30/2020/NĐ-CP", "30/2020/NĐ-CP", "30", "2020/NĐ-CP", "state", "Nghị định"),
    ("1182/QĐ-UBND", "1182/QĐ-UBND", "1182", "QĐ-UBND", "state", "Quyết định"),
    # before 2000: Government, Prime Minister and Council of Ministers numbers carry no type letters
    ("61-CP", "61-CP", "61", "CP", "state", None),
    ("12 - TTg", "12-TTg", "12", "TTg", "state", None),
    ("388-HĐBT", "388-HĐBT", "388", "HĐBT", "state", None),
    ("15/CP", "15/CP", "15", "CP", "state", None),
]


@pytest.mark.parametrize("printed,code,number,symbol,system,doc_type", CASES)
def test_parse_code(printed, code, number, symbol, system, doc_type):
    c = parse_code(printed)
    assert (c.code, c.number, c.symbol, c.system, c.doc_type) == (code, number, symbol, system, doc_type)


@pytest.mark.parametrize("text", ["Điều 5", "hello", "", "2024", "0913.680.438", "12-15", "3-UB"])
def test_not_codes(text):
    assert parse_code(text) is None


def test_canonical_key_adds_year_only_where_the_code_has_none():
    assert canonical_key("1390-CV/BTGDVTW", 2026) != canonical_key("1390-CV/BTGDVTW", 2025)
    assert canonical_key("30/2020/NĐ-CP", 2021) == "30/2020/NĐ-CP"


def test_canonical_key_adds_place_for_local_authorities():
    a = canonical_key("2145/UBND-KGVX", 2024, "Nghệ An")
    b = canonical_key("2145/UBND-KGVX", 2024, "Thanh Hóa")
    assert a != b
    assert canonical_key("5771/VPCP-QHQT", 2023, "Hà Nội") == "5771/VPCP-QHQT@2023"
