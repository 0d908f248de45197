"""The administrator's pages (role `quan-tri`): the accounts (`/quan-tri/tai-khoan`: list, add,
disable, enable) and the audit log (`/quan-tri/nhat-ky`). Every form carries the token bound to
the administrator's session; the guard (`web/guard.py`) has already refused a cross-site POST."""
from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from index.archive import ACTIONS, CLEARANCE_NAMES, CLEARANCES, ROLE_NAMES, ROLES, AccountError
from web import auth, csrf
from web.present import parse_vn_date

MAX_FORM = 8192
SHOWN = 500  # audit entries on one page (the CLI has them all)


def _page(request: Request, name: str, status: int = 200, **context) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, {"active": "admin", **context},
                                                       status_code=status)


def _accounts_view(request: Request, status: int = 200, message: str | None = None,
                   error: str | None = None) -> Response:
    archive = request.app.state.archives.get()
    accounts = archive.accounts()
    return _page(request, "accounts.html", status=status, accounts=accounts.list(), any_account=accounts.any(),
                 message=message, error=error, now=request.app.state.clock(), csrf_field=csrf.FIELD,
                 csrf_token=auth.form_token(request), ROLES=ROLES, ROLE_NAMES=ROLE_NAMES, CLEARANCES=CLEARANCES,
                 CLEARANCE_NAMES=CLEARANCE_NAMES)


def _change(request: Request, form: dict) -> tuple[int, str | None, str | None]:
    """Do what the form asks: (status, message, error)."""
    accounts = request.app.state.archives.get().accounts()
    action, name = form.get("viec"), form.get("ten") or ""
    try:
        if action == "them":
            clearance = form.get("muc_mat") or None
            if form.get("mat_khau") != form.get("nhap_lai"):
                return 400, None, "Hai lần nhập mật khẩu không giống nhau."
            account = accounts.add(name, form.get("vai_tro") or "", form.get("mat_khau") or "", clearance)
            auth.note(request, "account-add", account.name)
            return 200, f"Đã thêm tài khoản {account.name}.", None
        if action in ("khoa", "mo"):
            if action == "khoa" and accounts.get(name) and name == auth.viewer_of(request).name:
                return 400, None, "Không tự khóa tài khoản của chính mình."
            account = accounts.set_disabled(name, action == "khoa")
            auth.note(request, "account-disable" if action == "khoa" else "account-enable", account.name)
            return 200, f"Đã {'khóa' if action == 'khoa' else 'mở lại'} tài khoản {account.name}.", None
    except AccountError as exc:
        return 400, None, str(exc)
    return 400, None, "Không rõ việc cần làm."


async def accounts_page(request: Request) -> Response:
    if not auth.may(request, *auth.ADMIN_ROLES):
        return auth.forbidden(request, "quản lý tài khoản")
    if request.method != "POST":
        return await run_in_threadpool(_accounts_view, request)
    if not auth.logged_in(request):  # no accounts yet: the first one is made on the command line
        return await run_in_threadpool(_accounts_view, request, 403, None,
                                       "Tài khoản đầu tiên được tạo bằng lệnh congvan users add.")
    if int(request.headers.get("content-length") or 0) > MAX_FORM:
        return await run_in_threadpool(_accounts_view, request, 413, None, "Dữ liệu gửi lên quá lớn.")
    form = await request.form(max_files=0, max_fields=10)
    fields = {k: str(v)[:1000] for k, v in form.items()}
    if not auth.form_token_valid(request, fields.get(csrf.FIELD)):
        return await run_in_threadpool(_accounts_view, request, 403, None, auth.EXPIRED_FORM)
    status, message, error = await run_in_threadpool(_change, request, fields)
    if status == 200:  # after a change, a GET: a reload does not post it again
        return RedirectResponse("/quan-tri/tai-khoan", status_code=303)
    return await run_in_threadpool(_accounts_view, request, status, message, error)


async def audit_page(request: Request) -> Response:
    if not auth.may(request, *auth.ADMIN_ROLES):
        return auth.forbidden(request, "xem nhật ký")
    who = (request.query_params.get("ten") or "").strip()[:200] or None
    since_text = (request.query_params.get("tu_ngay") or "").strip()[:100]
    since_iso = parse_vn_date(since_text) if since_text else None
    since = dt.datetime.fromisoformat(since_iso).timestamp() if since_iso else None

    def work():
        return request.app.state.archives.get().audit().entries(who=who, since=since, limit=SHOWN)

    entries = await run_in_threadpool(work)
    rows = [{"when": dt.datetime.fromtimestamp(e.at).strftime("%d/%m/%Y %H:%M:%S"), "who": e.who, "via": e.via,
             "action": ACTIONS.get(e.action, e.action), "target": e.target, "address": e.address} for e in entries]
    return _page(request, "audit.html", rows=rows, who=who or "", since=since_text,
                 bad_date=bool(since_text and not since_iso), shown=SHOWN)


ROUTES = [Route("/quan-tri/tai-khoan", accounts_page, methods=["GET", "POST"]),
          Route("/quan-tri/nhat-ky", audit_page)]
