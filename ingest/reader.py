"""One entry point: a file in, the documents it holds out (`Extracted`, NFC text)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest import legacy
from ingest import ocr as ocr_mod
from ingest import pdf as pdf_mod
from ingest.active import active_content
from ingest.docx import read_docx
from ingest.layout import join_paragraphs, set_aside_margins
from ingest.models import Extracted, IngestError, Line, Source
from ingest.signatures import read_signatures
from ingest.split import document_starts
from ingest.textfile import decode, strip_markdown
from text.normalize import clean_text, normalize_line

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUPPORTED = TEXT_SUFFIXES | {".pdf", ".docx"}
MIN_PAGE_CHARS = 40  # fewer characters than this on a page means a scan or a blank page
SCAN_PAGE_CHARS = 400  # a page-sized image with less text than this is a scan with a stamp


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _is_docx_zip(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _sniff_format(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and (path.suffix.lower() == ".docx" or _is_docx_zip(path)):
        return "docx"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise IngestError("named .pdf but is not a PDF (no %PDF header)")
    if suffix == ".docx":
        raise IngestError("named .docx but is not a DOCX (not a ZIP file)")
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise IngestError(f"unsupported file type {suffix or '(none)'}: use PDF, DOCX, TXT or MD")


def _needs_ocr(page: pdf_mod.PageText, body_chars: int, ocr: str) -> bool:
    """A page needs OCR when it has (almost) no text of its own: blank, or a scan whose text
    layer holds only a gazette's running head or a signature stamp."""
    if ocr == "always":
        return True
    if ocr == "never":
        return False
    if page.images == 0 and page.graphics < 50 and body_chars < MIN_PAGE_CHARS:
        return False  # a blank page (or a rule and a page number): nothing to read
    return body_chars < MIN_PAGE_CHARS or (page.images > 0 and body_chars < SCAN_PAGE_CHARS)


def _within(line: Line, box: pdf_mod.Box) -> bool:
    return box[1] - 1 <= line.top <= box[3]


def _pdf_lines(path: Path, ocr: str) -> tuple[list[Line], list[Line], str, list[str], str | None]:
    pages = pdf_mod.read_pages(str(path))
    if not pages:
        raise IngestError("PDF has no pages")
    heights = [p.height for p in pages]
    kept, _ = set_aside_margins([p.lines for p in pages], heights)
    warnings: list[str] = []
    # pages with text of their own beside a picture of their body: only the picture is read
    regions = {page.number: boxes for page, lines in zip(pages, kept) if ocr == "auto"
               and (boxes := pdf_mod.unread_images(page))
               and sum(len(ln.text.strip()) for ln in lines if not any(_within(ln, b) for b in boxes))
               >= MIN_PAGE_CHARS}
    to_ocr = [page.number for page, lines in zip(pages, kept) if page.number not in regions
              and _needs_ocr(page, sum(len(ln.text.strip()) for ln in lines), ocr)]
    ocred = len(to_ocr) + len(regions)
    read = ocr_mod.ocr_pages(str(path), to_ocr + sorted(regions), regions=regions) if ocred else {}
    per_page: list[list[Line]] = [
        pdf_mod.merge_in_reading_order(page.lines, [(box, [ln for ln in read[page.number] if _within(ln, box)])
                                                    for box in regions[page.number]])
        if page.number in regions else read.get(page.number, page.lines)
        for page in pages]
    # margins once more, now that OCR'd pages have lines of their own
    kept, margins = set_aside_margins(per_page, heights)
    lines = join_paragraphs(kept)
    method = "text" if not ocred else ("ocr" if len(to_ocr) == len(pages) else "mixed")
    if ocred and len(to_ocr) < len(pages):
        warnings.append(f"OCR on {ocred} of {len(pages)} pages")
    encoding = next((p.encoding for p in pages if p.encoding), None)
    return lines, margins, method, warnings, encoding


def _repair_by_statistics(lines: list[Line]) -> str | None:
    text, enc = legacy.repair("\n".join(ln.text for ln in lines))
    if enc:
        fixed = text.split("\n")
        if len(fixed) == len(lines):
            for ln, t in zip(lines, fixed):
                ln.text = t
    return enc


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
    margins: list[Line] = []
    active: list[str] = []
    signatures: list = []
    if fmt == "pdf":
        lines, margins, method, warnings, encoding = _pdf_lines(path, ocr)
        active = active_content(path)
        signatures = read_signatures(path)  # trust is judged when shown, against the roots of that day
    elif fmt == "docx":
        lines = read_docx(str(path))
        encoding = _repair_by_statistics(lines)
    else:
        text, encoding = legacy.repair(decode(path.read_bytes()))
        text = strip_markdown(text)
        lines = [Line(text=t) for t in text.split("\n")]
    for line in lines:
        line.text = normalize_line(line.text)
    texts = [ln.text for ln in lines]
    if not any(t.strip() for t in texts):
        raise IngestError("no text found (blank pages, or a scan that OCR could not read)")
    columns = [ln.column for ln in lines] if fmt in ("pdf", "docx") else None
    starts = document_starts(texts, columns) + [len(lines)]
    docs: list[Extracted] = []
    for part, (a, b) in enumerate(zip(starts, starts[1:])):
        chunk = lines[a:b]
        pages = sorted({p for ln in chunk if ln.text.strip() for p in range(ln.page, max(ln.page, ln.last_page) + 1)}
                       ) if fmt == "pdf" else []
        source = Source(
            path=str(path), sha256=digest, format=fmt, part=part, pages=pages, method=method,
            repaired_encoding=encoding, active_content=active,
        )
        page_set = set(pages)
        doc_margins = [m for m in margins if m.page in page_set]
        docs.append(Extracted(clean_text("\n".join(ln.text for ln in chunk)), source, chunk, list(warnings),
                              doc_margins, list(signatures)))
    return docs
