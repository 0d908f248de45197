"""The glyphs of a PDF's pages as pdfplumber-style char dicts, read with pypdfium2.

`ingest.pdf` builds words, lines and columns from char dicts (`text`, `x0`, `x1`, `top`,
`bottom`, `size`, `fontname`, `upright`, in points from the page's top left). pdfminer, under
pdfplumber, parses a page's glyphs at ~50 ms a page; pdfium's text page gives the same facts
~20 times faster, so it is the reader, and pdfplumber stays the fallback for the pages pdfium's
coordinates would not match (rotated pages, a media box not at the origin) and for files pdfium
cannot open or fails on.

Matching pdfminer's boxes (so that layout decisions come out the same): `x0` is the glyph's
origin and `x1` the origin plus its advance width; `bottom` is the baseline plus the font's
descent (pdfium's loose box) and `top` is `bottom` minus the size; the size is the font size
times the vertical scale of the glyph's matrix. pdfium drops a few space glyphs that pdfminer
keeps (leading and trailing spaces of a line), which words do not need.
"""
from __future__ import annotations

import ctypes
import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

FILL = 0.2  # an image covering more than this share of the page is counted as a scan
# pdfium aborts the process when an allocation fails, where pdfminer raises MemoryError that a
# batch reports: a Flate stream whose first 64 KB inflate past 16 MB (a decompression bomb) is
# left to pdfplumber.
BOMB_IN, BOMB_OUT = 64 * 1024, 16 * 2**20
_STREAM = re.compile(rb"/FlateDecode.{0,400}?stream\r?\n", re.S)


def inflates_hugely(path: str) -> bool:
    """Whether some Flate stream of the file inflates at a ratio no page content has."""
    with open(path, "rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return False
        with data:
            for m in _STREAM.finditer(data):
                try:
                    out = zlib.decompressobj().decompress(data[m.end(): m.end() + BOMB_IN], BOMB_OUT)
                except zlib.error:
                    continue
                if len(out) >= BOMB_OUT:
                    return True
    return False


@dataclass
class PageChars:
    width: float
    height: float
    chars: list[dict]
    images: int = 0  # images covering a good part of the page (a scan)
    graphics: int = 0  # vector paths (text drawn as outlines has no glyphs but many paths)
    rest: dict = field(default_factory=dict)
    # the boxes of the images counted in `images` (x0, top, x1, bottom, points from the top left)
    image_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    # ruled lines, horizontal or vertical (x0, top, x1, bottom): a table's cell borders
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


def _fits(page) -> bool:
    """Page coordinates flip into pdfplumber's (from the media box's top left) only on an
    unrotated page whose media box starts at the origin; pdfplumber ignores the crop box."""
    media = page.get_mediabox()
    return not page.get_rotation() % 360 and media[0] == 0 and media[1] == 0


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top left
RULE_WIDTH = 2.5  # points: a border drawn as a filled rectangle is this thin, a shading is wider
MIN_RULE = 4.0  # points: shorter strokes are marks, not borders


def _objects(page, width: float, height: float) -> tuple[list[Box], int, list[Box]]:
    """The boxes of the large images (from the top left), the number of vector subpaths and the
    ruled lines (table borders: thin filled rectangles, or the straight segments of a stroked
    path), from the top left."""
    import pypdfium2.raw as raw

    area = width * height
    boxes: list[Box] = []
    rules: list[Box] = []
    paths = 0
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH), max_depth=8):
        if obj.type == raw.FPDF_PAGEOBJ_PATH:
            paths += _subpaths(obj)
            if obj.level == 0:  # a form's objects are placed by the form's matrix as well
                rules += _rules(obj, height)
            continue
        left, bottom, right, top = obj.get_bounds()
        if abs(right - left) * abs(top - bottom) > FILL * area:
            boxes.append((min(left, right), height - max(top, bottom), max(left, right), height - min(top, bottom)))
    return boxes, paths, rules


def _rules(obj, height: float) -> list[Box]:
    """The ruled lines a path draws, from the top left."""
    import pypdfium2.raw as raw

    left, bottom, right, top = obj.get_bounds()
    w, h = right - left, top - bottom
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
    if min(w, h) <= RULE_WIDTH and max(w, h) >= MIN_RULE:  # a line, or a border as a thin rectangle
        return [(left, height - top, right, height - bottom)]
    if not stroke.value or raw.FPDFPath_CountSegments(obj) > 400:
        return []
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[Box] = []
    start = last = None
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_LINETO and last is not None:
            out.append(_segment(last, pt, height))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = pt
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            out.append(_segment(pt, start, height))
        last = pt
    return [r for r in out if r is not None]


def _segment(a: tuple[float, float], b: tuple[float, float], height: float) -> Box | None:
    """A straight stroke as a rule, if it is horizontal or vertical and long enough."""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    if min(x1 - x0, y1 - y0) > 1.0 or max(x1 - x0, y1 - y0) < MIN_RULE:
        return None
    return (x0, height - y1, x1, height - y0)


def _subpaths(obj) -> int:
    """Subpaths of a path object (a move followed by some drawing), each of which pdfminer
    counts as a curve, line or rect of its own."""
    import pypdfium2.raw as raw

    n = 0
    drawn = True
    for k in range(raw.FPDFPath_CountSegments(obj)):
        kind = raw.FPDFPathSegment_GetType(raw.FPDFPath_GetPathSegment(obj, k))
        if kind == raw.FPDF_SEGMENT_MOVETO:
            drawn = False
        elif not drawn:
            n += 1
            drawn = True
    return n


def _page_chars(textpage, height: float) -> list[dict]:
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(textpage)
    chars: list[dict] = []
    loose = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    width_out = ctypes.c_float()
    names: dict[int, str] = {}  # font handle -> base font name
    advances: dict[tuple[int, int], float | None] = {}  # (font, code point) -> advance per unit size
    for i in range(n):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if raw.FPDFText_IsGenerated(textpage, i) != 0:
            # pdfium puts its own space in place of a space glyph set in another font subset
            # (`về` + ` ` + `sắp`): keep it as a zero-width space after the glyph before it
            if code == 0x20 and chars and chars[-1]["text"] != " ":
                prev = chars[-1]
                chars.append(dict(prev, text=" ", x0=prev["x1"]))
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, i, loose):
            continue
        raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
        raw.FPDFText_GetMatrix(textpage, i, matrix)
        font_size = raw.FPDFText_GetFontSize(textpage, i)
        obj = raw.FPDFText_GetTextObject(textpage, i)
        font = raw.FPDFTextObj_GetFont(obj) if obj else None
        if code == 0x02:
            code = _hyphen(font, (loose.right - ox.value) / (font_size * matrix.a or 1.0), width_out)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0
        name = names.get(key)
        if name is None:
            length = raw.FPDFText_GetFontInfo(textpage, i, buf, len(buf), flags)
            name = names[key] = buf.raw[: max(0, length - 1)].decode("utf-8", "replace")
        adv = advances.get((key, code), -1.0)
        if adv == -1.0:
            adv = None
            if font and raw.FPDFFont_GetGlyphWidth(font, code, 1.0, width_out):
                adv = float(width_out.value)
            advances[(key, code)] = adv
        size = font_size * abs(matrix.d) if matrix.b == 0 and matrix.c == 0 else font_size * (
            (matrix.c ** 2 + matrix.d ** 2) ** 0.5)
        x0 = ox.value
        # the advance from the font's widths; pdfium's loose box is that widened to the glyph's ink
        x1 = x0 + adv * font_size * matrix.a if adv is not None and matrix.b == 0 else loose.right
        bottom = height - loose.bottom
        chars.append({
            "text": chr(code), "x0": x0, "x1": x1, "top": bottom - size, "bottom": bottom, "size": size,
            "fontname": name, "upright": matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0,
        })
    return _join_surrogates(chars)


def _hyphen(font, width: float, out: ctypes.c_float) -> int:
    """pdfium reports a hyphen that ends a line as U+0002, whether the glyph was `-` or a soft
    hyphen (U+00AD, which is `ư` in a TCVN3 font: `Đầu tư`). Tell them by the glyph's width."""
    import pypdfium2.raw as raw

    best, best_err = 0x2D, None
    for cand in (0x2D, 0xAD):
        if font and raw.FPDFFont_GetGlyphWidth(font, cand, 1.0, out):
            err = abs(out.value - width)
            if best_err is None or err < best_err - 0.01:
                best, best_err = cand, err
    return best


def _join_surrogates(chars: list[dict]) -> list[dict]:
    """pdfium counts a character outside the BMP as two UTF-16 halves."""
    if not any(0xD800 <= ord(c["text"]) <= 0xDFFF for c in chars):
        return chars
    out: list[dict] = []
    for c in chars:
        t, prev = c["text"], out[-1]["text"] if out else ""
        if 0xDC00 <= ord(t) <= 0xDFFF and len(prev) == 1 and 0xD800 <= ord(prev) <= 0xDBFF:
            out[-1]["text"] = (out[-1]["text"] + t).encode("utf-16", "surrogatepass").decode("utf-16")
            continue
        out.append(c)
    return [c for c in out if not 0xD800 <= ord(c["text"][0]) <= 0xDFFF]


def pdfium_pages(path: str, password: str = "") -> Iterator[PageChars | None]:
    """Every page's glyphs through pdfium, one page at a time; None for a page whose
    coordinates would differ from pdfplumber's (rotated): the caller reads that one otherwise.
    pdfium's errors (`pypdfium2.PdfiumError`) pass through, on opening at once, and so does a
    MemoryError for a file with a decompression bomb (see `inflates_hugely`)."""
    import pypdfium2 as pdfium

    if inflates_hugely(path):
        raise MemoryError("a Flate stream inflates at a decompression bomb's ratio")
    pdf = pdfium.PdfDocument(path, password=password or None)
    return _iter_pages(pdf)


def _iter_pages(pdf) -> Iterator[PageChars | None]:
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            if not _fits(page):
                page.close()
                yield None
                continue
            media = page.get_mediabox()
            width, height = media[2] - media[0], media[3] - media[1]
            textpage = page.get_textpage()
            chars = _page_chars(textpage, height)
            boxes, graphics, rules = _objects(page, width, height)
            textpage.close()
            page.close()
            yield PageChars(float(width), float(height), chars, len(boxes), graphics, image_boxes=boxes, rules=rules)
    finally:
        pdf.close()
