"""Text rules take time in proportion to the text (issue 17, finding 4): one long word, a long
line, long runs of marks, punctuation or digits must not make a rule backtrack over a run again
from each of its characters (a 100 KB word took a minute; 1 MB, ten minutes).

Times are never asserted, only how they grow: four times the input may take at most about
four times as long (a quadratic rule takes sixteen). Each time is the best of several runs,
each run repeated until it lasts long enough to be measured."""
from __future__ import annotations

import gc
import re
import time

import pytest

from index.graph.citations import document_where
from index.search import QueryError, folded_tokens, parse_query, syllables
from index.search._document_tokens import token_forms
from ingest.models import Extracted, Source
from nlp import parse
from text.normalize import unify_tones

SMALL = 50_000  # large enough that fixed costs (a header read in its first lines) and cache sizes do not weigh
GROWTH = 4
MAX_RATIO = 8.0  # linear: ~4; quadratic: ~16 (the margin is for a machine shared with other jobs)

# One shape per kind of run a rule may walk: `n` is about the number of characters.
SHAPES = {
    "old-style tone then a long word": lambda n: "hoà" + "a" * n,
    "one long word": lambda n: "nghiêng" * (n // 7),
    "o and a toned a, repeated": lambda n: "oá" * (n // 2),
    "u then y, repeated": lambda n: "uỷ" * (n // 2),
    "digits": lambda n: "1" * n,
    "digits and slashes": lambda n: "12/" * (n // 3),
    "combining marks": lambda n: "a" + "\u0301" * n,
    "dots": lambda n: "." * n,
    "dashes": lambda n: "-" * n,
    "one long line of words": lambda n: "Công văn số 12/UBND-VP hoà thuỷ " * (n // 32),
    "upper case line": lambda n: "CỘNG HÒA XÃ HỘI " * (n // 16),
    "a header with a long code": lambda n: f"ỦY BAN NHÂN DÂN\nSố: {'1' * n}/UBND-VP\nV/v {'x' * n}",
}


def _parse(text: str) -> object:
    return parse(Extracted(text, Source(path="x.txt", sha256="0" * 64, format="text")))


def _query(text: str) -> object:
    try:
        return parse_query(text)
    except QueryError:  # a run of dashes is a NOT with nothing after it: refused, and quickly
        return None


def _where(text: str) -> object:
    return document_where(_parse(text))


RULES = {
    "parse": _parse,
    "query analyser": _query,
    "folded tokens": folded_tokens,
    "document analyser": token_forms,
    "document place": _where,
}


def _timed(func, text: str, reps: int) -> float:
    gc.collect()
    gc.disable()  # as `timeit` does: a collection landing in one run is not the rule's time
    try:
        start = time.perf_counter()
        for _ in range(reps):
            func(text)
        return time.perf_counter() - start
    finally:
        gc.enable()


def growth(func, make, tries: int = 3) -> float:
    """Time of `func` on a 4× larger input over its time on the smaller one: the best of
    `tries` runs of each, taken in turn so that a busy moment of the machine weighs on both."""
    small, large = make(SMALL), make(SMALL * GROWTH)
    reps = 1
    while (t := _timed(func, small, reps)) < 0.01 and reps < 10_000:
        reps *= 2 if t > 0.0025 else 8
    best_small = best_large = float("inf")
    for _ in range(tries):
        best_small = min(best_small, _timed(func, small, reps))
        best_large = min(best_large, _timed(func, large, reps))
        if best_large > 5:  # no noise makes a run this long: no need to wait for more of them
            break
    return best_large / best_small


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("shape", SHAPES)
def test_rules_take_linear_time(rule, shape):
    ratio = growth(RULES[rule], SHAPES[shape])
    for _ in range(2):  # a machine shared with other jobs may slow a measurement: measure again
        if ratio <= MAX_RATIO or ratio > 4 * MAX_RATIO:
            break
        ratio = min(ratio, growth(RULES[rule], SHAPES[shape]))
    assert ratio <= MAX_RATIO, f"{rule} on {shape}: {GROWTH}× the text took {ratio:.1f}× the time"


def test_decoys_still_unify_tones():
    """Anchoring the rules at a word's start must not lose the words they change."""
    assert syllables("Hoà thuỷ, khoẻ; xoá") == ["hòa", "thủy", "khỏe", "xóa"]
    text = "hoàa oá uỷx Thuỷ-Khoẻ thuỷ_điện 2hoà hoà2 ĐOÀN thuở"
    assert syllables(text) == [unify_tones(w) for w in re.findall(r"\w+", text.lower())]
    a, b = _parse("Về việc hoà giải thuỷ lợi"), _parse("Về việc hòa giải thủy lợi")
    assert a.id == b.id  # the record id unifies tone placement
    assert _parse("hoa").id != _parse("hoà").id  # and only tone placement
