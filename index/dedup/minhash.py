"""MinHash values, LSH bands and Jaccard estimates, in numpy. The values are datasketch's
(signatures already stored in archives stay comparable); only the arithmetic is done here, on
whole arrays, instead of datasketch's Python call per shingle."""
from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from index.dedup.config import DedupConfig

CHAR_BANDS = 1000  # band numbers of the character signature start here (one bands table)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations (a, b) for `num_perm` (seed 1): drawn once, not per document."""
    # imported here: datasketch loads scipy (~0.5 s), which every command would pay at start-up
    # though only ingest and `dedup` hash anything
    from datasketch import MinHash
    m = MinHash(num_perm=num_perm)
    if m.scheme != "affine32":
        raise RuntimeError(f"datasketch MinHash scheme {m.scheme!r}: index/dedup/minhash.py computes affine32")
    a, b = m.permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (what datasketch applies before its permutations)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash_values(shingles: set[str], num_perm: int) -> np.ndarray:
    """The same values as datasketch's `MinHash(num_perm).update_batch(...)` (stored signatures
    stay comparable), without its Python call per shingle: SHA-1's first 4 bytes of every
    shingle joined in one buffer, then the permutations on the whole array at once."""
    if not shingles:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint64)
    sha1 = hashlib.sha1
    raw = b"".join([sha1(x.encode()).digest()[:4] for x in shingles])
    with np.errstate(over="ignore"):
        hv = _fmix32(np.frombuffer(raw, dtype="<u4").astype(np.uint32)).reshape(-1, 1)
        a, b = _permutations(num_perm)
        return (hv * a + b).min(axis=0).astype(np.uint64)


@lru_cache(maxsize=16)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) from datasketch's optimiser (an integration: worth computing once)."""
    from datasketch.lsh import _optimal_param  # see `_permutations`
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def bands(hashvalues: np.ndarray, cfg: DedupConfig, chars: bool = False) -> list[tuple[int, int]]:
    b, r = band_shape(cfg.char_lsh_threshold if chars else cfg.lsh_threshold, cfg.num_perm)
    offset = CHAR_BANDS if chars else 0
    out = []
    for i in range(b):
        digest = hashlib.blake2b(hashvalues[i * r:(i + 1) * r].tobytes(), digest_size=8).digest()
        out.append((offset + i, int.from_bytes(digest, "big", signed=True)))
    return out


def estimate(a: np.ndarray, stored: bytes) -> float:
    """Jaccard estimate from two MinHash value arrays (0 when the stored one is missing)."""
    b = np.frombuffer(stored, dtype=np.uint64)
    return float(np.mean(a == b)) if len(b) == len(a) and len(a) else 0.0


def estimates_of(a: np.ndarray, blobs: list[bytes], dtype: type = np.uint64) -> np.ndarray:
    """`estimate` of many stored signatures at once (one numpy comparison, not one per id).
    `dtype`: how the blobs store the values (uint32 in `dedup_minhashes`, uint64 before)."""
    n = len(a)
    size = np.dtype(dtype).itemsize * n
    good = [i for i, blob in enumerate(blobs) if len(blob) == size]
    out = np.zeros(len(blobs))
    if good and n:
        stacked = np.frombuffer(b"".join(blobs[i] for i in good), dtype=dtype).reshape(-1, n)
        out[good] = (stacked == a.astype(dtype)).mean(axis=1)
    return out


def compact(values: np.ndarray) -> bytes | None:
    """MinHash values as uint32 bytes (they are 32-bit: datasketch's `_max_hash` and the affine32
    scheme both keep them below 2**32), or None if one is not (then they cannot be compacted)."""
    if len(values) and int(values.max()) > 0xFFFFFFFF:
        return None
    return values.astype(np.uint32).tobytes()
