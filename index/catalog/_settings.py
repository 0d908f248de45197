"""Settings of one archive (the office's name and codes, trust roots…): one key–value table of
the catalog, each value JSON. Another part of the system may create the same table with the
same DDL; whichever runs first makes it."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from index.catalog._sqlite import has_table

SCHEMA = "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def get(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    """The value stored under KEY, or DEFAULT (also on an archive that has no settings yet,
    which may be read-only: nothing is created to read)."""
    if not has_table(conn, "settings"):
        return default
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store VALUE (anything JSON can hold) under KEY, replacing what was there."""
    conn.execute(SCHEMA)
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                 (key, json.dumps(value, ensure_ascii=False)))
