"""Vietnamese analysis for the full-text index: syllables, one tone placement, and a folded
twin without diacritics, so `thong tin` finds `thông tin` while the exact form ranks first."""
from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from nlp.fold import fold, unify_tones

SYLLABLE = r"\w+(?:[-/.]\w+)*"


class UnifyTonesFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = unify_tones(t.text)
            yield t


class FoldFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def exact_analyzer():
    return RegexTokenizer(SYLLABLE) | LowercaseFilter() | UnifyTonesFilter()


def folded_analyzer():
    return RegexTokenizer(SYLLABLE) | LowercaseFilter() | FoldFilter()
