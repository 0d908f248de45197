"""Small presentation helpers: Vietnamese dates, safe search snippets, form values."""
from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

from index.archive import SNIPPET_CLOSE as CLOSE
from index.archive import SNIPPET_OPEN as OPEN

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_TYPED = re.compile(r"^\s*(?:(\d{1,2})\s*[/.-]\s*)?(?:(\d{1,2})\s*[/.-]\s*)?(\d{4})\s*$")


def vn_date(iso: str | None) -> str:
    """`2025-08-08` → `08/08/2025`; `2026-06` → `06/2026`; `2023` → `2023`; anything else as is."""
    if not iso:
        return ""
    m = _ISO.match(iso)
    if not m:
        return iso
    y, mo, d = m.groups()
    return "/".join(x for x in (d, mo, y) if x)


def parse_vn_date(text: str | None, end: bool = False) -> str | None:
    """A date typed as `dd/mm/yyyy`, `mm/yyyy` or `yyyy` (or ISO) → ISO `yyyy-mm-dd`.

    A partial date stands for its first day, or its last when `end` (the `until` box), so
    `2025` in "đến ngày" keeps all of 2025. Returns None for text that is not a date."""
    if not text or not text.strip():
        return None
    text = text.strip()
    m = _ISO.match(text)
    if m:
        y, mo, d = m.groups()
    else:
        m = _TYPED.match(text)
        if not m:
            return None
        a, b, y = m.groups()
        d, mo = (a, b) if b else (None, a)
    try:
        month = int(mo) if mo else (12 if end else 1)
        day = int(d) if d else (_month_days(int(y), month) if end else 1)
        if not (1 <= month <= 12 and 1 <= day <= _month_days(int(y), month)):
            return None
    except ValueError:
        return None
    return f"{int(y):04d}-{month:02d}-{day:02d}"


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


_HIGHLIGHT = re.compile(f"({re.escape(OPEN)}|{re.escape(CLOSE)})")


def safe_snippet(snippet: str | None) -> Markup:
    """A search snippet (`index.search._snippets`: text escaped once, matches between `OPEN` and `CLOSE`)
    as safe HTML: each match a `<mark>`, the text escaped exactly once. A tag that the letter
    itself holds (`<b>`, `<script>`) arrives escaped, so it is text here too, never a mark."""
    out = []
    marked = False
    for part in _HIGHLIGHT.split(snippet or ""):
        if part == OPEN:
            marked = True
        elif part == CLOSE:
            marked = False
        elif part:
            text = str(escape(html.unescape(part)))  # once, whatever the engine did
            out.append(f"<mark>{text}</mark>" if marked else text)
    return Markup("".join(out))


def thousands(n: int | None) -> str:
    """`12345` → `12.345`, as Vietnamese writes numbers."""
    return f"{n or 0:,}".replace(",", ".")
