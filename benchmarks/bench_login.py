"""What a login costs the web page (issue 20), over real HTTP on loopback.

    PYTHONPATH=. .venv/bin/python -m benchmarks.bench_login [N]     (default N = 40)

Ingests corpus/text into a temporary archive, starts `congvan serve` on a free port and asks
the search and document pages N times each (after a warm-up) twice: with no account (the
owner's page) and logged in (a session checked on every request, the cookie renewed, each
search and opening written to the audit log). Then times N logins (an Argon2id verification
with the library's parameters). Prints a markdown table (median, 95th percentile, ms). A
benchmark, never a test."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import percentile
from index.archive import Archive

ROOT = Path(__file__).resolve().parent.parent
NAME, PASSWORD = "Người đo", "mật khẩu để đo"


def serve(root: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), "--archive", root, "serve", "--port",
                             str(port)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/static/style.css")
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("serve did not start")


def times(client: httpx.Client, url: str, n: int, expect: int = 200) -> list[float]:
    client.get(url)  # warm-up
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == expect, (url, r.status_code)
    return out


def log_in(client: httpx.Client, base: str) -> float:
    page = client.get(base + "/dang-nhap").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    t0 = time.perf_counter()
    r = client.post(base + "/dang-nhap", data={"csrf": token, "ten": NAME, "mat_khau": PASSWORD},
                    headers={"origin": base})
    assert r.status_code == 303, r.status_code
    return (time.perf_counter() - t0) * 1000


def main(n: int) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        arc = Archive(tmp)
        arc.ingest([ROOT / "corpus" / "text"], workers=1)
        doc = next(arc.catalog.documents())
        arc.close()
        pages = {"tìm kiếm": "/?q=thong+tin+doi+ngoai", "văn bản": f"/van-ban/{doc.id}"}
        for label in ("không tài khoản", "đã đăng nhập"):
            if label == "đã đăng nhập":
                with Archive(tmp) as arc:
                    arc.accounts().add(NAME, "doc", PASSWORD)
            proc, base = serve(tmp)
            try:
                with httpx.Client(follow_redirects=False) as client:
                    if label == "đã đăng nhập":
                        logins = [log_in(client, base) for _ in range(n)]
                        rows.append(("đăng nhập (Argon2id)", label, logins))
                    for page, url in pages.items():
                        rows.append((page, label, times(client, base + url, n)))
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    print("| page | archive | n | p50 ms | p95 ms |\n| --- | --- | ---: | ---: | ---: |")
    for page, label, values in rows:
        print(f"| {page} | {label} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
