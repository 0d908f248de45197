"""A draft and the letter signed from it are one letter: they differ in the number (blank in
the draft), the day and the `DỰ THẢO` stamp, none of which vetoes an identical body. Decoys:
next year's letter on the same template is a series, and two different bodies under the same
blank number are not duplicates."""
from __future__ import annotations

import re

import pytest
from test_dedup_relations import LETTERS, rec_of, relation

from index.dedup.relations import _without_stamps
from index.dedup.signatures import fold_words


def draft_of(text: str, stamp: str = "DỰ THẢO", where: str = "under") -> str:
    """The draft a letter was signed from: its number blank, its day blank, a stamp under the
    issuer (the last header line before the `Số` line) or above the whole header."""
    rec = rec_of(text)
    draft = text
    if rec.number:
        draft = re.sub(r"(S\s*ố\s*:?\s*)" + re.escape(rec.number), r"\1      ", draft, count=1)
    draft = re.sub(r"ngày \d{1,2} tháng", "ngày    tháng", draft, count=1)
    lines = draft.split("\n")
    if where == "above":
        return f"{stamp}\n" + draft
    at = next(i for i, ln in enumerate(lines) if re.match(r"\s*S\s*ố\b", ln))
    lines.insert(at, stamp)
    return "\n".join(lines)


STAMPS = [("DỰ THẢO", "under"), ("DỰ THẢO LẦN 2", "under"), ("DỰ THẢO", "above"), ("KHẨN", "under"),
          ("HỎA TỐC", "above")]


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("stamp,where", STAMPS, ids=[f"{s}-{w}" for s, w in STAMPS])
def test_a_draft_and_its_signed_letter_are_near_duplicates(path, stamp, where) -> None:
    text = path.read_text(encoding="utf-8")
    draft = draft_of(text, stamp, where)
    assert relation(text, draft) == "near-duplicate"
    assert relation(draft, text) == "near-duplicate"


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.name[:3])
def test_next_years_draft_on_the_same_template_is_series(path) -> None:
    text = path.read_text(encoding="utf-8")
    year = rec_of(text).issued_date[:4]
    assert relation(text, draft_of(text.replace(year, str(int(year) + 1)))) == "series"


def test_two_bodies_under_the_same_blank_number_are_not_duplicates() -> None:
    a, b = (p.read_text(encoding="utf-8") for p in LETTERS[:2])
    # b's body under a's draft header: the same blank number, another letter
    claimed = draft_of(a).split("Kính gửi")[0] + "Kính gửi" + b.split("Kính gửi", 1)[1]
    assert relation(draft_of(a), claimed) == "none"


SNV_SIGNED = """UBND TỈNH BẮC NINH
SỞ NỘI VỤ
Số: 412/SNV-CCVC
V/v cử công chức tham dự lớp bồi dưỡng
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bắc Ninh, ngày 14 tháng 5 năm 2026

Kính gửi: Các sở, ban, ngành tỉnh.

Thực hiện Kế hoạch số 55/KH-UBND ngày 02/3/2026 của Ủy ban nhân dân tỉnh về đào tạo, bồi dưỡng
cán bộ, công chức, viên chức năm 2026, Sở Nội vụ đề nghị các cơ quan, đơn vị cử công chức tham dự
lớp bồi dưỡng kiến thức quản lý nhà nước theo danh sách gửi kèm, tổng hợp gửi về Sở Nội vụ trước
ngày 25/5/2026 để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.

Nơi nhận:
- Như trên;
- Lưu: VT, CCVC.
GIÁM ĐỐC
Nguyễn Văn Hùng
"""


def test_a_drafts_blank_number_that_ran_into_the_next_line_does_not_veto() -> None:
    """`Số:       /SNV-CCVC` with the `V/v` line read into it (`/SNV-CCVCCao …`)."""
    draft = SNV_SIGNED.replace("SỞ NỘI VỤ\nSố: 412/SNV-CCVC", "SỞ NỘI VỤ\nDỰ THẢO\nSố:       /SNV-CCVCCao")
    draft = draft.replace("ngày 14 tháng 5", "ngày    tháng 5")
    assert relation(SNV_SIGNED, draft) == "near-duplicate"
    other = SNV_SIGNED.replace("SỞ NỘI VỤ\nSố: 412/SNV-CCVC", "SỞ Y TẾ\nSố:       /SYT-NVY")
    assert relation(SNV_SIGNED, other) != "near-duplicate"  # another body's letter on the template


@pytest.mark.parametrize("name,kept", [
    ("BAN TUYÊN GIÁO DỰ THẢO", "ban tuyên giáo"),
    ("DỰ THẢO LẦN 3 SỞ NỘI VỤ", "sở nội vụ"),
    ("SỞ NỘI VỤ DỰ THẢO LẦN 2", "sở nội vụ"),
    ("HỎA TỐC SỞ Y TẾ", "sở y tế"),
    ("DỰ THẢO", ""),
    # decoys: stamp words inside a name stay
    ("BAN CƠ YẾU CHÍNH PHỦ", "ban cơ yếu chính phủ"),
    ("TRUNG TÂM KHẨN CẤP Y TẾ", "trung tâm khẩn cấp y tế"),
    ("BAN DỰ THẢO LUẬT", "ban dự thảo luật"),
])
def test_stamps_glued_to_a_name_are_left_out(name: str, kept: str) -> None:
    assert " ".join(_without_stamps(fold_words(name))) == kept
