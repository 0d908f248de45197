"""The authority register (`nlp/data/authorities.json`): symbol authority codes → body names,
and the provinces before and after the 2025 merger. Fills `issuer` where a letter has no
header, and lets the index match an issuer by code or by name."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from text.fold import fold

_DATA = Path(__file__).with_name("data") / "authorities.json"
BODY_WORDS = (r"Ban|Bộ|Sở|Văn phòng|Ủy ban|Uỷ ban|Cục|Tổng cục|Vụ|Viện|Hội đồng|Đảng ủy|Đảng uỷ|Tỉnh ủy|Thành ủy|"
              r"Trung ương|Kho bạc|Ngân hàng|Thanh tra|Tòa án")
_BODY = re.compile(rf"(?<!\w)(?:{BODY_WORDS})(?:\s+[\wÀ-ỹ-]+){{0,10}}")


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _central() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, name in _data()["central"].items():
        out.setdefault(code.split("-")[0].upper(), name)
    return out


def provinces(after_2025: bool = True) -> list[str]:
    return list(_data()["provinces_2025" if after_2025 else "provinces_before_2025"])


def name_for(code: str | None) -> str | None:
    """The body that an authority code names, from the register (`BTTTT` → Bộ Thông tin và Truyền thông)."""
    if not code:
        return None
    return _central().get(code.upper())


def _initials(words: list[str]) -> str:
    return "".join(fold(w)[0] for w in words if w and fold(w) not in {"va", "-"} and fold(w)[:1].isalpha()).upper()


def name_in_text(code: str | None, text: str) -> str | None:
    """A body named in the text whose initials spell the code: `BTGDV` → `Ban Tuyên giáo và Dân vận`."""
    if not code or len(code) < 3:
        return None
    want = fold(code).upper()
    for m in _BODY.finditer(text[:20000]):
        words = m.group().split()
        for n in range(2, len(words) + 1):
            got = _initials(words[:n])
            if got == want:
                return " ".join(words[:n]).strip(" ,.;")
            if not want.startswith(got):
                break
    return None


def issuer_name(code: str | None, text: str) -> str | None:
    """Issuer for a document without a header: the register first, then the text."""
    return name_for(code) or name_in_text(code, text)


def province_after_2025(name: str) -> str | None:
    """The province that `name` (a province before or after the 2025 merger) belongs to now."""
    key = fold(name).replace("tinh ", "").replace("thanh pho ", "").strip()
    for old, new in _data()["merged_into"].items():
        if fold(old) == key:
            return new
    for p in _data()["provinces_2025"]:
        if fold(p) == key:
            return p
    return None


def issuer_forms(name: str | None, code: str | None = None) -> list[str]:
    """Every spelling under which an issuer should be found: as printed, with abbreviations
    spelled out and back (`UBND` ⇄ `ỦY BAN NHÂN DÂN`), the register's name for its code, and
    for a body of a province merged in 2025, the same body under the new province's name."""
    forms: list[str] = []

    def add(s: str | None) -> None:
        if s and s not in forms:
            forms.append(s)

    add(name)
    add(code)
    add(name_for(code))
    abbr = _data()["abbreviations"]
    for s in list(forms):
        up = s.upper()
        for short, full in abbr.items():
            if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", up):
                add(re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", full, up))
            if full in up:
                add(up.replace(full, short))
    for s in list(forms):
        for old, new in _data()["merged_into"].items():
            if fold(old) in fold(s):
                add(re.sub(re.escape(old), new, s, flags=re.I) if old.lower() in s.lower() else None)
    return forms


@lru_cache(maxsize=1)
def central_names_upper() -> tuple[str, ...]:
    """The central bodies' names in capitals, longest first: `BỘ TÀI CHÍNH`, `VĂN PHÒNG CHÍNH PHỦ`."""
    return tuple(sorted({" ".join(n.upper().split()) for n in _data()["central"].values()}, key=len, reverse=True))
