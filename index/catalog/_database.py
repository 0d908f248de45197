"""The SQLite catalog: the single source of truth of an archive. Every ingested file is
written in one transaction, so a killed run leaves whole files or nothing."""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from index.catalog import _obligations as obligations
from index.catalog import _secrecy as secrecy
from index.graph.citations import (
    CITATIONS_SCHEMA,
    Where,
    citation_key,
    document_place,
    document_where,
    migrate,
    store_citations,
)
from ingest.intake import stored_name
from nlp.codes import canonical_key
from nlp.models import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    original TEXT NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS paths (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES files(sha256)
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    part INTEGER NOT NULL,
    key TEXT,
    code TEXT,
    doc_type TEXT,
    issued_date TEXT,
    year INTEGER,
    issuer TEXT,
    subject TEXT,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_key ON documents(key);
-- covering for `CitationGraph.family`: its documents without reading their ~3 KB rows
CREATE INDEX IF NOT EXISTS documents_key_dated ON documents(key, issued_date, id);
CREATE INDEX IF NOT EXISTS documents_code ON documents(code);
CREATE TABLE IF NOT EXISTS refs (
    src TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    key TEXT NOT NULL,
    code TEXT,
    doc_type TEXT,
    date TEXT,
    issuer TEXT,
    relation TEXT NOT NULL DEFAULT 'cites',
    PRIMARY KEY (src, ord)
);
-- refs' index by cited key: `index.graph.citations.CITATIONS_SCHEMA` (covering, for the graph)
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS duplicates (
    id TEXT NOT NULL,
    of TEXT NOT NULL,
    relation TEXT NOT NULL,
    similarity REAL,
    path TEXT NOT NULL DEFAULT '',
    found_at REAL NOT NULL,
    PRIMARY KEY (id, of, relation, path)
);
CREATE INDEX IF NOT EXISTS duplicates_of ON duplicates(of);
"""


def record_key(rec: Record, where: Where | None = None) -> str | None:
    """`where`: `document_where(rec)` when the caller has it already (it reads the whole text)."""
    if not rec.code:
        return None
    year = rec.issued_date[:4] if rec.issued_date else None
    return canonical_key(rec.code, year, where.place if where is not None else document_place(rec))


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A catalog on read-only media (archival discs, a backup mount). Without a `-wal` beside it
    the file holds everything: `immutable=1` reads it as it is, without locks or `-shm`. With
    one (its last writer was killed), `mode=ro` reads the WAL too, where SQLite can."""
    uri = f"file:{quote(str(path.resolve()))}"
    wal = path.with_name(path.name + "-wal").exists()
    for query in ("?mode=ro", "?mode=ro&immutable=1") if wal else ("?mode=ro&immutable=1", "?mode=ro"):
        db = sqlite3.connect(uri + query, uri=True, timeout=30, isolation_level=None)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
    raise sqlite3.OperationalError(f"cannot open the catalog {path} read-only")


class Catalog:
    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if read_only:  # no WAL switch, no schema migration: nothing may be written
            self.db = _open_read_only(path)
            self.db.row_factory = sqlite3.Row
            return
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self.db.executescript(CITATIONS_SCHEMA)
        migrate(self.db)  # an archive written by older code: keys, relations and code terms brought up to date
        obligations.migrate(self.db)  # the obligations table (_obligations.py), filled once from the records
        secrecy.migrate(self.db)  # the secrecy table (_secrecy.py), filled once from the records

    def close(self) -> None:
        self.db.close()

    def file_for_path(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM paths WHERE path = ?", (stored_name(path),)).fetchone()
        return row[0] if row else None

    def has_file(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def add_path(self, path: str, sha256: str) -> None:
        # a name that is not UTF-8 is kept as its bytes (a BLOB): never refused, never altered
        self.db.execute("INSERT OR REPLACE INTO paths VALUES (?, ?)", (stored_name(path), sha256))

    def add_file(self, path: str, sha256: str, fmt: str, size: int, original: str,
                 records: list[Record]) -> None:
        """Write one file and its documents in one transaction."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                       (sha256, fmt, size, original, time.time()))
            db.execute("INSERT OR REPLACE INTO paths VALUES (?, ?)", (stored_name(path), sha256))
            for rec in records:
                where = document_where(rec)  # once per document: key, citation keys and place share it
                db.execute("DELETE FROM refs WHERE src = ?", (rec.id,))
                db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (rec.id, sha256, rec.source.get("part", 0), record_key(rec, where), rec.code,
                     rec.doc_type, rec.issued_date,
                     int(rec.issued_date[:4]) if rec.issued_date else None,
                     rec.issuer.name, rec.subject,
                     json.dumps(rec.to_dict(), ensure_ascii=False)),
                )
                for i, ref in enumerate(rec.references):
                    if not ref.code:
                        continue
                    db.execute(
                        "INSERT INTO refs VALUES (?,?,?,?,?,?,?,?)",
                        (rec.id, i, citation_key(ref, rec, where),
                         ref.code, ref.doc_type, ref.date, ref.issuer, ref.relation),
                    )
                store_citations(db, rec, where)
                obligations.store(db, rec)
                secrecy.store(db, rec)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # an interrupt (the writer's time limit) may come after the COMMIT
                db.execute("ROLLBACK")
            raise

    def record(self, doc_id: str) -> Record | None:
        row = self.db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Record.from_dict(json.loads(row[0])) if row else None

    def key_of(self, doc_id: str) -> str | None:
        """The stored canonical key (as `record_key` gave it at the write: not computed again)."""
        row = self.db.execute("SELECT key FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def documents(self) -> Iterator[Record]:
        for row in self.db.execute("SELECT record FROM documents ORDER BY rowid"):
            yield Record.from_dict(json.loads(row[0]))

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
