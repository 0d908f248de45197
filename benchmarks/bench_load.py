"""Many people at once: `congvan serve --workers N` on loopback under simulated users, then the
same while a `congvan ingest` adds letters. A benchmark, never part of `make test`.

    .venv/bin/python -m benchmarks.bench_load [--letters 3000] [--ingest 500] [--users 50]
        [--seconds 60] [--workers 2] [--seed 7] [--work DIR]

Generates `--letters + --ingest` letters (`benchmarks/generate.py`, text), ingests the first
`--letters` into an archive, starts `congvan serve --workers N` on a free loopback port, and runs
`--users` users for `--seconds` s each phase, think time `--think` (default 0): each request is a search page (half;
queries from the generated query mix), a document page (a third) or a trace page (the rest),
over one asyncio loop of `httpx` clients. Phase 2 runs the same load while `congvan ingest`
adds the other `--ingest` letters. Prints per phase and page kind: requests, requests/s,
p50/p95/p99 ms, errors (any status but 200, or no answer within 30 s), the load average of
the machine beside them; and the target of issue 20 (p95 ≤ 300 ms for search and document
pages, 0 errors, also during the ingest). The users share the machine with the server: on
2 cores the client's own CPU is part of what is measured."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, percentile  # noqa: E402
from benchmarks.generate import generate  # noqa: E402

KINDS = (("search", 0.5), ("document", 0.35), ("trace", 0.15))
TARGET_MS = 300.0  # issue 20: p95 of search and document pages with 50 users
TIMEOUT = 30.0


def congvan(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "search_cli.py"), *args]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@dataclass
class Targets:
    """What the users ask for: queries as staff type them, document ids, codes to trace."""
    queries: list[str]
    doc_ids: list[str]
    codes: list[str]

    def url(self, kind: str, rng: random.Random) -> str:
        if kind == "search":
            return "/?" + urlencode({"q": rng.choice(self.queries)})
        if kind == "document":
            return "/van-ban/" + quote(rng.choice(self.doc_ids), safe="")
        return "/truy-vet?" + urlencode({"ma": rng.choice(self.codes)})


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-min load average at the start and the end
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # the first few errors, as seen
    server_cpu: float = 0.0  # CPU seconds of the server's processes during the phase
    client_cpu: float = 0.0  # CPU seconds of the simulated users (this process)

    def cpu_per_request(self) -> tuple[float, float]:
        """(server, client) CPU ms per answered request."""
        n = sum(len(v) for v in self.latencies.values()) or 1
        return self.server_cpu / n * 1000, self.client_cpu / n * 1000

    def rows(self) -> list[dict]:
        out = []
        for kind, _ in (*KINDS, ("all", 1)):
            if kind == "all":
                lat = [x for v in self.latencies.values() for x in v]
                err = sum(self.errors.values())
            else:
                lat, err = self.latencies.get(kind, []), self.errors.get(kind, 0)
            n = len(lat) + err
            out.append({"phase": self.name, "kind": kind, "requests": n,
                        "rps": n / self.seconds if self.seconds else 0.0,
                        "p50": percentile(lat, 50) * 1000, "p95": percentile(lat, 95) * 1000,
                        "p99": percentile(lat, 99) * 1000, "errors": err})
        return out


def targets_of(archive: Path, data: Path, rng: random.Random) -> Targets:
    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite3'}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in db.execute("SELECT id FROM documents")]
        # traced: what letters cite most (the trace page's real work), and codes of letters held
        cited = [r[0] for r in db.execute("SELECT code FROM refs WHERE code IS NOT NULL GROUP BY key "
                                          "ORDER BY count(*) DESC LIMIT 50")]
        own = [r[0] for r in db.execute("SELECT code FROM documents WHERE code IS NOT NULL")]
    finally:
        db.close()
    queries = [json.loads(line)["query"] for line in (data / "queries.jsonl").open(encoding="utf-8")]
    return Targets(queries, rng.sample(ids, min(len(ids), 500)), cited + rng.sample(own, min(len(own), 50)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(archive: Path, workers: int, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(congvan("--archive", str(archive), "serve", "--port", str(port),
                                    "--workers", str(workers)), cwd=ROOT, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "/static/style.css", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"serve did not answer within {timeout:g} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _user(client: httpx.AsyncClient, targets: Targets, phase: Phase, done: Callable[[], bool],
                rng: random.Random, think: float) -> None:
    kinds, weights = zip(*KINDS)
    while not done():
        if think:  # a person reading the page before the next: exponential, of mean THINK s
            await asyncio.sleep(rng.expovariate(1 / think))
        kind = rng.choices(kinds, weights)[0]
        url = targets.url(kind, rng)
        start = time.perf_counter()
        try:
            response = await client.get(url)
            ok, why = response.status_code == 200, f"{response.status_code} {url}"
        except httpx.HTTPError as exc:
            ok, why = False, f"{type(exc).__name__} {url}"
        took = time.perf_counter() - start
        if ok:
            phase.latencies.setdefault(kind, []).append(took)
        else:
            phase.errors[kind] = phase.errors.get(kind, 0) + 1
            if len(phase.samples) < 5:
                phase.samples.append(why)


async def _run_users(base: str, targets: Targets, phase: Phase, users: int, done: Callable[[], bool],
                     seed: int, think: float) -> None:
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    # a code typed in the search box answers with a redirect to its document: followed, as a browser does
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits, follow_redirects=True) as client:
        start = time.monotonic()
        await asyncio.gather(*(_user(client, targets, phase, done, random.Random(seed * 1000 + i), think)
                               for i in range(users)))
        phase.seconds = time.monotonic() - start


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process PID and all its descendants alive now (/proc)."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        proc = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(proc)
        times[proc] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        proc = todo.pop()
        total += times.get(proc, 0.0)
        todo.extend(children.get(proc, []))
    return total


def run_phase(name: str, base: str, targets: Targets, users: int, done: Callable[[], bool], seed: int,
              server: int, think: float = 0.0) -> Phase:
    """USERS users asking until `done()`; the load average and the CPU of server and users
    read before and after."""
    phase = Phase(name)
    before, server_before, client_before = os.getloadavg()[0], tree_cpu(server), time.process_time()
    asyncio.run(_run_users(base, targets, phase, users, done, seed, think))
    phase.load = (before, os.getloadavg()[0])
    phase.server_cpu = tree_cpu(server) - server_before
    phase.client_cpu = time.process_time() - client_before
    return phase


def until(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def prepare(work: Path, letters: int, extra: int, seed: int) -> tuple[Path, Path, Path]:
    """(data folder, archive of the first LETTERS, folder of the EXTRA letters ingested under
    load), made once per WORK: a later run with the same WORK reuses them."""
    data, archive, later = work / "data", work / "archive", work / "later"
    if not (data / "manifest.json").is_file():
        shutil.rmtree(data, ignore_errors=True)
        generate(data, docs=letters + extra, seed=seed, pdf=0)
    if not (archive / "catalog.sqlite3").is_file() or not later.is_dir():
        shutil.rmtree(archive, ignore_errors=True)
        shutil.rmtree(later, ignore_errors=True)
        files = sorted((data / "text").rglob("*.txt"))
        first = work / "first"
        shutil.rmtree(first, ignore_errors=True)
        for i, f in enumerate(files):
            target = (first if i < letters else later) / f.relative_to(data / "text")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
        started = time.perf_counter()
        subprocess.run(congvan("--archive", str(archive), "ingest", "-q", str(first)), cwd=ROOT, env=_env(),
                       check=True, stdout=subprocess.DEVNULL)
        print(f"archive: {letters} letters ingested in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        shutil.rmtree(first, ignore_errors=True)
    return data, archive, later


def measure(work: Path, letters: int = 3000, extra: int = 500, users: int = 50, seconds: float = 60,
            workers: int = 2, seed: int = 7, think: float = 0.0) -> dict:
    """Phase 1: USERS users for SECONDS. Phase 2: the same while `congvan ingest` adds EXTRA
    letters, from its start until it ends (at least SECONDS). Serves a copy of the prepared
    archive, so that every run starts from the same one. Returns {"phases", "ingest", "documents"}."""
    data, prepared, later = prepare(work, letters, extra, seed)
    served = work / "served"
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(prepared, served)
    rng = random.Random(seed)
    targets = targets_of(served, data, rng)
    db = sqlite3.connect(f"file:{served / 'catalog.sqlite3'}?mode=ro", uri=True)
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    db.close()
    server, base = start_server(served, workers)
    try:
        for _ in range(workers):  # each worker opens the archive on its first requests
            for kind, _ in KINDS:
                httpx.get(base + targets.url(kind, rng), timeout=120)
        quiet = run_phase("quiet", base, targets, users, until(seconds), seed, server.pid, think)
        ingest = subprocess.Popen(congvan("--archive", str(served), "ingest", "-q", "--workers", "1", str(later)),
                                  cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        least = until(seconds)
        during = run_phase("during ingest", base, targets, users,
                           lambda: least() and ingest.poll() is not None, seed + 1, server.pid, think)
        out, err = ingest.communicate()
        ingest_info = {"letters": extra, "seconds": time.monotonic() - started, "exit": ingest.returncode,
                       "summary": (out or err).strip().splitlines()[-1:]}
    finally:
        stop(server)
        shutil.rmtree(served, ignore_errors=True)
    return {"phases": [quiet, during], "ingest": ingest_info, "documents": documents}


def table(result: dict, users: int, workers: int) -> str:
    lines = ["| phase | page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | load avg (1 min) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for phase in result["phases"]:
        for r in phase.rows():
            lines.append(f"| {r['phase']} | {r['kind']} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
                         f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | "
                         f"{phase.load[0]:.1f} → {phase.load[1]:.1f} |")
    lines.append("")
    for phase in result["phases"]:
        server, client = phase.cpu_per_request()
        lines.append(f"CPU per answered request, {phase.name}: server {server:.1f} ms, simulated users {client:.1f} ms "
                     f"({phase.server_cpu:.0f} + {phase.client_cpu:.0f} CPU s in {phase.seconds:.0f} s on "
                     f"{os.cpu_count()} cores)")
    return "\n".join(lines)


def verdict(result: dict) -> list[str]:
    out = []
    for phase in result["phases"]:
        rows = {r["kind"]: r for r in phase.rows()}
        for kind in ("search", "document"):
            p95 = rows[kind]["p95"]
            out.append(f"- {'✔' if p95 <= TARGET_MS else '✘'} {phase.name}: {kind} p95 {p95:.0f} ms "
                       f"(target ≤ {TARGET_MS:.0f})")
        errors = rows["all"]["errors"]
        out.append(f"- {'✔' if errors == 0 else '✘'} {phase.name}: {errors} errors"
                   + (f" (first: {'; '.join(phase.samples)})" if phase.samples else ""))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=3000, help="letters in the archive served")
    ap.add_argument("--ingest", type=int, default=500, help="letters ingested during the second phase")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean seconds a user reads a page before the next request (exponential; 0: none)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", default=None, help="keep data and archive here (reused by the next run)")
    a = ap.parse_args(argv)
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="congvan-load-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = measure(work, a.letters, a.ingest, a.users, a.seconds, a.workers, a.seed, a.think)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    ing = result["ingest"]
    print(f"{result['documents']} documents served by `congvan serve --workers {a.workers}`, {a.users} users, "
          f"{a.seconds:g} s per phase, think time {a.think:g} s; {machine()}")
    print()
    print(table(result, a.users, a.workers))
    print()
    print(f"ingest during phase 2: {ing.get('letters')} letters, `congvan ingest --workers 1`, "
          f"{ing.get('seconds', 0):.0f} s, exit {ing.get('exit')}: "
          f"{' '.join(ing.get('summary', []))}")
    print("\n".join(verdict(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
