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
    """The first (or `last`) place in `text[lo:hi]` where `phrase` is printed: as it is, or
    else across line breaks, in other case, with spaces in a code."""
    if not phrase:
        return None
    hi = len(text) if hi is None else hi
    i = text.rfind(phrase, lo, hi) if last else text.find(phrase, lo, hi)
    if i >= 0:  # printed as the reader gave it: no pattern to compile
        return i, i + len(phrase)
    words = phrase.split()
    where = _spaced_find(text, words, lo, hi, last) if len(words) > 1 else None
    if where:  # printed across line breaks or with more spaces
        return where
    pat = _loose(phrase)  # other case, a code's `-`/`/` spaced: a pattern (compiling it costs)
    if pat is None:
        return None
    found = None
    for m in pat.finditer(text, lo, hi):
        found = (m.start(), m.end())
        if not last:
            break
    return found


def _spaced_find(text: str, words: list[str], lo: int, hi: int, last: bool) -> tuple[int, int] | None:
    """`words` in `text[lo:hi]` in order, separated by any run of white space (line breaks):
    the first word's places found by `str.find`, the rest checked from there, no pattern."""
    found = None
    i = text.find(words[0], lo, hi)
    while i >= 0:
        pos = i + len(words[0])
        for w in words[1:]:
            j = pos
            while j < hi and text[j].isspace():
                j += 1
            if j == pos or not text.startswith(w, j, hi):
                break
            pos = j + len(w)
        else:
            found = (i, pos)
            if not last:
                return found
        i = text.find(words[0], i + 1, hi)
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


def code_at(text: str, code: str | None, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """Where a document code is printed in `text[lo:hi]`, with white space anywhere inside it
    (`75/2006/QH 11`, `12 /BTTTT- TTĐN`: text layers split a code) and in any case."""
    if not code:
        return None
    hi = len(text) if hi is None else hi
    want = "".join(code.split()).casefold()
    if not want:
        return None
    for i in range(lo, hi):
        if text[i].casefold() != want[0]:
            continue
        j, k = i + 1, 1
        while k < len(want) and j < hi:
            if text[j].isspace():
                j += 1
            elif text[j].casefold() == want[k]:
                j, k = j + 1, k + 1
            else:
                break
        if k == len(want):
            return i, j
    return None
