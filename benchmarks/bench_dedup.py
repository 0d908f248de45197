"""Duplicate and series detection: accuracy on the labelled pair set, and cost per check as
the archive grows.

    python benchmarks/bench_dedup.py                 # accuracy + scale 1k/10k/100k
    python benchmarks/bench_dedup.py --sizes 1000 10000 --no-sweep

Accuracy: every document of benchmarks/data/dup_pairs.json (built by benchmarks/dup_pairs.py,
run first when missing) is stored in one index; then for each pair (a, b) the `b` side is
checked against the whole index, as an ingest would, and the relation found to `a` (none when
LSH did not return `a` or confirmation rejected it) is compared with the label.

Scale: synthetic letters (header + sentences drawn from the real texts) are added to a
catalog; at each size, new letters (half of them re-sends of archived ones) are checked and
the time per check, the candidates and the memory are printed.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.catalog import SCHEMA  # noqa: E402
from index.dedup import DedupConfig, DedupIndex, body_similarity, relate, signature  # noqa: E402
from nlp.models import Issuer, Record  # noqa: E402

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
def sentence_pool() -> list[str]:
    pool = []
    for line in open(ROOT.parent / "shared" / "eval" / "real" / "docs.jsonl", encoding="utf-8"):
        text = json.loads(line)["text"]
        pool += [s.strip() for s in re.findall(r"[^.\n;:]{60,300}[.;]", text)]
    return pool


def synthetic(i: int, rng: random.Random, pool: list[str]) -> Record:
    issuer = rng.choice(["UBND TỈNH", "SỞ TÀI CHÍNH", "BỘ NỘI VỤ", "BAN TUYÊN GIÁO", "CỤC THUẾ"])
    year = rng.randint(2015, 2026)
    body = "\n".join(rng.sample(pool, rng.randint(8, 25)))
    text = (f"{issuer}\n\nSố: {i}/ST-{issuer.split()[-1]}\nHà Nội, ngày {rng.randint(1, 28)} tháng "
            f"{rng.randint(1, 12)} năm {year}\n\nKính gửi: các đơn vị\n\n{body}\n")
    return Record(id=f"s{i}", source={"path": f"s{i}.txt", "method": "text"}, text=text,
                  code=f"{i}/ST-X", number=str(i), issued_date=str(year), issuer=Issuer(issuer, None, "X"))


def scale(sizes: list[int], checks: int) -> None:
    import resource

    rng = random.Random(1)
    pool = sentence_pool()
    cfg = DedupConfig()
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(str(Path(tmp) / "catalog.sqlite3"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        archived: dict[str, Record] = {}

        def load(doc_id: str) -> Record | None:
            row = db.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
            return Record.from_dict(json.loads(row[0])) if row else None

        index = DedupIndex(db, load, cfg)
        n = 0
        print(f"\n{'archive':>8} | {'ms/check':>8} {'p95 ms':>7} {'candidates':>10} {'found':>6} "
              f"{'py peak MB':>10} {'RSS MB':>7}")
        for size in sizes:
            db.execute("BEGIN")
            while n < size:
                rec = synthetic(n, rng, pool)
                db.execute("INSERT INTO documents (id, sha256, part, record) VALUES (?, '', 0, ?)",
                           (rec.id, json.dumps(rec.to_dict(), ensure_ascii=False)))
                index.store(rec, signature(rec, cfg), rec.source["path"])
                if n % 97 == 0:
                    archived[rec.id] = rec
                n += 1
                if n % 5000 == 0:
                    db.execute("COMMIT")
                    db.execute("BEGIN")
            db.execute("COMMIT")
            times, cands, found = [], [], 0
            tracemalloc.start()
            for j in range(checks):
                if j % 2 and archived:
                    old = rng.choice(list(archived.values()))
                    new = Record.from_dict(old.to_dict())
                    new.id = f"resend{j}"
                    new.text = old.text.replace("Hà Nội, ngày", "Hà Nội, ngày 2") + "\nXin cảm ơn.\n"
                else:
                    new = synthetic(10_000_000 + j, rng, pool)
                t = time.perf_counter()
                sig = signature(new, cfg)
                cands.append(len(index.candidates(new, sig)))
                matches = index.check(new, sig)
                times.append(time.perf_counter() - t)
                found += bool(matches) and j % 2 == 1
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            times.sort()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{size:>8} | {1000 * sum(times) / len(times):8.2f} {1000 * times[int(0.95 * len(times))]:7.2f} "
                  f"{sum(cands) / len(cands):10.1f} {found:>3}/{checks // 2:<3} {peak:10.1f} {rss:7.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    ap.add_argument("--checks", type=int, default=200)
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    args = ap.parse_args()
    if not args.no_accuracy:
        accuracy(sweep=not args.no_sweep)
    if args.sizes:
        scale(args.sizes, args.checks)


if __name__ == "__main__":
    main()
