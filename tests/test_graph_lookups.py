"""The lookups a trace makes per node (a place's province, a code's family) read only what
they need, from covering indexes, and answer as the whole-register reads do."""
from __future__ import annotations

from pathlib import Path

from index.catalog import Catalog
from index.graph import CitationGraph


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
