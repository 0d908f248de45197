"""Shared helpers for the benchmarks that read ../shared/eval/real/docs.jsonl."""
from __future__ import annotations

import json
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
