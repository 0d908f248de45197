"""Shared helpers for the benchmarks that read ../shared/eval/real/docs.jsonl: rows, `Extracted`
values for parsing, and text files for the search quality set (file name = the source id made safe)."""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ingest.models import Extracted, Source

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "real"


def load_rows(path: Path = REAL / "docs.jsonl") -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def extracted(text: str, name: str = "text", part: int = 0) -> Extracted:
    """An `Extracted` for a text that did not come through ingest (NFC, as ingest would give it)."""
    source = Source(path=name, sha256="", format="txt", part=part)
    return Extracted(text=unicodedata.normalize("NFC", text), source=source)


def documents() -> Iterator[tuple[dict, Extracted]]:
    for row in load_rows():
        yield row, extracted(row.get("text") or "", row.get("id") or "")


def safe_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]+", "_", doc_id).strip("_")[:120] + ".txt"


def real_docs(max_chars: int = 60_000) -> Iterator[dict]:
    """Documents with a usable text (no scanned stubs), up to `max_chars` long."""
    with open(REAL / "docs.jsonl", encoding="utf-8") as f:
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
