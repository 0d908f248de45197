"""The real Công báo PDFs of ../shared/eval/real/pdf: every one ingests, and each document's
own number and date, where the PDF prints them in its header, come out right through nlp."""
from __future__ import annotations

import pytest
from conftest import SHARED

import ingest
from nlp import parse

PDF = SHARED / "eval" / "real" / "pdf"

# file -> (code, issued date) as printed in the document's header; None where the header prints
# none (a Luật, a VBHN) or nlp's baseline does not read the form (`Luật số:`, `Nghị quyết số:`).
TEXT_LAYER = {
    "congbao_chi-thi-so-21-ct-ttg-469580.pdf": ("21/CT-TTg", "2026-05-20"),
    "congbao_nghi-dinh-so-132-2026-nd-cp-469348.pdf": ("132/2026/NĐ-CP", "2026-04-06"),
    "congbao_nghi-dinh-so-168-2026-nd-cp-469560.pdf": ("168/2026/NĐ-CP", "2026-05-15"),
    "congbao_nghi-dinh-so-38-2022-nd-cp-37348.pdf": ("38/2022/NĐ-CP", "2022-06-12"),
    "congbao_nghi-dinh-so-51-2025-nd-cp-44397.pdf": ("51/2025/NĐ-CP", "2025-03-01"),
    "congbao_nghi-quyet-so-97-nq-cp-469324.pdf": ("97/NQ-CP", "2026-04-06"),
    "congbao_quyet-dinh-so-135-qd-bldtbxh-41357.pdf": ("135/QĐ-BLĐTBXH", "2024-01-31"),
    "congbao_quyet-dinh-so-169-qd-bldtbxh-44203.pdf": ("169/QĐ-BLĐTBXH", "2025-01-24"),
    "congbao_thong-tu-lien-tich-so-01-2022-ttlt-vksndtc-tandtc-bca-bqp-bldtbxh-36844.pdf":
        ("01/2022/TTLT-VKSNDTC-TANDTC-BCA-BQP-BLĐTBXH", "2022-02-18"),
    "congbao_thong-tu-so-02-2026-tt-btc-468745.pdf": ("02/2026/TT-BTC", "2026-01-01"),
    "congbao_thong-tu-so-10-2024-tt-bldtbxh-43067.pdf": ("10/2024/TT-BLĐTBXH", "2024-10-25"),
    "congbao_thong-tu-so-12-2022-tt-bldtbxh-37536.pdf": ("12/2022/TT-BLĐTBXH", "2022-06-30"),
    "congbao_thong-tu-so-30-2026-tt-bkhcn-469714.pdf": ("30/2026/TT-BKHCN", "2026-06-06"),
    "congbao_thong-tu-so-45-2026-tt-btc-469477.pdf": ("45/2026/TT-BTC", "2026-04-29"),
}
SCANNED = [
    "congbao_thong-bao-so-02-2023-tb-lpqt-39022.pdf", "congbao_thong-tu-so-58-2021-tt-bqp-33814.pdf",
    "congbao_nghi-quyet-so-115-nq-cp-469452.pdf", "congbao_nghi-quyet-so-27-2026-nq-cp-469546.pdf",
    "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf",
]

pytestmark = pytest.mark.skipif(not PDF.is_dir(), reason="shared real PDFs not present")


BIG = {"congbao_quyet-dinh-so-135-qd-bldtbxh-41357.pdf", "congbao_quyet-dinh-so-169-qd-bldtbxh-44203.pdf",
       "congbao_thong-tu-so-30-2026-tt-bkhcn-469714.pdf", "congbao_nghi-quyet-so-97-nq-cp-469324.pdf",
       "congbao_thong-tu-lien-tich-so-01-2022-ttlt-vksndtc-tandtc-bca-bqp-bldtbxh-36844.pdf"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in BIG else n
                                  for n in sorted(TEXT_LAYER)])
def test_number_and_date_of_gazette_documents(name: str) -> None:
    docs = ingest.extract(PDF / name, ocr="never")
    rec = parse(docs[0])
    assert (rec.code, rec.issued_date) == TEXT_LAYER[name]
    # the header comes first: issuing body (left column) before the motto, no running head
    first = docs[0].text.lstrip().split("\n", 1)[0]
    assert "CÔNG BÁO" not in first and not first.startswith("CỘNG HÒA")
    assert any("CÔNG BÁO" in m.text for m in docs[0].margins)


def test_words_are_not_split_inside_syllables() -> None:
    text = ingest.extract(PDF / "congbao_nghi-dinh-so-38-2022-nd-cp-37348.pdf", ocr="never")[0].text
    assert "Số: 38/2022/NĐ-CP" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "S ố" not in text and "N Đ" not in text


@pytest.mark.slow
def test_all_real_pdfs_ingest_and_scans_go_through_ocr() -> None:
    """All 30 (about 3 minutes with OCR of the 5 scans: slow)."""
    for path in sorted(PDF.glob("*.pdf")):
        docs = ingest.extract(path)
        assert docs and all(d.text.strip() for d in docs), path.name
        if path.name in SCANNED:
            assert docs[0].source.method in ("ocr", "mixed"), path.name


# Scanned documents whose number and date are typed (the others' are handwritten in the blanks,
# `Số: 115 /NQ-CP`, or scanned at 96 dpi, where `02` reads `J2`): OCR reads them.
SCANNED_READABLE = {
    "congbao_nghi-quyet-so-27-2026-nq-cp-469546.pdf": ("27/2026/NQ-CP", "2026-05-14", "CHÍNH PHỦ"),
    "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf": ("19/2026/TT-BTC", "2026-03-10", "BỘ TÀI CHÍNH"),
}


@pytest.mark.parametrize("name", sorted(SCANNED_READABLE))
def test_number_and_date_of_scanned_gazette_documents(name: str) -> None:
    """Two scanned pages each (about 5 s of Tesseract)."""
    docs = ingest.extract(PDF / name)
    assert docs[0].source.method in ("ocr", "mixed")  # a page may carry a text layer of its own
    rec = parse(docs[0])
    code, date, issuer = SCANNED_READABLE[name]
    assert (rec.code, rec.issued_date) == (code, date)
    assert docs[0].text.lstrip().split("\n", 1)[0] == issuer  # the header's left column first, no running head


def test_scanned_gazette_page_is_ocred() -> None:
    """Two scanned pages whose text layer holds only the running head and a stamp."""
    docs = ingest.extract(PDF / "congbao_nghi-quyet-so-115-nq-cp-469452.pdf")
    assert docs[0].source.method in ("ocr", "mixed")
    assert "NGHỊ QUYẾT" in docs[0].text.upper() and len(docs[0].text) > 1000
