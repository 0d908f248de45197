"""Issue 17's web findings, each probed as an attacker would: `congvan serve --allow-upload`
on loopback, driven with raw HTTP (httpx, and a socket where the body must be chunked)."""
from __future__ import annotations

import re
import select
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from index.archive import Archive
from index.catalog import check_archive, writer_lock
from tests.conftest import ROOT
from tests.make_bad_files import _pdf
from tests.serving import start_serve
from tests.test_ingest_active import LETTER, _add_js, _variant
from web.writer import MAX_ACTIVE  # the bound on uploads at once, as `serve` runs it

SCRIPT_LETTER = ROOT / "tests" / "data" / "web" / "script-letter.txt"
EXTRA_HOST = "kho.so-noi-vu.vn"
MAX_MB = 1



def letter(n: int) -> bytes:
    """A short distinct letter (each its own document)."""
    return (f"ỦY BAN NHÂN DÂN HUYỆN AN PHÚ\nSố: {n}/UBND-VP\nAn Phú, ngày 05 tháng 3 năm 2025\n"
            f"V/v báo cáo số liệu lần {n}\nKính gửi: Các phòng, ban.\nĐề nghị gửi báo cáo lần {n}.\n"
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An\n").encode()


class Server:
    def __init__(self, root: Path, port: int, proc: subprocess.Popen):
        self.root, self.port, self.proc = root, port, proc
        self.url = f"http://127.0.0.1:{port}"

    def rss_kb(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("sec-archive")
    arc = Archive(root)
    assert not arc.ingest([SCRIPT_LETTER], workers=1).failed
    arc.close()
    proc, port = start_serve(root, "--allow-upload", "--max-upload-mb", str(MAX_MB), "--allowed-host", EXTRA_HOST)
    yield Server(root, port, proc)
    proc.terminate()
    proc.wait(timeout=20)


def form(c: httpx.Client) -> dict[str, str]:
    """What a browser that opened the ingest page sends back: its cookie is kept by the client."""
    r = c.get("/nhap")
    assert r.status_code == 200
    m = re.search(r'name="csrf" value="([^"]+)"', r.text)
    return {"csrf": m.group(1) if m else ""}


def documents(root: Path) -> int:
    arc = Archive(root)
    try:
        return arc.catalog.count()
    finally:
        arc.close()


def original_url(root: Path) -> str:
    arc = Archive(root)
    try:
        return f"/van-ban/{arc.get('77/STTTT-CNTT').id}/ban-goc"
    finally:
        arc.close()


# -- 1. DNS rebinding and cross-site writes --------------------------------------------
HOSTS = [  # (Host header, answered)
    ("attacker.com:{port}", False),
    ("attacker.com", False),
    ("localhost.attacker.com:{port}", False),
    ("127.0.0.1.nip.io:{port}", False),
    ("[::1].evil:{port}", False),
    ("", False),
    ("localhost:{port}", True),
    ("LOCALHOST.:{port}", True),
    ("127.0.0.1:{port}", True),
    ("[::1]:{port}", True),
    (EXTRA_HOST + ":{port}", True),  # named with --allowed-host
]


@pytest.mark.parametrize("host,answered", HOSTS)
def test_only_known_host_names_are_answered(server, host, answered):
    with server.client() as c:
        for path in ("/?q=thong+tin", original_url(server.root)):
            r = c.get(path, headers={"host": host.format(port=server.port)})
            if answered:
                assert r.status_code == 200, (host, path)
            else:
                assert r.status_code == 400 and "không được phép" in r.text, (host, path)
                assert "77/STTTT" not in r.text and not r.content.startswith(b"\xef\xbb\xbf")


ORIGINS = [  # (extra headers of a POST carrying a valid token, accepted)
    ({"origin": "http://evil.example"}, False),
    ({"origin": "http://evil.example", "sec-fetch-site": "same-origin"}, False),
    ({"sec-fetch-site": "cross-site"}, False),
    ({"sec-fetch-site": "same-site"}, False),
    ({"origin": "null"}, False),
    ({"origin": "null", "sec-fetch-site": "cross-site"}, False),
    ({"origin": "null", "sec-fetch-site": "same-origin"}, True),  # chromium's own form, no-referrer policy
    ({"origin": "http://127.0.0.1:1"}, False),  # another port is another origin
    ({"origin": "http://{host}", "sec-fetch-site": "same-origin"}, True),
    ({"sec-fetch-site": "same-origin"}, True),
    ({}, True),  # curl: no browser headers; the token decides
]


@pytest.mark.parametrize("headers,accepted", ORIGINS)
def test_a_write_from_another_site_is_refused(server, headers, accepted):
    before = documents(server.root)
    n = 1000 + ORIGINS.index((headers, accepted))
    with server.client() as c:
        token = form(c)
        headers = {k: v.format(host=f"127.0.0.1:{server.port}") for k, v in headers.items()}
        r = c.post("/nhap", data=token, files=[("tep", (f"thu-{n}.txt", letter(n), "text/plain"))], headers=headers)
    if accepted:
        assert r.status_code == 200 and "Đã nhập <strong>1</strong> tệp" in r.text
        assert documents(server.root) == before + 1
    else:
        assert r.status_code == 403 and "trang khác" in r.text
        assert documents(server.root) == before


def test_a_write_needs_the_forms_token(server):
    before = documents(server.root)
    files = [("tep", ("thu-token.txt", letter(2000), "text/plain"))]
    with server.client() as c, server.client() as other:
        token = form(c)
        their_token = form(other)  # valid, but for another browser's cookie
        assert c.post("/nhap", files=files).status_code == 403
        assert c.post("/nhap", files=files, data={"csrf": "0" * 64}).status_code == 403
        assert c.post("/nhap", files=files, data=their_token).status_code == 403
        cookieless = server.client()
        assert cookieless.post("/nhap", files=files, data=token).status_code == 403
        cookieless.close()
        assert documents(server.root) == before
        r = c.post("/nhap", files=files, data=token)
        assert r.status_code == 200 and "Đã nhập <strong>1</strong> tệp" in r.text
        assert documents(server.root) == before + 1


# -- 2. the size limit holds whatever the headers say ---------------------------------
def _chunked_upload(server: Server, size: int, extra_headers: str = "") -> tuple[int, str]:
    """POST a multipart body of one SIZE-byte file with chunked transfer encoding over a raw
    socket, stopping when the server answers or closes. Returns (status, response text)."""
    with server.client() as c:
        token = form(c)["csrf"]
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
    boundary = "----congvan-probe"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"to.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    request = (f"POST /nhap HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookie}\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n"
               f"{extra_headers}Connection: close\r\n\r\n").encode()
    block = (letter(3000) * (2**16 // len(letter(3000)) + 1))[:2**16]

    def pieces():
        yield head
        sent = 0
        while sent < size:
            piece = block[:min(len(block), size - sent)]
            sent += len(piece)
            yield piece
        yield tail

    response = b""
    try:
        sock.sendall(request)
        for piece in pieces():
            sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered before the end of the body
        else:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        while chunk := sock.recv(65536):
            response += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    sock.close()
    text = response.decode("utf-8", errors="replace")
    status = int(text.split(" ", 2)[1]) if text.startswith("HTTP/1.1 ") else 0
    return status, text


@pytest.mark.parametrize("extra_headers", ["", "Content-Length: 1000\r\n"], ids=["chunked", "lying-length"])
def test_the_upload_limit_holds_whatever_the_headers_say(server, extra_headers):
    before_docs, before_rss = documents(server.root), server.rss_kb()
    body = 64 * 2**20
    status, text = _chunked_upload(server, body, extra_headers)
    grown = (server.rss_kb() - before_rss) * 1024
    assert status in (413, 400), text[:300]  # a length beside chunked encoding may be refused as malformed
    if status == 413:
        assert "quá lớn" in text
    assert documents(server.root) == before_docs
    assert grown < body / 8, f"server memory grew by {grown / 2**20:.0f} MB for a {body / 2**20:.0f} MB body"


def test_a_chunked_upload_under_the_limit_is_accepted(server):
    """Decoy: chunked encoding itself is fine (no Content-Length needed), only the size counts."""
    before = documents(server.root)
    status, text = _chunked_upload(server, 2000)
    assert status == 200 and "Đã nhập <strong>1</strong> tệp" in text
    assert documents(server.root) == before + 1


# -- 3. uploads do not starve the page -------------------------------------------------
def _search_seconds(c: httpx.Client, n: int = 5) -> float:
    """The slowest of N searches: a search that waits for a free thread is the one that counts."""
    times = []
    for i in range(n):
        t = time.perf_counter()
        assert c.get("/", params={"q": f"thong tin {i}"}).status_code == 200
        times.append(time.perf_counter() - t)
    return max(times)


def test_searches_answer_while_uploads_wait_for_the_writer(server):
    with server.client() as c:
        _search_seconds(c)  # warm
        idle = _search_seconds(c)
        token = form(c)
        cookies = dict(c.cookies)
    results: dict[int, httpx.Response] = {}
    clients = [httpx.Client(base_url=server.url, timeout=300, cookies=cookies) for _ in range(45)]
    start = threading.Barrier(46)

    def upload(i: int) -> None:
        start.wait()
        results[i] = clients[i].post("/nhap", data=token,
                                     files=[("tep", (f"cho-{i}.txt", letter(5000 + i), "text/plain"))])

    with writer_lock(server.root):  # a `congvan ingest` in a terminal holds the writer
        threads = [threading.Thread(target=upload, args=(i,)) for i in range(45)]
        for t in threads:
            t.start()
        start.wait()
        time.sleep(3.0)  # as in the finding: a search sent 3 s after the uploads
        with server.client() as c:
            busy = _search_seconds(c)
        assert busy < 25 * idle, f"a search took {busy / idle:.0f}× as long while uploads waited for the writer"
        # beyond the bound, uploads are told at once, while the writer is still held
        for _ in range(600):
            if len(results) >= 45 - MAX_ACTIVE:
                break
            time.sleep(0.1)
        refused = [r for r in results.values() if r.status_code == 503]
        assert len(refused) >= 45 - MAX_ACTIVE and all("Kho đang bận" in r.text for r in refused)
    for t in threads:
        t.join(120)
    for u in clients:
        u.close()
    accepted = [_finished(server, r) for r in results.values() if r.status_code != 503]
    assert len(accepted) == MAX_ACTIVE
    assert all(r.status_code == 200 and "Đã nhập <strong>1</strong> tệp" in r.text for r in accepted)


def _finished(server: Server, r: httpx.Response) -> httpx.Response:
    """An upload's final report: a batch still queued when its request was answered (202) is
    followed through its link until it is done."""
    if r.status_code != 202:
        return r
    link = re.search(r'href="(/nhap\?lan=[^"]+)"', r.text).group(1)
    with server.client() as c:
        for _ in range(1200):
            r = c.get(link)
            if r.status_code != 202:
                break
            time.sleep(0.1)
    return r


# -- 4. uploads keep their name and sender; active PDFs are served as downloads ----------
def test_uploads_keep_name_and_sender_and_active_pdfs_download(server, tmp_path):
    js_pdf = _variant(_add_js)
    plain_pdf = _pdf([LETTER + ["Phụ lục kèm theo"]])
    with server.client() as c:
        r = c.post("/nhap", data=form(c), files=[("tep", ("../co script.pdf", js_pdf, "application/pdf")),
                                                ("tep", ("thường.pdf", plain_pdf, "application/pdf"))])
    assert r.status_code == 200 and "Đã nhập <strong>2</strong> tệp" in r.text
    report = r.text[r.text.index("Đã nhập"):]
    flagged = re.search(r"co script\.pdf:.*?</li>", report, re.S).group(0)
    assert "mã JavaScript" in flagged and "chỉ được tải về" in flagged
    assert "chỉ được tải về" not in re.search(r"thường\.pdf:.*?</li>", report, re.S).group(0)

    arc = Archive(server.root)
    recs = {}
    for row in arc.catalog.db.execute("SELECT id FROM documents"):
        rec = arc.catalog.record(row[0])
        if rec.source.get("uploaded_name") in ("co script.pdf", "thường.pdf"):
            recs[rec.source["uploaded_name"]] = rec
    arc.close()
    assert set(recs) == {"co script.pdf", "thường.pdf"}
    for name, rec in recs.items():
        assert rec.source["uploaded_by"] == "127.0.0.1"
        kept = Path(rec.source["path"])
        assert kept.is_file() and kept.name == name and server.root.resolve() in kept.resolve().parents
    assert recs["co script.pdf"].source["active_content"] == ["javascript"]
    assert recs["thường.pdf"].source["active_content"] == []

    with server.client() as c:
        served = {n: c.get(f"/van-ban/{rec.id}/ban-goc") for n, rec in recs.items()}
    assert served["co script.pdf"].headers["content-disposition"].startswith("attachment")
    assert served["thường.pdf"].headers["content-disposition"].startswith("inline")
    assert served["co script.pdf"].content == js_pdf

    # the original can be restored from the kept upload
    arc = Archive(server.root)
    original, _, _ = arc.original(recs["co script.pdf"].id)
    original.unlink()
    result = check_archive(arc, repair=True)
    arc.close()
    assert original.read_bytes() == js_pdf, result.problems


# -- the real browser's own form still works --------------------------------------------
def test_a_browser_uploads_through_the_form(server, tmp_path):
    """Decoy for the guards: chromium sends the form with its own `Origin` and `Sec-Fetch-Site`
    headers and the token from the page, and the upload is ingested."""
    import shutil

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("chromium is not installed (apt-get install chromium; scripts/setup_system.sh does it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    upload = tmp_path / "thư trình duyệt.txt"
    upload.write_bytes(letter(7000))
    before = documents(server.root)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(server.url + "/nhap")
            page.set_input_files("input[name=tep]", str(upload))
            page.click("button[type=submit]")
            page.wait_for_selector(".report")
            text = page.locator(".report").inner_text()
        finally:
            browser.close()
    assert "Đã nhập 1 tệp" in text and "thư trình duyệt.txt" in text
    assert documents(server.root) == before + 1
