"""Deadlines (SCHEMA.md): dated obligations on the reader, each date once. Recurring dates
(`trước ngày 20 hằng tháng`) carry no year and never match; effective dates (`có hiệu lực
từ ngày`) and conditions on past events (`hợp đồng ký trước ngày … thì`) are left out."""
from __future__ import annotations

import re

from nlp.dates import NUMERIC, WORDY, match_iso
from nlp.models import Deadline

# (also typed without marks: `truoc ngay 15/9/2025`)
TRIGGER = re.compile(
    r"(?<!\w)(?:(?:đến\s+|den\s+)?(?:trước|truoc)|(?:chậm\s+nhất|cham\s+nhat)(?:\s+là)?(?:\s+(?:vào|trước))?|hạn\s+chót(?:\s+là)?|hạn\s+cuối(?:\s+[^\W\d]+){0,3}?(?:\s+là)?|không\s+muộn\s+hơn|"
    r"hạn\s+nộp(?:\s+là)?|thời\s+hạn\s+(?:nộp|gửi|hoàn\s+thành)(?:\s+là)?)\s*:?\s*"
    r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2}\s*(?:phút|')?)?\s*,?\s*)?(?:(?:ngày|Ngày|ngay|Ngay)\s*)?",
    re.I,
)
# Anchored at a date: the trigger must end right where the date begins.
TRIGGER_BEFORE = re.compile(TRIGGER.pattern + r"$", re.I)
# A clause that states a condition or a past event rather than asking for something.
NOT_OBLIGATION = re.compile(
    r"(?:hiệu\s+lực|được\s+ký|đã\s+ký|ký\s+kết|ban\s+hành|phát\s+sinh|được\s+cấp|đã\s+được|thành\s+lập|"
    r"trước\s+đó|thì\b|đã\s+nộp|quy\s+định\s+tại)",
    re.I,
)


def find_deadlines(text: str) -> list[Deadline]:
    """Dates first (few), then the words before each: faster than scanning for the words."""
    out: list[Deadline] = []
    seen: set[str] = set()
    dates = sorted([(m.start(), m) for m in NUMERIC.finditer(text)] + [(m.start(), m) for m in WORDY.finditer(text)],
                   key=lambda x: x[0])
    for pos, dm in dates:
        tm = TRIGGER_BEFORE.search(text, max(0, pos - 70), pos)
        if tm is None and text[pos:pos + 4].lower() == "ngày":  # WORDY starts at its `ngày`
            tm = TRIGGER_BEFORE.search(text, max(0, pos - 70), pos + 5)
            if tm is not None and tm.end() != pos + 5:
                tm = None
        if tm is None:
            continue
        value = match_iso(dm)
        if not value or len(value) != 10 or value in seen:
            continue
        start = tm.start()
        lo = max(text.rfind(".", 0, start), text.rfind(";", 0, start), text.rfind("\n", 0, start), 0)
        before, after = text[lo:start], text[dm.end():dm.end() + 60]
        if NOT_OBLIGATION.search(before[-80:]) or re.match(r"\s*,?\s*(?:thì|mà)\b", after):
            continue
        seen.add(value)
        out.append(Deadline(value, " ".join(text[start:dm.end()].split())))
    return out
