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
from index.dedup.minhash import compact, estimates_of
from index.dedup.models import RELATIONS, Edge, Match, Signature
from index.dedup.relations import relate
from index.dedup.signatures import all_bands, exact_hash, fold_words, signature
from nlp.models import Record

_SIGNATURES = """
CREATE TABLE IF NOT EXISTS {name} (
    id TEXT PRIMARY KEY,
    exact TEXT NOT NULL,
    minhash BLOB NOT NULL,
    path TEXT,
    added_at REAL NOT NULL
);
"""
_EXACT = "CREATE INDEX IF NOT EXISTS dedup_signatures_exact ON dedup_signatures(exact);"
TABLES = _SIGNATURES.format(name="dedup_signatures") + _EXACT + """
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
-- Both MinHashes of a document in one row, as uint32 (the values are 32-bit): `estimates` reads
-- ~400 per check, one id look-up each instead of two tables' (benchmarks/dedup_layout.py at 100k:
-- 1.7 ms per 400 ids against 3.1; WITHOUT ROWID 7.7, each ~1 KB row on an overflow page; keyed by
-- a 64-bit hash of the id 2.0, as hashing the ids costs more than the small id index saves).
CREATE TABLE IF NOT EXISTS dedup_minhashes (
    id TEXT PRIMARY KEY,
    words BLOB,
    chars BLOB
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


MIGRATED = "dedup.minhashes"  # `meta` name: set once every older MinHash has been moved
_PAGE = 2000  # rows moved per transaction when an older archive is migrated


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
        self.migrate()

    def migrate(self) -> bool:
        """Move the MinHashes of an older archive (`dedup_signatures.minhash`, `dedup_chars`, as
        uint64) into `dedup_minhashes`, `_PAGE` documents per transaction: each page is inserted
        and cleared from the old tables at once, so an archive killed half way holds every
        MinHash in exactly one place (reads look in both) and the next open goes on. Never waits
        for another writer: if the catalog is busy the rest is left for a later open. True when done."""
        db = self.db
        try:
            if db.execute("SELECT 1 FROM meta WHERE name = ?", (MIGRATED,)).fetchone():
                return True
        except sqlite3.Error:
            return False  # no meta table (not a catalog): nothing to mark, reads look in both tables
        timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute("PRAGMA busy_timeout = 0")
        try:
            last = -1
            while True:
                db.execute("BEGIN IMMEDIATE")
                try:
                    last = self._migrate_page(last)
                    if last is None:
                        self._compact_signatures()
                        db.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (MIGRATED,))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                if last is None:
                    return True
        except sqlite3.OperationalError:  # busy: another process is writing; the rest waits for a later open
            return False
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(timeout)}")

    def _migrate_page(self, after: int) -> int | None:
        """Move one page of older MinHashes (rowids above `after`); the last rowid read, None at the end."""
        rows = self.db.execute(
            "SELECT s.rowid, s.id, s.minhash, c.minhash FROM dedup_signatures s LEFT JOIN dedup_chars c "
            "ON c.id = s.id WHERE s.rowid > ? AND (length(s.minhash) > 0 OR c.id IS NOT NULL) "
            "ORDER BY s.rowid LIMIT ?", (after, _PAGE)).fetchall()
        if not rows:
            return None
        moved = []
        for _, doc_id, words, chars in rows:
            w = compact(np.frombuffer(words, dtype=np.uint64)) if words else None
            c = compact(np.frombuffer(chars, dtype=np.uint64)) if chars else None
            if (words and w is None) or (chars and c is None):
                continue  # not 32-bit values (never made by datasketch or this code): left as they are
            self.db.execute("INSERT OR REPLACE INTO dedup_minhashes VALUES (?, ?, ?)", (doc_id, w, c))
            moved.append(doc_id)
        for i in range(0, len(moved), 500):
            chunk = moved[i:i + 500]
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"UPDATE dedup_signatures SET minhash = x'' WHERE id IN ({marks})", chunk)
            self.db.execute(f"DELETE FROM dedup_chars WHERE id IN ({marks})", chunk)
        return rows[-1][0]

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

    def _compact_signatures(self) -> None:
        """`dedup_signatures` rewritten once its MinHashes have moved: SQLite leaves the pages of
        rows that shrank from ~1.1 KB to ~0.1 KB 90 % empty (100k documents: 137 MB for 14)."""
        if not self.db.execute("SELECT 1 FROM dedup_minhashes LIMIT 1").fetchone():
            return  # nothing was moved (a new archive): nothing to compact
        self.db.execute(_SIGNATURES.format(name="dedup_signatures_compact"))  # executescript would COMMIT
        self.db.execute("INSERT INTO dedup_signatures_compact (rowid, id, exact, minhash, path, added_at) "
                        "SELECT rowid, id, exact, minhash, path, added_at FROM dedup_signatures ORDER BY rowid")
        self.db.execute("DROP TABLE dedup_signatures")
        self.db.execute("ALTER TABLE dedup_signatures_compact RENAME TO dedup_signatures")
        self.db.execute(_EXACT)

    def first_path(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT path FROM dedup_signatures WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def store(self, rec: Record, sig: Signature, path: str | None) -> None:
        # The relate fields of the latest parse (a re-ingest may read the header better).
        self.db.execute("INSERT OR REPLACE INTO dedup_bodies VALUES (?, ?, ?)",
                        (rec.id, record_head(rec), zlib.compress(sig.body.encode(), 6)))
        if self.has(rec.id):
            return  # the first path that brought this text stays on record
        words = compact(sig.minhash) if sig.minhash is not None else None
        chars = compact(sig.chars) if sig.chars is not None else None
        fits = (sig.minhash is None or words is not None) and (sig.chars is None or chars is not None)
        moved = fits and (words or chars) is not None
        if moved:
            self.db.execute("INSERT OR REPLACE INTO dedup_minhashes VALUES (?, ?, ?)", (rec.id, words, chars))
        # The older tables keep the MinHashes only of a document that has no row of its own.
        mh = sig.minhash if sig.minhash is not None and not moved else np.zeros(0, dtype=np.uint64)
        self.db.execute("INSERT INTO dedup_signatures VALUES (?, ?, ?, ?, ?)",
                        (rec.id, sig.exact, mh.tobytes(), path, time.time()))
        if sig.chars is not None and not moved:
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
        to its pruning floor (>= 1 keeps it): read from the stored signatures, no record load.
        One `dedup_minhashes` row per id; an id without one (an older archive not yet migrated)
        is read from the older tables."""
        out = dict.fromkeys(ids, 0.0)
        rest = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT id, words, chars FROM dedup_minhashes WHERE id IN ({marks})", chunk).fetchall()
            self._score(sig, rows, np.uint32, out)
            found = {r[0] for r in rows}
            rest += [doc_id for doc_id in chunk if doc_id not in found]
        for i in range(0, len(rest), 500):
            chunk_ids = rest[i:i + 500]
            marks = ",".join("?" * len(chunk_ids))
            rows = self.db.execute(  # both older signatures in one statement
                f"SELECT s.id, s.minhash, c.minhash FROM dedup_signatures s LEFT JOIN dedup_chars c "
                f"ON c.id = s.id WHERE s.id IN ({marks})", chunk_ids).fetchall()
            self._score(sig, rows, np.uint64, out)
        return out

    def _score(self, sig: Signature, rows: list, dtype: type, out: dict[str, float]) -> None:
        """Scores of (id, words, chars) rows into `out`, on whole arrays (no Python step per id)."""
        if not rows:
            return
        cfg = self.config
        found, words, chars = zip(*rows)
        score = np.zeros(len(rows))
        if sig.minhash is not None:
            score = estimates_of(sig.minhash, [w or b"" for w in words], dtype) / cfg.min_words_jaccard
        if sig.chars is not None:
            score = np.maximum(score, estimates_of(sig.chars, [c or b"" for c in chars], dtype) / cfg.min_chars_jaccard)
        out.update(zip(found, score.tolist()))

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
            self.db.execute("DELETE FROM dedup_minhashes")
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
