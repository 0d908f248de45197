"""The user journeys of ../shared/eval/journeys.py, run through this checkout's command line.

`journeys.py FOLDER… --cmd CMD` ingests the folders into a fresh archive and checks, for a
sample of the documents: lookup by the printed code, findable by its own rarest words, every
cited code in `refs`, and `cited-by` listing the citing letter back. Used by
tests/test_journeys.py (corpus/ and a folder of copies) and by `make bench` (the real texts and
generated letters, a row each in the table).

    python -m benchmarks.journeys_run FOLDER… [--sample 200]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import ocr_noise, resent
from benchmarks.realdocs import load_rows, safe_name

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
JOURNEYS = SHARED / "eval" / "journeys.py"
REAL_DOCS = SHARED / "eval" / "real" / "docs.jsonl"
KINDS = ("lookup", "findable", "refs", "citedby")
_LAST = re.compile(r"journeys lookup (\d+)/(\d+) findable (\d+)/(\d+) refs (\d+)/(\d+) citedby (\d+)/(\d+)")


def command() -> str:
    """This checkout's `congvan`, whatever venv runs it."""
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'search_cli.py'))}"


def run(folders: list[Path], sample: int = 200, seed: int = 1, timeout: float = 3600) -> dict:
    """journeys.py over `folders`: {"passed": {kind: (passes, tries)}, "failures": [line], "seconds"}."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(JOURNEYS), *map(str, folders), "--cmd", command(),
                           "--sample", str(sample), "--seed", str(seed)],
                          capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    m = _LAST.search(proc.stdout)
    if m is None:
        raise RuntimeError(f"journeys.py gave no tally (exit {proc.returncode}): "
                           f"{(proc.stderr or proc.stdout).strip()[-500:]}")
    nums = [int(x) for x in m.groups()]
    passed = {k: (nums[2 * i], nums[2 * i + 1]) for i, k in enumerate(KINDS)}
    failures = [ln.strip() for ln in proc.stdout.splitlines() if ln.startswith("  ")]
    return {"passed": passed, "failures": failures, "seconds": time.perf_counter() - t}


def rates(result: dict) -> str:
    """`lookup 40/40 · findable 39/40 · refs 12/12 · cited-by 9/9`."""
    return " · ".join(f"{'cited-by' if k == 'citedby' else k} {a}/{b}" for k, (a, b) in result["passed"].items())


def write_real_texts(folder: Path, docs: Path = REAL_DOCS) -> int:
    """Every real text of docs.jsonl as a file of its own; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for row in load_rows(docs):
        if row.get("text"):
            (folder / safe_name(row["id"])).write_text(row["text"], encoding="utf-8")
            n += 1
    return n


def write_copies(sources: list[Path], folder: Path, seed: int = 1) -> int:
    """Each text letter of `sources` with two copies beside it: a re-send with a line of its own
    (`benchmarks.generate.resent`) and an OCR'd copy (`ocr_noise`). Returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for i, src in enumerate(sorted(sources)):
        text = src.read_text(encoding="utf-8-sig")
        rng = random.Random(f"{seed}:{i}")
        for suffix, body in (("", text), ("-gui-lai", resent(text, rng)), ("-ocr", ocr_noise(text, rng, rate=0.03))):
            (folder / f"{src.stem}{suffix}.txt").write_text(body, encoding="utf-8")
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--sample", type=int, default=200)
    args = ap.parse_args(argv)
    result = run(args.folders, args.sample)
    for f in result["failures"]:
        print(f)
    print(rates(result), f"({result['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
