"""Page furniture and line breaks, for the lines of PDF pages (text layer or OCR).

- Running heads and feet (`CÔNG BÁO/Số 447 + 448/Ngày 25-6-2022`, with its page number),
  bare page numbers, and lines repeated in the top or bottom band of several pages are set
  aside as margins: they are not the document's text, and a gazette head printed above the
  letter's header would otherwise read as its first line.
- On gazette pages, the gazette's own section headings printed above a document's header
  (`VĂN BẢN QUY PHẠM PHÁP LUẬT`, the issuer group `CHÍNH PHỦ`) are set aside as well.
- Lines of one paragraph are joined (a justified line runs to the right edge; a new paragraph
  is indented or follows a short line), and a break after a joining hyphen (`NĐ-` / `CP`) is
  closed up.
"""
from __future__ import annotations

import re
from collections import Counter

from ingest.models import Line
from text.capitals import is_all_upper
from text.letter_parts import starts_with_motto

TOP_BAND = 0.10  # of the page height
BOTTOM_BAND = 0.92
_GAZETTE_HEAD = re.compile(r"^\W*(\d+\s+)?C?[ÔO]NG\s*B[ÁA]O\b.*(\bS[ốo]\b|\bNgày\b|\d{4})", re.I)
_PAGE_NUMBER = re.compile(r"^\W*(trang\s+)?\d{1,4}(\s*/\s*\d{1,4})?\W*$", re.I)
_LIST_START = re.compile(r"^\s*([-+•–*]|\d+[.)]|[a-zđ][.)]|[IVXLC]+\.|Điều\s+\d|Chương\s|Mục\s|Phụ lục)", re.I)
_DIGITS = re.compile(r"\d+")


def _band(line: Line, height: float) -> str | None:
    if line.top < TOP_BAND * height:
        return "top"
    if line.top > BOTTOM_BAND * height:
        return "bottom"
    return None


def _head_like(t: str) -> bool:
    """Running heads and feet are short and are no sentence: a full sentence repeated at the top
    of every page (a form, a report's recurring line) is the document's text."""
    return len(t) <= 90 and not t.endswith((".", ";", ":"))


def set_aside_margins(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], list[Line]]:
    """Split each page's lines into text lines and margin lines (running heads, page numbers)."""
    repeated: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        keys = {_DIGITS.sub("#", ln.text.strip()) for ln in lines if _band(ln, height) and ln.text.strip()}
        repeated.update(keys)
    many = len(pages) >= 3
    kept: list[list[Line]] = []
    margins: list[Line] = []
    for lines, height in zip(pages, heights):
        page_kept: list[Line] = []
        gazette = False
        for ln in lines:
            band = _band(ln, height)
            t = ln.text.strip()
            furniture = bool(band) and bool(t) and (
                bool(_GAZETTE_HEAD.match(t)) or bool(_PAGE_NUMBER.match(t))
                or (many and repeated[_DIGITS.sub("#", t)] >= max(3, len(pages) // 2) and _head_like(t))
            )
            if furniture:
                gazette = gazette or bool(_GAZETTE_HEAD.match(t))
                margins.append(ln)
            else:
                page_kept.append(ln)
        if gazette:
            page_kept, headings = _gazette_headings(page_kept)
            margins.extend(headings)
        kept.append(page_kept)
    return kept, margins


def _gazette_headings(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Full-width capitals right above a document's two-column header on a gazette page."""
    header_at = next((i for i, ln in enumerate(lines) if ln.column in ("left", "right")), None)
    if header_at is None or not any(ln.column == "right" and starts_with_motto(ln.text) for ln in lines):
        return lines, []
    j = header_at
    while j > 0 and lines[j - 1].column == "full" and is_all_upper(lines[j - 1].text):
        j -= 1
    if j == header_at:
        return lines, []
    return lines[:j] + lines[header_at:], lines[j:header_at]


def _edges(lines: list[Line]) -> tuple[float, float]:
    """Left and right edge of a page's body text: where most full lines start and end."""
    body = [ln for ln in lines if ln.column == "full" and ln.x1 > ln.x0]
    if len(body) < 3:
        return 0.0, 0.0
    lefts = sorted(round(ln.x0) for ln in body)
    rights = sorted(round(ln.x1) for ln in body)
    return float(lefts[len(lefts) // 10]), float(rights[int(len(rights) * 0.9)])


def _pitch(lines: list[Line]) -> float:
    """The usual distance between the tops of two lines of one paragraph on a page."""
    steps = sorted(round(b.top - a.top, 1) for a, b in zip(lines, lines[1:])
                   if a.column == b.column and 0 < b.top - a.top < 3 * (b.size or 12))
    return steps[len(steps) // 3] if steps else 0.0


def join_paragraphs(pages: list[list[Line]]) -> list[Line]:
    """One list of lines, with the lines of each paragraph joined into one, and an empty line
    between blocks (header columns, paragraphs set apart by space, the signing block), as in
    a typed letter: `nlp/` reads a block (the `V/v` subject, the `Kính gửi` list) up to it."""
    out: list[Line] = []
    prev_right = 0.0
    last_top = last_x0 = 0.0  # top and start of the last printed line
    for lines in pages:
        left, right = _edges(lines)
        pitch = _pitch(lines)
        for k, ln in enumerate(lines):
            prev = next((x for x in reversed(out) if x.text.strip()), None)
            size = ln.size or 12.0
            same_page = prev is not None and prev.page == ln.page and k > 0
            if (
                prev is not None and right and prev_right
                and prev.column == ln.column == "full" and prev.text.strip() and ln.text.strip()
                and prev.x1 >= prev_right - 1.5 * size  # the previous line ran to the margin
                and ln.x0 <= max(left, last_x0) + 0.6 * size  # not indented (a hanging indent is)
                and abs((prev.size or size) - size) < 1.0
                and not _LIST_START.match(ln.text)
                and not prev.text.rstrip().endswith(":")
                and not (same_page and pitch and ln.top - last_top > pitch + 0.3 * size)
            ):
                _append(prev, ln)
            else:
                if prev is not None and out and out[-1].text.strip():
                    if prev.column != ln.column or (
                        same_page and pitch and ln.top - last_top > pitch + 0.3 * size
                    ):
                        out.append(Line(text="", page=ln.page, column=ln.column))
                out.append(ln)
            prev_right = right
            last_top, last_x0 = ln.top, ln.x0
    return out


def _append(prev: Line, ln: Line) -> None:
    head = prev.text.rstrip()
    if head.endswith("\u00ad"):  # soft hyphen: the word was broken at the line end
        glue, head = "", head[:-1]
    elif re.search(r"\S[-/]$", head):  # `NĐ-` / `CP`, `38/2022/` / `NĐ-CP`
        glue = ""
    else:
        glue = " "
    prev.text = head + glue + ln.text.lstrip()
    prev.runs = prev.runs + (((ln.runs[0][0], glue),) if glue and ln.runs else ()) + ln.runs
    prev.fonts = tuple(dict.fromkeys(prev.fonts + ln.fonts))
    prev.x1 = ln.x1
    prev.last_page = max(prev.last_page, prev.page, ln.last_page, ln.page)
