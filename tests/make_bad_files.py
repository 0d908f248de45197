"""Build the bad-file collection: files an archive meets in real life and must survive.

    python tests/make_bad_files.py OUT_DIR [--big]

Every file is made here from scratch or from the repository's corpus (nothing is downloaded);
the same seed gives the same bytes. `--big` adds the 50 MB one-line text (left out of the
default set only to keep the folder small; the tests build it themselves)."""
from __future__ import annotations

import argparse
import io
import random
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each damaged PDF starts from a different good one, so the ones that can be read are not
# the same document twice.
GOOD_PDF = ROOT / "corpus" / "pdf" / "1805-CV-BTGDVTW.pdf"
GOOD_PDF_2 = ROOT / "corpus" / "pdf" / "1469-CV-BTGTU.pdf"
GOOD_PDF_3 = ROOT / "corpus" / "pdf" / "BTTTT-TTDN.pdf"
GOOD_TEXT = ROOT / "corpus" / "text" / "000_a6851c37ec536b4a.txt"
GOOD_TEXT_2 = ROOT / "corpus" / "text" / "001_c2a7dc2c21a2c490.txt"
VIETNAMESE_NAME = "Công văn số 12 về việc họp giao ban.txt"
VIETNAMESE_NAME_NFD = "Quyết định bổ nhiệm (bản NFD).txt"  # as macOS spells names: decomposed

# A short letter in the Nghị định 30 layout, written for these files (not a seed letter).
LETTER = """ỦY BAN NHÂN DÂN
HUYỆN ĐÔNG ANH
Số: 215/UBND-VP
V/v tổ chức hội nghị giao ban quý III
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đông Anh, ngày 14 tháng 9 năm 2024

Kính gửi: Các phòng, ban chuyên môn thuộc Ủy ban nhân dân huyện.

Căn cứ Kế hoạch số 88/KH-UBND ngày 02/01/2024 của Ủy ban nhân dân huyện, Ủy ban nhân dân
huyện đề nghị các phòng, ban gửi báo cáo kết quả công tác quý III trước ngày 25/9/2024.

Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


def _font() -> str:
    """A TrueType face with Vietnamese glyphs if one is installed (Liberation, FreeSerif), else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in (Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
                 Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
                 Path("/usr/share/fonts/truetype/freefont/FreeSerif.ttf")):
        if path.is_file():
            pdfmetrics.registerFont(TTFont("BadFilesSerif", str(path)))
            return "BadFilesSerif"
    return "Helvetica"


def _pdf(pages: list[list[str]], size: tuple[float, float] = (595.0, 842.0)) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    canv = canvas.Canvas(buf, pagesize=size, invariant=1)
    font = _font()
    for lines in pages:
        canv.setFont(font, 12)
        y = size[1] - 60
        for line in lines:
            canv.drawString(60, y, line)
            y -= 16
        canv.showPage()
    canv.save()
    return buf.getvalue()


def truncated_pdf() -> bytes:
    data = GOOD_PDF_3.read_bytes()
    return data[: len(data) * 2 // 5]


def broken_xref_pdf() -> bytes:
    """Every offset in the cross-reference table wrong; the objects themselves intact."""
    data = GOOD_PDF.read_bytes()
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    table = data[start:end].replace(b" 00000 n", b" 00000 n").split(b"\n")
    out = []
    for row in table:
        parts = row.split(b" ")
        if len(parts) >= 3 and parts[-1].strip() in (b"n", b"f") and len(parts[0]) == 10:
            row = b"%010d" % (int(parts[0]) + 7) + row[10:]
        out.append(row)
    return data[:start] + b"\n".join(out) + data[end:]


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(GOOD_PDF_2).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-" + user_password, algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zip_renamed() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("note.txt", "không phải PDF")
    return buf.getvalue()


def png_renamed() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff" * 16 for _ in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def random_bytes(n: int = 64 * 1024, seed: int = 10) -> bytes:
    return random.Random(seed).randbytes(n)


def pages_300() -> bytes:
    first = LETTER.splitlines()[:8]
    pages = [first + [f"Trang {i}: nội dung báo cáo chi tiết của phòng ban số {i} trong quý III."
                      for i in range(1, 4)]]
    for n in range(2, 301):
        pages.append([f"Trang {n}: nội dung báo cáo chi tiết của phòng ban số {n} trong quý III năm 2024.",
                      "Kết quả thực hiện các nhiệm vụ trọng tâm được tổng hợp theo từng lĩnh vực."])
    return _pdf(pages)


def blank_pages() -> bytes:
    return _pdf([[], [], []])


def latin1_text() -> bytes:
    return ("Rapport d'activité, réunion du comité, été 2024.\nÉléments reçus: procès-verbal, "
            "annexes à compléter.\n").encode("latin-1")


def utf16_text() -> bytes:
    return LETTER.encode("utf-16")  # with its byte-order mark, as Windows Notepad saves it


def invalid_utf8_text() -> bytes:
    data = LETTER.encode("utf-8")
    cut = data.index("Kính gửi".encode())
    return data[:cut] + b"\xff\xfe\xc3(" + data[cut:]  # stray bytes, one broken sequence


def one_line_text(size: int = 50 * 2**20) -> bytes:
    unit = "dữ liệu một dòng không có ký tự xuống dòng ".encode()
    return (unit * (size // len(unit) + 1))[:size]


def nested_docx(depth: int = 2000) -> bytes:
    """A DOCX whose body is a table inside a table inside a table…, `depth` levels deep."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    inner = "<w:p><w:r><w:t>Ô trong cùng</w:t></w:r></w:p>"
    body = "<w:tbl><w:tr><w:tc>" * depth + inner + "</w:tc></w:tr></w:tbl>" * depth
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f"<w:document {ns}><w:body>{body}<w:p/></w:body></w:document>")
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, xml.encode() if item.filename == "word/document.xml" else src.read(item))
    return out.getvalue()


def flate_bomb_pdf(gigabytes: int = 4) -> bytes:
    """One page whose content stream is a few MB of Flate that inflate to `gigabytes` GB of spaces."""
    # Deflate blocks after a full flush do not look back, so one compressed block repeats.
    comp = zlib.compressobj(9)
    block = b" " * (16 * 2**20)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.flush()[:-4]  # the final empty block; its checksum covers two blocks only
    n = gigabytes * 64
    one, adler = zlib.adler32(block), 1
    for _ in range(n):
        adler = _adler32_combine(adler, one, len(block))
    stream = first + again * (n - 1) + end + struct.pack(">I", adler)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _assemble(objs)


def _adler32_combine(a1: int, a2: int, len2: int) -> int:
    """Adler-32 of A+B from those of A and B (zlib's adler32_combine), to skip hashing gigabytes."""
    base = 65521
    rem = len2 % base
    s1 = ((a1 & 0xFFFF) + (a2 & 0xFFFF) + base - 1) % base
    s2 = (rem * (a1 & 0xFFFF) + (a1 >> 16) + (a2 >> 16) + base - rem) % base
    return s1 | (s2 << 16)


def huge_page_pdf() -> bytes:
    """A blank page 200 inches square: rendering it for OCR at 300 dpi is a 3.6-gigapixel image."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Resources << >> >>",
    ]
    return _assemble(objs)


def _assemble(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# name → how to make it. The names say what each file is; the reliability tests and the
# README's table use the same names.
BAD_FILES: dict[str, Callable[[], bytes]] = {
    "truncated.pdf": truncated_pdf,
    "broken-xref.pdf": broken_xref_pdf,
    "encrypted-empty-password.pdf": lambda: _encrypted(""),
    "encrypted-password.pdf": lambda: _encrypted("mat-khau"),
    "zero-bytes.pdf": lambda: b"",
    "zero-bytes.txt": lambda: b"",
    "zip-renamed.pdf": zip_renamed,
    "png-renamed.pdf": png_renamed,
    "random-bytes.pdf": random_bytes,
    "random-bytes.docx": lambda: random_bytes(seed=11),
    "random-bytes.txt": lambda: random_bytes(seed=12),
    "300-pages.pdf": pages_300,
    "blank-pages.pdf": blank_pages,
    "latin-1.txt": latin1_text,
    "utf-16.txt": utf16_text,
    "invalid-utf-8.txt": invalid_utf8_text,
    "nested-2000.docx": nested_docx,
    "flate-bomb.pdf": flate_bomb_pdf,
    "huge-page.pdf": huge_page_pdf,
    VIETNAMESE_NAME: lambda: GOOD_TEXT.read_bytes(),
    unicodedata.normalize("NFD", VIETNAMESE_NAME_NFD): lambda: GOOD_TEXT_2.read_bytes(),
}
BIG_FILES: dict[str, Callable[[], bytes]] = {"one-line-50mb.txt": one_line_text}


def build(folder: Path, names: list[str] | None = None, big: bool = False) -> list[Path]:
    """Write the collection (or the files `names`) into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = {**BAD_FILES, **(BIG_FILES if big or names else {})}
    out = []
    for name in names or list(makers):
        path = folder / name
        path.write_bytes(makers[name]())
        out.append(path)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--big", action="store_true", help="also the 50 MB one-line text")
    args = ap.parse_args()
    for p in build(args.out, big=args.big):
        print(f"{p.stat().st_size:>12,}  {p.name}")
