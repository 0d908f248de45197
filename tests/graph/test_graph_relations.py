"""Edge types read from the words around a citation (`nlp.references`: the record and `refs` share them)."""
from __future__ import annotations

import re

import pytest

from index.graph.citations import province_in
from nlp.models import Reference
from nlp.references import about_at, relation_at


def relation_of(text: str, ref: Reference, others: list[Reference]) -> str:
    return relation_at(text, ref.start, [o.start for o in others if o is not ref])


def refs_in(text: str) -> list[Reference]:
    """References at the codes of `text`, placed by hand (independent of the nlp parser)."""
    out = []
    for m in re.finditer(r"(?:(?:Nghị định|Quyết định|Thông tư|Luật|Công văn|Kết luận) số )?"
                         r"\d+/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9-]+|\d+-[A-Z]+/[A-ZĐ]+", text):
        out.append(Reference(text=m.group(0), code=m.group(0).split()[-1], start=m.start(), end=m.end()))
    return out


@pytest.mark.parametrize("text, relation", [
    ("Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND ngày 3/3/2020.", "replaces"),
    ("NGHỊ ĐỊNH\nSỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA Nghị định số 30/2020/NĐ-CP", "amends"),
    ("Thông tư này hướng dẫn thi hành Nghị định số 15/2021/NĐ-CP về quản lý.", "guides"),
    ("Bãi bỏ Quyết định số 7/2019/QĐ-UBND của UBND tỉnh.", "repeals"),
    ("Khoản này được sửa đổi bởi Nghị định số 47/2024/NĐ-CP có hiệu lực.", "amended_by"),
    ("Thực hiện Công văn số 1390-CV/BTGDVTW ngày 02/6/2026.", "cites"),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 5/3/2020 của Chính phủ về công tác văn thư;", "cites"),
    ("Trả lời Công văn số 123/SYT-VP ngày 2/3/2024 của Sở Y tế, UBND huyện có ý kiến như sau:", "answers"),
    ("Phúc đáp Công văn số 12/UBND-VP ngày 9/9/2024, Sở Nội vụ báo cáo.", "answers"),
    ("Đề nghị các đơn vị trả lời theo hướng dẫn tại Công văn số 55-CV/TU.", "cites"),  # answers nothing of it
    ("Hủy bỏ Quyết định số 9/2021/QĐ-UBND ngày 1/2/2021.", "repeals"),
    ("Điều 3 của Quyết định này bị bãi bỏ bởi Quyết định số 20/2024/QĐ-UBND.", "repealed_by"),
])
def test_relation_of_the_single_citation(text, relation):
    [ref] = refs_in(text)
    assert relation_of(text, ref, [ref]) == relation


def test_a_verb_whose_subject_is_another_cited_document_is_not_ours():
    text = "Căn cứ Nghị định số 47/2024/NĐ-CP sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP;"
    first, second = refs_in(text)
    assert relation_of(text, second, [first, second]) == "cites"


def test_a_far_away_verb_does_not_count():
    text = ("Ban Thường vụ đã thay thế nhiều cán bộ chủ chốt trong năm qua, tăng cường kiểm tra giám sát "
            "và đôn đốc thực hiện nghiêm Công văn số 55-CV/TU")
    [ref] = refs_in(text)
    assert relation_of(text, ref, [ref]) == "cites"


def test_province_from_issuer_names():
    assert province_in("TỈNH ỦY HƯNG YÊN") == "Hưng Yên"  # the register's spelling
    assert province_in("UBND tỉnh Nghệ An") == "Nghệ An"
    assert province_in("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI") == "Hà Nội"
    assert province_in("Ủy ban nhân dân tỉnh Hà Tĩnh") == "Hà Tĩnh"
    assert province_in("HUYỆN ỦY DIỄN CHÂU") is None  # a district, not a province
    assert province_in("Ban Tuyên giáo Tỉnh ủy") is None
    assert province_in("BAN TUYÊN GIÁO TRUNG ƯƠNG") is None


def test_about_is_what_the_citation_says_the_document_is_about():
    text = "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao chất lượng; đề nghị"
    [ref] = refs_in(text)
    assert about_at(text, ref.end) == "tiếp tục nâng cao chất lượng"
