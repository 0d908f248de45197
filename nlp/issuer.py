"""The issuing body from the header's capital lines (SCHEMA.md `issuer`).

Two lines that name one body are joined (`ỦY BAN NHÂN DÂN` / `TỈNH TUYÊN QUANG`); a line that
starts a new body (`BAN …`, `SỞ …`, `PHÒNG …`) under another makes that other its `parent`
(`BAN CHẤP HÀNH TRUNG ƯƠNG` / `BAN TUYÊN GIÁO VÀ DÂN VẬN`, `UBND TỈNH QUẢNG NINH` / `SỞ Y TẾ`)."""
from __future__ import annotations

import re
import unicodedata

from nlp.codes import Code
from nlp.models import Issuer
from nlp.registry import central_names_upper, issuer_name

# Words that open the name of a body: a line starting with one begins a new body.
BODY_START = re.compile(
    r"^(?:BAN|BỘ|SỞ|CỤC|TỔNG\s+CỤC|CHI\s+CỤC|VỤ|VIỆN|VĂN\s+PHÒNG|PHÒNG|TRƯỜNG|TRUNG\s+TÂM|BỆNH\s+VIỆN|"
    r"ỦY\s+BAN|UỶ\s+BAN|UBND|HĐND|HỘI\s+ĐỒNG|ĐẢNG\s+ỦY|ĐẢNG\s+UỶ|ĐẢNG\s+ĐOÀN|ĐẢNG\s+BỘ|CHI\s+BỘ|"
    r"TỈNH\s+ỦY|TỈNH\s+UỶ|THÀNH\s+ỦY|THÀNH\s+UỶ|HUYỆN\s+ỦY|HUYỆN\s+UỶ|QUẬN\s+ỦY|THỊ\s+ỦY|CÔNG\s+AN|"
    r"BỘ\s+CHỈ\s+HUY|ĐOÀN|HỘI|CÔNG\s+TY|TẬP\s+ĐOÀN|TÒA\s+ÁN|TOÀ\s+ÁN|VIỆN\s+KIỂM\s+SÁT|KIỂM\s+TOÁN|"
    r"BẢO\s+HIỂM\s+XÃ\s+HỘI|NGÂN\s+HÀNG|CHÍNH\s+PHỦ|QUỐC\s+HỘI|THỦ\s+TƯỚNG|CHỦ\s+TỊCH|MẶT\s+TRẬN|"
    r"LIÊN\s+ĐOÀN|TỔNG\s+LIÊN\s+ĐOÀN|ĐẠI\s+HỌC|KHO\s+BẠC|CHI\s+NHÁNH|THANH\s+TRA|THUẾ|HẢI\s+QUAN|"
    r"QUÂN\s+ỦY|QUÂN\s+KHU|BAN\s+CHẤP\s+HÀNH|BCH)(?!\w)"
)


def _bare(s: str) -> str:
    """Without diacritics, case kept: OCR drops marks (`TONG CỤC THUÊ`), so body words match bare."""
    decomposed = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


BODY_START_BARE = re.compile(_bare(BODY_START.pattern))
# A continuation names the place or finishes the first line's name.
CONTINUES = re.compile(r"^(?:TỈNH|THÀNH\s+PHỐ|TP\.?|HUYỆN|QUẬN|XÃ|PHƯỜNG|THỊ\s+XÃ|THỊ\s+TRẤN|VÀ|-|&|VIỆT\s+NAM|"
                       r"TRUNG\s+ƯƠNG|KHU\s+VỰC|NHÂN\s+DÂN)(?!\w)")
PARTY_BODY = re.compile(r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ)\s+[ỦU][YỶ]\b")  # not `HUYỆN U MINH`


# `BAN CHẤP HÀNH TRUNG ƯƠNG` / `ĐOÀN TNCS HỒ CHÍ MINH` is one body: the committee of that organisation.
COMMITTEE_OF = re.compile(r"(?:BAN\s+CHẤP\s+HÀNH|TRUNG\s+ƯƠNG)$")
ORGANISATION = re.compile(r"^(?:ĐOÀN|HỘI|CÔNG\s+ĐOÀN|LIÊN\s+ĐOÀN|ĐẢNG\s+BỘ|LIÊN\s+HIỆP|MẶT\s+TRẬN)(?!\w)")


def _split_flattened(line: str) -> list[str]:
    """`BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN`: a web copy runs the two header lines into one; where a
    central body's name (the register) is followed by the start of another body, cut there."""
    for name in central_names_upper():
        if line.startswith(name + " "):
            rest = line[len(name):].strip()
            if BODY_START.match(rest) and not CONTINUES.match(rest):
                return [name, rest]
            break
    return [line]


def _bodies(lines: list[str]) -> list[str]:
    bodies: list[str] = []
    for raw in [part for x in lines for part in _split_flattened(" ".join(x.split()))]:
        line = " ".join(raw.split())
        if not bodies:
            bodies.append(line)
            continue
        prev = bodies[-1]
        starts_body = bool(BODY_START.match(line) or BODY_START_BARE.match(_bare(line))) and not CONTINUES.match(line)
        if PARTY_BODY.match(line):
            starts_body = True
        if COMMITTEE_OF.search(prev) and ORGANISATION.match(line):
            starts_body = False
        if starts_body and not prev.endswith(("VÀ", "-", ",")):
            bodies.append(line)
        else:
            bodies[-1] = f"{prev} {line}"
    return bodies


GAZETTE_SECTION = re.compile(r"^VĂN\s+BẢN\s+(?:QUY\s+PHẠM\s+PHÁP\s+LUẬT|PHÁP\s+LUẬT\s+KHÁC|HỢP\s+NHẤT)\b\s*-?\s*")


def _key(s: str) -> str:
    return re.sub(r"\W+", "", s)


def issuer_from_header(lines: list[str], parsed: Code | None, text: str) -> Issuer:
    code = parsed.authority if parsed else None
    # the gazette's section heading and its repeat of the issuer are not part of the header
    lines = [GAZETTE_SECTION.sub("", x).strip() for x in lines]
    lines = [x for x in lines if x]
    bodies = _bodies(lines[:6])
    deduped: list[str] = []
    for b in bodies:
        if deduped and _key(deduped[-1]) == _key(b):
            continue
        deduped.append(b)
    if len(deduped) > 1 and _key(deduped[0]) == _key("".join(deduped[1:])):
        deduped = deduped[1:]
    bodies = deduped[-3:]
    if bodies:
        name = bodies[-1]
        parent = bodies[-2] if len(bodies) >= 2 else None
        return Issuer(name, parent, code)
    return Issuer(issuer_name(code, text), None, code)
