"""The body the duplicate signature is computed from. Archives hold MinHashes of it, so it must
not move: a change to nlp/header.py's readers that changes one of these bodies changes every
stored signature's meaning (re-check with `congvan dedup --recheck`, and say so)."""
from __future__ import annotations

import hashlib

import pytest
from conftest import CORPUS, ROOT

from index.dedup import body_text
from ingest.models import Extracted, Source
from nlp import parse
from nlp.header import is_code_line, is_motto_line, is_number_line, is_subject_line
from text.capitals import is_upper
from text.normalize import clean_text

# sha256 (first 16 hex) of body_text(record text, record code), as index/dedup.py computed it
# before the split into index/dedup/ (also checked then over 2235 texts: no difference).
BODIES = [
    (CORPUS / "text/000_a6851c37ec536b4a.txt", "37b11d8d5772e037"),
    (CORPUS / "text/001_c2a7dc2c21a2c490.txt", "826e8ab518d17a98"),
    (CORPUS / "text/002_f54cac8d25e4004e.txt", "171fc0eac2a7ac3c"),
    (CORPUS / "text/004_8f334d4af6981667.txt", "d3ae538eb313b5ef"),
    (ROOT / "tests/data/noisy_letters/bare.txt", "f0a9c75ae94ae342"),
    (ROOT / "tests/data/noisy_letters/congdoan.txt", "b818252b77e6967f"),
    (ROOT / "tests/data/noisy_letters/dangbo.txt", "7e6826be5d046c39"),
    (ROOT / "tests/data/noisy_letters/doan.txt", "738b90a44799ffbe"),
    (ROOT / "tests/data/noisy_letters/mttq.txt", "8257b79de5860d1b"),
    (ROOT / "tests/data/noisy_letters/noisy1.txt", "74f4ef07edd42016"),
    (ROOT / "tests/data/noisy_letters/noisy2.txt", "85490d3c18003e9d"),
    (ROOT / "tests/data/noisy_letters/xa.txt", "2fa0946f3b28ee9b"),
]


@pytest.mark.parametrize("path,digest", BODIES, ids=[p.name for p, _ in BODIES])
def test_body_text_is_what_stored_signatures_were_made_from(path, digest):
    src = Source(path=path.name, sha256="", format="text", part=0, pages=[], method="text")
    rec = parse(Extracted(clean_text(path.read_text(encoding="utf-8")), src, [], []))
    body = body_text(rec.text, rec.code)
    assert len(body.splitlines()) < len(rec.text.splitlines())  # a header was left out
    assert hashlib.sha256(body.encode()).hexdigest()[:16] == digest


def test_header_and_body_lines():
    text = "\n".join([
        "UBND TỈNH QUẢNG NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 12/SGDĐT-VP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Quảng Ninh, ngày 03 tháng 3 năm 2025", "V/v triển khai công tác",
        "phổ biến pháp luật năm 2025", "", "Kính gửi: Các trường THPT", "Sở đề nghị các đơn vị.",
    ])
    assert body_text(text).split("\n") == ["Kính gửi: Các trường THPT", "Sở đề nghị các đơn vị."]


def test_body_keeps_the_header_lines_stored_signatures_kept():
    """Lines the parser's readers would take as header fields but the signature never dropped."""
    kept = ["Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Về việc công bố Danh mục",
            "văn bản hết hiệu lực", "Cộng hòa xã hội chủ nghĩa Việt Nam và Chính phủ Ô-xtơ-rây-li-a"]
    assert body_text("\n".join(["BỘ TƯ PHÁP", "Số: 5/QĐ-BTP", *kept])).split("\n") == kept


# (line, is_code_line, is_subject_line, is_motto_line): where the signature's readers and the
# parser's part, the signature's stay as the stored MinHashes were computed.
LINES = [
    ("Số: 12/SGDĐT-VP", True, False, False),
    ("Số:      /QĐ-UBND", True, False, False),
    ("số 210-KL/TW ngày 12 tháng 11 năm 2025 của Ban Chấp hành", True, False, False),
    ("Số:", False, False, False),  # the parser's is_number_line takes it
    ("Số lượng cán bộ", False, False, False),
    ("V/v triển khai công tác", False, True, False),
    ("- V / v triển khai", False, True, False),
    ("Về việc công bố Danh mục", False, False, False),  # the parser's VV takes it
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", False, False, True),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam và Chính phủ Ô-xtơ-rây-li-a", False, False, False),
    ("Độc lập - Tự do - Hạnh phúc", False, False, True),
    ("Doc lap - Tu do - Hanh phuc", False, False, False),
]


@pytest.mark.parametrize("line,code,subject,motto", LINES)
def test_signature_header_readers(line, code, subject, motto):
    assert (is_code_line(line), is_subject_line(line), is_motto_line(line)) == (code, subject, motto)


def test_readers_part_from_the_parsers_where_said():
    assert is_number_line("Số:") and not is_code_line("Số:")
    assert is_upper("Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert not is_upper("Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", share=1.0)
    assert is_upper("SỞ GIÁO DỤC VÀ ĐÀO TẠO", share=1.0)
