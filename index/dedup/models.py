"""What the duplicate check computes and returns: a document's signature, a match found at
ingest, and a stored relation (edge)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# In the order a check reports them (and `congvan dedup` lists them).
RELATIONS = ("duplicate", "near-duplicate", "series", "conflict")


@dataclass
class Signature:
    exact: str
    body: str  # folded body words joined by spaces: what rapidfuzz compares
    minhash: np.ndarray | None  # None when the body has no words
    chars: np.ndarray | None = None  # MinHash of character n-grams (OCR-tolerant)


@dataclass
class Match:
    of: str
    relation: str
    similarity: float
    path: str | None = None


@dataclass
class Edge:
    id: str
    of: str
    relation: str
    similarity: float
    path: str | None = None

