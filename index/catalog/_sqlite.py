"""What the catalog's modules ask SQLite about its own layout."""
from __future__ import annotations

import sqlite3


def has_table(db: sqlite3.Connection, name: str) -> bool:
    """Whether the catalog holds table NAME (an older or read-only catalog may not yet)."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
