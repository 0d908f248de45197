"""OCR'd pages give `nlp/` the layout lines a text layer gives: the two header columns apart,
specks of the copier gone, the forwarded copy in a scan found as a document of its own."""
from __future__ import annotations

import threading
import time

import pytest
from conftest import ROOT

import ingest
from ingest import ocr
from nlp import parse
from text.letter_parts import is_motto

SCAN = ROOT / "tests" / "data" / "formats" / "scan"
PDF = ROOT / "tests" / "data" / "formats" / "pdf"
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese data not installed")


def _word(text: str, left: int, top: int, line: int, conf: float = 93.0, width: int | None = None) -> dict:
    """A Tesseract TSV word at 300 dpi (pixels); 12 pt capitals are about 40 px tall."""
    return {"text": text, "left": left, "top": top, "width": width or 28 * len(text), "height": 40,
            "conf": conf, "line": ("1", "1", str(line))}


def _lines(words: list[dict]) -> list[tuple[str, str]]:
    lines = ocr.words_to_lines(words, 1, 72 / 300, 595.0)
    return [(ln.column, ln.text) for ln in lines if ln.text]


def test_a_speck_between_the_header_columns_does_not_join_them() -> None:
    # Tesseract reads one row across both columns, with a speck it is unsure of in the gap
    row1 = [_word("BAN", 430, 250, 1), _word("CHẤP", 560, 250, 1), _word("HÀNH", 720, 250, 1),
            _word("TRUNG", 890, 250, 1), _word("ƯƠNG", 1090, 250, 1), _word("...", 1248, 250, 1, conf=39, width=99),
            _word("ĐẢNG", 1370, 250, 1), _word("CỘNG", 1560, 250, 1), _word("SẢN", 1760, 250, 1),
            _word("VIỆT", 1890, 250, 1), _word("NAM", 2056, 250, 1)]
    row2 = [_word("Số", 560, 450, 2), _word("1469-CV/BTGTU", 650, 450, 2),
            _word("Hà", 1400, 450, 3), _word("Nội,", 1480, 450, 3), _word("ngày", 1600, 450, 3),
            _word("15", 1740, 450, 3), _word("tháng", 1810, 450, 3), _word("7", 1980, 450, 3)]
    row3 = [_word("V⁄", 430, 520, 4), _word("tăng", 520, 520, 4), _word("cường", 650, 520, 4)]
    assert _lines(row1 + row2 + row3) == [
        ("left", "BAN CHẤP HÀNH TRUNG ƯƠNG"), ("left", "Số 1469-CV/BTGTU"), ("left", "V/v tăng cường"),
        ("right", "ĐẢNG CỘNG SẢN VIỆT NAM"), ("right", "Hà Nội, ngày 15 tháng 7"),
    ]


def test_printed_marks_stay() -> None:
    words = [_word("-", 340, 300, 1, conf=92, width=14), _word("Như", 370, 300, 1), _word("trên,", 480, 300, 1),
             _word("*", 800, 200, 2, conf=89, width=20)]
    assert [t for _, t in _lines(words)] == ["*", "- Như trên,"]


def test_a_motto_with_one_mark_misread_still_makes_a_header() -> None:
    """`XÃ HỢI` for `XÃ HỘI` (a 96 dpi gazette scan): the row is still a header read column
    by column, not a table row read across."""
    words = [_word("BỘ", 350, 500, 1), _word("NGOẠI", 430, 500, 1), _word("GIAO", 600, 500, 1),
             _word("CỘNG", 1110, 500, 2), _word("HÒA", 1270, 500, 2), _word("XÃ", 1400, 500, 2),
             _word("HỢI", 1480, 500, 2), _word("CHỦ", 1600, 500, 2), _word("NGHĨA", 1720, 500, 2),
             _word("VIỆT", 1900, 500, 2), _word("NAM", 2040, 500, 2),
             _word("Số:", 320, 620, 3), _word("J2/2023/TB-LPQT", 420, 620, 3),
             _word("Hà", 1240, 700, 4), _word("Nội,", 1330, 700, 4), _word("ngày", 1470, 700, 4)]
    assert [c for c, _ in _lines(words)] == ["left", "left", "right", "right"]
    assert is_motto("CỘNG HÒA XÃ HỢI CHỦ NGHĨA VIỆT NAM") and is_motto("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert not is_motto("Cộng hòa xã hội chủ nghĩa Việt Nam là một nước")


def test_pages_are_ocred_as_many_at_a_time_as_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan's pages run in parallel on the cores a batch leaves idle, never more."""
    active, peak, lock = [0], [0], threading.Lock()

    def fake_page(path: str, n: int, dpi: int = 300) -> list:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return [n]

    monkeypatch.setattr(ocr, "ocr_page", fake_page)
    monkeypatch.setattr(ocr, "_cores", lambda: 2)
    try:
        ocr.set_concurrency(lambda: 1)
        assert ocr.ocr_pages("x.pdf", [1, 2, 3, 4]) == {1: [1], 2: [2], 3: [3], 4: [4]}
        assert peak[0] == 1
        ocr.set_concurrency(lambda: 2)
        for _ in range(5):  # two pages at once as soon as the thread pool overlaps them
            ocr.ocr_pages("x.pdf", [1, 2, 3, 4, 5, 6])
            if peak[0] == 2:
                break
        assert peak[0] == 2
    finally:
        ocr.set_concurrency(ocr._cores)


@pytest.fixture(params=["tesserocr", "cli"])
def ocr_engine(request, monkeypatch):
    """Tesseract in process and the `tesseract` command (the fallback) read a page alike."""
    monkeypatch.setenv("CONGVAN_OCR_ENGINE", request.param)
    ocr.engine.cache_clear()
    if ocr.engine() != request.param:
        pytest.skip(f"OCR engine {request.param} not installed")
    yield request.param
    ocr.engine.cache_clear()


@needs_tesseract
def test_ocred_header_reads_left_column_then_right(ocr_engine: str) -> None:
    lines = [ln for ln in ocr.ocr_page(str(SCAN / "000_a6851c37ec536b4a.pdf"), 1) if ln.text]
    left = [ln.text for ln in lines if ln.column == "left"]
    right = [ln.text for ln in lines if ln.column == "right"]
    assert left[:2] == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN"]
    assert "Số 1805-CV/BTGDVTW" in left and any(t.startswith("V/v tăng cường") for t in left)
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 08 tháng 8 năm 2025"]
    assert lines.index(next(ln for ln in lines if ln.column == "right")) > lines.index(
        next(ln for ln in lines if ln.text.startswith("Số")))


@needs_tesseract
def test_scan_of_a_cover_letter_and_the_copy_it_forwards_is_two_documents() -> None:
    """Three scanned pages (about 8 s of Tesseract on one core)."""
    docs = ingest.extract(SCAN / "002_f54cac8d25e4004e.pdf")
    assert [d.source.method for d in docs] == ["ocr", "ocr"]
    assert [parse(d).code for d in docs] == ["1469-CV/BTGTU", "33-CV/TTĐN"]
    assert docs[0].source.pages[-1] < docs[1].source.pages[0]


@pytest.mark.slow
@needs_tesseract
@pytest.mark.parametrize("name", sorted(p.name for p in SCAN.glob("*.pdf")))
def test_scan_gives_the_header_fields_of_the_text_layer(name: str) -> None:
    """Every seed scan against its text-layer PDF (about 40 s of OCR in all: slow). The layout
    must give every field; OCR may misread a few letters of the long ones (`TUYẾN` for `TUYÊN`)."""
    from rapidfuzz.distance import Levenshtein

    exact = ("code", "issued_date", "doc_type", "place", "signer")
    scanned = [parse(d).to_dict() for d in ingest.extract(SCAN / name)]
    printed = [parse(d).to_dict() for d in ingest.extract(PDF / name)]
    assert len(scanned) == len(printed)
    for a, b in zip(scanned, printed):
        assert {f: a[f] for f in exact} == {f: b[f] for f in exact}
        assert a["issuer"]["code"] == b["issuer"]["code"]
        assert (a["issuer"]["parent"] is None) == (b["issuer"]["parent"] is None)
        for key in ("name", "parent"):
            assert Levenshtein.distance(a["issuer"][key] or "", b["issuer"][key] or "") <= 3
        assert Levenshtein.distance(a["subject"], b["subject"]) <= 3
