"""The office's exports at archive scale (issue 19): the sổ đăng ký đến / đi of a year and a
search exported whole, on archives of generated letters of two sizes (the ratio between them
shows how the cost grows; a register reads every letter of the catalog once).

    PYTHONPATH=. python -m benchmarks.bench_office --docs 1000 3000 [--keep DIR]

prints a Markdown table for benchmarks/RESULTS.md."""
from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.generate import generate
from index.archive import Archive, Office

REPEAT = 3


def _best(fn, repeat: int = REPEAT) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def measure(root: Path, docs: int, workers: int) -> list[tuple[str, int, float, int]]:
    """(what, letters in the archive, best seconds, rows or bytes) for one archive size."""
    data = root / f"data-{docs}"
    generate(data, docs=docs, seed=7)
    archive = Archive(root / f"archive-{docs}")
    t0 = time.perf_counter()
    archive.ingest([data / "text"], workers=workers)
    ingest_s = time.perf_counter() - t0
    # the office: the issuer with the most letters, by its name alone
    top = Counter(r.issuer.name for r in archive.catalog.documents() if r.issuer.name).most_common(1)[0][0]
    office = Office.make(top)
    years = Counter((r.issued_date or "")[:4] for r in archive.catalog.documents())
    year = int(max((y for y in years if y), key=lambda y: years[y]))
    n = archive.catalog.count()
    out = [("ingest (text, for scale)", n, ingest_s, n)]
    for direction in ("in", "out"):
        s, book = _best(lambda d=direction: archive.register(d, year, office=office))
        out.append((f"register {direction} {year}: rows", n, s, len(book.table.rows)))
        s, data_xlsx = _best(lambda b=book: b.render("xlsx"))
        out.append((f"register {direction}: write XLSX (bytes)", n, s, len(data_xlsx)))
        s, data_csv = _best(lambda b=book: b.render("csv"))
        out.append((f"register {direction}: write CSV (bytes)", n, s, len(data_csv)))
    for fmt in ("jsonl", "csv", "xlsx"):
        s, blob = _best(lambda f=fmt: archive.export_search("đề nghị", f))
        out.append((f"search export `đề nghị` {fmt} (bytes)", n, s, len(blob)))
    archive.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 3000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", default=None, help="Build the archives here (default: a temporary folder).")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="congvan-office-") as tmp:
        root = Path(args.keep or tmp)
        rows = [r for docs in args.docs for r in measure(root, docs, args.workers)]
    print("| what | letters | best of 3, s | rows / bytes |\n| --- | ---: | ---: | ---: |")
    for what, n, s, size in rows:
        print(f"| {what} | {n:,} | {s:.3f} | {size:,} |")


if __name__ == "__main__":
    main()
