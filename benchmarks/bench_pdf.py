#!/usr/bin/env python3
"""Pages per second of PDF ingestion, printed as a markdown table.

Rows: pypdfium2 plain text (the speed reference); the glyphs as char dicts through pdfplumber
(before) and through pypdfium2's text page (`ingest.pdfchars`, what ingest.pdf reads now);
`ingest.extract` on text PDFs with one worker and with two, through each reader; the same as
documents per second on 2-page text PDFs; and OCR (`ocr="always"`) on a few pages with one
worker and two. Input: the real gazette PDFs in ../shared/eval/real/pdf.
Usage: .venv/bin/python benchmarks/bench_pdf.py [--ocr-pages N]
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT.parent / "shared" / "eval" / "real" / "pdf"
TWO_PAGE = ["congbao_thong-tu-so-02-2026-tt-btc-468745.pdf", "congbao_nghi-quyet-so-25-2022-ubtvqh15-37724.pdf"]
TEXT = ["congbao_nghi-dinh-so-38-2022-nd-cp-37348.pdf", "congbao_thong-tu-so-12-2022-tt-bldtbxh-37536.pdf",
        "congbao_nghi-dinh-so-168-2026-nd-cp-469560.pdf", "congbao_chi-thi-so-21-ct-ttg-469580.pdf"]
SCAN = "congbao_nghi-quyet-so-115-nq-cp-469452.pdf"


def pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    n = len(pdf)
    pdf.close()
    return n


def pdfium_text(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    n = sum(len(p.get_textpage().get_text_range()) for p in pdf)
    pdf.close()
    return n


def plumber_chars(path: str) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(p.chars) for p in pdf.pages)


def pdfium_chars(path: str) -> int:
    from ingest.pdfchars import pdfium_pages

    return sum(len(p.chars) for p in pdfium_pages(path) if p is not None)


def extract(path: str, ocr: str = "never") -> int:
    import ingest

    return len(ingest.extract(path, ocr=ocr))


def extract_plumber(path: str) -> int:
    """`ingest.extract` as it was: glyphs through pdfplumber."""
    from unittest import mock

    import ingest
    from ingest import pdf

    real = pdf.read_pages
    with mock.patch.object(pdf, "read_pages", lambda p, password="": real(p, password, engine="pdfplumber")):
        return len(ingest.extract(path, ocr="never"))


def extract_ocr(path: str) -> int:
    return extract(path, "always")


def run(fn, files: list[str], workers: int) -> float:
    start = time.perf_counter()
    if workers == 1:
        for f in files:
            fn(f)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(fn, files))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2, help="copies of the text-PDF set per run")
    args = ap.parse_args()
    files = [str(PDF / f) for f in TEXT] * args.repeat
    n = sum(pages(Path(f)) for f in files)
    rows = []
    for label, fn, workers in [("pypdfium2 plain text (reference)", pdfium_text, 1),
                               ("chars through pdfplumber (before)", plumber_chars, 1),
                               ("chars through pypdfium2 text page (now)", pdfium_chars, 1),
                               ("ingest.extract, text PDFs, pdfplumber (before)", extract_plumber, 1),
                               ("ingest.extract, text PDFs, pdfplumber (before)", extract_plumber, 2),
                               ("ingest.extract, text PDFs (now)", extract, 1),
                               ("ingest.extract, text PDFs (now)", extract, 2)]:
        t = run(fn, files, workers)
        rows.append((label, workers, n, t))
    docs = [str(PDF / f) for f in TWO_PAGE] * (10 * args.repeat)
    nd = sum(pages(Path(f)) for f in docs)
    doc_rows = []
    for label, fn in [("pdfplumber (before)", extract_plumber), ("now", extract)]:
        for workers in (1, 2):
            doc_rows.append((label, workers, len(docs), nd, run(fn, docs, workers)))
    scans = [str(PDF / SCAN)] * 2
    ns = sum(pages(Path(f)) for f in scans)
    for workers in (1, 2):
        rows.append(("ingest.extract, OCR (ocr=always)", workers, ns, run(extract_ocr, scans, workers)))
    print("| what | workers | pages | seconds | pages/s |\n|---|---:|---:|---:|---:|")
    for label, workers, pages_, t in rows:
        print(f"| {label} | {workers} | {pages_} | {t:.2f} | {pages_ / t:.1f} |")
    print("\n| ingest.extract of 2-page text PDFs | workers | documents | pages | seconds | documents/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, workers, n_docs, pages_, t in doc_rows:
        print(f"| {label} | {workers} | {n_docs} | {pages_} | {t:.2f} | {n_docs / t:.1f} |")


if __name__ == "__main__":
    main()
