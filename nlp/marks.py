"""Stamps in the header (SCHEMA.md `marks`): the draft mark, độ khẩn and độ mật.

Nghị định 30/2020/NĐ-CP (Phụ lục I, ô 10a/10b) and Hướng dẫn 36-HD/VPTW print them in
capitals, alone in a box under the number and trích yếu: `KHẨN`, `THƯỢNG KHẨN`, `HỎA TỐC`
(`HỎA TỐC HẸN GIỜ`), `MẬT`, `TỐI MẬT`, `TUYỆT MẬT`; a draft carries `DỰ THẢO` (`Dự thảo lần 2`,
`DỰ THẢO 24.10.2016`). A stamp is a whole header cell, or the end of a capital line that a
flattened layout ran it onto (`SỞ NỘI VỤ DỰ THẢO`), or what follows a number on its line:
never a word inside a sentence or a title (`BẢO VỆ BÍ MẬT NHÀ NƯỚC`, `khẩn trương`)."""
from __future__ import annotations

import re

from nlp.models import Marks
from text.fold import fold
from text.normalize import unify_tones

URGENCY = {"HỎA TỐC": "Hỏa tốc", "THƯỢNG KHẨN": "Thượng khẩn", "KHẨN": "Khẩn"}
SECRECY = {"TUYỆT MẬT": "Tuyệt mật", "TỐI MẬT": "Tối mật", "MẬT": "Mật"}
# A whole cell typed without marks or OCR'd with one wrong (`HOA TOC`, `TỐI MÂT`): the stamp whose
# letters it has; no other header cell is these letters alone.
_FOLDED = {fold(k).upper(): k for k in ("HỎA TỐC", "HỎA TỐC HẸN GIỜ", "THƯỢNG KHẨN", "KHẨN", "TUYỆT MẬT",
                                        "TỐI MẬT", "MẬT", "DỰ THẢO")}
# The words a draft mark may carry after it: its round and its date (`lần thứ 2`, `ngày 12/5/2025`, `V3`).
_DRAFT_TAIL = r"(?:\s*(?:(?:LẦN|THỨ|NGÀY|SỐ|V\d+|[IVX]+|\d[\d./-]*)(?!\w)|[:.,()]))*"
_STAMP = re.compile(
    rf"(?:ĐỘ\s+(?:KHẨN|MẬT)\s*:\s*)?(?:(?P<draft>DỰ\s*THẢO{_DRAFT_TAIL})"
    r"|(?P<urgency>HỎA\s*TỐC(?:\s+HẸN\s+GIỜ)?|THƯỢNG\s+KHẨN|KHẨN)|(?P<secrecy>TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT))"
)
_BOX = " \t()[]{}*_#|<>\"'“”"
_FIRST_LETTERS = frozenset("ĐDHTKM")  # ĐỘ KHẨN:, DỰ THẢO, HỎA TỐC, THƯỢNG/TỐI/TUYỆT, KHẨN, MẬT


def _normal(text: str) -> str:
    """Capitals, one space; letter-spaced stamps closed up (`K H Ẩ N`); a spelling with other
    marks (`HOẢ TỐC`, an OCR'd `TỐI MÂT`) as the stamp it folds to."""
    words = text.strip(_BOX).upper().split()
    if len(words) > 6 and any(len(w) > 1 for w in words):  # no stamp has so many words
        return ""
    t = " ".join(words)
    if len(words) >= 3 and all(len(w) == 1 for w in words):
        t = "".join(words)
        t = {"THƯỢNGKHẨN": "THƯỢNG KHẨN", "HỎATỐC": "HỎA TỐC", "TỐIMẬT": "TỐI MẬT", "TUYỆTMẬT": "TUYỆT MẬT",
             "DỰTHẢO": "DỰ THẢO"}.get(t, t)
    if len(t) <= 15 and not _STAMP.fullmatch(t):  # the longest stamp, `HỎA TỐC HẸN GIỜ`, has 15 letters
        t = _FOLDED.get(fold(t).upper(), t)
    return t


def _marks(m: re.Match) -> Marks:
    if m.group("draft"):
        return Marks(draft=True)
    if m.group("urgency"):  # `HỎA TỐC HẸN GIỜ` is a hỏa tốc
        word = next(w for w in URGENCY if m.group("urgency").replace(" ", "").startswith(w.replace(" ", "")))
        return Marks(urgency=URGENCY[word])
    return Marks(secrecy=SECRECY[" ".join(m.group("secrecy").split())])


def stamp_of(cell: str) -> Marks | None:
    """The marks of a header cell that is a stamp and nothing else; `None` for any other cell."""
    if len(cell) > 40 or cell.lstrip(_BOX)[:1].upper() not in _FIRST_LETTERS:  # most cells end here
        return None
    m = _STAMP.fullmatch(_normal(cell))
    return _marks(m) if m else None


# A stamp run onto the end of a capital line; the word before must not make it a compound
# (`BÍ MẬT`, `BẢO MẬT`, `CẤP KHẨN`), and something must stay before it.
_TRAILING = re.compile(r"(?<=\s)(?:(?<!BÍ\s)(?<!BẢO\s)(?<!CƠ\s)(?<!CẤP\s)" + _STAMP.pattern + r")$")


def trailing_stamp(line: str) -> tuple[str, Marks | None]:
    """`SỞ NỘI VỤ DỰ THẢO` → (`SỞ NỘI VỤ`, draft): a capital line with a stamp at its end."""
    if not any(w in line for w in ("THẢO", "KHẨN", "TỐC", "MẬT")):
        return line, None
    t = unify_tones(line)
    m = _TRAILING.search(t)
    if not m or not t[:m.start()].strip():
        return line, None
    return line[:m.start()].rstrip(" ,-"), _marks(m)


def stamp_before_body(line: str, body_start: re.Pattern) -> tuple[str, Marks | None]:
    """`HỎA TỐC BỘ Y TẾ` → (`BỘ Y TẾ`, hỏa tốc): a stamp run onto the start of an issuer's line,
    where what follows opens a body's name (an OCR'd `MẬT TRẬN` for `MẶT TRẬN` does not)."""
    if not any(w in line for w in ("THẢO", "KHẨN", "TỐC", "MẬT")):
        return line, None
    m = _STAMP.match(unify_tones(line))
    rest = line[m.end():].strip() if m else ""
    if not m or not line[m.end():m.end() + 1].isspace() or not body_start.match(rest):
        return line, None
    return rest, _marks(m)


def leading_stamp(rest: str, title: re.Pattern | None = None) -> Marks | None:
    """The stamp that opens what follows a number or a date on its line (`… /2016/QH14 DỰ THẢO
    24.10.2016 LUẬT VỀ HỘI`, `… năm 2026 HỎA TỐC`): the stamp alone, or before the title that
    `title` matches; `KHẨN TRƯƠNG TRIỂN KHAI …` opens a sentence, no stamp."""
    text = unify_tones(rest.strip(_BOX)).upper()  # `(Dự thảo)` as well: what follows must still be a title
    m = _STAMP.match(text)
    if not m:
        return None
    after = text[m.end():].strip(_BOX + ",.;:")
    if after and not (title and title.match(after)):
        return None
    return _marks(m)
