"""The obligations table: each document's dated deadlines, written in the transaction that
stores the document and read by `index/office/_deadlines.py` (what is due, what is answered)."""
from __future__ import annotations

import sqlite3

from index.catalog._sqlite import has_table
from nlp.models import Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS deadlines (
    id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (id, date)
);
CREATE INDEX IF NOT EXISTS deadlines_date ON deadlines(date, id);
"""
VERSION = "1"
_META = "deadlines.version"
# the same rows, read from the records (a read-only catalog that predates the table)
_FROM_RECORDS = ("(SELECT d.id AS id, json_extract(j.value, '$.date') AS date, json_extract(j.value, '$.text') AS text "
                 "FROM documents d, json_each(d.record, '$.deadlines') j)")


def store(db: sqlite3.Connection, rec: Record) -> None:
    """The obligations of one document, inside the caller's transaction (`Catalog.add_file`)."""
    db.execute("DELETE FROM deadlines WHERE id = ?", (rec.id,))
    db.executemany("INSERT OR IGNORE INTO deadlines VALUES (?, ?, ?)",
                   [(rec.id, d.date, d.text) for d in rec.deadlines if d.date])


def migrate(db: sqlite3.Connection) -> None:
    """Create the table and fill it from the stored records, once per catalog (one statement:
    SQLite reads each record's `deadlines` without Python parsing the ~3 KB rows)."""
    db.executescript(SCHEMA)
    row = db.execute("SELECT value FROM meta WHERE name = ?", (_META,)).fetchone()
    if row is not None and row[0] == VERSION:
        return
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM deadlines")
        db.execute(f"INSERT OR IGNORE INTO deadlines SELECT id, date, text FROM {_FROM_RECORDS} WHERE date IS NOT NULL")
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_META, VERSION))
        db.execute("COMMIT")
    except sqlite3.OperationalError:  # a writer holds the catalog: the next open fills it
        if db.in_transaction:
            db.execute("ROLLBACK")


def source(db: sqlite3.Connection) -> str:
    row = db.execute("SELECT value FROM meta WHERE name = ?", (_META,)).fetchone() if has_table(db, "meta") else None
    return "deadlines" if row is not None and row[0] == VERSION and has_table(db, "deadlines") else _FROM_RECORDS
