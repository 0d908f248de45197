"""PDF text through pdfplumber, keeping layout: words grouped into lines, the two header
columns (issuing body and number left; motto, place and date right) kept apart by splitting
each line at its widest gap, font names kept per line so legacy encodings can be told."""
from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

from ingest.models import IngestError, Line

MIN_COLUMN_GAP = 18.0  # points; gaps between words inside justified text stay well below


@dataclass
class PageText:
    number: int
    lines: list[Line]
    chars: int


def _group_lines(words: list[dict], tolerance: float = 2.5) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= tolerance:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def _make_line(words: list[dict], page: int, column: str) -> Line:
    fonts = tuple(dict.fromkeys(w.get("fontname", "") for w in words))
    return Line(
        text=" ".join(w["text"] for w in words),
        page=page,
        top=min(w["top"] for w in words),
        x0=words[0]["x0"],
        x1=max(w["x1"] for w in words),
        column=column,
        fonts=fonts,
        size=max(float(w.get("size", 0) or 0) for w in words),
        bold=any("bold" in f.lower() for f in fonts),
    )


def _split_row(row: list[dict], width: float) -> tuple[list[dict], list[dict]] | None:
    """Split a printed row into left and right column parts at its widest gap, if the gap is
    wide and lies near the middle of the page."""
    if len(row) < 2:
        return None
    gaps = [(row[i + 1]["x0"] - row[i]["x1"], i) for i in range(len(row) - 1)]
    gap, i = max(gaps)
    if gap < MIN_COLUMN_GAP:
        return None
    left, right = row[: i + 1], row[i + 1 :]
    if left[-1]["x1"] > width * 0.62 or right[0]["x0"] < width * 0.35:
        return None
    return left, right


def page_lines(page, number: int) -> list[Line]:
    """Lines of one page in reading order: a run of two-column rows is read left column
    first, then right column."""
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
    width = float(page.width)
    out: list[Line] = []
    run_left: list[Line] = []
    run_right: list[Line] = []
    run_has_split = False

    def flush() -> None:
        nonlocal run_left, run_right, run_has_split
        if run_has_split:
            out.extend(run_left)
            out.extend(run_right)
        else:  # short one-sided lines with no split row beside them are ordinary text
            for ln in sorted(run_left + run_right, key=lambda ln: ln.top):
                ln.column = "full"
                out.append(ln)
        run_left, run_right, run_has_split = [], [], False

    for row in _group_lines(words):
        parts = _split_row(row, width)
        if parts:
            run_has_split = True
            run_left.append(_make_line(parts[0], number, "left"))
            run_right.append(_make_line(parts[1], number, "right"))
            continue
        x0, x1 = row[0]["x0"], max(w["x1"] for w in row)
        if x1 < width * 0.55:
            run_left.append(_make_line(row, number, "left"))
        elif x0 > width * 0.42:
            run_right.append(_make_line(row, number, "right"))
        else:
            flush()
            out.append(_make_line(row, number, "full"))
    flush()
    return out


def read_pages(path: str, password: str = "") -> list[PageText]:
    try:
        pdf = pdfplumber.open(path, password=password)
    except Exception as exc:  # pdfminer raises many kinds; the reason is what matters
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in str(exc):
            raise IngestError("encrypted PDF: a password is needed to read it") from exc
        raise IngestError(f"not a readable PDF ({name}: {str(exc)[:120]})") from exc
    pages: list[PageText] = []
    with pdf:
        for i, page in enumerate(pdf.pages, start=1):
            lines = page_lines(page, i)
            pages.append(PageText(i, lines, sum(len(ln.text) for ln in lines)))
    return pages
