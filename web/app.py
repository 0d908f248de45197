"""Routes of the web page. Every handler is a module-level function that reads what it needs
from `request.app.state` (set by `create_app`); the plain ones run in Starlette's thread pool,
each with the calling thread's own `Archive` (see `service.Archives`)."""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from index.archive import Paging, code_key
from web import admin, auth, csrf, entities, guard, office_exports, service, uploads
from web import deadlines as due
from web import signatures as signature_view
from web.present import parse_vn_date, safe_snippet, thousands, vn_date
from web.writer import IngestQueue

HERE = Path(__file__).parent
MAX_QUERY = 300            # characters in the search box
MAX_UPLOAD = 25 * 2**20    # bytes in one upload request
DOC_TYPES = ["Công văn", "Kết luận", "Nghị quyết", "Chỉ thị", "Quyết định", "Quy định", "Thông tư",
             "Nghị định", "Hướng dẫn", "Thông báo", "Kế hoạch", "Báo cáo", "Tờ trình", "Chương trình",
             "Đề án", "Luật"]
FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "text": "text/plain; charset=utf-8"}
RELATIONS = {"duplicate": "Trùng lặp", "near-duplicate": "Gần trùng", "series": "Cùng loạt",
             "conflict": "Trùng số, khác nội dung"}
ACTIVE_NAMES = {"javascript": "mã JavaScript", "attachments": "tệp đính kèm", "launch": "lệnh chạy chương trình"}
FACET_NAMES = {"doc_type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm ban hành"}


class SecurityHeaders:
    """Pages may load only what the app itself serves; nothing is framed or sniffed."""

    CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
           "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", self.CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def doc_url(doc_id: str) -> str:
    return f"/van-ban/{quote(doc_id, safe='')}"


def cite_url(code: str) -> str:
    return "/trich-dan?" + urlencode({"ma": code})


def trace_url(code: str, group: str | None = None, offset: int = 0, depth: int | None = None) -> str:
    """The trace page of CODE; with `group`, one group of its citers from `offset` on."""
    params = {"ma": code, **({"nhom": group} if group else {}), **({"tu": offset} if offset else {}),
              **({"sau": depth} if depth else {})}
    return "/truy-vet?" + urlencode(params)


def _page(request: Request, name: str, status: int = 200, **context) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, status: int, title: str, message: str) -> Response:
    return _page(request, "error.html", status=status, title=title, message=message)


def _typed(request: Request, name: str, limit: int = 100) -> str:
    """A query parameter as typed, trimmed and bounded."""
    return (request.query_params.get(name) or "").strip()[:limit]


def _number(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole-number query parameter within [low, high]; `default` when it is not a number."""
    try:
        n = int(request.query_params.get(name) or default)
    except ValueError:
        return default
    return max(low, n if high is None else min(n, high))


def search_page(request: Request) -> Response:
    qp = request.query_params
    q = (qp.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        return _error(request, 400, "Câu tìm kiếm quá dài",
                      f"Xin rút gọn câu tìm kiếm (tối đa {MAX_QUERY} ký tự).")
    archive = service.archive_for(request)
    typed = {k: _typed(request, k) for k in ("loai", "co_quan", "tu_ngay", "den_ngay", "chu_ky")}
    since, until = parse_vn_date(typed["tu_ngay"]), parse_vn_date(typed["den_ngay"], end=True)
    problems = [f"Không hiểu ngày “{typed[k]}”: xin gõ theo dạng dd/mm/yyyy."
                for k, v in (("tu_ngay", since), ("den_ngay", until)) if typed[k] and not v]
    page_no = _number(request, "trang", 1, 1, 1000)
    sort = "date" if qp.get("sap_xep") == "ngay" else "relevance"
    context = dict(q=q, typed=typed, sort=sort, problems=problems, result=None, count=archive.count())
    signed = signature_view.signed_filter(typed["chu_ky"])
    if q or signed:  # a signature filter alone lists its letters
        if page_no == 1 and not any(typed.values()) and (target := service.open_by_code(archive, q)):
            kind, value = target
            # the typed code goes along, so that the page can offer the other letters it names
            href = doc_url(value) + "?" + urlencode({"ma": q}) if kind == "doc" else cite_url(value)
            return RedirectResponse(href, status_code=303)
        auth.note(request, "search", q)
        form = service.SearchForm(q=q, doc_type=typed["loai"] or None, issuer=typed["co_quan"] or None,
                                  since=since, until=until, sort=sort, page=page_no, signed=signed)
        try:
            context["result"] = service.search(archive, form)
        except Exception:  # a query the parser cannot read: say so rather than fail
            context["problems"].append("Không đọc được câu tìm kiếm; xin bỏ bớt ký tự đặc biệt.")
        context["page_no"] = page_no
        base = {"q": q, **{k: v for k, v in typed.items() if v}}
        if sort == "date":
            base["sap_xep"] = "ngay"
        context["link"] = lambda **kw: "/?" + urlencode({**base, **kw})
    return _page(request, "search.html", **context)


def document_page(request: Request) -> Response:
    archive = service.archive_for(request)
    rec = archive.record(request.path_params["doc_id"])
    auth.note(request, "open", request.path_params["doc_id"])
    if rec is None:
        return _error(request, 404, "Không tìm thấy văn bản",
                      "Kho lưu trữ không có văn bản này. Hãy thử tìm theo số, ký hiệu hoặc nội dung.")
    cites = archive.references(rec.id).documents
    targets: dict[str, str] = {}
    for d in cites:
        if d.get("code") and d.get("id"):
            targets.setdefault(code_key(d["code"]), d["id"])

    def ref_href(code: str) -> str:
        target = targets.get(code_key(code))
        return doc_url(target) if target else cite_url(code)

    others, others_total = service.others(archive, _typed(request, "ma"), rec.id)
    text_html = entities.render(rec.text, archive.entities(rec.id), ref_href)
    return _page(request, "document.html", rec=rec, text_html=text_html, cites=cites,
                 cited_by=archive.cited_by(rec.id).documents if rec.code else [],
                 similar=service.similar(archive, rec.id), duplicates=archive.duplicates(rec.id),
                 original=archive.original(rec.id), labels=entities.LABELS, others=others,
                 answers=archive.answers(rec.id), signatures=signature_view.lines(archive, rec),
                 others_total=others_total)


def original(request: Request) -> Response:
    archive = service.archive_for(request)
    doc_id = request.path_params["doc_id"]
    found = archive.original(doc_id)
    auth.note(request, "download", doc_id)
    if found is None:
        raise HTTPException(404)
    # a PDF that could run script or unpack files is never opened in the browser's viewer
    active = service.active_content(archive, doc_id)
    disposition = "attachment" if request.query_params.get("tai_ve") or active else "inline"
    return FileResponse(found.path, media_type=FORMATS.get(found.format, "application/octet-stream"),
                        filename=found.name, content_disposition_type=disposition)


def citation_page(request: Request) -> Response:
    code = _typed(request, "ma")
    if not code:
        return RedirectResponse("/", status_code=303)
    archive = service.archive_for(request)
    rec = archive.get(code)
    if rec is not None:
        return RedirectResponse(doc_url(rec.id), status_code=303)
    citing = service.citations_of(archive, code)
    return _page(request, "citation.html", code=code, citing=citing, known=service.consensus(citing),
                 status=200 if citing else 404)


def trace_page(request: Request) -> Response:
    code = _typed(request, "ma")
    if not code:
        return _page(request, "trace.html", code="", tree=None, has_graph=False)
    depth = _number(request, "sau", 3, 1, 6)
    group = _typed(request, "nhom") or None
    archive = service.archive_for(request)
    # a directive that many cite: its citers by province, a first page each; a group on demand
    tree = archive.trace(code, depth=depth, paging=Paging(group=group, offset=_number(request, "tu", 0, 0))).root
    records = {}

    def fill(node: dict) -> None:
        if node.get("id") and node["id"] not in records:
            records[node["id"]] = archive.record(node["id"])
        for child in node["children"]:
            fill(child)

    fill(tree)
    return _page(request, "trace.html", code=code, tree=tree, records=records, depth=depth, has_graph=True,
                 group=group)


def trace_svg(request: Request) -> Response:
    code = _typed(request, "ma")
    svg = service.graph_svg(service.archive_for(request), code, 3) if code else None
    if svg is None:
        raise HTTPException(404)
    # shown through <img>: an SVG there runs no script, whatever its labels hold
    return Response(svg, media_type="image/svg+xml",
                    headers={"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"})


def _ingest_form(request: Request, status: int = 200, **context) -> Response:
    """The upload form, with a CSRF token bound to the browser's cookie."""
    state = request.app.state
    cookie, token = state.tokens.issue(request.cookies.get(csrf.COOKIE))
    context = {"report": None, "job": None, **context}
    response = _page(request, "ingest.html", status=status, csrf_token=token, csrf_field=csrf.FIELD,
                     max_mb=f"{state.max_upload / 2**20:g}", **context)
    response.set_cookie(csrf.COOKIE, cookie, httponly=True, samesite="strict", path="/nhap")
    return response


async def ingest_page(request: Request) -> Response:
    state = request.app.state
    if not auth.may(request, *auth.INGEST_ROLES):
        return auth.forbidden(request, "nhập văn bản (cần vai trò văn thư hoặc quản trị)")
    if request.method == "GET":
        job_id = request.query_params.get("lan")
        if not job_id:
            return _ingest_form(request)
        job = state.writer.job(job_id[:40])
        if job is None:
            return _error(request, 404, "Không tìm thấy lần nhập",
                          "Lần nhập này không còn được lưu (máy chủ đã khởi động lại, hoặc đã quá lâu).")
        outcome = await uploads.wait_for(job, timeout=0)
    else:
        outcome = await uploads.handle(request, state.writer, state.tokens, state.max_upload)
    if outcome.message:
        response = _error(request, outcome.status, "Không nhận được tệp", outcome.message)
        if outcome.close:
            response.headers["connection"] = "close"
        return response
    report = await run_in_threadpool(_report_for, request, outcome.report)
    return _ingest_form(request, status=outcome.status, report=report, job=outcome.job)


def _report_for(request: Request, report: dict | None) -> dict | None:
    """A batch's report as its uploader may see it: the writer ingests as the archive, so a file
    that copies a letter the uploader is not cleared for is stored, and that letter not named."""
    hidden = service.archive_for(request).hidden() if report else frozenset()
    if not hidden:
        return report
    return {**report, "duplicates": [d for d in report["duplicates"]
                                     if d.get("of") not in hidden and d.get("id") not in hidden]}


async def not_found(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404:
        return _error(request, 404, "Không tìm thấy trang", "Địa chỉ này không có trong hệ thống.")
    return _error(request, exc.status_code, "Lỗi", str(exc.detail))


def _templates(allow_upload: bool) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters.update(ngay=vn_date, snippet=safe_snippet, so=thousands, active_name=lambda k: ACTIVE_NAMES.get(k, k),
                       hoa_dau=lambda t: (t[:1].upper() + t[1:]) if t else t)  # a heading starts upper case
    env.globals.update(doc_url=doc_url, cite_url=cite_url, trace_url=trace_url, DOC_TYPES=DOC_TYPES,
                       RELATIONS=RELATIONS, FACET_NAMES=FACET_NAMES, allow_upload=allow_upload,
                       MAX_QUERY=MAX_QUERY, SIGNED_LABELS=signature_view.LABELS,
                       may=auth.may, logged_in=auth.logged_in, viewer_of=auth.viewer_of, form_token=auth.form_token)
    return templates


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette):
    yield
    app.state.writer.stop()
    app.state.archives.close()


def create_app(archive_dir: str | Path, allow_upload: bool = False, max_upload: int = MAX_UPLOAD,
               allowed_hosts: list[str] | tuple[str, ...] = (), max_active_uploads: int | None = None,
               idle_minutes: float = 30, clock: Callable[[], float] = time.time) -> Starlette:
    """The page over the archive at ARCHIVE_DIR. Only requests naming a loopback address or one
    of `allowed_hosts` in `Host` are answered (web/guard.py); once the archive has accounts, only
    a logged-in person's (web/auth.py), whose session ends after `idle_minutes` without a request."""
    routes = [
        Route(auth.LOGIN, auth.login_page, methods=["GET", "POST"]),
        Route(auth.LOGOUT, auth.logout, methods=["POST"]),
        *admin.ROUTES,
        Route("/", search_page),
        Route("/van-ban/{doc_id}", document_page),
        Route("/van-ban/{doc_id}/ban-goc", original),
        Route("/trich-dan", citation_page),
        Route("/truy-vet", trace_page),
        Route("/truy-vet/do-thi.svg", trace_svg),
        *due.ROUTES,
        Route("/tai-ket-qua", office_exports.search_download), Route("/so-dang-ky", office_exports.register_page),
        Route("/so-dang-ky/tai", office_exports.register_download),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    if allow_upload:
        routes.append(Route("/nhap", ingest_page, methods=["GET", "POST"]))
    # headers outermost, so that the guard's refusals carry them too; the guard before the login
    middleware = [Middleware(SecurityHeaders), Middleware(guard.RequestGuard, hosts=guard.allowed_hosts(allowed_hosts)),
                  Middleware(auth.LoginRequired)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: not_found}, lifespan=_lifespan)
    state = app.state
    state.archives = service.Archives(archive_dir)
    state.clock = clock
    secret = state.archives.get().session_secret()
    state.sessions = auth.Sessions(secret, idle_minutes * 60)
    # the forms' key from the archive's too: a form shown by one server process is accepted by another
    state.tokens = csrf.CsrfTokens(hmac.new(secret, b"congvan-csrf", hashlib.sha256).digest())
    state.writer = IngestQueue(archive_dir, **({"max_active": max_active_uploads} if max_active_uploads else {}))
    state.templates = _templates(allow_upload)
    state.max_upload = max_upload
    return app
