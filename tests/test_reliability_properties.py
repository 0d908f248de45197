"""Property tests (hypothesis) on the parsers: arbitrary text never raises, offsets point into
the text, a parsed code re-renders to itself. (The query language lives on another branch;
its properties belong with it once merged.)"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.models import Extracted, Source
from nlp import parse
from nlp.codes import canonical_key, code_key, compact, key_code, parse_code
from nlp.dates import find_dates, iso

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like the documents: their letters, digits, separators and key words, so that
# the generator reaches the parsers' interesting branches instead of only random noise.
VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYáàảãạếềểễệốồổỗộớờởỡợứừửữự"
PIECES = st.one_of(
    st.text(alphabet=VI + "0123456789 /-.,:;()\n\t", max_size=12),
    st.sampled_from(["Số: ", "số ", "ngày ", " tháng ", " năm ", "-CV/", "/QĐ-", "/2024/NĐ-CP", "-KL/TW",
                     "Công văn ", "Nghị quyết ", "Kết luận ", "V/v ", "Kính gửi: ", "trước ngày ", "TM. ",
                     "CHỦ TỊCH\n", "Hà Nội, ngày 31 tháng 12 năm 2024", "2024", "19", "20", "/", "-", "\u0301"]),
    st.text(max_size=4),  # anything at all: surrogates excluded by hypothesis, combining marks not
)
DOCLIKE = st.lists(PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=300), DOCLIKE)

NUMBER = st.from_regex(r"[1-9][0-9]{0,4}", fullmatch=True)
ABBREV = st.sampled_from(["CV", "KL", "NQ", "QĐ", "CT", "TB", "KH", "BC", "HD", "TTr", "NĐ", "TT"])
AUTHORITY = st.sampled_from(["TW", "BTGDVTW", "BTGTU", "UBND", "VPCP", "BTC", "STTTT", "QH15", "TU", "BCĐ"])
UNIT = st.sampled_from(["VP", "QHQT", "TH", "CNTT", "KT"])


@st.composite
def codes(draw, spaced_symbol: bool = True) -> str:
    """Codes in the forms of Hướng dẫn 36 and Nghị định 30, spaces around separators or not
    (`spaced_symbol=False`: spaces only after the number, as the reference finder expects —
    `1/CV - TW` in running text is not found as a reference today)."""
    sep = draw(st.sampled_from(["", " "]))
    num_sep = draw(st.sampled_from(["", " "]))
    number = draw(NUMBER)
    form = draw(st.sampled_from(["party", "state", "state_year", "cong_van"]))
    if not spaced_symbol:
        sep = ""
    if form == "party":
        return f"{number}{num_sep}-{num_sep}{draw(ABBREV)}/{draw(AUTHORITY)}"
    if form == "state":
        return f"{number}{num_sep}/{num_sep}{draw(ABBREV)}{sep}-{sep}{draw(AUTHORITY)}"
    if form == "state_year":
        return f"{number}/{draw(st.integers(1990, 2030))}/{draw(ABBREV)}-{draw(AUTHORITY)}"
    return f"{number}/{draw(AUTHORITY)}-{draw(UNIT)}"


def extracted(text: str) -> Extracted:
    return Extracted(text, Source(path="x.txt", sha256="0" * 64, format="text"))


@SETTINGS
@given(ANY_TEXT)
def test_parse_code_never_raises_and_is_a_fixed_point(text):
    parsed = parse_code(text)
    if parsed is None:
        return
    assert parsed.code == compact(text)
    again = parse_code(parsed.code)  # a parsed code re-renders to itself
    assert again == parsed
    assert parse_code(code_key(parsed.code)) is not None


@SETTINGS
@given(ANY_TEXT, st.one_of(st.none(), st.integers(1900, 2100), st.text(max_size=6)),
       st.one_of(st.none(), st.text(max_size=30)))
def test_keys_never_raise_and_are_stable(text, year, place):
    key = canonical_key(text, year, place)
    assert code_key(key_code(key)) == key_code(key)  # the code part is already in key form
    assert code_key(code_key(text)) == code_key(text)
    assert not re.search(r"\s", key_code(key))


@SETTINGS
@given(codes())
def test_every_well_formed_code_parses_and_round_trips(code):
    parsed = parse_code(code)
    assert parsed is not None, code
    assert parsed.code == compact(code) and parse_code(parsed.code) == parsed
    assert parsed.number is not None and parsed.number.lstrip("0") in code


@SETTINGS
@given(ANY_TEXT)
def test_find_dates_offsets_point_into_the_text_and_dates_are_real(text):
    for start, end, value in find_dates(text):
        assert 0 <= start < end <= len(text)
        date.fromisoformat(value)
        y, m, d = (int(x) for x in value.split("-"))
        piece = text[start:end]
        assert str(y) in piece and re.search(rf"0*{m}\D", piece) and re.search(rf"0*{d}\D", piece)


@SETTINGS
@given(st.integers(-5, 3000), st.integers(-5, 40), st.integers(-5, 40))
def test_iso_never_raises(y, m, d):
    value = iso(y, m, d)
    if value is not None and len(value) == 10:
        date.fromisoformat(value)


@SETTINGS
@given(ANY_TEXT)
def test_record_parser_never_raises_and_references_point_into_the_text(text):
    rec = parse(extracted(text))
    # the record's text is the input cleaned character for character (e.g. `Ð` → `Đ`)
    assert len(rec.text) == len(unicodedata.normalize("NFC", text))
    for ref in rec.references:
        assert 0 <= ref.start < ref.end <= len(rec.text)
        # a mention covers its type, code, date and issuer where printed: the code is inside it
        assert compact(ref.code).upper() in compact(rec.text[ref.start:ref.end]).upper()
        assert parse_code(ref.code) is not None
        if ref.date:
            date.fromisoformat(ref.date)
    for dl in rec.deadlines:
        date.fromisoformat(dl.date)
        assert dl.text in rec.text
    if rec.code:
        assert parse_code(rec.code) is None or parse_code(rec.code).code == rec.code
    if rec.issued_date:
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", rec.issued_date)


@SETTINGS
@given(codes(spaced_symbol=False), DOCLIKE, DOCLIKE)
def test_a_cited_code_is_found_where_it_stands(code, before, after):
    text = f"{before}\nCăn cứ Công văn số {code} ngày 02/01/2024 của Văn phòng,\n{after}"
    rec = parse(extracted(text))
    at = text.index(f"Công văn số {code}")
    found = [r for r in rec.references if r.start <= at + len("Công văn số ") < r.end]
    assert found, (code, [r.code for r in rec.references])
    assert compact(found[0].code).upper() in compact(text[found[0].start:found[0].end]).upper()
