"""The duplicate index in the catalog's SQLite database: signatures, LSH bands and the folded
bodies written at ingest, candidate look-ups (band hits pruned by stored MinHash estimates),
the check of an incoming document, and its relations in `duplicates`."""
from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

from index.dedup.body import body_text
from index.dedup.config import DedupConfig
from index.dedup.minhash import estimates_of
from index.dedup.models import RELATIONS, Edge, Match, Signature
from index.dedup.relations import relate
from index.dedup.signatures import all_bands, exact_hash, fold_words, signature
from nlp.models import Record

TABLES = """
CREATE TABLE IF NOT EXISTS dedup_signatures (
    id TEXT PRIMARY KEY,
    exact TEXT NOT NULL,
    minhash BLOB NOT NULL,
    path TEXT,
    added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS dedup_signatures_exact ON dedup_signatures(exact);
-- Not WITHOUT ROWID: these rows (1 KB MinHash, a body) exceed what an index b-tree keeps in
-- a page, and each would take an overflow page of its own (4x the disk, 3x the read time).
CREATE TABLE IF NOT EXISTS dedup_chars (
    id TEXT PRIMARY KEY,
    minhash BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS dedup_bodies (
    id TEXT PRIMARY KEY,
    head TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS dedup_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (band, hash, id)
) WITHOUT ROWID;
"""


# Fields of a record that `relate` reads: stored beside the folded body, so confirming a
# candidate needs neither its whole record (JSON of the full text, references...) nor a
# second pass of body_text/fold_words over its text.
_HEAD_FIELDS = ("code", "number", "issued_date", "subject")  # + issuer, place, method below


def record_head(rec: Record) -> str:
    head = {f: getattr(rec, f) for f in _HEAD_FIELDS}
    head["issuer"] = {"name": rec.issuer.name, "code": rec.issuer.code, "parent": rec.issuer.parent}
    head["place"] = rec.place  # with the parent: where the issuing body sits (relations.seat)
    head["method"] = (rec.source or {}).get("method")
    return json.dumps(head, ensure_ascii=False)


def head_record(doc_id: str, head: str) -> Record:
    d = json.loads(head)
    method = d.pop("method", None)
    return Record.from_dict({**d, "id": doc_id, "source": {"method": method}, "text": ""})


class DedupIndex:
    """Signatures and LSH bands in the catalog's SQLite database; relations in `duplicates`."""

    def __init__(self, db: sqlite3.Connection, load: Callable[[str], Record | None],
                 config: DedupConfig | None = None):
        self.db = db
        self.load = load
        self.db.executescript(TABLES)
        self.config = config or DedupConfig.from_meta(db)

    # signatures
    def _stored(self, doc_id: str) -> tuple[Record, Signature] | None:
        rec = self.load(doc_id)
        if rec is None:
            return None
        row = self.db.execute("SELECT exact FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone()
        # Confirmation needs the body and the exact hash, not the MinHash: skip that cost.
        body = " ".join(fold_words(body_text(rec.text or "", rec.code)))
        return rec, Signature(row[0] if row else exact_hash(rec.text or ""), body, None)

    def _stored_many(self, ids: list[str]) -> dict[str, tuple[Record, Signature, str | None]]:
        """Candidates for confirmation in one query: the relate fields and folded body stored
        at ingest (`dedup_bodies`). Documents stored before that table existed are loaded."""
        out: dict[str, tuple[Record, Signature, str | None]] = {}
        if not ids:
            return out
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT s.id, s.exact, s.path, b.head, b.body FROM dedup_signatures s "
            f"LEFT JOIN dedup_bodies b ON b.id = s.id WHERE s.id IN ({marks})", ids).fetchall()
        for doc_id, exact, path, head, body in rows:
            if head is not None:
                out[doc_id] = (head_record(doc_id, head),
                               Signature(exact, zlib.decompress(body).decode(), None), path)
        for doc_id in ids:
            if doc_id not in out:
                stored = self._stored(doc_id)
                if stored is not None:
                    out[doc_id] = (*stored, self.first_path(doc_id))
        return out

    def has(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone() is not None

    def first_path(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT path FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def store(self, rec: Record, sig: Signature, path: str | None) -> None:
        # The relate fields of the latest parse (a re-ingest may read the header better).
        self.db.execute("INSERT OR REPLACE INTO dedup_bodies VALUES (?, ?, ?)",
                        (rec.id, record_head(rec), zlib.compress(sig.body.encode(), 6)))
        if self.has(rec.id):
            return  # the first path that brought this text stays on record
        mh = sig.minhash if sig.minhash is not None else np.zeros(0, dtype=np.uint64)
        self.db.execute("INSERT INTO dedup_signatures VALUES (?, ?, ?, ?, ?)",
                        (rec.id, sig.exact, mh.tobytes(), path, time.time()))
        if sig.chars is not None:
            self.db.execute("INSERT OR REPLACE INTO dedup_chars VALUES (?, ?)", (rec.id, sig.chars.tobytes()))
        self.db.executemany("INSERT OR IGNORE INTO dedup_bands VALUES (?, ?, ?)",
                            [(b, h, rec.id) for b, h in all_bands(sig, self.config)])

    def band_hits(self, rec: Record, sig: Signature) -> list[str]:
        """Ids sharing at least one LSH band (word or character signature), most bands first.
        One query of per-bucket look-ups on the (band, hash, id) key, each at most `bucket_cap`
        ids: the rows read per check are bounded whatever the archive's size."""
        bs = all_bands(sig, self.config)
        if not bs:
            return []
        one = "SELECT * FROM (SELECT id FROM dedup_bands WHERE band = ? AND hash = ? LIMIT ?)"
        sql = " UNION ALL ".join([one] * len(bs))
        cap = self.config.bucket_cap
        counts = Counter([r[0] for r in self.db.execute(sql, [x for band, h in bs for x in (band, h, cap)])])
        counts.pop(rec.id, None)
        return [doc_id for doc_id, _ in counts.most_common(self.config.band_hits)]

    def estimates(self, sig: Signature, ids: list[str]) -> dict[str, float]:
        """For each id, the larger of its word and character Jaccard estimates, each relative
        to its pruning floor (>= 1 keeps it): read from the stored signatures, no record load."""
        cfg = self.config
        out = dict.fromkeys(ids, 0.0)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(  # both signatures in one statement
                f"SELECT s.id, s.minhash, c.minhash FROM dedup_signatures s LEFT JOIN dedup_chars c "
                f"ON c.id = s.id WHERE s.id IN ({marks})", chunk).fetchall()
            if not rows:
                continue
            found, words, chars = zip(*rows)
            # On whole arrays (no Python step per id): the same float64 divisions and maximum.
            score = np.zeros(len(rows))
            if sig.minhash is not None:
                score = estimates_of(sig.minhash, words) / cfg.min_words_jaccard
            if sig.chars is not None:
                score = np.maximum(score, estimates_of(sig.chars, [c or b"" for c in chars]) / cfg.min_chars_jaccard)
            out.update(zip(found, score.tolist()))
        return out

    def candidates(self, rec: Record, sig: Signature) -> list[str]:
        """Ids that may be related: same exact hash, or LSH band hits whose MinHash estimate
        clears a floor (the best `max_candidates` of them): only these are loaded and confirmed."""
        found: dict[str, float] = {}
        for (doc_id,) in self.db.execute("SELECT id FROM dedup_signatures WHERE exact = ? AND id != ? LIMIT ?",
                                         (sig.exact, rec.id, self.config.max_candidates)):
            found[doc_id] = float("inf")
        hits = [i for i in self.band_hits(rec, sig) if i not in found]
        for doc_id, score in self.estimates(sig, hits).items():
            if score >= 1.0:
                found[doc_id] = score
        return sorted(found, key=lambda i: -found[i])[: self.config.max_candidates]

    def same_key(self, rec: Record, key: str | None) -> list[str]:
        if not key:
            return []
        try:
            rows = self.db.execute("SELECT id FROM documents WHERE key = ? AND id != ? LIMIT ?",
                                   (key, rec.id, self.config.max_candidates)).fetchall()
        except sqlite3.Error:
            return []
        return [r[0] for r in rows]

    def check(self, rec: Record, sig: Signature | None = None, key: str | None = None) -> list[Match]:
        """What `rec` duplicates or continues among the stored documents (nothing is written)."""
        sig = sig or signature(rec, self.config)
        matches: list[Match] = []
        ids = self.candidates(rec, sig)
        ids += [i for i in self.same_key(rec, key) if i not in ids]
        stored = self._stored_many(ids)
        for doc_id in ids:
            if doc_id not in stored:
                continue
            old, old_sig, path = stored[doc_id]
            m = relate(rec, sig, old, old_sig, self.config)
            if m is not None:
                m.path = path
                matches.append(m)
        order = {r: i for i, r in enumerate(RELATIONS)}
        return sorted(matches, key=lambda m: (order[m.relation], -m.similarity))

    def rebuild(self, docs: Iterable[tuple[str, str | None]]) -> None:
        """Check every document again, in ingest order, against those before it (after a
        change of thresholds). Signatures, bands and the relations between distinct documents
        are derived data and are recomputed; copies of one text (same id) are facts and stay."""
        paths = dict(self.db.execute("SELECT id, path FROM dedup_signatures").fetchall())
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DELETE FROM duplicates WHERE id != of")
            self.db.execute("DELETE FROM dedup_bands")
            self.db.execute("DELETE FROM dedup_signatures")
            self.db.execute("DELETE FROM dedup_chars")
            self.db.execute("DELETE FROM dedup_bodies")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        for doc_id, key in docs:
            rec = self.load(doc_id)
            if rec is not None:
                self.check_and_store(rec, paths.get(doc_id) or rec.source.get("path"), key, known=False)

    # relations
    def save_edges(self, doc_id: str, matches: Iterable[Match], path: str | None) -> None:
        for m in matches:
            self.db.execute(
                "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, m.of, m.relation, m.similarity, path or "", time.time()))

    def self_match(self, doc_id: str) -> Match:
        """A copy of a text already held: the same id (a hash of the text), another file."""
        return Match(doc_id, "duplicate", 1.0, self.first_path(doc_id))

    def check_and_store(self, rec: Record, path: str | None, key: str | None = None,
                        known: bool | None = None, sig: Signature | None = None) -> list[Match]:
        """The ingest step: find what `rec` duplicates, then store its signature and relations.
        `known`: the id was in the archive before this file (checked before the catalog write);
        `sig`: its signature when a worker process made it already."""
        if sig is None:
            sig = signature(rec, self.config)
        if known if known is not None else self.has(rec.id):
            matches = [self.self_match(rec.id)]
        else:
            matches = self.check(rec, sig, key)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.store(rec, sig, path)
            self.save_edges(rec.id, matches, path)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return matches

    def edges_of(self, doc_id: str) -> list[Edge]:
        rows = self.db.execute(
            "SELECT id, of, relation, similarity, path FROM duplicates WHERE id = ? OR of = ? "
            "ORDER BY similarity DESC", (doc_id, doc_id)).fetchall()
        return [Edge(*r) for r in rows]

    def edges(self) -> list[Edge]:
        rows = self.db.execute("SELECT id, of, relation, similarity, path FROM duplicates ORDER BY found_at")
        return [Edge(*r) for r in rows]
