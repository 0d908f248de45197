"""Every file fails alone (issue 17, findings 6-9): a name that is not UTF-8, a symbolic link,
a file that changes while it is read, a write that takes too long, a full disk, a long name, a
name that holds terminal escapes."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import index.archive
from index.archive import Archive
from index.catalog import Catalog
from index.pipeline import Limits
from tests.conftest import ROOT
from tests.index.catalog.test_reliability_crash import letter
from web.uploads import safe_name


def congvan(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "search_cli.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def write(folder: Path, name: str | bytes, i: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else os.fsencode(name))
    with open(path, "wb") as fh:
        fh.write(letter(i).encode("utf-8"))
    return Path(os.fsdecode(path))


def originals(arc: Path) -> list[Path]:
    return [p for p in (arc / "originals").rglob("*") if p.is_file()]


def test_a_name_that_is_not_utf8_is_kept_and_fails_nothing(tmp_path):
    folder = tmp_path / "in"
    write(folder, "a.txt", 1)
    write(folder, b"bad\xffutf8.txt", 2)  # as unzipped from a Windows zip (cp1252 bytes)
    write(folder, b"z\xe9-cp1252.txt", 3)
    write(folder, "z.txt", 4)
    arc = tmp_path / "arc"
    got = congvan("--archive", str(arc), "ingest", str(folder), "--json")
    assert got.returncode == 0, got.stderr[-2000:]
    report = json.loads(got.stdout)
    names = sorted(Path(r["path"]).name for r in report["ingested"])
    assert names == ["a.txt", "bad\ufffdutf8.txt", "z.txt", "z\ufffd-cp1252.txt"]  # shown with U+FFFD
    db = sqlite3.connect(arc / "catalog.sqlite3")
    stored = {bytes(p) if isinstance(p, bytes) else p.encode() for (p,) in db.execute("SELECT path FROM paths")}
    db.close()
    assert os.fsencode(folder) + b"/bad\xffutf8.txt" in stored  # kept losslessly, as bytes
    assert len(originals(arc)) == 4
    again = json.loads(congvan("--archive", str(arc), "ingest", str(folder), "--json").stdout)
    assert len(again["unchanged"]) == 4 and not again["failed"]  # found again by its exact name
    checked = congvan("--archive", str(arc), "check", "--json")
    assert checked.returncode == 0, checked.stdout[-2000:]


def test_symlinks_are_not_followed_and_each_is_reported(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "secret.txt", 9)
    folder = tmp_path / "in"
    write(folder, "real.txt", 1)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (folder / "inner.txt").symlink_to(folder / "real.txt")
    (folder / "notes.bin").symlink_to("/etc/passwd")  # decoy: not a supported name, ignored like any .bin
    arc = tmp_path / "arc"
    got = congvan("--archive", str(arc), "ingest", str(folder), "--json")
    report = json.loads(got.stdout)
    assert got.returncode == 1
    assert [Path(r["path"]).name for r in report["ingested"]] == ["real.txt"]
    failed = {Path(r["path"]).name: r["error"] for r in report["failed"]}
    assert set(failed) == {"passwd.txt", "secret.txt", "dangling.txt", "linked-dir", "inner.txt"}
    assert all("\n" not in why and "liên kết" in why for why in failed.values())
    assert "hỏng" in failed["dangling.txt"]
    assert json.loads(congvan("--archive", str(arc), "search", "root", "--json").stdout)["total"] == 0

    # followed on request, but never out of the paths given
    arc2 = tmp_path / "arc2"
    report = json.loads(congvan("--archive", str(arc2), "ingest", str(folder), "--json", "--follow-symlinks").stdout)
    assert sorted(Path(r["path"]).name for r in report["ingested"] + report["unchanged"]) == ["inner.txt", "real.txt"]
    failed = {Path(r["path"]).name: r["error"] for r in report["failed"]}
    assert set(failed) == {"passwd.txt", "secret.txt", "dangling.txt", "linked-dir"}
    assert "ngoài" in failed["passwd.txt"] and "hỏng" in failed["dangling.txt"]


def test_a_file_that_changes_during_ingest_is_stored_as_it_was_hashed(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    files = [write(folder, f"cv_{i}.txt", i) for i in range(4)]
    real = index.archive.read_files

    def changing(paths, *args, **kwargs):  # every source rewritten once hashing is over
        for f in files:
            f.write_text(letter(100 + files.index(f)), encoding="utf-8")
        yield from real(paths, *args, **kwargs)

    monkeypatch.setattr(index.archive, "read_files", changing)
    arc = Archive(tmp_path / "arc")
    report = arc.ingest([folder], workers=1)
    assert len(report.ingested) == 4 and not report.failed
    rows = arc.catalog.db.execute("SELECT f.sha256, f.original, d.record FROM files f "
                                  "JOIN documents d ON d.sha256 = f.sha256").fetchall()
    assert len(rows) == 4
    for sha, original, record in rows:  # hash, kept original and record: one version of the file
        data = (arc.root / original).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        rec = json.loads(record)
        assert rec["source"]["sha256"] == sha
        assert " ".join(rec["text"].split())[:200] == " ".join(data.decode("utf-8").split())[:200]
        assert rec["source"]["path"].startswith(str(folder))  # named by its path, not the copy's
    arc.close()
    assert not (arc.root / "originals" / ".incoming").exists()  # the copies moved into place or removed


def test_the_writers_share_of_a_file_is_bounded_too(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    for i, name in enumerate(["a.txt", "slow.txt", "z.txt"]):
        write(folder, name, i)
    real = Catalog.add_file

    def add_file(self, path, *args, **kwargs):
        if path.endswith("slow.txt"):
            time.sleep(5)  # as a pathological text once made the writer spend minutes
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(Catalog, "add_file", add_file)
    arc = Archive(tmp_path / "arc")
    report = arc.ingest([folder], workers=1, limits=Limits(timeout=1))
    assert sorted(Path(r["path"]).name for r in report.ingested) == ["a.txt", "z.txt"]
    assert [Path(r["path"]).name for r in report.failed] == ["slow.txt"]
    assert "giới hạn 1 s" in report.failed[0]["error"] and "\n" not in report.failed[0]["error"]
    assert arc.catalog.file_for_path(str(folder / "slow.txt")) is None  # rolled back
    assert len(originals(arc.root)) == 2  # and its original not left behind
    assert arc.fulltext.count() == arc.catalog.count() == 2
    arc.close()


def test_a_full_disk_gives_one_line_and_74(tmp_path, monkeypatch):
    """Injected at the write layer: the copy made while hashing is the first write of a file."""
    from search_cli import cli
    folder = tmp_path / "in"
    write(folder, "a.txt", 1)
    real = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("ingest.intake.os.write", full)
    got = CliRunner().invoke(cli, ["--archive", str(tmp_path / "arc"), "ingest", str(folder)])
    monkeypatch.setattr("ingest.intake.os.write", real)
    assert got.exit_code == 74, got.output
    assert got.output.strip().startswith("Lỗi: đĩa đã đầy") and len(got.output.strip().splitlines()) == 1


@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MB tmpfs (root can mount one), else the test is skipped: the injected test above
    covers the code path on machines that cannot mount."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_real_full_disk_gives_one_line_and_74(tmp_path, small_disk):
    folder = tmp_path / "in"
    write(folder, "a.txt", 1)
    big = folder / "b.txt"
    big.write_text((letter(2) + "\n") * 4000, encoding="utf-8")  # more than the disk holds
    arc = small_disk / "arc"
    got = congvan("--archive", str(arc), "ingest", str(folder))
    assert got.returncode == 74, got.stderr[-2000:]
    lines = got.stderr.strip().splitlines()
    assert "Traceback" not in got.stderr and lines[-1].startswith("Lỗi: đĩa đã đầy"), got.stderr[-2000:]
    assert congvan("--archive", str(arc), "check").returncode == 0  # what was stored is whole


@pytest.mark.parametrize("name", [
    "Công văn số 1234-CV-BTGTU về việc tuyên truyền kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam "
    "và các ngày lễ lớn trong năm hai nghìn hai mươi lăm của tỉnh.txt",  # ~160 characters, ~200 bytes
    "x" * 240 + ".txt",
])
def test_long_names_are_accepted(tmp_path, name):
    assert len(name) > 120
    folder = tmp_path / "in"
    write(folder, name, 1)
    got = congvan("--archive", str(tmp_path / "arc"), "ingest", str(folder), "--json")
    assert got.returncode == 0, got.stdout[-2000:]
    assert [Path(r["path"]).name for r in json.loads(got.stdout)["ingested"]] == [name]


@pytest.mark.parametrize("name,suffix", [
    ("Công văn " * 40 + ".docx", ".docx"), ("a" * 500 + ".pdf", ".pdf"), ("ngắn.txt", ".txt"),
    ("x." + "y" * 300, None),  # decoy: a long suffix is no format, and is shortened as the name
])
def test_an_uploaded_long_name_keeps_its_format(name, suffix):
    safe = safe_name(name, 0)
    if suffix is None:
        assert safe.startswith("x.yyy") and safe != name
    else:
        assert Path(safe).suffix == suffix and Path(safe).stem.strip()
    assert len(safe.encode("utf-8")) <= 240  # a file system takes 255 bytes in a name


def test_terminal_escapes_in_names_never_reach_the_screen(tmp_path):
    folder = tmp_path / "in"
    write(folder, "\x1b]0;pwned\x07evil\x1b[2J.txt", 1)
    write(folder, "\x1b[31mred\x9b.pdf", 2)  # not a PDF: its name goes into a failure line
    got = congvan("--archive", str(tmp_path / "arc"), "ingest", str(folder))
    screen = got.stdout + got.stderr
    assert "\x1b" not in screen and "\x07" not in screen and "\x9b" not in screen
    assert "\\x1b]0;pwned\\x07evil\\x1b[2J.txt" in screen and "\\x1b[31mred\\x9b.pdf" in screen
