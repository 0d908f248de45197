"""OCR of pages without a usable text layer: Tesseract with its Vietnamese data."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.models import IngestError, Line

OCR_DPI = 300  # Tesseract's accuracy on 11-13 pt Times drops sharply below ~250 dpi


def available() -> bool:
    if not shutil.which("tesseract"):
        return False
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "vie" in out.stdout.split()


def ocr_page(pdf_path: str, page_number: int, dpi: int = OCR_DPI, timeout: int = 180) -> list[Line]:
    """Render one page with pypdfium2 and read it with `tesseract -l vie`."""
    if not available():
        raise IngestError(
            "page has no text layer and Tesseract with Vietnamese data is missing "
            "(install: apt-get install tesseract-ocr tesseract-ocr-vie)"
        )
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        image = pdf[page_number - 1].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        pdf.close()
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        image.save(png)
        try:
            out = subprocess.run(
                ["tesseract", str(png), "stdout", "-l", "vie", "--psm", "4"],
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"OCR of page {page_number} took over {timeout}s") from exc
    if out.returncode != 0:
        raise IngestError(f"tesseract failed on page {page_number}: {out.stderr.strip()[:200]}")
    return [Line(text=t.strip(), page=page_number) for t in out.stdout.splitlines() if t.strip()]
