"""How fast the web page answers: every page of `congvan serve`, over real HTTP on loopback.

    .venv/bin/python benchmarks/bench_web.py [FOLDER ...]   (default: corpus/text)

Ingests the folders into a temporary archive, starts `congvan serve` on a free port, asks
each page N times after one warm-up request and prints a table (median, 95th percentile,
max in ms). The target is every page under 200 ms. A benchmark, never a test."""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.archive import Archive  # noqa: E402

N = 30


def main(folders: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        arc = Archive(tmp)
        t0 = time.perf_counter()
        report = arc.ingest(folders or [ROOT / "corpus" / "text"], workers=2)
        docs = arc.catalog.count()
        sample = next(arc.catalog.documents())
        cited = next((r.code for r in sample.references if r.code), None) or sample.code or "57-KL/TW"
        arc.close()
        print(f"archive: {docs} documents from {len(report.ingested)} files "
              f"(ingest {time.perf_counter() - t0:.1f} s)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), "--archive", tmp, "serve",
                                 "--port", str(port)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    httpx.get(base + "/static/style.css")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            pages = {
                "tìm kiếm (không dấu)": "/?q=thong+tin+doi+ngoai",
                "tìm kiếm + lọc ngày": "/?q=thong+tin&tu_ngay=01/01/2024&sap_xep=ngay",
                "mở theo số ký hiệu": "/?q=" + (sample.code or "x"),
                "văn bản": f"/van-ban/{sample.id}",
                "trích dẫn": f"/trich-dan?ma={cited}",
                "truy vết": f"/truy-vet?ma={cited}",
                "bản gốc": f"/van-ban/{sample.id}/ban-goc",
            }
            print(f"\n{'page':<24} {'median':>8} {'p95':>8} {'max':>8}   (ms, {N} requests each)")
            with httpx.Client(base_url=base, follow_redirects=False) as client:
                for name, url in pages.items():
                    client.get(url)  # warm-up: first use of spaCy, Whoosh readers, templates
                    times = []
                    for _ in range(N):
                        t = time.perf_counter()
                        r = client.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                        assert r.status_code in (200, 303), (url, r.status_code)
                    times.sort()
                    p95 = times[int(0.95 * (len(times) - 1))]
                    print(f"{name:<24} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])
