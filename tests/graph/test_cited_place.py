"""The place of a cited body is read from the citation itself (`nlp.references`: `Reference.place`)
and wins over the citing letter's: `Sở Y tế thành phố Đà Nẵng` cited by Thành ủy Thành phố Hồ Chí
Minh is Đà Nẵng's. One row per level (tỉnh, thành phố trực thuộc trung ương, huyện, xã after the
2025 merger) and per decoy."""
from __future__ import annotations

import json

import pytest
from graph_letters import letter, write

from index.archive import Archive
from nlp.references import find_references

PLACES = [
    # (citation, cited place, level)
    ("Công văn số 498/SYT-VP ngày 28/9/2024 của Sở Y tế thành phố Đà Nẵng", "Đà Nẵng", "province"),
    ("Kế hoạch số 12-KH/TU ngày 02/3/2024 của Thành ủy Thành phố Hồ Chí Minh", "Hồ Chí Minh", "province"),
    ("Quyết định số 15/QĐ-UBND ngày 3/4/2024 của UBND TP.HCM", "Hồ Chí Minh", "province"),
    ("Công văn số 77/UBND-VP ngày 5/5/2024 của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu",
     "province"),
    ("Công văn số 31/UBND-VP ngày 5/5/2024 của UBND huyện Bảo Lâm", "Bảo Lâm", "local"),
    ("Công văn số 9/UBND-VP ngày 5/8/2025 của Ủy ban nhân dân xã Giao Thủy", "Giao Thủy", "local"),
    # decoys
    ("Công văn số 45/SYT-VP ngày 1/2/2024 của Sở Y tế Thành phố", None, "province"),  # `Thành phố` alone
    ("Công văn số 46/SYT-VP ngày 1/2/2024 của Sở Y tế về phòng chống dịch tại thành phố Đà Nẵng", None, None),
    ("Công văn số 47/UBND-VP ngày 1/8/2025 của Ủy ban nhân dân xã Quảng Ninh, tỉnh Quảng Trị", "Quảng Ninh",
     "local"),  # a commune that shares its name with a province: the commune
    ("Công văn số 48-CV/BTGTU ngày 1/2/2024 của Ban Tuyên giáo Tỉnh ủy", None, "province"),
    ("Công văn số 49/BTC-NSNN ngày 1/2/2024 của Bộ Tài chính", None, None),
]


@pytest.mark.parametrize("citation, place, level", PLACES)
def test_the_cited_body_place_is_read_from_the_citation(citation, place, level):
    text = f"Thực hiện {citation}, Ban Thường vụ đề nghị các đơn vị triển khai."
    [ref] = [r for r in find_references(text) if r.code]
    assert (ref.place, ref.place_level) == (place, level)


def _letter(code, date, body, issuer, parent, place):
    return letter(code, date, body, issuer=issuer, parent=parent, place=place)


def test_a_city_body_cited_from_another_city_resolves_to_its_own_letter(tmp_path):
    src = tmp_path / "in"
    files = [
        write(src, "dn.txt", _letter("498/SYT-VP", (2024, 9, 28), "Đề nghị tăng cường phòng chống dịch.",
                                     "SỞ Y TẾ", "UBND THÀNH PHỐ ĐÀ NẴNG", "Đà Nẵng")),
        write(src, "hcm-syt.txt", _letter("498/SYT-VP", (2024, 9, 2), "Về kế hoạch tiêm chủng.",
                                          "SỞ Y TẾ", "UBND THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh")),
        write(src, "hcm.txt", _letter(
            "15-CV/TU", (2024, 10, 5), "Thực hiện Công văn số 498/SYT-VP ngày 28/9/2024 của Sở Y tế thành phố "
            "Đà Nẵng về phòng chống dịch, Ban Thường vụ Thành ủy đề nghị.", "THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", None,
            "Thành phố Hồ Chí Minh")),
        write(src, "hcm2.txt", _letter(
            "16-CV/TU", (2024, 10, 6), "Thực hiện Công văn số 498/SYT-VP ngày 02/9/2024 của Sở Y tế Thành phố "
            "về tiêm chủng, Ban Thường vụ Thành ủy đề nghị.", "THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", None,
            "Thành phố Hồ Chí Minh")),
    ]
    archive = Archive(tmp_path / "a")
    report = archive.ingest(files, workers=1)
    assert not report.failed
    ids = {x["path"].rsplit("/", 1)[-1]: x["ids"][0] for x in report.ingested}
    cited = archive.references(ids["hcm.txt"])["documents"]
    assert [d["id"] for d in cited] == [ids["dn.txt"]]  # Đà Nẵng's, not the citing city's
    assert cited[0]["key"].endswith("#da-nang")
    # `Sở Y tế Thành phố` names no city: the citing letter's own (Hồ Chí Minh)
    assert [d["id"] for d in archive.references(ids["hcm2.txt"])["documents"]] == [ids["hcm-syt.txt"]]
    archive.close()


def test_show_and_refs_agree_on_the_relation_of_every_reference(corpus_archive):
    """The record (`show --json`) and `refs --json` say the same of each cited document: what
    `nlp` read, stored once. Over corpus/ and a sample of the real texts."""
    from index.graph.resolution import primary_relation
    from nlp.codes import code_key

    archive = Archive(corpus_archive)
    _agree(archive, primary_relation, code_key)
    archive.close()


def test_show_and_refs_agree_on_the_real_texts(tmp_path):
    from index.graph.resolution import primary_relation
    from nlp.codes import code_key
    from tests.conftest import SHARED

    docs = SHARED / "eval" / "real" / "docs.jsonl"
    if not docs.exists():
        pytest.skip("no real texts here")
    rows = [json.loads(line) for line in docs.open(encoding="utf-8")]
    texts = [r for r in rows if r.get("text") and ("bãi bỏ" in r["text"].lower() or "sửa đổi" in r["text"].lower()
                                                   or "thay thế" in r["text"].lower())][:40]
    assert texts
    for i, r in enumerate(texts):
        write(tmp_path / "in", f"{i:03d}.txt", r["text"])
    archive = Archive(tmp_path / "a")
    archive.ingest([tmp_path / "in"], workers=2)
    stated = _agree(archive, primary_relation, code_key)
    assert stated, "the sample states no relation but `cites`: it tests nothing"
    archive.close()


def _agree(archive, primary_relation, code_key) -> int:
    """Every cited code's relation in `refs` is the one its record's mentions give; returns how
    many stated a relation other than `cites`."""
    stated = 0
    problems = []
    for (doc_id,) in archive.catalog.db.execute("SELECT id FROM documents").fetchall():
        rec = archive.catalog.record(doc_id)
        mentions: dict[str, list[str]] = {}
        for ref in rec.references:
            if ref.code:
                mentions.setdefault(code_key(ref.code), []).append(ref.relation)
        for d in archive.references(doc_id)["documents"]:
            rels = mentions.get(code_key(d["code"] or ""))
            if rels is None:
                continue  # a forwarded part of the same file, or a copy's code
            if d["relation"] != primary_relation(rels):
                problems.append(f"{rec.code or doc_id} → {d['code']}: record {rels}, refs {d['relation']}")
            stated += d["relation"] != "cites"
    assert not problems, "\n".join(problems)
    return stated


def test_an_archive_written_by_older_code_is_migrated_on_open(tmp_path):
    """Older catalogs hold records without the references' relation and place, `refs` rows with
    the index's own reading, and no code terms: opening brings them to the current version."""
    from index.graph.citations import CATALOG_VERSION

    text = _letter("20/QĐ-UBND", (2024, 5, 6), "Bãi bỏ Quyết định số 12/2020/QĐ-UBND ngày 3/3/2020 của UBND tỉnh "
                   "Nghệ An.", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", None, "Hà Tĩnh")
    archive = Archive(tmp_path / "a")
    archive.ingest([write(tmp_path / "in", "qd.txt", text)], workers=1)
    db = archive.catalog.db
    (doc_id, raw), = db.execute("SELECT id, record FROM documents").fetchall()
    old = json.loads(raw)
    for ref in old["references"]:  # as older code wrote it
        ref["relation"] = "cites"
        for name in ("place", "place_level", "about"):
            ref.pop(name, None)
    db.execute("UPDATE documents SET record = ?", (json.dumps(old, ensure_ascii=False),))
    db.execute("UPDATE refs SET relation = 'cites', key = '12/2020/QĐ-UBND#ha-tinh'")
    db.execute("DELETE FROM code_terms")
    db.execute("DELETE FROM meta WHERE name = 'catalog.version'")
    archive.close()

    archive = Archive(tmp_path / "a")
    rec = archive.catalog.record(doc_id)
    assert [(r.relation, r.place) for r in rec.references] == [("repeals", "Nghệ An")]
    assert [(d["code"], d["relation"]) for d in archive.references("20/QĐ-UBND")["documents"]] == [
        ("12/2020/QĐ-UBND", "repeals")]
    assert archive.catalog.db.execute("SELECT key FROM refs").fetchone()[0] == "12/2020/QĐ-UBND#nghe-an"
    assert archive.lookup("20 qd ubnd").doc_id == doc_id
    assert archive.catalog.db.execute(
        "SELECT value FROM meta WHERE name = 'catalog.version'").fetchone()[0] == CATALOG_VERSION
    archive.close()


@pytest.mark.parametrize("text, places", [
    # a title wrapped after `của Huyện ủy`, then the body names it whole: one body, one place
    ("KẾ HOẠCH\ntriển khai Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy\nĐức Hòa về lao động\n\n"
     "Thực hiện Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy Đức Hòa về lao động;", ["Đức Hòa", "Đức Hòa"]),
    ("Công văn số 38-CV/HU ngày 25/4/2023 đã nêu. Thực hiện Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy "
     "Đức Hòa về lao động;", ["Đức Hòa", "Đức Hòa"]),
    # decoys: two bodies print the number (two letters), another date, another body's words
    ("Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy. Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy "
     "Đức Hòa; Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy Cần Giuộc;", [None, "Đức Hòa", "Cần Giuộc"]),
    ("Công văn số 38-CV/HU ngày 25/4/2024 của Huyện ủy. Công văn số 38-CV/HU ngày 25/4/2023 của Huyện ủy Đức Hòa;",
     [None, "Đức Hòa"]),
    ("Công văn số 38/UBND-VP ngày 25/4/2023 của Văn phòng. Công văn số 38/UBND-VP ngày 25/4/2023 của Ủy ban nhân "
     "dân huyện Đức Hòa;", [None, "Đức Hòa"]),
])
def test_mentions_of_one_letter_share_the_place_one_of_them_names(text, places):
    assert [r.place for r in find_references(text) if r.code] == places
