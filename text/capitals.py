"""The all-capitals test: an issuer's name, a title, a motto and a signing block's title are
printed in capitals; a sentence is not."""
from __future__ import annotations


def is_upper(text: str, share: float = 0.9) -> bool:
    """Whether `share` of the letters are capitals (0.9 forgives an OCR'd lower-case letter);
    a text without letters is not."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= share * len(letters)


def is_all_upper(text: str) -> bool:
    """Every letter a capital (digits and punctuation aside); a text without letters is not."""
    return is_upper(text, share=1.0)
