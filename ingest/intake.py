"""Which files a run reads, and one read of each (issue 17).

- Walking: the supported files named, and those under the folders named, in a stable order.
  Symbolic links are not followed (a `passwd.txt -> /etc/passwd` dropped in a folder must not
  end up in the archive); with `follow_symlinks` they are, but only to a target inside the
  paths given. Each link left out is reported, one line each, never silently.
- Names: a name that is not valid UTF-8 (zips made on Windows) reaches Python as a string
  with lone surrogates (`surrogateescape`); `stored_name` keeps it losslessly (its bytes),
  `shown_name` shows it with replacement characters, `printable` escapes control characters
  so that a name can never drive the terminal it is printed on.
- Staging: a file is copied while it is hashed (`stage`), and parsed from that copy, so the
  hash, the kept original and the text all come from one read of the same bytes even if the
  file changes meanwhile.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.models import IngestError
from ingest.reader import SUPPORTED

SYMLINK_SKIPPED = "liên kết tượng trưng (symlink), không đọc theo; dùng --follow-symlinks để đọc"
SYMLINK_DANGLING = "liên kết tượng trưng hỏng: nơi nó trỏ tới không tồn tại"
SYMLINK_OUTSIDE = "liên kết tượng trưng trỏ ra ngoài các đường dẫn đã cho, không đọc theo"


@dataclass(frozen=True)
class Skipped:
    """A path the walk leaves out, with the one-line reason shown to the user."""

    path: str
    reason: str


def shown_name(path: str | os.PathLike) -> str:
    """The path as text for people and for JSON: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(os.fspath(path)).decode("utf-8", "replace")


def stored_name(path: str | os.PathLike) -> str | bytes:
    """The path as the catalog keeps it: text when it is valid UTF-8, else its exact bytes
    (SQLite stores them as a BLOB), so the name is never lost nor refused."""
    path = os.fspath(path)
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`): file names are
    printed on terminals, where ESC sequences could move the cursor, retitle or recolour."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", shown_name(text))


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _wanted(name: str) -> bool:
    return Path(name).suffix.lower() in SUPPORTED and not name.startswith(".")


def walk(paths: Iterable[str | os.PathLike], follow_symlinks: bool = False) -> list[Path | Skipped]:
    """The files to read (a named path that does not exist is passed on, for the caller to
    report), and the links left out, sorted by path."""
    paths = [Path(p) for p in paths]
    roots = [os.path.realpath(p) for p in paths]
    out: list[Path | Skipped] = []
    seen_dirs: set[str] = set()

    def link(p: Path, is_named: bool) -> Path | None:
        """Where the link `p` may be followed to, or None (then it has been reported)."""
        target = os.path.realpath(p)
        if not os.path.exists(target):
            out.append(Skipped(str(p), SYMLINK_DANGLING))
            return None
        if not follow_symlinks:
            out.append(Skipped(str(p), SYMLINK_SKIPPED))
            return None
        if not is_named and not _inside(target, roots):
            out.append(Skipped(str(p), SYMLINK_OUTSIDE))
            return None
        return p

    def folder(d: Path) -> None:
        real = os.path.realpath(d)
        if real in seen_dirs:  # a followed link back up the tree: once is enough
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            out.append(Skipped(str(d), f"không đọc được thư mục ({exc.strerror or exc})"))
            return
        for e in entries:
            p = Path(e.path)
            try:
                if e.is_symlink():
                    is_dir = os.path.isdir(p)
                    if (is_dir or _wanted(e.name)) and link(p, False) is not None:
                        (folder if is_dir else out.append)(p)
                elif e.is_dir(follow_symlinks=False):
                    folder(p)
                elif e.is_file(follow_symlinks=False) and _wanted(e.name):
                    out.append(p)
            except OSError as exc:
                out.append(Skipped(str(p), f"không đọc được ({exc.strerror or exc})"))

    for p in paths:
        if p.is_symlink():
            if link(p, True) is None:
                continue
        if p.is_dir():
            folder(p)
        else:
            out.append(p)
    return sorted(out, key=lambda x: Path(x.path) if isinstance(x, Skipped) else x)


def _open(path: str | os.PathLike, follow_symlinks: bool) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since the walk
            raise IngestError(SYMLINK_SKIPPED) from None
        if exc.errno == errno.ENOENT:
            raise IngestError("no such file") from None
        raise IngestError(f"không mở được tệp ({exc.strerror or exc})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO or a device would block or never end
        os.close(fd)
        raise IngestError("không phải tệp thường (FIFO, thiết bị…): bỏ qua")
    return fd


def digest_of(path: str | os.PathLike, follow_symlinks: bool = False) -> str:
    """sha256 of a regular file, opened as `stage` opens it (to see whether it is known at all)."""
    fd = _open(path, follow_symlinks)
    try:
        h = hashlib.sha256()
        while block := _read(fd):
            h.update(block)
        return h.hexdigest()
    finally:
        os.close(fd)


def stage(path: str | os.PathLike, folder: Path, follow_symlinks: bool = False) -> tuple[Path, str]:
    """Copy `path` into `folder` while hashing it: (the copy, its sha256). The copy keeps the
    file's name (in a folder of its own), which tells the reader the format. Raises
    `IngestError` (one line) for what is not a regular file; `OSError` for the disk (full,
    read-only), which stops the run."""
    src = _open(path, follow_symlinks)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        copy = Path(tempfile.mkdtemp(dir=folder)) / Path(path).name
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        h = hashlib.sha256()
        try:
            while block := _read(src):
                h.update(block)
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view):]
        except BaseException:
            os.close(fd)
            discard(copy)
            raise
        os.close(fd)
        return copy, h.hexdigest()
    finally:
        os.close(src)


def discard(copy: Path) -> None:
    """Remove a copy made by `stage`, and its folder."""
    copy.unlink(missing_ok=True)
    try:
        copy.parent.rmdir()
    except OSError:
        pass


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 20)
    except OSError as exc:  # an I/O error of the source fails that file, not the run
        raise IngestError(f"không đọc được tệp ({exc.strerror or exc})") from None
