"""Who is asking (issue 20): the login of the page once the archive has accounts.

- `LoginRequired` (ASGI middleware) finds the person of every request: with no account in the
  archive, the archive's owner on their own machine (`FULL`); else the account of a valid
  session cookie, or none: then a page asked for with GET goes to the login form, anything
  else gets a 401. Only `/static` and the login form itself are open to all. The person
  reaches the handlers as `request.state.viewer`.
- Sessions are signed cookies (`itsdangerous`, a key kept in the archive, so several server
  processes and a restart agree), `HttpOnly`, `SameSite=Lax`; a session ends after
  `idle` seconds without a request, when its account is disabled, or when its password changes.
- The login form carries its CSRF token (double submit, `web/csrf.py`); the forms of a
  logged-in person carry a token bound to their session (`form_token`).
- Failed logins are slowed, then the account is locked (`index/access/_accounts.py`); a locked account
  is told so without a word about whether the password was right."""
from __future__ import annotations

import secrets
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from index.archive import FULL, Viewer
from web import csrf

SESSION_COOKIE = "congvan_phien"
LOGIN = "/dang-nhap"
LOGOUT = "/dang-xuat"
OPEN_PREFIXES = ("/static/",)           # the style sheet, the script, the icon: no archive data
OPEN_PATHS = (LOGIN,)
INGEST_ROLES = ("van-thu", "quan-tri")
ADMIN_ROLES = ("quan-tri",)
MAX_FORM = 4096  # bytes of a login or logout form

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
EXPIRED_FORM = "Biểu mẫu đã hết hạn hoặc không đến từ trang này. Xin mở lại trang và thử lại."
NEED_LOGIN = "Cần đăng nhập trước."


def locked_message(seconds: float) -> str:
    if seconds >= 90:
        return (f"Tài khoản đang tạm khóa vì đăng nhập sai nhiều lần. Xin thử lại sau khoảng "
                f"{round(seconds / 60)} phút, hoặc nhờ quản trị viên đặt lại mật khẩu.")
    return f"Đăng nhập sai nhiều lần: xin đợi {max(1, round(seconds))} giây rồi thử lại."


class Sessions:
    """The signed session cookie: `{u: account, k: password stamp, s: session id, t: last seen}`."""

    def __init__(self, secret: bytes, idle_seconds: float):
        self.serializer = URLSafeSerializer(secret, salt="congvan-session")
        self.idle = idle_seconds

    def make(self, name: str, stamp: str, now: float, sid: str | None = None) -> str:
        return self.serializer.dumps({"u": name, "k": stamp, "s": sid or secrets.token_urlsafe(32), "t": now})

    def read(self, cookie: str | None, now: float) -> dict | None:
        """The session of a cookie, or None when it is forged, damaged or idle too long."""
        if not cookie or len(cookie) > 2048:
            return None
        try:
            data = self.serializer.loads(cookie)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("t"), (int, float)):
            return None
        if not 0 <= now - data["t"] <= self.idle:
            return None
        return data


def set_session(response: Response, value: str, secure: bool) -> None:
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="lax", path="/", secure=secure)


def _identify(state, cookie: str | None) -> tuple[Viewer | None, dict | None]:
    """(viewer, session) of a request; (FULL, None) while the archive has no accounts. Runs in
    the thread pool: the thread's own `Archive`."""
    accounts = state.archives.get().accounts()
    if not accounts.any():
        return FULL, None
    session = state.sessions.read(cookie, state.clock())
    if session is None:
        return None, None
    account = accounts.get(session.get("u") or "")
    if account is None or account.disabled or account.stamp != session.get("k"):
        return None, None
    return account.viewer(), session


class LoginRequired:
    """ASGI middleware: no archive data without a person (see the module's text)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS:
            return await self.app(scope, receive, send)
        request = Request(scope)
        state = request.app.state
        viewer, session = await run_in_threadpool(_identify, state, request.cookies.get(SESSION_COOKIE))
        if viewer is None:
            return await _ask_login(request)(scope, receive, send)
        scope.setdefault("state", {})
        scope["state"]["viewer"], scope["state"]["session"] = viewer, session
        if session is None:
            return await self.app(scope, receive, send)
        # sliding idle time: each request renews the cookie, unless the response sets it itself (logout)
        renewed = state.sessions.make(session["u"], session["k"], state.clock(), session["s"])
        carrier = Response()
        set_session(carrier, renewed, scope.get("scheme") == "https")
        cookie_header = carrier.raw_headers[-1]

        async def send_renewed(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k == b"set-cookie" and v.startswith(SESSION_COOKIE.encode() + b"=") for k, v in headers):
                    headers.append(cookie_header)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_renewed)


def _ask_login(request: Request) -> Response:
    if request.method in ("GET", "HEAD"):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(LOGIN + "?" + urlencode({"tiep": here}), status_code=303)
    return Response(f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Cần đăng nhập</title>'
                    f'<p>{NEED_LOGIN} <a href="{LOGIN}">Đăng nhập</a></p></html>', status_code=401,
                    media_type="text/html; charset=utf-8")


def viewer_of(request: Request) -> Viewer:
    """The person of a request (set by `LoginRequired`); the owner when the route is open."""
    return request.scope.get("state", {}).get("viewer") or FULL


def logged_in(request: Request) -> bool:
    return bool(request.scope.get("state", {}).get("session"))


def may(request: Request, *roles: str) -> bool:
    return viewer_of(request).role in roles


def form_token(request: Request) -> str:
    """The CSRF token of a logged-in person's forms (logout, administration): bound to their session."""
    session = request.scope.get("state", {}).get("session")
    if not session:
        return ""
    return request.app.state.tokens.issue(session["s"])[1]


def form_token_valid(request: Request, token: str | None) -> bool:
    session = request.scope.get("state", {}).get("session")
    return bool(session) and request.app.state.tokens.valid(session["s"], token)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def note(request: Request, action: str, target: str = "") -> None:
    """Record what the person of this request did in the audit log (call in the thread pool)."""
    request.app.state.archives.get().audit().add(viewer_of(request).name, action, target,
                                                  address=client_address(request), via="web")


def safe_next(target: str | None) -> str:
    """Where to go after the login: a path of this site only (never `//other.site`)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\\"):
        return "/"
    return target[:1000]


# -- the handlers ----------------------------------------------------------------------------
def _login_form(request: Request, status: int = 200, message: str | None = None, name: str = "",
                next_path: str | None = None) -> Response:
    state = request.app.state
    cookie, token = state.tokens.issue(request.cookies.get(csrf.COOKIE))
    response = state.templates.TemplateResponse(
        request, "login.html", {"csrf_field": csrf.FIELD, "csrf_token": token, "message": message, "name": name,
                                "next": safe_next(next_path or request.query_params.get("tiep")),
                                "hide_nav": True},
        status_code=status)
    response.set_cookie(csrf.COOKIE, cookie, httponly=True, samesite="strict", path=LOGIN)
    return response


async def login_page(request: Request) -> Response:
    state = request.app.state
    if not await run_in_threadpool(lambda: state.archives.get().accounts().any()):
        return RedirectResponse("/", status_code=303)  # nothing to log in to: the page is the owner's
    if request.method != "POST":
        return _login_form(request)
    if int(request.headers.get("content-length") or 0) > MAX_FORM:
        return _login_form(request, 413, "Dữ liệu gửi lên quá lớn.")  # (the rest of the body is not read)
    form = await request.form(max_files=0, max_fields=5)
    name, password = str(form.get("ten") or "")[:200], str(form.get("mat_khau") or "")[:1000]
    going = safe_next(str(form.get("tiep") or ""))
    if not state.tokens.valid(request.cookies.get(csrf.COOKIE), str(form.get(csrf.FIELD) or "")):
        return _login_form(request, 403, EXPIRED_FORM, name, going)

    def attempt():
        result = state.archives.get().accounts(clock=state.clock).login(name, password)
        account = result.account
        audit = state.archives.get().audit(clock=state.clock)
        action = "login" if account else ("login-locked" if result.locked_for else "login-failed")
        audit.add(account.name if account else name, action, "", address=client_address(request), via="web")
        return result

    result = await run_in_threadpool(attempt)
    if result.account is None:
        if result.locked_for:
            return _login_form(request, 429, locked_message(result.locked_for), name, going)
        return _login_form(request, 401, WRONG, name, going)
    response = RedirectResponse(going, status_code=303)
    set_session(response, state.sessions.make(result.account.name, result.account.stamp, state.clock()),
                request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    if not form_token_valid(request, str(form.get(csrf.FIELD) or "")):
        return Response(EXPIRED_FORM, status_code=403, media_type="text/plain; charset=utf-8")
    await run_in_threadpool(note, request, "logout")
    response = RedirectResponse(LOGIN, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


def forbidden(request: Request, what: str) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"title": "Không có quyền", "message": f"Tài khoản của bạn không được {what}."},
        status_code=403)
