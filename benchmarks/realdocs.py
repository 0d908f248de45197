"""Real documents of ../shared/eval/real/docs.jsonl as text files, for the search quality set
and the benchmark (file name = the source id made safe, so judgments can name them)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "real" / "docs.jsonl"


def safe_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id).strip("_")[:120] + ".txt"


def real_docs(max_chars: int = 60_000) -> Iterator[dict]:
    """Documents with a usable text (no scanned stubs), up to `max_chars` long."""
    with open(REAL, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if 1500 <= len(d["text"]) <= max_chars:
                yield d


def write_real_docs(folder: Path, max_chars: int = 60_000) -> dict[str, Path]:
    """Write the real documents into `folder`; returns id → path."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for d in real_docs(max_chars):
        p = folder / safe_name(d["id"])
        if not p.exists():
            p.write_text(d["text"], encoding="utf-8")
        out[d["id"]] = p
    return out
