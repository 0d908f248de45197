"""Peak memory of the `congvan` commands on the benchmark archive (the 100k target: ≤ 1 GB for
any command), and of `congvan serve` answering pages over HTTP with the archive open.

Each command runs as its own process (`search_cli.py`, what the `congvan` script runs); its
peak RSS is read from the kernel's accounting of that one child (`os.wait4`), so a command
that forks workers counts only itself. `serve` is started on a free port, asked each page
after one warm-up request, and its high-water mark (`VmHWM`) is read before it is stopped.
Used by `benchmarks/run.py` (stages `commands` and `serve`)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import percentile, row

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "search_cli.py")]
TIMEOUT = 900.0


def _truth_sample(data: Path) -> dict:
    """A directive (trace root), a provincial letter that cites it, and a few subjects."""
    central = letter = None
    with open(data / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if central is None and r["level"] == "central" and r["relation"] is None:
                central = r
            elif letter is None and r["level"] == "province" and r["relation"] is None and r["references"]:
                letter = r
            if central and letter:
                break
    return {"central": central, "letter": letter}


def run_command(args: list[str], timeout: float = TIMEOUT) -> tuple[float, float, int]:
    """(seconds, peak RSS MB of that process alone, exit status) of one CLI command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(CLI + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode


def stage_commands(data: Path, work: Path) -> list[dict]:
    archive = str(work / "archive")
    s = _truth_sample(data)
    code, cited = s["letter"]["code"], s["central"]["code"]
    commands = [
        ("search", ["search", "thông tin đối ngoại"]),
        ("search --json (folded, 50 hits)", ["search", "--json", "--limit", "50", "thong tin doi ngoai"]),
        ("show", ["show", code]),
        ("refs", ["refs", code]),
        ("cited-by", ["cited-by", cited]),
        ("trace --depth 3", ["trace", "--depth", "3", cited]),
        ("similar", ["similar", code]),
        ("stats", ["stats"]),
        ("graph (whole archive, dot)", ["graph", "--output", str(work / "graph.dot")]),
        ("dedup (groups)", ["dedup"]),
        ("check", ["check"]),
        ("reindex", ["reindex"]),
    ]
    from index.catalog import Catalog
    cat = Catalog(work / "archive" / "catalog.sqlite3")
    n = cat.count()
    cat.close()
    rows = []
    for label, args in commands:
        secs, rss, rc = run_command(["--archive", archive, *args])
        note = "" if rc == 0 else f"exit {rc}" if rc > 0 else f"killed after {TIMEOUT:.0f} s" if rc == -9 \
            else f"signal {-rc}"
        rows.append(row(f"congvan {label}", "command", n, "", secs, None, rss, None,
                        note or "one run: its wall time (start-up included) in p50, the peak RSS of that "
                                "process alone"))
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _vm(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def stage_serve(data: Path, work: Path, repeat: int = 5) -> list[dict]:
    import httpx

    from index.catalog import Catalog
    cat = Catalog(work / "archive" / "catalog.sqlite3")
    n, doc = cat.count(), next(cat.documents())
    cat.close()
    s = _truth_sample(data)
    queries = [json.loads(x)["query"] for x in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = [f"/?q={q}" for q in queries[:20]] + [
        f"/van-ban/{doc.id}", f"/trich-dan?ma={s['central']['code']}", f"/truy-vet?ma={s['central']['code']}",
        f"/?q={s['letter']['code']}", "/?q=thong+tin&sap_xep=ngay"]
    port = _free_port()
    proc = subprocess.Popen(CLI + ["--archive", str(work / "archive"), "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    times: list[float] = []
    errors = 0
    try:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 120:
            try:
                httpx.get(base + "/static/style.css", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        start = time.perf_counter() - t0
        with httpx.Client(base_url=base, timeout=120) as client:
            for url in pages:  # warm-up: templates, the engine's readers, spaCy
                errors += client.get(url).status_code >= 400
            for _ in range(repeat):
                for url in pages:
                    t = time.perf_counter()
                    r = client.get(url)
                    times.append(time.perf_counter() - t)
                    errors += r.status_code >= 400
        hwm, rss = _vm(proc.pid, "VmHWM"), _vm(proc.pid, "VmRSS")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    rate = f"{len(times) / sum(times):,.0f} pages/s" if times else ""
    return [row("congvan serve: pages over HTTP, archive open", "uvicorn", n, rate, percentile(times, 50),
                percentile(times, 95), hwm, None,
                f"peak RSS (VmHWM) of the server after {len(times)} requests on {len(pages)} pages (search, "
                f"document, citations, trace); {rss:.0f} MB resident at the end; ready in {start:.1f} s; "
                f"{errors} error responses")]

