"""Search quality: MRR@10 and recall@10 per query kind, on corpus/ plus the real documents of
../shared/eval/real/docs.jsonl, for each engine; and whether each query typed with
diacritics returns the same first hit without them.

    python benchmarks/search_quality.py [--engine whoosh|tantivy|both] [--archive-dir DIR]

Judgments: tests/data/search_quality.jsonl, one query a line: {"kind", "query", "relevant"},
where a relevant document is `corpus:<file>#<part>` or `real:<docs.jsonl id>` (any part)."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.realdocs import safe_name, write_real_docs  # noqa: E402
from index.archive import Archive  # noqa: E402
from text.fold import fold  # noqa: E402

JUDGMENTS = ROOT / "tests" / "data" / "search_quality.jsonl"
CORPUS = ROOT / "corpus" / "text"


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_archive(root: Path, engine: str, docs_dir: Path, only: set[str] | None = None) -> Archive:
    """One catalog for every engine: ingested once, then each engine's index is built from it.
    `only`: ingest just these real documents (by id) besides corpus/ (a quick run)."""
    archive = Archive(root, engine=engine)
    if archive.catalog.count() == 0:
        paths = write_real_docs(docs_dir)
        real = [p for i, p in paths.items() if only is None or i in only]
        archive.ingest([CORPUS, *real], workers=2)
    return archive


def judged_real_ids(judgments: list[dict]) -> set[str]:
    return {r.split(":", 1)[1] for j in judgments for r in j["relevant"] if r.startswith("real:")}


def resolve(archive: Archive, ref: str, docs_dir: Path) -> set[str]:
    """The document ids that a judgment names."""
    kind, _, name = ref.partition(":")
    part = None
    if kind == "corpus":
        name, _, p = name.partition("#")
        path, part = str(CORPUS / name), int(p or 0)
    else:
        path = str(docs_dir / safe_name(name))
    rows = archive.catalog.db.execute(
        "SELECT d.id, d.part FROM paths p JOIN documents d ON d.sha256 = p.sha256 WHERE p.path = ?",
        (path,)).fetchall()
    return {r[0] for r in rows if part is None or r[1] == part}


def evaluate(archive: Archive, judgments: list[dict], docs_dir: Path) -> dict:
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    fold_mismatch, missing, failures = [], [], []
    for j in judgments:
        relevant = set().union(*(resolve(archive, r, docs_dir) for r in j["relevant"]))
        if not relevant:
            missing.append(j["query"])
            continue
        ids = [h["id"] for h in archive.search(j["query"], limit=10)["hits"]]
        rank = next((i + 1 for i, x in enumerate(ids) if x in relevant), None)
        rr = 1.0 / rank if rank else 0.0
        recall = len(relevant & set(ids)) / len(relevant)
        per_kind[j["kind"]].append((rr, recall))
        if rr < 1.0:
            failures.append((j["query"], rank))
        folded = fold(j["query"])
        if folded != j["query"].lower():
            fids = [h["id"] for h in archive.search(folded, limit=1)["hits"]]
            if ids[:1] != fids[:1]:
                fold_mismatch.append(j["query"])
    return {"per_kind": per_kind, "fold_mismatch": fold_mismatch, "missing": missing, "failures": failures}


def summary(result: dict) -> tuple[float, float, int]:
    allq = [x for v in result["per_kind"].values() for x in v]
    n = len(allq) or 1
    return sum(r for r, _ in allq) / n, sum(c for _, c in allq) / n, len(allq)


def report(engine: str, result: dict, seconds: float) -> None:
    mrr, recall, n = summary(result)
    print(f"\n== {engine}: {n} queries, MRR@10 {mrr:.3f}, recall@10 {recall:.3f} ({seconds:.1f}s)")
    print(f"{'kind':<16}{'n':>4}{'MRR@10':>9}{'recall@10':>11}")
    for kind, vals in sorted(result["per_kind"].items()):
        print(f"{kind:<16}{len(vals):>4}{sum(r for r, _ in vals) / len(vals):>9.3f}"
              f"{sum(c for _, c in vals) / len(vals):>11.3f}")
    print(f"folded form returns another first hit: {len(result['fold_mismatch'])}")
    for q in result["fold_mismatch"]:
        print(f"   {q}")
    for q, rank in result["failures"]:
        print(f"   not first: {q!r} (rank {rank})")
    for q in result["missing"]:
        print(f"   judged document not in the archive: {q!r}")


def use_underthesea_words() -> None:
    """The experiment of issue 5: instead of every pair of adjacent query words, ask for the
    multi-syllable words that underthesea finds in the query (`thông tin`, `đối ngoại`).
    (Segmenting whole documents costs ~2,000 syllables/s, hours at 10k documents, so only the
    query side is tried.)"""
    from underthesea import word_tokenize

    import index.search._fulltext as fulltext
    from index.search import Phrase, syllables

    plain_parse = fulltext.parse

    def parse(text, filters=None):
        q = plain_parse(text, filters)
        if q.proximity:
            words = [syllables(w) for w in word_tokenize(text)]
            q.proximity = [Phrase(w) for w in words if len(w) > 1]
        return q

    fulltext.parse = parse


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["whoosh", "tantivy", "both"], default="both")
    ap.add_argument("--archive-dir", type=Path, default=None, help="keep the archive here (reused when present)")
    ap.add_argument("--underthesea", action="store_true",
                    help="proximity from underthesea's multi-syllable words instead of word pairs")
    ap.add_argument("--judged-only", action="store_true", help="ingest only the judged real documents (quick)")
    args = ap.parse_args()
    base = args.archive_dir or Path(tempfile.mkdtemp(prefix="congvan-quality-"))
    docs_dir = base / "real-docs"
    engines = ["whoosh", "tantivy"] if args.engine == "both" else [args.engine]
    judgments = load_judgments()
    only = judged_real_ids(judgments) if args.judged_only else None
    if args.underthesea:
        use_underthesea_words()
    for engine in engines:
        archive = build_archive(base / "archive", engine, docs_dir, only)
        t = time.time()
        result = evaluate(archive, judgments, docs_dir)
        report(engine, result, time.time() - t)
        archive.close()


if __name__ == "__main__":
    main()
