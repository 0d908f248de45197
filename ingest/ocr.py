"""OCR of pages without a usable text layer: Tesseract with its Vietnamese data.

The page is rendered in grayscale with pypdfium2 and read by Tesseract in this process through
`tesserocr` (the model stays loaded between pages; built against the system's Tesseract, so the
words are those of the command), or else by the `tesseract` command, given the page on stdin as a
PGM. Tesseract's TSV output gives every word's box; words
are then put through the same row and column logic as a text layer (`ingest.pdf.rows_to_lines`),
so an OCR'd header still reads left column, then right column, and running heads can be set
aside by position.

Before Tesseract, a 3x3 median takes out a copier's specks; after it, `ingest.ocrfix` drops the
marks it made of specks and repairs `V⁄` (`V/v`). The pages of one file are OCR'd in parallel
(one single-threaded Tesseract each) as far as `set_concurrency` allows."""
from __future__ import annotations

import csv
import io
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from functools import lru_cache

from ingest.models import IngestError, Line
from ingest.ocrfix import clean_row, unsure_mark
from ingest.pdf import Word, rows_to_lines
from ingest.pdfchars import Box

# Tesseract's accuracy on 11-13 pt Times drops below ~250 dpi (diacritics are a few pixels
# tall); 300 dpi is its documented sweet spot and costs ~2.5 s a page on this machine.
OCR_DPI = 300


# Tesseract's models for Vietnamese, best first: the script model (Debian
# `tesseract-ocr-script-viet`) keeps the spaces between bold capitals (`ĐẢNG ỦY BỘ`) that the
# small `vie` model runs together (`ĐẢNGỦYBỘ`). Overridable for measurements.
LANGS = tuple(os.environ.get("CONGVAN_OCR_LANGS", "Vietnamese,vie").split(","))


# Where Debian and Tesseract's own builds put the models, after $TESSDATA_PREFIX.
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                  "/usr/share/tessdata", "/usr/local/share/tessdata")


@lru_cache(maxsize=1)
def tessdata() -> tuple[str, frozenset[str]] | None:
    """The folder of Tesseract's models and the languages in it, or None."""
    if shutil.which("tesseract"):
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
        head, _, rest = out.stdout.partition("\n")
        if '"' in head:
            return head.split('"')[1], frozenset(rest.split())
    for folder in filter(None, (os.environ.get("TESSDATA_PREFIX"), *_TESSDATA_DIRS)):
        langs = frozenset(f[: -len(".traineddata")] for f in _listdir(folder) if f.endswith(".traineddata"))
        if langs:
            return folder, langs
    return None


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


@lru_cache(maxsize=1)
def language() -> str | None:
    """The best installed Vietnamese model, or None."""
    found = tessdata()
    return next((lang for lang in LANGS if lang in found[1]), None) if found else None


@lru_cache(maxsize=1)
def engine() -> str | None:
    """`tesserocr` (Tesseract in this process, its model loaded once per thread) where the package
    imports, else the `tesseract` command (a process and a model load per page); None without
    either. CONGVAN_OCR_ENGINE=cli|tesserocr chooses, for measurements."""
    wanted = os.environ.get("CONGVAN_OCR_ENGINE", "")
    if wanted != "cli" and _tesserocr() is not None:
        return "tesserocr"
    return "cli" if wanted != "tesserocr" and shutil.which("tesseract") else None


def _tesserocr():
    # Read when the library loads: the system's libtesseract is built with OpenMP, whose threads
    # spin (see _ENV); one thread per page, as for the command.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


def available() -> bool:
    return language() is not None and engine() is not None


# Tesseract models kept loaded between pages (loading one costs ~0.1 s CPU and ~40 MB), at most
# one per thread that OCRs at the same time.
_APIS: queue.LifoQueue = queue.LifoQueue()


def _take_api():
    try:
        return _APIS.get_nowait()
    except queue.Empty:
        tesserocr = _tesserocr()
        folder, _ = tessdata()  # type: ignore[misc]  # available() was checked
        return tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=language(), psm=tesserocr.PSM.AUTO)


# Tesseract's OpenMP threads spin while they wait: one page costs about twice the CPU time with
# them (4.4 s against 2.2 s measured), and a batch already runs one worker per core.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}


# pdfium is not thread-safe: pages are rendered one at a time, Tesseract runs in parallel.
_PDFIUM = threading.Lock()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# How many pages of one file to OCR at once, asked before each page starts. Alone, a file uses
# every core; a batch (index/pipeline/_workers.py) sets it from how many workers are busy, so the last
# long scan of a batch spreads over the cores the finished workers leave idle.
_concurrency: Callable[[], int] = _cores


def set_concurrency(how_many: Callable[[], int]) -> None:
    global _concurrency
    _concurrency = how_many


def render_gray(pdf_path: str, page_number: int, dpi: int = OCR_DPI):
    """One page as an 8-bit grayscale PIL image."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        return _render(pdfium, pdf_path, page_number, dpi)


def _render(pdfium, pdf_path: str, page_number: int, dpi: int):
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[page_number - 1]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        size = page.get_size()
    finally:
        pdf.close()
    return (image if image.mode == "L" else image.convert("L")), size


def _pgm(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PPM")  # mode L is written as binary PGM
    return buf.getvalue()


def tesseract_words(image, timeout: int = 180) -> list[dict]:
    """Words with pixel boxes and confidences, from Tesseract's TSV output."""
    if not available():
        raise IngestError(
            "page has no text layer and Tesseract with Vietnamese data is missing "
            "(install: apt-get install tesseract-ocr tesseract-ocr-vie)"
        )
    tsv = _tsv_api(image, timeout) if engine() == "tesserocr" else _tsv_cli(image, timeout)
    return _words(tsv)


def _tsv_cli(image, timeout: int) -> str:
    try:
        out = subprocess.run(
            ["tesseract", "-", "-", "-l", str(language()), "--psm", "3", "tsv"],
            input=_pgm(image), capture_output=True, timeout=timeout, env=_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(f"OCR took over {timeout}s on one page") from exc
    if out.returncode != 0:
        raise IngestError(f"tesseract failed: {out.stderr.decode(errors='replace').strip()[:200]}")
    text = out.stdout.decode("utf-8", errors="replace")
    return text.split("\n", 1)[1] if text.startswith("level") else text  # the CLI adds a header row


def _tsv_api(image, timeout: int) -> str:
    api = _take_api()
    try:
        # Raw pixels carry no resolution, so Tesseract estimates it from the text as the command
        # does; a PIL image goes in as BMP at 96 dpi, which reads worse (word recall 0.899 against
        # 0.923 on the seed scans).
        api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)
        if not api.Recognize(timeout * 1000):
            raise IngestError(f"OCR took over {timeout}s on one page")
        return api.GetTSVText(0)
    finally:
        api.Clear()
        _APIS.put(api)


_TSV_FIELDS = ["level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text"]


def _words(tsv: str) -> list[dict]:
    rows = csv.DictReader(io.StringIO(tsv), fieldnames=_TSV_FIELDS, delimiter="\t", quoting=csv.QUOTE_NONE)
    words = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if r.get("level") != "5" or not text or float(r.get("conf") or -1) < 0:
            continue
        words.append({
            "text": text, "left": int(r["left"]), "top": int(r["top"]), "width": int(r["width"]),
            "height": int(r["height"]), "conf": float(r["conf"]), "line": (r["block_num"], r["par_num"], r["line_num"]),
        })
    return words


def words_to_lines(words: list[dict], number: int, scale: float, page_width: float) -> list[Line]:
    """Tesseract's lines, merged into printed rows across columns, through the text-layer logic.
    `scale` is points per pixel."""
    by_line: dict[tuple, list[dict]] = {}
    for w in words:
        if not unsure_mark(w["text"], w.get("conf", 100.0)):
            by_line.setdefault(w["line"], []).append(w)
    tess_lines = []
    for ws in by_line.values():
        top = min(w["top"] for w in ws) * scale
        bottom = max(w["top"] + w["height"] for w in ws) * scale
        # x-height words (`nam`) are shorter than the line; the tallest word is near the size
        size = max(8.0, min(30.0, max(w["height"] for w in ws) * scale * 0.9))
        row = [Word(text=w["text"], x0=w["left"] * scale, x1=(w["left"] + w["width"]) * scale,
                    top=w["top"] * scale, bottom=(w["top"] + w["height"]) * scale, size=size,
                    runs=[("ocr", w["text"])]) for w in sorted(ws, key=lambda w: w["left"])]
        tess_lines.append((top, bottom, row))
    tess_lines.sort(key=lambda t: t[0])
    rows: list[tuple[float, float, list[Word]]] = []
    for top, bottom, row in tess_lines:
        if rows:
            rtop, rbottom, rwords = rows[-1]
            overlap = min(bottom, rbottom) - max(top, rtop)
            if overlap > 0.5 * min(bottom - top, rbottom - rtop):
                rows[-1] = (min(top, rtop), max(bottom, rbottom), sorted(rwords + row, key=lambda w: w.x0))
                continue
        rows.append((top, bottom, row))
    lines = rows_to_lines([clean_row(r) for _, _, r in rows], number, page_width)
    for ln in lines:
        ln.fonts, ln.runs = (), ()
    return lines


def clean(image):
    """Specks from a copier or a fax (isolated dark pixels) read as `.`, `-`, `¬` and glue junk
    onto the header's lines, which then no longer split into columns; a 3x3 median removes
    them and keeps strokes, which are several pixels wide at the OCR resolution."""
    from PIL import ImageFilter

    return image.filter(ImageFilter.MedianFilter(3))


def ocr_page(pdf_path: str, page_number: int, dpi: int = OCR_DPI, regions: list[Box] | None = None) -> list[Line]:
    """Render one page and read it with Tesseract; lines carry positions in points. With
    `regions`, only those areas are read (the images a text layer leaves unread), each on its
    own, top first."""
    image, (width, _height) = render_gray(pdf_path, page_number, dpi)
    if not regions:
        return words_to_lines(tesseract_words(clean(image)), page_number, 72 / dpi, float(width))
    lines: list[Line] = []
    k = dpi / 72
    for x0, top, x1, bottom in sorted(regions, key=lambda b: b[1]):
        left, upper = max(0, int(x0 * k)), max(0, int(top * k))
        crop = image.crop((left, upper, min(image.width, int(x1 * k) + 1), min(image.height, int(bottom * k) + 1)))
        words = tesseract_words(clean(crop))
        for w in words:  # back to the page's pixels, so rows and columns are judged on the page
            w["left"] += left
            w["top"] += upper
        lines += words_to_lines(words, page_number, 72 / dpi, float(width))
    return lines


def _area(regions: dict[int, list[Box]], n: int) -> dict:
    """The keyword that narrows a page's OCR to its regions, for a page that has some."""
    return {"regions": regions[n]} if n in regions else {}


def ocr_pages(pdf_path: str, numbers: Iterable[int], dpi: int = OCR_DPI,
              regions: dict[int, list[Box]] | None = None) -> dict[int, list[Line]]:
    """OCR several pages of one file, as many at a time as `set_concurrency` allows (one
    Tesseract process each); lines by page number. `regions`: the areas to read on a page
    that needs only part of it read (the whole page where none are given)."""
    regions = regions or {}
    pending = list(numbers)
    out: dict[int, list[Line]] = {}
    if len(pending) <= 1:
        return {n: ocr_page(pdf_path, n, dpi, **_area(regions, n)) for n in pending}
    running: dict[Future, int] = {}
    with ThreadPoolExecutor(max_workers=max(1, _cores())) as pool:
        try:
            while pending or running:
                while pending and len(running) < max(1, min(_concurrency(), _cores())):
                    n = pending.pop(0)
                    running[pool.submit(ocr_page, pdf_path, n, dpi, **_area(regions, n))] = n
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    out[running.pop(f)] = f.result()
        finally:
            pending.clear()  # a failed page stops the file; pages already running finish
    return out
