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

from nlp.fold import fold, unify_tones

_SYLLABLE = re.compile(r"\w+")


def syllables(text: str) -> list[str]:
    """Exact forms of the syllables of `text`: lower case, NFC, one tone placement."""
    return _SYLLABLE.findall(unify_tones(text or "").lower())


def exact_tokens(text: str) -> list[str]:
    return syllables(text)


def folded_tokens(text: str) -> list[str]:
    # folding the whole text at once is much faster than syllable by syllable, and gives the
    # same syllables: folding only drops marks, letters stay letters
    return _SYLLABLE.findall(fold(text or ""))


def has_diacritics(word: str) -> bool:
    return fold(word) != word.lower()
