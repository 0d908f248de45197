#!/usr/bin/env python3
"""Pages per second of PDF ingestion, printed as a markdown table.

Rows: pypdfium2 plain text (the speed reference); the glyphs as char dicts through pdfplumber
(before) and through pypdfium2's text page (`ingest.pdfchars`, what ingest.pdf reads now);
`ingest.extract` on text PDFs with one worker and with two, through each reader; the same as
documents per second on 2-page text PDFs; and OCR pages/s of the real scans through
`congvan ingest --ocr always` (the product's path: worker processes, a long file's pages over idle
cores), Tesseract in process (tesserocr) beside the `tesseract` command. Input: the real gazette
PDFs in ../shared/eval/real/pdf.
Usage: .venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--ocr-all] [--ocr-only]
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
# Every real scan but the 26-page 58/2021/TT-BQP (added by --ocr-all): 23 pages, 300 dpi and 96 dpi.
SCANS = ["congbao_nghi-quyet-so-115-nq-cp-469452.pdf", "congbao_nghi-quyet-so-27-2026-nq-cp-469546.pdf",
         "congbao_thong-tu-so-19-2026-tt-btc-469385.pdf", "congbao_thong-bao-so-02-2023-tb-lpqt-39022.pdf"]
SCANS_MORE = ["congbao_thong-tu-so-58-2021-tt-bqp-33814.pdf"]


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


def ingest_ocr(files: list[str], workers: int, engine: str) -> tuple[float, float]:
    """`congvan ingest --ocr always` of the scans into a new archive, the product's own path
    (worker processes, a long file's pages spread over idle cores): wall and CPU seconds."""
    import os
    import resource
    import tempfile

    from index.archive import Archive
    from ingest import ocr

    os.environ["CONGVAN_OCR_ENGINE"] = engine
    ocr.engine.cache_clear()  # the workers are forked from this process
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        report = Archive(Path(tmp) / "archive").ingest(files, workers=workers, ocr="always")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if report.failed:
        raise SystemExit(f"OCR benchmark: {len(report.failed)} file(s) failed: {report.failed[:2]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    ap.add_argument("--ocr-all", action="store_true", help="add the 26-page 58/2021/TT-BQP scan (49 pages)")
    ap.add_argument("--ocr-only", action="store_true", help="only the OCR table")
    args = ap.parse_args()
    if not args.ocr_only:
        text_tables(args)
    ocr_table(args)


def ocr_table(args) -> None:
    """Pages/s of OCR through `congvan ingest`, Tesseract in process (tesserocr) against the
    `tesseract` command, as a user would run either."""
    from ingest import ocr

    scans = [str(PDF / f) for f in SCANS + (SCANS_MORE if args.ocr_all else [])]
    n = sum(pages(Path(f)) for f in scans)
    runs = [("tesserocr", 1), ("tesserocr", 2), ("cli", 2)]
    print("\n| OCR through congvan ingest --ocr always | workers | pages | seconds | CPU s/page | pages/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine, workers in runs:
        label = {"tesserocr": "Tesseract in process (tesserocr, model loaded once)",
                 "cli": "`tesseract` command per page"}[engine]
        wall, cpu = ingest_ocr(scans, workers, engine)
        print(f"| {label} | {workers} | {n} | {wall:.1f} | {cpu / n:.2f} | {n / wall:.2f} |", flush=True)
    ocr.engine.cache_clear()


def text_tables(args) -> None:
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
    print("| what | workers | pages | seconds | pages/s |\n|---|---:|---:|---:|---:|")
    for label, workers, pages_, t in rows:
        print(f"| {label} | {workers} | {pages_} | {t:.2f} | {pages_ / t:.1f} |")
    print("\n| ingest.extract of 2-page text PDFs | workers | documents | pages | seconds | documents/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, workers, n_docs, pages_, t in doc_rows:
        print(f"| {label} | {workers} | {n_docs} | {pages_} | {t:.2f} | {n_docs / t:.1f} |")


if __name__ == "__main__":
    main()
