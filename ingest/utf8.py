"""UTF-8 text with a few broken bytes (a bad copy, a truncated download) is still UTF-8.

Without this a single stray byte sends the whole file to the cp1258 fallback and every
Vietnamese letter in it becomes mojibake. Legacy single-byte files (cp1252, TCVN3, VNI) almost
never form valid multi-byte UTF-8 sequences, so they fail the ratio below and keep their path."""
from __future__ import annotations

REPLACEMENT = "\ufffd"


def mostly_utf8(data: bytes, max_bad_ratio: float = 0.05) -> str | None:
    """The text decoded as UTF-8 with broken bytes replaced (U+FFFD), when the valid multi-byte
    sequences outnumber the broken ones by far; else None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode())
    good = sum(1 for c in text if ord(c) > 0x7F and c != REPLACEMENT)
    if bad <= 0 or good < 20 or bad > max_bad_ratio * good:
        return None
    return text.removeprefix("\ufeff")
