"""`congvan watch` as it runs for an office: a real subprocess over a real folder, files
arriving slowly, renamed into place, a bad one, a SIGTERM and a restart."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.graph_letters import letter

ROOT = Path(__file__).resolve().parent.parent
INTERVAL = 1.0


def text_of(i: int) -> str:
    body = " ".join(f"Đoạn {k} của văn bản số {i}: đề nghị các đơn vị thực hiện nghiêm túc." for k in range(40))
    return letter(f"{300 + i}/UBND-VX", (2025, 3, 1 + i), body, issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", parent=None,
                  place="Nghệ An", subject=f"triển khai nhiệm vụ số {i}")


class Watcher:
    """`congvan watch` in its own process; its log read from a file as it grows."""

    def __init__(self, archive: Path, folder: Path, log: Path, *options: str):
        self.log = log
        self.fh = open(log, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "search_cli.py"), "--archive", str(archive), "watch", str(folder),
             "--interval", str(INTERVAL), *options],
            cwd=ROOT, stdout=self.fh, stderr=self.fh, env={**os.environ, "PYTHONPATH": str(ROOT)})

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()

    def wait_for(self, needle: str, count: int = 1, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(needle in line for line in self.lines()) >= count:
                return
            if self.proc.poll() is not None:
                pytest.fail(f"watch exited {self.proc.returncode}:\n" + "\n".join(self.lines()))
            time.sleep(0.2)
        pytest.fail(f"no {count}× {needle!r} in the log within {timeout:g} s:\n" + "\n".join(self.lines()))

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        finally:
            self.fh.close()


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ingested(lines: list[str]) -> list[str]:
    return [line.split(": ")[1] for line in lines if line.startswith("đã nhập: ")]


@pytest.mark.parametrize("mode", [(), ("--poll",)], ids=["inotify", "poll"])
def test_watch_ingests_each_good_file_once_across_a_restart(tmp_path, mode):
    folder, archive, log = tmp_path / "den", tmp_path / "archive", tmp_path / "watch.log"
    folder.mkdir()
    (folder / "co-san.txt").write_text(text_of(0), encoding="utf-8")  # there before the watcher starts
    w = Watcher(archive, folder, log, *mode)
    w.wait_for("co-san.txt")

    slow = folder / "cham.txt"  # a copy that takes longer than the interval, in pauses shorter than it
    data = text_of(1).encode("utf-8")
    step = len(data) // 6 + 1
    with open(slow, "wb") as fh:
        for k in range(0, len(data), step):
            fh.write(data[k:k + step])
            fh.flush()
            time.sleep(INTERVAL * 0.4)
    hidden = folder / ".dang-ghi.txt"  # written under a hidden name, then renamed into place
    hidden.write_text(text_of(2), encoding="utf-8")
    os.rename(hidden, folder / "doi-ten.txt")
    part = folder / "tai-ve.txt.part"
    part.write_text(text_of(3), encoding="utf-8")
    os.rename(part, folder / "tai-ve.txt")
    (folder / "hong.pdf").write_bytes(b"this is not a PDF at all\n" * 20)
    (folder / "thu-muc").mkdir()
    (folder / "thu-muc" / "trong.txt").write_text(text_of(4), encoding="utf-8")
    for name in ("cham.txt", "doi-ten.txt", "tai-ve.txt", "trong.txt", "hong.pdf"):
        w.wait_for(name)
    time.sleep(INTERVAL * 3)  # nothing more comes of them
    assert w.stop() == 0
    first = w.lines()
    before = fingerprint(folder)

    (folder / "trong-luc-dung.txt").write_text(text_of(5), encoding="utf-8")  # arrives while it is down
    before["trong-luc-dung.txt"] = fingerprint(folder)["trong-luc-dung.txt"]
    w = Watcher(archive, folder, log, *mode)
    w.wait_for("trong-luc-dung.txt")
    w.wait_for("hong.pdf", count=2)
    time.sleep(INTERVAL * 3)
    assert w.stop() == 0
    lines = w.lines()

    names = [Path(p).name for p in ingested(lines)]
    good = ["co-san.txt", "cham.txt", "doi-ten.txt", "tai-ve.txt", "trong.txt", "trong-luc-dung.txt"]
    assert sorted(names) == sorted(good), "\n".join(lines)  # each good file exactly once, over both runs
    assert not any(".part" in n or n.startswith(".") for n in names)
    bad = [line for line in lines if line.startswith("lỗi: ") and "hong.pdf" in line]
    assert len(bad) == 2 and all(len(line.split(": ", 2)[2]) > 5 for line in bad)  # its reason, each run
    assert fingerprint(folder) == before  # nothing moved, changed or deleted
    assert sum("đã dừng" in line for line in lines) == 2 and len(first) < len(lines)

    from index.archive import Archive
    arc = Archive(archive)
    try:
        codes = sorted(r.code for r in arc.catalog.documents())
        assert codes == sorted(f"{300 + i}/UBND-VX" for i in range(6))
        whole = arc.get("301/UBND-VX")  # the slow copy read whole, not a part of it
        assert whole is not None and "Đoạn 39 của văn bản số 1" in whole.text
    finally:
        arc.close()


def test_a_changed_file_is_read_again_and_an_unchanged_touch_is_not(tmp_path):
    folder, archive, log = tmp_path / "den", tmp_path / "archive", tmp_path / "watch.log"
    folder.mkdir()
    target = folder / "van-ban.txt"
    target.write_text(text_of(7), encoding="utf-8")
    w = Watcher(archive, folder, log)
    w.wait_for("đã nhập: ")
    os.utime(target)  # touched, the same bytes
    w.wait_for("không đổi: ")
    target.write_text(text_of(8), encoding="utf-8")  # new content under the same name
    w.wait_for("đã nhập: ", count=2)
    outside = tmp_path / "ra-ngoai.txt"
    os.rename(target, outside)  # moved out of the folder: not followed there
    (folder / "sau.txt").write_text(text_of(9), encoding="utf-8")
    w.wait_for("đã nhập: ", count=3)
    time.sleep(INTERVAL * 2)
    assert w.stop() == 0
    assert len(ingested(w.lines())) == 3
    assert not any(str(outside) in line for line in w.lines())


def test_a_stop_in_the_middle_of_a_backlog_loses_nothing(tmp_path):
    """SIGTERM while the backlog of a folder is being read: exit 0, whole files or none stored,
    and the next start reads the rest; every file once."""
    folder, archive, log = tmp_path / "den", tmp_path / "archive", tmp_path / "watch.log"
    folder.mkdir()
    for i in range(24):
        (folder / f"vb-{i:02d}.txt").write_text(text_of(10 + i), encoding="utf-8")
    before = fingerprint(folder)
    w = Watcher(archive, folder, log)
    w.wait_for("đã nhập: ")
    assert w.stop() == 0
    first = len(ingested(w.lines()))
    w = Watcher(archive, folder, log)
    w.wait_for("đã nhập: ", count=24)
    time.sleep(INTERVAL * 2)
    assert w.stop() == 0
    names = [Path(p).name for p in ingested(w.lines())]
    assert sorted(names) == sorted(before) and first < 24
    assert fingerprint(folder) == before
    from index.archive import Archive
    arc = Archive(archive)
    try:
        assert arc.catalog.count() == 24
    finally:
        arc.close()


def test_a_busy_archive_makes_files_wait_not_fail(tmp_path):
    from index.archive import Archive
    from index.catalog import writer_lock

    folder, archive, log = tmp_path / "den", tmp_path / "archive", tmp_path / "watch.log"
    folder.mkdir()
    Archive(archive).close()
    (folder / "cho.txt").write_text(text_of(40), encoding="utf-8")
    with writer_lock(archive, what="another writer"):
        w = Watcher(archive, folder, log)
        w.wait_for("kho đang bận")
    w.wait_for("đã nhập: ")
    assert w.stop() == 0
    assert [Path(p).name for p in ingested(w.lines())] == ["cho.txt"]
    assert not any(line.startswith("lỗi: ") for line in w.lines())


def test_a_read_only_archive_is_refused_at_once(tmp_path):
    folder = tmp_path / "den"
    folder.mkdir()
    from index.archive import Archive
    Archive(tmp_path / "archive").close()
    proc = subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(tmp_path / "archive"),
                           "watch", str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "CONGVAN_READ_ONLY": "1"})
    assert proc.returncode == 74 and "chỉ đọc" in proc.stderr
