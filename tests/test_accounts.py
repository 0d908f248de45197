"""Accounts (issue 20): add, passwd, disable, list; Argon2 hashes; failed logins slowed then
locked (an injected clock); the CLI's prompts, `users`, `--as`, and `serve`'s refusal."""
from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

import index.access._accounts as accounts_module
from index.access import FULL, LOCK_AFTER, LOCK_SECONDS, SLOW_AFTER, AccountError, Accounts, Viewer, wait_for
from index.archive import Archive
from search_cli import cli

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # the same Argon2id, cheap for tests


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(accounts_module, "HASHER", FAST)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path):
    conn = sqlite3.connect(tmp_path / "catalog.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def run(root, *args, input=None):
    return CliRunner().invoke(cli, ["--archive", str(root), *args], input=input, catch_exceptions=False)


# -- the table --------------------------------------------------------------------------------
NAMES = ["an", "Nguyễn Văn An", "trần.thị_bình-2", "Lê Ánh @ văn thư"]


@pytest.mark.parametrize("name", NAMES)
def test_add_get_list_keep_the_name_nfc(db, name):
    accounts = Accounts(db)
    typed = unicodedata.normalize("NFD", name)  # as some keyboards send it
    account = accounts.add(typed, "doc", "mật khẩu dài", "mat")
    assert account.name == unicodedata.normalize("NFC", name)
    assert accounts.get(name) == account and accounts.get(typed) == account
    assert [a.name for a in accounts.list()] == [account.name]
    assert account.viewer() == Viewer(account.name, "doc", "mat")
    assert accounts.login(typed, unicodedata.normalize("NFD", "mật khẩu dài")).account is not None


@pytest.mark.parametrize("name,role,password,clearance", [
    ("", "doc", "12345678", None),                  # no name
    ("   ", "doc", "12345678", None),
    ("a" * 65, "doc", "12345678", None),            # too long
    ("bad/name", "doc", "12345678", None),          # a character names never hold
    ("tab\tname", "doc", "12345678", None),
    ("an", "admin", "12345678", None),              # not a role
    ("an", "doc", "12345678", "secret"),            # not a clearance
    ("an", "doc", "short", None),                   # too short a password
])
def test_what_cannot_be_added_is_refused_in_vietnamese(db, name, role, password, clearance):
    accounts = Accounts(db)
    with pytest.raises(AccountError) as err:
        accounts.add(name, role, password, clearance)
    assert any(ord(c) > 127 for c in str(err.value)), str(err.value)  # Vietnamese letters: said in Vietnamese
    assert accounts.list() == []


def test_a_name_is_added_once(db):
    accounts = Accounts(db)
    accounts.add("an", "doc", "12345678")
    with pytest.raises(AccountError, match="đã có"):
        accounts.add("an", "quan-tri", "87654321")
    assert accounts.get("an").role == "doc"


def test_the_password_is_stored_only_as_an_argon2id_hash(db, tmp_path):
    accounts = Accounts(db)
    accounts.add("an", "doc", "Bí mật rất dài 2025")
    (stored,) = db.execute("SELECT password FROM accounts").fetchone()
    assert stored.startswith("$argon2id$")
    assert FAST.verify(stored, "Bí mật rất dài 2025")
    raw = (tmp_path / "catalog.sqlite3").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("catalog.sqlite3-*"))
    assert "Bí mật rất dài 2025".encode() not in raw
    assert "Bí mật rất dài 2025" not in repr(accounts.get("an")) + json.dumps(accounts.get("an").to_dict())


def test_the_default_hasher_is_argon2id_with_the_librarys_parameters():
    # the real parameters, not the tests' cheap ones
    assert PasswordHasher().hash("x").startswith("$argon2id$")
    assert accounts_module.PasswordHasher().memory_cost >= 19 * 1024  # at least OWASP's minimum


def test_passwd_replaces_the_password_and_ends_sessions(db):
    accounts = Accounts(db)
    before = accounts.add("an", "doc", "mật khẩu cũ 1")
    after = accounts.passwd("an", "mật khẩu mới 2")
    assert after.stamp != before.stamp  # a session carries the stamp: it no longer matches
    assert accounts.login("an", "mật khẩu cũ 1").account is None
    assert accounts.login("an", "mật khẩu mới 2").account is not None
    with pytest.raises(AccountError):
        accounts.passwd("không có", "12345678")


def test_a_disabled_account_cannot_log_in_with_its_right_password(db):
    accounts = Accounts(db)
    accounts.add("an", "van-thu", "12345678")
    assert accounts.set_disabled("an").disabled
    assert accounts.login("an", "12345678").account is None
    assert not accounts.set_disabled("an", False).disabled
    assert accounts.login("an", "12345678").account is not None


# -- failed logins: slowed, then locked ------------------------------------------------------
def test_the_wait_grows_then_locks():
    waits = [wait_for(n) for n in range(1, LOCK_AFTER + 3)]
    assert waits[: SLOW_AFTER - 1] == [0.0] * (SLOW_AFTER - 1)
    slowed = waits[SLOW_AFTER - 1: LOCK_AFTER - 1]
    assert slowed == sorted(slowed) and len(set(slowed)) == len(slowed) and slowed[0] > 0
    assert waits[LOCK_AFTER - 1:] == [LOCK_SECONDS] * 3 and LOCK_SECONDS >= 15 * 60


def test_failures_slow_then_lock_and_a_locked_account_tells_nothing_of_the_password(db):
    clock = Clock()
    accounts = Accounts(db, clock=clock)
    accounts.add("an", "doc", "đúng mật khẩu")
    for n in range(1, LOCK_AFTER + 1):
        wrong = accounts.login("an", f"sai {n}")
        assert wrong.account is None and wrong.locked_for == 0  # the attempt itself is answered "wrong"
        wait = wait_for(n)
        if wait:
            # meanwhile the right and a wrong password get the very same answer
            right, other = accounts.login("an", "đúng mật khẩu"), accounts.login("an", "sai nữa")
            assert right == other and right.account is None and right.locked_for == pytest.approx(wait)
            assert accounts.get("an").failed == n  # refused attempts do not count (nor reveal)
            clock.now += wait - 0.5
            assert accounts.login("an", "đúng mật khẩu").locked_for == pytest.approx(0.5)
            clock.now += 0.5
    assert accounts.get("an").locked_until == clock.now  # the last failure's lock has just passed...
    clock.now -= LOCK_SECONDS / 2  # ...rewind: half-way through the 15 minutes
    assert accounts.login("an", "đúng mật khẩu").locked_for == pytest.approx(LOCK_SECONDS / 2)
    clock.now += LOCK_SECONDS / 2
    ok = accounts.login("an", "đúng mật khẩu")
    assert ok.account is not None and ok.account.failed == 0 and ok.account.locked_until == 0


def test_success_before_the_slow_down_resets_the_count(db):
    accounts = Accounts(db, clock=Clock())
    accounts.add("an", "doc", "đúng mật khẩu")
    for _ in range(SLOW_AFTER - 1):
        accounts.login("an", "sai")
    assert accounts.login("an", "đúng mật khẩu").account.failed == 0
    assert accounts.login("an", "sai").locked_for == 0 and accounts.get("an").failed == 1


def test_an_unknown_name_is_answered_like_a_wrong_password(db):
    accounts = Accounts(db)
    accounts.add("an", "doc", "12345678")
    assert accounts.login("không có ai", "12345678") == accounts.login("an", "sai rồi 123")
    assert Accounts(sqlite3.connect(":memory:"), writable=False).login("an", "12345678").account is None


# -- the CLI ------------------------------------------------------------------------------------
def test_users_add_asks_twice_without_echo_and_never_prints_the_password(tmp_path):
    root = tmp_path / "kho"
    result = run(root, "users", "add", "Phạm Thị Hoa", "--role", "van-thu", "--clearance", "mat",
                 input="mật khẩu một\nmật khẩu hai\nmật khẩu ba 3\nmật khẩu ba 3\n")
    assert result.exit_code == 0, result.output
    for typed in ("một", "hai", "ba 3"):
        assert typed not in result.output
    assert result.output.count("Nhập lại mật khẩu") == 2  # the first pair differed: asked again
    assert "không giống nhau" in result.output
    with Archive(root) as arc:
        account = arc.accounts().get("Phạm Thị Hoa")
        assert (account.role, account.clearance) == ("van-thu", "mat")
        assert arc.accounts().login("Phạm Thị Hoa", "mật khẩu ba 3").account is not None


def test_three_mismatched_pairs_change_nothing(tmp_path):
    root = tmp_path / "kho"
    result = run(root, "users", "add", "an", "--role", "doc", input="aaaaaaaa\nbbbbbbbb\n" * 3)
    assert result.exit_code == 1 and "aaaaaaaa" not in result.output and "không khớp" in result.output
    assert json.loads(run(root, "users", "list", "--json").output) == []


def test_users_commands_from_the_command_line(tmp_path):
    root = tmp_path / "kho"
    assert run(root, "users", "list").output.startswith("Chưa có tài khoản")
    assert run(root, "users", "add", "an", "--role", "doc", "--password", "12345678").exit_code == 0
    assert run(root, "users", "add", "bình", "--role", "quan-tri", "--password", "abcdefgh").exit_code == 0
    dup = run(root, "users", "add", "an", "--role", "doc", "--password", "12345678")
    assert dup.exit_code == 1 and "đã có" in dup.output
    short = run(root, "users", "add", "chi", "--role", "doc", "--password", "123")
    assert short.exit_code == 1 and "ít nhất" in short.output
    assert run(root, "users", "passwd", "an", input="mới mới mới\nmới mới mới\n").exit_code == 0
    assert run(root, "users", "disable", "an").exit_code == 0
    assert run(root, "users", "passwd", "không-có", "--password", "12345678").exit_code == 1
    listed = json.loads(run(root, "users", "list", "--json").output)
    assert [(a["name"], a["role"], a["disabled"]) for a in listed] == [("an", "doc", True), ("bình", "quan-tri", False)]
    assert "password" not in json.dumps(listed) and "argon2" not in json.dumps(listed)
    text = run(root, "users", "list").output
    assert "Quản trị" in text and "đã khóa" in text
    with Archive(root) as arc:
        assert arc.accounts().login("an", "mới mới mới").account is None  # disabled
        arc.accounts().set_disabled("an", False)
        assert arc.accounts().login("an", "mới mới mới").account is not None


@pytest.mark.parametrize("setup,name,ok", [
    ((), "an", False),                                   # no such account
    ((("an", "doc", False),), "an", True),
    ((("an", "doc", True),), "an", False),               # disabled
    ((("an", "doc", False),), "An", False),              # names are exact
    ((("Nguyễn An", "doc", False),), unicodedata.normalize("NFD", "Nguyễn An"), True),
])
def test_as_builds_the_viewer_of_an_account_or_refuses(tmp_path, corpus_archive, setup, name, ok):
    import shutil
    root = tmp_path / "kho"
    shutil.copytree(corpus_archive, root)
    with Archive(root) as arc:
        for account, role, disabled in setup:
            arc.accounts().add(account, role, "12345678", "mat")
            arc.accounts().set_disabled(account, disabled)
    result = CliRunner().invoke(cli, ["--archive", str(root), "--as", name, "search", "công văn", "--json"])
    if ok:
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["total"] >= 1
    else:
        assert result.exit_code == 2
        assert "tài khoản" in result.output and "Traceback" not in result.output


def test_as_hands_the_commands_the_accounts_view(tmp_path, monkeypatch, corpus_archive):
    """`--as` passes `archive.as_viewer(viewer)` (the secrecy rule's view) to the command."""
    import shutil
    root = tmp_path / "kho"
    shutil.copytree(corpus_archive, root)
    with Archive(root) as arc:
        arc.accounts().add("an", "doc", "12345678", "toi-mat")
    seen: list[Viewer] = []
    real = getattr(Archive, "as_viewer", None)

    def as_viewer(self, viewer):
        seen.append(viewer)
        return real(self, viewer) if real else self

    monkeypatch.setattr(Archive, "as_viewer", as_viewer, raising=False)
    assert run(root, "--as", "an", "search", "công văn", "--json").exit_code == 0
    assert run(root, "search", "công văn", "--json").exit_code == 0
    assert seen == [Viewer("an", "doc", "toi-mat")]
    assert FULL == Viewer("", "quan-tri", "tuyet-mat")


@pytest.mark.parametrize("host,refused", [
    ("0.0.0.0", True), ("::", True), ("192.168.1.10", True), ("kho.vanphong.local", True),
    ("127.0.0.1", False), ("localhost", False), ("::1", False),
])
def test_serve_refuses_the_network_while_no_account_exists(tmp_path, monkeypatch, host, refused):
    import uvicorn
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw["host"]))
    root = tmp_path / "kho"
    result = run(root, "serve", "--host", host, "--port", "8123")
    if refused:
        assert result.exit_code == 2 and started == []
        assert "chưa có tài khoản" in result.output
    else:
        assert result.exit_code == 0 and started == [host]
    # with an account, every address may be listened on (the login protects it)
    run(root, "users", "add", "quản trị", "--role", "quan-tri", "--password", "12345678")
    assert run(root, "serve", "--host", host, "--port", "8123").exit_code == 0 and started[-1] == host


def test_the_session_key_is_made_once_and_private(tmp_path):
    import stat
    with Archive(tmp_path / "kho") as arc:
        key = arc.session_secret()
        assert len(key) >= 32 and arc.session_secret() == key
    mode = (tmp_path / "kho" / accounts_module.SECRET_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


@pytest.mark.parametrize("minutes", [1, 30, 480])
def test_serve_hands_the_idle_time_to_the_page(tmp_path, monkeypatch, minutes):
    import uvicorn
    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    assert run(tmp_path / "kho", "serve", "--idle-minutes", str(minutes)).exit_code == 0
    assert apps[0].state.sessions.idle == minutes * 60
    assert run(tmp_path / "kho", "serve", "--idle-minutes", "0").exit_code == 2  # a session must last a while
