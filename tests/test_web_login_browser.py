"""End to end (issue 20): a real `congvan serve` on loopback over an archive with accounts,
driven by Debian's chromium through Playwright: asked to log in, a wrong password refused, the
login, the logout, and the pages closed again after it. Skipped, saying why, when chromium or
the playwright package is missing; nothing is ever downloaded."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.serving import start_serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "build" / "screenshots"
NAME, PASSWORD = "Trần Thị Văn Thư", "mật khẩu của văn thư"

if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed (apt-get install chromium; scripts/setup_system.sh does it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (dev extras)")


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus_archive):
    root = tmp_path_factory.mktemp("login-browser") / "kho"
    shutil.copytree(corpus_archive, root)
    # the account made as a user makes it: the command line, the password typed twice
    made = subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(root), "users", "add", NAME,
                           "--role", "van-thu"], input=f"{PASSWORD}\n{PASSWORD}\n", text=True, capture_output=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert made.returncode == 0, made.stderr
    proc, port = start_serve(root, "--allow-upload")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_log_in_and_out_in_chromium(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(server + "/?q=công+văn")
        page.wait_for_url("**/dang-nhap?tiep=*")
        assert page.locator("h1").inner_text() == "Đăng nhập"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "dang-nhap.png"), full_page=True)

        page.fill("input[name=ten]", NAME)
        page.fill("input[name=mat_khau]", "không phải mật khẩu")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "không đúng" in page.locator("[role=alert]").inner_text()
        assert page.input_value("input[name=ten]") == NAME  # the name is kept, the password is not
        assert page.input_value("input[name=mat_khau]") == ""

        page.fill("input[name=mat_khau]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/?q=*")  # back where the person was going
        assert page.locator(".hit").count() >= 1
        assert NAME in page.locator(".user-name").inner_text()
        assert page.locator('nav a[href="/nhap"]').count() == 1  # a clerk may ingest
        assert page.locator('nav a[href="/quan-tri/tai-khoan"]').count() == 0  # but not administer
        cookie = next(c for c in context.cookies() if c["name"] == "congvan_phien")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        page.screenshot(path=str(SHOTS / "da-dang-nhap.png"), full_page=True)

        page.goto(server + "/nhap")
        assert page.locator("form.upload").count() == 1

        page.click("form.user button[type=submit]")
        page.wait_for_url("**/dang-nhap")
        assert not [c for c in context.cookies() if c["name"] == "congvan_phien" and c["value"]]
        page.goto(server + "/")
        page.wait_for_url("**/dang-nhap?tiep=*")  # closed again
    finally:
        context.close()
