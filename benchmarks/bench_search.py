"""Search benchmark: both engines side by side on the same documents and queries.

    python benchmarks/bench_search.py                 # 10,000 documents
    python benchmarks/bench_search.py --docs 100000   # the 100k target
    python benchmarks/bench_search.py --docs 20000 --engines tantivy

Documents: the real texts of ../shared/eval/real/docs.jsonl (parsed once by `nlp.parse`),
copied with their numbers, codes and dates changed, until there are N of them (texts are cut
at --max-chars to stay letter-sized). This stands in for `benchmarks/generate.py` until
that generator exists. The catalog is written once; each engine's index is then built from
it, as `congvan reindex` does.

Printed per engine: indexing rate (documents/s), index size, and query latency p50/p95 for the
query mix of the quality set (tests/data/search_quality.jsonl, each query as typed and
without diacritics), through `Archive.search` with snippets and facets:
  cold = first search of a freshly opened archive (what one `congvan search` pays);
  warm = the same queries again in a process that has searched before;
  cpu = the CPU time of the warm queries (all threads of this process), which other work on
        the machine does not inflate as it does the clock.
`--secrecy` stamps one document in 20 `MẬT` (and one in 100 `TỐI MẬT`) and times the same warm
queries again as a reader without clearance (`Archive.as_viewer`: the engine leaves the secrecy
levels' terms out, so total and facets are the reader's), beside the owner's (nothing left out).
`--dir DIR` keeps the catalog and indexes: a second run on the same DIR measures the queries
again without rebuilding anything.

Copies searched (`--generated DATA --archive ROOT`): the archive that `benchmarks.run --stage
load` builds from a generated set (`make bench-full`: 100k letters), its copy groups written from
the generator's own duplicate and near-duplicate groups (`groups.jsonl`: what `index.dedup`
finds on ingest, precision and recall 1.000 in RESULTS.md; the bulk load does not look for
copies), then `Archive.search` timed warm over the set's query mix and the quality-set mix:
every query also matches the copies and adds the letters found through them.

    python -m benchmarks.bench_search --compare --generated build/bench/data-100000 \
        --archive build/bench/work-100000/archive
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.realdocs import real_docs  # noqa: E402
from benchmarks.search_quality import load_judgments  # noqa: E402
from index.archive import Archive  # noqa: E402
from index.search import parse_query  # noqa: E402
from nlp import Record, parse  # noqa: E402
from text.fold import fold  # noqa: E402

_NUM = re.compile(r"\d+")


def base_records(max_chars: int) -> list[Record]:
    """The real documents, parsed once (in worker processes)."""
    tmp = Path(tempfile.mkdtemp(prefix="congvan-bench-src-"))
    paths = []
    for i, d in enumerate(real_docs(max_chars=10 ** 9)):
        p = tmp / f"{i:04d}.txt"
        p.write_text(d["text"][:max_chars], encoding="utf-8")
        paths.append(str(p))

    out: list[Record] = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for recs in pool.map(_extract_parse, paths, chunksize=8):
            out += [Record.from_dict(r) for r in recs]
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def _extract_parse(path: str) -> list[dict]:
    from ingest import extract
    try:
        return [parse(doc).to_dict() for doc in extract(path, ocr="never")]
    except Exception:
        return []


def _shifted(digits: str, k: int) -> str:
    return str((int(digits) + k) % (10 ** len(digits))).zfill(len(digits))


def variants(bases: list[Record], n: int, seed: int = 7, secrecy: bool = False) -> Iterator[Record]:
    """`n` documents: the bases first, then copies with other numbers, codes and dates (with
    `secrecy`, one in 20 stamped Mật and one in 100 Tối mật)."""
    for rec in _variants(bases, n, seed):
        k = int(hashlib.sha256(rec.id.encode()).hexdigest()[:8], 16) % 100
        if secrecy and k < 5:  # a stamped copy of the record: the base stays as it is for the next variants
            rec = replace(rec, marks=replace(rec.marks, secrecy="Tối mật" if k == 0 else "Mật"))
        yield rec


def _variants(bases: list[Record], n: int, seed: int = 7) -> Iterator[Record]:
    rng = random.Random(seed)
    for i in range(n):
        base = bases[i % len(bases)]
        if i < len(bases):
            yield base
            continue
        shift = rng.randrange(1, 997)
        year = rng.randrange(2015, 2027)
        text = _NUM.sub(lambda m, k=shift: _shifted(m.group(0), k), base.text)
        d = base.to_dict()
        d["text"] = text
        d["id"] = hashlib.sha256(f"{i}:{text[:200]}".encode()).hexdigest()[:16] + "-0"
        if base.code and base.number:
            number = str((int(re.sub(r"\D", "", base.number) or 0) + shift) % 10000)
            d["code"] = base.code.replace(base.number, number, 1)
            d["number"] = number
        if base.issued_date:
            d["issued_date"] = f"{year}{base.issued_date[4:]}"
        yield Record.from_dict(d)


def build_catalog(root: Path, records: Iterator[Record]) -> int:
    archive = Archive(root)
    n = 0
    batch: list[Record] = []

    def flush() -> None:
        sha = hashlib.sha256("".join(r.id for r in batch).encode()).hexdigest()
        archive.catalog.add_file(f"bench/{sha[:12]}.txt", sha, "txt", 0, "", batch)

    for rec in records:
        batch.append(rec)
        n += 1
        if len(batch) >= 200:
            flush()
            batch = []
    if batch:
        flush()
    archive.catalog.close()
    return n


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def query_mix() -> list[str]:
    qs = []
    for j in load_judgments():
        qs.append(j["query"])
        if fold(j["query"]) != j["query"].lower():
            qs.append(fold(j["query"]))
    return qs


def warm_searches(archive: Archive, queries: list[str], repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of each search, `repeats` passes over `queries` after one warm-up pass."""
    for q in queries:
        archive.search(q, limit=10)
    wall, cpu = [], []
    for _ in range(repeats):
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            archive.search(q, limit=10)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def bench_engine(root: Path, engine: str, n: int, queries: list[str], repeats: int) -> dict:
    saved = root / f"indexing-{engine}.json"
    t = time.perf_counter()
    archive = Archive(root, engine=engine)
    if archive.fulltext.rebuilt_on_open:  # opening built it from the catalog: that is the time
        index_s = time.perf_counter() - t
    elif saved.exists() and archive.fulltext.count() == n:
        index_s = json.loads(saved.read_text())["seconds"]  # built by an earlier run: reuse it
    else:
        t = time.perf_counter()
        archive.reindex()
        index_s = time.perf_counter() - t
    saved.write_text(json.dumps({"seconds": index_s}))
    size = folder_size(archive.fulltext.folder)
    archive.close()

    cold = []
    for q in queries:
        a = Archive(root)
        t = time.perf_counter()
        a.search(q, limit=10)
        cold.append((time.perf_counter() - t) * 1000)
        a.close()
    a = Archive(root)
    warm, cpu = warm_searches(a, queries, repeats)
    a.close()
    return {"engine": engine, "docs": n, "rate": n / index_s, "index_s": index_s, "size_mb": size / 1e6,
            "cold_p50": percentile(cold, 50), "cold_p95": percentile(cold, 95),
            "warm_p50": percentile(warm, 50), "warm_p95": percentile(warm, 95),
            "cpu_p50": percentile(cpu, 50), "cpu_p95": percentile(cpu, 95)}


def bench_viewers(root: Path, queries: list[str], repeats: int) -> None:
    """The warm queries as the owner (nothing left out) and as a reader without clearance."""
    from index.access import FULL, Viewer
    a = Archive(root)
    print(f"\nsecrecy: {len(a.as_viewer(Viewer('doc', 'doc', None)).hidden())} of {a.catalog.count()} "
          f"documents stamped; warm queries, limit 10, snippets and facets on")
    print(f"{'viewer':<22}{'warm p50':>10}{'warm p95':>10}{'cpu p50':>9}{'cpu p95':>9}   (ms)")
    for name, viewer in (("owner (FULL)", FULL), ("reader, no clearance", Viewer("doc", "doc", None))):
        warm, cpu = warm_searches(a.as_viewer(viewer), queries, repeats)
        print(f"{name:<22}{percentile(warm, 50):>10.1f}{percentile(warm, 95):>10.1f}"
              f"{percentile(cpu, 50):>9.1f}{percentile(cpu, 95):>9.1f}")
    a.close()


def copies_from_groups(root: Path, data: Path) -> int:
    """Write the generator's duplicate and near-duplicate groups into the archive's catalog as
    `index.dedup` would (each later member a copy of the first); returns the copy rows written
    (0 when the catalog already holds copies)."""
    import sqlite3
    db = sqlite3.connect(str(root / "catalog.sqlite3"))
    if db.execute("SELECT count(*) FROM duplicates").fetchone()[0]:
        db.close()
        return 0
    by_file = {Path(p).parts[-3:]: i for p, i in db.execute(
        "SELECT p.path, d.id FROM paths p JOIN documents d ON d.sha256 = p.sha256")}
    path_of = {}
    with open(data / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            path_of[r["gid"]] = Path(r["path"]).parts[-3:]
    rows = []
    now = time.time()
    for line in (data / "groups.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["relation"] not in ("duplicate", "near-duplicate"):
            continue
        ids = [by_file.get(path_of.get(m)) for m in g["members"]]
        first = ids[0]
        for other in ids[1:]:
            if first and other and other != first:  # a byte-identical file is one document already
                rows.append((other, first, g["relation"], 1.0 if g["relation"] == "duplicate" else 0.9, "", now))
    db.executemany("INSERT OR IGNORE INTO duplicates (id, of, relation, similarity, path, found_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    return len(rows)


def excluding_copies(archive: Archive, text: str, hidden: list[str]) -> list[str]:
    """The search as it was before copies were searched: the copies left out of the engine's
    query, the hits read and their snippets cut (for `--compare`)."""
    from index.search import snippet
    from index.search._hits import hit_rows
    q = parse_query(text)
    res = archive.fulltext.query(q, limit=10, exclude=hidden)
    rows = hit_rows(archive.catalog.db, [h.id for h in res.hits])
    return [snippet(rows[h.id]["text"], q.words()) for h in res.hits if h.id in rows]


def bench_copies(root: Path, data: Path, repeats: int, compare: bool = False) -> None:
    """`Archive.search` warm on an archive with copy groups: latency, CPU, and how many letters
    each query found through a copy; with `compare`, the CPU of the copies-excluded search too,
    query by query in turn in the same process (the machine's load then weighs on both alike)."""
    written = copies_from_groups(root, data)
    queries = [json.loads(x)["query"] for x in (data / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    queries += query_mix()
    t = time.perf_counter()
    archive = Archive(root)
    hidden = archive.letters().hidden()
    archive.search("thông tin")  # opens (and, after an index version change, rebuilds) the index
    opened = time.perf_counter() - t
    wall, cpu = warm_searches(archive, queries, repeats)
    if compare:
        excluded, searched = [], []
        ordered = sorted(hidden)
        for _ in range(repeats):
            for q in queries:
                c = time.process_time()
                excluding_copies(archive, q, ordered)
                excluded.append((time.process_time() - c) * 1000)
                c = time.process_time()
                archive.search(q, limit=10)
                searched.append((time.process_time() - c) * 1000)
        print(f"CPU, in turn: copies excluded p50 {percentile(excluded, 50):.1f} ms, p95 "
              f"{percentile(excluded, 95):.1f} ms; copies searched p50 {percentile(searched, 50):.1f} ms, "
              f"p95 {percentile(searched, 95):.1f} ms")
    through = []
    for q in queries:  # letters whose copies match the query (what searching the copies adds)
        words = archive.fulltext.matching_ids(parse_query(q), within=hidden) if hidden else set()
        through.append(len({archive.letters().representative(i) for i in words}))
    n = archive.catalog.count()
    archive.close()
    print(f"{n} documents, {len(hidden)} of them copies folded under {n - len(hidden)} letters "
          f"({written} copy rows written from groups.jsonl); opened in {opened:.1f} s")
    print(f"{len(queries)} queries (the set's mix and the quality set, as typed and folded) x {repeats}, limit 10, "
          "snippets and facets on, copies searched")
    print(f"warm p50 {percentile(wall, 50):.1f} ms, p95 {percentile(wall, 95):.1f} ms; "
          f"CPU p50 {percentile(cpu, 50):.1f} ms, p95 {percentile(cpu, 95):.1f} ms")
    hit = [x for x in through if x]
    print(f"queries whose copies match: {len(hit)}/{len(through)}; letters with a matching copy per such query: "
          f"median {sorted(hit)[len(hit) // 2] if hit else 0}, max {max(hit) if hit else 0}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--engines", default="whoosh,tantivy")
    ap.add_argument("--max-chars", type=int, default=20_000, help="cut each text here (letter-sized)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--max-queries", type=int, default=0, help="an even sample of the mix (Whoosh is slow)")
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--secrecy", action="store_true", help="stamp some documents secret and time the "
                    "search of a reader without clearance beside the owner's")
    ap.add_argument("--generated", type=Path, help="a generated data set (benchmarks/generate.py): time search "
                    "with copies on --archive, the archive `benchmarks.run --stage load` built from it")
    ap.add_argument("--archive", type=Path, help="with --generated: the archive folder")
    ap.add_argument("--compare", action="store_true", help="with --generated: also the CPU of the search with "
                    "copies left out of the query, in turn with the search over copies")
    args = ap.parse_args()
    if args.generated:
        bench_copies(args.archive, args.generated, args.repeats, args.compare)
        return
    work = args.dir or Path(tempfile.mkdtemp(prefix="congvan-bench-"))
    root = work / f"archive-{args.docs}"
    t = time.perf_counter()
    if not (root / "catalog.sqlite3").exists():
        bases = base_records(args.max_chars)
        print(f"parsed {len(bases)} real documents in {time.perf_counter() - t:.0f}s", flush=True)
        n = build_catalog(root, variants(bases, args.docs, secrecy=args.secrecy))
        print(f"catalog of {n} documents written in {time.perf_counter() - t:.0f}s", flush=True)
    else:
        a = Archive(root)
        n = a.catalog.count()
        a.close()
    queries = query_mix()
    if args.max_queries and len(queries) > args.max_queries:
        step = len(queries) / args.max_queries
        queries = [queries[int(i * step)] for i in range(args.max_queries)]
    rows = []
    for engine in args.engines.split(","):
        rows.append(bench_engine(root, engine, n, queries, args.repeats))
        print(f"{engine} done", flush=True)
    print(f"\n{n} documents, {len(queries)} queries (quality set, as typed and folded), limit 10, "
          f"snippets and facets on")
    print(f"{'engine':<9}{'index docs/s':>13}{'index s':>9}{'size MB':>9}{'cold p50':>10}{'cold p95':>10}"
          f"{'warm p50':>10}{'warm p95':>10}{'cpu p50':>9}{'cpu p95':>9}   (ms)")
    for r in rows:
        print(f"{r['engine']:<9}{r['rate']:>13.0f}{r['index_s']:>9.1f}{r['size_mb']:>9.1f}{r['cold_p50']:>10.1f}"
              f"{r['cold_p95']:>10.1f}{r['warm_p50']:>10.1f}{r['warm_p95']:>10.1f}{r['cpu_p50']:>9.1f}"
              f"{r['cpu_p95']:>9.1f}")
    print("cpu: the warm queries' CPU time in this process (all its threads): steadier than the clock "
          "when other work shares the machine")
    if args.secrecy:
        bench_viewers(root, queries, args.repeats)


if __name__ == "__main__":
    main()
