"""Duplicate and series detection: accuracy on the labelled pair set, and cost per check as
the archive grows.

    python benchmarks/bench_dedup.py                 # accuracy + scale 1k/10k/100k
    python benchmarks/bench_dedup.py --sizes 1000 10000 --no-sweep

Accuracy: every document of benchmarks/data/dup_pairs.json (built by benchmarks/dup_pairs.py,
run first when missing) is stored in one index; then for each pair (a, b) the `b` side is
checked against the whole index, as an ingest would, and the relation found to `a` (none when
LSH did not return `a` or confirmation rejected it) is compared with the label.

Scale: at each size, the shared generator (`python -m benchmarks.generate`) makes that many
letters with known duplicate, near-duplicate and series groups; every letter goes through the
real parser and into a catalog, except a check set (the last member of known groups, and as
many letters outside any group), which is then checked as an ingest would: time per check,
LSH band hits, candidates confirmed, memory, and the accuracy on the known groups.
Columns: "cpu ms" is process CPU time per check (steadier than wall time on a shared machine);
"py peak MB" the Python allocations' peak during a check (tracemalloc, in a second pass: tracing
slows the timed one); "RSS MB" resident memory after the checks, "max RSS" the whole run's peak
(includes building the archive); "dedup MB" the dedup tables on disk; "x-chunk" the links found
to letters of other generated chunks (above 10k), left out of the accuracy columns. Parsed letters are cached
as records.jsonl beside the generator's files (the 100k archive is ten 10k chunks).
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.catalog import SCHEMA  # noqa: E402
from index.dedup import DedupConfig, DedupIndex, band_shape, body_similarity, relate, signature  # noqa: E402
from nlp.models import Record  # noqa: E402

PAIRS = ROOT / "benchmarks" / "data" / "dup_pairs.json"
DUP = {"duplicate", "near-duplicate"}


def load_pairs() -> dict:
    if not PAIRS.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dup_pairs.py")], check=True)
    return json.loads(PAIRS.read_text(encoding="utf-8"))


def memory_index(records: dict[str, Record], cfg: DedupConfig) -> DedupIndex:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA)
    return DedupIndex(db, records.get, cfg)


def accuracy(sweep: bool) -> DedupConfig:
    data = load_pairs()
    cfg = DedupConfig()
    records = {}
    for name, d in data["docs"].items():
        rec = Record.from_dict(d)
        rec.id = name
        records[name] = rec
    index = memory_index(records, cfg)
    sigs = {name: signature(rec, cfg) for name, rec in records.items()}
    for name, rec in records.items():
        index.store(rec, sigs[name], name)
    rows = []  # (pair, retrieved, sim)
    for p in data["pairs"]:
        b = records[p["b"]]
        retrieved = p["a"] in index.candidates(b, sigs[p["b"]])
        rows.append((p, retrieved, body_similarity(sigs[p["b"]], sigs[p["a"]])))

    def score(c: DedupConfig, show: bool = False) -> dict:
        tp = fp = fn = 0
        series_ok = series_n = none_related = none_n = 0
        kinds: dict[str, list[int]] = {}
        for p, retrieved, sim in rows:
            a, b = records[p["a"]], records[p["b"]]
            m = relate(b, sigs[p["b"]], a, sigs[p["a"]], c, sim) if retrieved else None
            got = m.relation if m else "none"
            truth = p["label"]
            tp += got in DUP and truth in DUP
            fp += got in DUP and truth not in DUP
            fn += got not in DUP and truth in DUP
            if truth == "series":
                series_n += 1
                series_ok += got == "series"
            if truth == "none":
                none_n += 1
                none_related += got != "none"
            ok = (got in DUP) == (truth in DUP) and (truth != "series" or got == "series") \
                and (truth != "none" or got == "none")
            k = kinds.setdefault(f"{p['kind']} [{truth}]", [0, 0])
            k[0] += ok
            k[1] += 1
            if show and not ok:
                print(f"    miss: {p['kind']}: {p['a'][:60]} ~ {p['b'][-40:]} got {got} "
                      f"(sim {sim:.3f}, retrieved {retrieved}, codes {a.code}/{b.code})")
        return {"precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn),
                "series": series_ok / max(1, series_n), "none_related": none_related / max(1, none_n),
                "kinds": kinds}

    print(f"pair set: {len(data['pairs'])} pairs, {len(records)} documents; "
          f"LSH returned the partner in {sum(r[1] for r in rows)}/{len(rows)} pairs")
    if sweep:
        print("\nthreshold sweep (dup = duplicate + near-duplicate)")
        print(f"{'near':>5} {'series':>6} | {'dup P':>6} {'dup R':>6} {'series ok':>9} {'distinct related':>16}")
        for near in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
            for series in (0.3, 0.4, 0.5, 0.6, 0.7):
                c = DedupConfig(near=near, series=series)
                s = score(c)
                print(f"{near:5.2f} {series:6.2f} | {s['precision']:6.3f} {s['recall']:6.3f} "
                      f"{s['series']:9.3f} {s['none_related']:16.3f}")
    s = score(cfg, show=True)
    print(f"\nchosen: near={cfg.near} series={cfg.series}")
    print(f"{'kind [label]':<62} {'right':>7}")
    for k, (ok, n) in sorted(s["kinds"].items()):
        print(f"{k:<62} {ok:>3}/{n:<3}")
    print(f"\nduplicate + near-duplicate: precision {s['precision']:.3f}  recall {s['recall']:.3f}")
    print(f"series pairs labelled series: {s['series']:.3f}")
    print(f"distinct letters given a relation: {s['none_related']:.3f}")
    return cfg


# -- scale -----------------------------------------------------------------------------
CHUNK = 10_000  # the generator slows down past ~10k letters: larger archives are 10k chunks


def generated(size: int, seed: int) -> tuple[list[dict], list[dict], dict[str, Path]]:
    """The shared generator's letters (cached under benchmarks/data/, made when missing):
    truth rows, groups and letter paths. Above CHUNK letters, chunks of other seeds, their ids
    prefixed (each chunk has its own groups; letters of different chunks are unrelated)."""
    truth: list[dict] = []
    groups: list[dict] = []
    paths: dict[str, Path] = {}
    for k in range(max(1, -(-size // CHUNK))):
        n, s = min(size, CHUNK), seed + k
        out = ROOT / "benchmarks" / "data" / f"gen-{n}-{s}"
        if not (out / "manifest.json").exists():
            subprocess.run([sys.executable, "-m", "benchmarks.generate", str(out), "--docs", str(n),
                            "--seed", str(s)], check=True, cwd=ROOT)
        pre = f"c{k}-" if size > CHUNK else ""
        for line in open(out / "truth.jsonl", encoding="utf-8"):
            t = json.loads(line)
            t["gid"] = pre + t["gid"]
            paths[t["gid"]] = out / t["path"]
            truth.append(t)
        for line in open(out / "groups.jsonl", encoding="utf-8"):
            g = json.loads(line)
            groups.append({"relation": g["relation"], "members": [pre + m for m in g["members"]]})
    return truth, groups, paths


def parse_letter(item: tuple[str, str]) -> dict:
    """Worker: a generated letter through the real parser (what an ingest would store)."""
    from ingest.models import Extracted, Source
    from nlp import parse
    from text.normalize import clean_text
    gid, path = item
    src = Source(path=path, sha256="", format="text", part=0, pages=[], method="text")
    rec = parse(Extracted(clean_text(Path(path).read_text(encoding="utf-8")), src, [], [])).to_dict()
    rec["id"] = gid
    return rec


def parsed_records(size: int, seed: int) -> Iterator[dict]:
    """Every generated letter through the real parser, cached as records.jsonl beside each
    chunk (parsing 10k letters takes minutes here; the cache is reused by later runs).
    Streamed: 100k records would not fit the memory the scale part measures."""
    from multiprocessing import Pool
    for k in range(max(1, -(-size // CHUNK))):
        n, s = min(size, CHUNK), seed + k
        chunk = ROOT / "benchmarks" / "data" / f"gen-{n}-{s}"
        cache = chunk / "records.jsonl"
        pre = f"c{k}-" if size > CHUNK else ""
        if not cache.exists():
            items = [(json.loads(line)["gid"], str(chunk / json.loads(line)["path"]))
                     for line in open(chunk / "truth.jsonl", encoding="utf-8")]
            tmp = cache.with_suffix(".part")
            with Pool(2) as pool, open(tmp, "w", encoding="utf-8") as f:
                for d in pool.imap(parse_letter, items, chunksize=64):
                    f.write(json.dumps(d, ensure_ascii=False) + "\n")
            tmp.rename(cache)
        for line in open(cache, encoding="utf-8"):
            d = json.loads(line)
            d["id"] = pre + d["id"]
            yield d


def check_set(truth: list[dict], groups: list[dict], checks: int, rng: random.Random) -> dict[str, set[str]]:
    """Letters to check (never stored), each with the group members it should be found with:
    the last member of every known group (its partners are stored), plus as many letters
    outside any group (they should be found with nothing)."""
    order = {t["gid"]: i for i, t in enumerate(truth)}
    out: dict[str, set[str]] = {}
    for g in groups:
        members = sorted(g["members"], key=order.get)
        out[members[-1]] = set(members[:-1])
    grouped = {m for g in groups for m in g["members"]}
    picked = rng.sample(sorted(out), min(len(out), checks // 2))
    singles = rng.sample([t["gid"] for t in truth if t["gid"] not in grouped], checks - len(picked))
    return {g: out.get(g, set()) for g in picked + singles}


def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_archive(db: sqlite3.Connection, index: DedupIndex, records: Iterator[dict], todo: dict[str, set[str]],
                  cfg: DedupConfig, fresh: bool) -> dict[str, Record]:
    """Every parsed letter but the check set into the catalog and the dedup tables (when
    `fresh`; a kept archive is only read for the check set): the held-out records."""
    from index.catalog import record_key
    held: dict[str, Record] = {}
    if fresh:
        db.execute("BEGIN")
    for n, d in enumerate(records):
        if d["id"] in todo:
            held[d["id"]] = Record.from_dict(d)
            continue
        if not fresh:
            continue
        rec = Record.from_dict(d)
        db.execute("INSERT INTO documents (id, sha256, part, record, key) VALUES (?, '', 0, ?, ?)",
                   (rec.id, json.dumps(rec.to_dict(), ensure_ascii=False), record_key(rec)))
        index.store(rec, signature(rec, cfg), rec.source["path"])
        if n % 5000 == 4999:
            db.execute("COMMIT")
            db.execute("BEGIN")
    if fresh:
        db.execute("COMMIT")
        # An archive at rest: SQLite's auto-checkpoint keeps a catalog's WAL at ~4 MB, while one
        # 5,000-letter transaction leaves ~200 MB of it that every read would look up first.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return held


def scale(sizes: list[int], checks: int, seed: int, keep: Path | None = None, dump: Path | None = None,
          profile: bool = False) -> None:
    import resource

    from index.catalog import record_key

    print(f"\n{'archive':>8} | {'ms/check':>8} {'p95 ms':>7} {'cpu ms':>6} {'cpu p50':>7} {'cpu p95':>7} "
          f"{'band hits':>9} {'confirmed':>9} "
          f"{'dup P':>6} {'dup R':>6} {'series':>6} {'singles ok':>10} {'x-chunk':>7} "
          f"{'py peak MB':>10} {'RSS MB':>7} {'max RSS':>7} {'dedup MB':>8}")
    for size in sizes:
        truth, groups, paths = generated(size, seed)
        relation_of = {m: g["relation"] for g in groups for m in g["members"]}
        rng = random.Random(seed)
        todo = check_set(truth, groups, checks, rng)
        del truth, paths  # 100k truth rows are ~400 MB of Python objects: not the check's memory
        gc.collect()
        cfg = DedupConfig()
        records = parsed_records(size, seed)
        with tempfile.TemporaryDirectory() as tmp:
            where = keep if keep else Path(tmp)
            where.mkdir(parents=True, exist_ok=True)
            path = where / f"catalog-{size}-{seed}.sqlite3"
            fresh = not (keep and path.exists())
            if fresh and path.exists():
                path.unlink()
            db = sqlite3.connect(str(path), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

            def load(doc_id: str, db: sqlite3.Connection = db) -> Record | None:
                row = db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
                return Record.from_dict(json.loads(row[0])) if row else None

            index = DedupIndex(db, load, cfg)
            held = build_archive(db, index, records, todo, cfg, fresh)
            found: dict[str, list] = {}
            candidates: dict[str, list[str]] = {}  # what was confirmed, in order (with --dump)
            times, cpu, hits, cands = [], [], [], []
            # The catalog key is the ingest's, computed for the catalog row anyway: not timed.
            keys = {gid: record_key(held[gid]) for gid in todo}
            # datasketch's band optimiser (a one-off integration, cached) is a start-up cost, not a check's
            band_shape(cfg.lsh_threshold, cfg.num_perm), band_shape(cfg.char_lsh_threshold, cfg.num_perm)
            profiler = None
            if profile:
                from pyinstrument import Profiler
                profiler = Profiler(interval=0.0005)
                profiler.start()
            tp = fp = fn = series_ok = series_n = singles_ok = singles_n = cross = 0

            def chunk_of(gid: str, chunked: bool = size > CHUNK) -> str:
                return gid.split("-", 1)[0] if chunked else ""
            for gid, partners in todo.items():
                rec = held[gid]
                t, c = time.perf_counter(), time.process_time()
                sig = signature(rec, cfg)
                matches = index.check(rec, sig, keys[gid])
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                found[gid] = [[m.of, m.relation, m.similarity] for m in matches]
                if not profiler:  # the profile is of the check alone
                    hits.append(len(index.band_hits(rec, sig)))
                    candidates[gid] = index.candidates(rec, sig)
                    cands.append(len(candidates[gid]))
                rel = relation_of.get(gid)
                # Above CHUNK letters the archive is chunks generated apart: their truth knows
                # nothing of each other, though two chunks may well give one body the same
                # template and number (a real series or conflict). Links across are counted apart.
                across = {m.of for m in matches if chunk_of(m.of) != chunk_of(gid)}
                cross += len(across)
                matches = [m for m in matches if m.of not in across]
                dup_found = {m.of for m in matches if m.relation in DUP}
                if rel in DUP:
                    tp += bool(dup_found & partners)
                    fn += not dup_found & partners
                    fp += len(dup_found - partners)
                else:
                    fp += len(dup_found)
                if rel == "series":
                    series_n += 1
                    series_ok += any(m.relation == "series" and m.of in partners for m in matches)
                if rel is None:
                    singles_n += 1
                    singles_ok += not matches
            if profiler:
                profiler.stop()
                print(profiler.output_text(unicode=True, color=False, show_all=False), flush=True)
            if dump:
                dump.parent.mkdir(parents=True, exist_ok=True)
                with open(dump.with_name(f"{dump.stem}-{size}{dump.suffix}"), "w", encoding="utf-8") as f:
                    json.dump(found, f, ensure_ascii=False, indent=0, sort_keys=True)
                if candidates:
                    with open(dump.with_name(f"{dump.stem}-{size}-candidates{dump.suffix}"), "w",
                              encoding="utf-8") as f:
                        json.dump(candidates, f, ensure_ascii=False, indent=0, sort_keys=True)
            # Memory in a second pass: tracing every allocation would slow the timed one.
            tracemalloc.start()
            for gid in todo:
                index.check(held[gid], signature(held[gid], cfg), keys[gid])
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            rss_now = rss_mb()
            disk = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'dedup%'").fetchone()[0] / 1e6
            db.close()
        times.sort()
        cpu.sort()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        p50, p95 = 1000 * cpu[len(cpu) // 2], 1000 * cpu[int(0.95 * len(cpu))]
        print(f"{size:>8} | {1000 * sum(times) / len(times):8.2f} {1000 * times[int(0.95 * len(times))]:7.2f} "
              f"{1000 * sum(cpu) / len(cpu):6.2f} {p50:7.2f} {p95:7.2f} "
              f"{sum(hits) / max(1, len(hits)):9.1f} {sum(cands) / max(1, len(cands)):9.2f} "
              f"{tp / max(1, tp + fp):6.3f} "
              f"{tp / max(1, tp + fn):6.3f} {series_ok / max(1, series_n):6.3f} {singles_ok:>4}/{singles_n:<5} "
              f"{cross:>7} "
              f"{peak:10.1f} {rss_now:7.0f} {rss:7.0f} {disk:8.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    ap.add_argument("--checks", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7, help="generator seed for the scale part")
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep each size's built archive in this folder and reuse it")
    ap.add_argument("--dump", type=Path, help="write each check's matches to FILE-<size>.json and its "
                    "candidates to FILE-<size>-candidates.json (to compare runs)")
    ap.add_argument("--profile", action="store_true", help="pyinstrument over the timed checks")
    args = ap.parse_args()
    if not args.no_accuracy:
        accuracy(sweep=not args.no_sweep)
    if args.sizes:
        scale(args.sizes, args.checks, args.seed, args.keep, args.dump, args.profile)


if __name__ == "__main__":
    main()
