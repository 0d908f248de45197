"""The catalog's write path and `rekey` (what `congvan reindex` does before the full-text build):
CPU time per document on parsed generated letters.

    python benchmarks/bench_catalog.py [--docs 10000] [--repeat 3] [--real]

Records come from a generated chunk's records.jsonl (made by benchmarks/bench_dedup.py: parsed
once with the real parser). Each run writes them into a fresh catalog, one `Catalog.add_file` per
letter (one transaction each, as an ingest does), then runs `index.graph.citations.rekey` over it.
Times are process CPU (steadier than wall time on a shared machine), best of `--repeat`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.catalog import Catalog  # noqa: E402
from index.graph.citations import rekey  # noqa: E402
from nlp.models import Record  # noqa: E402

DEFAULT = ROOT / "benchmarks" / "data" / "gen-10000-7" / "records.jsonl"
REAL = ROOT.parent / "shared" / "eval" / "real" / "docs.jsonl"


def load(path: Path, docs: int) -> list[Record]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            out.append(Record.from_dict(json.loads(line)))
            if len(out) >= docs:
                break
    return out


def real_records(path: Path = REAL) -> list[Record]:
    """The real documents of ../shared/eval/real/docs.jsonl through the parser (not timed): long
    texts, where the per-text passes of the write path weigh most."""
    from ingest.models import Extracted, Source
    from nlp import parse
    from text.normalize import clean_text
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            src = Source(path=d["id"], sha256="", format="text", part=0, pages=[], method="text")
            out.append(parse(Extracted(clean_text(d["text"]), src, [], [])))
    return out


def one_run(records: list[Record]) -> tuple[float, float]:
    """CPU seconds of writing every record (one file each) and of rekeying the catalog."""
    with tempfile.TemporaryDirectory() as tmp:
        cat = Catalog(Path(tmp) / "catalog.sqlite3")
        t = time.process_time()
        for rec in records:
            digest = hashlib.sha256(rec.id.encode()).hexdigest()
            path = (rec.source or {}).get("path") or rec.id
            cat.add_file(path, digest, "text", len(rec.text or ""), path, [rec])
        write = time.process_time() - t
        t = time.process_time()
        rekey(cat.db)
        rk = time.process_time() - t
        cat.close()
    return write, rk


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=Path, default=DEFAULT)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--real", nargs="?", const=REAL, type=Path, help="the real documents of docs.jsonl instead")
    args = ap.parse_args()
    if args.real:
        records = real_records(args.real)
    elif not args.records.exists():
        sys.exit(f"{args.records} missing: run benchmarks/bench_dedup.py --sizes 10000 first")
    else:
        records = load(args.records, args.docs)
    runs = [one_run(records) for _ in range(args.repeat)]
    n = len(records)
    write, rk = min(r[0] for r in runs), min(r[1] for r in runs)
    print(f"{n} letters, best of {args.repeat} (CPU)")
    print(f"catalog add_file  {1000 * write / n:6.3f} ms/doc  ({write:.2f} s)")
    print(f"rekey             {1000 * rk / n:6.3f} ms/doc  ({rk:.2f} s)")


if __name__ == "__main__":
    main()
