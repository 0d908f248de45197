"""Uploads wait for the archive's writer here, never in a request's thread.

One background thread ingests the uploaded batches one after another with its own `Archive`,
waiting as long as it takes for another writer (a `congvan ingest` in a terminal) to finish.
A request only awaits its batch's future, which holds no thread of the pool that searches
run in, so a queue of uploads cannot starve the page. The number of uploads at once (being
received or waiting here) is bounded: beyond it a request is told at once that the archive
is busy."""
from __future__ import annotations

import queue
import secrets
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from index.archive import Archive, ArchiveBusy

MAX_ACTIVE = 4       # uploads received or waiting for the writer at once
KEEP_FINISHED = 50   # finished batches whose report `/nhap?lan=…` can still show
LOCK_POLL = 1.0      # seconds per attempt at the writer lock, so that a stop is noticed


@dataclass
class Job:
    """One upload's batch: `names` maps each saved path to the name the user uploaded."""

    names: dict[str, str]
    provenance: dict[str, dict]
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    queued_at: float = field(default_factory=time.time)
    future: Future = field(default_factory=Future)  # the report dict, or an exception
    rejected: list[dict] = field(default_factory=list)  # files refused before ingest (their format)

    @property
    def done(self) -> bool:
        return self.future.done()


class IngestQueue:
    def __init__(self, root: str | Path, max_active: int = MAX_ACTIVE):
        self.root = Path(root).resolve()  # uploads are recorded by absolute path, whatever the cwd of `check`
        self.max_active = max_active
        self._active = 0
        self._lock = threading.Lock()
        self._todo: queue.Queue[Job | None] = queue.Queue()
        self._jobs: dict[str, Job] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the bound on uploads at once --------------------------------------------------
    def reserve(self) -> bool:
        """A place for one more upload, or False when `max_active` are already under way."""
        with self._lock:
            if self._active >= self.max_active:
                return False
            self._active += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._active = max(0, self._active - 1)

    # -- the queue ---------------------------------------------------------------------
    def submit(self, job: Job) -> Job:
        """Queue a batch whose place was reserved; its place is released when it is done."""
        self._start()
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.done]
            for old in sorted(finished, key=lambda j: j.queued_at)[:max(0, len(finished) - KEEP_FINISHED)]:
                del self._jobs[old.id]
        self._todo.put(job)
        return job

    def job(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="congvan-upload-writer", daemon=True)
                self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """At shutdown: batches not yet ingested stay in the upload folder, unrecorded."""
        self._stop.set()
        self._todo.put(None)
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        archive = Archive(self.root)  # SQLite connections stay in the thread that opened them
        try:
            while not self._stop.is_set():
                job = self._todo.get()
                if job is None:
                    break
                try:
                    job.future.set_result(self._ingest(archive, job))
                except BaseException as exc:  # the page says what went wrong; the thread goes on
                    job.future.set_exception(exc)
                finally:
                    self.release()
        finally:
            archive.close()
            while True:  # what was still queued at a stop is answered, not left hanging
                try:
                    job = self._todo.get_nowait()
                except queue.Empty:
                    break
                if job is not None and not job.done:
                    job.future.set_exception(ArchiveBusy("the server stopped before this upload was ingested"))

    def _ingest(self, archive: Archive, job: Job) -> dict:
        while True:
            try:
                report = archive.ingest(list(job.names), workers=1, wait=LOCK_POLL,
                                        provenance=job.provenance).to_dict()
                break
            except ArchiveBusy:
                if self._stop.is_set():
                    raise
        for row in report["failed"]:  # nothing refers to a file that was not ingested: do not keep it
            if row["path"] in job.names:
                Path(row["path"]).unlink(missing_ok=True)
        for rows in report.values():
            for row in rows:
                row["path"] = job.names.get(row["path"], row["path"])
        return report
