"""The covering indexes that let a hub's trace skip the citing letters' rows: a catalog written
before them gets them on its next writable open, a read-only one without them answers the same
(slower), the queries that need them use them, and `check` finds the catalog consistent."""
from __future__ import annotations

import sqlite3

from graph_letters import letter, write

from index.archive import Archive
from index.catalog import check_archive
from index.graph import Paging

COVERING = {"refs_key_cited", "documents_citer", "doc_places_citer"}
PROVINCES = ["Hưng Yên", "Nam Định", "Thái Bình", "Hà Nam", "Ninh Bình"]


def _archive(tmp_path) -> Archive:
    """A directive cited by 40 letters from five provinces (dated, undated, district letters:
    enough citers to be answered grouped), a decoy with a longer code, and one letter citing both."""
    folder = tmp_path / "in"
    write(folder, "kl.txt", letter("12-KL/TW", (2021, 3, 2), "Bộ Chính trị kết luận.", issuer="BỘ CHÍNH TRỊ",
                                   parent=None))
    write(folder, "decoy.txt", letter("12-KL/TW1", (2021, 3, 2), "Một văn bản khác.", issuer="BỘ CHÍNH TRỊ",
                                      parent=None))
    for i in range(40):
        prov = PROVINCES[i % len(PROVINCES)]
        when = " ngày 02/3/2021" if i % 3 else ""
        also = " và Kết luận số 12-KL/TW1 ngày 02/3/2021" if i == 7 else ""
        write(folder, f"c{i}.txt", letter(f"{100 + i}-CV/TU", (2022, 1 + i % 12, 1 + i % 27),
                                          f"Thực hiện Kết luận số 12-KL/TW{when} của Bộ Chính trị{also}, "
                                          "đề nghị các đơn vị triển khai.",
                                          issuer="TỈNH ỦY " + prov.upper(), parent="ĐẢNG BỘ TỈNH " + prov.upper(),
                                          place=prov))
    archive = Archive(tmp_path / "a")
    assert not archive.ingest([folder], workers=1).failed
    return archive


def _answers(archive: Archive) -> list:
    return [archive.cited_by("12-KL/TW", paging=Paging()), archive.cited_by("12-KL/TW", paging=Paging(all=True)),
            archive.trace("12-KL/TW", depth=3, paging=Paging()), archive.trace("12-KL/TW", depth=3),
            archive.cited_by("12-KL/TW1"), archive.stats()]


def _indexes(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def _make_old(path) -> None:
    """The catalog as code before the covering indexes wrote it."""
    with sqlite3.connect(path) as db:
        for name in COVERING:
            db.execute(f"DROP INDEX IF EXISTS {name}")
        db.execute("CREATE INDEX refs_key ON refs(key)")


def test_an_older_catalog_gets_the_indexes_and_answers_the_same(tmp_path, monkeypatch):
    archive = _archive(tmp_path)
    before = _answers(archive)
    assert before[0].get("groups"), "40 citers: the answer is grouped"
    archive.close()
    catalog = tmp_path / "a" / "catalog.sqlite3"
    assert COVERING <= _indexes(catalog) and "refs_key" not in _indexes(catalog)
    _make_old(catalog)
    monkeypatch.setenv("CONGVAN_READ_ONLY", "1")  # read-only: nothing made, same answers
    old = Archive(tmp_path / "a")
    assert old.read_only and _answers(old) == before
    old.close()
    assert not COVERING & _indexes(catalog)
    monkeypatch.delenv("CONGVAN_READ_ONLY")
    again = Archive(tmp_path / "a")  # a writable open makes them, and drops the narrower one
    assert _answers(again) == before
    names = _indexes(catalog)
    assert COVERING <= names and "refs_key" not in names
    result = check_archive(again, deep=True)
    assert result.ok and not result.problems, result.problems
    again.close()


def test_a_hubs_reads_never_touch_the_citing_rows(tmp_path):
    """The two reads a hub's grouped answer makes, of its citations and of its citers, are
    answered from the covering indexes alone (a `documents` row holds the ~3 KB record)."""
    archive = _archive(tmp_path)
    db = archive.catalog.db
    seen: list[str] = []
    db.set_trace_callback(seen.append)  # the statements as run, parameters in place
    try:
        assert archive.cited_by("12-KL/TW", paging=Paging()).get("groups")
    finally:
        db.set_trace_callback(None)
    reads = {"citations": [s for s in seen if "FROM refs r WHERE r.key = " in s],
             "citers": [s for s in seen if "json_each" in s and "JOIN documents d" in s and "doc_places" in s]}
    for what, statements in reads.items():
        assert statements, what
        for sql in statements:
            steps = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql)]
            searches = [s for s in steps if s.startswith("SEARCH") or s.startswith("SCAN")]
            tables = [s for s in searches if s.split()[1] in ("r", "d", "p")]
            assert tables and all("COVERING INDEX" in s for s in tables), (what, steps)
    archive.close()
