#!/usr/bin/env python3
"""Build the ingest test material in tests/data/formats/ from the seed letters in corpus/text.

For every seed `NAME.txt` it writes, named like the seed so that `score.py` can be pointed at
any one folder:

  pdf/NAME.pdf     the letter PDF of corpus/pdf (two-column header), copied
  docx/NAME.docx   python-docx: header as a two-cell table (issuing body left, motto right),
                   paragraphs, then a closing table (Nơi nhận left, signing block right)
  tcvn3/NAME.pdf   the letter PDF set in legacy fonts built from the serif faces (`.VnTime`, with
                   all-caps runs in `.VnTimeH`): its text layer holds TCVN3 codes under legacy
                   font names, as real legacy PDFs do (labels such as `Kính gửi:` included)
  vni/NAME.pdf     the same in `VNI-Times` with VNI-Windows codes (marks as zero-width glyphs)
  nfd/NAME.txt     the seed text decomposed (NFD), as some Mac and web tools write it
  scan/NAME.pdf    image-only PDF: the letter PDF rasterised at 200 dpi, rotated 0.4°, black and
                   white, with noise

Usage: .venv/bin/python scripts/make_ingest_fixtures.py [--only pdf,docx,...]
Deterministic except for the scans' PDF timestamps.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import re
import shutil
import sys
import unicodedata
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "corpus" / "text"
OUT = ROOT / "tests" / "data" / "formats"
sys.path.insert(0, str(ROOT))


def load_maker():
    spec = importlib.util.spec_from_file_location("make_corpus_pdfs", ROOT / "scripts" / "make_corpus_pdfs.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus_pdfs", mod)
    spec.loader.exec_module(mod)
    return mod


def corpus_pdf(maker, seed: Path) -> Path:
    return ROOT / "corpus" / "pdf" / maker.pdf_name(maker.parse_file(seed)[0].code)


# --- legacy encodings ----------------------------------------------------------------------------
# A real legacy PDF draws its text in a `.VnTime` (TCVN3) or `VNI-Times` font whose glyph at each
# legacy code is a Vietnamese letter, so its text layer holds the legacy codes under the legacy
# font's name; all-caps headings are set in the TCVN3 `H` font (`.VnTimeH`), which draws its
# lowercase codes as capitals. We build such fonts from the maker's TrueType faces: the legacy
# codes are mapped to the letters' glyphs, and every Paragraph's text is encoded on its way in
# (labels the maker prints itself, `Kính gửi:`, included). reportlab treats U+00AD (TCVN3 `ư`)
# as a soft hyphen and drops it, so that code travels as a private-use stand-in whose ToUnicode
# entry is rewritten to 00AD.
SHY_STAND_IN = "\ue0ad"
LEGACY_FAMILIES = {"tcvn3": (".VnTime", ".VnTimeH"), "vni": ("VNI-Times", None)}
_STYLE_NAMES = {"": "", "-Bold": ",Bold", "-Italic": ",Italic", "-BoldItalic": ",BoldItalic"}


def encoder(encoding: str):
    from ingest import legacy

    table = legacy._ENCODE[encoding]  # Unicode letter -> legacy spelling (bytes read as Latin-1)

    def encode(text: str) -> str:
        out = []
        for ch in unicodedata.normalize("NFC", text):
            if ch in table:
                out.append(table[ch])
            elif ch.lower() in table and ch.isupper():
                out.append(table[ch.lower()])  # TCVN3 has no toned capitals: their small codes
            else:
                out.append(ch)
        return "".join(out)

    return encode


def _is_caps_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def legacy_markup(markup: str, encoding: str) -> str:
    """Paragraph markup with its text (not its tags) in legacy codes; in TCVN3, runs of all-caps
    words go in the `H` font, as typists set headings."""
    encode = encoder(encoding)
    caps_font = LEGACY_FAMILIES[encoding][1]

    def text_part(text: str) -> str:
        if not caps_font:
            return encode(text).replace("\xad", SHY_STAND_IN)
        runs: list[tuple[bool, str]] = []  # (all caps, text): words with the spaces after them
        for token in re.split(r"(\s+)", text):
            caps = runs[-1][0] if token.isspace() and runs else _is_caps_word(token)
            if runs and runs[-1][0] == caps:
                runs[-1] = (caps, runs[-1][1] + token)
            else:
                runs.append((caps, token))
        out = "".join(f'<font face="{caps_font}">{encode(t)}</font>' if caps else encode(t) for caps, t in runs)
        return out.replace("\xad", SHY_STAND_IN)

    parts = re.split(r"(<[^>]*>)", markup)
    return "".join(p if p.startswith("<") else text_part(p) for p in parts)


def register_legacy_fonts(maker, encoding: str) -> str:
    """Register the legacy family (and its `H` capitals family) over the maker's TrueType faces;
    return the family name to set the letters in."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from ingest import legacy

    folder, pattern, faces = next(c for c in maker.FONT_CANDIDATES
                                  if pattern_name(c[1]) == maker.FONT)
    decode = legacy._DECODE[encoding]  # legacy spelling -> Unicode letter
    regular, capitals = LEGACY_FAMILIES[encoding]
    for family, upper in ((regular, False), (capitals, True)):
        if family is None:
            continue
        for suffix, face_name in faces.items():
            font = TTFont(family + suffix, str(folder / pattern.format(face_name)))
            face = font.face
            face.name = (family + _STYLE_NAMES[suffix]).encode()  # the PDF's BaseFont
            glyphs, widths = dict(face.charToGlyph), dict(face.charWidths)
            for code, letter in decode.items():
                if len(code) == 2:  # VNI: a base letter, then a zero-width mark drawn over it
                    mark = unicodedata.normalize("NFD", letter)[-1]
                    face.charToGlyph[ord(code[1])] = glyphs.get(ord(mark), 0)
                    face.charWidths[ord(code[1])] = 0
                    continue
                letter = letter.upper() if upper else letter
                if ord(letter) in glyphs:
                    face.charToGlyph[ord(code)] = glyphs[ord(letter)]
                    face.charWidths[ord(code)] = widths.get(ord(letter), face.defaultWidth)
            if upper:
                for c in "abcdefghijklmnopqrstuvwxyz":
                    face.charToGlyph[ord(c)] = glyphs[ord(c.upper())]
                    face.charWidths[ord(c)] = widths[ord(c.upper())]
            face.charToGlyph[ord(SHY_STAND_IN)] = face.charToGlyph.get(0xAD, glyphs.get(0xAD, 0))
            face.charWidths[ord(SHY_STAND_IN)] = face.charWidths.get(0xAD, face.defaultWidth)
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(family, normal=family, bold=family + "-Bold", italic=family + "-Italic",
                                      boldItalic=family + "-BoldItalic")
    return regular


def pattern_name(pattern: str) -> str:
    return pattern.format("").replace("-", "").removesuffix(".ttf")


_REGISTERED: dict[str, str] = {}


@contextmanager
def legacy_rendering(maker, encoding: str):
    """While rendering: the letters set in the legacy family, Paragraph text encoded, and the
    soft-hyphen stand-in written as 00AD in the ToUnicode maps."""
    from reportlab.pdfbase import pdfmetrics, ttfonts

    family = _REGISTERED.get(encoding) or _REGISTERED.setdefault(encoding, register_legacy_fonts(maker, encoding))
    saved = maker.FONT, maker.Paragraph, ttfonts.makeToUnicodeCMap
    original_cmap = ttfonts.makeToUnicodeCMap

    def cmap(fontname, subset):
        return original_cmap(fontname, [0xAD if c == ord(SHY_STAND_IN) else c for c in subset])

    def paragraph(text, *args, **kwargs):
        return saved[1](legacy_markup(text, encoding), *args, **kwargs)

    class Metrics:  # the maker measures Unicode text: in the Unicode font, as wide as the legacy codes
        def __getattr__(self, name):
            return getattr(pdfmetrics, name)

        def stringWidth(self, text, font_name, size, *args):  # noqa: N802 (reportlab's name)
            if font_name.startswith(family):
                font_name = saved[0] + font_name[len(family):]
            return pdfmetrics.stringWidth(text, font_name, size, *args)

    saved_metrics = maker.pdfmetrics
    maker.FONT, maker.Paragraph, ttfonts.makeToUnicodeCMap = family, paragraph, cmap
    maker.pdfmetrics = Metrics()
    try:
        yield
    finally:
        maker.FONT, maker.Paragraph, ttfonts.makeToUnicodeCMap = saved
        maker.pdfmetrics = saved_metrics


def make_legacy_pdf(maker, seed: Path, out: Path, encoding: str) -> None:
    with legacy_rendering(maker, encoding):
        maker.render(maker.parse_file(seed), out, seed.name)


# --- DOCX ------------------------------------------------------------------------------------------
def make_docx(maker, seed: Path, out: Path) -> None:
    import docx

    document = docx.Document()
    for k, L in enumerate(maker.parse_file(seed)):
        if k:
            document.add_page_break()
        table = document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left_lines = list(L.body) + (["*"] if L.party else []) + [L.so_line] + list(L.subject)
        right_lines = list(L.motto) + [L.date_line]
        for cell, lines in ((left, left_lines), (right, right_lines)):
            cell.paragraphs[0].text = lines[0]
            for t in lines[1:]:
                cell.add_paragraph(t)
        if L.kinh_gui:
            document.add_paragraph("Kính gửi: " + L.kinh_gui[0])
            for t in L.kinh_gui[1:]:
                document.add_paragraph(t)
        for p in L.paragraphs:
            document.add_paragraph(p)
        closing = document.add_table(rows=1, cols=2)
        left, right = closing.rows[0].cells
        left.paragraphs[0].text = "Nơi nhận:"
        for t in L.noi_nhan:
            left.add_paragraph(t)
        sign = list(L.authority) + list(L.signer)
        right.paragraphs[0].text = sign[0] if sign else ""
        for t in sign[1:]:
            right.add_paragraph(t)
        for t in L.footnotes:
            document.add_paragraph(t)
        for ln in L.annex:
            document.add_paragraph(ln.text)
    document.core_properties.created = datetime(2024, 1, 1)  # fixed: files stay byte-identical
    document.save(out)


# --- scans -------------------------------------------------------------------------------------------
THRESHOLD = 170  # gray level under which a pixel of the anti-aliased rendering turns black
def make_scan(src_pdf: Path, out: Path, dpi: int = 300, angle: float = 0.4, seed: int = 7,
              threshold: int = THRESHOLD) -> None:
    """A photocopier's scan: rotated, black and white (1 bit a pixel, CCITT G4 in the PDF:
    ~60 KB a page where 8-bit JPEG of the same noisy page takes ~500 KB), with specks."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(src_pdf))
    images = []
    for page in pdf:
        im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        im = im.point(lambda v: 255 if v > threshold else 0)
        px = im.load()
        w, h = im.size
        for _ in range(w * h // 400):  # salt-and-pepper specks, as from a copier
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = 0 if rng.random() < 0.5 else 255
        images.append(im.convert("1"))
    pdf.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])


def main(argv: list[str] | None = None) -> int:
    kinds = ["pdf", "docx", "tcvn3", "vni", "nfd", "scan"]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(kinds))
    args = ap.parse_args(argv)
    only = args.only.split(",")
    maker = load_maker()
    seeds = sorted(SRC.glob("*.txt"))
    needed = set("".join(p.read_text(encoding="utf-8") for p in seeds)) | set(maker.PARTY_MOTTO)
    maker.register_fonts({unicodedata.normalize("NFC", c) for c in needed if c not in "*<>"})
    for kind in only:
        (OUT / kind).mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        name = seed.stem
        if "pdf" in only:
            shutil.copyfile(corpus_pdf(maker, seed), OUT / "pdf" / f"{name}.pdf")
        if "docx" in only:
            make_docx(maker, seed, OUT / "docx" / f"{name}.docx")
        for enc in ("tcvn3", "vni"):
            if enc in only:
                make_legacy_pdf(maker, seed, OUT / enc / f"{name}.pdf", enc)
        if "nfd" in only:
            text = unicodedata.normalize("NFD", seed.read_text(encoding="utf-8"))
            (OUT / "nfd" / f"{name}.txt").write_text(text, encoding="utf-8")
        if "scan" in only:
            make_scan(corpus_pdf(maker, seed), OUT / "scan" / f"{name}.pdf")
        print("made", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
