"""Where one file holds several documents: a cover letter and the copy it forwards, or a
gazette issue. A document starts at its header: the issuing-body lines that stand right
before a national or Party motto, or beside it on the motto's line (a two-column header
pasted or exported as text: `UBND TỈNH X      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`). The
first header opens the first document."""
from __future__ import annotations

import re

from text.capitals import is_all_upper
from text.letter_parts import (
    NUMBER_LINE,
    RECIPIENTS_LIST,
    SIGNING_OPENER,
    SUBJECT_LINE,
    motto_cell,
    starts_with_motto,
)

__all__ = ["document_starts"]

# Seen between two documents: the end of a signing block or of the distribution list.
_CLOSING = re.compile(rf"^\W*({RECIPIENTS_LIST}|{SIGNING_OPENER})", re.I)

_GAP = re.compile(r"[ \t]{3,}|\t")


def _is_issuer_line(line: str) -> bool:
    """A line of the issuer's block: not blank, not the Party star, not the first motto line
    (which stands above `Độc lập - Tự do - Hạnh phúc` in a form that names no issuer)."""
    text = line.strip().strip("*_ ")
    return bool(text) and motto_cell(text) != 0


def _closes(line: str) -> bool:
    """A signing block or distribution list opens the line or one of its columns (`- Như trên;
    <gap> KT. CHỦ TỊCH`: the two columns of a signature flattened into text)."""
    return any(_CLOSING.match(cell) for cell in _GAP.split(line))


# The date line of a header, filled in (`Bắc Nguyên, ngày 03 tháng 4 năm 2024`, `…, 03/4/2024`):
# a form in an annex leaves it blank (`........, ngày ..... tháng ..... năm 20...`).
_DATE_LINE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*,?\s*năm\s*(?:19|20)\d\d"
                        r"|,\s*\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\s*$", re.I)
_QUOTES = "“”\"'‘’«»"
HEADER_LINES = 12  # a header block is short: issuer lines, star, number, V/v, motto, date


def _header_line(line: str) -> bool:
    """A line a header block is made of, in the order a text export or an OCR gives them: blank,
    the issuer in capitals, the Party star, the number line, a `V/v` line, the date line."""
    text = line.strip().strip("*_ ")
    return (not text or is_all_upper(text) or bool(NUMBER_LINE.match(text)) or bool(SUBJECT_LINE.match(text))
            or bool(_DATE_LINE.search(text)) and len(text) < 80)


def _header_block(lines: list[str], i: int, floor: int) -> int | None:
    """Where a complete header around the motto at `i` starts, whatever order its lines come
    in (a Party header read column by column: `TỈNH ỦY …` / `BAN …` / `*` / `Số 12-HD/…`, then
    the motto and the date line; or the right column first): the header lines next to the
    motto must hold an issuer in capitals, the number and a filled-in date line; else None."""
    j = i
    while j > floor and i - j < HEADER_LINES and _header_line(lines[j - 1]) and not _closes(lines[j - 1]):
        j -= 1
    if j > floor and _closes(lines[j - 1]):
        # the signing block's title, the signer's name in capitals, a blank line: the header
        # starts after the last blank above its number
        number = next((b for b in range(j, i) if NUMBER_LINE.match(lines[b].strip().strip("*_ "))), i)
        blank = max((b for b in range(j, number) if not lines[b].strip()), default=None)
        j = blank + 1 if blank is not None else j
    k = i + 1  # the lines after the motto, when the right column was read first
    while k < len(lines) and k - j < HEADER_LINES and _header_line(lines[k]) and not _closes(lines[k]):
        k += 1
    block = [x.strip().strip("*_ ") for x in lines[j:i] + lines[i + 1:k]]
    if any(x and (x[0] in _QUOTES or x[-1] in _QUOTES) for x in block + [lines[i].strip()]):
        return None  # a header quoted in a body (`… ghi như sau: “TỈNH ỦY …`)
    if not any(NUMBER_LINE.match(x) for x in block) or not any(
            is_all_upper(x) and motto_cell(x) is None for x in block) or not any(_DATE_LINE.search(x) for x in block):
        return None
    while j < i and not lines[j].strip().strip("*_ "):
        j += 1
    return j


def document_starts(lines: list[str], columns: list[str] | None = None) -> list[int]:
    """Indexes of the lines where a new document begins (always starting with 0). With the
    lines' `columns` (PDF layout), a header's left column (issuing body, `Số`, `V/v`) read
    before the motto belongs to the new document too."""
    starts = [0]
    seen_closing = False
    for i, line in enumerate(lines):
        stripped = line.strip().strip("*_ ")
        if _closes(stripped):
            seen_closing = True
        if not seen_closing:
            continue
        at = motto_cell(stripped)
        if at is None:
            continue
        # walk back over the issuing-body block (capitals, blanks, the Party star); an issuer
        # beside the first motto line opens the block (both columns start on the top row), and
        # a signer's name in capitals may stand right above it
        j = i
        while j > starts[-1] and not (at > 0 and starts_with_motto(stripped[at:])) and (
            not lines[j - 1].strip().strip("*_ ") or is_all_upper(lines[j - 1].strip("*_ "))
        ):
            j -= 1
        if columns is not None and columns[i] == "right":
            while j > starts[-1] and columns[j - 1] == "left":
                j -= 1
        while j < i and not lines[j].strip().strip("*_ "):
            j += 1
        # a form in an annex also prints the motto; a document has a body above it, an issuer
        # (above the motto or beside it) and a number
        has_issuer = at > 0 or any(_is_issuer_line(x) for x in lines[j:i])
        if j > starts[-1] and has_issuer and any(NUMBER_LINE.match(x.strip().strip("*_ ")) for x in lines[j:i + 12]):
            starts.append(j)
            seen_closing = False
            continue
        k = _header_block(lines, i, starts[-1]) if at == 0 else None
        if k is not None and k > starts[-1]:
            starts.append(k)
            seen_closing = False
    return starts
