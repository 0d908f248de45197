"""Dates as Vietnamese documents print them, to ISO 8601 as precise as printed."""
from __future__ import annotations

import re
from datetime import date

_Y = r"(?P<y>(?:19|20)\d ?\d)"  # `202 5`: gazette text layers split digits
# `ngày 08 tháng 8 năm 2025`, with the day or month left blank on drafts
WORDY = re.compile(rf"ngày\s*(?P<d>\d{{1,2}})\s*tháng\s*(?P<m>\d{{1,2}})\s*,?\s*năm\s*{_Y}", re.I)
# `05/3/2020`, `05-8-2024`, `05.8.2024`: one separator kind throughout
NUMERIC = re.compile(rf"(?<![\d/.-])(?P<d>\d{{1,2}})\s?(?P<sep>[/.-])\s?(?P<m>\d{{1,2}})\s?(?P=sep)\s?{_Y}(?!\d)")
# The date line of a header: `Hà Nội, ngày 08 tháng 8 năm 2025`, `Hà Nội, ngày tháng 6 năm 2026`,
# `Hà Nội, 05/3/2020`.
# An OCR'd day or month that is no number (`ngày @3 tháng !Ƒ`, `ngày4#Tháng 0A`, a hand-written
# figure) counts as left blank: the date keeps the precision that can be read.
_ILLEGIBLE = r"(?:[^\s\d][^\s]?|\d[^\s\d])"
# `ngay 05 thang 3 nam 2025`: a header typed or OCR'd without its marks
# OCR also puts the wrong tone on the a of the three words (`ngảy`, `thàng`, `nằm`): in this
# frame (day, month, year in order) any a-vowel will do.
_A = "aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"
HEADER_DATE = re.compile(
    rf"(?:[Nn][Gg][{_A}][Yy])\s*(?:(?P<d>\d{{1,2}})|{_ILLEGIBLE})?\s*(?:[Tt][Hh][{_A}][Nn][Gg])\s*"
    rf"(?:(?P<m>\d{{1,2}})|{_ILLEGIBLE})?\s*,?\s*"
    rf"(?:[Nn][{_A}][Mm])\s*{_Y}"
    rf"|(?<![\d/.-])(?P<d2>\d{{1,2}})\s?(?P<sep>[/.-])\s?(?P<m2>\d{{1,2}})\s?(?P=sep)\s?(?P<y2>(?:19|20)\d ?\d)(?!\d)"
)


def iso(y: str | int | None, m: str | int | None = None, d: str | int | None = None) -> str | None:
    """ISO date as precise as the parts given; `None` when they are not a real date."""
    if not y:
        return None
    y = int(str(y).replace(" ", ""))
    if not m:
        return f"{y:04d}"
    m = int(m)
    if not 1 <= m <= 12:
        return None
    if not d:
        return f"{y:04d}-{m:02d}"
    try:
        return date(y, m, int(d)).isoformat()
    except ValueError:
        return None


def match_iso(m: re.Match) -> str | None:
    """ISO value of a WORDY, NUMERIC or HEADER_DATE match."""
    g = m.groupdict()
    if g.get("y2"):
        return iso(g["y2"], g["m2"], g["d2"])
    return iso(g.get("y"), g.get("m"), g.get("d"))


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every full date in `text` as (start, end, iso)."""
    out = []
    for rx in (WORDY, NUMERIC):
        for m in rx.finditer(text):
            value = match_iso(m)
            if value and len(value) == 10:
                out.append((m.start(), m.end(), value))
    return sorted(out)
