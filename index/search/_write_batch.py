"""Full-text writes of an ingest, gathered into few commits.

A commit of the full-text index costs far more than adding one letter to it (a new segment,
merges, a reader reload): one commit per file was 85% of ingest time. The catalog stays the
source of truth with one transaction per file; the index receives the records in batches, of
`max_records` or every `max_seconds` (so a long OCR run still becomes searchable as it goes).
A run killed between two commits leaves the index behind the catalog: `FullText` sees the
count differ on the next open and rebuilds it, and `congvan check --repair` repairs it."""
from __future__ import annotations

import time
from collections.abc import Callable

from nlp.models import Record

MAX_RECORDS = 500
MAX_SECONDS = 5.0  # a commit costs ~0.1 s: under 3% of a long run


class IndexBatch:
    def __init__(self, write: Callable[[list[Record]], None], max_records: int = MAX_RECORDS,
                 max_seconds: float = MAX_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._write = write
        self.max_records, self.max_seconds = max_records, max_seconds
        self._clock = clock
        self._pending: dict[str, Record] = {}  # by id: a document read twice is written once, as last read
        self._since = clock()
        self.commits = 0

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, records: list[Record]) -> None:
        for rec in records:
            self._pending.pop(rec.id, None)
            self._pending[rec.id] = rec
        if len(self._pending) >= self.max_records or self._clock() - self._since >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Write what is pending in one commit (nothing to write: no commit)."""
        if self._pending:
            records = list(self._pending.values())
            self._pending = {}
            self._write(records)
            self.commits += 1
        self._since = self._clock()
