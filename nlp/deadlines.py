"""Deadlines (SCHEMA.md): dated obligations on the reader, each date once. Recurring dates
(`trước ngày 20 hằng tháng`) carry no year and never match; effective dates (`có hiệu lực
từ ngày`) and conditions on past events (`hợp đồng ký trước ngày … thì`) are left out."""
from __future__ import annotations

import re

from nlp.dates import NUMERIC, WORDY, match_iso
from nlp.models import Deadline

TRIGGER = re.compile(
    r"(?:(?:đến\s+)?trước|chậm\s+nhất(?:\s+là)?(?:\s+(?:vào|trước))?|hạn\s+chót(?:\s+là)?|không\s+muộn\s+hơn|"
    r"hạn\s+nộp(?:\s+là)?|thời\s+hạn\s+(?:nộp|gửi|hoàn\s+thành)(?:\s+là)?)\s*:?\s*"
    r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2}\s*(?:phút|')?)?\s*,?\s*)?(?:(?:ngày|Ngày)\s*)?",
    re.I,
)
# A clause that states a condition or a past event rather than asking for something.
NOT_OBLIGATION = re.compile(
    r"(?:hiệu\s+lực|được\s+ký|đã\s+ký|ký\s+kết|ban\s+hành|phát\s+sinh|được\s+cấp|đã\s+được|thành\s+lập|"
    r"trước\s+đó|thì\b|đã\s+nộp|quy\s+định\s+tại)",
    re.I,
)


def find_deadlines(text: str) -> list[Deadline]:
    out: list[Deadline] = []
    seen: set[str] = set()
    for m in TRIGGER.finditer(text):
        p = m.end()
        dm = NUMERIC.match(text, p) or WORDY.match(text, max(0, p - 5) if text[max(0, p - 5):p].lower().startswith("ngày") else p)
        if not dm:
            continue
        value = match_iso(dm)
        if not value or len(value) != 10 or value in seen:
            continue
        lo = max(text.rfind(".", 0, m.start()), text.rfind(";", 0, m.start()), text.rfind("\n", 0, m.start()), 0)
        hi_candidates = [i for i in (text.find(".", dm.end()), text.find(";", dm.end()), text.find("\n", dm.end())) if i >= 0]
        hi = min(hi_candidates) if hi_candidates else len(text)
        before, after = text[lo:m.start()], text[dm.end():min(hi, dm.end() + 60)]
        if NOT_OBLIGATION.search(before[-80:]) or re.match(r"\s*,?\s*(?:thì|mà)\b", after):
            continue
        seen.add(value)
        out.append(Deadline(value, " ".join(text[m.start():dm.end()].split())))
    return out
