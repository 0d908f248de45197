"""The secrecy table: the level of each document stamped `Mật` / `Tối mật` / `Tuyệt mật`
(`index.access.level`), written in the transaction that stores the document. Unmarked
documents have no row: the few marked ones are found without reading the ~3 KB records."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from index.access import level
from index.catalog._sqlite import has_table
from nlp.models import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS secrecy (
    id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    level TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS secrecy_level ON secrecy(level, id);
"""
VERSION = "1"
_META = "secrecy.version"


def store(db: sqlite3.Connection, rec: Record) -> None:
    """The level of one document, inside the caller's transaction (`Catalog.add_file`)."""
    db.execute("DELETE FROM secrecy WHERE id = ?", (rec.id,))
    lvl = level(rec.marks.secrecy)
    if lvl is not None:
        db.execute("INSERT INTO secrecy VALUES (?, ?)", (rec.id, lvl))


def migrate(db: sqlite3.Connection) -> None:
    """Create the table and fill it from the stored records, once per catalog."""
    db.executescript(SCHEMA)
    row = db.execute("SELECT value FROM meta WHERE name = ?", (_META,)).fetchone()
    if row is not None and row[0] == VERSION:
        return
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM secrecy")
        rows = db.execute("SELECT id, json_extract(record, '$.marks.secrecy') FROM documents "
                          "WHERE json_extract(record, '$.marks.secrecy') IS NOT NULL").fetchall()
        db.executemany("INSERT OR REPLACE INTO secrecy VALUES (?, ?)",
                       [(i, level(s)) for i, s in rows if level(s) is not None])
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_META, VERSION))
        db.execute("COMMIT")
    except sqlite3.OperationalError:  # a writer holds the catalog: the next open fills it
        if db.in_transaction:
            db.execute("ROLLBACK")


def marked(db: sqlite3.Connection, levels: Iterable[str]) -> set[str]:
    """The ids of the documents stamped with one of LEVELS. From the table when it is filled,
    else (a read-only catalog older than it) from the records themselves."""
    levels = list(levels)
    if not levels:
        return set()
    ready = has_table(db, "secrecy") and (db.execute("SELECT value FROM meta WHERE name = ?", (_META,)).fetchone()
                                     or ("",))[0] == VERSION
    if ready:
        marks = ",".join("?" * len(levels))
        return {r[0] for r in db.execute(f"SELECT id FROM secrecy WHERE level IN ({marks})", levels)}
    out = set()
    for doc_id, rec in db.execute("SELECT id, record FROM documents"):
        lvl = level((json.loads(rec).get("marks") or {}).get("secrecy"))
        if lvl in levels:
            out.add(doc_id)
    return out
