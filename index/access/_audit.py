"""The audit log: who searched, opened, downloaded, uploaded, logged in or out, or changed an
account, and when. An append-only table of the catalog: this module only inserts and reads, and
SQLite triggers refuse every UPDATE and DELETE on it, whoever opens the file."""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    who TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_who ON audit(who, at);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

# what is recorded (the page and the CLI name their actions with these)
ACTIONS = {
    "search": "tìm kiếm", "open": "mở văn bản", "download": "tải về", "upload": "nhập văn bản",
    "login": "đăng nhập", "logout": "đăng xuất", "login-failed": "đăng nhập sai",
    "login-locked": "đăng nhập khi bị khóa",
    "account-add": "thêm tài khoản", "account-passwd": "đổi mật khẩu", "account-disable": "khóa tài khoản",
    "account-enable": "mở lại tài khoản",
}
MAX_TARGET = 500  # characters of a query or a path kept


@dataclass(frozen=True)
class Entry:
    at: float
    who: str
    via: str       # "web", "cli" (the CLI's own OS user) or "cli --as NAME"
    action: str
    target: str
    address: str

    def to_dict(self) -> dict:
        return {**asdict(self), "time": dt.datetime.fromtimestamp(self.at, dt.UTC).isoformat(timespec="seconds")}


def _clean(text: str | None, limit: int) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return "".join(c if c.isprintable() else " " for c in text)[:limit]


class AuditLog:
    def __init__(self, db: sqlite3.Connection, writable: bool = True, clock: Callable[[], float] = time.time):
        self.db, self.clock = db, clock
        self.writable = writable
        if writable:
            db.executescript(SCHEMA)

    def _exists(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").fetchone() \
            is not None

    def add(self, who: str, action: str, target: str = "", address: str = "", via: str = "web") -> None:
        """Append one entry. An archive on read-only media keeps no log (nothing can be written)."""
        if not self.writable:
            return
        self.db.execute("INSERT INTO audit (at, who, via, action, target, address) VALUES (?, ?, ?, ?, ?, ?)",
                        (self.clock(), _clean(who, 200), _clean(via, 200), action, _clean(target, MAX_TARGET),
                         _clean(address, 100)))

    def entries(self, who: str | None = None, since: float | None = None, limit: int | None = None) -> list[Entry]:
        """The newest first; `who` an account (or OS user) name, `since` a time."""
        if not self._exists():
            return []
        where, args = [], []
        if who is not None:
            where.append("who = ?")
            args.append(unicodedata.normalize("NFC", who))
        if since is not None:
            where.append("at >= ?")
            args.append(since)
        sql = "SELECT at, who, via, action, target, address FROM audit"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY seq DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Entry(*row) for row in self.db.execute(sql, args)]
