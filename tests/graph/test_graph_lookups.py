"""The lookups a trace makes per node (a place's province, a code's family) read only what
they need, from covering indexes, and answer as the whole-register reads do."""
from __future__ import annotations

from pathlib import Path

from index.catalog import Catalog
from index.graph.whole import CitationGraph


def _catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(tmp_path / "catalog.sqlite3")
    cat.db.execute("PRAGMA foreign_keys=OFF")  # rows written by hand, without their files
    return cat


def test_a_places_province_asked_alone_is_the_registers(tmp_path):
    db = _catalog(tmp_path).db
    rows = [("d1", "can-loc", "ha-tinh"), ("d2", "can-loc", "ha-tinh"), ("d3", "can-loc", "nghe-an"),
            ("d4", "tie", "b-prov"), ("d5", "tie", "a-prov"), ("d6", "lone", None)]
    db.executemany("INSERT INTO doc_places VALUES (?,?,?)", rows)
    alone = CitationGraph(db)
    got = {p: alone.province_of(p) for p in ("can-loc", "tie", "lone", "nowhere")}
    whole = CitationGraph(db)
    whole._load_provinces()
    assert got == {p: whole.province_of(p) for p in got}
    assert got == {"can-loc": "ha-tinh", "tie": "a-prov", "lone": None, "nowhere": None}
    plan = " ".join(str(r[3]) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT province, count(*) FROM doc_places WHERE place = ? "
        "AND province IS NOT NULL GROUP BY province ORDER BY province", ("x",)))
    assert "COVERING INDEX doc_places_place_province" in plan


def test_a_family_keeps_equally_dated_copies_in_the_order_they_were_stored(tmp_path):
    db = _catalog(tmp_path).db
    for doc_id in ("z-first", "a-second"):  # ids in reverse order of storage
        db.execute("INSERT INTO documents (id, sha256, part, key, code, issued_date, subject, record) "
                   "VALUES (?, ?, 0, '57-KL/TW@2023', '57-KL/TW', '2023-05-01', ?, '{}')",
                   (doc_id, doc_id, f"subject of {doc_id}"))
    g = CitationGraph(db)
    fam = g.family("57-KL/TW")
    assert [d["id"] for d in fam.docs_by_key["57-KL/TW@2023"]] == ["z-first", "a-second"]
    node = g.node("57-KL/TW@2023")  # the whole row of the one shown
    assert node["id"] == "z-first" and node["subject"] == "subject of z-first"
    assert [d["id"] for _, d in g.find("57-KL/TW")] == ["z-first"]


def _doc(db, doc_id: str, key: str, date: str) -> None:
    db.execute("INSERT INTO documents (id, sha256, part, key, code, issued_date, record) "
               "VALUES (?, ?, 0, ?, ?, ?, '{}')", (doc_id, doc_id, key, key.split("@")[0], date))


def _ref(db, src: str, key: str, date: str | None) -> None:
    db.execute("INSERT INTO refs (src, ord, key, code, date) VALUES (?, 0, ?, ?, ?)",
               (src, key, key.split("@")[0], date))


def test_citers_read_a_family_only_when_a_citation_depends_on_it(tmp_path):
    db = _catalog(tmp_path).db
    _doc(db, "kl", "57-KL/TW@2023", "2023-05-01")
    _doc(db, "kl-old", "57-KL/TW@2019", "2019-02-01")
    _doc(db, "a", "1-CV/BTG@2024", "2024-01-02")
    _doc(db, "b", "2-CV/BTG@2024", "2024-03-04")
    _ref(db, "a", "57-KL/TW@2023", "2023-05-01")  # dated: its own key
    _ref(db, "b", "57-KL/TW@2024", None)  # undated, written in 2024: the latest up to then
    dated_only = CitationGraph(db)
    assert [d["id"] for d, _ in dated_only.citers("57-KL/TW@2019")] == []
    assert "57-KL/TW" in dated_only._families  # the undated citation needed the family
    assert [d["id"] for d, _ in dated_only.citers("57-KL/TW@2023")] == ["a", "b"]
    db.execute("DELETE FROM refs WHERE src = 'b'")
    g = CitationGraph(db)
    # as a trace asks: with the archived row in hand
    assert [d["id"] for d, _ in g.citers("57-KL/TW@2023", g.doc("kl"))] == ["a"]
    assert "57-KL/TW" not in g._families  # a dated citation points at its own key
    assert [d["id"] for d, _ in g.citers("1-CV/BTG@2024", g.doc("a"))] == [] and not g._families
    assert [d["id"] for d, _ in CitationGraph(db).citers("57-KL/TW@2023")] == ["a"]  # by the family
