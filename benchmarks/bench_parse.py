"""Parse throughput on one core, and where the time goes.

    .venv/bin/python benchmarks/bench_parse.py [--limit N]

Inputs: the seed letters (../shared/seeds, as ingest reads them) and the real documents of
../shared/eval/real/docs.jsonl (laws, decrees, circulars: long texts). Prints documents/s and
characters/s for `nlp.parse` (the spaCy pass with the `findings` tokenizer: metadata,
references, entity spans), the time per rule module, the same pipeline with the syllable
tokenizer (`nlp.pipeline.analyze`), and underthesea word segmentation for comparison (on a
sample: it is the slow part that the field path avoids)."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.realdocs import extracted, load_rows  # noqa: E402
from nlp import parse  # noqa: E402
from nlp.deadlines import find_deadlines  # noqa: E402
from nlp.header import read_header, recipients  # noqa: E402
from nlp.references import find_references  # noqa: E402
from nlp.signer import find_signer  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _letters() -> list:
    from ingest.reader import extract

    docs = []
    for path in sorted(SEEDS.glob("*")):
        docs.extend(extract(str(path)))
    return docs


def _rate(label: str, docs: list, fn, repeat: int = 1) -> float:
    chars = sum(len(d.text) for d in docs) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            fn(d)
    dt = time.perf_counter() - t0
    n = len(docs) * repeat
    print(f"{label:<44} {n / dt:10.1f} docs/s {chars / dt / 1e6:8.2f} M chars/s  ({n} docs, {dt:.2f} s)")
    return dt


def _stages(docs: list) -> None:
    stages = {
        "header (number, date, issuer, subject)": lambda t: read_header(t),
        "recipients": lambda t: recipients(t),
        "signer": lambda t: find_signer(t),
        "references": lambda t: find_references(t),
        "deadlines": lambda t: find_deadlines(t),
    }
    total = {}
    for name, fn in stages.items():
        t0 = time.perf_counter()
        for d in docs:
            fn(d.text)
        total[name] = time.perf_counter() - t0
    whole = sum(total.values())
    for name, dt in total.items():
        print(f"  {name:<42} {dt * 1000 / len(docs):8.2f} ms/doc  {100 * dt / whole:5.1f} %")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="real documents to use (0: all)")
    args = ap.parse_args()
    letters = _letters()
    rows = load_rows()
    real = [extracted(r.get("text") or "", r["id"]) for r in rows[: args.limit or None]]
    print(f"letters: {len(letters)} documents, median {statistics.median(len(d.text) for d in letters):.0f} chars; "
          f"real: {len(real)} documents, median {statistics.median(len(d.text) for d in real):.0f} chars")
    print("\n== nlp.parse (metadata + references), one process")
    _rate("letters (seeds)", letters, parse, repeat=50)
    _rate("real documents (docs.jsonl)", real, parse)
    print("\n== where the time goes (real documents)")
    _stages(real)
    print("\n== the same pipeline, syllable tokenizer (tokenizer + rule components + ents)")
    from nlp.parse import read
    from nlp.pipeline import get_pipeline

    nlp = get_pipeline("syllables")
    with nlp.memory_zone():
        _rate("letters, syllable tokenizer", letters, lambda d: read(d, tokens="syllables"), repeat=20)
    sample = real[:40]
    with nlp.memory_zone():
        _rate("real (40 docs), syllable tokenizer", sample, lambda d: read(d, tokens="syllables"))
    tok = nlp.tokenizer
    _rate("real (40 docs), tokenizer alone", sample, lambda d: tok(d.text))
    print("\n== underthesea word segmentation (what the field path does not run)")
    from nlp.pipeline import build

    seg = build(tokens="words").tokenizer
    _rate("letters, underthesea-segmenting tokenizer", letters, lambda d: seg(d.text))
    _rate("real (10 docs), underthesea-segmenting tokenizer", real[:10], lambda d: seg(d.text))


if __name__ == "__main__":
    main()
