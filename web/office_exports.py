"""The office's downloads on the page: the search results as CSV or XLSX ("Tải kết quả"), and
the sổ đăng ký văn bản đến / đi of a year ("Sổ đăng ký"). Each handler reads the app's state
(`archives`, `templates`) and does the archive's work in the thread pool, with that thread's
own `Archive` (SQLite connections may not cross threads)."""
from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from index.archive import DIRECTIONS, MAX_EXPORT, MEDIA_TYPES, OfficeError, QueryError
from web import auth, service
from web.present import parse_vn_date

DOWNLOADS = ("csv", "xlsx")
REGISTER_NAMES = {"in": "Sổ đăng ký văn bản đến", "out": "Sổ đăng ký văn bản đi"}
FIRST_YEAR = 1945


def _download(data: bytes, fmt: str, name: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{name}.{fmt}"',
                             "cache-control": "no-store"})


def _message(request: Request, status: int, title: str, message: str) -> Response:
    return request.app.state.templates.TemplateResponse(request, "error.html", {"title": title, "message": message},
                                                        status_code=status)


async def search_download(request: Request) -> Response:
    """`/tai-ket-qua?…`: the search of the page's query and filters (its own parameters), every
    hit up to `MAX_EXPORT`, as `dinh_dang` = csv or xlsx."""
    qp = request.query_params
    fmt = qp.get("dinh_dang") or "csv"
    q = (qp.get("q") or "").strip()[:300]
    if fmt not in DOWNLOADS or not q:
        return _message(request, 400, "Không tải được kết quả", "Xin tìm kiếm trước, rồi chọn tải CSV hoặc XLSX.")
    since = parse_vn_date((qp.get("tu_ngay") or "")[:100])
    until = parse_vn_date((qp.get("den_ngay") or "")[:100], end=True)
    filters = {"doc_type": (qp.get("loai") or "").strip()[:100] or None,
               "issuer": (qp.get("co_quan") or "").strip()[:100] or None, "since": since, "until": until,
               "sort": "date" if qp.get("sap_xep") == "ngay" else "score"}

    def work() -> bytes:
        auth.note(request, "download", f"{fmt}: {q}")
        return service.archive_for(request).export_search(q, fmt, limit=MAX_EXPORT, **filters)

    try:
        data = await run_in_threadpool(work)
    except QueryError as exc:  # a query the parser cannot read: its message says why
        return _message(request, 400, "Không tải được kết quả", str(exc))
    return _download(data, fmt, "ket-qua-tim-kiem")


def _year(text: str | None) -> int | None:
    try:
        year = int((text or "").strip())
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= dt.date.today().year + 1 else None


async def register_page(request: Request) -> Response:
    """`/so-dang-ky`: choose the year and the register; the office the archive keeps them for."""
    qp = request.query_params
    year = _year(qp.get("nam")) or dt.date.today().year
    direction = qp.get("so") if qp.get("so") in DIRECTIONS else "in"

    def work():
        archive = service.archive_for(request)
        office = archive.office()
        book = archive.register(direction, year) if office else None
        return office, book

    office, book = await run_in_threadpool(work)
    context = {"active": "register", "year": year, "direction": direction, "office": office, "book": book,
               "names": REGISTER_NAMES, "years": range(dt.date.today().year + 1, FIRST_YEAR - 1, -1)[:30]}
    return request.app.state.templates.TemplateResponse(request, "register.html", context)


async def register_download(request: Request) -> Response:
    """`/so-dang-ky/tai?nam=2025&so=in&dinh_dang=xlsx`: the register as a file."""
    qp = request.query_params
    year, direction, fmt = _year(qp.get("nam")), qp.get("so"), qp.get("dinh_dang") or "xlsx"
    if year is None or direction not in DIRECTIONS or fmt not in DOWNLOADS:
        return _message(request, 400, "Không tải được sổ", "Xin chọn năm, sổ (đến hoặc đi) và định dạng (CSV, XLSX).")

    def work() -> bytes:
        auth.note(request, "download", f"sổ {direction} {year} ({fmt})")
        return service.archive_for(request).register(direction, year).render(fmt)

    try:
        data = await run_in_threadpool(work)
    except OfficeError as exc:
        return _message(request, 409, "Chưa đặt cơ quan", str(exc))
    return _download(data, fmt, f"so-{'den' if direction == 'in' else 'di'}-{year}")
