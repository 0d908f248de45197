"""Which table layout reads the stored MinHashes of a check's band hits cheapest: on a COPY of a
kept archive written before `dedup_minhashes` (it adds tables to the file: never on a kept archive).

    python benchmarks/dedup_layout.py build/scratch/catalog-100000-7.sqlite3

Layouts (each filled from `dedup_signatures.minhash` + `dedup_chars`): the older two tables
joined on their TEXT keys; one row per id under a TEXT primary key (rowid table: its autoindex,
then the table), the same WITHOUT ROWID, and under a 64-bit hash of the id (INTEGER PRIMARY KEY,
one descent), the last as uint32 and as uint64. Per layout: CPU ms to read `--ids` random ids
`--reads` times (the hash computed in the timing), and its size on disk (dbstat). `l_text` is
what `index/dedup/store.py` keeps (`dedup_minhashes`).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import time
from pathlib import Path

import numpy as np

LAYOUTS = {
    "l_text": "CREATE TABLE l_text (id TEXT PRIMARY KEY, words BLOB, chars BLOB)",
    "l_wr": "CREATE TABLE l_wr (id TEXT PRIMARY KEY, words BLOB, chars BLOB) WITHOUT ROWID",
    "l_key32": "CREATE TABLE l_key32 (key INTEGER PRIMARY KEY, id TEXT NOT NULL, words BLOB, chars BLOB)",
    "l_key64": "CREATE TABLE l_key64 (key INTEGER PRIMARY KEY, id TEXT NOT NULL, words BLOB, chars BLOB)",
}


def minhash_key(doc_id: str) -> int:
    """A 64-bit key from the id (BLAKE2b, signed as SQLite's integers)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big", signed=True)


def u32(blob: bytes | None) -> bytes | None:
    return np.frombuffer(blob, dtype=np.uint64).astype(np.uint32).tobytes() if blob else blob


def fill(db: sqlite3.Connection) -> None:
    db.create_function("u32", 1, u32, deterministic=True)
    db.create_function("mkey", 1, minhash_key, deterministic=True)
    for name, ddl in LAYOUTS.items():
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
            continue
        t = time.perf_counter()
        db.execute("BEGIN")
        db.execute(ddl)
        key = "mkey(s.id), " if "key" in name else ""
        conv = "" if name == "l_key64" else "u32"
        db.execute(f"INSERT INTO {name} SELECT {key}s.id, {conv}(s.minhash), {conv}(c.minhash) "
                   f"FROM dedup_signatures s LEFT JOIN dedup_chars c ON c.id = s.id")
        db.execute("COMMIT")
        print(f"filled {name} in {time.perf_counter() - t:.1f} s", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def read(db: sqlite3.Connection, name: str, ids: list[str]) -> int:
    marks = ",".join("?" * len(ids))
    if name == "older":
        sql = (f"SELECT s.id, s.minhash, c.minhash FROM dedup_signatures s LEFT JOIN dedup_chars c "
               f"ON c.id = s.id WHERE s.id IN ({marks})")
        return len(db.execute(sql, ids).fetchall())
    if name.startswith("l_key"):
        wanted = set(ids)
        rows = db.execute(f"SELECT key, id, words, chars FROM {name} WHERE key IN ({marks})",
                          [minhash_key(i) for i in ids]).fetchall()
        return len([r for r in rows if r[1] in wanted])
    return len(db.execute(f"SELECT id, words, chars FROM {name} WHERE id IN ({marks})", ids).fetchall())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("catalog", type=Path)
    ap.add_argument("--ids", type=int, default=400, help="ids per read (a check's band hits)")
    ap.add_argument("--reads", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    db = sqlite3.connect(str(args.catalog), isolation_level=None)
    fill(db)
    all_ids = [r[0] for r in db.execute("SELECT id FROM dedup_signatures")]
    rng = random.Random(7)
    draws = [rng.sample(all_ids, args.ids) for _ in range(args.reads)]
    sizes = {}
    for name in ("older", *LAYOUTS):
        tables = ("dedup_signatures", "dedup_chars") if name == "older" else (name,)
        size = 0
        for t in tables:  # the table and its indexes (autoindex of a TEXT key)
            size += db.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? OR name IN "
                               "(SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index')",
                               (t, t)).fetchone()[0]
        sizes[name] = size / 1e6
    best: dict[str, list[float]] = {name: [] for name in sizes}
    for _ in range(args.rounds):  # rounds interleaved: the machine's load hits every layout alike
        for name in sizes:
            c = time.process_time()
            n = sum(read(db, name, ids) for ids in draws)
            best[name].append(1000 * (time.process_time() - c) / args.reads)
            assert n == args.ids * args.reads, (name, n)
    print(f"{len(all_ids)} documents, {args.ids} ids per read, {args.reads} reads, {args.rounds} rounds")
    print(f"{'layout':<10} {'cpu ms/read min':>15} {'median':>7} {'MB on disk':>10}")
    for name, ms in best.items():
        print(f"{name:<10} {min(ms):15.2f} {sorted(ms)[len(ms) // 2]:7.2f} {sizes[name]:10.1f}")


if __name__ == "__main__":
    main()
