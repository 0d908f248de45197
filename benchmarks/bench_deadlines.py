"""Benchmark of `congvan deadlines` (issue 19): printed table, nothing asserted.

A synthetic archive (`bench_graph.synthetic`: a hierarchy of letters, each citing its parent)
where 30% of the letters set a deadline a month after their date and are addressed to the
body of one of the letters that cite them (so some citers answer, as in an office's archive),
the rest to a body nobody is. The records are rewritten in SQL and the deadlines table left
unfilled, so the first open times the migration of an archive written before it; then the
queries, best of 5: every deadline, only open ones, one month, overdue, one issuer.

    .venv/bin/python benchmarks/bench_deadlines.py [--docs 10000 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_graph import synthetic, timed  # noqa: E402
from index.archive import Archive  # noqa: E402

SHARE = 0.30


def add_deadlines(root: Path, seed: int = 7) -> int:
    """Deadlines and addressees into the synthetic records; the table and its meta row removed."""
    rng = random.Random(seed)
    db = sqlite3.connect(root / "catalog.sqlite3")
    citer_issuer: dict[str, str] = {}
    for key, issuer in db.execute("SELECT r.key, d.issuer FROM refs r JOIN documents d ON d.id = r.src "
                                  "WHERE r.ord = 0"):
        citer_issuer.setdefault(key, issuer)
    rows = db.execute("SELECT id, key, issued_date, record FROM documents").fetchall()
    db.execute("BEGIN")
    n = 0
    for doc_id, key, when, record in rows:
        if rng.random() >= SHARE or not when:
            continue
        due = dt.date.fromisoformat(when) + dt.timedelta(days=rng.randint(10, 45))
        rec = json.loads(record)
        to = citer_issuer.get(key) if rng.random() < 0.7 else None
        rec["recipients"] = [to or "CƠ QUAN KHÔNG AI"]
        rec["deadlines"] = [{"date": due.isoformat(), "text": f"trước ngày {due.day}/{due.month}/{due.year}"}]
        db.execute("UPDATE documents SET record = ? WHERE id = ?", (json.dumps(rec, ensure_ascii=False), doc_id))
        n += 1
    db.execute("DROP TABLE IF EXISTS deadlines")
    db.execute("DELETE FROM meta WHERE name = 'deadlines.version'")
    db.execute("COMMIT")
    db.close()
    return n


def run(n_docs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "a"
        info = synthetic(root, n_docs)
        letters = add_deadlines(root)
        t = time.perf_counter()
        arc = Archive(root)  # fills the table from the records
        migrate = time.perf_counter() - t
        today = dt.date(2024, 6, 1)
        year = "2023"
        rows = [("migration on first open (fill from records)", migrate, None)]
        for label, kwargs in [
            ("all deadlines, answers resolved", {}),
            ("--open", {"open_only": True}),
            (f"--from 1/3/{year} --to 31/3/{year}", {"since": f"1/3/{year}", "until": f"31/3/{year}"}),
            ("--overdue --open", {"overdue": True, "open_only": True}),
            ("--issuer 'co quan 3'", {"issuer": "co quan 3"}),
        ]:
            best, out = timed(lambda kw=kwargs: arc.deadlines(today=today, **kw), repeat=3)
            rows.append((label, best, len(out.items)))
        best, out = timed(lambda: arc.deadlines(today=today, since=f"1/3/{year}", until=f"31/3/{year}").to_ics(),
                          repeat=3)
        rows.append((f"--ics, one month ({year}-03)", best, None))
        answered = sum(1 for o in arc.deadlines(today=today).items if o.answered_by)
        arc.close()
        print(f"\n{info['documents']:,} documents, {letters:,} with a deadline ({answered:,} answered); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'operation':<48} {'wall s':>8} {'items':>8}")
        for label, s, items in rows:
            print(f"{label:<48} {s:>8.3f} {'' if items is None else f'{items:,}':>8}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    for n in ap.parse_args().docs:
        run(n)


if __name__ == "__main__":
    main()
