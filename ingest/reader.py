"""One entry point: a file in, the documents it holds out (`Extracted`, NFC text)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest import ocr as ocr_mod
from ingest import pdf as pdf_mod
from ingest.docx import read_docx
from ingest.models import Extracted, IngestError, Line, Source
from ingest.normalize import clean_text, nfc
from ingest.split import document_starts
from ingest.textfile import decode, strip_markdown

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUPPORTED = TEXT_SUFFIXES | {".pdf", ".docx"}
MIN_PAGE_CHARS = 40  # fewer characters than this on a page means a scan or a blank page


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sniff_format(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and path.suffix.lower() == ".docx":
        return "docx"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise IngestError("named .pdf but is not a PDF (no %PDF header)")
    if suffix == ".docx":
        raise IngestError("named .docx but is not a DOCX (not a ZIP file)")
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise IngestError(f"unsupported file type {suffix or '(none)'}: use PDF, DOCX, TXT or MD")


def _pdf_lines(path: Path, ocr: str) -> tuple[list[Line], str, list[str]]:
    pages = pdf_mod.read_pages(str(path))
    if not pages:
        raise IngestError("PDF has no pages")
    lines: list[Line] = []
    ocred = 0
    warnings: list[str] = []
    for page in pages:
        needs_ocr = ocr == "always" or (ocr == "auto" and page.chars < MIN_PAGE_CHARS)
        if needs_ocr:
            page_lines = ocr_mod.ocr_page(str(path), page.number)
            ocred += 1
        else:
            page_lines = page.lines
        lines.extend(page_lines)
        lines.append(Line(text="", page=page.number))
    method = "text" if not ocred else ("ocr" if ocred == len(pages) else "mixed")
    return lines, method, warnings


def extract(path: str | Path, ocr: str = "auto") -> list[Extracted]:
    """Read one file and return one `Extracted` per document in it.

    Raises `IngestError` with a one-line reason when the file cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise IngestError("no such file")
    if path.stat().st_size == 0:
        raise IngestError("empty file (0 bytes)")
    fmt = _sniff_format(path)
    digest = sha256_file(path)
    method = "text"
    warnings: list[str] = []
    if fmt == "pdf":
        lines, method, warnings = _pdf_lines(path, ocr)
    elif fmt == "docx":
        lines = read_docx(str(path))
    else:
        text = strip_markdown(decode(path.read_bytes()))
        lines = [Line(text=t) for t in text.split("\n")]
    for line in lines:
        line.text = nfc(line.text)
    texts = [ln.text for ln in lines]
    if not any(t.strip() for t in texts):
        raise IngestError("no text found (blank pages, or a scan that OCR could not read)")
    starts = document_starts(texts) + [len(lines)]
    docs: list[Extracted] = []
    for part, (a, b) in enumerate(zip(starts, starts[1:])):
        chunk = lines[a:b]
        pages = sorted({ln.page for ln in chunk if ln.text.strip()}) if fmt == "pdf" else []
        source = Source(
            path=str(path), sha256=digest, format=fmt, part=part, pages=pages, method=method,
        )
        docs.append(Extracted(clean_text("\n".join(ln.text for ln in chunk)), source, chunk, warnings))
    return docs
