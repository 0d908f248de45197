"""`congvan watch`: a folder the office drops its letters into, ingested as files arrive.

Built on `watchdog`: inotify where the kernel offers it, polling otherwise (or with `poll`,
for network shares, whose changes inotify does not see). A file is read once it has stopped
growing: its size and modification time the same over `interval` seconds (a copy in
progress, a scanner writing page by page, a temporary file renamed into place are all
caught by that). Files are only read, through `Archive.ingest`: never moved, changed or
deleted. The catalog knows what it holds by content hash, so on start every file present
is offered once and what is already held is passed over in silence: the watcher survives
restarts without a state file of its own. Each file gives one line of log; a bad file gives
its reason and the rest go on. SIGTERM or SIGINT stop it after the batch being read
(a second SIGINT abandons that batch: an ingest stopped midway leaves whole files or none).
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from index.catalog import ArchiveBusy
from ingest import SUPPORTED

if TYPE_CHECKING:
    from index.archive import Archive

BATCH = 4           # files ingested in one call: a stop waits for at most this many
RESCAN = 300.0      # seconds between two looks over the whole tree (events can be lost: a full inotify queue)
RETRY = 5           # intervals before files that could not be stored (a busy archive, a full disk) are tried again
Signature = tuple[int, int]  # size, mtime in ns


def wanted(path: Path) -> bool:
    """A file the archive reads (`.pdf`, `.docx`, `.txt`, `.md`), not a hidden or temporary one
    (`.~lock…`, `scan.pdf.part`, `.tmp123`): those are ignored until renamed into place."""
    return path.suffix.lower() in SUPPORTED and not path.name.startswith((".", "~$"))


def signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not os.path.isfile(path) or os.path.islink(path):
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class Pending:
    """Files seen to change and not yet read: the signature last seen, and since when."""
    seen: dict[Path, tuple[Signature | None, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def touch(self, path: Path) -> None:
        with self.lock:
            self.seen[path] = (None, 0.0)  # a new event restarts the wait

    def ready(self, interval: float, now: float) -> list[Path]:
        """The files whose signature has stayed the same for INTERVAL seconds (removed from
        the pending set); the others have their signature noted."""
        out = []
        with self.lock:
            for path, (last, since) in list(self.seen.items()):
                sig = signature(path)
                if sig is None:
                    del self.seen[path]  # gone, renamed away, or a folder
                elif sig != last:
                    self.seen[path] = (sig, now)
                elif now - since >= interval:
                    del self.seen[path]
                    out.append(path)
        return sorted(out)

    def __len__(self) -> int:
        return len(self.seen)


class _Events(FileSystemEventHandler):
    def __init__(self, pending: Pending, keep: Callable[[Path], bool], scan: Callable[[Path], None]):
        self.pending, self.keep, self.scan = pending, keep, scan

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "modified", "moved", "closed", "attrib"):
            return
        path = Path(os.fsdecode(event.dest_path if event.event_type == "moved" else event.src_path))
        if event.is_directory:
            if event.event_type in ("created", "moved"):
                self.scan(path)  # a folder copied or moved in: its files may have come before the watch
            return
        if self.keep(path):
            self.pending.touch(path)


def files_under(folders: Iterable[Path], keep: Callable[[Path], bool]) -> Iterable[Path]:
    for folder in folders:
        for top, dirs, names in os.walk(folder):  # symbolic links to folders are not followed
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(top) / name
                if keep(path):
                    yield path


def _observer(folders: list[Path], handler: FileSystemEventHandler, poll: bool, interval: float,
              log: Callable[[str], None]):
    if not poll:
        observer = Observer()
        try:
            for folder in folders:
                observer.schedule(handler, str(folder), recursive=True)
            observer.start()
            return observer
        except OSError as exc:  # no inotify, or its limit of watches reached
            log(f"không dùng được inotify ({exc.strerror or exc}): dò thay đổi theo chu kỳ {interval:g} giây")
    observer = PollingObserver(timeout=interval)
    for folder in folders:
        observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    return observer


class _Stop:
    """SIGTERM or SIGINT: stop after the current batch; a second SIGINT: at once."""

    def __init__(self, event: threading.Event, log: Callable[[str], None]):
        self.event, self.log, self.saved = event, log, {}

    def __enter__(self) -> _Stop:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self.saved[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, _frame) -> None:
        if self.event.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if not self.event.is_set():
            self.log("nhận tín hiệu dừng: đọc xong tệp đang đọc rồi dừng")
        self.event.set()

    def __exit__(self, *exc) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def watch(archive: Archive, folders: list[Path], interval: float = 2.0, poll: bool = False, ocr: str = "auto",
          log: Callable[[str], None] = print, stop: threading.Event | None = None, workers: int = 1,
          rescan: float = RESCAN) -> int:
    """Watch FOLDERS and ingest into ARCHIVE until STOP is set (or SIGTERM/SIGINT); returns
    the number of files ingested."""
    stop = stop or threading.Event()
    archive.must_write()  # a read-only archive: say so once, rather than fail every round
    archive_root = archive.root.resolve()
    roots = [f.resolve() for f in folders]

    def keep(path: Path) -> bool:
        if not wanted(path):
            return False
        try:
            parents = path.resolve().parents
        except OSError:
            return False
        # inside a watched folder (a file moved out is not followed), not the archive's own files
        return any(r in parents for r in roots) and archive_root not in parents

    pending = Pending()
    done: dict[Path, Signature] = {}   # what this run has read or passed over, as it was then
    quiet: set[Path] = set()           # found by a scan: silent when the archive holds it already

    def scan(folder_list: Iterable[Path]) -> None:
        for path in files_under(folder_list, keep):
            if path not in done or done[path] != signature(path):
                quiet.add(path)
                pending.touch(path)

    with _Stop(stop, log):
        observer = _observer(folders, _Events(pending, keep, lambda p: scan([p])), poll, interval, log)
        log(f"theo dõi {', '.join(str(f) for f in folders)} (chờ tệp đứng yên {interval:g} giây); "
            "Ctrl+C hoặc SIGTERM để dừng")
        ingested, held, last_scan = 0, 0, time.monotonic()
        try:
            scan(folders)  # what came while the watcher was stopped
            while not stop.is_set():
                now = time.monotonic()
                if now - last_scan >= rescan:
                    scan(folders)
                    last_scan = now
                ready = [p for p in pending.ready(interval, now) if done.get(p) != signature(p)]
                for start in range(0, len(ready), BATCH):
                    if stop.is_set():
                        break
                    batch = ready[start:start + BATCH]
                    sigs = {p: signature(p) for p in batch}
                    n, kept = _ingest(archive, batch, ocr, workers, log, quiet, RETRY * interval)
                    if n < 0:  # not stored: every file waits, and the next try is later
                        for p in ready[start:]:
                            pending.touch(p)
                        stop.wait(RETRY * interval)
                        break
                    ingested += n
                    held += kept
                    for p in batch:
                        if sigs[p] is not None and p not in pending.seen:
                            done[p] = sigs[p]
                        quiet.discard(p)
                if held and not pending:
                    log(f"{held} tệp đã có trong kho từ trước")
                    held = 0
                stop.wait(min(0.5, interval / 2))
        finally:
            observer.stop()
            observer.join(timeout=5)
        log(f"đã dừng; lần chạy này nhập {ingested} tệp")
    return ingested


def _ingest(archive: Archive, batch: list[Path], ocr: str, workers: int, log: Callable[[str], None],
            quiet: set[Path], retry: float) -> tuple[int, int]:
    """Ingest BATCH; one line per file. Returns (files ingested, files already held passed
    over in silence); (-1, 0) when nothing could be stored (a busy archive, a full disk)."""
    try:
        report = archive.ingest([str(p) for p in batch], workers=workers, ocr=ocr, wait=5.0)
    except ArchiveBusy:
        log(f"kho đang bận (một lệnh khác đang ghi): thử lại sau {retry:g} giây")
        return -1, 0
    except Exception as exc:  # a full disk: say so, keep watching, try again later
        log(f"không ghi được vào kho ({type(exc).__name__}: {str(exc)[:160]}): thử lại sau {retry:g} giây")
        return -1, 0
    copies = {}
    for d in report.duplicates:
        copies.setdefault(d["path"], d)
    for row in report.ingested:
        codes = [c for c in (_code(archive, i) for i in row["ids"]) if c]
        what = f"{len(row['ids'])} văn bản" + (f" ({', '.join(codes[:3])}{'…' if len(codes) > 3 else ''})"
                                                if codes else "")
        dup = copies.get(row["path"])
        note = "; bản trùng của văn bản đã có" if dup and dup["relation"] in ("duplicate", "near-duplicate") else ""
        log(f"đã nhập: {row['path']}: {what}{note}")
    held = 0
    for row in report.unchanged:
        if Path(row["path"]) in quiet:
            held += 1
        else:
            log(f"không đổi: {row['path']} (nội dung đã có trong kho)")
    for row in report.failed:
        log(f"lỗi: {row['path']}: {row['error']}")
    return len(report.ingested), held


def _code(archive: Archive, doc_id: str) -> str | None:
    rec = archive.catalog.record(doc_id)
    return rec.code if rec else None
