"""Accounts of the people who share an archive: a table `accounts` of the catalog with each
person's role, clearance and Argon2 password hash. Repeated failed logins are slowed, then the
account is locked for a while (`login`). The password itself is never stored nor returned.

Roles: `doc` reads; `van-thu` (the clerk) also ingests; `quan-tri` also administers accounts."""
from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from index.access._rule import Viewer

ROLES = ("doc", "van-thu", "quan-tri")
CLEARANCES = ("mat", "toi-mat", "tuyet-mat")
ROLE_NAMES = {"doc": "Người đọc", "van-thu": "Văn thư", "quan-tri": "Quản trị"}
CLEARANCE_NAMES = {None: "Không", "mat": "Mật", "toi-mat": "Tối mật", "tuyet-mat": "Tuyệt mật"}
MIN_PASSWORD = 8
MAX_NAME = 64
SLOW_AFTER = 5            # failures before each further attempt waits (1, 2, 4, 8, 16 s)
LOCK_AFTER = 10           # failures before the account is locked
LOCK_SECONDS = 15 * 60
SECRET_FILE = "session.key"  # the web page's signing key, kept in the archive (mode 0600)

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    clearance TEXT,
    password TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
"""

_COLUMNS = "name, role, clearance, disabled, failed, locked_until, created, password"
HASHER = PasswordHasher()  # Argon2id, the library's (RFC 9106) parameters
# verified against when the name is unknown, so that the answer takes as long as for a known one
_DUMMY: str | None = None


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    clearance: str | None
    disabled: bool
    failed: int
    locked_until: float
    created: float
    stamp: str  # changes when the password does: sessions made with the old one end

    def viewer(self) -> Viewer:
        return Viewer(self.name, self.role, self.clearance)

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "clearance": self.clearance, "disabled": self.disabled,
                "failed": self.failed, "locked_until": self.locked_until or None, "created": self.created}


@dataclass(frozen=True)
class Login:
    """What a login attempt came to: `account` when it succeeded; else `locked_for` seconds
    (> 0 while the account waits or is locked: the password was not even checked)."""
    account: Account | None
    locked_for: float = 0.0


def clean_name(name: str) -> str:
    """An account name as stored: NFC, trimmed; Vietnamese letters, digits, `.`, `_`, `-`, spaces."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise AccountError("Tên tài khoản không được để trống.")
    if len(name) > MAX_NAME:
        raise AccountError(f"Tên tài khoản dài quá {MAX_NAME} ký tự.")
    if not all(c.isalnum() or c in "._- @" for c in name):
        raise AccountError("Tên tài khoản chỉ gồm chữ (có dấu hay không), số, dấu chấm, gạch dưới, gạch ngang.")
    return name


def _password(password: str) -> str:
    password = unicodedata.normalize("NFC", password or "")  # one form whatever the keyboard typed
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    return password


def _stamp(hashed: str) -> str:
    return hashlib.sha256(hashed.encode()).hexdigest()[:16]


def wait_for(failed: int) -> float:
    """Seconds an account waits after its `failed`-th failure in a row."""
    if failed >= LOCK_AFTER:
        return LOCK_SECONDS
    if failed >= SLOW_AFTER:
        return float(2 ** (failed - SLOW_AFTER))
    return 0.0


class Accounts:
    def __init__(self, db: sqlite3.Connection, writable: bool = True, clock: Callable[[], float] = time.time,
                 hasher: PasswordHasher | None = None):
        self.db, self.writable, self.clock = db, writable, clock
        self.hasher = hasher or HASHER
        if writable:
            db.executescript(SCHEMA)

    def _exists(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").fetchone() \
            is not None

    def _must_write(self) -> None:
        if not self.writable:
            raise AccountError("Kho nằm trên ổ chỉ đọc: không đổi được tài khoản.")

    def any(self) -> bool:
        """Whether any account exists (disabled ones too): then every page asks for a login."""
        return self._exists() and self.db.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def get(self, name: str) -> Account | None:
        if not self._exists():
            return None
        row = self.db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE name = ?",
                              (unicodedata.normalize("NFC", name or "").strip(),)).fetchone()
        return _account(row) if row else None

    def list(self) -> list[Account]:
        if not self._exists():
            return []
        return [_account(r) for r in self.db.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY name")]

    def add(self, name: str, role: str, password: str, clearance: str | None = None) -> Account:
        self._must_write()
        name = clean_name(name)
        if role not in ROLES:
            raise AccountError(f"Vai trò không hợp lệ: {role!r} (chọn {', '.join(ROLES)}).")
        if clearance not in (None, *CLEARANCES):
            raise AccountError(f"Mức mật không hợp lệ: {clearance!r} (chọn {', '.join(CLEARANCES)}).")
        hashed = self.hasher.hash(_password(password))
        try:
            self.db.execute("INSERT INTO accounts (name, role, clearance, password, created) VALUES (?, ?, ?, ?, ?)",
                            (name, role, clearance, hashed, self.clock()))
        except sqlite3.IntegrityError:
            raise AccountError(f"Tài khoản {name!r} đã có.") from None
        return self.get(name)

    def _known(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(f"Không có tài khoản {unicodedata.normalize('NFC', name or '')!r}.")
        return account

    def passwd(self, name: str, password: str) -> Account:
        """A new password; the lock and the failures are cleared, sessions of the old one end."""
        self._must_write()
        account = self._known(name)
        self.db.execute("UPDATE accounts SET password = ?, failed = 0, locked_until = 0 WHERE name = ?",
                        (self.hasher.hash(_password(password)), account.name))
        return self.get(account.name)

    def set_disabled(self, name: str, disabled: bool = True) -> Account:
        self._must_write()
        account = self._known(name)
        self.db.execute("UPDATE accounts SET disabled = ? WHERE name = ?", (int(disabled), account.name))
        return self.get(account.name)

    def login(self, name: str, password: str) -> Login:
        """Check a password. After `SLOW_AFTER` failures in a row each attempt must wait longer,
        after `LOCK_AFTER` the account is locked `LOCK_SECONDS`; meanwhile attempts are refused
        without the password being checked, so a locked account tells nothing of it."""
        global _DUMMY
        password = unicodedata.normalize("NFC", password or "")
        row = None
        if self._exists():
            row = self.db.execute(f"SELECT {_COLUMNS} FROM accounts WHERE name = ?",
                                  (unicodedata.normalize("NFC", name or "").strip(),)).fetchone()
        if row is None:
            _DUMMY = _DUMMY or self.hasher.hash(secrets.token_hex(16))
            _verify(self.hasher, _DUMMY, password)
            return Login(None)
        account, now = _account(row), self.clock()
        if account.locked_until > now:
            return Login(None, locked_for=account.locked_until - now)
        if not _verify(self.hasher, row["password"], password) or account.disabled:
            if self.writable and not account.disabled:
                failed = account.failed + 1
                self.db.execute("UPDATE accounts SET failed = ?, locked_until = ? WHERE name = ?",
                                (failed, now + wait_for(failed) if wait_for(failed) else 0, account.name))
            return Login(None)
        if self.writable:
            if account.failed or account.locked_until:
                self.db.execute("UPDATE accounts SET failed = 0, locked_until = 0 WHERE name = ?", (account.name,))
            if self.hasher.check_needs_rehash(row["password"]):  # the parameters were raised since
                self.db.execute("UPDATE accounts SET password = ? WHERE name = ?",
                                (self.hasher.hash(password), account.name))
        return Login(self.get(account.name))


def _verify(hasher: PasswordHasher, hashed: str, password: str) -> bool:
    try:
        return hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _account(row: sqlite3.Row | tuple) -> Account:
    name, role, clearance, disabled, failed, locked_until, created, hashed = tuple(row)
    return Account(name, role, clearance, bool(disabled), failed, locked_until, created, _stamp(hashed))


def session_secret(root: Path, writable: bool = True) -> bytes:
    """The key that signs the web page's session cookies, made once and kept in the archive
    (mode 0600), so that every server process over the archive, and a restart, accepts the same
    sessions. On read-only media a key for this process alone."""
    path = Path(root) / SECRET_FILE
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    if not writable:
        return secrets.token_bytes(32)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, even briefly
    except FileExistsError:  # another server process made it first
        time.sleep(0.1)
        return path.read_bytes()
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key
