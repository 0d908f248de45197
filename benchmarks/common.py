"""Helpers shared by the stage benchmarks: timing, percentiles, peak memory, disk size, and
the one markdown table that `make bench` prints and writes to `benchmarks/RESULTS.md`.

A stage benchmark module `benchmarks/bench_<stage>.py` plugs into `benchmarks/run.py` by
exposing `run_benchmark(ctx: dict) -> list[dict]` (rows with the `Row` keys below) or, failing
that, by being runnable as `python -m benchmarks.bench_<stage>`; it then reads the generated
data set from `$CONGVAN_BENCH_DATA` (see `benchmarks/generate.py`), the number of letters from
`$CONGVAN_BENCH_DOCS`, and its printed output goes into RESULTS.md as it is."""
from __future__ import annotations

import os
import platform
import re
import resource
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

COLUMNS = ("stage", "engine", "docs", "rate", "p50 ms", "p95 ms", "peak RSS MB", "disk MB", "notes")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[list[float], object]:
    """Run `fn` `repeat` times; (seconds of each run, the last result)."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def latencies(fn: Callable[[object], object], items: Iterable[object]) -> list[float]:
    """Seconds per call of `fn(item)`."""
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t0)
    return out


@contextmanager
def stopwatch():
    """`with stopwatch() as sw: …` then `sw()` is the elapsed seconds."""
    t0 = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - t0
    end.append(time.perf_counter())


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children) in MB, from
    getrusage: Linux reports kilobytes, macOS bytes."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    kb = resource.getrusage(who).ru_maxrss
    if sys.platform == "darwin":
        kb /= 1024
    return kb / 1024


def disk_mb(path: str | Path) -> float:
    """Bytes on disk under `path` (allocated blocks, so sparse and tiny files count fairly)."""
    p = Path(path)
    if not p.exists():
        return 0.0
    files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
    return sum(f.stat().st_blocks * 512 for f in files) / 1e6


def row(stage: str, engine: str = "", docs: int | None = None, rate: str = "", p50: float | None = None,
        p95: float | None = None, rss: float | None = None, disk: float | None = None, notes: str = "") -> dict:
    """One result row; latencies in seconds, converted to ms for printing."""
    return {"stage": stage, "engine": engine, "docs": docs, "rate": rate,
            "p50 ms": None if p50 is None else round(p50 * 1000, 2),
            "p95 ms": None if p95 is None else round(p95 * 1000, 2),
            "peak RSS MB": None if rss is None else round(rss, 1),
            "disk MB": None if disk is None else round(disk, 2), "notes": notes}


def lat_row(stage: str, engine: str, docs: int, seconds: list[float], **kw) -> dict:
    """A row for a latency series: rate as calls/s, p50 and p95."""
    total = sum(seconds)
    rate = f"{len(seconds) / total:,.0f} q/s" if total else ""
    return row(stage, engine, docs, rate, percentile(seconds, 50), percentile(seconds, 95), **kw)


def markdown_table(rows: list[dict], columns: Iterable[str] = COLUMNS) -> str:
    cols = list(columns)

    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1e6:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.processor() or platform.machine()}){mem}, " \
           f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


def results_text(title: str, rows: list[dict], sections: list[tuple[str, str]] = ()) -> str:
    """The results of one run: the machine, the date, the table, then extra sections (heading, body)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# {title}", "", f"Machine: {machine()}.  ", f"Date: {stamp}.", "", markdown_table(rows), ""]
    for heading, body in sections:
        parts += [f"## {heading}", "", body.rstrip(), ""]
    return "\n".join(parts)


def write_results(path: str | Path, title: str, rows: list[dict], sections: list[tuple[str, str]] = ()) -> str:
    """Write RESULTS.md: the machine, the date, the table, then extra sections (heading, body)."""
    text = results_text(title, rows, sections)
    Path(path).write_text(text, encoding="utf-8")
    return text


_BLOCK = re.compile(r"<!-- results:(\d+) -->\n(.*?)<!-- /results:\1 -->\n", re.S)
_NOTES = re.compile(r"<!-- notes -->\n.*?<!-- /notes -->\n", re.S)
_TITLE = re.compile(r"#+ Benchmarks: ([\d,]+) letters")


def _demote(text: str) -> str:
    """Headings one level down (outside code blocks): each run becomes a section of the file."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(out).rstrip() + "\n"


def merge_results(path: str | Path, docs: int, text: str) -> str:
    """Put one run's results into RESULTS.md beside those of runs at other sizes (`make bench`
    at 1k and `make bench-full` at 100k each keep their own table, date and machine line); a
    run replaces the earlier one of its size. Largest first."""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    blocks = {int(k): v for k, v in _BLOCK.findall(old)}
    bare = _NOTES.sub("", old).lstrip()
    if bare and not blocks and (m := _TITLE.match(bare)):  # a file written before blocks existed
        blocks[int(m.group(1).replace(",", ""))] = _demote(bare)
    blocks[docs] = _demote(text)
    notes = _NOTES.search(old)  # written by hand (before/after comparisons): kept as they are
    parts = ["# Benchmarks", "",
             "Written by `benchmarks/run.py`: `make bench` (1,000 letters) and `make bench-full` (100,000 letters), "
             "each run with its own date, machine and load.", ""] + ([notes.group(0).rstrip(), ""] if notes else [])
    for n in sorted(blocks, reverse=True):
        parts += [f"<!-- results:{n} -->", blocks[n].rstrip(), f"<!-- /results:{n} -->", ""]
    merged = "\n".join(parts)
    path.write_text(merged, encoding="utf-8")
    return merged
