"""Concurrent use: readers (search, show, the web page) keep answering while an ingest writes;
a second writer is told the archive is busy, or queues with --wait; nothing is corrupted."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

from starlette.testclient import TestClient

from index.archive import Archive
from index.catalog import ArchiveBusy, check_archive, writer_lock
from tests.conftest import ROOT
from tests.index.catalog.test_reliability_crash import files_in, make_batch
from web import create_app


def congvan(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "search_cli.py"), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_files(arc, n: int, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while files_in(arc) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_second_ingest_is_told_the_archive_is_busy_or_queues(tmp_path):
    folder = make_batch(tmp_path / "in", 150)
    arc = tmp_path / "arc"
    Archive(arc).close()
    # busy: held here as an ingest holds it (a real first ingest may finish before a second starts)
    with writer_lock(arc, what="congvan ingest"):
        second = congvan("--archive", str(arc), "ingest", str(folder))
        _, err = second.communicate(timeout=60)
    assert second.returncode == 75
    assert "đang bận: congvan ingest (pid " in err and "--wait" in err
    first = congvan("--archive", str(arc), "ingest", str(folder), "--workers", "1")
    wait_for_files(arc, 2, first)
    third = congvan("--archive", str(arc), "ingest", str(folder), "--json", "--wait", "300")  # queues
    assert first.wait(timeout=300) == 0
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert len(report["unchanged"]) == 150 and not report["ingested"] and not report["failed"]
    archive = Archive(arc)
    result = check_archive(archive)
    archive.close()
    assert result.ok and not result.problems, result.to_dict()


def test_repair_and_reindex_do_not_race_a_writer(tmp_path):
    arc = Archive(tmp_path / "arc")
    with writer_lock(arc.root, what="congvan ingest"):
        got = subprocess.run([sys.executable, str(ROOT / "search_cli.py"), "--archive", str(arc.root), "check",
                              "--repair"], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert got.returncode == 75 and "đang bận" in got.stderr
        done = threading.Event()

        def other_thread():  # another thread of this process is another writer too
            try:
                arc2 = Archive(arc.root)
                arc2.reindex()
            except ArchiveBusy:
                done.set()

        t = threading.Thread(target=other_thread)
        t.start()
        t.join(30)
        assert done.is_set()
    assert arc.reindex() == 0  # free again once the holder is done
    arc.close()


def test_readers_keep_answering_while_an_ingest_writes(tmp_path):
    folder = make_batch(tmp_path / "in", 40)
    root = tmp_path / "arc"
    writer = congvan("--archive", str(root), "ingest", str(folder), "--workers", "2")
    wait_for_files(root, 1, writer)
    reader = Archive(root)
    seen: list[int] = []
    pages = 0
    with TestClient(create_app(root), base_url="http://localhost") as client:
        while writer.poll() is None:
            # a phrase every letter of the batch holds: a query that no document fully matches
            # yet is answered by any of its words (`relaxed`), whose count is not comparable
            result = reader.search("nội dung chi tiết", limit=5)
            assert not result.get("relaxed") or result["total"] == 0
            seen.append(result["total"])
            for hit in result["hits"]:
                assert reader.get(hit["id"]) is not None
            r = client.get("/", params={"q": "chuyển đổi số"})
            assert r.status_code == 200
            pages += 1
        assert writer.returncode == 0, writer.communicate()[1][-2000:]
        # the index is committed in batches and a reader picks up a commit a moment after it
        deadline = time.monotonic() + 5
        query = "nội dung chi tiết"
        while (final := reader.search(query, limit=5)["total"]) <= seen[0] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/", params={"q": "giao ban"}).status_code == 200
    assert len(seen) >= 3 and pages >= 3, "the ingest finished before the readers could look"
    assert seen == sorted(seen), "a reader saw documents disappear"
    assert final > seen[0]
    result = check_archive(reader)
    reader.close()
    assert result.ok and not result.problems, result.to_dict()
