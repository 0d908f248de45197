"""`reindex` never empties search (issue 17, finding 5): the new index is built beside the one
in use and swapped in atomically, searches during a rebuild answer from the old one, a rebuild
killed half-way leaves the old one in use; a writer that finds the archive busy says so in one
line and exits 75 (or queues with --wait)."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.archive import Archive
from index.catalog import writer_lock
from index.search import FOLDERS, current_folder
from ingest.models import Extracted, Source
from nlp import parse
from tests.conftest import ROOT
from tests.index.catalog.test_reliability_crash import letter

N = 300  # documents: a rebuild of ~10 MB of text lasts seconds, long enough to search during it
FILLER = " ".join(f"tuyên truyền thông tin đối ngoại năm {i} xã phường" for i in range(600))


def congvan(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """An archive of N long letters, written to the catalog directly (parsing them through
    `ingest` would cost minutes here and tell nothing about the index)."""
    root = tmp_path_factory.mktemp("reindex") / "arc"
    arc = Archive(root)
    for i in range(N):
        text = f"{letter(i)}\n{FILLER}"
        sha = hashlib.sha256(text.encode()).hexdigest()
        rec = parse(Extracted(text, Source(path=f"cv_{i}.txt", sha256=sha, format="text")))
        arc.catalog.add_file(f"cv_{i}.txt", sha, "text", len(text), f"originals/{sha[:2]}/{sha}", [rec])
    arc.reindex()
    arc.close()
    return root


def index_folders(root: Path) -> list[str]:
    name = FOLDERS["tantivy"]
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p.name == name or p.name.startswith(name + "-")))


@contextmanager
def held_elsewhere(root: Path) -> Iterator[None]:
    """The writer lock held by another thread (this thread's own holding would nest)."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(root, what="congvan ingest"):
            held.set()
            release.wait(60)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    try:
        yield
    finally:
        release.set()
        t.join()


def building(root: Path) -> tuple:
    """The index folders and the inode of the one in use: a build changes one or the other."""
    folder = current_folder(root, "tantivy")
    try:
        inode = folder.stat().st_ino
    except OSError:
        inode = None
    return index_folders(root), inode


def total(root: Path, query: str) -> int:
    arc = Archive(root)
    try:
        return arc.search(query)["total"]
    finally:
        arc.close()


def test_searches_during_a_reindex_never_answer_empty(big):
    reader = Archive(big)  # long-lived, as the web page keeps it
    assert reader.search("tuyên truyền")["total"] == N
    before = current_folder(big, "tantivy")
    proc = congvan("--archive", str(big), "reindex")
    answers = []
    while proc.poll() is None:
        answers.append(reader.search("tuyên truyền")["total"])
        answers.append(total(big, "thong tin doi ngoai"))  # a new reader, as each CLI search is
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert len(answers) >= 4, "the reindex ended before searches could run during it"
    assert set(answers) == {N}, f"{answers.count(0)} of {len(answers)} searches during a reindex answered empty"
    assert reader.search("tuyên truyền")["total"] == N
    assert reader.fulltext.folder == current_folder(big, "tantivy") != before  # the reader follows the swap
    assert index_folders(big) == [current_folder(big, "tantivy").name]  # the old one, held by none, removed
    reader.close()


def test_a_killed_reindex_leaves_search_working(big):
    reader = Archive(big)
    assert reader.search("tuyên truyền")["total"] == N
    in_use = current_folder(big, "tantivy")
    before = building(big)
    proc = congvan("--archive", str(big), "reindex")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and building(big) == before:
        time.sleep(0.01)  # until the build of the new index has begun (a folder made, or this one made anew)
    time.sleep(0.3)  # well into it
    assert proc.poll() is None, "the reindex ended before it could be killed half-way"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert reader.search("tuyên truyền")["total"] == N  # the long-lived reader
    assert current_folder(big, "tantivy") == in_use  # the old index is still the one in use
    reader.close()
    with held_elsewhere(big):  # a new reader while a writer works cannot rebuild:
        assert total(big, "tuyên truyền") == N  # it reads the index on disk as it is
    got = subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(big), "search",
                          "tuyên", "truyền", "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert got.returncode == 0 and f'"total": {N}' in got.stdout, got.stderr[-2000:]
    # the half-built folder is removed by the next writer, and the next reindex completes
    assert subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(big), "reindex"],
                          capture_output=True, cwd=ROOT, timeout=300).returncode == 0
    assert index_folders(big) == [current_folder(big, "tantivy").name]
    assert total(big, "tuyên truyền") == N


WRITERS = {  # every command that writes, as a user types it
    "ingest": lambda tmp: ["ingest", str(tmp)],
    "reindex": lambda tmp: ["reindex"],
    "check --repair": lambda tmp: ["check", "--repair"],
    "dedup --recheck": lambda tmp: ["dedup", "--recheck"],
    "dedup --near": lambda tmp: ["dedup", "--near", "0.9"],
}


@pytest.mark.parametrize("command", WRITERS)
def test_every_writer_answers_busy_in_one_line_with_75(tmp_path, command):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(letter(1), encoding="utf-8")
    arc = tmp_path / "arc"
    Archive(arc).close()
    with writer_lock(arc, what="congvan ingest"):
        got = subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(arc),
                              *WRITERS[command](tmp_path / "in")], capture_output=True, text=True, cwd=ROOT,
                             timeout=120)
    assert got.returncode == 75, got.stderr[-2000:]
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in got.stderr, got.stderr[-2000:]
    assert lines[0].startswith("Lỗi: kho ") and "đang bận: congvan ingest (pid " in lines[0] and "--wait" in lines[0]


def test_reindex_waits_for_the_writer_with_wait(tmp_path):
    arc = tmp_path / "arc"
    Archive(arc).close()
    with held_elsewhere(arc):
        proc = congvan("--archive", str(arc), "reindex", "--wait", "60")
        time.sleep(1.5)
        assert proc.poll() is None  # queued behind the writer
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.startswith("reindexed 0 document(s)")
