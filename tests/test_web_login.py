"""The login of the web page (issue 20), through Starlette's test client: once an account
exists every route that shows archive data asks for a login first (every route of the app is
walked); wrong passwords, the lockout, CSRF, logout, the idle timeout (an injected clock), and
the roles of `/nhap` and the administrator's pages."""
from __future__ import annotations

import re
import shutil

import pytest
from argon2 import PasswordHasher
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

import index.access._accounts as accounts_module
from index.access import FULL, LOCK_AFTER, SLOW_AFTER, wait_for
from index.archive import Archive
from web import auth, create_app

PASSWORDS = {"đọc": "mật khẩu người đọc", "văn thư": "mật khẩu văn thư", "quản trị": "mật khẩu quản trị"}
ROLES = {"đọc": "doc", "văn thư": "van-thu", "quản trị": "quan-tri"}
ORIGIN = {"origin": "http://localhost"}


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(accounts_module, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def root(tmp_path, corpus_archive):
    root = tmp_path / "kho"
    shutil.copytree(corpus_archive, root)
    with Archive(root) as arc:
        for name, password in PASSWORDS.items():
            arc.accounts().add(name, ROLES[name], password)
    return root


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(root, clock):
    return create_app(root, allow_upload=True, clock=clock, idle_minutes=30)


@pytest.fixture
def client(app):
    with TestClient(app, base_url="http://localhost", follow_redirects=False) as c:
        yield c


def login_token(c: TestClient) -> str:
    r = c.get("/dang-nhap")
    assert r.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def log_in(c: TestClient, name: str, password: str | None = None, to: str = "/"):
    return c.post("/dang-nhap", data={"csrf": login_token(c), "ten": name, "mat_khau": password or PASSWORDS[name],
                                      "tiep": to}, headers=ORIGIN)


def page_token(c: TestClient, path: str = "/") -> str:
    r = c.get(path)
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def some_id(root) -> str:
    with Archive(root) as arc:
        return next(arc.catalog.documents()).id


def concrete(path: str, doc_id: str) -> str:
    return re.sub(r"\{[^}]+\}", doc_id, path)


def archive_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route of the app except the open ones (the login form, /static)."""
    out = []
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path == "/static", f"a mount to check: {route.path}"
            continue
        assert isinstance(route, Route)
        if route.path in auth.OPEN_PATHS:
            continue
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                out.append((method, route.path))
    return out


# -- no login, no data -------------------------------------------------------------------------
def test_every_route_asks_for_a_login_once_an_account_exists(app, client, root):
    doc_id = some_id(root)
    routes = archive_routes(app)
    assert len(routes) >= 14 and ("POST", "/nhap") in routes and ("GET", "/quan-tri/nhat-ky") in routes
    for method, path in routes:
        url = concrete(path, doc_id) + ("?q=công+văn&ma=57-KL/TW" if method == "GET" else "")
        r = client.request(method, url, headers=ORIGIN)
        if method == "GET":
            assert r.status_code == 303, (method, path, r.status_code)
            assert r.headers["location"].startswith("/dang-nhap?tiep="), (path, r.headers["location"])
        else:
            assert r.status_code == 401, (method, path, r.status_code)
            assert "đăng nhập" in r.text.lower()
        assert doc_id not in r.text and "congvan_phien" not in r.headers.get("set-cookie", "")


def test_static_and_the_login_form_stay_open(client):
    assert client.get("/static/style.css").status_code == 200
    r = client.get("/dang-nhap")
    assert r.status_code == 200 and 'name="mat_khau"' in r.text and "Đăng nhập" in r.text
    assert "/quan-tri" not in r.text and "/nhap" not in r.text  # no menu of pages it may not open
    for header in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert header in r.headers


def test_without_accounts_the_page_is_the_owners(tmp_path, corpus_archive):
    root = tmp_path / "kho"
    shutil.copytree(corpus_archive, root)
    with TestClient(create_app(root), base_url="http://localhost", follow_redirects=False) as c:
        assert c.get("/").status_code == 200 and c.get("/?q=công+văn").status_code == 200
        assert c.get("/dang-nhap").status_code == 303  # nothing to log in to
        r = c.get("/quan-tri/tai-khoan")
        assert r.status_code == 200 and "congvan users add" in r.text  # the first account: on the command line
        assert c.post("/quan-tri/tai-khoan", data={"viec": "them", "ten": "x", "vai_tro": "quan-tri",
                                                   "mat_khau": "12345678", "nhap_lai": "12345678"},
                      headers=ORIGIN).status_code == 403
    with Archive(root) as arc:
        assert not arc.accounts().any()


# -- logging in --------------------------------------------------------------------------------
def test_login_goes_where_the_person_was_going_and_the_cookie_is_safe(client, root):
    doc_id = some_id(root)
    first = client.get(f"/van-ban/{doc_id}")
    target = first.headers["location"]
    r = client.get(target)
    assert f'value="/van-ban/{doc_id}"' in r.text
    r = log_in(client, "đọc", to=f"/van-ban/{doc_id}")
    assert r.status_code == 303 and r.headers["location"] == f"/van-ban/{doc_id}"
    cookie = r.headers["set-cookie"].lower()
    assert "congvan_phien=" in cookie and "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    page = client.get(f"/van-ban/{doc_id}")
    assert page.status_code == 200 and "Đăng xuất" in page.text and "đọc" in page.text


@pytest.mark.parametrize("to", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
                                "", "/ok\r\nSet-Cookie: x=1"])
def test_login_never_sends_the_person_off_site(client, to):
    r = log_in(client, "đọc", to=to)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_a_wrong_password_is_refused_in_vietnamese(client):
    r = log_in(client, "đọc", "sai mật khẩu", to="/truy-vet?ma=57-KL/TW")
    assert r.status_code == 401 and "không đúng" in r.text and "congvan_phien" not in r.headers.get("set-cookie", "")
    assert 'name="tiep" value="/truy-vet?ma=57-KL/TW"' in r.text  # the second try still goes there
    assert log_in(client, "không có ai", "sai mật khẩu").text.count("không đúng") == r.text.count("không đúng")
    assert client.get("/").status_code == 303


def test_repeated_failures_lock_the_account_without_telling_the_password(client, clock):
    for n in range(1, LOCK_AFTER + 1):
        assert log_in(client, "văn thư", f"sai {n}").status_code == 401
        if n < LOCK_AFTER and wait_for(n):
            clock.now += wait_for(n)  # the person waits as told
    right = log_in(client, "văn thư")
    wrong = log_in(client, "văn thư", "sai nữa")
    assert right.status_code == wrong.status_code == 429
    assert "tạm khóa" in right.text and "phút" in right.text
    strip = lambda t: re.sub(r'name="csrf" value="[^"]+"', "", t)  # noqa: E731
    assert strip(right.text) == strip(wrong.text)  # the same words whether the password was right
    clock.now += 15 * 60
    assert log_in(client, "văn thư").status_code == 303


def test_the_slow_down_is_told_in_seconds(client):
    for n in range(SLOW_AFTER):
        log_in(client, "đọc", f"sai {n}")
    r = log_in(client, "đọc")
    assert r.status_code == 429 and "giây" in r.text


@pytest.mark.parametrize("form", [
    {},                                                   # no token at all
    {"csrf": "0" * 64},                                   # a made-up token
    {"csrf": "forged"},
])
def test_a_login_without_its_csrf_token_is_refused(client, form):
    client.get("/dang-nhap")
    r = client.post("/dang-nhap", data={**form, "ten": "đọc", "mat_khau": PASSWORDS["đọc"]}, headers=ORIGIN)
    assert r.status_code == 403 and "congvan_phien" not in r.headers.get("set-cookie", "")


def test_a_cross_site_login_post_is_refused(client):
    token = login_token(client)
    r = client.post("/dang-nhap", data={"csrf": token, "ten": "đọc", "mat_khau": PASSWORDS["đọc"]},
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403


# -- sessions ----------------------------------------------------------------------------------
def test_logout_needs_its_token_and_ends_the_session(client):
    log_in(client, "đọc")
    assert client.get("/").status_code == 200
    assert client.post("/dang-xuat", data={}, headers=ORIGIN).status_code == 403
    assert client.post("/dang-xuat", data={"csrf": "0" * 64}, headers=ORIGIN).status_code == 403
    assert client.get("/").status_code == 200  # still logged in
    r = client.post("/dang-xuat", data={"csrf": page_token(client)}, headers=ORIGIN)
    assert r.status_code == 303 and r.headers["location"] == "/dang-nhap"
    assert 'congvan_phien=""' in r.headers["set-cookie"] or "max-age=0" in r.headers["set-cookie"].lower()
    assert client.get("/").status_code == 303


def test_a_session_ends_after_the_idle_time_and_each_request_renews_it(client, clock):
    log_in(client, "đọc")
    for _ in range(3):  # active: an hour and a half of requests 20 minutes apart
        clock.now += 20 * 60
        assert client.get("/").status_code == 200
    clock.now += 30 * 60 + 1
    assert client.get("/").status_code == 303


def test_a_forged_or_old_cookie_opens_nothing(client, app, clock, root):
    sessions = app.state.sessions
    with Archive(root) as arc:
        stamp = arc.accounts().get("quản trị").stamp
    forged = auth.Sessions(b"x" * 32, 1800).make("quản trị", stamp, clock())
    client.cookies.set("congvan_phien", forged)
    assert client.get("/").status_code == 303
    client.cookies.set("congvan_phien", sessions.make("quản trị", "not-the-stamp", clock()))
    assert client.get("/").status_code == 303
    client.cookies.set("congvan_phien", sessions.make("không có ai", stamp, clock()))
    assert client.get("/").status_code == 303
    client.cookies.set("congvan_phien", sessions.make("quản trị", stamp, clock()))
    assert client.get("/").status_code == 200


def test_disabling_an_account_or_changing_its_password_ends_its_sessions(client, root):
    log_in(client, "đọc")
    assert client.get("/").status_code == 200
    with Archive(root) as arc:
        arc.accounts().passwd("đọc", "mật khẩu mới đây")
    assert client.get("/").status_code == 303
    log_in(client, "đọc", "mật khẩu mới đây")
    assert client.get("/").status_code == 200
    with Archive(root) as arc:
        arc.accounts().set_disabled("đọc")
    assert client.get("/").status_code == 303
    assert log_in(client, "đọc", "mật khẩu mới đây").status_code == 401


def test_handlers_receive_the_person(app, client, monkeypatch):
    seen = []
    real = getattr(Archive, "as_viewer", None)

    def as_viewer(self, viewer):
        seen.append(viewer)
        return real(self, viewer) if real else self

    monkeypatch.setattr(Archive, "as_viewer", as_viewer, raising=False)
    log_in(client, "văn thư")
    assert client.get("/?q=công+văn").status_code == 200
    assert client.get("/viec-den-han").status_code == 200
    assert {(v.name, v.role) for v in seen} == {("văn thư", "van-thu")} and FULL not in seen


# -- roles -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,may_ingest,may_admin", [
    ("đọc", False, False), ("văn thư", True, False), ("quản trị", True, True),
])
def test_roles_decide_the_ingest_and_admin_pages(client, name, may_ingest, may_admin):
    log_in(client, name)
    home = client.get("/").text
    assert ('href="/nhap"' in home) is may_ingest
    assert ('href="/quan-tri/tai-khoan"' in home) is may_admin
    assert client.get("/nhap").status_code == (200 if may_ingest else 403)
    for path in ("/quan-tri/tai-khoan", "/quan-tri/nhat-ky"):
        r = client.get(path)
        assert r.status_code == (200 if may_admin else 403), path
        if not may_admin:
            assert "không được" in r.text and "mật khẩu" not in r.text
    token = page_token(client)
    upload = client.post("/nhap", data={"csrf": "x"}, files=[("tep", ("a.txt", b"x", "text/plain"))], headers=ORIGIN)
    assert (upload.status_code == 403) or may_ingest
    add = client.post("/quan-tri/tai-khoan", data={"csrf": token, "viec": "them", "ten": "mới", "vai_tro": "quan-tri",
                                                   "mat_khau": "12345678", "nhap_lai": "12345678"}, headers=ORIGIN)
    assert add.status_code == (303 if may_admin else 403)


def test_the_administrator_adds_and_disables_accounts_with_tokens(client, root):
    log_in(client, "quản trị")
    token = page_token(client, "/quan-tri/tai-khoan")
    new = {"viec": "them", "ten": "Lê Văn Mới", "vai_tro": "doc", "muc_mat": "mat", "mat_khau": "12345678",
           "nhap_lai": "12345678"}
    assert client.post("/quan-tri/tai-khoan", data=new, headers=ORIGIN).status_code == 403  # no token
    assert client.post("/quan-tri/tai-khoan", data={**new, "csrf": token},
                       headers={"origin": "http://evil.example"}).status_code == 403  # another site
    r = client.post("/quan-tri/tai-khoan", data={**new, "csrf": token}, headers=ORIGIN)
    assert r.status_code == 303
    listing = client.get("/quan-tri/tai-khoan").text
    assert "Lê Văn Mới" in listing and "$argon2" not in listing
    again = client.post("/quan-tri/tai-khoan", data={**new, "csrf": token}, headers=ORIGIN)
    assert again.status_code == 400 and "đã có" in again.text
    mismatch = client.post("/quan-tri/tai-khoan", data={**new, "ten": "khác", "nhap_lai": "87654321", "csrf": token},
                           headers=ORIGIN)
    assert mismatch.status_code == 400 and "không giống" in mismatch.text
    assert client.post("/quan-tri/tai-khoan", data={"csrf": token, "viec": "khoa", "ten": "Lê Văn Mới"},
                       headers=ORIGIN).status_code == 303
    own = client.post("/quan-tri/tai-khoan", data={"csrf": token, "viec": "khoa", "ten": "quản trị"}, headers=ORIGIN)
    assert own.status_code == 400
    with Archive(root) as arc:
        assert arc.accounts().get("Lê Văn Mới").disabled and arc.accounts().get("Lê Văn Mới").clearance == "mat"
        assert not arc.accounts().get("quản trị").disabled
