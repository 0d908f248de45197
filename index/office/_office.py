"""The office that keeps the archive, and which letters are its own.

Set once (`congvan config office --name … --code …`) and kept in the catalog's settings. A
letter is the office's own (it goes in the sổ văn bản đi, all others in the sổ văn bản đến)
when either
- its issuing body's name is the office's name: compared without case, diacritics or
  spacing, with abbreviations spelled out (`UBND` = `Ủy ban nhân dân`), the header's two
  lines read both as the body alone and as the body under its parent; or
- the authority part of its code (`5771/VPCP-QHQT` → `VPCP`, `12-CV/VPTU` → `VPTU`) is one of
  the office's codes. A code that every province or district has (`UBND`, `VPTU`, `SYT`…)
  matches only with its place: the office's `UBND` of Nghệ An is not Thanh Hóa's, nor a
  district's `UBND` in Nghệ An (the place is the issuing body's own unit, as the catalog
  stores it for keys).
What it cannot know: a letter whose header and code were both misread, or one signed for
the office by another body (`TL.`, `TUQ.` of a superior), is decided by what was read.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.codes import LOCAL_AUTHORITIES
from nlp.places import PROVINCIAL_CODES, body_place, slug
from nlp.registry import issuer_forms
from text.fold import fold

SETTING = "office"
_CODE = re.compile(r"^[A-ZĐ][A-ZĐ0-9&.]*$")
_SEPARATOR = re.compile(r"\s*[:@]\s*|\s+")


class OfficeError(ValueError):
    """A setting that cannot be used; the message says, in Vietnamese, what to type."""


def is_local(code: str) -> bool:
    """Whether every province or district has a body with this authority code."""
    return code in LOCAL_AUTHORITIES or code in PROVINCIAL_CODES


@dataclass(frozen=True)
class OfficeCode:
    code: str
    place: str | None = None  # for a local code: the unit whose body it is

    def to_dict(self) -> dict:
        return {"code": self.code, "place": self.place}

    def __str__(self) -> str:
        return f"{self.code}:{self.place}" if self.place else self.code


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(unicodedata.normalize("NFC", text))).split())


@lru_cache(maxsize=4096)  # the same few issuers recur across a register's letters
def name_keys(name: str | None) -> frozenset[str]:
    """The forms under which a body's name is the same body: abbreviations both ways, but
    never another place (the register would also give a merged province's new name)."""
    if not name or not name.strip():
        return frozenset()
    place = body_place(name)
    forms = [f for f in issuer_forms(name) if body_place(f) == place]
    return frozenset(k for k in map(_name_key, forms) if k)


def parse_code(typed: str, office_name: str | None) -> OfficeCode:
    """`VPCP`, `UBND:Nghệ An`, `UBND Nghệ An` or `UBND@Nghệ An`; a local code without a place
    takes the place the office's name names (`ỦY BAN NHÂN DÂN TỈNH NGHỆ AN`)."""
    text = unicodedata.normalize("NFC", typed).strip()
    parts = _SEPARATOR.split(text, maxsplit=1)
    code = parts[0].upper()
    place = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    if not _CODE.match(code):
        raise OfficeError(f"mã “{typed}” không đúng dạng: ghi phần cơ quan của ký hiệu, ví dụ VPCP, BTC, "
                          "hoặc UBND:Nghệ An")
    if is_local(code) and place is None:
        place = body_place(office_name)[1] if office_name else None
        if place is None:
            raise OfficeError(f"mã {code} tỉnh, huyện nào cũng có: ghi kèm địa danh, ví dụ --code '{code}:Nghệ An'"
                              " (hoặc ghi địa danh trong --name)")
    if place is not None and not is_local(code):
        place = None  # a central body's code names one body wherever its letters are dated
    return OfficeCode(code, place)


@dataclass(frozen=True)
class Office:
    name: str
    codes: tuple[OfficeCode, ...] = ()
    _keys: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @classmethod
    def make(cls, name: str, codes: list[str] | tuple[str, ...] = ()) -> Office:
        name = " ".join(unicodedata.normalize("NFC", name or "").split())
        if not name:
            raise OfficeError("cần tên cơ quan: --name \"Văn phòng Tỉnh ủy Nghệ An\"")
        parsed = tuple(dict.fromkeys(parse_code(c, name) for c in codes))
        return cls(name, parsed, name_keys(name))

    @classmethod
    def from_dict(cls, data: dict) -> Office:
        codes = tuple(OfficeCode(c["code"], c.get("place")) for c in data.get("codes") or [])
        return cls(data["name"], codes, name_keys(data["name"]))

    def to_dict(self) -> dict:
        return {"name": self.name, "codes": [c.to_dict() for c in self.codes]}

    def issued(self, issuer: str | None, parent: str | None, code: str | None, place: str | None) -> bool:
        """Whether a letter whose issuing body is ISSUER (under PARENT), whose code's authority
        part is CODE and whose body sits in PLACE is the office's own."""
        names = [issuer, f"{issuer} {parent}" if issuer and parent else None,
                 f"{parent} {issuer}" if issuer and parent else None]
        if any(k in self._keys for n in names if n for k in name_keys(n)):
            return True
        if not code:
            return False
        code = unicodedata.normalize("NFC", code).upper()
        for own in self.codes:
            if own.code != code:
                continue
            if own.place is None or (place and slug(place) == slug(own.place)):
                return True
        return False
