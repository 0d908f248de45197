"""What a letter sends along (SCHEMA.md `attachments`): `(Gửi kèm Mã QR …)`, `Văn bản gửi kèm:`
followed by its title, `(có Kế hoạch kèm theo)`."""
from __future__ import annotations

import re

INLINE = re.compile(
    r"\(\s*[*_]*\s*(?:xin\s+)?[Gg]ửi\s+kèm(?:\s+theo)?\s*[:,]?\s*(?P<what>[^()\n]{3,200}?)\s*[*_]*\s*\)"
)
# `(…, Mã QR Website và Trailer giới thiệu Giải thưởng xin gửi kèm)`: the thing named before the verb
TRAILING = re.compile(r"(?:\(|[,;]\s*)(?P<what>[^,;()\n]{3,120}?)\s+(?:xin\s+)?(?:được\s+)?gửi\s+kèm(?:\s+theo)?\s*\)")
HAS_ATTACHED = re.compile(r"\(\s*(?:[Cc]ó|[Kk]èm)\s+(?P<what>[^()\n]{2,80}?)\s+kèm\s+theo\s*\)")
HEADING = re.compile(r"^[ \t*_]*(?:Văn\s+bản|Tài\s+liệu)\s+gửi\s+kèm\s*[*_]*\s*:?\s*[*_]*\s*$", re.M)


def find_attachments(text: str) -> list[str]:
    out: list[str] = []
    for rx in (INLINE, TRAILING, HAS_ATTACHED):
        for m in rx.finditer(text):
            out.append(m.group("what"))
    for m in HEADING.finditer(text):
        rest = text[m.end():].lstrip("\n")
        para = rest.split("\n\n", 1)[0].split("\n")[0]
        if para.strip():
            out.append(para)
    seen: set[str] = set()
    result = []
    for x in out:
        x = " ".join(x.strip(" *_.;,").split())
        if x and x.lower() not in seen:
            seen.add(x.lower())
            result.append(x)
    return result
