"""The audit log (issue 20): what the web page and the CLI record, `congvan audit`, and the
table's refusal of every UPDATE and DELETE (a trigger, whoever opens the file)."""
from __future__ import annotations

import ast
import datetime as dt
import getpass
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from starlette.testclient import TestClient

import index.access._accounts as accounts_module
from index.access import ACTIONS, AuditLog
from index.archive import Archive
from search_cli import cli
from tests.conftest import ROOT
from web import create_app

ORIGIN = {"origin": "http://localhost"}


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch):
    monkeypatch.setattr(accounts_module, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def root(tmp_path, corpus_archive):
    root = tmp_path / "kho"
    shutil.copytree(corpus_archive, root)
    return root


def run(root, *args):
    result = CliRunner().invoke(cli, ["--archive", str(root), *args], catch_exceptions=False)
    return result


def entries(root, **kw):
    with Archive(root) as arc:
        return arc.audit().entries(**kw)


# -- append-only -------------------------------------------------------------------------------
@pytest.mark.parametrize("statement", [
    "UPDATE audit SET who = 'ai khác'",
    "UPDATE audit SET at = 0 WHERE seq = 1",
    "DELETE FROM audit",
    "DELETE FROM audit WHERE seq = 1",
])
def test_the_table_refuses_update_and_delete(tmp_path, statement):
    log = AuditLog(sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None))
    log.add("an", "search", "công văn", "127.0.0.1")
    other = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)  # any connection, not only this code
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        other.execute(statement)
    assert [(e.who, e.target) for e in log.entries()] == [("an", "công văn")]


def test_no_code_updates_or_deletes_the_audit_table():
    """Invariant over the sources: nothing but INSERT and SELECT names the table."""
    pattern = re.compile(r"\b(update|delete\s+from|drop\s+table|insert\s+or\s+replace\s+into)\s+"
                         r"(if\s+exists\s+)?audit\b", re.I)
    sources = [*ROOT.glob("index/**/*.py"), *ROOT.glob("web/*.py"), ROOT / "search_cli.py"]
    assert len(sources) > 20
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "RAISE" not in node.value:
                assert not pattern.search(node.value), f"{path.relative_to(ROOT)}: {node.value[:80]}"


def test_entries_filter_by_person_and_time(tmp_path):
    now = [1_800_000_000.0]
    log = AuditLog(sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None), clock=lambda: now[0])
    for who in ("an", "bình", "an"):
        log.add(who, "open", f"tài liệu của {who}")
        now[0] += 3600
    assert [e.who for e in log.entries()] == ["an", "bình", "an"]  # newest first
    assert len(log.entries(who="an")) == 2 and log.entries(who="chi") == []
    assert [e.who for e in log.entries(since=1_800_000_000.0 + 3600)] == ["an", "bình"]
    assert len(log.entries(limit=1)) == 1
    log.add("x\x00y\u202e", "search", "a\nb" * 1000)  # control characters and length never stored as such
    last = log.entries(limit=1)[0]
    assert last.who.isprintable() and last.target.isprintable() and len(last.target) <= 500


def test_read_only_archives_keep_no_log_and_fail_nothing(tmp_path):
    db = sqlite3.connect(":memory:")
    log = AuditLog(db, writable=False)
    log.add("an", "search", "x")
    assert log.entries() == []


# -- the CLI -----------------------------------------------------------------------------------
def test_the_cli_records_its_actions_as_the_os_user(root):
    me = getpass.getuser()
    before = len(entries(root))  # the shared corpus archive may have been searched by other tests
    assert run(root, "search", "công văn", "--json").exit_code == 0
    with Archive(root) as arc:
        doc = next(arc.catalog.documents())
    assert run(root, "show", doc.id, "--json").exit_code == 0
    assert run(root, "users", "add", "an", "--role", "doc", "--password", "12345678").exit_code == 0
    assert run(root, "users", "disable", "an").exit_code == 0
    assert run(root, "--as", "bình", "search", "x").exit_code == 2  # refused: nothing done, nothing logged
    run(root, "users", "add", "bình", "--role", "doc", "--password", "12345678", "--clearance", "mat")
    assert run(root, "--as", "bình", "search", "kế hoạch", "--json").exit_code == 0
    got = [(e.who, e.via, e.action, e.target) for e in reversed(entries(root))][before:]
    assert got == [(me, "cli", "search", "công văn"), (me, "cli", "open", doc.id), (me, "cli", "account-add", "an"),
                   (me, "cli", "account-disable", "an"), (me, "cli", "account-add", "bình"),
                   (me, "cli --as bình", "search", "kế hoạch")]
    assert "12345678" not in json.dumps([e.to_dict() for e in entries(root)])


def test_congvan_audit_prints_filters_and_answers_json(tmp_path):
    root = tmp_path / "kho"
    run(root, "search", "công văn")
    run(root, "users", "add", "an", "--role", "doc", "--password", "12345678")
    listed = json.loads(run(root, "audit", "--json").output)
    assert [x["action"] for x in listed] == ["account-add", "search"]
    assert set(listed[0]) >= {"time", "who", "via", "action", "target", "address"}
    assert json.loads(run(root, "audit", "--json", "--user", "không có ai").output) == []
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert json.loads(run(root, "audit", "--json", "--since", tomorrow).output) == []
    assert len(json.loads(run(root, "audit", "--json", "--since", "1/1/2020").output)) == 2
    text = run(root, "audit").output
    assert ACTIONS["account-add"] in text and ACTIONS["search"] in text
    bad = run(root, "audit", "--since", "hôm qua")
    assert bad.exit_code == 2 and "không hiểu ngày" in bad.output


# -- the web page ------------------------------------------------------------------------------
def test_the_web_page_records_who_did_what(root):
    with Archive(root) as arc:
        arc.accounts().add("quản trị", "quan-tri", "mật khẩu quản trị")
        doc = next(arc.catalog.documents())
    with TestClient(create_app(root, allow_upload=True), base_url="http://localhost", follow_redirects=False) as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/dang-nhap").text).group(1)
        c.post("/dang-nhap", data={"csrf": token, "ten": "quản trị", "mat_khau": "sai mật khẩu"}, headers=ORIGIN)
        c.post("/dang-nhap", data={"csrf": token, "ten": "quản trị", "mat_khau": "mật khẩu quản trị"}, headers=ORIGIN)
        c.get("/?q=kế+hoạch")
        c.get(f"/van-ban/{doc.id}")
        c.get(f"/van-ban/{doc.id}/ban-goc")
        c.get("/tai-ket-qua?q=kế+hoạch&dinh_dang=csv")
        page = c.get("/quan-tri/tai-khoan").text
        form = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        c.post("/quan-tri/tai-khoan", data={"csrf": form, "viec": "them", "ten": "an", "vai_tro": "doc",
                                            "mat_khau": "12345678", "nhap_lai": "12345678"}, headers=ORIGIN)
        letter = (Path(ROOT) / "corpus" / "text").glob("*.txt").__next__().read_bytes().replace(b"2025", b"2024")
        upload_token = re.search(r'action="/nhap"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"',
                                 c.get("/nhap").text).group(1)
        r = c.post("/nhap", data={"csrf": upload_token}, files=[("tep", ("thư-mới.txt", letter, "text/plain"))],
                   headers=ORIGIN)
        assert r.status_code in (200, 202), r.text[:300]
        log = c.get("/quan-tri/nhat-ky")
        c.post("/dang-xuat", data={"csrf": form}, headers=ORIGIN)
    got = [(e.who, e.action, e.target) for e in reversed(entries(root)) if e.via == "web"]  # no web use before
    assert got[:2] == [("quản trị", "login-failed", ""), ("quản trị", "login", "")]
    assert ("quản trị", "search", "kế hoạch") in got
    assert ("quản trị", "open", doc.id) in got and ("quản trị", "download", doc.id) in got
    assert ("quản trị", "download", "csv: kế hoạch") in got
    assert ("quản trị", "account-add", "an") in got
    assert any(a == "upload" and "thư-mới.txt" in t for _, a, t in got)
    assert got[-1] == ("quản trị", "logout", "")
    assert all(e.address == "testclient" for e in entries(root) if e.via == "web")
    assert log.status_code == 200 and "kế hoạch" in log.text and ACTIONS["login-failed"] in log.text
    assert "mật khẩu quản trị" not in json.dumps([e.to_dict() for e in entries(root)])
