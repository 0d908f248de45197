"""Dates as Vietnamese documents print them, to ISO 8601 as precise as printed."""
from __future__ import annotations

import re
from datetime import date

DATE_LINE = re.compile(
    r"(?P<place>[^\n,]{2,40}?)\s*,\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>(?:19|20)\d\d)",
    re.I,
)
WORDY = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>(?:19|20)\d\d)", re.I)
NUMERIC = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>(?:19|20)\d\d)(?!\d)")


def iso(y: str | int | None, m: str | int | None = None, d: str | int | None = None) -> str | None:
    """ISO date as precise as the parts given; `None` when they are not a real date."""
    if not y:
        return None
    y = int(y)
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


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every full date in `text` as (start, end, iso)."""
    out = []
    for rx in (WORDY, NUMERIC):
        for m in rx.finditer(text):
            value = iso(m.group("y"), m.group("m"), m.group("d"))
            if value and len(value) == 10:
                out.append((m.start(), m.end(), value))
    return sorted(out)
