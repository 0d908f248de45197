#!/usr/bin/env python3
"""Build the ingest test material in tests/data/formats/ from the seed letters in corpus/text.

For every seed `NAME.txt` it writes, named like the seed so that `score.py` can be pointed at
any one folder:

  pdf/NAME.pdf     the letter PDF of corpus/pdf (two-column header), copied
  docx/NAME.docx   python-docx: header as a two-cell table (issuing body left, motto right),
                   paragraphs, then a closing table (Nơi nhận left, signing block right)
  tcvn3/NAME.pdf   the letter PDF rendered from TCVN3 byte strings in an ordinary font: the text
                   layer that real `.VnTime` PDFs have
  vni/NAME.pdf     the same with VNI-Windows byte strings
  nfd/NAME.txt     the seed text decomposed (NFD), as some Mac and web tools write it
  scan/NAME.pdf    image-only PDF: the letter PDF rasterised at 200 dpi, rotated 0.4°, with noise

Usage: .venv/bin/python scripts/make_ingest_fixtures.py [--only pdf,docx,...]
Deterministic except for the scans' PDF timestamps.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import shutil
import sys
import unicodedata
from dataclasses import fields, replace
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
def encoder(encoding: str):
    from ingest import legacy

    table = legacy._ENCODE[encoding]  # Unicode letter -> legacy spelling (bytes read as Latin-1)

    def encode(text: str) -> str:
        out = []
        for ch in unicodedata.normalize("NFC", text):
            if ch in table:
                out.append(table[ch])
            elif ch.lower() in table and ch.isupper():
                out.append(table[ch.lower()])  # TCVN3 has no toned capitals: typed as small
            else:
                out.append(ch)
        return "".join(out)

    return encode


def encode_letter(letter, encode):
    changes = {}
    for f in fields(letter):
        value = getattr(letter, f.name)
        if isinstance(value, str):
            changes[f.name] = encode(value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            changes[f.name] = [encode(v) for v in value]
        elif isinstance(value, list) and value and hasattr(value[0], "text"):
            changes[f.name] = [replace(v, text=encode(v.text)) for v in value]
    return replace(letter, **changes)


def make_legacy_pdf(maker, seed: Path, out: Path, encoding: str) -> None:
    encode = encoder(encoding)
    letters = [encode_letter(L, encode) for L in maker.parse_file(seed)]
    saved = maker.PARTY_MOTTO, maker.STATE_MOTTO
    maker.PARTY_MOTTO = encode(saved[0])
    maker.STATE_MOTTO = tuple(encode(x) for x in saved[1])
    try:
        maker.render(letters, out, seed.name)
    finally:
        maker.PARTY_MOTTO, maker.STATE_MOTTO = saved


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
def make_scan(src_pdf: Path, out: Path, dpi: int = 200, angle: float = 0.4, seed: int = 7) -> None:
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    pdf = pdfium.PdfDocument(str(src_pdf))
    images = []
    for page in pdf:
        im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        px = im.load()
        w, h = im.size
        for _ in range(w * h // 400):  # salt-and-pepper specks, as from a copier
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = 0 if rng.random() < 0.5 else 255
        images.append(im)
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
    all_text = "".join(p.read_text(encoding="utf-8") for p in seeds) + maker.PARTY_MOTTO + "".join(maker.STATE_MOTTO)
    needed |= set(encoder("tcvn3")(all_text)) | set(encoder("vni")(all_text))  # legacy strings as Latin-1
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
