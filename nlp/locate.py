"""Where a reader's answer is printed: the offsets of a phrase the rules normalised (spacing
collapsed, a code's `-`/`/` with spaces dropped), looked for inside the part of the text the
reader read, so that a finding becomes a span of the `Doc`."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.dates import HEADER_DATE, match_iso


@lru_cache(maxsize=4096)
def _loose(phrase: str) -> re.Pattern | None:
    """A phrase as it may be printed: any white space (line breaks) between its words, optional
    spaces around the `-` and `/` of a code."""
    words = phrase.split()
    if not words:
        return None
    parts = []
    for w in words:
        pieces = re.split(r"([-/])", w)  # odd items are the separators
        parts.append("".join(rf"\s*{re.escape(p)}\s*" if i % 2 else re.escape(p) for i, p in enumerate(pieces)))
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def phrase_at(text: str, phrase: str | None, lo: int = 0, hi: int | None = None,
              last: bool = False) -> tuple[int, int] | None:
    """The first (or `last`) place in `text[lo:hi]` where `phrase` is printed."""
    pat = _loose(phrase) if phrase else None
    if pat is None:
        return None
    found = None
    for m in pat.finditer(text, lo, len(text) if hi is None else hi):
        found = (m.start(), m.end())
        if not last:
            break
    return found


def date_at(text: str, iso: str | None, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """The first date in `text[lo:hi]`, printed the way a header prints it, whose value is `iso`."""
    if not iso:
        return None
    for m in HEADER_DATE.finditer(text, lo, len(text) if hi is None else hi):
        if match_iso(m) == iso:
            return m.start(), m.end()
    return None


def line_offset(text: str, line: int) -> int:
    """The offset where line number `line` (0-based) starts; the text's end past its last line."""
    pos = 0
    for _ in range(line):
        nl = text.find("\n", pos)
        if nl < 0:
            return len(text)
        pos = nl + 1
    return pos
