"""Document codes typed in any spelling → the terms of the index's code field.

Staff type `57-KL/TW` as `57/KL-TW`, `57 KL TW`, `57-kl/tw`, `kl 57`, or `TTDN` for `TTĐN`.
What survives all these spellings is the sequence of a code's parts (number, year, type
letters, authority, unit) with the separators dropped, upper case, folded (`Đ` → `D`) and
without leading zeros: `57|KL|TW`. The index holds that sequence for the document's own
code and for every code it cites, plus `number:part` pairs (`57:KL`, `57:TW`) so that
`kl 57`, typed in the wrong order and without the authority, still meets its document.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from nlp.codes import code_key, parse_code
from text.fold import fold

_SPLIT = re.compile(r"[\s\-/_.:]+")
_NUMBER = re.compile(r"^\d{1,6}[a-z]?$", re.I)
_LETTERS = re.compile(r"^[A-Z][A-Z0-9&]{0,14}$")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SEPARATED = re.compile(r"\d[\s]*[-/][\s]*[^\W\d_]|[^\W\d_][\s]*[-/][\s]*[^\W\d_]")


def _norm_part(part: str) -> str:
    p = fold(part).upper()
    return (p.lstrip("0") or "0") if p.isdigit() else p


def code_parts(code: str) -> list[str]:
    """`33-CV/TTĐN` → `['33', 'CV', 'TTDN']`; `01/2024/TT-BTC` → `['1', '2024', 'TT', 'BTC']`."""
    return [_norm_part(p) for p in _SPLIT.split(unicodedata.normalize("NFC", code)) if p]


def _is_number(part: str) -> bool:
    return bool(_NUMBER.match(part))


def index_terms(code: str) -> list[str]:
    """The code-field terms of one code: its part sequence and its number:part pairs."""
    parts = code_parts(code)
    if not parts:
        return []
    terms = ["|".join(parts)]
    numbers = [p for p in parts[:1] if _is_number(p)]
    for n in numbers:
        terms += [f"{n}:{p}" for p in parts[1:] if not p.isdigit()]
    return terms


@dataclass
class CodeQuery:
    """What a code typed by a person can match: full part sequences and number:part pairs."""

    text: str
    full: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    separated: bool = False  # typed with code separators (`57-KL/TW`), so surely a code

    @property
    def terms(self) -> list[str]:
        return self.full + self.pairs


def _plain_code_word(word: str) -> bool:
    """A word that may be part of a code: digits, or letters without tone marks (`TTĐN` ok)."""
    if _is_number(word):
        return True
    if any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", word)):
        return False
    return bool(_LETTERS.match(fold(word).upper())) and not any(c in "âăêôơư" for c in word.lower())


def parse_code_query(text: str) -> CodeQuery | None:
    """The code that `text` is, as a whole, or None: `kl 57` and `57 KL TW` are codes,
    `thông tin 2025` and `nghị định 30` are not (type words are words, not code parts)."""
    text = unicodedata.normalize("NFC", text).strip()
    words = [w for w in _SPLIT.split(text) if w]
    if not 2 <= len(words) <= 7 or not all(_plain_code_word(w) for w in words):
        return None
    numbers = [w for w in words if _is_number(w)]
    letters = [w for w in words if not _is_number(w)]
    if not numbers or not letters:
        return None
    parts = [_norm_part(w) for w in words]
    cq = CodeQuery(text, separated=bool(_SEPARATED.search(text)))
    cq.full.append("|".join(parts))
    number = _norm_part(numbers[0])
    cq.pairs += [f"{number}:{_norm_part(w)}" for w in letters]
    if not cq.separated and (len(words) > 5 or len(numbers) > 2 or len(letters) > 3):
        return None  # a run of loose words is more likely text than a code
    return cq


def find_codes(text: str) -> list[CodeQuery]:
    """Codes written with separators inside a longer query: `công văn 1805-CV/BTGDVTW về`."""
    out = []
    for word in text.split():
        if any(c.isdigit() for c in word) and _SEPARATED.search(word):
            cq = parse_code_query(word)
            if cq is not None:
                out.append(cq)
    return out


def candidates(text: str) -> list[str]:
    """Printed codes that `text` may stand for (`57 kl tw` → `57-KL/TW`, `57/KL-TW`), keyed as
    `nlp.codes.code_key` keys them, for a lookup in the catalog."""
    cq = parse_code_query(text)
    if cq is None:
        return []
    words = [w.upper() for w in _SPLIT.split(unicodedata.normalize("NFC", text).strip()) if w]
    if not _is_number(words[0]):
        numbers = [w for w in words if _is_number(w)]
        words = numbers[:1] + [w for w in words if w not in numbers[:1]]
    n, rest = words[0], words[1:]
    forms = []
    if rest:
        forms.append(f"{n}-{rest[0]}/{'-'.join(rest[1:])}" if len(rest) > 1 else f"{n}-{rest[0]}")
        forms.append(f"{n}/{'-'.join(rest)}")
        if len(rest) > 1 and rest[0].isdigit():
            forms.append(f"{n}/{rest[0]}/{'-'.join(rest[1:])}")
    out = []
    for f in forms:
        if parse_code(f) is not None and code_key(f) not in out:
            out.append(code_key(f))
    return out
