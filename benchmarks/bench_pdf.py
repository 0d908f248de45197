#!/usr/bin/env python3
"""Pages per second of PDF ingestion, printed as a markdown table.

Rows: pypdfium2 plain text (the speed reference), pdfplumber chars (what ingest.pdf reads),
`ingest.extract` on text PDFs with one worker and with two, and OCR (`ocr="always"`) on a
few pages with one worker and two. Input: the real gazette PDFs in ../shared/eval/real/pdf.
Usage: .venv/bin/python benchmarks/bench_pdf.py [--ocr-pages N]
"""
from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT.parent / "shared" / "eval" / "real" / "pdf"
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


def extract(path: str, ocr: str = "never") -> int:
    import ingest

    return len(ingest.extract(path, ocr=ocr))


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
                               ("pdfplumber chars", plumber_chars, 1),
                               ("ingest.extract, text PDFs", extract, 1),
                               ("ingest.extract, text PDFs", extract, 2)]:
        t = run(fn, files, workers)
        rows.append((label, workers, n, t))
    scans = [str(PDF / SCAN)] * 2
    ns = sum(pages(Path(f)) for f in scans)
    for workers in (1, 2):
        rows.append(("ingest.extract, OCR (ocr=always)", workers, ns, run(extract_ocr, scans, workers)))
    print("| what | workers | pages | seconds | pages/s |\n|---|---:|---:|---:|---:|")
    for label, workers, pages_, t in rows:
        print(f"| {label} | {workers} | {pages_} | {t:.2f} | {pages_ / t:.1f} |")


if __name__ == "__main__":
    main()
