"""Where one file holds several documents: a cover letter and the copy it forwards, or a
gazette issue. A document starts at its header: the issuing-body lines that stand right
before a national or Party motto, or beside it on the motto's line (a two-column header
pasted or exported as text: `UBND TỈNH X      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`). The
first header opens the first document."""
from __future__ import annotations

import re

from ingest.marks import is_motto, motto_cell, starts_with_motto

__all__ = ["document_starts", "is_motto"]

# Seen between two documents: the end of a signing block or of the distribution list.
_CLOSING = re.compile(r"^\W*(N[ơo]i\s+nh[ậa]n|K/?T\.?\s|TM\.|T/M|TL\.|T/L|TUQ\.)", re.I)

_GAP = re.compile(r"[ \t]{3,}|\t")
# `Số: 12/UBND-VP`, `Số 47-CV/HU`, and OCR's readings of `Số` (`S ố:`, `Sô:`, `So:` with its colon)
_NUMBER = re.compile(r"^(?:S\s?[ốỐôÔổỔỗớ]\s*:?|S[oóòOÓ]\s*:)\s*\d+\s*[a-z]?\s*[-/]\s*[\w/-]*[A-ZĐ]")


def _is_upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_issuer_line(line: str) -> bool:
    """A line of the issuer's block: not blank, not the Party star, not the first motto line
    (which stands above `Độc lập - Tự do - Hạnh phúc` in a form that names no issuer)."""
    text = line.strip().strip("*_ ")
    return bool(text) and motto_cell(text) != 0


def _closes(line: str) -> bool:
    """A signing block or distribution list opens the line or one of its columns (`- Như trên;
    <gap> KT. CHỦ TỊCH`: the two columns of a signature flattened into text)."""
    return any(_CLOSING.match(cell) for cell in _GAP.split(line))


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
            not lines[j - 1].strip().strip("*_ ") or _is_upper_line(lines[j - 1].strip("*_ "))
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
        if j > starts[-1] and has_issuer and any(_NUMBER.match(x.strip().strip("*_ ")) for x in lines[j:i + 12]):
            starts.append(j)
            seen_closing = False
    return starts
