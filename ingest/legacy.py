"""Repair Vietnamese typed in pre-Unicode fonts: TCVN3 (ABC, `.VnTime`) and VNI (`VNI-Times`).

Old government files were typed in 8-bit fonts. Their text layer holds the *font's* code points,
so a PDF or `.txt` reads `Bé Th«ng tin vµ TruyÒn th«ng` (TCVN3) or `Boä Thoâng tin` (VNI) where a
reader sees "Bộ Thông tin". Such text is unsearchable until it is mapped back to Unicode.

Tables (stdlib only; the PyPI package `viparse` was reviewed and not adopted, see below):

* TCVN3 — TCVN 5712:1993, level VN3, the subset the `.Vn*` fonts carry: 67 lowercase letters plus
  Ă Â Ê Ô Ơ Ư Đ. Byte values taken from the glibc charmap `TCVN5712-1` (/usr/share/i18n/charmaps,
  which is the VN1 level; VN3 is its 0xA1-0xFE lowercase part) and cross-checked against the
  TCVN3 table of Unikey's VnConv library (`unikey/data.cpp`). tests/test_legacy.py re-checks the
  table against the glibc charmap whenever that file is installed.
* VNI — VNI-Windows as defined by Unikey's VnConv (`DoubleByteTables`, "VNI-WIN"): a letter is
  a base byte plus an optional mark byte; the i-family and ỵ are single bytes; every uppercase
  byte is the lowercase one minus 0x20. Cross-checked cell by cell against a second independent
  transcription (a Rust converter's `VNI_BYTES`, itself checked against two converters).
* viparse 0.1.31's TCVN3 table agrees with the above; its VNI table lacks ẳ/Ẳ (`aú`, `AÚ`) and
  spells ỵ/Ỵ as `yï`/`YÏ` instead of `î`/`Î`, and it has no support for `.VnTimeH` capitals.

TCVN3 has no toned capitals: all-caps headings were set in the `H` fonts (`.VnTimeH`), whose
lowercase code points draw capitals. `convert(..., capitals=True)` handles that when the font
is known; without fonts, `repair` restores capitals for all-caps lines and words.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["convert", "detect", "is_capitals_font", "repair"]

TCVN3 = "tcvn3"
VNI = "vni"
ENCODINGS = (TCVN3, VNI)

# Tone marks in the column order of both tables: huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[tone])


# --- TCVN3 (TCVN 5712:1993 VN3) -------------------------------------------------------------
# (letter, byte of the untoned letter or None when it is ASCII, bytes for huyền hỏi ngã sắc nặng)
_TCVN3_ROWS: tuple[tuple[str, int | None, tuple[int, int, int, int, int]], ...] = (
    ("a", None, (0xB5, 0xB6, 0xB7, 0xB8, 0xB9)),
    ("ă", 0xA8, (0xBB, 0xBC, 0xBD, 0xBE, 0xC6)),
    ("â", 0xA9, (0xC7, 0xC8, 0xC9, 0xCA, 0xCB)),
    ("e", None, (0xCC, 0xCE, 0xCF, 0xD0, 0xD1)),
    ("ê", 0xAA, (0xD2, 0xD3, 0xD4, 0xD5, 0xD6)),
    ("i", None, (0xD7, 0xD8, 0xDC, 0xDD, 0xDE)),
    ("o", None, (0xDF, 0xE1, 0xE2, 0xE3, 0xE4)),
    ("ô", 0xAB, (0xE5, 0xE6, 0xE7, 0xE8, 0xE9)),
    ("ơ", 0xAC, (0xEA, 0xEB, 0xEC, 0xED, 0xEE)),
    ("u", None, (0xEF, 0xF1, 0xF2, 0xF3, 0xF4)),
    ("ư", 0xAD, (0xF5, 0xF6, 0xF7, 0xF8, 0xF9)),
    ("y", None, (0xFA, 0xFB, 0xFC, 0xFD, 0xFE)),
)
_TCVN3_SINGLE = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def _build_tcvn3() -> dict[str, str]:
    """Unicode letter -> legacy character (the byte read as Latin-1, as text layers return it)."""
    table: dict[str, str] = {}
    for letter, base, tones in _TCVN3_ROWS:
        if base is not None:
            table[letter] = chr(base)
        for tone, byte in enumerate(tones):
            table[_toned(letter, tone)] = chr(byte)
    table.update({letter: chr(byte) for letter, byte in _TCVN3_SINGLE.items()})
    return table


# --- VNI-Windows ----------------------------------------------------------------------------
_PLAIN = (0xF8, 0xFB, 0xF5, 0xF9, 0xEF)  # ø û õ ù ï
_CIRCUMFLEX = (0xE2, (0xE0, 0xE5, 0xE3, 0xE1, 0xE4))  # â + à å ã á ä
_BREVE = (0xEA, (0xE8, 0xFA, 0xFC, 0xE9, 0xEB))  # ê + è ú ü é ë


def _build_vni() -> dict[str, str]:
    """Unicode letter -> VNI spelling (one or two characters), both cases."""
    lower: dict[str, tuple[int, ...]] = {"đ": (0xF1,), "ơ": (0xF4,), "ư": (0xF6,)}
    for letter, base in (("a", 0x61), ("e", 0x65), ("o", 0x6F), ("u", 0x75), ("y", 0x79),
                         ("ơ", 0xF4), ("ư", 0xF6)):
        for tone, mark in enumerate(_PLAIN):
            lower[_toned(letter, tone)] = (base, mark)
    for letter, base, (mark, tones) in (("â", 0x61, _CIRCUMFLEX), ("ê", 0x65, _CIRCUMFLEX),
                                        ("ô", 0x6F, _CIRCUMFLEX), ("ă", 0x61, _BREVE)):
        lower[letter] = (base, mark)
        for tone, toned_mark in enumerate(tones):
            lower[_toned(letter, tone)] = (base, toned_mark)
    for tone, byte in enumerate((0xEC, 0xE6, 0xF3, 0xED, 0xF2)):  # ì ỉ ĩ í ị: one byte each
        lower[_toned("i", tone)] = (byte,)
    lower[_toned("y", 4)] = (0xEE,)  # ỵ is one byte (î), unlike the rest of its family
    table: dict[str, str] = {}
    for letter, codes in lower.items():
        table[letter] = "".join(map(chr, codes))
        table[letter.upper()] = "".join(chr(code - 0x20) for code in codes)
    return table


_ENCODE = {TCVN3: _build_tcvn3(), VNI: _build_vni()}
_DECODE = {name: {legacy: letter for letter, legacy in table.items()} for name, table in _ENCODE.items()}
_TCVN3_TRANSLATE = str.maketrans(_DECODE[TCVN3])
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_DECODE[VNI], key=len, reverse=True)))

# Vietnamese letters, for capitals and for telling real Unicode Vietnamese apart.
_VN_LOWER = frozenset(c for c in _ENCODE[VNI] if c.islower()) | frozenset("aeiouy")
_TO_UPPER = str.maketrans({c: c.upper() for c in _VN_LOWER if not c.isascii()})
_TO_UPPER_ALL = str.maketrans({c: c.upper() for c in _VN_LOWER | frozenset("abcdefghijklmnopqrstuvwxyz")})
# Characters that only appear in text that already is Unicode Vietnamese (beyond Latin-1),
# plus the combining marks of NFD text.
_UNICODE_ONLY = frozenset(
    c for c in _ENCODE[VNI] if ord(c) > 0xFF
) | frozenset("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")
# TCVN3 code points for letters drawn lowercase by `.VnTime` (capitals in the `H` fonts).
_TCVN3_LOWER_CODES = frozenset(legacy for legacy, letter in _DECODE[TCVN3].items() if letter.islower())


def convert(text: str, encoding: str, capitals: bool = False) -> str:
    """Map legacy text to Unicode NFC. `capitals=True` for the all-caps `H` fonts (`.VnTimeH`),
    whose lowercase code points (and ASCII letters) are drawn as capitals."""
    if encoding == TCVN3:
        out = text.translate(_TCVN3_TRANSLATE)
    elif encoding == VNI:
        decode = _DECODE[VNI]
        out = _VNI_PATTERN.sub(lambda m: decode[m.group(0)], text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {ENCODINGS}")
    if capitals:
        out = out.translate(_TO_UPPER_ALL)
    return unicodedata.normalize("NFC", out)


# --- font names -----------------------------------------------------------------------------
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_STYLE_SUFFIX = re.compile(
    r"(?:[,-](?:bold|italic|bolditalic|oblique|boldoblique|regular|roman|normal|medium)\w*)+$", re.I
)


def _font_family(font_name: str) -> str:
    return _STYLE_SUFFIX.sub("", _SUBSET_PREFIX.sub("", font_name.strip())).strip()


def _font_encoding(font_name: str) -> str | None:
    family = _font_family(font_name).lower()
    if re.match(r"vni[-_ ]", family):
        return VNI
    if re.match(r"\.?vn[a-z]", family):  # `.VnTime`, `.VnArialH`, and `VnTime` (dot lost)
        return TCVN3
    return None


def is_capitals_font(font_name: str) -> bool:
    """True for TCVN3 all-capitals fonts (`.VnTimeH`, `ABCDEF+.VnArialH,Bold`): their text must
    be upper-cased after conversion, since TCVN3 has no code points for toned capitals."""
    family = _font_family(font_name)
    return _font_encoding(font_name) == TCVN3 and len(family) > 3 and family[-1] == "H" and (
        family[-2].islower()
    )


# --- Vietnamese syllable check (used only to score detection) ------------------------------
_INITIALS = ("ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
_STOPS = frozenset({"c", "ch", "p", "t"})
_OPEN = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu iêu oai oao oay oeo uây uôi "
                  "uyu ươi ươu yêu ua ưa uya uơ y".split())
_CLOSED = frozenset("ă â iê yê uô ươ uyê oă uâ oo".split())
_EITHER = frozenset("a e ê i o ô ơ u ư oa oe uê uy".split())
_ALPHABET = frozenset("aăâbcdđeêghiklmnoôơpqrstuưvxy")
_VOWELS = frozenset("aăâeêioôơuưy")


def _is_syllable(word: str) -> bool:
    """Could `word` (lowercase) be one written Vietnamese syllable? Loose on purpose."""
    tones: list[str] = []
    bare: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if char in _TONE_MARKS:
            if not bare or bare[-1][0] not in "aeiouy":  # a tone sits on a vowel (not ñ = n+~)
                return False
            tones.append(char)
        elif unicodedata.combining(char) and bare:
            bare[-1] += char
        else:
            bare.append(char)
    letters = [unicodedata.normalize("NFC", b) for b in bare]
    if len(tones) > 1 or not all(letter in _ALPHABET for letter in letters):
        return False
    plain = "".join(letters)
    for initial in _INITIALS:
        if not plain.startswith(initial):
            continue
        rest = plain[len(initial):]
        for final in _FINALS:
            if not rest.endswith(final):
                continue
            nucleus = rest[: len(rest) - len(final)]
            if not nucleus:
                continue
            ok = nucleus in _EITHER or (nucleus in _OPEN and not final) or (nucleus in _CLOSED and final)
            if ok and final in _STOPS and tones and tones[0] not in ("\u0301", "\u0323"):
                ok = False
            if ok and final in _STOPS and not tones:
                ok = False
            if ok:
                return True
    return False


# --- detection ------------------------------------------------------------------------------
_SYMBOLS = "".join(sorted(c for c in _DECODE[TCVN3] if not c.isalpha()))
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f]|[" + re.escape(_SYMBOLS) + r"])+")
_MAX_DECISIVE = 400  # enough evidence; keeps detection cheap on long documents


def _stats(text: str) -> tuple[dict[str, int], dict[str, int], int]:
    """Hits/misses per encoding, and the number of words that already are Unicode Vietnamese.

    A hit is a word that is not Vietnamese as it stands but becomes a Vietnamese syllable once
    converted (`Th«ng` -> `thông`); a miss has Latin-1 letters and stays foreign (`für`, `été`).
    Words valid either way (`các`) are ambiguous and ignored."""
    hits = dict.fromkeys(ENCODINGS, 0)
    misses = dict.fromkeys(ENCODINGS, 0)
    unicode_words = 0
    decisive = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.isascii() or len(token) < 2:
            continue
        verdict = _classify(token)
        if verdict is None:
            unicode_words += 1
            decisive += 1
        else:
            for name, outcome in zip(ENCODINGS, verdict):
                if outcome > 0:
                    hits[name] += 1
                elif outcome < 0:
                    misses[name] += 1
                decisive += outcome != 0
        if decisive >= _MAX_DECISIVE:
            break
    return hits, misses, unicode_words


@lru_cache(maxsize=65536)
def _classify(token: str) -> tuple[int, ...] | None:
    """None for a Unicode Vietnamese word, else per encoding +1 hit, -1 miss, 0 ambiguous."""
    if any(c in _UNICODE_ONLY for c in token):
        return None
    if any(ord(c) > 0xFF for c in token):
        return (0,) * len(ENCODINGS)
    original_ok = _is_syllable(token.lower())
    outcome = []
    for name in ENCODINGS:
        if _is_syllable(convert(token, name).lower()):
            outcome.append(0 if original_ok else 1)
        else:
            outcome.append(-1)
    return tuple(outcome)


def _accept(hits: int, misses: int, unicode_words: int) -> bool:
    return hits >= 2 and hits >= 3 * misses and hits > 2 * unicode_words


def detect(text: str, font_names: Iterable[str] = ()) -> str | None:
    """'tcvn3', 'vni' or None. Font names decide when they name a legacy font, unless the text is
    visibly Unicode Vietnamese already; otherwise word statistics decide, conservatively, since
    converting correct Unicode would corrupt it."""
    votes = dict.fromkeys(ENCODINGS, 0)
    for font in font_names:
        encoding = _font_encoding(font)
        if encoding:
            votes[encoding] += 1
    hits, misses, unicode_words = _stats(text)
    by_font = [name for name in ENCODINGS if votes[name]]
    if by_font:
        best = max(by_font, key=lambda name: (hits[name] - misses[name], votes[name]))
        if unicode_words and hits[best] * 2 < unicode_words:
            return None  # a legacy font name, but the text layer is already Unicode
        return best
    candidates = [name for name in ENCODINGS if _accept(hits[name], misses[name], unicode_words)]
    if not candidates:
        return None
    return max(candidates, key=lambda name: (hits[name] - misses[name], -misses[name]))


# --- repair ---------------------------------------------------------------------------------
_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def _caps_run(segment: str) -> bool:
    """An all-caps run typed in an `H` font: ASCII capitals and lowercase TCVN3 codes only."""
    letters = _ASCII_LETTERS.findall(segment)
    return (len(letters) >= 2 and all(c.isupper() for c in letters)
            and any(c in _TCVN3_LOWER_CODES for c in segment))


def _restore_capitals(legacy: str) -> str:
    """Convert TCVN3 text whose `H`-font runs are unknown: all-caps lines and words are upper."""
    lines = []
    for line in legacy.split("\n"):
        caps_words = sum(1 for word in _TOKEN.findall(line) if _caps_run(word))
        # `Hµ NéI` is an H-font line; `Sè 1805 - CV/BTGDVTW` is `Số`, not `SỐ`
        if _caps_run(line) and caps_words:
            lines.append(convert(line, TCVN3).translate(_TO_UPPER))
            continue
        lines.append(_TOKEN.sub(
            lambda m: convert(m.group(0), TCVN3).translate(_TO_UPPER) if _caps_run(m.group(0))
            else convert(m.group(0), TCVN3), line))
    return unicodedata.normalize("NFC", "\n".join(lines))


def restore_capitals(text: str) -> str:
    """Convert TCVN3 text typed without known fonts, restoring all-caps words and lines."""
    return _restore_capitals(text)


def repair(text: str, font_names: Iterable[str] = ()) -> tuple[str, str | None]:
    """Detect and convert: (Unicode NFC text, encoding) or, for text that needs nothing, the
    input unchanged and None."""
    fonts = list(font_names)
    encoding = detect(text, fonts)
    if encoding is None:
        return text, None
    legacy_fonts = [font for font in fonts if _font_encoding(font) == encoding]
    if legacy_fonts and all(is_capitals_font(font) for font in legacy_fonts):
        return convert(text, encoding, capitals=True), encoding
    if encoding == TCVN3:
        return _restore_capitals(text), encoding
    return convert(text, encoding), encoding
