"""Both MinHashes of a document in one `dedup_minhashes` row (uint32): an archive written before
(uint64 blobs in `dedup_signatures.minhash` and `dedup_chars`) is migrated on open and gives the
same findings before, half way through and after; a document whose row is missing is still found."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS

import index.dedup.store as store
from index.catalog import SCHEMA
from index.dedup import DedupConfig, DedupIndex, signature
from ingest.models import Extracted, Source
from nlp import parse
from text.normalize import clean_text

LETTERS = sorted((CORPUS / "text").glob("*.txt"))


def rec_of(text: str, doc_id: str, method: str = "text"):
    src = Source(path=f"{doc_id}.txt", sha256="", format="text", part=0, pages=[], method=method)
    rec = parse(Extracted(clean_text(text), src, [], []))
    rec.id = doc_id
    return rec


def resend(text: str) -> str:
    """The same letter sent again with one sentence added to its longest line."""
    lines = text.split("\n")
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    return "\n".join(lines[:i] + [lines[i] + " Đề nghị các đơn vị thực hiện nghiêm."] + lines[i + 1:])


def ocr_copy(text: str) -> str:
    """Word boundaries lost and words cut, as Tesseract does: only the character MinHash finds it."""
    rng = random.Random(3)
    out: list[str] = []
    for w in text.split(" "):
        r = rng.random()
        if r < 0.45 and out:
            out[-1] += w
        elif r < 0.6 and len(w) > 3:
            out += [w[:2], w[2:]]
        else:
            out.append(w)
    return " ".join(out)


@pytest.fixture(scope="module")
def letters():
    texts = [p.read_text(encoding="utf-8") for p in LETTERS]
    stored = {f"s{i}": rec_of(t, f"s{i}") for i, t in enumerate(texts)}
    checks = [rec_of(resend(t), f"r{i}") for i, t in enumerate(texts)]
    checks += [rec_of(ocr_copy(texts[0]), "o0", method="ocr")]
    return stored, checks


def open_index(path: Path, records: dict) -> tuple[sqlite3.Connection, DedupIndex]:
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    return db, DedupIndex(db, records.get, DedupConfig())


def older_archive(path: Path, records: dict) -> None:
    """An archive as the code before `dedup_minhashes` wrote it: uint64 MinHashes in
    `dedup_signatures.minhash` and `dedup_chars`, no compact rows, no migration mark."""
    db, index = open_index(path, records)
    for rec in records.values():
        index.store(rec, signature(rec, index.config), f"{rec.id}.txt")
    for doc_id, words, chars in db.execute("SELECT id, words, chars FROM dedup_minhashes").fetchall():
        db.execute("UPDATE dedup_signatures SET minhash = ? WHERE id = ?",
                   (np.frombuffer(words, dtype=np.uint32).astype(np.uint64).tobytes(), doc_id))
        db.execute("INSERT INTO dedup_chars VALUES (?, ?)",
                   (doc_id, np.frombuffer(chars, dtype=np.uint32).astype(np.uint64).tobytes()))
    db.execute("DELETE FROM dedup_minhashes")
    db.execute("DELETE FROM meta WHERE name = ?", (store.MIGRATED,))
    db.close()


def findings(index: DedupIndex, checks: list) -> list:
    out = []
    for rec in checks:
        sig = signature(rec, index.config)
        out.append((rec.id, index.candidates(rec, sig),
                    [(m.of, m.relation, round(m.similarity, 6), m.path) for m in index.check(rec, sig)]))
    return out


def where_stored(db: sqlite3.Connection) -> dict[str, int]:
    """Per id, in how many places its MinHashes are: 1 for every document, whatever the state."""
    compact = {r[0] for r in db.execute("SELECT id FROM dedup_minhashes")}
    older = {r[0] for r in db.execute("SELECT id FROM dedup_signatures WHERE length(minhash) > 0")}
    chars = {r[0] for r in db.execute("SELECT id FROM dedup_chars")}
    assert chars <= older  # an older row keeps both of its MinHashes
    ids = [r[0] for r in db.execute("SELECT id FROM dedup_signatures")]
    return {i: (i in compact) + (i in older) for i in ids}


def test_new_archive_stores_one_compact_row(tmp_path, letters):
    stored, checks = letters
    db, index = open_index(tmp_path / "c.sqlite3", stored)
    for rec in stored.values():
        index.store(rec, signature(rec, index.config), f"{rec.id}.txt")
    rows = db.execute("SELECT id, length(words), length(chars) FROM dedup_minhashes ORDER BY id").fetchall()
    assert rows == [(i, 4 * 128, 4 * 128) for i in sorted(stored)]
    assert set(where_stored(db).values()) == {1}
    found = findings(index, checks)
    assert [f[2][:1] for f in found] == [[(f"s{i}", "near-duplicate", f[2][0][2], f"s{i}.txt")]
                                         for i, f in enumerate(found[:-1])] + [found[-1][2][:1]]
    assert found[-1][2][0][:2] == ("s0", "near-duplicate")  # found by the character MinHash


def test_migration_keeps_the_findings_of_an_older_archive(tmp_path, letters, monkeypatch):
    stored, checks = letters
    path = tmp_path / "old.sqlite3"
    older_archive(path, stored)
    with monkeypatch.context() as m:  # read before any migration: the older tables only
        m.setattr(DedupIndex, "migrate", lambda self: False)
        db, index = open_index(path, stored)
        before = findings(index, checks)
        db.close()

    db, index = open_index(path, stored)
    migrated = findings(index, checks)
    assert db.execute("SELECT count(*) FROM dedup_minhashes").fetchone()[0] == len(stored)
    assert db.execute("SELECT value FROM meta WHERE name = ?", (store.MIGRATED,)).fetchone() == ("1",)
    assert set(where_stored(db).values()) == {1}
    assert db.execute("SELECT count(*) FROM dedup_chars").fetchone()[0] == 0
    for doc_id, words, chars in db.execute("SELECT id, words, chars FROM dedup_minhashes"):
        sig = signature(stored[doc_id], index.config)
        assert np.array_equal(np.frombuffer(words, dtype=np.uint32), sig.minhash)
        assert np.array_equal(np.frombuffer(chars, dtype=np.uint32), sig.chars)
    assert migrated == before and all(f[2] for f in migrated)
    db.close()

    fresh_db, fresh = open_index(tmp_path / "fresh.sqlite3", stored)
    for rec in stored.values():
        fresh.store(rec, signature(rec, fresh.config), f"{rec.id}.txt")
    assert findings(fresh, checks) == migrated


def test_unmigrated_and_half_migrated_archives_find_the_same(tmp_path, letters, monkeypatch):
    stored, checks = letters
    path = tmp_path / "old.sqlite3"
    older_archive(path, stored)
    monkeypatch.setattr(DedupIndex, "migrate", lambda self: False)  # read an older archive as it is
    db, index = open_index(path, stored)
    before = findings(index, checks)
    assert db.execute("SELECT count(*) FROM dedup_minhashes").fetchone()[0] == 0
    assert all(f[2] for f in before)  # every stored letter is still found from the older tables
    db.close()
    monkeypatch.undo()

    # Killed after the first page: that page is moved, the rest untouched, nothing in two places.
    monkeypatch.setattr(store, "_PAGE", 2)
    real = DedupIndex._migrate_page
    pages = []

    def dies_on_second_page(self, after):
        if pages:
            raise KeyboardInterrupt
        pages.append(after)
        return real(self, after)
    monkeypatch.setattr(DedupIndex, "_migrate_page", dies_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        open_index(path, stored)
    monkeypatch.setattr(DedupIndex, "_migrate_page", real)
    db = sqlite3.connect(str(path), isolation_level=None)
    assert db.execute("SELECT count(*) FROM dedup_minhashes").fetchone()[0] == 2
    assert set(where_stored(db).values()) == {1}
    index = DedupIndex.__new__(DedupIndex)  # read it half way, without finishing the migration
    index.db, index.load, index.config = db, stored.get, DedupConfig()
    assert findings(index, checks) == before
    db.close()

    db, index = open_index(path, stored)  # the next open finishes the migration
    assert db.execute("SELECT count(*) FROM dedup_minhashes").fetchone()[0] == len(stored)
    assert set(where_stored(db).values()) == {1}
    assert findings(index, checks) == before


def test_busy_catalog_is_migrated_later_and_read_meanwhile(tmp_path, letters):
    stored, checks = letters
    path = tmp_path / "old.sqlite3"
    older_archive(path, stored)
    writer = sqlite3.connect(str(path), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an ingest at work in another process
    db, index = open_index(path, stored)
    assert index.migrate() is False
    assert db.execute("SELECT count(*) FROM dedup_minhashes").fetchone()[0] == 0
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000  # the connection's own wait, restored
    before = findings(index, checks)
    writer.execute("ROLLBACK")
    assert index.migrate() is True
    assert findings(index, checks) == before


def test_values_beyond_32_bits_stay_in_the_older_tables(tmp_path, letters, monkeypatch):
    """Never made by datasketch or this code; if an archive held one, cutting it to 32 bits
    could change an estimate: that document is left where it is and read as before."""
    stored, checks = letters
    path = tmp_path / "old.sqlite3"
    older_archive(path, stored)
    db = sqlite3.connect(str(path), isolation_level=None)
    words = np.frombuffer(db.execute("SELECT minhash FROM dedup_signatures WHERE id = 's0'").fetchone()[0],
                          dtype=np.uint64).copy()
    words[5] += 1 << 32
    db.execute("UPDATE dedup_signatures SET minhash = ? WHERE id = 's0'", (words.tobytes(),))
    db.close()
    with monkeypatch.context() as m:
        m.setattr(DedupIndex, "migrate", lambda self: False)
        db, index = open_index(path, stored)
        before = findings(index, checks)
        db.close()
    db, index = open_index(path, stored)
    assert [r[0] for r in db.execute("SELECT id FROM dedup_minhashes ORDER BY id")] == ["s1", "s2", "s3"]
    assert set(where_stored(db).values()) == {1}
    assert findings(index, checks) == before
    assert before[0][2][0][:2] == ("s0", "near-duplicate")
