"""Vietnamese analysis for the full-text index, shared by both engines.

Text is split into syllables (`\\w+` on NFC text with one tone placement), and each syllable
gets two forms: the exact form (lower case, `hoà` = `hòa`) and the folded form (no
diacritics, `đ` → `d`). Both are indexed in twin fields and both are queried, so
`thong tin` finds `thông tin`, while `thông tin` scores higher on documents that spell it
exactly than on ones that only fold to it (`thỏng tín`).

The analysis is done here in Python, once, for both engines: Both engines get the tokens
joined by spaces and split them on white space only. So
the two engines cannot disagree about what a word is.
"""
from __future__ import annotations

import re
import unicodedata

from text.fold import fold
from text.normalize import unify_tones

_SYLLABLE = re.compile(r"\w+")


def _fold_table() -> dict[int, str | None]:
    """Each precomposed Latin letter → its folded form (`ế` → `e`, `Đ` → `d`): one character
    for one, so that offsets into folded text are offsets into the text."""
    table: dict[int, str | None] = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        f = fold(chr(cp))
        if len(f) == 1 and f != chr(cp):
            table[cp] = f
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(c)] = c.lower()
    return table


_FOLD = _fold_table()
_COMBINING = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fast_fold(text: str) -> str:
    """`text.fold.fold` for NFC text, same length as the text (a C-speed `str.translate`);
    falls back to `fold` where the text holds characters that the table does not know."""
    out = text.translate(_FOLD)
    if out.isascii():
        return out
    return fold(text) if _COMBINING.search(out) else out.lower()


# Only syllables written with the mark on the second vowel of `oa`, `oe`, `uy` (`hoà`, `thuỷ`)
# change under `unify_tones`; finding them first keeps the analysis of long texts fast. Anchored
# at a word's start (`(?<!\w)`): unanchored, each letter of a long word was tried as a start and
# its `\w*` run walked again, quadratic in the word's length (issue 17).
_OLD_STYLE = re.compile(r"(?<!\w)\w*(?:o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])\w*")


def syllables(text: str) -> list[str]:
    """Exact forms of the syllables of `text`: lower case, NFC, one tone placement."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return _SYLLABLE.findall(_OLD_STYLE.sub(lambda m: unify_tones(m.group(0)), text))


def exact_tokens(text: str) -> list[str]:
    return syllables(text)


def folded_tokens(text: str) -> list[str]:
    # folding the whole text at once is much faster than syllable by syllable, and gives the
    # same syllables: folding only drops marks, letters stay letters
    return _SYLLABLE.findall(fast_fold(unicodedata.normalize("NFC", text or "")))
