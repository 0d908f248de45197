"""`unify_tones` only calls its per-word rule on words that can change: the output must be what
the rule applied to every word gives (the catalog keys, record ids and dedup hashes depend on it)."""
from __future__ import annotations

import json
import random
import re

import pytest
from conftest import SHARED

from text.normalize import _unify_word, nfc, unify_tones

REAL = SHARED / "eval" / "real" / "docs.jsonl"
_EVERY_WORD = re.compile(r"\w+")


def every_word(text: str) -> str:
    """The rule on every `\\w+` word: what `unify_tones` returned before it skipped words."""
    return _EVERY_WORD.sub(lambda m: _unify_word(m.group(0)), nfc(text))


def test_moves_tone_to_first_vowel_and_keeps_others() -> None:
    assert unify_tones("Hoà Bình, thuỷ lợi, khoẻ, HOÀ, QUỲ, quả, của") == "Hòa Bình, thủy lợi, khỏe, HÒA, QUỲ, quả, của"
    assert unify_tones("ho\u0061\u0300") == "hòa"  # NFD in, NFC out


@pytest.mark.parametrize("text", [
    "", "oà", "1oà", "hoàhoà", "x_hoà_hoà", "óoa ĐÀOA", "hoà\u0302", "abc_hoà", "uỶ oÁ xoè tòa toà", "quỳ quý qủa",
])
def test_edge_cases_match_every_word_rule(text: str) -> None:
    assert unify_tones(text) == every_word(text)


def test_random_strings_match_every_word_rule() -> None:
    rng = random.Random(5)
    alphabet = "hoauyeqQàáảãạèéẻẽẹỳýỷỹỵòóùúOUAEY _-.1ôơư\u0300\u0309\u0302"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert unify_tones(text) == every_word(text), repr(text)


@pytest.mark.skipif(not REAL.exists(), reason="shared eval set not present")
def test_real_documents_identical() -> None:
    texts = [json.loads(line)["text"] for line in REAL.open(encoding="utf-8")]
    changed = 0
    for text in texts:
        want = every_word(text)
        assert unify_tones(text) == want
        changed += want != nfc(text)
    assert changed > 0  # the set holds old-style spellings, so the comparison means something
