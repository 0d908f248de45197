"""Benchmarks of the citation graph (printed tables, nothing asserted).

1. Speed: a synthetic archive of 100k documents and ~100k+ citation edges written straight
   into the catalog (the nlp parser is not what is measured here): `trace`, `cited-by`,
   `refs`, the late resolution of undated citations, `stats` and the whole-graph export.
2. Realism: the documents of ../shared/eval/real/docs.jsonl are ingested, and the edges the
   archive finds between two archived documents are held against relations.jsonl (the
   sources' own links). Precision is counted over edges between documents that the sources
   annotate at all, since the sources list amendments and guidance, not every citation.

3. Resolution: on a generated archive with its ground truth (`--generated DATA`), the share
   of known citation edges that resolve to their target, and the wrong resolutions.

    .venv/bin/python benchmarks/bench_graph.py [--docs 100000] [--skip-real] [--generated DATA [--archive A]]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.archive import Archive  # noqa: E402
from index.graph.groups import Paging  # noqa: E402
from index.graph.lookup import store_code  # noqa: E402
from index.graph.whole import CitationGraph  # noqa: E402
from nlp.codes import code_key, parse_code  # noqa: E402
from nlp.places import PROVINCES_BEFORE_2025, slug  # noqa: E402

REAL = ROOT.parent / "shared" / "eval" / "real"


HUB = "57-KL/TW"
HUB_SHARE = 0.10  # the share of the archive that cites the hub directive (Kết luận 57, Nghị định 30…)


def record(doc_id: str, code: str, doc_type: str, when: str, issuer: str, subject: str) -> str:
    """The stored record of a synthetic document: its header fields, no text (pages that read
    the record, such as the web trace page, can show it)."""
    return json.dumps({"id": doc_id, "source": {}, "text": "", "code": code, "doc_type": doc_type,
                       "issued_date": when, "issuer": {"name": issuer}, "subject": subject}, ensure_ascii=False)


def synthetic(root: Path, n_docs: int, seed: int = 1) -> dict:
    """A Politburo → ministries/provinces → departments → units hierarchy plus noise, every
    letter issued in a province (its place stored as ingest stores it), and one hub directive
    (`HUB`) that a tenth of all letters cite, dated or not, as a central directive is cited."""
    rng = random.Random(seed)
    archive = Archive(root)
    db = archive.catalog.db
    docs, refs, places = [], [], []
    provinces = [slug(p) for p in PROVINCES_BEFORE_2025]
    roots = [f"{i}-KL/TW" for i in range(1, 51)]
    levels: list[list[tuple[str, str, int]]] = [[(c, f"{c}@2020", 2020) for c in roots]]  # code, key, year
    made = 0
    level = 1
    while made < n_docs:
        parents = levels[-1]
        current = []
        per = max(1, min(8, (n_docs - made) // max(1, len(parents))))
        for pcode, pkey, pyear in parents:
            for _ in range(rng.randint(1, per * 2 - 1) if per > 1 else 1):
                if made >= n_docs:
                    break
                made += 1
                year = min(2026, pyear + rng.randint(0, 1))
                code = f"{made}-CV/B{level}"
                key = f"{code}@{year}"
                doc_id = f"{made:016x}-0"
                prov = rng.choice(provinces)
                places.append((doc_id, prov, prov))
                when, issuer, subject = f"{year}-{rng.randint(1, 12):02d}-01", f"CƠ QUAN {level} {prov.upper()}", \
                    f"triển khai {pcode}"
                docs.append((doc_id, "f" * 64, 0, key, code, "Công văn", when, year, issuer, subject,
                             record(doc_id, code, "Công văn", when, issuer, subject)))
                dated = rng.random() < 0.6  # undated citations resolve by the citing year as bound
                refs.append((doc_id, 0, pkey if dated else f"{pkey.split('@')[0]}@{year}", pcode,
                             "Công văn", f"{pyear}-06-15" if dated else None, None, "cites"))
                for j in range(rng.randint(0, 2)):  # citations of documents nobody archived
                    other = f"{rng.randint(1, 5000)}/{rng.randint(2015, 2024)}/NĐ-CP"
                    refs.append((doc_id, j + 1, code_key(other), other, "Nghị định", None, None, "cites"))
                if rng.random() < HUB_SHARE:
                    dated = rng.random() < 0.5
                    refs.append((doc_id, 9, f"{HUB}@2020" if dated else f"{HUB}@{year}", HUB, "Kết luận",
                                 "2020-06-15" if dated else None, None, "cites"))
                current.append((code, key, year))
        levels.append(current)
        level += 1
    # the Politburo conclusions themselves are archived for half the roots
    for i, c in enumerate(roots[:25]):
        docs.append((f"kl{i:014x}-0", "e" * 64, 0, f"{c}@2020", c, "Kết luận", "2020-06-15", 2020,
                     "BỘ CHÍNH TRỊ", "kết luận", record(f"kl{i:014x}-0", c, "Kết luận", "2020-06-15",
                                                        "BỘ CHÍNH TRỊ", "kết luận")))
    docs.append(("hub0000000000000-0", "e" * 64, 1, f"{HUB}@2020", HUB, "Kết luận", "2020-06-15", 2020,
                 "BỘ CHÍNH TRỊ", "kết luận về một chủ trương lớn",
                 record("hub0000000000000-0", HUB, "Kết luận", "2020-06-15", "BỘ CHÍNH TRỊ", "kết luận")))
    t = time.perf_counter()
    db.execute("BEGIN")
    db.execute("INSERT OR IGNORE INTO files VALUES (?,?,?,?,?)", ("f" * 64, "txt", 0, "-", 0))
    db.execute("INSERT OR IGNORE INTO files VALUES (?,?,?,?,?)", ("e" * 64, "txt", 0, "-", 0))
    db.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)", docs)
    db.executemany("INSERT INTO refs VALUES (?,?,?,?,?,?,?,?)", refs)
    db.executemany("INSERT INTO doc_places VALUES (?,?,?)", places)
    for code in {d[4] for d in docs} | {r[3] for r in refs}:  # as ingest does: codes open by any spelling
        store_code(db, code)
    db.execute("COMMIT")
    load = time.perf_counter() - t
    archive.close()
    hub = sum(1 for r in refs if r[2].startswith(HUB + "@"))
    return {"documents": len(docs), "edges": len(refs), "levels": len(levels), "load_s": load, "hub": hub}


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Best wall time of `repeat` runs (and the CPU time of that run in `timed.cpu`: on a shared
    machine the CPU time is the steadier number)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        if time.perf_counter() - t < best:
            best, timed.cpu = time.perf_counter() - t, time.process_time() - c
    return best, out


def count(tree: dict) -> int:
    return 1 + sum(count(c) for c in tree["children"])


def p95_ms(fn, repeat: int = 20) -> tuple[float, float, float, object]:
    """(p50, p95) wall time and p95 CPU time in ms over `repeat` runs after one warm run, and
    the last answer. On a shared machine the CPU time is the steadier number."""
    out = fn()
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
    return sorted(wall)[len(wall) // 2], p95(wall), p95(cpu), out


def bench_hub(archive: Archive, info: dict) -> None:
    """`trace` and `cited-by` of the hub: grouped first page (what the commands answer) against
    the whole list (`--all`), p50/p95 over 20 runs each."""
    print(f"\nhub directive {HUB}: cited by {info['hub']} of {info['documents']} documents "
          f"({info['hub'] / max(1, info['documents']):.0%}); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"{'operation':<50} {'p50 (ms)':>10} {'p95 (ms)':>10} {'cpu p95':>8} {'shown':>8} {'total':>8}")
    for label, fn, repeat in [
        ("trace --depth 3, grouped first page", lambda: archive.trace(HUB, depth=3, paging=Paging()), 20),
        ("cited-by, grouped first page", lambda: archive.cited_by(HUB, paging=Paging()), 20),
        ("cited-by --group (one group, first page)",
         lambda: archive.cited_by(HUB, paging=Paging(group=slug(PROVINCES_BEFORE_2025[0]))), 20),
        ("trace --depth 3 --all (whole tree)", lambda: archive.trace(HUB, depth=3, paging=Paging(all=True)), 3),
        ("cited-by --all (every citer)", lambda: archive.cited_by(HUB, paging=Paging(all=True)), 3),
    ]:
        p50, p95, cpu, out = p95_ms(fn, repeat)
        if "children" in out:
            shown, total = count(out) - 1, out.get("total", len(out["children"]))
        else:
            shown, total = len(out["documents"]), out.get("total", len(out["documents"]))
        print(f"{label:<50} {p50:>10.1f} {p95:>10.1f} {cpu:>8.1f} {shown:>8} {total:>8}")


def bench_speed(n_docs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        info = synthetic(Path(tmp) / "a", n_docs)
        print(f"\nsynthetic archive: {info['documents']} documents, {info['edges']} citation edges, "
              f"{info['levels']} levels (bulk load {info['load_s']:.1f} s)")
        archive = Archive(Path(tmp) / "a")
        rows = []
        for label, fn in [
            ("trace 1-KL/TW --depth 3 (archived root)", lambda: archive.trace("1-KL/TW", depth=3)),
            ("trace 40-KL/TW --depth 3 (cited-only root)", lambda: archive.trace("40-KL/TW", depth=3)),
            ("trace 1-KL/TW --depth 10 (whole subtree)", lambda: archive.trace("1-KL/TW", depth=10)),
            ("cited-by 1-KL/TW", lambda: archive.cited_by("1-KL/TW")),
            ("cited-by 7-CV/B1 (undated citations resolved)", lambda: archive.cited_by("7-CV/B1")),
            ("refs 5000-CV/B3", lambda: archive.references(f"{min(5000, n_docs)}-CV/B3")),
        ]:
            secs, out = timed(fn)
            size = count(out) - 1 if "children" in out else len(out["documents"])
            rows.append((label, secs, timed.cpu, size))
        secs, out = timed(lambda: CitationGraph(archive.catalog.db).load_all(), repeat=1)
        rows.append(("whole graph (export input)", secs, timed.cpu, len(out[1])))
        secs, out = timed(archive.stats, repeat=1)
        rows.append(("stats", secs, timed.cpu, out["unresolved"]["count"]))
        bench_hub(archive, info)
        archive.close()
        print(f"\n{'operation':<50} {'best of 5 (ms)':>15} {'cpu (ms)':>10} {'result size':>12}")
        for label, secs, cpu, size in rows:
            print(f"{label:<50} {secs * 1000:>15.1f} {cpu * 1000:>10.1f} {size:>12}")


_CODE = re.compile(r"\d+[a-z]?/(?:(?:19|20)\d\d/)?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*|\d+-[A-ZĐ]+/[A-ZĐ]+")


def codes_in(text: str) -> set[str]:
    return {code_key(m.group(0)) for m in _CODE.finditer(text or "") if parse_code(m.group(0))}


def bench_real() -> None:
    rows = [json.loads(line) for line in (REAL / "docs.jsonl").open(encoding="utf-8")]
    relations = [json.loads(line) for line in (REAL / "relations.jsonl").open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        source_of: dict[str, str] = {}
        for i, row in enumerate(rows):
            path = folder / f"{i:04d}.txt"
            path.write_text(row["text"], encoding="utf-8")
            source_of[str(path)] = row["id"]
        archive = Archive(Path(tmp) / "a")
        t = time.perf_counter()
        report = archive.ingest([folder], workers=2)
        took = time.perf_counter() - t
        doc_of: dict[str, str] = {}  # record id → docs.jsonl id
        for item in report.ingested:
            for rid in item["ids"]:
                doc_of[rid] = source_of[item["path"]]
        by_code: dict[str, set[str]] = defaultdict(set)  # code → docs.jsonl ids archived with it
        for rid, src in doc_of.items():
            rec = archive.catalog.record(rid)
            if rec and rec.code:
                by_code[code_key(rec.code)].add(src)
        nodes, edges = CitationGraph(archive.catalog.db).load_all()
        archive.close()
    archived = set(doc_of.values())

    def ends(text: str, doc_id: str | None) -> set[str]:
        if doc_id and doc_id in archived:
            return {doc_id}
        found = set()
        for c in codes_in(text):
            found |= by_code.get(c, set())
        return found

    expected: set[frozenset] = set()
    for r in relations:
        for a in ends(r["from"], None):
            for b in ends(r["to"], r.get("to_doc_id")):
                if a != b:
                    expected.add(frozenset((a, b)))
    annotated = {x for pair in expected for x in pair}
    found: set[frozenset] = set()
    for e in edges:
        a, b = doc_of.get(e["source"]), doc_of.get(e["target"])
        if a and b and a != b and a in annotated and b in annotated:
            found.add(frozenset((a, b)))
    hit = expected & found
    print(f"\nreal documents: {len(rows)} rows → {len(doc_of)} documents archived in {took:.0f} s; "
          f"{sum(1 for e in edges)} edges, {sum(1 for n in nodes.values() if not n['archived'])} cited-only nodes")
    print(f"{'relations (undirected pairs, both ends archived)':<50} {len(expected):>6}")
    print(f"{'found edges between annotated documents':<50} {len(found):>6}")
    print(f"{'precision':<50} {len(hit) / len(found) if found else 0:>6.2f}")
    print(f"{'recall':<50} {len(hit) / len(expected) if expected else 0:>6.2f}")


def resolution(archive: Archive, data: Path) -> dict:
    """How `refs` resolves the citations of a generated archive against its ground truth
    (truth.jsonl): `known` citations whose target letter is archived, `right` resolved to it (a
    copy of the target, the generator's duplicates and drafts, `of`, counts as the target),
    `wrong` resolutions to another archived letter, and the five commonest misses."""
    truth = [json.loads(line) for line in (data / "truth.jsonl").open(encoding="utf-8")]
    by_path = {str(data / r["path"]): r["gid"] for r in truth}
    id_of: dict[str, str] = {}
    for path, doc_id in archive.catalog.db.execute(
            "SELECT p.path, d.id FROM paths p JOIN documents d ON d.sha256 = p.sha256"):
        if path in by_path:
            id_of.setdefault(by_path[path], doc_id)
    by_gid = {r["gid"]: r for r in truth}

    def root_of(g: str) -> str:
        while by_gid[g].get("of"):
            g = by_gid[g]["of"]
        return g

    group: dict[str, set[str]] = defaultdict(set)
    for g, doc_id in id_of.items():
        group[root_of(g)].add(doc_id)
    known = found = resolved = wrong = 0
    misses: dict[str, int] = defaultdict(int)
    for r in truth:
        if r["gid"] not in id_of:
            continue
        wanted = [group[root_of(m["target"])] for m in r["references"] if m["target"]]
        got = {d["id"] for d in archive.references(id_of[r["gid"]])["documents"] if d["id"]}
        resolved += len(got)
        wrong += len(got - set().union(*wanted)) if wanted else len(got)
        for m, ids in zip([m for m in r["references"] if m["target"]], wanted):
            if ids:
                known += 1
                if ids & got:
                    found += 1
                else:
                    misses[f"{r['level']} letter citing /{parse_code(m['code']).authority}"] += 1
    return {"known": known, "right": found, "resolved": resolved, "wrong": wrong,
            "misses": sorted(misses.items(), key=lambda kv: -kv[1])[:5]}


def bench_generated(data: Path, root: Path | None) -> None:
    """Resolution on a generated archive (`python -m benchmarks.generate DATA --docs 1000`)."""
    with tempfile.TemporaryDirectory() as tmp:
        if root is None:
            root = Path(tmp) / "a"
            t = time.perf_counter()
            Archive(root).ingest([data / "text"], workers=2)
            print(f"\ningested {data / 'text'} in {time.perf_counter() - t:.0f} s")
        archive = Archive(root)
        out = resolution(archive, data)
        archive.close()
    print(f"{'known citation edges resolved':<50} {out['right']:>6} / {out['known']}")
    print(f"{'resolutions to an archived document':<50} {out['resolved']:>6}")
    print(f"{'of which wrong':<50} {out['wrong']:>6}")
    for what, n in out["misses"]:
        print(f"  missed: {what:<41} {n:>6}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--generated", type=Path, help="also score resolution on this generated set (benchmarks.generate)")
    ap.add_argument("--archive", type=Path, help="with --generated: an archive already holding it (else ingest)")
    args = ap.parse_args()
    if args.generated:
        bench_generated(args.generated, args.archive)
    bench_speed(args.docs)
    if not args.skip_real and (REAL / "docs.jsonl").exists():
        bench_real()


if __name__ == "__main__":
    main()
