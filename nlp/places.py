"""Vietnam's provinces, and the place an issuing body or a citation's `của …` names.

Local authority codes (`UBND`, `TU`, `HU`, `SYT`…) need a place to join a document's key
(SCHEMA.md). The place of a body is its own unit: the province for `TỈNH ỦY NGHỆ AN` or
`SỞ Y TẾ` under `UBND TỈNH NGHỆ AN`, the district (or commune) for `HUYỆN ỦY DIỄN CHÂU`.

The provinces (the 63 before and the 34 after Nghị quyết 202/2025/QH15 of 12 June 2025) come
from the authority register `nlp.registry`. Districts are not listed (there were ~700, and
they were abolished from 1 July 2025): a district's province is read from the letter itself (`TỈNH ỦY Y` above
`HUYỆN ỦY X`, or `tỉnh Y` in its text) or learned from the archive.
"""
from __future__ import annotations

import re
from functools import lru_cache

from nlp import registry
from text.fold import fold
from text.letter_parts import MOTTO_TAIL
from text.normalize import unify_tones

# The 34 provincial-level units from 12 June 2025 and the 63 of before: the register's lists
# (nlp/data/authorities.json, after Nghị quyết 202/2025/QH15), one source for both modules.
PROVINCES_2025: tuple[str, ...] = tuple(registry.provinces(after_2025=True))
PROVINCES_BEFORE_2025: tuple[str, ...] = tuple(registry.provinces(after_2025=False))
# Spellings that also occur: `TP. Hồ Chí Minh`, `Thành phố Huế`, `Bà Rịa-Vũng Tàu`.
_ALIASES = {"thanh pho ho chi minh": "Hồ Chí Minh", "ba ria vung tau": "Bà Rịa - Vũng Tàu",
            "thua thien - hue": "Thừa Thiên Huế", "hcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh"}

# Authority codes of a province's own bodies; the rest of the local codes (UBND, HĐND, MTTQ, VP,
# ĐU…) exist at every level, and HU/QU are a district's.
PROVINCIAL_CODES = {"TU", "BTGTU", "VPTU", "BDVTU", "UBKTTU", "BTCTU", "BTGDVTU", "CAT", "SNV", "SYT", "SGDĐT",
                    "STC", "SKHĐT", "SXD", "STNMT", "SNNPTNT", "SNNMT", "SLĐTBXH", "SVHTTDL", "STTTT", "SCT",
                    "STP", "SKHCN", "SGTVT", "SDTTG"}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w-]+", " ", fold(text)).replace("-", " ").split())


_NAMES: dict[str, str] = {_key(p): p for p in PROVINCES_BEFORE_2025 + PROVINCES_2025}
_NAMES.update({_key(k): v for k, v in _ALIASES.items()})


def province(name: str | None) -> str | None:
    """The register's spelling of a province named exactly (any case, tone placement, hyphens),
    with or without the unit word a date line prints in full (`Thành phố Huế`, `TP. Hồ Chí Minh`)."""
    if not name:
        return None
    key = _key(name)
    return _NAMES.get(key) or _NAMES.get(re.sub(r"^(?:thanh pho|tp|tinh) ", "", key))


def provinces_in(text: str) -> list[str]:
    """Every province the text names after `tỉnh`/`thành phố`/`Tỉnh ủy`/`Thành ủy`, in order."""
    return [name for level, name in _units(text or "") if level == "province" and name]


def _units(text: str) -> list[tuple[str, str | None]]:
    """Every unit phrase of a text; a name ends at its first common word, and the next phrase
    may start right there (`tỉnh Thái Bình và Tỉnh ủy Hưng Yên`)."""
    text = unify_tones(text)
    out = []
    pos = 0
    while m := _UNIT.search(text, pos):
        level, name, used = _unit(m)
        out.append((level, name))
        pos = m.end("unit") + used + 1
    return out


# A unit word and the name after it: `TỈNH ỦY NGHỆ AN`, `huyện Diễn Châu`, `UBND thành phố Vinh`.
_WORD = r"[^\W\d_][^\W\d_'’.-]*"
_UNIT = re.compile(
    r"(?<!\w)(?P<unit>tỉnh\s+ủy|thành\s+ủy|huyện\s+ủy|quận\s+ủy|thị\s+ủy|đảng\s+ủy\s+(?:xã|phường|thị\s+trấn)"
    r"|tỉnh|thành\s+phố|tp\s*\.|huyện|quận|thị\s+xã|xã(?!\s+hội)|phường|thị\s+trấn)"
    rf"(?:(?:\s+|(?<=\.))(?P<name>{_WORD}(?:\s*-\s*{_WORD}|\s+{_WORD}){{0,3}}))?",  # `TP.HCM`: no space
    re.I)
# Words that follow a unit word without being a name (`tỉnh ủy`, `huyện thực hiện`).
# Compared with diacritics where the word has them: `Đà` (Nẵng), `Bảo` (Lâm) are names, `đã`,
# `báo` are not; a word typed without diacritics is compared folded.
_NOT_NAME = {"ủy", "uỷ", "thuộc", "trực", "và", "về", "theo", "trên", "trong", "nhận", "có", "đã", "để", "tại",
             "các", "này", "do", "đó", "được", "gửi", "báo", "lần"}
_NOT_NAME_FOLDED = {fold(w) for w in _NOT_NAME}
# Words that open a unit phrase: a name never starts with one (`THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH`
# is the committee of the city named next, not of a place called `Thành Phố Hồ Chí`).
_UNIT_START = re.compile(r"^(?:tỉnh|thành|tp\b|huyện|quận|thị|xã|phường|đảng)", re.I)
# Capitalised words that start another body, not a place name (`huyện Diễn Châu Ban Tuyên giáo`).
# Compared with diacritics: `Tĩnh` of Hà Tĩnh is a name, `Tỉnh` (ủy) is not.
_BODY_WORDS = {"ban", "sở", "phòng", "ubnd", "hđnd", "đảng", "mặt", "hội", "đoàn", "tỉnh", "huyện", "quận", "thành"}


def _stop_word(word: str) -> bool:
    lower = unify_tones(word).lower()
    return lower in _NOT_NAME if fold(lower) != lower else lower in _NOT_NAME_FOLDED


def _unit(m: re.Match) -> tuple[str, str | None, int]:
    """(level, place, characters of the name used) of a matched unit phrase: `province` or
    `local`, the name or None."""
    unit = " ".join(fold(m.group("unit")).replace(".", " ").split())
    raw = m.group("name") or ""
    words = raw.split()
    provincial = unit.startswith(("tinh", "thanh uy", "thanh pho", "tp"))
    if words and _UNIT_START.match(words[0]):  # another unit word follows: this one names no place
        return ("province" if provincial else "local"), None, 0
    if provincial:  # a province named right after the unit word, whatever its words (`Đà Nẵng`)
        for n in range(len(words), 0, -1):
            known = province(" ".join(words[:n]))
            if known:
                return "province", known, _span(raw, n)
    # A name is its capitalised words (`Diễn Châu`, `Bà Rịa - Vũng Tàu`); it stops at a common word.
    name_words: list[str] = []
    for w in words:
        if _stop_word(w) or (w[:1].islower() and w != "-") or (name_words and w.lower() in _BODY_WORDS):
            break
        name_words.append(w)
    name = " ".join(name_words).strip(" -") or None
    used = _span(raw, len(name_words))
    if provincial:
        if name and not unit.startswith("tinh"):  # `thành phố Vinh`: a city inside a province
            return "local", (name.title() if name.isupper() else name), used
        return "province", None, used
    return "local", (name.title() if name and name.isupper() else name), used


def _span(raw: str, n: int) -> int:
    """Characters of `raw` taken by its first `n` words."""
    if n <= 0:
        return 0
    return [m.end() for m in re.finditer(r"\S+", raw)][n - 1]


@lru_cache(maxsize=65536)
def body_place(name: str | None) -> tuple[str | None, str | None]:
    """(level, place) of an issuing body's name or a `của …` phrase: `UBND TỈNH NGHỆ AN` →
    (`province`, `Nghệ An`); `Huyện ủy Diễn Châu` → (`local`, `Diễn Châu`); `Ủy ban nhân dân
    tỉnh` → (`province`, None); `Sở Y tế` → (None, None). The most local unit named wins
    (`Phòng Nội vụ huyện X` → X), a province named elsewhere in the phrase does not."""
    if not name:
        return None, None
    best: tuple[str | None, str | None] = (None, None)
    for level, place in _units(" ".join(name.split())):
        if level == "local" and place:
            return level, place
        if best[1] is None and (place or best[0] is None):
            best = (level, place)
    return best


def clean_place(text: str | None) -> str | None:
    """The place of a date line that came out with its neighbours (`Số: 33/KH-UBND Tuyên Quang`,
    `Long An ĐẢNG CỘNG SẢN VIỆT NAM`): what is left after the number and the motto."""
    if not text:
        return None
    text = MOTTO_TAIL.sub("", unify_tones(text))
    text = re.sub(r"^.*[\d/]\S*", "", text)  # up to the last token with a digit or slash
    text = " ".join(text.replace(":", " ").split()).strip(" ,.-")
    return text or None


def slug(place: str) -> str:
    """The form of a place in a key: `Nghệ An` → `nghe-an`."""
    return re.sub(r"\W+", "-", fold(place)).strip("-")
