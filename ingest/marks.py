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
