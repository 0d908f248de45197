"""Settings of one archive (the office's name and codes, trust roots): one key–value table of
the catalog, each value JSON."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

DDL = "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def get(conn: sqlite3.Connection, key: str, default: Any = None) -> Any:
    """The value of KEY, or `default` (also on a catalog made before settings existed)."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # no table yet (a read-only or older catalog)
        return default
    return json.loads(row[0]) if row else default


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute(DDL)
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                 (key, json.dumps(value, ensure_ascii=False)))
