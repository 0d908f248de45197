"""Bounds of an ingest batch: per-file time, memory and text size (`Limits`, from options or
the environment), the time a scan may take per page, and the writer's deadline for storing one
file (`write_deadline`, an alarm in the writing process)."""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from index.pipeline._cost_order import images


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Per-file bounds. Defaults are far above what a real letter needs (a 300-page PDF reads
    in well under a minute and a few hundred MB); `0` switches a bound off."""

    timeout: float = 300.0       # seconds to read and parse one file
    memory_mb: int = 2048        # address space a worker may add while reading one file
    max_chars: int = 5_000_000   # characters of text in one file (≈ 2,000 printed pages)

    @classmethod
    def from_env(cls, timeout: float | None = None, memory_mb: int | None = None,
                 max_chars: int | None = None) -> Limits:
        """Explicit values, else $CONGVAN_TIMEOUT, $CONGVAN_MEMORY_MB, $CONGVAN_MAX_CHARS, else the defaults."""
        d = cls()
        return cls(
            timeout=float(timeout if timeout is not None else _env_number("CONGVAN_TIMEOUT", d.timeout)),
            memory_mb=int(memory_mb if memory_mb is not None else _env_number("CONGVAN_MEMORY_MB", d.memory_mb)),
            max_chars=int(max_chars if max_chars is not None else _env_number("CONGVAN_MAX_CHARS", d.max_chars)),
        )


# Tesseract reads a page in 2-3 s on an idle core: ten times that keeps a long scan on a loaded
# machine well inside its limit, while a file that hangs is still stopped.
SCAN_PAGE_SECONDS = 30.0


def time_limit(path: str, limits: Limits, ocr: str = "auto", n_images: int | None = None) -> float:
    """Seconds `path` may take: `limits.timeout`, and more for each page a scan will OCR (a
    300-page scan is no more suspect than a 300-page text PDF, only slower). `n_images`: its
    `images` when already counted."""
    if limits.timeout <= 0 or ocr == "never":
        return limits.timeout
    return limits.timeout + SCAN_PAGE_SECONDS * (images(path) if n_images is None else n_images)



class WriteTimeout(BaseException):
    """The writer's share of one file took longer than its limit. A BaseException, so that the
    `except Exception` guards of the code it interrupts let it through to the caller."""


@contextmanager
def write_deadline(seconds: float) -> Iterator[None]:
    """Raise `WriteTimeout` in this block after `seconds` (0: no limit). The parse runs in a
    worker that can be killed; storing the records runs in the writer itself, so its bound is
    an alarm (SIGALRM, main thread only: elsewhere the block runs unbounded)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise WriteTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
