"""Reading files in worker processes that a bad file cannot take down with the batch.

Each file is read (`ingest.extract`) and parsed (`nlp.parse`) in a worker process with
bounded time and memory:

- time: the parent gives every file `Limits.timeout` seconds; past that it kills the worker's
  whole process group (the worker and any Tesseract it started) and starts a fresh worker;
- memory: a worker may grow its address space by `Limits.memory_mb` beyond what it had when it
  started (`RLIMIT_AS`, inherited by Tesseract too); a decompression bomb then gets a
  `MemoryError` or dies, and either way only that file fails;
- size of text: more than `Limits.max_chars` characters in one file is refused before parsing
  (a 50 MB one-line text is not a letter, and indexing it would stall the single writer).

A worker that dies (a signal, the kernel's OOM killer, a crash in a C library) is replaced;
the file it was reading gets a one-line reason. Workers are forked, so they start in
milliseconds with everything already imported, and they die with the parent (SIGKILL of
`congvan ingest` leaves no orphans)."""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from index.catalog import close_inherited
from index.pipeline._cost_order import dearest_first, images
from index.pipeline._limits import SCAN_PAGE_SECONDS, Limits, time_limit
from ingest import IngestError, extract
from ingest import ocr as ocr_mod
from ingest.reader import TEXT_SUFFIXES
from nlp import parse

Result = tuple[str, list[dict] | None, str | None]  # (path, record dicts, one-line error)
# ... and what `prepare` made of the records in the worker (None without it, or if it failed)
Read = tuple[str, list[dict] | None, str | None, object]


def one_line(text: str, width: int = 240) -> str:
    """Reasons go into one-line reports: no newlines, bounded length."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out and len(out) < 10:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


def explain(exc: BaseException, memory_mb: int = 0) -> str:
    """A one-line reason, looking through wrapped exceptions (pdfplumber wraps pdfminer's,
    often with an empty message) for what actually went wrong."""
    chain = _chain(exc)
    names = " ".join(type(e).__name__ for e in chain)
    texts = " ".join(str(e) for e in chain).lower()
    if "Password" in names or "password" in texts:
        return "encrypted PDF: a password is needed to read it"
    if "MemoryError" in names or "allocate" in texts or "cannot allocate" in texts:
        return (f"needs more memory than the limit of {memory_mb} MB (a decompression bomb or huge pages?); "
                "raise it with --memory-mb or $CONGVAN_MEMORY_MB")
    if "excessive depth" in texts:
        return "too deeply nested to read (XML more than 256 levels deep)"
    if "RecursionError" in names:
        return "too deeply nested to read (RecursionError)"
    if isinstance(exc, IngestError) and not str(exc).rstrip().endswith(": )") and str(exc).strip():
        return one_line(exc)
    inner = next((e for e in reversed(chain) if str(e).strip()), chain[-1])
    prefix = str(exc).split("(")[0].strip() if isinstance(exc, IngestError) else "could not be read"
    return one_line(f"{prefix or 'could not be read'} ({type(chain[-1]).__name__}: {inner})")


def read_bounded(path: str, ocr: str = "auto", max_chars: int = 0, memory_mb: int = 0) -> Result:
    """Extract and parse one file; every failure becomes a one-line reason, never an exception."""
    try:
        if max_chars and Path(path).suffix.lower() in TEXT_SUFFIXES:
            size = Path(path).stat().st_size  # UTF-8 spends at most 4 bytes on a character
            if size // 4 > max_chars:
                return path, None, (f"too much text: a {size / 2**20:.1f} MB text file holds at least {size // 4:,} "
                                    f"characters, the limit is {max_chars:,} (--max-chars or $CONGVAN_MAX_CHARS)")
        docs = extract(path, ocr=ocr)
        chars = sum(len(d.text) for d in docs)
        if max_chars and chars > max_chars:
            return path, None, (f"too much text: {chars:,} characters, the limit is {max_chars:,} "
                                "(--max-chars or $CONGVAN_MAX_CHARS)")
        return path, [parse(d).to_dict() for d in docs], None
    except Exception as exc:  # MemoryError, RecursionError included: a hostile file must not stop the batch
        return path, None, explain(exc, memory_mb)


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL to this worker when the parent dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _address_space() -> int:
    """Current virtual memory size of this process in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    limit = _address_space() + memory_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# Reading and parsing files is background work: on a machine that also serves the page, people
# searching and reading come first (a lower CPU priority costs an idle machine nothing).
INGEST_NICENESS = 10


def _yield_to_readers() -> None:
    try:
        os.nice(INGEST_NICENESS)
    except OSError:  # not permitted here: the worker runs at the parent's priority
        pass


def _worker_main(conn: Connection, ocr: str, limits: Limits, busy=None, workers: int = 1,
                 prepare: Callable[[list[dict]], object] | None = None) -> None:
    close_inherited()  # the parent's writer lock must not outlive the parent in a worker
    if busy is not None:  # pages of a scan OCR'd in parallel on the cores idle workers leave
        ocr_mod.set_concurrency(lambda: max(1, workers // max(1, busy.value)))
    os.setpgrp()  # its own process group: a timeout kills the worker and its Tesseract together
    _yield_to_readers()
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _limit_memory(limits.memory_mb)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        path, recs, error = read_bounded(path, ocr, limits.max_chars, limits.memory_mb)
        extra = None
        if prepare is not None and recs:
            try:
                extra = prepare(recs)
            except Exception:  # the parent does the work itself: never a reason to fail the file
                extra = None
        try:
            conn.send((path, recs, error, extra))
        except (OSError, ValueError):
            return


def _death_reason(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = f"the reader process was killed by {name}"
    else:
        why = f"the reader process exited ({exitcode})"
    hint = f"the memory limit of {limits.memory_mb} MB (--memory-mb)" if limits.memory_mb else "the machine's memory"
    return f"{why}: the file needs more than {hint}, or crashed the PDF/DOCX library"


class _Worker:
    def __init__(self, ctx, ocr: str, limits: Limits, busy=None, workers: int = 1, prepare=None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, ocr, limits, busy, workers, prepare), daemon=True)
        self.proc.start()
        child.close()
        self.path: str | None = None
        self.started = 0.0
        self.limit = limits.timeout

    def give(self, path: str, limit: float) -> bool:
        try:
            self.conn.send(path)
        except (OSError, ValueError):
            return False
        self.path, self.started, self.limit = path, time.monotonic(), limit
        return True

    def kill(self) -> None:
        for target in (lambda s: os.killpg(self.proc.pid, s), lambda s: os.kill(self.proc.pid, s)):
            try:
                target(signal.SIGKILL)
            except (ProcessLookupError, PermissionError, TypeError):
                pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def read_files(paths: Iterable[str], ocr: str = "auto", limits: Limits | None = None,
               workers: int = 1, prepare: Callable[[list[dict]], object] | None = None) -> Iterator[Read]:
    """Read every path in worker processes; yield results as they finish (not in input order).
    With several workers the dearest files go first (`index.pipeline._cost_order`). `prepare` runs in the
    worker on each file's record dicts, so that work the caller would otherwise do alone in its
    one process (duplicate signatures) is spread over the workers; its result comes fourth."""
    limits = limits or Limits.from_env()
    todo = deque(paths)
    if not todo:
        return
    # each PDF's images counted once, for the batch's order and for each file's time limit
    scans = {p: images(p) for p in todo} if workers > 1 or (limits.timeout > 0 and ocr != "never") else {}
    if workers > 1:
        todo = deque(dearest_first(list(todo), scans))

    def limit_of(path: str) -> float:
        return time_limit(path, limits, ocr, scans.get(path, 0))
    ctx = mp.get_context("fork")
    n = max(1, min(workers, len(todo)))
    busy_count = ctx.Value("i", 0, lock=False)  # workers holding a file; written by this process only
    pool: list[_Worker] = []
    try:
        while todo or any(w.path for w in pool):
            for w in [w for w in pool if not w.path and not w.proc.is_alive()]:
                w.kill()
                pool.remove(w)
            while len(pool) < n and todo:
                pool.append(_Worker(ctx, ocr, limits, busy_count, n, prepare))
            for w in pool:
                while w.path is None and todo:
                    if w.give(todo[0], limit_of(todo[0])):
                        todo.popleft()
                    else:  # died while idle: replace it, the file is not to blame
                        w.kill()
                        pool[pool.index(w)] = w = _Worker(ctx, ocr, limits, busy_count, n, prepare)
            busy = [w for w in pool if w.path]
            busy_count.value = len(busy)
            wait_for = None
            if limits.timeout > 0:
                now = time.monotonic()
                wait_for = max(0.0, min(w.started + w.limit - now for w in busy))
            ready = wait([w.conn for w in busy], timeout=wait_for)
            for w in busy:
                if w.conn in ready:
                    path = w.path
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(5)
                        result = (path, None, _death_reason(w.proc.exitcode, limits), None)
                        w.kill()
                        pool.remove(w)
                    w.path = None
                    # the next file first: the worker reads it while the caller stores this one
                    if w in pool and todo and w.give(todo[0], limit_of(todo[0])):
                        todo.popleft()
                    yield result
                elif limits.timeout > 0 and time.monotonic() - w.started >= w.limit:
                    path, limit = w.path, w.limit
                    w.kill()
                    pool.remove(w)
                    extra = "" if limit == limits.timeout else \
                        f", {limits.timeout:g} s and {SCAN_PAGE_SECONDS:g} s for each scanned page"
                    yield path, None, (f"took longer than the limit of {limit:g} s to read{extra} "
                                       "(--timeout or $CONGVAN_TIMEOUT)"), None
    finally:
        for w in pool:
            if w.path:
                w.kill()
            else:
                w.stop()
