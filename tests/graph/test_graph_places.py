"""Local authority codes (`UBND`, `SYT`, `TU`, `BTGTU`…) are resolved to the body that the
citation means: the place `của …` names, else the province of a district that cites a
provincial body, else the closest archived document of that code and year."""
from __future__ import annotations

from graph_letters import letter, write

from index.archive import Archive
from nlp.places import PROVINCES_2025, PROVINCES_BEFORE_2025, body_place, province, provinces_in


def test_the_register_holds_the_provinces_before_and_after_the_2025_merger():
    assert len(PROVINCES_BEFORE_2025) == 63 and len(PROVINCES_2025) == 34
    assert "Thái Bình" in PROVINCES_BEFORE_2025 and "Thái Bình" not in PROVINCES_2025
    assert province("THỪA THIÊN HUẾ") == "Thừa Thiên Huế" and province("Hoà Bình") == "Hòa Bình"


def test_the_place_of_a_body_is_its_own_unit():
    assert body_place("HUYỆN ỦY DIỄN CHÂU") == ("local", "Diễn Châu")
    assert body_place("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN") == ("province", "Nghệ An")
    assert body_place("Sở Y tế tỉnh Hà Tĩnh") == ("province", "Hà Tĩnh")
    assert body_place("Phòng Nội vụ huyện Can Lộc") == ("local", "Can Lộc")
    assert body_place("Ban Tuyên giáo Tỉnh ủy") == ("province", None)  # provincial, place unsaid
    assert body_place("BẢO HIỂM XÃ HỘI TỈNH BÌNH ĐỊNH") == ("province", "Bình Định")  # `xã hội` is no commune
    assert body_place("Văn phòng Trung ương Đảng") == (None, None)
    assert provinces_in("của UBND tỉnh Thái Bình và Tỉnh ủy Hưng Yên về") == ["Thái Bình", "Hưng Yên"]


def _ingest(archive: Archive, folder, name: str, text: str) -> str:
    report = archive.ingest([write(folder, name, text)], workers=1)
    assert not report.failed, report.failed
    return report.ingested[0]["ids"][0]


def test_district_letters_resolve_citations_of_their_provinces_bodies(tmp_path):
    archive = Archive(tmp_path / "a")
    d = tmp_path / "in"
    ubnd = _ingest(archive, d, "ubnd.txt", letter(
        "58/QĐ-UBND", (2023, 4, 12), "Quyết định ban hành kế hoạch.", issuer="ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
        parent=None, place="Hà Tĩnh"))
    syt = _ingest(archive, d, "syt.txt", letter(
        "11/SYT-VP", (2023, 5, 2), "Đề nghị các đơn vị thực hiện.", issuer="SỞ Y TẾ", parent="UBND TỈNH HÀ TĨNH",
        place="Hà Tĩnh"))
    btg = _ingest(archive, d, "btg.txt", letter(
        "12-CV/BTGTU", (2023, 5, 5), "Đề nghị tuyên truyền.", issuer="BAN TUYÊN GIÁO", parent="TỈNH ỦY HÀ TĨNH",
        place="Hà Tĩnh"))
    # The same numbers at a district of the province and in another province: not what is meant.
    _ingest(archive, d, "other.txt", letter(
        "58/QĐ-UBND", (2023, 4, 20), "Quyết định khác.", issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", parent=None,
        place="Nghệ An"))
    _ingest(archive, d, "other2.txt", letter(
        "11/SYT-VP", (2023, 5, 9), "Công văn khác.", issuer="SỞ Y TẾ", parent="UBND TỈNH NGHỆ AN", place="Nghệ An"))
    # A district Party committee: `của UBND tỉnh Hà Tĩnh` names the place; `Sở Y tế` and
    # `Ban Tuyên giáo Tỉnh ủy` are the province's bodies (the line above names the province).
    hu = _ingest(archive, d, "hu.txt", letter(
        "18-CV/HU", (2023, 6, 1),
        "Thực hiện Quyết định số 58/QĐ-UBND ngày 12/4/2023 của UBND tỉnh Hà Tĩnh, Công văn số 11/SYT-VP "
        "ngày 02/5/2023 của Sở Y tế và Công văn số 12-CV/BTGTU ngày 05/5/2023 của Ban Tuyên giáo Tỉnh ủy.",
        issuer="HUYỆN ỦY CAN LỘC", parent="TỈNH ỦY HÀ TĨNH", place="Can Lộc"))
    assert {x["id"] for x in archive.references(hu)["documents"]} == {ubnd, syt, btg}
    # A district People's Committee whose header names no province: the province is the one its
    # text names, or (here, nothing named) what the archive's other letters say of Can Lộc.
    ub = _ingest(archive, d, "ubh.txt", letter(
        "17/UBND-NV", (2023, 6, 3),
        "Thực hiện Quyết định số 58/QĐ-UBND ngày 12/4/2023 và Công văn số 12-CV/BTGTU ngày 05/5/2023 "
        "của Ban Tuyên giáo Tỉnh ủy.", issuer="ỦY BAN NHÂN DÂN HUYỆN CAN LỘC", parent=None, place="Can Lộc"))
    assert {x["id"] for x in archive.references(ub)["documents"]} == {ubnd, btg}
    assert {x["id"] for x in archive.cited_by("12-CV/BTGTU")["documents"]} == {hu, ub}
    # The district's own earlier letter with the same code of its own: stays the district's.
    own = _ingest(archive, d, "own.txt", letter(
        "5/UBND-NV", (2023, 3, 1), "Nội dung.", issuer="ỦY BAN NHÂN DÂN HUYỆN CAN LỘC", parent=None,
        place="Can Lộc"))
    later = _ingest(archive, d, "later.txt", letter(
        "20/UBND-NV", (2023, 7, 1), "Tiếp theo Công văn số 5/UBND-NV ngày 01/3/2023.",
        issuer="ỦY BAN NHÂN DÂN HUYỆN CAN LỘC", parent=None, place="Can Lộc"))
    assert [x["id"] for x in archive.references(later)["documents"]] == [own]
    archive.close()


def test_a_guessed_place_does_not_jump_to_another_province(tmp_path):
    archive = Archive(tmp_path / "a")
    d = tmp_path / "in"
    _ingest(archive, d, "na.txt", letter(
        "33/KH-UBND", (2023, 4, 24), "Kế hoạch.", issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", parent=None,
        place="Nghệ An"))
    citing = _ingest(archive, d, "c.txt", letter(
        "21-CV/HU", (2023, 5, 29), "Thực hiện Kế hoạch số 33/KH-UBND ngày 24/4/2023.",
        issuer="HUYỆN ỦY SƠN DƯƠNG", parent="TỈNH ỦY TUYÊN QUANG", place="Sơn Dương"))
    [ref] = archive.references(citing)["documents"]
    assert ref["id"] is None  # known only by citation, not Nghệ An's letter
    archive.close()
