"""Catalog storage: the SQLite catalog that is an archive's single source of truth, the one
writer's lock, durable writes on disk, and `check` (do the catalog, the originals and the
full-text index agree?).

Modules (private; this package's surface is what it exports here): `_database` (`Catalog`: the
schema, its migrations, one transaction per ingested file, read-only opening), `_lock` (one
writer per archive, an exclusive `flock`), `_durable` (fsync of a file or folder before what
names it is committed), `_check` (`congvan check [--repair]`), `_obligations` (each document's dated deadlines, kept
beside it for the due-dates list), `_settings` (the archive's own settings: the office, trust
roots; exported as the module `settings`, `settings.get`/`settings.put`), `_backup` (`congvan
backup` and `restore`: the catalog's online snapshot, then the originals it names, copied by
hash), `_secrecy` (each stamped document's secrecy level, for the views of `index.access`), `_sqlite`
(whether the catalog holds a table yet: older and read-only catalogs may not)."""
from index.catalog import _settings as settings
from index.catalog._backup import (
    BackupError,
    BackupReport,
    RestoreReport,
    backup_archive,
    read_manifest,
    restore_archive,
)
from index.catalog._check import CheckResult, check_archive
from index.catalog._database import SCHEMA, Catalog, record_key
from index.catalog._durable import fsync_path
from index.catalog._lock import LOCK_NAME, ArchiveBusy, close_inherited, holder, holds, writer_lock
from index.catalog._obligations import source as obligations_source
from index.catalog._secrecy import marked as secret_ids

__all__ = [
    "LOCK_NAME",
    "SCHEMA",
    "ArchiveBusy",
    "BackupError",
    "BackupReport",
    "Catalog",
    "CheckResult",
    "RestoreReport",
    "backup_archive",
    "check_archive",
    "close_inherited",
    "fsync_path",
    "holder",
    "holds",
    "obligations_source",
    "record_key",
    "settings",
    "read_manifest",
    "restore_archive",
    "secret_ids",
    "writer_lock",
]
