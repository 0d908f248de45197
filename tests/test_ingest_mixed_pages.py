"""Mixed PDF pages: a text layer for the header, the body in a picture below it (signed gazette
pages). The picture's area is OCR'd and read in place; a logo, a seal, a narrow photo or a
background under full text are not."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SHARED

import ingest
from ingest import ocr
from ingest import pdf as pdf_mod
from text.fold import fold

needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Tesseract with Vietnamese data not installed")
FONTS = (Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
         Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"))
HEADER = ["BỘ TÀI CHÍNH", "Số: 7/2026/TT-BTC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 10 tháng 3 năm 2026", "THÔNG TƯ"]
BODY = ["Căn cứ Luật Ngân sách nhà nước số 89/2025/QH15;",
        "Bộ trưởng Bộ Tài chính ban hành Thông tư này.",
        "Điều 1. Phạm vi điều chỉnh",
        "Thông tư này quy định việc lập dự toán kinh phí."]


def _font_path() -> Path:
    found = next((p for p in FONTS if p.is_file()), None)
    if found is None:
        pytest.skip("no Liberation Serif with Vietnamese letters")
    return found


def _picture(lines: list[str], size: tuple[int, int], dpi: int = 200):
    """Lines of text drawn into a white grayscale picture, as a scanner would give them."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(_font_path()), int(13 * dpi / 72))
    for i, t in enumerate(lines):
        draw.text((int(0.3 * dpi), int(0.25 * dpi) + i * int(22 * dpi / 72)), t, fill=0, font=font)
    return img


def _pdf(text: list[str], image: tuple[float, float, float, float] | None, picture_lines: list[str] | None = None,
         text_from: float = 60.0, under: bool = False) -> bytes:
    """A4 page: `text` lines from `text_from` points below the top, and an image at
    (x0, top, x1, bottom) in points from the top left, holding `picture_lines` (blank if None);
    `under`: the image drawn first, the text over it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("MixedSerif", str(_font_path())))
    buf = io.BytesIO()
    canv = canvas.Canvas(buf, pagesize=(595.0, 842.0), invariant=1)

    def draw_image() -> None:
        x0, top, x1, bottom = image
        px = (int((x1 - x0) * 200 / 72), int((bottom - top) * 200 / 72))
        pic = _picture(picture_lines or [], px)
        canv.drawImage(ImageReader(pic), x0, 842 - bottom, x1 - x0, bottom - top)

    if image and under:
        draw_image()
    canv.setFont("MixedSerif", 13)
    y = 842 - text_from
    for t in text:
        canv.drawString(90, y, t)
        y -= 18
    if image and not under:
        draw_image()
    canv.showPage()
    canv.save()
    return buf.getvalue()


FULL_TEXT = HEADER + BODY * 6  # a page of text: 30 lines


# (name, text lines, image box, what the image shows, image under the text, OCR'd)
CASES = [
    ("body in a picture under a text header", HEADER, (80, 190, 540, 700), BODY, False, True),
    # decoys
    ("seal beside the signature", FULL_TEXT, (380, 700, 480, 800), ["ĐÓNG DẤU"], False, False),
    ("logo in the corner of a full page", FULL_TEXT, (40, 30, 140, 130), [], False, False),
    ("background under the whole text", FULL_TEXT, (0, 0, 595, 842), [], True, False),
    ("narrow photo beside the text", HEADER, (330, 200, 560, 700), [], False, False),
]


@pytest.mark.parametrize("name,text,box,shown,under,needs", CASES, ids=[c[0] for c in CASES])
def test_only_a_picture_the_text_layer_leaves_unread_is_ocred(tmp_path, name, text, box, shown, under, needs) -> None:
    path = tmp_path / "page.pdf"
    path.write_bytes(_pdf(text, box, shown, under=under))
    page = pdf_mod.read_pages(str(path))[0]
    assert bool(pdf_mod.unread_images(page)) is needs


@needs_tesseract
def test_the_picture_is_read_in_place_after_the_header(tmp_path) -> None:
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_pdf(HEADER, (80, 190, 540, 700), BODY))
    doc = ingest.extract(path)[0]
    assert doc.source.method == "mixed"
    text = fold(doc.text)
    at = [text.find(fold(t)) for t in ("Số: 7/2026/TT-BTC", "THÔNG TƯ", "Căn cứ Luật Ngân sách", "Điều 1")]
    assert -1 not in at and at == sorted(at), at
    assert text.count(fold("Độc lập - Tự do")) == 1  # the text layer's lines are not read twice


def test_text_pages_with_a_seal_are_not_ocred(tmp_path) -> None:
    """No OCR at all (it would fail loudly without Tesseract, and cost seconds with it)."""
    path = tmp_path / "sealed.pdf"
    path.write_bytes(_pdf(FULL_TEXT, (380, 700, 480, 800), ["ĐÓNG DẤU"]))
    assert ingest.extract(path)[0].source.method == "text"


MIXED_THONG_TU = SHARED / "eval" / "real" / "pdf" / "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf"


@needs_tesseract
@pytest.mark.skipif(not MIXED_THONG_TU.is_file(), reason="real gazette PDFs not present")
def test_the_gazette_thong_tu_keeps_its_can_cu_lines_and_dieu_1() -> None:
    doc = ingest.extract(MIXED_THONG_TU)[0]
    text = fold(doc.text)
    # OCR may miss a tone mark (`Điêu`): compared folded
    for wanted in ("Căn cứ Luật Ngân sách nhà nước", "Căn cứ Nghị định", "Điều 1. Bãi bỏ", "Điều 2"):
        assert fold(wanted) in text, wanted
    assert text.find(fold("Số: 19/2026/TT-BTC")) < text.find(fold("Căn cứ Luật Ngân sách"))
