#!/usr/bin/env python3
"""What reading digital signatures adds to PDF ingest: CPU seconds of `ingest.extract(…,
ocr="never")` over bench_pdf's text sets, with the signatures read and with the reading
switched off, in alternating rounds of one process (CPU time: steadier than the clock on a
shared machine). Also the CPU per file of `read_signatures` on each signed real gazette.
Usage: .venv/bin/python benchmarks/bench_signatures.py [--rounds N]
"""
from __future__ import annotations

import argparse
import statistics
import time
import warnings

from benchmarks.bench_pdf import PDF, TEXT, TWO_PAGE


def cpu(files: list[str]) -> float:
    import ingest

    start = time.process_time()
    for f in files:
        ingest.extract(f, ocr="never")
    return time.process_time() - start


def main() -> None:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    import ingest.reader as reader
    from ingest.signatures import read_signatures

    files = [str(PDF / f) for f in TEXT] * 2 + [str(PDF / f) for f in TWO_PAGE] * 10
    signed = sum(bool(read_signatures(f)) for f in files)  # imports warm: pyHanko once per process
    on, off = [], []
    for _ in range(args.rounds):
        reader.read_signatures = lambda path, *a, **k: []
        off.append(cpu(files))
        reader.read_signatures = read_signatures
        on.append(cpu(files))
    a, b = statistics.median(off), statistics.median(on)
    print(f"| ingest.extract, {len(files)} text PDFs ({signed} signed) | CPU s, no signature reading | "
          f"CPU s, signatures read | added |\n|---|---:|---:|---:|\n| median of {args.rounds} | {a:.2f} | "
          f"{b:.2f} | {100 * (b - a) / a:+.1f} % |")
    per = []
    for f in sorted(PDF.glob("*.pdf")):
        start = time.process_time()
        if read_signatures(f):
            per.append(time.process_time() - start)
    print(f"\nread_signatures on {len(per)} signed gazettes: median {1000 * statistics.median(per):.1f} ms CPU, "
          f"max {1000 * max(per):.1f} ms")


if __name__ == "__main__":
    main()
