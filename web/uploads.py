"""The ingest page's upload.

- Bounded: a place among `IngestQueue.max_active` uploads is taken before the body is read
  (a quick 503 when there is none); the body is counted as it arrives, so the size limit holds
  whatever `Content-Length` says or when it is missing (chunked), and the connection is closed
  on a 413 instead of reading the rest.
- Streamed: the multipart parser spools each file to a temporary file (at most 1 MB of it in
  memory), which is then copied in chunks into the archive's `uploads/` folder; no file is
  ever held whole in memory.
- Kept: a batch's files stay in `uploads/<time>-<batch>/<n>/<name>`, the path recorded for
  them, so that `congvan check --repair` can restore an original from it; each record's
  `source` holds the name as uploaded (sanitised) and who sent it (the client's address).
- Queued: ingest happens in `web/writer.py`'s thread; the request waits for it a while, then
  answers with a link to the batch's report."""
from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from index.archive import SUPPORTED
from web import auth, csrf
from web.writer import IngestQueue, Job

MAX_FILES = 50
COPY_CHUNK = 1 << 20
# How long a request waits for its batch to be ingested before answering "queued" with a link:
# a browser request should not hang for the length of another writer's batch.
REPLY_WAIT = 30.0
UPLOADS = "uploads"  # folder inside the archive


def safe_name(name: str | None, n: int) -> str:
    """A file name with no folders and no odd characters; Vietnamese letters are kept."""
    base = unicodedata.normalize("NFC", Path((name or "").replace("\\", "/")).name)
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .") or f"tep-{n}"
    # shortened within the stem, so a long name keeps its suffix (the format), and to 240 bytes
    # of UTF-8: a file system takes 255 bytes in a name, and a Vietnamese letter may take 3
    stem, suffix = (base[: -len(Path(base).suffix)], Path(base).suffix) if Path(base).suffix else (base, "")
    if len(suffix.encode("utf-8")) > 16:  # not a format's suffix: part of the name
        stem, suffix = base, ""
    stem = stem.encode("utf-8")[: 240 - len(suffix.encode("utf-8"))].decode("utf-8", "ignore")
    return (stem.rstrip(" .") or f"tep-{n}") + suffix


@dataclass
class Outcome:
    status: int
    report: dict | None = None
    message: str | None = None
    job: Job | None = None          # a batch still waiting for the writer
    close: bool = False             # close the connection: the rest of the body is not wanted


class TooLarge(Exception):
    pass


class _CountedReceive:
    """The request body's messages, counted as they arrive; past `limit` bytes, `TooLarge`."""

    def __init__(self, receive, limit: int):
        self.receive, self.limit, self.count = receive, limit, 0

    async def __call__(self):
        message = await self.receive()
        if message["type"] == "http.request":
            self.count += len(message.get("body", b""))
            if self.count > self.limit:
                raise TooLarge
        return message


def _too_large(max_bytes: int) -> Outcome:
    return Outcome(413, message=f"Tệp gửi lên quá lớn (tối đa {max_bytes / 2**20:g} MB mỗi lần).", close=True)


def busy() -> Outcome:
    return Outcome(503, close=True, message=("Kho đang bận: đang có nhiều tệp chờ nhập. Tệp chưa được nhận; "
                                             "xin gửi lại sau ít phút."))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "không rõ"


def _save(files: list[tuple[UploadFile, str]], folder: Path) -> dict[str, str]:
    """Copy each spooled upload into its own folder (equal names do not collide), in chunks."""
    names: dict[str, str] = {}
    for n, (f, name) in enumerate(files):
        target = folder / str(n) / name
        target.parent.mkdir(parents=True)
        f.file.seek(0)
        with open(target, "wb") as out:
            shutil.copyfileobj(f.file, out, COPY_CHUNK)
        names[str(target)] = name
    return names


async def handle(request: Request, queue: IngestQueue, tokens: csrf.CsrfTokens, max_bytes: int) -> Outcome:
    if not queue.reserve():
        return busy()
    submitted = False
    try:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            return _too_large(max_bytes)
        counted = Request(request.scope, _CountedReceive(request.receive, max_bytes))
        try:
            form = await counted.form(max_files=MAX_FILES, max_fields=10)
        except TooLarge:
            return _too_large(max_bytes)
        except MultiPartException as exc:
            return Outcome(400, message=f"Không đọc được dữ liệu gửi lên ({exc}).")
        try:
            token = form.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
            if not tokens.valid(request.cookies.get(csrf.COOKIE), token if isinstance(token, str) else None):
                return Outcome(403, message=("Biểu mẫu đã hết hạn hoặc không đến từ trang này. "
                                             "Xin mở lại trang Nhập văn bản và gửi lại."))
            uploads = [f for f in form.getlist("tep") if isinstance(f, UploadFile) and f.filename]
            if not uploads:
                return Outcome(400, message="Chưa chọn tệp nào để nhập.")
            kept, rejected = [], []
            for n, f in enumerate(uploads):
                name = safe_name(f.filename, n)
                if Path(name).suffix.lower() in SUPPORTED:
                    kept.append((f, name))
                else:
                    rejected.append({"path": name, "error": "định dạng không hỗ trợ (chỉ nhận PDF, DOCX, TXT, MD)"})
            if not kept:
                return Outcome(200, report={"ingested": [], "unchanged": [], "duplicates": [], "failed": rejected})
            stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
            folder = Path(queue.root) / UPLOADS / f"{stamp}-{secrets.token_hex(4)}"
            try:
                names = await run_in_threadpool(_save, kept, folder)
            except OSError as exc:  # disk full, a read-only archive: said in one line, nothing half kept
                shutil.rmtree(folder, ignore_errors=True)
                return Outcome(500, message=f"Không lưu được tệp vào kho ({exc.strerror or exc}).")
        finally:
            await form.close()
        sender = client_address(request)
        provenance = {p: {"uploaded_name": name, "uploaded_by": sender} for p, name in names.items()}
        job = queue.submit(Job(names=names, provenance=provenance, rejected=rejected))
        submitted = True  # its place is the writer's to release now
        with contextlib.suppress(Exception):  # the files are queued already: a log error must not hide that
            await run_in_threadpool(auth.note, request, "upload", ", ".join(names.values()))
    finally:
        if not submitted:
            queue.release()
    return await wait_for(job)


async def wait_for(job: Job, timeout: float | None = None) -> Outcome:
    """The batch's report if it is ingested within `timeout` s, else the batch to show as queued."""
    if not job.done and timeout == 0:
        return Outcome(202, job=job)
    try:
        report = job.future.result() if job.done else await asyncio.wait_for(
            asyncio.shield(asyncio.wrap_future(job.future)), REPLY_WAIT if timeout is None else timeout)
    except TimeoutError:
        return Outcome(202, job=job)
    except Exception as exc:  # the writer's failure, told in one line
        return Outcome(500, message=f"Nhập không thành công: {type(exc).__name__}: {str(exc)[:200]}")
    return Outcome(200, report=finished_report(job, report))


def finished_report(job: Job, report: dict) -> dict:
    return {**report, "failed": report["failed"] + job.rejected}
