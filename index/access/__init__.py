"""Who is looking and what they may see: the viewer an `Archive` answers for, the secrecy rule
(Nghị định 30's độ mật: `Mật` < `Tối mật` < `Tuyệt mật`), and the answers of `Archive` with what
a viewer may not see left out.

Modules (private; this package's surface is what it exports here): `_rule` (`Viewer`, `FULL`,
the levels and who may see which), `_restricted` (one function per shape of answer that strips
hidden documents: lists, traces, citations, the graph, clusters), `_accounts` (the people who
share the archive: roles, clearances, Argon2 password hashes, slowed and locked logins, the
session key), `_audit` (the append-only log of who searched, opened, downloaded, uploaded or
changed an account)."""
from index.access import _restricted as restricted
from index.access._accounts import (
    CLEARANCE_NAMES,
    CLEARANCES,
    LOCK_AFTER,
    LOCK_SECONDS,
    ROLE_NAMES,
    ROLES,
    SLOW_AFTER,
    Account,
    AccountError,
    Accounts,
    session_secret,
    wait_for,
)
from index.access._audit import ACTIONS, AuditLog, Entry
from index.access._rule import FULL, LEVELS, STAMPS, Viewer, hidden_levels, level, may_see, rank

__all__ = [
    "ACTIONS", "CLEARANCES", "CLEARANCE_NAMES", "FULL", "LEVELS", "LOCK_AFTER", "LOCK_SECONDS", "ROLES",
    "ROLE_NAMES", "SLOW_AFTER", "STAMPS", "Account", "AccountError", "Accounts", "AuditLog", "Entry", "Viewer",
    "hidden_levels", "level", "may_see", "rank", "restricted", "session_secret", "wait_for",
]
