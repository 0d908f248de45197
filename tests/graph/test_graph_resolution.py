"""Citations resolve to documents by canonical key, at query time: a document ingested later
takes over its incoming edges; undated citations take the citing letter's year as a bound."""
from __future__ import annotations

from graph_letters import letter, write

from index.archive import Archive


def ingest(archive: Archive, folder, name: str, text: str) -> str:
    report = archive.ingest([write(folder, name, text)], workers=1)
    assert not report.failed, report.failed
    return report.ingested[0]["ids"][0]


def test_late_ingest_turns_a_cited_only_node_into_an_archived_one(tmp_path):
    archive = Archive(tmp_path / "a")
    citing = ingest(archive, tmp_path / "in", "a.txt", letter(
        "210-CV/BTGTW", (2025, 3, 10),
        "Thực hiện Công văn số 45-CV/VPTW ngày 03/02/2025 của Văn phòng Trung ương Đảng về việc báo cáo."))
    before = archive.cited_by("45-CV/VPTW")
    assert [d["id"] for d in before["documents"]] == [citing]
    [ref] = archive.references("210-CV/BTGTW")["documents"]
    assert ref["id"] is None and ref["key"] == "45-CV/VPTW@2025"

    cited = ingest(archive, tmp_path / "in", "b.txt", letter(
        "45-CV/VPTW", (2025, 2, 3), "Đề nghị các cơ quan báo cáo.", issuer="VĂN PHÒNG TRUNG ƯƠNG ĐẢNG"))
    [ref] = archive.references("210-CV/BTGTW")["documents"]
    assert ref["id"] == cited  # resolved without re-ingesting the citing letter
    after = archive.cited_by("45-CV/VPTW")
    assert after["key"] == "45-CV/VPTW@2025"
    assert [d["id"] for d in after["documents"]] == [citing]
    assert archive.trace("45-CV/VPTW")["id"] == cited
    archive.close()


def test_cong_van_numbers_restart_each_year(tmp_path):
    archive = Archive(tmp_path / "a")
    old = ingest(archive, tmp_path / "in", "old.txt", letter("1390-CV/BTGTW", (2025, 5, 2), "Nội dung năm trước."))
    new = ingest(archive, tmp_path / "in", "new.txt", letter("1390-CV/BTGTW", (2026, 6, 2), "Nội dung năm nay."))
    ingest(archive, tmp_path / "in", "c.txt", letter(
        "12-CV/BTGDV", (2026, 7, 1), "Thực hiện Công văn số 1390-CV/BTGTW ngày 02/5/2025 của Ban Tuyên giáo.",
        issuer="BAN TUYÊN GIÁO ĐẢNG ỦY BỘ", parent=None))
    [ref] = archive.references("12-CV/BTGDV")["documents"]
    assert ref["id"] == old
    assert archive.cited_by(new)["documents"] == []
    archive.close()


def test_undated_citation_resolves_to_the_latest_issued_no_later_than_the_citing_year(tmp_path):
    archive = Archive(tmp_path / "a")
    kl2021 = ingest(archive, tmp_path / "in", "k1.txt", letter("12-KL/TW", (2021, 3, 1), "Kết luận cũ.",
                                                               issuer="BỘ CHÍNH TRỊ", parent=None))
    ingest(archive, tmp_path / "in", "k3.txt", letter("12-KL/TW", (2027, 3, 1), "Kết luận sau này.",
                                                      issuer="BỘ CHÍNH TRỊ", parent=None))
    ingest(archive, tmp_path / "in", "c.txt", letter(
        "77-CV/BTGTW", (2026, 1, 5), "Tiếp tục quán triệt Kết luận số 12-KL/TW của Bộ Chính trị."))
    [ref] = archive.references("77-CV/BTGTW")["documents"]
    assert ref["id"] == kl2021
    kl2024 = ingest(archive, tmp_path / "in", "k2.txt", letter("12-KL/TW", (2024, 3, 1), "Kết luận mới hơn.",
                                                               issuer="BỘ CHÍNH TRỊ", parent=None))
    [ref] = archive.references("77-CV/BTGTW")["documents"]
    assert ref["id"] == kl2024  # the newer one, still not after the citing letter
    archive.close()


def test_local_authority_codes_take_the_place_of_the_issuer(tmp_path):
    archive = Archive(tmp_path / "a")
    nghe_an = ingest(archive, tmp_path / "in", "na.txt", letter(
        "2145/UBND-KGVX", (2025, 4, 1), "Đề nghị các sở thực hiện.", issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        parent=None, place="Nghệ An"))
    thanh_hoa = ingest(archive, tmp_path / "in", "th.txt", letter(
        "2145/UBND-KGVX", (2025, 4, 2), "Đề nghị các sở thực hiện.", issuer="ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        parent=None, place="Thanh Hóa"))
    # A department of Thanh Hóa cites its own province's letter without saying whose it is…
    ingest(archive, tmp_path / "in", "s1.txt", letter(
        "88/SNV-VP", (2025, 5, 1), "Thực hiện Công văn số 2145/UBND-KGVX ngày 02/4/2025.",
        issuer="SỞ NỘI VỤ", parent="UBND TỈNH THANH HÓA", place="Thanh Hóa"))
    # …and one cites Nghệ An's by name.
    ingest(archive, tmp_path / "in", "s2.txt", letter(
        "89/SNV-VP", (2025, 5, 2), "Tham khảo Công văn số 2145/UBND-KGVX ngày 01/4/2025 của UBND tỉnh Nghệ An.",
        issuer="SỞ NỘI VỤ", parent="UBND TỈNH THANH HÓA", place="Thanh Hóa"))
    assert [d["id"] for d in archive.references("88/SNV-VP")["documents"]] == [thanh_hoa]
    assert [d["id"] for d in archive.references("89/SNV-VP")["documents"]] == [nghe_an]
    archive.close()


def test_a_cover_letter_forwards_the_letter_after_it(tmp_path):
    cover = letter("1500-CV/BTGTU", (2024, 7, 15),
                   "Ban Tuyên giáo Tỉnh ủy sao gửi văn bản của Ban Chỉ đạo để các đơn vị biết, thực hiện.",
                   issuer="BAN TUYÊN GIÁO", parent="TỈNH ỦY HƯNG YÊN", place="Hưng Yên")
    inner = letter("40-CV/TTĐN", (2024, 7, 3), "Đề nghị tăng cường thông tin đối ngoại.",
                   issuer="BAN CHỈ ĐẠO CÔNG TÁC THÔNG TIN ĐỐI NGOẠI")
    archive = Archive(tmp_path / "a")
    report = archive.ingest([write(tmp_path / "in", "both.txt", cover + "\n\n" + inner)], workers=1)
    ids = report.ingested[0]["ids"]
    assert len(ids) == 2
    refs = archive.references(ids[0])["documents"]
    assert [(d["id"], d["relation"]) for d in refs] == [(ids[1], "forwards")]
    tree = archive.trace("40-CV/TTĐN")
    assert [c["id"] for c in tree["children"]] == [ids[0]]
    # A file of two unrelated documents (no word of sending) has no forwards edge.
    plain = letter("1501-CV/BTGTU", (2024, 7, 16), "Đề nghị các đơn vị báo cáo.",
                   issuer="BAN TUYÊN GIÁO", parent="TỈNH ỦY HƯNG YÊN", place="Hưng Yên")
    inner2 = letter("41-CV/TTĐN", (2024, 7, 4), "Đề nghị các đơn vị thực hiện.",
                    issuer="BAN CHỈ ĐẠO CÔNG TÁC THÔNG TIN ĐỐI NGOẠI")
    report = archive.ingest([write(tmp_path / "in", "two.txt", plain + "\n\n" + inner2)], workers=1)
    ids = report.ingested[0]["ids"]
    assert len(ids) == 2 and archive.references(ids[0])["documents"] == []
    archive.close()
