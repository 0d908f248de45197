"""One writer per archive: an exclusive `flock` on `archive/writer.lock`.

`congvan ingest`, `reindex`, `check --repair` and `dedup --near/--series/--recheck` write;
they take this lock first. A second
writer does not queue silently: by default it stops at once with `ArchiveBusy`, a message
that names who is writing (`--wait SECONDS` makes it queue for that long instead). Readers
(`search`, `show`, `serve`) take it only to rebuild an index that lags the catalog: SQLite in
WAL mode and the engines' committed segments let them read the last committed state while a
writer works. The kernel drops the lock when its
holder dies, so a killed ingest never leaves the archive locked."""
from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "writer.lock"
_held: dict[tuple[str, int], int] = {}  # (lock path, thread) -> depth: a writer may nest its own writes
_guard = threading.Lock()
_fds: set[int] = set()  # descriptors holding a lock in this process


def close_inherited() -> None:
    """In a forked child: close the parent's lock descriptors (the parent keeps the lock), so
    a child that outlives its parent can never keep the archive locked."""
    for fd in list(_fds):
        try:
            os.close(fd)
        except OSError:
            pass
    _fds.clear()
    _held.clear()


class ArchiveBusy(RuntimeError):
    """Another process is writing to the archive."""


def holder(root: str | Path) -> str:
    """Who holds (or last held) the lock, as written into the lock file."""
    try:
        return (Path(root) / LOCK_NAME).read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


def holds(root: str | Path) -> bool:
    """Whether this thread holds the writer lock of the archive at `root`."""
    with _guard:
        return (str(Path(root).resolve() / LOCK_NAME), threading.get_ident()) in _held


@contextmanager
def writer_lock(root: str | Path, wait: float = 0.0, what: str = "congvan") -> Iterator[None]:
    """Hold the archive's writer lock; raise `ArchiveBusy` if it is not free within `wait` seconds."""
    path = str(Path(root).resolve() / LOCK_NAME)
    key = (path, threading.get_ident())
    with _guard:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ArchiveBusy(
                        f"the archive {Path(root)} is busy: {holder(root)} is writing to it; "
                        "try again when it has finished, or pass --wait SECONDS to queue") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{what} (pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')})\n".encode(), 0)
        with _guard:
            _held[key] = 1
            _fds.add(fd)
        try:
            yield
        finally:
            with _guard:
                _held.pop(key, None)
                _fds.discard(fd)
    finally:
        os.close(fd)  # closing the descriptor releases the lock
