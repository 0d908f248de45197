"""The issuing body from the header's capital lines (SCHEMA.md `issuer`).

Two lines that name one body are joined (`ỦY BAN NHÂN DÂN` / `TỈNH TUYÊN QUANG`); a line that
starts a new body (`BAN …`, `SỞ …`, `PHÒNG …`) under another makes that other its `parent`
(`BAN CHẤP HÀNH TRUNG ƯƠNG` / `BAN TUYÊN GIÁO VÀ DÂN VẬN`, `UBND TỈNH QUẢNG NINH` / `SỞ Y TẾ`)."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.codes import Code
from nlp.models import Issuer
from nlp.registry import central_names_upper, issuer_name
from text.fold import strip_marks

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


# OCR drops marks (`TONG CỤC THUÊ`): body words match bare too, case kept.
BODY_START_BARE = re.compile(strip_marks(BODY_START.pattern))
# A continuation names the place or finishes the first line's name.
CONTINUES = re.compile(r"^(?:TỈNH|THÀNH\s+PHỐ|TP\.?|HUYỆN|QUẬN|XÃ|PHƯỜNG|THỊ\s+XÃ|THỊ\s+TRẤN|VÀ|-|&|VIỆT\s+NAM|"
                       r"TRUNG\s+ƯƠNG|KHU\s+VỰC|NHÂN\s+DÂN)(?!\w)")
PARTY_BODY = re.compile(r"(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ)\s+[ỦU][YỶ]\b")  # not `HUYỆN U MINH`


# `BAN CHẤP HÀNH TRUNG ƯƠNG` / `ĐOÀN TNCS HỒ CHÍ MINH` is one body: the committee of that organisation.
COMMITTEE_OF = re.compile(r"(?:BAN\s+CHẤP\s+HÀNH|TRUNG\s+ƯƠNG)$")
ORGANISATION = re.compile(r"^(?:ĐOÀN|HỘI|CÔNG\s+ĐOÀN|LIÊN\s+ĐOÀN|ĐẢNG\s+BỘ|LIÊN\s+HIỆP|MẶT\s+TRẬN)(?!\w)")


# The socio-political organisations print their own name over the header the way the state prints
# the motto (the Đoàn's top right, a Hội's or the Front's above the committee that issues): it
# names the organisation, neither the issuing body nor its parent.
UMBRELLA = re.compile(
    r"^(?:ĐOÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH|(?:HỘI\s+NÔNG\s+DÂN|MẶT\s+TRẬN\s+TỔ\s+QUỐC|"
    r"CÔNG\s+ĐOÀN|HỘI\s+(?:LIÊN\s+HIỆP\s+|LH)PHỤ\s+NỮ|HỘI\s+LHPN|HỘI\s+CỰU\s+CHIẾN\s+BINH|ĐẢNG\s+CỘNG\s+SẢN)"
    r"\s+VIỆT\s+NAM)(?=$|\s+(?P<rest>\S.*))"
)
UMBRELLA_BARE = re.compile(strip_marks(UMBRELLA.pattern))  # OCR'd marks: `MẬT TRẬN TỔ QUỐC`


def _umbrella(line: str) -> re.Match | None:
    if "NAM" not in line and "MINH" not in line:  # every umbrella ends `VIỆT NAM` or `HỒ CHÍ MINH`
        return None
    bare = strip_marks(line)
    return UMBRELLA.match(line) or (UMBRELLA_BARE.match(bare) if len(bare) == len(line) else None)


# The organisation's central committee alone under it (`BAN CHẤP HÀNH TRUNG ƯƠNG`): the umbrella
# says whose committee it is, so the two read as one body, as in the order committee-first.
CENTRAL_COMMITTEE = re.compile(r"^(?:BAN\s+CHẤP\s+HÀNH|BCH|ỦY\s+BAN|UỶ\s+BAN)\s+TRUNG\s+ƯƠNG$")


def _without_umbrella(lines: list[str]) -> list[str]:
    """The issuer lines with the organisation's umbrella line left out; it stays where it
    finishes a committee's name (`BAN CHẤP HÀNH TRUNG ƯƠNG` / `ĐOÀN TNCS HỒ CHÍ MINH`) or is
    all the header has."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        line = " ".join(lines[k].split())
        m = _umbrella(line)
        if not m or (out and COMMITTEE_OF.search(out[-1])):
            out.append(line)
        elif m.group("rest"):  # `ĐOÀN TNCS HỒ CHÍ MINH BCH TỈNH ĐOÀN …`: a flattened line
            rest = line[m.start("rest"):]
            out.append(rest if BODY_START.match(rest) else line)
        elif k + 1 < len(lines) and CENTRAL_COMMITTEE.match(" ".join(lines[k + 1].split())):
            out += [" ".join(lines[k + 1].split()), line]
            k += 1
        elif len(lines) == 1:
            out.append(line)
        k += 1
    return out


def _split_flattened(line: str) -> list[str]:
    """`BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN`: a web copy runs the two header lines into one; where a
    central body's name (the register) is followed by the start of another body, cut there."""
    for name in central_names_upper():
        if line.startswith(name + " "):
            rest = line[len(name):].strip()
            if BODY_START.match(rest) and not CONTINUES.match(rest):
                return [name, rest]
            break
    # `UBND TỈNH CAO BẰNG SỞ NỘI VỤ`: a province's body, its name ending at a province of the register
    m = _LOCAL_PARENT.match(line)
    if m:
        for prov in _provinces_upper():
            if line.startswith(prov + " ", m.end()):
                cut = m.end() + len(prov)
                rest = line[cut:].strip()
                if BODY_START.match(rest) and not CONTINUES.match(rest):
                    return [line[:cut], rest]
    return [line]


_LOCAL_PARENT = re.compile(r"^(?:UBND|ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN|TỈNH\s+ỦY|THÀNH\s+ỦY)\s+"
                           r"(?:(?:TỈNH|THÀNH\s+PHỐ|TP\.?)\s+)?")


@lru_cache(maxsize=1)
def _provinces_upper() -> tuple[str, ...]:
    """The register's provinces in capitals, longest first (`BÀ RỊA - VŨNG TÀU` before `BÀ RỊA`)."""
    from nlp.registry import provinces

    names = {p.upper() for after in (True, False) for p in provinces(after_2025=after)}
    return tuple(sorted(names, key=len, reverse=True))


def _bodies(lines: list[str]) -> list[str]:
    bodies: list[str] = []
    for raw in [part for x in lines for part in _split_flattened(" ".join(x.split()))]:
        line = " ".join(raw.split())
        if not bodies:
            bodies.append(line)
            continue
        prev = bodies[-1]
        starts_body = (bool(BODY_START.match(line) or BODY_START_BARE.match(strip_marks(line)))
                       and not CONTINUES.match(line))
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
    lines = _without_umbrella([x for x in lines if x])
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
