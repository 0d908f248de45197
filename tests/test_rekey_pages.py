"""`congvan reindex` recomputes citation keys reading the catalog a page at a time (at 100k
letters all records at once took it over 1 GB): every document must still be read once."""
from __future__ import annotations

import sqlite3

from index.graph.citations import _documents


def test_pages_cover_every_document_once_in_order():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, record TEXT)")
    db.executemany("INSERT INTO documents VALUES (?, ?)", [(f"d{i}", f"r{i}") for i in range(7)])
    db.execute("DELETE FROM documents WHERE id = 'd3'")  # a gap in the rowids
    got = list(_documents(db, page=2))
    assert got == [(f"d{i}", f"r{i}") for i in range(7) if i != 3]
    assert list(_documents(sqlite3.connect(":memory:").execute("CREATE TABLE documents (id, record)")
                           .connection, page=2)) == []
