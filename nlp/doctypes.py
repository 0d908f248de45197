"""Document types as data: the abbreviations of Nghị định 30/2020/NĐ-CP Phụ lục III (state)
and Hướng dẫn 36-HD/VPTW (Party), and the normative types named in full."""
from __future__ import annotations

# Phụ lục III, Nghị định 30/2020/NĐ-CP
STATE_ABBREV: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
    "QyĐ": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án",
    "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
    "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo",
}
# Normative documents (Luật Ban hành văn bản quy phạm pháp luật) and consolidated texts
NORMATIVE_ABBREV: dict[str, str] = {
    "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch", "VBHN": "Văn bản hợp nhất", "L": "Luật",
    "PL": "Pháp lệnh", "LCT": "Lệnh",
}
# Hướng dẫn 36-HD/VPTW, Phụ lục: Party document types
PARTY_ABBREV: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "QĐi": "Quy định", "CT": "Chỉ thị",
    "KL": "Kết luận", "QC": "Quy chế", "HD": "Hướng dẫn", "TB": "Thông báo",
    "TT": "Thông tri", "KH": "Kế hoạch", "CTr": "Chương trình", "ĐA": "Đề án",
    "PA": "Phương án", "BC": "Báo cáo", "TTr": "Tờ trình", "BB": "Biên bản",
    "CV": "Công văn", "CĐ": "Công điện", "GM": "Giấy mời", "GGT": "Giấy giới thiệu",
    "TC": "Thông cáo", "LĐ": "Lời kêu gọi", "TM": "Thư", "ĐC": "Điện",
}
# Type words as printed (title lines and citations), longest first when matching.
TYPE_WORDS: tuple[str, ...] = tuple(sorted({
    *STATE_ABBREV.values(), *NORMATIVE_ABBREV.values(), *PARTY_ABBREV.values(),
    "Công văn", "Luật", "Bộ luật", "Hiến pháp", "Nghị quyết liên tịch", "Thông tư liên tịch",
    "Văn bản hợp nhất", "Văn bản", "Điều lệ", "Thông tri", "Lệnh", "Sắc lệnh", "Pháp lệnh",
}, key=len, reverse=True))


def type_from_abbrev(abbrev: str, system: str | None) -> str | None:
    """Full type name for a symbol's type part; `None` where the part is not a type."""
    if system == "party":
        tables = (PARTY_ABBREV, STATE_ABBREV, NORMATIVE_ABBREV)
    else:
        tables = (STATE_ABBREV, NORMATIVE_ABBREV, PARTY_ABBREV)
    for table in tables:
        if abbrev in table:
            return table[abbrev]
    upper = abbrev.upper()
    for table in tables:
        for key, value in table.items():
            if key.upper() == upper:
                return value
    return None


_CANON = {t.lower(): t for t in TYPE_WORDS}
_CANON.update({"văn bản": "văn bản", "vbhn": "Văn bản hợp nhất", "văn bản hợp nhất": "Văn bản hợp nhất"})
# Types that a citation may name before the document's own name: `Luật Đất đai số 31/2024/QH15`.
NAMED_TYPES: tuple[str, ...] = (
    "Thông tư liên tịch", "Nghị quyết liên tịch", "Văn bản hợp nhất", "Bộ luật", "Luật", "Pháp lệnh",
    "Hiến pháp", "Nghị định", "Nghị quyết", "Thông tư", "Quyết định", "Chỉ thị", "Kết luận", "Quy định",
)


def canonical_type(word: str) -> str:
    """A type word as printed (`NGHỊ ĐỊNH`, `công văn`) → its full name (`Nghị định`, `Công văn`);
    `văn bản` stays lower case, as SCHEMA.md asks."""
    key = " ".join(word.split()).lower()
    if key in _CANON:
        return _CANON[key]
    return key[:1].upper() + key[1:]
