"""Vietnamese text forms for matching: tone placement unified, diacritics folded."""
from __future__ import annotations

import unicodedata

from text.normalize import unify_tones

__all__ = ["exact_form", "fold", "strip_marks"]


def exact_form(text: str) -> str:
    """Lower case, NFC, one tone placement: what counts as the same spelling."""
    return unify_tones(text).lower()


def strip_marks(text: str) -> str:
    """No diacritics, `Đ` → `D`, case kept: `CỘNG HÒA` → `CONG HOA`. For NFC input, one letter
    per letter, so offsets in the result are offsets in the text."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """No diacritics, `đ` → `d`, lower case: `Thông tin Đối ngoại` → `thong tin doi ngoai`."""
    return strip_marks(text).lower()
