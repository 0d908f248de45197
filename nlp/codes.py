"""Document numbers and symbols (`số và ký hiệu`): parsing, canonical forms and keys.

Party form (Hướng dẫn 36): `số-LOẠI/CQ`, e.g. `57-KL/TW`, `1805-CV/BTGDVTW`.
State form (Nghị định 30/2020): `số/LOẠI-CQ`, `số/năm/LOẠI-CQ`, công văn `số/CQ-ĐV`,
e.g. `5771/VPCP-QHQT`, `30/2020/NĐ-CP`, `51/2024/QH15`; before 2000, `61-CP`, `12-TTg`."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from nlp.doctypes import type_from_abbrev
from nlp.registry import name_for
from text.fold import fold

_PART = r"[A-ZĐ][A-Za-zĐđ0-9&.]*"
PARTY_RE = re.compile(rf"^(?P<num>\d+(?:\.\d+)?[a-z]?)?\s*-\s*"
                      rf"(?P<type>{_PART})\s*/\s*(?P<auth>{_PART}(?:\s*-\s*{_PART})*)$")
STATE_RE = re.compile(
    rf"^(?P<num>\d+(?:\.\d+)?[a-z]?)?\s*/\s*(?:(?P<year>(?:19|20)\d\d)\s*/\s*)?"
    rf"(?P<sym>{_PART}(?:\s*-\s*{_PART})*)$"
)
# Before 2000 the Government (`CP`), the Prime Minister (`TTg`) and the Council of Ministers
# (`HĐBT`) numbered decrees and decisions with no type letters: `61-CP`, `12-TTg`, `388-HĐBT`
# (`15/CP` is already a state `số/CQ` code). Only these authorities: `12-15` is a range.
OLD_RE = re.compile(r"^(?P<num>\d+[a-z]?)-(?P<auth>CP|TTg|TTG|HĐBT)$")
# Authority codes that every province or district has: the place must join the key.
LOCAL_AUTHORITIES = {
    "UBND", "HĐND", "TU", "HU", "TĐ", "QU", "ĐU", "SNV", "SYT", "SGDĐT", "STC", "SKHĐT",
    "SXD", "STNMT", "SNNPTNT", "SLĐTBXH", "SVHTTDL", "STTTT", "SCT", "STP", "SKHCN",
    "BTGTU", "VPTU", "BDVTU", "UBKTTU", "BTCTU", "VP", "MTTQ", "CAT", "CT",
}


@dataclass(frozen=True)
class Code:
    code: str
    number: str | None
    symbol: str
    system: str
    type_abbrev: str | None
    authority: str | None
    year: int | None = None

    @property
    def doc_type(self) -> str | None:
        return type_from_abbrev(self.type_abbrev, self.system) if self.type_abbrev else None


def compact(code: str) -> str:
    """A code as printed with its spaces removed, NFC: `1805 - CV/BTGDVTW` → `1805-CV/BTGDVTW`."""
    # NFC again after the spaces go: a space may have stood between a letter and its accent
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", unicodedata.normalize("NFC", code))).strip(".,;:")


def parse_code(text: str) -> Code | None:
    """Parse `57-KL/TW`, `5771/VPCP-QHQT`, `30/2020/NĐ-CP`, `-CV/BTGDV`, `/BTTTT-TTĐN`."""
    raw = compact(text)
    m = PARTY_RE.match(raw)
    if m:
        auth = m.group("auth")
        return Code(raw, m.group("num"), f"{m.group('type')}/{auth}", "party", m.group("type"),
                    auth.split("-")[0])
    m = OLD_RE.match(raw)
    if m:
        return Code(raw, m.group("num"), m.group("auth"), "state", None, m.group("auth"))
    m = STATE_RE.match(raw)
    if m:
        sym = m.group("sym")
        parts = sym.split("-")
        year = int(m.group("year")) if m.group("year") else None
        first = parts[0]
        if len(parts) >= 2 and type_from_abbrev(first, "state"):
            type_abbrev, authority = first, parts[1]
        elif len(parts) == 1:  # `51/2024/QH15`: a law, the symbol is the issuing body
            type_abbrev, authority = None, first
        else:  # công văn `số/CQ-ĐV`: authority then its unit
            type_abbrev, authority = None, first
        symbol = sym if year is None else f"{year}/{sym}"
        return Code(raw, m.group("num"), symbol, "state", type_abbrev, authority, year)
    return None


# A rule of the page that OCR read as a letter, glued onto a code (`241/2026/NĐ-CPl`): no type or
# body letters end in `l` after capitals (those with a small letter end `TTg`, `HTr`, `QĐi`).
_RULE_READ_AS_L = re.compile(r"(?<=[A-ZĐ]{2})l$")


def without_debris(code: str) -> str:
    """The code without a stray OCR letter glued onto its end."""
    return _RULE_READ_AS_L.sub("", code) if code.endswith("l") else code


def known_authority(part: str | None) -> bool:
    """Letters that name an issuing body: the register's, or a local body's (`UBND`, `SYT`, `CT`)."""
    return bool(part) and (part.upper() in LOCAL_AUTHORITIES or name_for(part) is not None)


def type_letters_hold(parsed: Code, subject_line: bool) -> bool:
    """Whether a state symbol's first letters are its type. `số/năm/LOẠI-CQ` (`12/2020/TT-BTC`)
    and `số/LOẠI-CQ` under a known body (`21/CT-TTg`) say so; a công văn is `số/CQ-ĐV`
    (Nghị định 30/2020), and the body's letters may spell a type: `0342/CT-TTHT` of a Cục Thuế
    (CT) and its unit. There a `V/v` line (a công văn's trích yếu), or first letters that name a
    body, tell the công văn."""
    if parsed.system != "state" or not parsed.type_abbrev or parsed.year or known_authority(parsed.authority):
        return True
    return not (subject_line or known_authority(parsed.type_abbrev))


def as_letter(parsed: Code) -> Code:
    """The code read as a công văn's `số/CQ-ĐV`: no type letters, the first part the body."""
    return replace(parsed, type_abbrev=None, authority=parsed.type_abbrev)


def code_key(code: str) -> str:
    """Identity of a code's spelling: upper case, no spaces, no leading zeros in the number."""
    s = compact(code).upper()
    return re.sub(r"(^|/)0+(?=\d)", r"\1", s)


def canonical_key(code: str, year: int | str | None = None, place: str | None = None) -> str:
    """The key that links a citation to a document (SCHEMA.md): the code, plus the year where
    the code carries none, plus the place where the authority is a local one."""
    parsed = parse_code(code)
    key = code_key(code)
    if parsed is None or parsed.year is None:
        if year:
            key += f"@{str(year)[:4]}"
    if parsed and parsed.authority and parsed.authority.upper() in LOCAL_AUTHORITIES and place:
        key += "#" + re.sub(r"\W+", "-", fold(place)).strip("-")
    return key


def key_code(key: str) -> str:
    """The code part of a canonical key (in key form even for text holding `@`: `0:@` → `0`)."""
    return key.split("@", 1)[0].split("#", 1)[0].rstrip(".,;:")
