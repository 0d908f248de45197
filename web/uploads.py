"""The ingest page's upload: files saved under safe names in a temporary folder, ingested
with the same `Archive.ingest` as `congvan ingest`, and the same report given back."""
from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from index.lock import ArchiveBusy
from ingest import SUPPORTED

MAX_FILES = 50
# An upload queues this long behind another writer (a `congvan ingest` in a terminal) before the
# user is told to come back: a browser request should not hang for the length of a batch.
BUSY_WAIT = 60.0


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


async def handle(request: Request, archives, max_bytes: int) -> tuple[dict | None, int, str | None]:
    """Returns (report, status, error message). The report is `IngestReport.to_dict()` with
    each path given back as the name the user uploaded."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        return None, 411, "Trình duyệt không cho biết kích thước tệp; xin gửi lại."
    if int(length) > max_bytes:
        return None, 413, f"Tệp gửi lên quá lớn (tối đa {max_bytes // 2**20} MB mỗi lần)."
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    files = [f for f in form.getlist("tep") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return None, 400, "Chưa chọn tệp nào để nhập."
    with tempfile.TemporaryDirectory(prefix="congvan-upload-") as tmp:
        names: dict[str, str] = {}
        rejected = []
        for n, f in enumerate(files):
            name = safe_name(f.filename, n)
            if Path(name).suffix.lower() not in SUPPORTED:
                rejected.append({"path": name, "error": "định dạng không hỗ trợ (chỉ nhận PDF, DOCX, TXT, MD)"})
                continue
            folder = Path(tmp) / str(n)  # one folder per file: equal names do not collide
            folder.mkdir()
            target = folder / name
            target.write_bytes(await f.read())
            names[str(target)] = name
        await form.close()

        def run() -> dict:
            report = archives.get().ingest(list(names), workers=1, wait=BUSY_WAIT).to_dict()
            for rows in report.values():
                for row in rows:
                    row["path"] = names.get(row["path"], row["path"])
            return report

        try:
            report = await run_in_threadpool(run) if names else {"ingested": [], "unchanged": [], "duplicates": [],
                                                                  "failed": []}
        except ArchiveBusy:
            return None, 503, ("Kho đang bận: một lần nhập khác đang ghi vào kho. Tệp chưa được nhập; "
                               "xin gửi lại sau khi lần nhập đó xong.")
    report["failed"] += rejected
    return report, 200, None
