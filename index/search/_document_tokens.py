"""The analysis of whole documents for the index's write path: the same tokens as
`index.search._tokens.exact_tokens` and `folded_tokens`, computed in one pass and cheaper.

Indexing spent most of its time analysing text (issue 9): each document's text was normalised,
split and folded twice, once per form. Here the text is split once into exact syllables, and
each syllable's folded form is looked up in a cache (a body of letters reuses a vocabulary of a
few thousand syllables), instead of folding every character of the text again.

Folding syllable by syllable gives the same tokens as folding the text whole only when every
character folds on its own, keeps its word-or-not nature, and lower-cases to one character
without looking at its neighbours. `_SAFE` holds the characters checked to do so (ASCII, the
Latin letters Vietnamese uses, general punctuation); a text with any other character takes the
reference path of `index.search._tokens`, so results never differ, only speed."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index.graph.codequery import index_terms
from index.search._tokens import _COMBINING, _FOLD, _OLD_STYLE, _SYLLABLE, exact_tokens, fast_fold, folded_tokens
from text.normalize import unify_tones

_WORD = re.compile(r"\w")
# Latin, Greek, Cyrillic; Latin Extended Additional (Vietnamese); punctuation, currency, arrows,
# mathematical and drawing symbols (tick boxes ☐, ≥); CJK punctuation; private use (symbol
# fonts of converted Word files); full-width forms. Each is then checked by `_folds_alone`.
_CANDIDATES = [*range(0x0000, 0x0530), *range(0x1E00, 0x2000), *range(0x2000, 0x2C00), *range(0x3000, 0x3040),
               *range(0xE000, 0xF900), *range(0xFF00, 0xFFF0)]


def _folds_alone(c: str) -> bool:
    """Whether `c` folds and lower-cases the same inside a word as on its own (see the module doc)."""
    low = c.lower()
    if len(low) != 1 or c == "\u03a3" or unicodedata.combining(c):
        return False
    out = c.translate(_FOLD)
    if _COMBINING.search(out):  # fast_fold falls back to NFD folding of the whole text
        return False
    f, f_low = fast_fold(c), fast_fold(low)
    word = bool(_WORD.match(c))
    return len(f) == 1 and f == f_low and word == bool(_WORD.match(low)) == bool(_WORD.match(f))


def _ranges(chars: list[int]) -> str:
    out, start = [], None
    for i, cp in enumerate(chars):
        if start is None:
            start = cp
        if i + 1 == len(chars) or chars[i + 1] != cp + 1:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(cp)) if cp != start else ""))
            start = None
    return "".join(out)


_SAFE = [cp for cp in _CANDIDATES if _folds_alone(chr(cp))]
_UNSAFE = re.compile(f"[^{_ranges(_SAFE)}]")


class _Exact(dict):
    """Lower-case syllable → its exact form (one tone placement), filled on first use. As in
    `index.search._tokens.syllables`, only words holding an old-style placement go through
    `unify_tones`; one that would not stay one syllable is noted in `splits`."""

    def __init__(self) -> None:
        super().__init__()
        self.splits: set[str] = set()

    def __missing__(self, word: str) -> str:
        if len(self) > 500_000:  # OCR noise and numbers can grow the vocabulary without end
            self.clear()
        exact = word
        if _OLD_STYLE.search(word):
            exact = unify_tones(word)
            if not _SYLLABLE.fullmatch(exact):
                self.splits.add(word)
        self[word] = exact
        return exact


class _Folds(dict):
    """Exact syllable → folded syllable, filled on first use."""

    def __missing__(self, syllable: str) -> str:
        if len(self) > 500_000:
            self.clear()
        folded = self[syllable] = fast_fold(syllable)
        return folded


_EXACT, _FOLDED = _Exact(), _Folds()


def token_forms(text: str) -> tuple[list[str], list[str]]:
    """(`exact_tokens(text)`, `folded_tokens(text)`), in one pass over the text."""
    text = unicodedata.normalize("NFC", text or "")
    if _UNSAFE.search(text):
        return exact_tokens(text), folded_tokens(text)
    words = _SYLLABLE.findall(text.lower())
    if _EXACT.splits and not _EXACT.splits.isdisjoint(words):
        return exact_tokens(text), folded_tokens(text)
    exact = list(map(_EXACT.__getitem__, words))
    return exact, list(map(_FOLDED.__getitem__, exact))


@lru_cache(maxsize=50_000)
def code_terms(code: str) -> tuple[str, ...]:
    """`index.graph.codequery.index_terms`, remembered: the directives a province implements are cited
    by thousands of letters."""
    return tuple(index_terms(code))
