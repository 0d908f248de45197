"""`congvan backup DEST` and `congvan restore SRC DIR`: a consistent copy of an archive in use.

A backup holds what cannot be made again: the catalog and the originals. The full-text index
is derived from the catalog, so it is never copied; a restore builds it anew.

Order: the catalog snapshot first, then the originals it names. An ingest keeps a file's
original (fsync, atomic rename) *before* the catalog transaction that names it commits, and
nothing ever deletes a named original, so every original the snapshot names is already on
disk when the snapshot is taken. Copying the originals first would miss the files whose rows
commit in between: a restored catalog would name originals the backup lacks.

The snapshot is SQLite's online backup API copying all pages in one step: one read
transaction of the WAL, so the writer and the readers keep going (no writer lock is taken).
Originals are copied by hash: each verified by its SHA-256 while copied, written to a
`.part` file, fsynced and renamed into place; one DEST already holds is skipped, so a second
backup to the same DEST copies only the new files. The manifest is written last: a backup
without one is incomplete and `restore` refuses it."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

from index.catalog._durable import fsync_path

CATALOG = "catalog.sqlite3"
MANIFEST = "manifest.json"
FORMAT = "congvan-backup"
FORMAT_VERSION = 1
_CHUNK = 1 << 20
_HEX = re.compile(r"[0-9a-f]{64}")


class BackupError(OSError):
    """A backup or restore that cannot be done; `str()` is one Vietnamese line. Its errno is
    the disk's (ENOSPC, EROFS, EACCES) when the destination cannot be written, else EINVAL."""

    def __init__(self, code: int, reason: str):
        super().__init__(code, reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason

    @property
    def disk(self) -> bool:
        """Whether the destination's disk refused the write (full, read-only, no permission)."""
        return self.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


@dataclass
class BackupReport:
    dest: str
    catalog_version: str | None
    documents: int
    files: int
    copied: int = 0  # originals written by this run
    skipped: int = 0  # originals DEST already held
    bytes_copied: int = 0
    seconds: float = 0.0
    damaged: list[str] = field(default_factory=list)  # originals whose bytes no longer match their hash

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RestoreReport:
    dir: str
    documents: int
    files: int
    indexed: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def _disk_reason(exc: BaseException, where: Path) -> BackupError:
    """The destination's trouble in one line (the sqlite3 errors carry no errno: read the text)."""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "disk is full" in text:
        return BackupError(errno.ENOSPC, f"đĩa đích đã đầy: không ghi được bản sao lưu vào {where}; "
                                         "giải phóng chỗ trống rồi chạy lại (lần sau chỉ chép phần còn thiếu)")
    if code == errno.EROFS or "read-only" in text or "readonly" in text:
        return BackupError(errno.EROFS, f"thư mục đích {where} nằm trên ổ chỉ đọc: không ghi được bản sao lưu")
    if code in (errno.EACCES, errno.EPERM) or "unable to open" in text:
        return BackupError(errno.EACCES, f"không có quyền ghi vào thư mục đích {where}")
    return BackupError(code or errno.EIO, f"không ghi được vào {where}: {exc}")


def _snapshot(source: sqlite3.Connection, target: Path) -> None:
    """Copy the catalog as of one moment into `target` (a self-contained file, no WAL)."""
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        dst = sqlite3.connect(str(part), isolation_level=None)
        try:
            source.backup(dst, pages=-1)  # one step: one read snapshot, never restarted by a writer
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone, without -wal/-shm
        finally:
            dst.close()
        fsync_path(part)
        os.replace(part, target)
    except BaseException:  # a full disk: nothing half-written is left to be taken for a catalog
        for leftover in (part, part.with_name(part.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    fsync_path(target.parent)


def _copy_verified(src: Path, target: Path, sha256: str) -> int | None:
    """Copy `src` to `target` atomically if its bytes hash to `sha256`; the bytes copied, or
    None when they do not match (nothing is left behind)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        with open(src, "rb") as fin, open(part, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                digest.update(chunk)
                fout.write(chunk)
                size += len(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if digest.hexdigest() != sha256:
            part.unlink(missing_ok=True)
            return None
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return size


def _held(target: Path, size: int) -> bool:
    """An original DEST already holds: named by its hash, written by an atomic rename, of the size
    the catalog says (a file cut short by some other tool is copied again)."""
    try:
        return target.stat().st_size == size
    except OSError:
        return False


def _named_originals(catalog: Path) -> list[tuple[str, int, str]]:
    """(sha256, size, original) of every file the catalog names; a sha256 that is not 64 hex
    digits (a damaged or forged row) comes back as '' so that it names no path."""
    db = sqlite3.connect(f"file:{quote(str(catalog.resolve()))}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT sha256, size, original FROM files ORDER BY sha256").fetchall()
    finally:
        db.close()
    return [(sha if isinstance(sha, str) and _HEX.fullmatch(sha) else "", size, original)
            for sha, size, original in rows]


def _counts(catalog: Path) -> tuple[str | None, int, int]:
    db = sqlite3.connect(f"file:{quote(str(catalog.resolve()))}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE name = 'catalog.version'").fetchone()
        docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        files = db.execute("SELECT count(*) FROM files").fetchone()[0]
        return (row[0] if row else None), docs, files
    finally:
        db.close()


def _original_path(root: Path, original: str) -> Path | None:
    """`root/original` when it stays inside `root/originals` (a catalog row is data, not a path to trust)."""
    base = (root / "originals").resolve()
    path = (root / original).resolve()
    return path if base in path.parents else None


_BACKUP_ENTRIES = {CATALOG, CATALOG + ".part", CATALOG + ".part-journal", MANIFEST, MANIFEST + ".part", "originals"}


def _backup_or_empty(dest: Path) -> bool:
    """Whether DEST may be written: absent, empty, or holding only what a backup holds (a
    whole or interrupted earlier one). Never another archive, nor a folder of other files."""
    try:
        return {entry.name for entry in dest.iterdir()} <= _BACKUP_ENTRIES
    except FileNotFoundError:
        return True
    except OSError:  # not a folder, or unreadable: said by the write that follows
        return not dest.exists() or dest.is_dir()


def backup_archive(source: sqlite3.Connection, root: Path, dest: Path) -> BackupReport:
    """Back up the archive at `root` (its catalog open as `source`) into `dest`."""
    started = time.monotonic()
    dest = Path(dest)
    if dest.resolve() == Path(root).resolve() or Path(root).resolve() in dest.resolve().parents:
        raise BackupError(errno.EINVAL, f"thư mục đích {dest} nằm trong kho: hãy chọn một thư mục khác")
    if not _backup_or_empty(dest):
        raise BackupError(errno.EEXIST, f"thư mục đích {dest} chứa dữ liệu khác, không phải một bản sao lưu: "
                                        "hãy chọn một thư mục trống, hoặc thư mục của một lần sao lưu trước")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        (dest / MANIFEST).unlink(missing_ok=True)  # incomplete until this run writes it again
        _snapshot(source, dest / CATALOG)
    except (OSError, sqlite3.Error) as exc:
        raise _disk_reason(exc, dest) from exc
    version, docs, files = _counts(dest / CATALOG)
    report = BackupReport(str(dest), version, docs, files)
    for sha256, size, original in _named_originals(dest / CATALOG):
        if not sha256:
            report.damaged.append(original)
            continue
        target = dest / "originals" / sha256[:2] / sha256
        if _held(target, size):
            report.skipped += 1
            continue
        src = _original_path(Path(root), original)
        try:
            copied = _copy_verified(src, target, sha256) if src is not None and src.is_file() else None
        except OSError as exc:
            if exc.filename is not None and Path(exc.filename) == src:
                copied = None  # the source original is unreadable: reported, the backup goes on
            else:
                raise _disk_reason(exc, dest) from exc
        if copied is None:
            report.damaged.append(original)
        else:
            report.copied += 1
            report.bytes_copied += copied
    report.seconds = round(time.monotonic() - started, 3)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "catalog_version": version,
                "documents": docs, "files": files, "damaged": report.damaged,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        _write_atomic(dest / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        fsync_path(dest)
    except OSError as exc:
        raise _disk_reason(exc, dest) from exc
    return report


def _write_atomic(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    with open(part, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def read_manifest(src: Path) -> dict:
    """The manifest of the backup at `src`; `BackupError` when `src` is not a whole backup."""
    try:
        manifest = json.loads((Path(src) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not (Path(src) / CATALOG).is_file():
        raise BackupError(errno.EINVAL, f"{src} không phải một bản sao lưu trọn vẹn của congvan "
                                        f"(thiếu {MANIFEST} hoặc {CATALOG})")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(errno.EINVAL, f"bản sao lưu {src} do phiên bản congvan mới hơn tạo ra: hãy cập nhật congvan")
    return manifest


def restore_files(src: Path, work: Path) -> RestoreReport:
    """Copy the catalog and the originals of the backup at `src` into the new folder `work`,
    each original verified by its hash. The full-text index is left to the caller."""
    started = time.monotonic()
    src, work = Path(src), Path(work)
    read_manifest(src)
    version, docs, files = _counts(src / CATALOG)
    report = RestoreReport(str(work), docs, files)
    source = sqlite3.connect(f"file:{quote(str((src / CATALOG).resolve()))}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in source.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            raise BackupError(errno.EINVAL, f"danh mục trong bản sao lưu {src} bị hỏng: "
                                            f"{'; '.join(map(str, rows[:3]))}")
        try:
            (work / "originals").mkdir(parents=True)
            _snapshot(source, work / CATALOG)
        except (OSError, sqlite3.Error) as exc:
            raise _disk_reason(exc, work) from exc
    finally:
        source.close()
    for sha256, _size, original in _named_originals(work / CATALOG):
        target = _original_path(work, original)
        held = src / "originals" / sha256[:2] / sha256
        if target is None or not sha256:
            raise BackupError(errno.EINVAL, "danh mục trong bản sao lưu có dòng hỏng (mã sha256 sai, "
                                            f"hoặc bản gốc ngoài thư mục originals): {original}")
        try:
            copied = _copy_verified(held, target, sha256) if held.is_file() else None
        except OSError as exc:
            if exc.filename is not None and Path(exc.filename) == held:
                copied = None
            else:
                raise _disk_reason(exc, work) from exc
        if copied is None:
            raise BackupError(errno.EINVAL, f"bản sao lưu {src} thiếu hoặc hỏng bản gốc {sha256[:12]}… "
                                            f"({original}): không khôi phục được trọn vẹn")
    fsync_path(work)
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _empty_or_absent(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False


def restore_archive(src: Path, folder: Path, build_index: Callable[[Path], int]) -> RestoreReport:
    """Make a working archive in `folder` (absent or empty) from the backup at `src`.

    It is built in a hidden sibling folder, its index made there by `build_index(work)` (which
    returns the documents indexed), then renamed into place: `folder` is either left as it was
    or holds the whole archive, never half of one."""
    src, folder = Path(src), Path(folder)
    if not _empty_or_absent(folder):
        raise BackupError(errno.EEXIST, f"thư mục {folder} không trống: chỉ khôi phục vào một thư mục mới "
                                        "hoặc trống, để không ghi đè lên dữ liệu đang có")
    read_manifest(src)  # before anything is made
    started = time.monotonic()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _disk_reason(exc, folder) from exc
    work = folder.parent / f".{folder.name}.restoring-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        report = restore_files(src, work)
        report.indexed = build_index(work)
        if folder.exists():
            folder.rmdir()  # empty, as checked above
        os.replace(work, folder)
        fsync_path(folder.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.dir = str(folder)
    report.seconds = round(time.monotonic() - started, 3)
    return report
