"""The ingest batch: files read (`ingest.extract`) and parsed (`nlp.parse`) in worker processes
that a bad file cannot take down, dearest files first, each within its bounds; the caller (the
archive, the one writer) stores what they yield.

Modules (private; this package's surface is what it exports here): `_workers` (the worker
processes, `read_files`, one-line reasons), `_limits` (`Limits` on time, memory and text per
file; the writer's `write_deadline`), `_cost_order` (a file's expected cost from its bytes,
`dearest_first`)."""
from index.pipeline._cost_order import dearest_first, expected_cost, images
from index.pipeline._limits import SCAN_PAGE_SECONDS, Limits, WriteTimeout, time_limit, write_deadline
from index.pipeline._workers import explain, read_bounded, read_files

__all__ = [
    "SCAN_PAGE_SECONDS",
    "Limits",
    "WriteTimeout",
    "dearest_first",
    "expected_cost",
    "explain",
    "images",
    "read_bounded",
    "read_files",
    "time_limit",
    "write_deadline",
]
