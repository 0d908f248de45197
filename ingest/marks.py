"""The header's fixed wording (the national or Party motto), recognised through OCR's slips.

OCR often gets one mark wrong in a line it otherwise reads (`XÃ HỢI` for `XÃ HỘI`, `HOÀ` for
`HÒA`); matched with the diacritics folded away, the motto still tells a header from a table
and where a forwarded document starts."""
from __future__ import annotations

import re
import unicodedata

_MOTTO_START = re.compile(r"^\W*(CONG\s*HOA\s+XA\s*HOI|DANG\s+CONG\s+SAN)", re.I)
_MOTTO = re.compile(r"^\W*(CONG\s*HOA\s+XA\s*HOI\s+CHU\s*NGHIA\s+VIET\s+NAM|DANG\s+CONG\s+SAN\s+VIET\s+NAM)\W*$",
                    re.I)
# The motto as a header cell inside a line: the national or Party motto in capitals, or the
# second line of the national motto (`Độc lập - Tự do - Hạnh phúc`, case as printed).
_CELL = re.compile(r"(?P<caps>CONG\s*HOA\s+XA\s*HOI\s+CHU\s*NGHIA\s+VIET\s+NAM|DANG\s+CONG\s+SAN\s+VIET\s+NAM)"
                   r"|(?P<second>Doc\s+lap\s*[-–]\s*Tu\s+do\s*[-–]\s*Hanh\s+phuc)", re.I)
# What stands between the issuer's cell and the motto's in a flattened two-column header: a
# wide run of spaces or a tab, a rule (`-----`, `***`) or a table's bar.
_COLUMN_GAP = re.compile(r"(?:[ \t]{3,}|\t|[*_=~\-–—.]{3,}\s*|\|\s*)$")
# Words that make the motto part of a name or a sentence (`NƯỚC CỘNG HÒA …`, `CỦA …`), not a cell.
_GOVERNED = re.compile(r"(?:\bNUOC|\bCUA|\bTAI|[\"“”'‘’(:,;])\s*$", re.I)


def fold(text: str) -> str:
    """No diacritics, `Đ` → `D`: `CỘNG HÒA` → `CONG HOA`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def starts_with_motto(text: str) -> bool:
    """The line opens with the national or the Party motto."""
    return bool(_MOTTO_START.match(fold(text)))


def is_motto(text: str) -> bool:
    """The line is the national or the Party motto, and nothing else."""
    return bool(_MOTTO.match(fold(text.strip())))


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def motto_cell(text: str) -> int | None:
    """Where a motto stands as a header cell in the line (a two-column header flattened into
    text: `UBND TỈNH X      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`), else None. The motto must
    open the line, or follow a column gap, a rule or an issuer in capitals (OCR may join the
    columns with one space), and nothing but rules, the second motto line or another column
    may follow it; a motto quoted or governed in a sentence (`nước Cộng hòa …`, `“CỘNG HÒA …”`)
    is not a cell."""
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)  # as long as `text` once NFC: one letter per folded letter
    for m in _CELL.finditer(folded):
        if m.group("caps") and not _capitals(text[m.start():m.end()]):
            continue
        before, after = text[:m.start()], text[m.end():]
        if before.strip(" \t*_-–|") and not (_COLUMN_GAP.search(before) or (
                _capitals(before) and not _GOVERNED.search(fold(before)))):
            continue
        if _GOVERNED.search(fold(before)) and not _COLUMN_GAP.search(before):
            continue
        rest = after.strip()
        if not rest or re.fullmatch(r"[\W_]+", rest) or re.match(r"[ \t]{3,}|\s*[*_=~\-–—|]{3,}|\s*\|", after) \
                or _CELL.match(fold(rest)):
            return m.start()
    return None
