"""Thresholds and sizes of the duplicate check, and their per-archive storage in `meta`
(docs/dedup.md: how the values were chosen)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace


@dataclass
class DedupConfig:
    near: float = 0.80     # body similarity (0..1) from which a same-code document is a near-duplicate
    series: float = 0.60   # body similarity from which another number of the same issuer is a series
    subject: float = 0.60  # subject similarity for a series, when both subjects are known
    series_unread: float = 0.75  # body similarity for a series when a subject is not known
    lsh_threshold: float = 0.20  # Jaccard of shingle sets at which LSH returns a candidate
    num_perm: int = 128
    shingle: int = 3
    max_candidates: int = 12  # the best candidates (by MinHash estimate) confirmed per check: keeps the cost flat
    char_gram: int = 7     # OCR-tolerant signature: character 7-grams of the folded, space-free body
    char_lsh_threshold: float = 0.50  # Jaccard of 7-gram sets at which LSH returns a candidate
    # Candidates whose stored MinHash estimate is below both of these are dropped before any
    # record is loaded: the true pairs of the pair set sit far above (words >= 0.22, characters
    # >= 0.83 for copies), chance sharing of stock sentences below.
    min_words_jaccard: float = 0.10
    min_chars_jaccard: float = 0.60
    band_hits: int = 400  # LSH hits read per check (most band hits first) before estimating
    # Ids read per LSH bucket: a bucket shared by thousands of documents (stock sentences of
    # one issuer) says little about any of them, and reading it whole would make the check
    # grow with the archive. True copies share most buckets, so a cap does not lose them.
    bucket_cap: int = 100

    @classmethod
    def from_meta(cls, db: sqlite3.Connection) -> DedupConfig:
        cfg = cls()
        try:
            rows = db.execute("SELECT name, value FROM meta WHERE name LIKE 'dedup.%'").fetchall()
        except sqlite3.Error:
            return cfg
        for name, value in rows:
            attr = name.split(".", 1)[1]
            if attr in ("near", "series", "subject"):
                setattr(cfg, attr, float(value))
        return cfg

    def override(self, near: float | None = None, series: float | None = None) -> DedupConfig:
        """A copy with the thresholds given (None keeps this one's): one ingest's settings."""
        return replace(self, near=self.near if near is None else near,
                       series=self.series if series is None else series)

    def save(self, db: sqlite3.Connection) -> None:
        for attr in ("near", "series", "subject"):
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"dedup.{attr}", str(getattr(self, attr))))
