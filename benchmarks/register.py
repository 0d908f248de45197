"""The authority register the generator draws issuers from: central Party and state bodies,
provinces with their People's Committees, Party committees and departments, and districts.

Codes follow the two numbering systems: Hướng dẫn 36-HD/VPTW for Party bodies
(`số-LOẠI/CQ`: `-CV/TU`, `-KH/HU`, `-CV/BTGTU`) and Nghị định 30/2020/NĐ-CP for state
bodies (`số/LOẠI-CQ`, công văn `số/CQ-ĐV`: `/QĐ-UBND`, `/UBND-KGVX`, `/SYT-NVY`)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Body:
    """One issuing body as printed in the left header column."""

    header: tuple[str, ...]      # header lines, top first (a parent line, then the body)
    code: str                    # the authority part of its symbols: TW, TTg, BTC, UBND, TU, SYT…
    system: str                  # party | state
    place: str                   # the place name of its date line
    province: str | None         # the province it belongs to (None for central bodies)
    level: str                   # central | province | district
    short: str                   # how other letters name it after `của`
    units: tuple[str, ...] = ()  # state công văn unit codes (`UBND-KGVX`, `BTC-TCT`)
    signers: tuple[tuple[str | None, str], ...] = field(default=())  # (authority line, position)

    @property
    def name(self) -> str:
        """`issuer.name` per SCHEMA: the body's own line(s); a parent line is not part of it."""
        return " ".join(self.header[1:]) if self.parent else " ".join(self.header)

    @property
    def parent(self) -> str | None:
        first = self.header[0]
        if len(self.header) >= 2 and first.startswith(("BAN CHẤP HÀNH", "TỈNH ỦY", "THÀNH ỦY", "UBND")):
            return first
        return None


# Provinces (as before the 2025 merger, so districts still exist) with real districts.
PROVINCES: dict[str, tuple[str, ...]] = {
    "Nghệ An": ("Diễn Châu", "Quỳnh Lưu", "Nghi Lộc", "Đô Lương", "Thanh Chương"),
    "Thanh Hóa": ("Hoằng Hóa", "Quảng Xương", "Thọ Xuân", "Đông Sơn"),
    "Hà Tĩnh": ("Can Lộc", "Thạch Hà", "Hương Khê", "Cẩm Xuyên"),
    "Hưng Yên": ("Văn Lâm", "Văn Giang", "Khoái Châu", "Kim Động", "Phù Cừ"),
    "Thái Bình": ("Kiến Xương", "Vũ Thư", "Tiền Hải", "Quỳnh Phụ"),
    "Nam Định": ("Hải Hậu", "Giao Thủy", "Ý Yên", "Xuân Trường"),
    "Hải Dương": ("Cẩm Giàng", "Gia Lộc", "Thanh Miện", "Ninh Giang"),
    "Bắc Giang": ("Lục Nam", "Yên Dũng", "Hiệp Hòa", "Lạng Giang"),
    "Bắc Ninh": ("Quế Võ", "Tiên Du", "Gia Bình", "Lương Tài"),
    "Phú Thọ": ("Lâm Thao", "Thanh Ba", "Cẩm Khê", "Đoan Hùng"),
    "Tuyên Quang": ("Sơn Dương", "Yên Sơn", "Hàm Yên", "Chiêm Hóa"),
    "Quảng Ninh": ("Tiên Yên", "Đầm Hà", "Vân Đồn", "Hải Hà"),
    "Quảng Nam": ("Duy Xuyên", "Thăng Bình", "Núi Thành", "Đại Lộc"),
    "Quảng Ngãi": ("Bình Sơn", "Sơn Tịnh", "Tư Nghĩa", "Mộ Đức"),
    "Bình Định": ("Phù Cát", "Tây Sơn", "Tuy Phước", "Phù Mỹ"),
    "Đắk Lắk": ("Krông Pắc", "Ea Kar", "Krông Búk", "Cư Kuin"),
    "Lâm Đồng": ("Đức Trọng", "Di Linh", "Lâm Hà", "Bảo Lâm"),
    "Đồng Nai": ("Long Thành", "Nhơn Trạch", "Trảng Bom", "Định Quán"),
    "Long An": ("Đức Hòa", "Bến Lức", "Cần Giuộc", "Thủ Thừa"),
    "An Giang": ("Chợ Mới", "Phú Tân", "Thoại Sơn", "Châu Phú"),
    "Cà Mau": ("Đầm Dơi", "Cái Nước", "Trần Văn Thời", "U Minh"),
    "Sóc Trăng": ("Kế Sách", "Mỹ Tú", "Long Phú", "Trần Đề"),
}

# Provincial departments: (header line, symbol code, công văn units, short name)
DEPARTMENTS = (
    ("SỞ NỘI VỤ", "SNV", ("SNV-CCVC", "SNV-TCBM", "SNV-VP"), "Sở Nội vụ"),
    ("SỞ Y TẾ", "SYT", ("SYT-NVY", "SYT-KHTC", "SYT-VP"), "Sở Y tế"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", ("SGDĐT-GDTrH", "SGDĐT-VP", "SGDĐT-KHTC"), "Sở Giáo dục và Đào tạo"),
    ("SỞ TÀI CHÍNH", "STC", ("STC-QLNS", "STC-TCDN", "STC-VP"), "Sở Tài chính"),
)

MINISTRIES = (
    ("BỘ TÀI CHÍNH", "BTC", ("BTC-TCT", "BTC-NSNN", "BTC-PC"), "Bộ Tài chính"),
    ("BỘ NỘI VỤ", "BNV", ("BNV-TCBC", "BNV-CCVC", "BNV-VP"), "Bộ Nội vụ"),
    ("BỘ Y TẾ", "BYT", ("BYT-KCB", "BYT-DP", "BYT-KHTC"), "Bộ Y tế"),
    ("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BGDĐT", ("BGDĐT-GDTrH", "BGDĐT-NGCBQLGD"), "Bộ Giáo dục và Đào tạo"),
    ("BỘ CÔNG THƯƠNG", "BCT", ("BCT-TTTN", "BCT-XNK"), "Bộ Công Thương"),
    ("BỘ TƯ PHÁP", "BTP", ("BTP-PBGDPL", "BTP-VĐCXDPL"), "Bộ Tư pháp"),
)

STATE_HEAD = (("TM. ỦY BAN NHÂN DÂN", "Chủ tịch"), ("KT. CHỦ TỊCH", "Phó Chủ tịch"))
PARTY_HEAD = (("T/M BAN THƯỜNG VỤ", "Bí thư"), ("T/M BAN THƯỜNG VỤ", "Phó Bí thư"))
DEPT_HEAD = ((None, "Giám đốc"), ("KT. GIÁM ĐỐC", "Phó Giám đốc"))
BAN_HEAD = ((None, "Trưởng ban"), ("K/T TRƯỞNG BAN", "Phó Trưởng ban"))
MINISTER = ((None, "Bộ trưởng"), ("KT. BỘ TRƯỞNG", "Thứ trưởng"))


def central_party() -> Body:
    return Body(("BAN CHẤP HÀNH TRUNG ƯƠNG",), "TW", "party", "Hà Nội", None, "central",
                "Bộ Chính trị", signers=(("T/M BỘ CHÍNH TRỊ", "Thường trực Ban Bí thư"),))


def prime_minister() -> Body:
    return Body(("THỦ TƯỚNG CHÍNH PHỦ",), "TTg", "state", "Hà Nội", None, "central",
                "Thủ tướng Chính phủ", signers=(("KT. THỦ TƯỚNG", "Phó Thủ tướng"), (None, "Thủ tướng")))


def government() -> Body:
    return Body(("CHÍNH PHỦ",), "CP", "state", "Hà Nội", None, "central", "Chính phủ",
                signers=(("TM. CHÍNH PHỦ", "Thủ tướng"),))


def ministries() -> list[Body]:
    return [Body((h,), c, "state", "Hà Nội", None, "central", s, units, MINISTER) for h, c, units, s in MINISTRIES]


def province_bodies(province: str) -> list[Body]:
    city = province in {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ"}
    kind, party = ("THÀNH PHỐ", "THÀNH ỦY") if city else ("TỈNH", "TỈNH ỦY")
    up = province.upper()
    lower = "thành phố" if city else "tỉnh"
    bodies = [
        Body(("ỦY BAN NHÂN DÂN", f"{kind} {up}"), "UBND", "state", province, province, "province",
             f"Ủy ban nhân dân {lower} {province}",
             ("UBND-KGVX", "UBND-KT", "UBND-NC", "UBND-TH", "UBND-VP"), STATE_HEAD),
        Body((f"{party} {up}",), "TU", "party", province, province, "province",
             f"{party.capitalize()} {province}", signers=PARTY_HEAD),
        Body((f"{party} {up}", "BAN TUYÊN GIÁO"), "BTGTU", "party", province, province, "province",
             f"Ban Tuyên giáo {party.capitalize()}", signers=BAN_HEAD),
    ]
    for h, c, units, s in DEPARTMENTS:
        bodies.append(Body((f"UBND {kind} {up}", h), c, "state", province, province, "province",
                           f"{s} {lower} {province}", units, DEPT_HEAD))
    return bodies


def district_bodies(province: str, district: str) -> list[Body]:
    up = district.upper()
    party = "THÀNH ỦY" if province in {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ"} else "TỈNH ỦY"
    return [
        Body(("ỦY BAN NHÂN DÂN", f"HUYỆN {up}"), "UBND", "state", district, province, "district",
             f"Ủy ban nhân dân huyện {district}", ("UBND-VP", "UBND-VHTT", "UBND-NV"), STATE_HEAD),
        Body((f"{party} {province.upper()}", f"HUYỆN ỦY {up}"), "HU", "party", district, province, "district",
             f"Huyện ủy {district}", signers=PARTY_HEAD),
    ]


# Name parts for signers (common Vietnamese family, middle and given names).
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý")
MIDDLES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Xuân", "Hồng", "Đình", "Công")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Hương", "Khánh", "Lan", "Long",
         "Mai", "Nam", "Phong", "Phương", "Quang", "Sơn", "Tâm", "Thắng", "Thảo", "Trung", "Tuấn", "Việt")
