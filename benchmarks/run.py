"""Run the stage benchmarks on a generated data set and write `benchmarks/RESULTS.md`.

    python -m benchmarks.run --docs 1000 --pdf 100        # make bench
    python -m benchmarks.run --docs 100000 --pdf 1000     # make bench-full

Every stage runs in its own process so that its peak RSS is its own (workers included).
Stages: ingest end to end through `Archive.ingest` (text files and text PDFs, 1 worker and
2 workers), bulk load (parse with all cores, catalog, one index build), parse, index build
and size (Tantivy, the default, Whoosh and SQLite FTS5 on the same records), search p50/p95 warm and cold on
a fixed query mix, trace and cited-by, and the peak RSS of opening the archive to answer a
query. Other `benchmarks/bench_*.py` modules found are run too (see `benchmarks/common.py`)."""
from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.common import disk_mb, lat_row, merge_results, peak_rss_mb, percentile, results_text, row

HERE = Path(__file__).resolve().parent
OTHER_BENCHMARKS = ("bench_parse", "bench_pdf", "bench_search", "bench_graph", "bench_dedup")


def _rss() -> float:
    return max(peak_rss_mb(), peak_rss_mb(children=True))


def _truth(data: Path, fields: tuple[str, ...] = ("gid", "path", "code", "level", "relation")) -> list[dict]:
    """The ground truth's rows, only `fields` of each (`targets`: the gids its references point
    to): 100k whole rows are ~400 MB of Python objects, which would count as the stage's memory."""
    out = []
    with open(data / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            r["targets"] = [m["target"] for m in r["references"]]
            out.append({k: r[k] for k in fields})
    return out


def _files(data: Path, kind: str, limit: int | None) -> list[Path]:
    files = sorted((data / kind).rglob(f"*.{'txt' if kind == 'text' else 'pdf'}"))
    return files[:limit] if limit else files


# -- stages (each runs in a child process and returns rows) ----------------------------------
def stage_ingest(data: Path, work: Path, kind: str, workers: int, limit: int | None) -> list[dict]:
    from index.archive import Archive
    from index.search import FOLDERS
    files = _files(data, kind, limit)
    root = work / f"ingest-{kind}-{workers}"
    shutil.rmtree(root, ignore_errors=True)
    archive = Archive(root)
    t0, cpu0 = time.perf_counter(), os.times()
    report = archive.ingest(files, workers=workers)
    secs, cpu1 = time.perf_counter() - t0, os.times()
    cpu = sum(cpu1[:4]) - sum(cpu0[:4])  # this process and its finished workers
    engine = archive.engine
    archive.close()
    n = len(report.ingested) + len(report.unchanged)  # files handled (duplicates found are among them)
    notes = f"{len(report.failed)} failed, {len(report.unchanged)} unchanged, " \
            f"{len(report.duplicates)} duplicate findings; {cpu / max(1, n) * 1000:.0f} ms CPU " \
            f"per document (parent + workers); " \
            f"catalog {disk_mb(root / 'catalog.sqlite3'):.1f} MB, full text ({engine}) " \
            f"{disk_mb(root / FOLDERS[engine]):.1f} MB"
    return [row(f"ingest {kind} end to end", f"{workers} worker{'s' * (workers > 1)}", len(files),
                f"{n / secs:,.1f} docs/s", secs / max(1, len(files)), None, _rss(), disk_mb(root), notes)]


def _read_chunk(paths: list[str]) -> list:
    from index.archive import read_file
    return [read_file(p, "never") for p in paths]


def stage_load(data: Path, work: Path) -> list[dict]:
    """The whole set into one archive: parse with all cores, one catalog transaction per file
    (as ingest does), then one full-text build (as `congvan reindex` does)."""
    from index.archive import Archive
    from ingest import sha256_file
    from nlp import Record
    files = _files(data, "text", None)
    root = work / "archive"
    shutil.rmtree(root, ignore_errors=True)
    archive = Archive(root)
    t0 = time.perf_counter()

    def write(results: list) -> None:
        for path, recs, error in results:
            if error or not recs:
                continue
            digest = sha256_file(path)
            if archive.catalog.has_file(digest):
                archive.catalog.add_path(path, digest)
                continue
            records = [Record.from_dict(r) for r in recs]
            archive.catalog.add_file(path, digest, "text", Path(path).stat().st_size, path, records)

    # the catalog is written as the workers' results come in: parsing and writing overlap, and
    # 100k parsed letters are never held at once
    inflight: deque = deque()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for i in range(0, len(files), 64):
            inflight.append(pool.submit(_read_chunk, [str(f) for f in files[i:i + 64]]))
            if len(inflight) >= 8:  # a few chunks ahead of the writer, no more
                write(inflight.popleft().result())
        while inflight:
            write(inflight.popleft().result())
    t_cat = time.perf_counter() - t0
    archive.reindex()
    secs = time.perf_counter() - t0
    docs, engine = archive.catalog.count(), archive.engine
    archive.close()
    notes = f"parse and catalog (overlapped) {t_cat:.0f} s, reindex (citation keys + {engine} build) " \
            f"{secs - t_cat:.0f} s; {docs} documents"
    return [row("bulk load (parse all cores + catalog + one index build)", engine, len(files),
                f"{len(files) / secs:,.1f} docs/s", None, None, _rss(), disk_mb(root), notes)]


def stage_parse(data: Path, work: Path, limit: int | None) -> list[dict]:
    from ingest import extract
    from nlp import parse
    docs = [d for f in _files(data, "text", limit) for d in extract(f)]
    times = []
    for d in docs:
        t0 = time.perf_counter()
        parse(d)
        times.append(time.perf_counter() - t0)
    return [row("parse (metadata + references)", "1 core", len(docs), f"{len(docs) / sum(times):,.0f} docs/s",
                percentile(times, 50), percentile(times, 95), _rss(), None, "nlp.parse on extracted text")]


def _records(work: Path, limit: int | None = None):
    """The archive's records streamed from its catalog (as `congvan reindex` reads them): 100k
    records held in a list would be the stage's peak memory, not the engine's."""
    from index.catalog import Catalog
    cat = Catalog(work / "archive" / "catalog.sqlite3")
    try:
        for i, rec in enumerate(cat.documents()):
            if limit is not None and i >= limit:
                break
            yield rec
    finally:
        cat.close()


def stage_index(data: Path, work: Path, engine_name: str, limit: int | None = None) -> list[dict]:
    from benchmarks.engines import engines
    eng = next(e for e in engines(work / "engines") if e.name.startswith(engine_name))
    t0, cpu = time.perf_counter(), time.process_time()
    n = eng.build(_records(work, limit))
    secs, cpu = time.perf_counter() - t0, time.process_time() - cpu
    return [row("index build", eng.name, n, f"{n / secs:,.0f} docs/s", None, None, _rss(), disk_mb(eng.folder),
                (f"{n / cpu:,.0f} docs per CPU second (this process, engine threads included); " if cpu else "")
                + "records read from the catalog as they are indexed, as `congvan reindex` does")]


def _gid_of_id(work: Path, data: Path) -> dict[str, str]:
    """Record id → generator id, through the file paths the archive holds."""
    import sqlite3
    truth = {str(data / r["path"]): r["gid"] for r in _truth(data)}
    db = sqlite3.connect(str(work / "archive" / "catalog.sqlite3"))
    out = {}
    for path, doc_id in db.execute("SELECT p.path, d.id FROM paths p JOIN documents d ON d.sha256 = p.sha256"):
        if path in truth:
            out.setdefault(doc_id, truth[path])
    db.close()
    return out


def stage_search(data: Path, work: Path, engine_name: str) -> list[dict]:
    from benchmarks.engines import engines
    queries = [json.loads(x) for x in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    eng = next(e for e in engines(work / "engines") if e.name.startswith(engine_name))
    gid = _gid_of_id(work, data)
    n_docs = len(gid)
    cold = []
    for q in queries[:20]:  # cold: a fresh open of the index for every query (OS file cache stays warm)
        t0 = time.perf_counter()
        eng.open()
        eng.search(q["query"])
        cold.append(time.perf_counter() - t0)
        eng.close()
    eng.open()
    # the index may hold a subset (--whoosh-docs): count what it holds
    n_docs = eng.engine.count() if getattr(eng, "engine", None) is not None else n_docs
    for q in queries:  # one pass to warm caches
        eng.search(q["query"])
    warm, found, wanted = [], 0, 0
    for q in queries:
        t0 = time.perf_counter()
        hits = eng.search(q["query"])
        warm.append(time.perf_counter() - t0)
        if q["expect"]:
            wanted += 1
            found += bool({gid.get(h) for h in hits} & set(q["expect"]))
    eng.close()
    note = f"{found}/{wanted} queries find an expected letter in the top 10"
    return [lat_row("search warm", eng.name, n_docs, warm, rss=_rss(), notes=note),
            lat_row("search cold (open + query)", eng.name, n_docs, cold, rss=_rss())]


def stage_archive_search(data: Path, work: Path) -> list[dict]:
    from index.archive import Archive
    queries = [json.loads(x) for x in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    archive = Archive(work / "archive")
    archive.search(queries[0]["query"])
    warm = []
    for q in queries:
        t0 = time.perf_counter()
        archive.search(q["query"])
        warm.append(time.perf_counter() - t0)
    n, engine = archive.catalog.count(), archive.engine
    archive.close()
    return [lat_row("search warm via Archive.search (index + catalog)", engine, n, warm, rss=_rss())]


def stage_graph(data: Path, work: Path) -> list[dict]:
    from index.archive import Archive
    from index.graph import Paging
    truth = _truth(data, ("gid", "code", "level", "relation", "targets"))
    gid = _gid_of_id(work, data)
    id_of = {g: i for i, g in gid.items()}
    archive = Archive(work / "archive")
    heads = [r for r in truth if r["level"] == "central" and r["relation"] is None][:50]
    n = archive.catalog.count()
    trace_t, cited_t = [], []
    for r in heads:  # as the commands answer: a much-cited directive grouped, its first pages
        t0 = time.perf_counter()
        archive.trace(r["code"], depth=3, paging=Paging())
        trace_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        archive.cited_by(id_of.get(r["gid"], r["code"]), paging=Paging())
        cited_t.append(time.perf_counter() - t0)
    # how many known edges the archive resolves (a sample of citing letters)
    rng = random.Random(1)
    citing = [r for r in truth if any(r["targets"]) and r["gid"] in id_of]
    sample = rng.sample(citing, min(300, len(citing)))
    edges = found = 0
    for r in sample:
        got = {d["id"] for d in archive.references(id_of[r["gid"]])["documents"]}
        for target in r["targets"]:
            if target:
                edges += 1
                found += id_of.get(target) in got
    archive.close()
    return [lat_row("trace (depth 3)", "sqlite catalog", n, trace_t, rss=_rss(),
                    notes=f"{len(heads)} directives"),
            lat_row("cited-by", "sqlite catalog", n, cited_t, rss=_rss(),
                    notes=f"edges resolved: {found}/{edges} of the ground truth's (sample)")]


def stage_resolution(data: Path, work: Path) -> list[dict]:
    """Every citation of the generated letters whose target is archived, resolved by `refs`
    (`benchmarks.bench_graph.resolution`: a copy of the target counts as the target)."""
    from benchmarks.bench_graph import resolution
    from index.archive import Archive
    archive = Archive(work / "archive")
    out = resolution(archive, data)
    n = archive.catalog.count()
    archive.close()
    share = out["right"] / out["known"] if out["known"] else 0.0
    misses = "; ".join(f"{what} {k}" for what, k in out["misses"]) or "none"
    return [row("citations resolved to the right letter", "generated set", n, f"{share:.2%}", None, None, _rss(),
                None, f"{out['right']}/{out['known']} right, {out['wrong']} wrong; misses: {misses}")]


def stage_places(docs: int, work: Path) -> list[dict]:
    """Citations of local bodies across provinces, cities, districts and communes
    (`benchmarks.bench_places`), at most 10k letters (the cost is parsing them)."""
    from benchmarks.bench_places import measure
    n = min(docs, 10_000)
    out = measure(n, workdir=work)
    return [row("citations resolved to the right letter", "across places", n, f"{out['share']:.2%}", None, None,
                _rss(), None, f"{out['right']}/{out['citations']} right, {out['wrong']} wrong "
                f"(target ≥ 99.5 %, 0 wrong); parse + catalog {out['load_s']:.0f} s, refs {out['refs_s']:.1f} s")]
JOURNEY_LETTERS = 2000  # generated letters the journeys ingest (through the CLI, one call per check)


def stage_journeys(data: Path, work: Path, kind: str) -> list[dict]:
    """The four journeys of ../shared/eval/journeys.py (benchmarks/journeys_run.py) through the
    command line, on the real texts of docs.jsonl written out as files, or on the first
    `JOURNEY_LETTERS` generated letters (copies, drafts and shared codes among them)."""
    from benchmarks import journeys_run as jr
    folder = work / f"journeys-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    if kind == "real":
        if not jr.REAL_DOCS.exists():
            return []
        n = jr.write_real_texts(folder)
        what = "real texts of ../shared/eval/real/docs.jsonl"
    else:
        folder.mkdir(parents=True)
        files = _files(data, "text", JOURNEY_LETTERS)
        for f in files:
            shutil.copyfile(f, folder / f"{f.parent.name}-{f.name}")
        n = len(files)
        what = "generated letters"
    if not jr.JOURNEYS.exists():
        return [row(f"journeys ({what})", "congvan CLI", n, "", notes=f"{jr.JOURNEYS} is absent")]
    result = jr.run([folder], sample=200)
    passed = sum(a for a, _ in result["passed"].values())
    tries = sum(b for _, b in result["passed"].values())
    notes = jr.rates(result) + (f"; first failures: {' | '.join(result['failures'][:3])}" if result["failures"] else "")
    return [row(f"journeys ({what})", "congvan CLI", n, f"{passed / max(1, tries):.1%} passed",
                None, None, _rss(), None, notes)]


def stage_open(data: Path, work: Path) -> list[dict]:
    from index.archive import Archive
    t0 = time.perf_counter()
    archive = Archive(work / "archive")
    archive.search("thông tin đối ngoại")
    with open(data / "truth.jsonl", encoding="utf-8") as fh:  # one row: the rest is not the archive's memory
        archive.trace(json.loads(fh.readline())["code"])
    secs = time.perf_counter() - t0
    n = archive.catalog.count()
    archive.close()
    return [row("open archive + first search + trace", "", n, "", secs, None, _rss(), disk_mb(work / "archive"),
                "peak RSS of one process answering a query (what `congvan serve` holds)")]


STAGES = {
    "ingest": lambda a: stage_ingest(a.data, a.work, a.kind, a.workers, a.limit),
    "load": lambda a: stage_load(a.data, a.work),
    "parse": lambda a: stage_parse(a.data, a.work, a.limit),
    "index": lambda a: stage_index(a.data, a.work, a.engine, a.limit),
    "search": lambda a: stage_search(a.data, a.work, a.engine),
    "archive-search": lambda a: stage_archive_search(a.data, a.work),
    "graph": lambda a: stage_graph(a.data, a.work),
    "resolution": lambda a: stage_resolution(a.data, a.work),
    "places": lambda a: stage_places(a.docs, a.work),
    "open": lambda a: stage_open(a.data, a.work),
    "journeys": lambda a: stage_journeys(a.data, a.work, a.kind),
    "commands": lambda a: _commands().stage_commands(a.data, a.work),
    "serve": lambda a: _commands().stage_serve(a.data, a.work),
}


def _commands():
    from benchmarks import bench_commands
    return bench_commands


def run_stage(args: list[str], timeout: float) -> tuple[list[dict], str]:
    """One stage in a child process; (rows, error text)."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--stage", *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {timeout:.0f} s"
    if proc.returncode != 0:
        return [], proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), ""


def other_args(name: str, docs: int, quick: bool) -> list[str] | None:
    """Command-line arguments of the other stage benchmarks: their defaults are the 10k/100k
    runs; `make bench` gives them the quick size. None: not run at this size (bench_search
    copies ~20k-character real documents: at 100k it alone would take hours, and the search
    rows of the table above measure the 100k archive)."""
    if name == "bench_pdf":  # PDF pages/s do not depend on the archive's size
        return ["--repeat", "1"]
    if name == "bench_search":
        return ["--docs", str(docs), "--max-queries", "40", "--repeats", "1"] if quick else None
    if name == "bench_graph":
        return ["--docs", str(docs)]
    if name == "bench_dedup":
        return ["--sizes", str(docs), "--no-sweep"] if quick else []
    return []


def other_benchmarks(data: Path, docs: int, quick: bool) -> tuple[list[dict], list[tuple[str, str]]]:
    """Stage benchmarks written beside this one, when present."""
    rows, sections = [], []
    ctx = {"data": data, "docs": docs, "quick": quick, "truth": data / "truth.jsonl"}
    env = dict(os.environ, CONGVAN_BENCH_DATA=str(data), CONGVAN_BENCH_DOCS=str(docs),
               CONGVAN_BENCH_QUICK="1" if quick else "0")
    for name in OTHER_BENCHMARKS:
        if not (HERE / f"{name}.py").exists():
            continue
        try:
            mod = importlib.import_module(f"benchmarks.{name}")
        except Exception as exc:  # another branch's module must not stop the run
            sections.append((name, f"could not be imported: {type(exc).__name__}: {exc}"))
            continue
        if hasattr(mod, "run_benchmark"):
            try:
                rows += list(mod.run_benchmark(ctx))
            except Exception as exc:
                sections.append((name, f"failed: {type(exc).__name__}: {exc}"))
            continue
        args = other_args(name, docs, quick)
        if args is None:
            sections.append((name, f"not run at {docs:,} letters (see `other_args` in benchmarks/run.py); "
                                   "`make bench` runs it"))
            continue
        try:
            print(f"== {name} {' '.join(args)}", file=sys.stderr)
            proc = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", *args],
                                  capture_output=True, text=True, env=env, cwd=HERE.parent, timeout=1800)
            out = proc.stdout.strip() or proc.stderr.strip()[-2000:]
        except subprocess.TimeoutExpired:
            out = "timed out after 1800 s"
        sections.append((name, out))
    return rows, sections


def _top(prof, lines: int = 32) -> str:
    text = prof.output_text(unicode=False, color=False)
    return "\n".join([ln for ln in text.splitlines() if ln.strip()][:lines])


def profile_ingest(data: Path, work: Path, kind: str = "text", workers: int = 1, n: int = 60) -> str:
    """pyinstrument's view of the ingesting process (catalog, duplicates, index; workers read)."""
    from pyinstrument import Profiler

    from index.archive import Archive
    root = work / f"profile-archive-{kind}-{workers}"
    shutil.rmtree(root, ignore_errors=True)
    archive = Archive(root)
    files = _files(data, kind, n)
    prof = Profiler()
    prof.start()
    archive.ingest(files, workers=workers)
    prof.stop()
    archive.close()
    return _top(prof)


def profile_index(work: Path, n: int = 5000) -> str:
    """pyinstrument's view of a Tantivy build from the catalog (the `index build` row)."""
    from pyinstrument import Profiler

    from benchmarks.engines import ProjectEngine
    eng = ProjectEngine("tantivy", work / "profile-index")
    prof = Profiler()
    prof.start()
    eng.build(_records(work, n))
    prof.stop()
    shutil.rmtree(eng.folder, ignore_errors=True)
    return _top(prof)


def profile_trace(data: Path, work: Path, n: int = 10) -> str:
    """pyinstrument's view of `trace --depth 3` from central directives (the `trace` row)."""
    from pyinstrument import Profiler

    from index.archive import Archive
    heads = [r["code"] for r in _truth(data, ("code", "level", "relation"))
             if r["level"] == "central" and r["relation"] is None][:n]
    archive = Archive(work / "archive")
    archive.trace(heads[0], depth=3)  # caches warm, as in the timed stage
    prof = Profiler()
    prof.start()
    for code in heads:
        archive.trace(code, depth=3)
    prof.stop()
    archive.close()
    return f"{len(heads)} traces\n" + _top(prof)


def profile_reader(data: Path, kind: str = "pdf", n: int = 20) -> str:
    """pyinstrument's view of what a worker does per file (extract + parse), in this process."""
    from pyinstrument import Profiler

    from index.pipeline import read_bounded
    files = _files(data, kind, n)
    if not files:
        return "no files"
    read_bounded(str(files[0]))  # imports and caches warm
    prof = Profiler()
    prof.start()
    cpu = time.process_time()
    for f in files:
        read_bounded(str(f))
    cpu = time.process_time() - cpu
    prof.stop()
    return f"{len(files)} files, {cpu / len(files) * 1000:.0f} ms CPU per file\n" + _top(prof, 24)


def _num(text: object) -> float | None:
    try:
        return float(str(text).split()[0].replace(",", ""))
    except (ValueError, IndexError):
        return None


def against_targets(rows: list[dict]) -> str:
    """Each target of issue 9 beside what this run measured (✔ met, ✘ missed)."""
    out = []

    def check(label: str, value: float | None, target: float, higher: bool, unit: str) -> None:
        if value is None:
            return
        ok = value >= target if higher else value <= target
        out.append(f"- {'✔' if ok else '✘'} {label}: {value:,.1f} {unit} "
                   f"(target {'≥' if higher else '≤'} {target:,.{1 if target % 1 else 0}f})")

    for r in rows:
        stage, engine = r.get("stage", ""), r.get("engine", "")
        if stage == "ingest pdf end to end" and engine != "1 worker":
            check(f"ingest of text PDFs, {engine}", _num(r.get("rate")), 20, True, "docs/s")
        elif stage.startswith("parse"):
            check("metadata and references on one core", _num(r.get("rate")), 150, True, "docs/s")
        elif stage == "index build":
            check(f"index build, {engine}", _num(r.get("rate")), 1000, True, "docs/s")
        elif stage == "search warm":
            check(f"search p95 warm, {engine}", _num(r.get("p95 ms")), 50, False, "ms")
        elif stage == "citations resolved to the right letter":
            check(f"citations resolved to the right letter ({engine})", _num(str(r.get("rate")).rstrip("%")), 99.5,
                  True, "%")
            wrong = _num(str(r.get("notes", "")).split(" right, ")[-1])
            if wrong:
                out.append(f"- ✘ citations resolved to a wrong letter ({engine}): {wrong:,.0f} (target 0)")
        elif stage in ("trace (depth 3)", "cited-by"):
            check(f"{stage} p95", _num(r.get("p95 ms")), 100, False, "ms")
        elif stage.startswith("journeys"):
            check(stage, _num(str(r.get("rate")).split("%")[0]), 100, True, "% of journeys passed")
        if _num(r.get("peak RSS MB")) is not None and _num(r.get("peak RSS MB")) > 1000:
            out.append(f"- ✘ peak RSS of {stage} ({engine}): {r['peak RSS MB']} MB (target ≤ 1,000)")
    return "\n".join(out) or "no rows to compare"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--pdf", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--ingest-docs", type=int, default=200,
                    help="letters ingested end to end per run (Archive.ingest); 0 = all")
    ap.add_argument("--data", type=Path, help="generated data set (default: build/bench/data-<docs>)")
    ap.add_argument("--work", type=Path, help="scratch folder (default: build/bench/work-<docs>)")
    ap.add_argument("--whoosh-docs", type=int, default=0,
                    help="index and search Whoosh on the first N records only (0 = all): at 100k its build "
                         "alone would take a quarter of an hour")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--kind", default="text", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--engine", default="tantivy", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    a.limit = a.limit or None
    a.data = a.data or HERE.parent / "build" / "bench" / f"data-{a.docs}"
    a.work = a.work or HERE.parent / "build" / "bench" / f"work-{a.docs}"
    if a.stage:
        print(json.dumps(STAGES[a.stage](a), ensure_ascii=False))
        return 0

    from benchmarks.generate import VERSION, generate
    load_start = os.getloadavg()[0]  # the machine may be shared: its load says how far to trust wall times
    run_start = time.perf_counter()
    generated = False
    manifest_path = a.data / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if [manifest.get(k) for k in ("docs", "seed", "version", "pdf_requested")] != [a.docs, a.seed, VERSION, a.pdf]:
        shutil.rmtree(a.data, ignore_errors=True)
        print(f"generating {a.docs} letters ({a.pdf} as PDF) in {a.data}", file=sys.stderr)
        manifest = generate(a.data, a.docs, a.seed, a.pdf)
        generated = True
    a.work.mkdir(parents=True, exist_ok=True)
    base = ["--data", str(a.data), "--work", str(a.work)]
    limit = ["--limit", str(a.ingest_docs)] if a.ingest_docs else []
    plan = [
        ["ingest", "--kind", "text", "--workers", "1", *limit],
        ["ingest", "--kind", "text", "--workers", str(os.cpu_count() or 2), *limit],
        ["ingest", "--kind", "pdf", "--workers", "1", *limit],
        ["ingest", "--kind", "pdf", "--workers", str(os.cpu_count() or 2), *limit],
        ["parse", *limit],
        ["load"],
        *[["index", "--engine", e, *(["--limit", str(a.whoosh_docs)] if e == "whoosh" and a.whoosh_docs else [])]
          for e in ("tantivy", "whoosh", "sqlite-fts5")],
        *[["search", "--engine", e] for e in ("tantivy", "whoosh", "sqlite-fts5")],
        ["archive-search"], ["graph"], ["resolution"], ["places"], ["open"], ["serve"], ["commands"],
        ["journeys", "--kind", "real"], ["journeys", "--kind", "generated"],
    ]
    rows, errors = [], []
    for args in plan:
        label = " ".join(args)
        print(f"== {label}", file=sys.stderr)
        got, err = run_stage(args + base, timeout=6 * 3600)
        rows += got
        for r in got:  # as it goes: a long run (make bench-full) shows its results before the end
            print(f"   {r['stage']} | {r['engine']} | {r['docs']} | {r['rate']} | p50 {r['p50 ms']} ms | "
                  f"p95 {r['p95 ms']} ms | {r['peak RSS MB']} MB", file=sys.stderr, flush=True)
        if err:
            errors.append(f"- `{label}`: {err}")
            print(f"   failed: {err}", file=sys.stderr)
    (a.work / "rows.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")

    def publish(rows: list[dict], extra: list[tuple[str, str]], pending: str = "") -> str:
        """RESULTS.md as it stands: written after each part, so a long run shows its table early."""
        minutes = (time.perf_counter() - run_start) / 60
        info = (f"Data: `benchmarks/generate.py --docs {a.docs} --seed {a.seed} --pdf {a.pdf}` "
                f"({manifest.get('pdfs')} PDFs, {manifest.get('edges')} citation edges, groups "
                f"{manifest.get('groups')}; generated in {manifest.get('seconds')} s"
                f"{'' if generated else ' by an earlier run'}). "
                f"End-to-end ingest runs on the first {a.ingest_docs or a.docs} files of each kind"
                f"{f'; Whoosh indexes and searches the first {a.whoosh_docs:,} records' if a.whoosh_docs else ''}. "
                "Rates are documents (or queries) per second; p50/p95 are per document or per query. "
                "Peak RSS is the stage's process with its workers. Cold search opens the index anew for each "
                "query; the OS file cache is not dropped. "
                f"Load average (1 min) at the start {load_start:.1f}, now {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} cores: above the core count other work shared the machine, so wall-clock "
                "rates are low and the CPU-time notes are the steadier measure. "
                f"The run took {minutes:.0f} min{' so far' if pending else ''}"
                f"{' (generation included)' if generated else ' (data generated earlier)'}.")
        sections = [("How these were measured", info),
                    (f"Against the targets (at {a.docs:,} letters)", against_targets(rows))]
        if errors:
            sections.append(("Stages that did not finish", "\n".join(errors)))
        if pending:
            sections.append(("Still running", pending))
        text = results_text(f"Benchmarks: {a.docs:,} letters", rows, sections + extra)
        merge_results(a.out, a.docs, text)
        return text

    publish(rows, [], "profiles, then the other stage benchmarks (benchmarks/bench_*.py)")
    profiles: list[tuple[str, str]] = []
    if not a.no_profile:
        print("== profiles", file=sys.stderr)
        for kind, workers in (("text", 1), ("pdf", 2)):
            profiles.append((f"Profile: ingest of {kind} files end to end, {workers} worker{'s' * (workers > 1)}, "
                             "the ingesting process (pyinstrument)",
                             "```\n" + profile_ingest(a.data, a.work, kind, workers) + "\n```"))
        profiles.append(("Profile: what a worker does per PDF (extract + parse, pyinstrument)",
                         "```\n" + profile_reader(a.data) + "\n```"))
        profiles.append(("Profile: Tantivy index build from the catalog, first 5,000 records (pyinstrument)",
                         "```\n" + profile_index(a.work) + "\n```"))
        profiles.append(("Profile: trace --depth 3 of central directives (pyinstrument)",
                         "```\n" + profile_trace(a.data, a.work) + "\n```"))
        publish(rows, profiles, "the other stage benchmarks (benchmarks/bench_*.py)")
    more_rows, others = other_benchmarks(a.data, a.docs, a.docs <= 10_000)
    rows += more_rows
    (a.work / "rows.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(publish(rows, others + profiles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
