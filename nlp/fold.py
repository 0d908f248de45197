"""Vietnamese text forms for matching: tone placement unified, diacritics folded."""
from __future__ import annotations

import unicodedata

from ingest.normalize import nfc, unify_tones

__all__ = ["fold", "exact_form", "nfc", "unify_tones"]


def exact_form(text: str) -> str:
    """Lower case, NFC, one tone placement: what counts as the same spelling."""
    return unify_tones(text).lower()


def fold(text: str) -> str:
    """No diacritics, `đ` → `d`, lower case: `Thông tin Đối ngoại` → `thong tin doi ngoai`."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
