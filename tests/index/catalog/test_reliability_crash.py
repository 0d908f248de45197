"""SIGKILL `congvan ingest` at random moments: the catalog keeps whole files or nothing,
`congvan check --repair` makes the derived index agree again, and a second ingest ends with
exactly the catalog a clean run makes.

Kills land mid-run: the test waits until a random number of files are in the catalog, then a
random few milliseconds more. Default run: 3 kills over 40 files. `-m slow`: 10 kills over 300
files. (Times in the README's Reliability section.)"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

ISSUERS = ["ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH", "SỞ NỘI VỤ TỈNH NGHỆ AN", "BỘ TÀI CHÍNH", "VĂN PHÒNG CHÍNH PHỦ"]
TOPICS = ["tổ chức hội nghị giao ban", "báo cáo kết quả cải cách hành chính", "triển khai kế hoạch chuyển đổi số",
          "rà soát văn bản quy phạm pháp luật", "tăng cường công tác phòng cháy, chữa cháy"]


def letter(i: int) -> str:
    """Letter number i of a synthetic batch: each one distinct, some citing earlier ones."""
    rnd = random.Random(i)
    issuer, topic = rnd.choice(ISSUERS), rnd.choice(TOPICS)
    day, month = rnd.randint(1, 28), rnd.randint(1, 12)
    cite = f"Căn cứ Công văn số {i - 1}/VP-TH ngày 02/01/2024, " if i else ""
    return (f"{issuer}\nSố: {i}/VP-TH\nV/v {topic} (đợt {i})\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"Hà Nội, ngày {day} tháng {month} năm 2024\n\nKính gửi: Các đơn vị trực thuộc.\n\n"
            f"{cite}đề nghị các đơn vị {topic} và báo cáo trước ngày {day}/{month}/2024.\n"
            + "Nội dung chi tiết của văn bản. " * rnd.randint(5, 40) + "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n")


def make_batch(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"cv_{i:04d}.txt").write_text(letter(i), encoding="utf-8")
    return folder


def congvan(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def catalog_rows(arc: Path) -> dict:
    """What a run leaves in the catalog, minus the moment of ingest and row order."""
    db = sqlite3.connect(arc / "catalog.sqlite3")
    out = {
        "files": sorted(db.execute("SELECT sha256, format, size, original FROM files")),
        "paths": sorted(db.execute("SELECT path, sha256 FROM paths")),
        "documents": sorted(db.execute("SELECT id, sha256, part, key, code, doc_type, issued_date, year, issuer, "
                                       "subject, record FROM documents")),
        "refs": sorted(db.execute("SELECT src, ord, key, code, doc_type, date, issuer, relation FROM refs")),
    }
    db.close()
    return out


def ingest(arc: Path, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    proc = congvan("--archive", str(arc), "ingest", str(folder), "--json", "--workers", "2", "--wait", "10", *extra)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def check(arc: Path, repair: bool = False, deep: bool = False) -> dict:
    """`congvan check --json` in this process (the command itself is tested in test_reliability_check)."""
    from index.archive import Archive
    from index.catalog import check_archive

    archive = Archive(arc)
    try:
        return check_archive(archive, repair=repair, deep=deep).to_dict()
    finally:
        archive.close()


def files_in(arc: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{arc / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:  # not created yet
        return 0


def kill_midway(arc: Path, folder: Path, target: int, rnd: random.Random) -> int:
    """Start an ingest, SIGKILL it once `target` more files are in the catalog (plus a random
    few milliseconds, to land anywhere in the next file's write); return the count at the kill."""
    start = files_in(arc)
    proc = congvan("--archive", str(arc), "ingest", str(folder), "--workers", "2", "--wait", "10")
    while proc.poll() is None and files_in(arc) < start + target:
        time.sleep(0.005)
    time.sleep(rnd.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    return files_in(arc)


def kill_loop(tmp_path: Path, files: int, kills: int, seed: int) -> None:
    folder = make_batch(tmp_path / "in", files)
    clean = tmp_path / "clean"
    start = time.monotonic()
    done = ingest(clean, folder)
    clean_seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-2000:]
    expected = catalog_rows(clean)
    rnd = random.Random(seed)
    partial: list[int] = []  # files in the catalog at each kill
    for round_ in range(kills):
        arc = tmp_path / f"killed{round_}"
        # one or two kills per round, then the run that finishes the job
        for _ in range(1 + (round_ % 2)):
            partial.append(kill_midway(arc, folder, rnd.randint(1, files // 3), rnd))
            seen = check(arc, repair=True)
            assert seen["ok"], (round_, seen)
            assert all(p["kind"] in ("index", "leftover") for p in seen["problems"]), seen["problems"]
            again = check(arc)
            assert again["ok"] and not again["problems"], again
        done = ingest(arc, folder)
        assert done.returncode == 0, done.stderr[-2000:]
        report = json.loads(done.stdout)
        assert not report["failed"]
        assert len(report["ingested"]) + len(report["unchanged"]) == files
        assert catalog_rows(arc) == expected, f"round {round_}: catalog differs from a clean run"
        final = check(arc, deep=True)
        assert final["ok"] and not final["problems"], final
    print(f"clean run {clean_seconds:.1f} s; files in the catalog at each kill: {partial}")
    assert any(0 < n < files for n in partial), "no kill landed in the middle of a run"


def test_killed_ingest_short(tmp_path):
    kill_loop(tmp_path, files=40, kills=2, seed=1)  # rounds of 1 and 2 kills: 3 kills


@pytest.mark.slow
def test_killed_ingest_long(tmp_path, request):
    """≈2.5 min: run only when asked (`pytest -m slow …` or $CONGVAN_SLOW=1), not in `make test`."""
    if "slow" not in (request.config.getoption("markexpr") or "") and not os.environ.get("CONGVAN_SLOW"):
        pytest.skip("the long kill loop runs with `pytest -m slow` or CONGVAN_SLOW=1")
    kill_loop(tmp_path, files=300, kills=7, seed=2)  # 4 rounds of 1 kill, 3 of 2: 10 kills
