"""Unicode clean-up shared by every reader: NFC, one tone placement, tidy white space."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"\w+")
# Two tone placements are in use for open syllables ending in oa, oe, uy: `hoà`/`hòa`,
# `thuỷ`/`thủy`. We settle on the mark over the first vowel (as underthesea's
# text_normalize does) so that both spellings compare equal.
_PAIR = re.compile(r"^(.*?)([oOuU])([aAeEyY])$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=100_000)  # called per word of every text, from a small vocabulary
def _unify_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    bare = decomposed.replace(tones[0], "")
    m = _PAIR.match(bare)
    if not m or m.group(1)[-1:].lower() == "q":  # `qu` is a consonant: `quả` stays
        return word
    # only plain vowels: `oa`, `oe`, `uy` without other marks on them
    if any(unicodedata.combining(c) for c in m.group(2) + m.group(3)):
        return word
    return unicodedata.normalize("NFC", m.group(1) + m.group(2) + tones[0] + m.group(3))


def unify_tones(text: str) -> str:
    """`hoà` → `hòa`, `thuỷ` → `thủy`; other words unchanged. Input and output NFC."""
    return _WORD.sub(lambda m: _unify_word(m.group(0)), nfc(text))


# Zero-width characters that converters leave inside words, and spaces of other widths.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad](?=\w)|[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def normalize_line(text: str) -> str:
    """NFC; `Ð` (U+00D0, Icelandic eth) → `Đ`, which is what Vietnamese text means by it;
    zero-width characters dropped and odd spaces made plain."""
    text = nfc(text).replace("\u00d0", "Đ")
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def clean_text(text: str) -> str:
    """NFC, no control characters, Unix newlines, no trailing spaces on lines."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"
