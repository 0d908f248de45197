#!/usr/bin/env python3
"""Render the seed letters in corpus/text/*.txt as realistic Vietnamese official-letter PDFs.

Layout follows Nghị định 30/2020/NĐ-CP (state letters) and Hướng dẫn 36-HD/VPTW (Party letters):
A4, Liberation Serif (Times-metric, full Vietnamese coverage, embedded and subset), a two-column
header (issuing body + "Số" line + "V/v" subject on the left; motto + place/date on the right),
"Kính gửi", justified body, footnotes at the bottom of the letter's last page, then the
"Nơi nhận" block (bottom-left) beside the signing block (bottom-right).

The layout is derived from the seed text generically (see ``parse_letter``); ``OVERRIDES`` only
supplies what a seed lacks but the real letter prints.  Output: corpus/pdf/<code>.pdf, where
<code> is the document symbol with "/" replaced by "-" (ASCII-folded), byte-for-byte deterministic.

Usage: .venv/bin/python scripts/make_corpus_pdfs.py [--src corpus/text] [--out corpus/pdf]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

rl_config.invariant = 1  # no timestamps / random ids: re-running gives identical bytes

ROOT = Path(__file__).resolve().parent.parent
_FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
# Times-metric serif families, in order of preference (Debian packages fonts-liberation2,
# fonts-liberation, fonts-freefont-ttf); the first one with full Vietnamese coverage is used.
FONT_CANDIDATES = [
    (Path("/usr/share/fonts/truetype/liberation2"), "LiberationSerif-{}.ttf", _FACES),
    (Path("/usr/share/fonts/truetype/liberation"), "LiberationSerif-{}.ttf", _FACES),
    (Path("/usr/share/fonts/truetype/freefont"), "FreeSerif{}.ttf",
     {"": "", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}),
]
FONT = "LiberationSerif"  # set by register_fonts()

# Per-seed additions, keyed by the seed file stem.  Only for things the seed text lacks but the
# real letter prints; everything else is derived from the text.
OVERRIDES: dict[str, dict[str, list[str]]] = {
    # The seed starts directly with "Số: /BTTTT-TTĐN Hà Nội, ..." (the header column with the issuing
    # body was lost in extraction).  The real letter prints the ministry name, which the symbol
    # BTTTT (Bộ Thông tin và Truyền thông) and the body text ("Bộ Thông tin và Truyền thông trân
    # trọng đề nghị ...") identify.
    "004_8f334d4af6981667": {"body": ["BỘ THÔNG TIN VÀ TRUYỀN THÔNG"]},
    # The seed has no issuing-body lines (nor motto; the motto is inferred from the Party-style
    # symbol "-CV/BTGDV").  The letter text names the sender "Ban Tuyên giáo và Dân vận Đảng ủy Bộ"
    # (archive line "Lưu Ban Tuyên giáo và Dân vận ĐUB"); which ministry is not stated anywhere in
    # the seed, so only the text-backed parent "ĐẢNG ỦY BỘ" is printed.
    "001_c2a7dc2c21a2c490": {"body": ["ĐẢNG ỦY BỘ", "BAN TUYÊN GIÁO VÀ DÂN VẬN"]},
}

PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MOTTO_RE = re.compile(r"^(ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do)")
SO_RE = re.compile(r"^Số\b:?\s*")
DATE_RE = re.compile(r",\s*ngày\b.*\bnăm\s*\d{4}")
FOOTNOTE_RE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")
SUBJECT_RE = re.compile(r"^V/v\b")
KINH_GUI_RE = re.compile(r"^Kính gửi\s*:?\s*")
NOI_NHAN_RE = re.compile(r"^Nơi nhận\s*:?")
NBSP = "\u00a0"
BLANK = NBSP * 7  # a hand-filled blank (day, month, number) in the printed form


# ---------------------------------------------------------------------------------------------
# Text clean-up and parsing
# ---------------------------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    bold: bool = False  # the seed marked the line **bold** (used for trailing annexes only)


def clean_markdown(raw: str) -> str:
    """Strip markdown artefacts: <url> brackets, **bold**, *emphasis* (keeps a lone Party '*')."""
    s = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", raw)
    s = s.replace("**", "")
    s = re.sub(r"\*([^*\s](?:[^*]*[^*\s])?)\*", r"\1", s)  # *inline emphasis*
    s = s.strip()
    if s != "*":  # emphasis spanning several lines: "*V/v ...", "... lần thứ X*"
        s = re.sub(r"^\*(?=\S)", "", s)
        s = re.sub(r"(?<=\S)\*$", "", s)
    return s.strip()


def read_lines(path: Path) -> list[Line]:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    text = text.replace("****", "**\n**")  # "**Heading****Next heading**" glued by the extractor
    out = []
    for raw in text.splitlines():
        r = raw.strip()
        out.append(Line(clean_markdown(r), bold=r.startswith("**") or r.endswith("**")))
    return out


def is_caps(s: str) -> bool:
    return any(c.isalpha() for c in s) and s == s.upper()


def is_header_filler(t: str) -> bool:
    """Blank, Party '*', or a capitalised issuing-body line (not the motto)."""
    return not t or t == "*" or (is_caps(t) and not MOTTO_RE.match(t))


def split_letters(lines: list[Line]) -> list[list[Line]]:
    """A new letter starts at the first header anchor (motto / date / Số line) that follows a
    'Nơi nhận' block; its header block is the run of capitalised lines just above the anchor."""
    starts = [0]
    seen_noi_nhan = False
    for i, ln in enumerate(lines):
        t = ln.text
        if NOI_NHAN_RE.match(t):
            seen_noi_nhan = True
        elif seen_noi_nhan and (MOTTO_RE.match(t) or SO_RE.match(t) or DATE_RE.search(t)):
            j = i
            while j > starts[-1] and is_header_filler(lines[j - 1].text):
                j -= 1
            while j < i and not lines[j].text:
                j += 1
            starts.append(j)
            seen_noi_nhan = False
    bounds = starts + [len(lines)]
    return [lines[a:b] for a, b in zip(bounds, bounds[1:])]


def blocks(lines: list[Line]) -> list[list[Line]]:
    """Group non-blank lines into blank-separated blocks."""
    out: list[list[Line]] = []
    cur: list[Line] = []
    for ln in lines:
        if ln.text:
            cur.append(ln)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


@dataclass
class Letter:
    body: list[str] = field(default_factory=list)  # issuing body, parent first
    party: bool = False
    so_line: str = ""  # as printed, e.g. "Số 1805-CV/BTGDVTW"
    code: str = ""  # e.g. "1805-CV/BTGDVTW", "-CV/BTGDV", "/BTTTT-TTĐN"
    date_line: str = ""
    subject: list[str] = field(default_factory=list)
    kinh_gui: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    noi_nhan: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)
    signer: list[str] = field(default_factory=list)
    annex: list[Line] = field(default_factory=list)

    @property
    def motto(self) -> tuple[str, ...]:
        return (PARTY_MOTTO,) if self.party else STATE_MOTTO


def split_place_date(s: str) -> tuple[str, str]:
    """'Số: /BTTTT-TTĐN Hà Nội, ngày tháng năm 2023' -> ('Số: /BTTTT-TTĐN', 'Hà Nội, ngày ...')."""
    m = DATE_RE.search(s)
    if not m:
        return s, ""
    head = s[: m.start()].split()
    k = len(head)
    while k > 0 and head[k - 1][:1].isupper() and head[k - 1].replace(".", "").isalpha():
        k -= 1
    return " ".join(head[:k]), " ".join(head[k:]) + s[m.start():]


def normalise_code(code: str) -> str:
    code = re.sub(r"\s+", " ", code).strip()
    return re.sub(r"(\d|^)\s*-\s*(?=[A-ZĐ])", r"\1-", code).replace(" ", "")


def parse_letter(lines: list[Line]) -> Letter:
    L = Letter()
    texts = [ln.text for ln in lines]
    # --- header zone: everything before the first "V/v" / "Kính gửi" line -----------------------
    end = next((i for i, t in enumerate(texts) if SUBJECT_RE.match(t) or KINH_GUI_RE.match(t)), len(texts))
    has_motto_line = False
    for t in texts[:end]:
        if not t:
            continue
        if t == "*":
            L.party = True
        elif MOTTO_RE.match(t):
            has_motto_line = True
            L.party = L.party or t.startswith("ĐẢNG")
        elif SO_RE.match(t):
            so, date = split_place_date(t)
            L.so_line, L.date_line = so, date or L.date_line
        elif DATE_RE.search(t):
            L.date_line = t
        elif is_caps(t):
            L.body.append(t)
    if L.so_line:
        L.code = normalise_code(SO_RE.sub("", L.so_line))
        prefix = SO_RE.match(L.so_line).group(0).strip()
        L.so_line = f"{prefix} {L.code}"
    if not has_motto_line:
        # No motto in the seed: a Party symbol looks like "<no>-<TYPE>/<BODY>", a state one
        # like "<no>/<BODY>-<UNIT>".
        L.party = L.party or bool(re.match(r"^\d*-[A-ZĐ]{1,5}/", L.code))
    # --- subject ("V/v ...") ---------------------------------------------------------------------
    i = end
    if i < len(texts) and SUBJECT_RE.match(texts[i]):
        while i < len(texts) and texts[i] and not KINH_GUI_RE.match(texts[i]):
            L.subject.append(texts[i])
            i += 1
    # --- Kính gửi --------------------------------------------------------------------------------
    while i < len(texts) and not KINH_GUI_RE.match(texts[i]):
        i += 1
    if i < len(texts):
        rest = KINH_GUI_RE.sub("", texts[i]).strip()
        i += 1
        raw: list[str] = [rest] if rest else []
        if not rest:
            while i < len(texts) and not texts[i]:
                i += 1
        while i < len(texts) and texts[i]:
            raw.append(texts[i])
            i += 1
        for r in raw:  # continuation lines belong to the previous "- " item
            if L.kinh_gui and not r.startswith("-"):
                L.kinh_gui[-1] += " " + r
            else:
                L.kinh_gui.append(r)
    # --- body until "Nơi nhận" -------------------------------------------------------------------
    j = next((k for k in range(i, len(texts)) if NOI_NHAN_RE.match(texts[k])), len(texts))
    for blk in blocks(lines[i:j]):
        para = " ".join(ln.text for ln in blk)
        if FOOTNOTE_RE.match(para):
            L.footnotes.append(para)
        elif L.paragraphs and not re.search(r"[.!?:;)”\"…]$", L.paragraphs[-1]) and para[:1].islower():
            L.paragraphs[-1] += " " + para  # paragraph split by a page break in the source
        else:
            L.paragraphs.append(para)
    # --- Nơi nhận, signing block, trailing footnotes / annexes --------------------------------
    i = j + 1
    rest_blocks = blocks(lines[i:])
    while rest_blocks and all(ln.text.startswith("-") for ln in rest_blocks[0]):
        L.noi_nhan += [ln.text for ln in rest_blocks.pop(0)]
    if rest_blocks and all(is_caps(ln.text) for ln in rest_blocks[0]):
        L.authority = [ln.text for ln in rest_blocks.pop(0)]
    if rest_blocks and not FOOTNOTE_RE.match(rest_blocks[0][0].text) and len(rest_blocks[0]) <= 2:
        L.signer = [ln.text for ln in rest_blocks.pop(0)]
    for blk in rest_blocks:
        for ln in blk:
            if FOOTNOTE_RE.match(ln.text):
                L.footnotes.append(ln.text)
            else:
                L.annex.append(ln)
    return L


def parse_file(path: Path) -> list[Letter]:
    letters = [parse_letter(chunk) for chunk in split_letters(read_lines(path))]
    override = OVERRIDES.get(path.stem)
    if override and "body" in override:
        letters[0].body = list(override["body"])
    return letters


def pdf_name(code: str) -> str:
    ascii_code = unicodedata.normalize("NFKD", code.replace("Đ", "D").replace("đ", "d"))
    ascii_code = "".join(c for c in ascii_code if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_code).strip("-")
    return f"{stem or 'unnumbered'}.pdf"


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def register_fonts(needed: set[str]) -> str:
    """Register the first candidate serif family whose four faces cover every character in
    `needed`; return its path.  (Debian's fonts-liberation 1.07 has no Vietnamese glyphs such as
    'ư' or 'ấ' -- fonts-liberation2 does.)"""
    global FONT
    needed = {c for c in needed if not c.isspace()}
    for folder, name, faces in FONT_CANDIDATES:
        paths = {k: folder / name.format(v) for k, v in faces.items()}
        if not all(p.exists() for p in paths.values()):
            continue
        if any(set(map(ord, needed)) - set(TTFontFile(str(p)).charToGlyph) for p in paths.values()):
            continue
        FONT = name.format("").replace("-", "").removesuffix(".ttf")
        for suffix, p in paths.items():
            pdfmetrics.registerFont(TTFont(FONT + suffix, str(p)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
                                      boldItalic=FONT + "-BoldItalic")
        return str(paths[""])
    raise SystemExit("no installed serif font covers the Vietnamese text; apt-get install fonts-liberation2")


def style(name: str, size: float = 13, face: str = "", align=TA_CENTER, leading: float | None = None,
          **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT + face, fontSize=size, leading=leading or size * 1.2,
                          alignment=align, **kw)


def fit_size(text: str, face: str, size: float, width: float, minimum: float = 10) -> float:
    """Largest size <= `size` (in 0.5pt steps) at which `text` fits on one line of `width`."""
    while size > minimum and pdfmetrics.stringWidth(text, FONT + face, size) > width:
        size -= 0.5
    return size


def balanced_break(text: str, face: str, size: float) -> str:
    """Split `text` into two lines of most nearly equal width ("BỘ THÔNG TIN\nVÀ TRUYỀN THÔNG")."""
    words = text.split()

    def longer(i: int) -> float:
        return max(pdfmetrics.stringWidth(" ".join(part), FONT + face, size) for part in (words[:i], words[i:]))

    i = min(range(1, len(words)), key=longer, default=len(words))
    return " ".join(words[:i]) + "\n" + " ".join(words[i:])


def blanks(s: str) -> str:
    """Widen hand-filled blanks: 'ngày tháng 6' -> 'ngày ____ tháng 6', 'Số: /X' -> 'Số: ____/X'."""
    s = re.sub(r"\bngày\s+(?=tháng)", "ngày " + BLANK + " ", s)
    s = re.sub(r"\btháng\s+(?=năm)", "tháng " + BLANK + " ", s)
    s = re.sub(r"^(Số:?)\s*(?=[-/])", r"\1 " + BLANK, s)
    return s


class BottomBlock(Flowable):
    """Draws its flowables at the bottom of the current frame (footnotes under the last text)."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.items = flowables
        self._content_h = 0.0

    def wrap(self, aw, ah):
        self._aw = aw
        self._content_h = sum(f.wrap(aw, ah)[1] for f in self.items)
        self.width = aw
        self.height = max(ah - 1, self._content_h) if self._content_h <= ah else self._content_h
        return self.width, self.height

    def draw(self):
        y = self._content_h
        for f in self.items:
            _, h = f.wrap(self._aw, self._content_h)
            y -= h
            f.drawOn(self.canv, 0, y)


class LetterStart(Flowable):
    """Zero-size marker: records the page a letter starts on (for per-letter page numbers)."""

    def __init__(self, doc: LetterDoc):
        super().__init__()
        self.doc = doc

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.doc.letter_first_page = self.canv.getPageNumber()


class LetterDoc(BaseDocTemplate):
    def __init__(self, filename: str, **kw):
        super().__init__(filename, **kw)
        self.letter_first_page = 1
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="f",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("p", [frame], onPageEnd=self._page_number)])

    def _page_number(self, canv, doc):
        n = canv.getPageNumber() - self.letter_first_page + 1
        if n >= 2:  # NĐ 30: page numbers centred in the top margin, from page 2 on
            canv.setFont(FONT, 13)
            canv.drawCentredString(self.leftMargin + self.width / 2, A4[1] - 12 * mm, str(n))


def para(text: str, st: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), st)


def header_table(L: Letter, width: float) -> Table:
    # right column: sized to the motto (the date line shrinks to fit); the left column gets the rest
    motto_sizes = [14.5] if L.party else [12, 13]
    right_need = max(pdfmetrics.stringWidth(t, FONT + "-Bold", s) for t, s in zip(L.motto, motto_sizes))
    pad = 6 * mm  # each column's text is centred within (column - pad): the columns never touch
    right_w = min(max(right_need + pad, 72 * mm), width - 70 * mm)
    left_w = width - right_w
    inner = left_w - pad

    left: list[Flowable] = []
    for k, t in enumerate(L.body):
        face = "-Bold" if (k > 0 or len(L.body) == 1) else ""
        s = fit_size(t, face, 13, inner, minimum=12)
        if pdfmetrics.stringWidth(t, FONT + face, s) > inner:  # too long: two balanced lines
            t = balanced_break(t, face, 13)
            s = min(fit_size(x, face, 13, inner) for x in t.split("\n"))
        left.append(para(t, style(f"b{k}", s, face)))
    if L.party:
        left.append(para("*", style("star", 13, leading=12)))
    elif L.body:
        left.append(HRFlowable(width="35%", thickness=0.6, color=colors.black, hAlign="CENTER",
                               spaceBefore=1, spaceAfter=4))
    right: list[Flowable] = []
    if L.party:
        right.append(Paragraph(f"<u>{escape(L.motto[0])}</u>", style("m", 14.5, "-Bold")))
    else:
        right.append(para(L.motto[0], style("m0", fit_size(L.motto[0], "-Bold", 12, right_w - pad),
                                                 "-Bold")))
        right.append(Paragraph(f"<u>{escape(L.motto[1])}</u>", style("m1", 13, "-Bold")))

    lower_left: list[Flowable] = []
    if L.so_line:
        so = blanks(L.so_line)
        lower_left.append(para(so, style("so", fit_size(so, "", 13, inner))))
    if L.subject:
        face = "-Italic" if L.party else ""
        s = min(fit_size(t, face, 12, inner, 10.5) for t in L.subject)
        lower_left.append(Spacer(1, 2))
        lower_left.append(para("\n".join(L.subject), style("vv", s, face, leading=s * 1.15)))
    date = blanks(L.date_line)
    date_size = fit_size(date, "-Italic", 13, right_w - pad)
    lower_right = [para(date, style("d", date_size, "-Italic"))] if date else []

    t = Table([[left, right], [lower_left, lower_right]], colWidths=[left_w, right_w])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ]))
    return t


def kinh_gui_block(items: list[str], width: float) -> Flowable:
    lab = "Kính gửi:"
    if len(items) == 1 and not items[0].startswith("-"):
        return para(f"{lab} {items[0]}", style("kg", 13, leading=16))
    lab_w = pdfmetrics.stringWidth(lab + " ", FONT, 13) + 1
    st = style("kgi", 13, align=TA_LEFT, leading=16)
    cells = [para(x, st) for x in items]
    indent = 18 * mm
    label = para(lab, style("kgl", 13, align=TA_RIGHT, leading=16, rightIndent=3))
    t = Table([[label, cells]], colWidths=[indent + lab_w, width - indent - lab_w])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def closing_table(L: Letter, width: float) -> Table:
    left_w = width * 0.5
    right_w = width - left_w
    left: list[Flowable] = []
    if L.noi_nhan:
        left.append(Paragraph("<b><i>Nơi nhận:</i></b>", style("nn", 12, align=TA_LEFT)))
        st = style("nni", 11, align=TA_LEFT, leading=12.5, leftIndent=6, firstLineIndent=-6)
        left += [para(x, st) for x in L.noi_nhan]
    right: list[Flowable] = []
    for k, t in enumerate(L.authority):
        right.append(para(t, style(f"a{k}", fit_size(t, "-Bold", 13, right_w - 2 * mm), "-Bold")))
    right.append(Spacer(1, 24 * mm))
    for k, t in enumerate(L.signer):
        right.append(para(t, style(f"s{k}", 13, "-Bold")))
    t = Table([[left, right]], colWidths=[left_w, right_w])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def footnote_flowables(notes: list[str], width: float) -> list[Flowable]:
    st = style("fn", 10.5, align=TA_JUSTIFY, leading=12.5, spaceBefore=1)
    out: list[Flowable] = [HRFlowable(width=50 * mm, thickness=0.5, color=colors.black, hAlign="LEFT",
                                      spaceBefore=6, spaceAfter=3)]
    for n in notes:
        m = FOOTNOTE_RE.match(n)
        mark, text = n[: m.end()].strip(), n[m.end():]
        out.append(Paragraph(f"<super>{escape(mark)}</super> {escape(text)}", st))
    return out


def annex_flowables(lines: list[Line]) -> list[Flowable]:
    out: list[Flowable] = []
    for ln in lines:
        t = ln.text
        if ln.bold and t.endswith(":"):
            out.append(Paragraph(f"<b><i>{escape(t)}</i></b>", style("ax_l", 13, align=TA_LEFT,
                                                                       spaceBefore=6, spaceAfter=3)))
        elif ln.bold and not re.match(r"^[IVXLC]+\.\s", t):
            out.append(para(t,
                            style("ax_t", 14, "-Bold", spaceBefore=10, spaceAfter=8)))
        elif ln.bold:
            out.append(para(t, style("ax_h", 13, "-Bold", align=TA_LEFT, spaceBefore=8, spaceAfter=3)))
        elif re.match(r"^\d+\.\s", t):
            out.append(para(t, style("ax_i", 13, align=TA_LEFT, leading=16, leftIndent=10 * mm)))
        else:
            out.append(para(t, style("ax_p", 13, align=TA_JUSTIFY, leading=17, firstLineIndent=10 * mm,
                                     spaceAfter=4)))
    return out


def letter_story(L: Letter, doc: LetterDoc) -> list[Flowable]:
    width = doc.width
    body = style("body", 13, align=TA_JUSTIFY, leading=17, firstLineIndent=10 * mm, spaceAfter=5)
    story: list[Flowable] = [LetterStart(doc), header_table(L, width), Spacer(1, 8 * mm)]
    if L.kinh_gui:
        story += [kinh_gui_block(L.kinh_gui, width), Spacer(1, 5 * mm)]
    story += [para(p, body) for p in L.paragraphs]
    story += [Spacer(1, 4 * mm), closing_table(L, width)]
    if L.footnotes:
        story.append(BottomBlock(footnote_flowables(L.footnotes, width)))
    if L.annex:
        story += [PageBreak(), *annex_flowables(L.annex)]
    return story


def render(letters: list[Letter], out: Path, source: str) -> None:
    first = letters[0]
    doc = LetterDoc(str(out), pagesize=A4, leftMargin=30 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                    bottomMargin=20 * mm, invariant=1, initialFontName=FONT,
                    title=f"{first.so_line} – {' '.join(first.subject)}", author=" ".join(first.body[-1:]),
                    subject=source, creator="congvan scripts/make_corpus_pdfs.py")
    story: list[Flowable] = []
    for k, L in enumerate(letters):
        if k:
            story.append(PageBreak())
        story += letter_story(L, doc)
    doc.build(story)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=ROOT / "corpus" / "text")
    ap.add_argument("--out", type=Path, default=ROOT / "corpus" / "pdf")
    args = ap.parse_args(argv)
    sources = sorted(args.src.glob("*.txt"))
    parsed = {p: parse_file(p) for p in sources}
    needed = set("".join(p.read_text(encoding="utf-8") for p in sources))
    needed |= set(PARTY_MOTTO + "".join(STATE_MOTTO))
    needed |= {c for L in (x for v in parsed.values() for x in v) for t in L.body for c in t}
    print("font:", register_fonts({unicodedata.normalize("NFC", c) for c in needed if c not in "*<>"}))
    args.out.mkdir(parents=True, exist_ok=True)
    for path, letters in parsed.items():
        out = args.out / pdf_name(letters[0].code)
        render(letters, out, path.name)
        print(f"{path.name} -> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} "
              f"({len(letters)} letter(s), {out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
