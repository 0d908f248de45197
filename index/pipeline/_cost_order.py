"""What reading a file will roughly cost, known without opening it: a batch starts the dearest
files first, so that no long scan is left to run alone on one core at the end.

A scanned page costs Tesseract about 2.5 s, a page with a text layer some 20-50 ms; a scanned
PDF holds one image per page, which its raw bytes show (`/Subtype /Image`, never packed into
an object stream since images are streams), so images count for OCR and bytes for the rest.
The parent process only reads bytes here: a hostile PDF is opened by a worker alone."""
from __future__ import annotations

import mmap
import re
from pathlib import Path

OCR_SECONDS = 2.5  # per image, most of which in a scanned PDF are pages
TEXT_SECONDS_PER_MB = 1.0  # a text-layer PDF or a DOCX, parse included
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def expected_cost(path: str | Path, n_images: int | None = None) -> float:
    """Rough seconds to read and parse the file; 0 for what cannot be read. `n_images`: its
    `images` when the caller has counted them already."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return 0.0
    return size / 2**20 * TEXT_SECONDS_PER_MB + OCR_SECONDS * (images(path) if n_images is None else n_images)


def images(path: str | Path) -> int:
    """Images in a PDF (in a scan, about one a page); 0 for anything else or what cannot be read."""
    if not str(path).lower().endswith(".pdf"):
        return 0
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return sum(1 for _ in _IMAGE.finditer(data))
    except (OSError, ValueError):
        return 0


def dearest_first(paths: list[str], n_images: dict[str, int] | None = None) -> list[str]:
    """Paths by expected cost, the dearest first; ties keep their order. `n_images`: images
    already counted, by path."""
    counted = n_images or {}
    return sorted(paths, key=lambda p: -expected_cost(p, counted.get(p)))
