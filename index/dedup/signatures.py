"""A document's signature: the exact hash of its folded text, its folded body, and MinHashes
of the body's 3-word shingles and of its character 7-grams (OCR-tolerant), with their LSH bands."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from index.dedup.body import body_text
from index.dedup.config import DedupConfig
from index.dedup.minhash import bands, minhash_values
from index.dedup.models import Signature
from nlp.models import Record
from text.fold import fold
from text.normalize import unify_tones

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    return unify_tones(word)


def fold_words(text: str) -> list[str]:
    """Lower case, NFC, one tone placement, words only: punctuation and spacing do not count."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower().replace("_", " "))
    return [_fold_word(w) for w in words]  # a word at a time, cached: the vocabulary is small


def exact_hash(text: str) -> str:
    return hashlib.sha256(" ".join(fold_words(text)).encode()).hexdigest()[:24]


@lru_cache(maxsize=200_000)
def _strip_marks(word: str) -> str:
    return fold(word)


def char_grams(words: list[str], k: int) -> set[str]:
    """Character k-grams of the body without diacritics and without spaces: OCR splits and
    joins words and drops or swaps tone marks, which breaks word shingles but few 7-grams."""
    s = "".join(_strip_marks(w) for w in words)
    return {s[i:i + k] for i in range(max(1, len(s) - k + 1))} if s else set()


def signature(rec: Record, cfg: DedupConfig) -> Signature:
    words = fold_words(body_text(rec.text or "", rec.code))
    mh = chars = None
    if words:
        k = cfg.shingle
        mh = minhash_values({" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}, cfg.num_perm)
        chars = minhash_values(char_grams(words, cfg.char_gram), cfg.num_perm)
    return Signature(exact_hash(rec.text or ""), " ".join(words), mh, chars)


def signatures_of(record_dicts: list[dict], cfg: DedupConfig) -> list[Signature]:
    """`signature` of each record dict: run by ingest's worker processes, beside the parse."""
    return [signature(Record.from_dict(d), cfg) for d in record_dicts]


def all_bands(sig: Signature, cfg: DedupConfig) -> list[tuple[int, int]]:
    out = bands(sig.minhash, cfg) if sig.minhash is not None else []
    return out + (bands(sig.chars, cfg, chars=True) if sig.chars is not None else [])
