"""Durability on disk: a file's or folder's contents made to survive a crash before what
names it (a catalog row, a pointer file) is committed."""
from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """fsync a file, or a folder (so that a rename or a new entry in it is on disk)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
