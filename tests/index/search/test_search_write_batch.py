"""Ingest writes the full-text index in batches: every document of a run is searchable when
the run ends, a batch is flushed by size or by age, and a document read twice is written once."""
from __future__ import annotations

from pathlib import Path

from index.archive import Archive
from index.search import IndexBatch
from nlp.models import Record


def rec(i: int, text: str = "") -> Record:
    return Record.from_dict({"id": f"doc-{i}", "text": text or f"văn bản số {i}", "source": {}})


def test_batch_flushes_by_size_and_at_the_end():
    written: list[list[str]] = []
    batch = IndexBatch(lambda rs: written.append([r.id for r in rs]), max_records=3, max_seconds=1e9)
    for i in range(7):
        batch.add([rec(i)])
    assert written == [["doc-0", "doc-1", "doc-2"], ["doc-3", "doc-4", "doc-5"]]
    batch.flush()
    batch.flush()  # nothing pending: no empty commit
    assert written[2:] == [["doc-6"]] and batch.commits == 3


def test_batch_flushes_by_age():
    now = [0.0]
    written: list[list[str]] = []
    batch = IndexBatch(lambda rs: written.append([r.id for r in rs]), max_records=100, max_seconds=5,
                       clock=lambda: now[0])
    batch.add([rec(1)])
    now[0] = 4.9
    batch.add([rec(2)])
    assert written == []
    now[0] = 5.0
    batch.add([rec(3)])
    assert written == [["doc-1", "doc-2", "doc-3"]]


def test_a_document_read_twice_is_written_once_as_last_read():
    written: list[Record] = []
    batch = IndexBatch(written.extend, max_records=100)
    batch.add([rec(1, "bản cũ")])
    batch.add([rec(1, "bản mới")])
    batch.flush()
    assert [r.text for r in written] == ["bản mới"]


def test_every_ingested_letter_is_searchable_after_one_run(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"cv{i}.txt").write_text(
            f"BỘ TÀI CHÍNH\nSố: {i + 1}/BTC-VP\nV/v kiểm tra chuyên đề mã{i}x\n\nNội dung về chủ đề mã{i}x.\n",
            encoding="utf-8")
    archive = Archive(tmp_path / "arc")
    report = archive.ingest([folder], workers=2)
    assert len(report.ingested) == 12 and not report.failed
    assert archive.fulltext.count() == archive.catalog.count() == 12
    for i in range(12):
        assert archive.search(f"mã{i}x")["total"] >= 1
    archive.close()
