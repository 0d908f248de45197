"""`nlp.references.is_cover_letter`: a letter that says it sends documents along (the first part
of a file then forwards the parts after it); the wordings that only look alike do not count."""
from __future__ import annotations

import unicodedata

import pytest

from nlp.references import is_cover_letter

COVERS = [
    "Văn phòng xin gửi kèm theo Công văn này Kế hoạch số 12-KH/TU.",
    "Sở Y tế gửi kèm Quyết định số 45/QĐ-SYT để các đơn vị biết.",
    "Đề nghị các đơn vị nghiên cứu tài liệu kèm theo.",
    "Sao gửi các đồng chí Ủy viên Ban Thường vụ.",
    "Gửi bản photo Nghị quyết số 07-NQ/TU để tham khảo.",
    "Gửi bản pho-tô Chỉ thị số 08-CT/TU.",
    "Gửi bản sao Kết luận số 57-KL/TW.",
    "Văn phòng chuyển tiếp văn bản của Bộ Nội vụ.",
    "GỬI KÈM công văn của Ban Tuyên giáo.",  # capitals
    "gửi\nkèm theo hồ sơ",  # a line break between the words
]
NOT_COVERS = [
    "Thực hiện Kết luận số 57-KL/TW ngày 15/6/2020 của Bộ Chính trị, đề nghị các đơn vị triển khai.",
    "Kính gửi: Các cơ quan, đơn vị.",  # `gửi` alone
    "Ban hành kèm Quyết định này Quy chế làm việc.",  # `kèm` without `theo`/`gửi`
    "Sao lưu dữ liệu định kỳ.",  # `sao` without `gửi`
    "Bản đồ quy hoạch tỉnh.",
    "",
]


@pytest.mark.parametrize("text", COVERS)
def test_a_letter_sending_documents_along_is_a_cover_letter(text):
    assert is_cover_letter(text)
    assert is_cover_letter(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("text", NOT_COVERS)
def test_wordings_that_only_look_alike_are_not(text):
    assert not is_cover_letter(text)


def test_no_text_is_no_cover_letter():
    assert not is_cover_letter(None)
