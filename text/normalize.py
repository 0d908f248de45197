"""Unicode clean-up shared by every reader: NFC, one tone placement, tidy white space."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
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


# The words `_unify_word` can change: those ending in a bare `o`/`u` and an `a`/`e`/`y` (toned,
# or bare with the tone earlier in the word). Any other word comes back as it is (a tone already
# on the `o`/`u` is put back where it was), so only these go through the Python call. Their
# ends are found by one C-speed scan; the word's start is then walked back to (`\w` is
# `str.isalnum()` or `_`), which is far cheaper than matching `\w*` at every word start.
_AEY = "".join(unicodedata.normalize("NFC", v + t) for v in "aAeEyY" for t in ("", *_TONES))
_CANDIDATE_END = re.compile(rf"[oOuU][{_AEY}](?!\w)")


def unify_tones(text: str) -> str:
    """`hoà` → `hòa`, `thuỷ` → `thủy`; other words unchanged. Input and output NFC."""
    text = nfc(text)
    parts: list[str] = []
    done = 0  # text[:done] is in parts
    for m in _CANDIDATE_END.finditer(text):
        start = m.start()
        while start > done and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        # A match ends its word, so words never overlap: `done` is at or before this word's start.
        word = text[start:m.end()]
        new = _unify_word(word)
        if new != word:
            parts.append(text[done:start])
            parts.append(new)
            done = m.end()
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


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
