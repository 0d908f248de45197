"""A document's body: its text without the header fields (issuer lines, motto, `Số:` line, date
line, `V/v` subject), so that a re-send with a new date or an OCR'd header does not move its
signature. The header lines are told by nlp/header.py's readers."""
from __future__ import annotations

import re

from nlp.header import is_code_line, is_date_line, is_motto_line, is_subject_line
from text.capitals import is_upper

HEADER_MAX_LINES = 30
# Where the header surely ended. Narrower than nlp/header.py's BODY_START (no `Thực hiện`,
# `Xét đề nghị`, …): stored signatures were computed with this one.
_BODY_START = re.compile(r"^\W*(kính\s+gửi|căn\s+cứ|điều\s+1\b|chương\s+i\b)", re.I)


def body_text(text: str, code: str | None = None) -> str:
    """The text without its header fields. Works from the text alone (the header lines look
    the same whether or not the parser read them), so missing record fields do not matter."""
    lines = text.split("\n")
    out: list[str] = []
    in_header = True
    in_subject = False
    compact_code = re.sub(r"\s+", "", code) if code else None
    for i, line in enumerate(lines):
        s = line.strip().strip("*_#> ").strip()
        if in_header and (i >= HEADER_MAX_LINES or _BODY_START.match(s)):
            in_header = False
        if in_header:
            if in_subject and s:
                continue
            in_subject = False
            if not s or is_motto_line(s) or is_code_line(s) or is_date_line(s):
                continue
            if is_subject_line(s):
                in_subject = True
                continue
            if is_upper(s, share=1.0) and len(s) < 120:
                continue  # issuer lines and other all-capital header lines
            if compact_code and compact_code in re.sub(r"\s+", "", s):
                continue
        out.append(line)
    return "\n".join(out)
