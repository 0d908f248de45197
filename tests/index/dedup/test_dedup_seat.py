"""Letters of two issuing bodies on one template are not copies: every Sở of a province issues the
same `Quyết định triển khai Chỉ thị …`, and one Sở of two provinces too. A draft with a blank
number must still be a near-duplicate of its own body's letter, and no longer of another's."""
from __future__ import annotations

import sqlite3

from index.catalog import SCHEMA
from index.dedup import DedupConfig, DedupIndex, relate, signature
from index.dedup.relations import seat
from ingest.models import Extracted, Source
from nlp import parse
from text.normalize import clean_text

TEMPLATE = """UBND TỈNH {province_upper}
{body_upper}
Số: {number}/QĐ-{sym}

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{province}, ngày {day} tháng 3 năm 2024

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch thực hiện Chỉ thị số 15/CT-TTg ngày 04/3/2024 của Thủ tướng Chính phủ
về tăng cường công tác phòng, chống thiên tai

Căn cứ Chỉ thị số 15/CT-TTg ngày 04/3/2024 của Thủ tướng Chính phủ về tăng cường công tác phòng,
chống thiên tai;

Theo đề nghị của Chánh Văn phòng {body} tỉnh {province}.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Chỉ thị số 15/CT-TTg ngày 04/3/2024
của Thủ tướng Chính phủ về tăng cường công tác phòng, chống thiên tai.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng và Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành
Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

GIÁM ĐỐC

{signer}
"""


def letter(body: str, sym: str, province: str, number: str = "", day: str = "", signer: str = "Nguyễn Văn An"):
    text = TEMPLATE.format(body=body, body_upper=body.upper(), sym=sym, province=province,
                           province_upper=province.upper(), number=number or "     ", day=day or "    ",
                           signer=signer)
    src = Source(path=f"{sym}-{province}-{number}.txt", sha256="", format="text", part=0, pages=[], method="text")
    return parse(Extracted(clean_text(text), src, [], []))


def relation(new, old) -> str:
    cfg = DedupConfig()
    m = relate(new, signature(new, cfg), old, signature(old, cfg), cfg)
    return m.relation if m else "none"


def test_seat_from_the_line_above_or_the_date_line():
    rec = letter("Sở Y tế", "SYT", "Bắc Ninh", "10", "29")
    assert seat(rec) == "bac-ninh"


def test_draft_of_another_sos_decision_is_not_a_copy():
    issued = letter("Sở Y tế", "SYT", "Bắc Ninh", "10", "29", signer="Ngô Quốc Long")
    draft = letter("Sở Nội vụ", "SNV", "Bắc Ninh", signer="Lê Đức Trung")
    assert relation(draft, issued) == "none"


def test_draft_of_the_same_so_in_another_province_is_not_a_copy():
    issued = letter("Sở Giáo dục và Đào tạo", "SGDĐT", "Thái Bình", "32", "14")
    draft = letter("Sở Giáo dục và Đào tạo", "SGDĐT", "Hải Dương", signer="Trần Thị Hoa")
    assert relation(draft, issued) == "none"


def test_draft_of_the_bodys_own_decision_stays_a_near_duplicate():
    issued = letter("Sở Y tế", "SYT", "Bắc Ninh", "10", "29")
    draft = letter("Sở Y tế", "SYT", "Bắc Ninh")
    assert relation(draft, issued) == "near-duplicate"


def test_stored_candidates_carry_their_seat():
    """The check confirms stored documents from their stored head: it must hold the seat."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA)
    index = DedupIndex(db, lambda _id: None, DedupConfig())
    own = letter("Sở Y tế", "SYT", "Bắc Ninh", "10", "29")
    other = letter("Sở Giáo dục và Đào tạo", "SGDĐT", "Thái Bình", "32", "14")
    for rec in (own, other):
        index.store(rec, signature(rec, index.config), rec.source["path"])
    draft = letter("Sở Giáo dục và Đào tạo", "SGDĐT", "Hải Dương")
    found = {m.of: m.relation for m in index.check(draft)}
    assert other.id not in found or found[other.id] not in ("duplicate", "near-duplicate")
    own_draft = letter("Sở Y tế", "SYT", "Bắc Ninh")
    assert {m.of: m.relation for m in index.check(own_draft)}.get(own.id) == "near-duplicate"
