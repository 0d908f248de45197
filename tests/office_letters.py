"""A small archive of an office's mail, for the register, export and browser tests: the
office's own letters, incoming ones, decoys for the rule that tells them apart, a re-sent
copy, and a letter of another year; ingested one file at a time in a known order."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.graph_letters import letter, write

OFFICE = "Ủy ban nhân dân tỉnh Nghệ An"
OFFICE_CODES = ("UBND",)  # its place comes from the name


@dataclass(frozen=True)
class Mail:
    name: str
    code: str
    date: tuple[int, int, int]
    issuer: str
    parent: str | None
    place: str
    subject: str
    own: bool  # the office's own letter (the outgoing register)


# in the order they arrive: neither the order of their dates nor of their names
MAIL = [
    Mail("g.txt", "88/SYT-NV", (2025, 6, 1), "SỞ Y TẾ", "UBND TỈNH NGHỆ AN", "Nghệ An",
         "công tác y tế dự phòng mùa mưa bão", False),       # under the office's name: not the office
    Mail("a.txt", "123/UBND-KGVX", (2025, 3, 10), "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None, "Nghệ An",
         "báo cáo kết quả chuyển đổi số năm 2025", True),    # its name and its code
    Mail("d.txt", "2145/UBND-KGVX", (2025, 2, 1), "ỦY BAN NHÂN DÂN TỈNH THANH HÓA", None, "Thanh Hóa",
         "phối hợp bảo vệ rừng giáp ranh", False),           # the same code of another province
    Mail("f.txt", "5000/BTC-NSNN", (2025, 4, 1), "BỘ TÀI CHÍNH", None, "Hà Nội",
         "hướng dẫn lập dự toán ngân sách nhà nước năm 2026", False),
    Mail("b.txt", "45/KH-UBND", (2025, 1, 5), "UBND TỈNH NGHỆ AN", None, "Nghệ An",
         "kế hoạch phòng chống thiên tai năm 2025", True),   # the name abbreviated
    Mail("e.txt", "77/UBND-VP", (2025, 5, 2), "ỦY BAN NHÂN DÂN HUYỆN DIỄN CHÂU", None, "Diễn Châu",
         "báo cáo tình hình thiệt hại do bão số 3", False),  # a district's UBND in the province
    Mail("z.txt", "9/UBND-VX", (2024, 12, 30), "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", None, "Nghệ An",
         "tổng kết công tác năm 2024", True),                # another year
    Mail("c.txt", "310/BNV-CQĐP", (2025, 7, 15), "BỘ NỘI VỤ", None, "Hà Nội",
         "sắp xếp đơn vị hành chính cấp xã", False),
]
COPY_OF = "f.txt"  # re-sent later as `f-gui-lai.txt`: one row, the first arrival


def mail_text(m: Mail, extra: str = "") -> str:
    body = (f"Thực hiện chỉ đạo của cấp trên, {m.issuer.title()} đề nghị các cơ quan, đơn vị triển khai "
            f"nội dung về {m.subject}, báo cáo kết quả đầy đủ, đúng thời hạn.{extra}")
    return letter(m.code, m.date, body, issuer=m.issuer, parent=m.parent, place=m.place, subject=m.subject)


def build(root: Path, folder: Path) -> list[str]:
    """Ingest the mail into the archive ROOT, one file after another; the office is set.
    Returns the names in the order ingested."""
    from index.archive import Archive

    order = []
    archive = Archive(root)
    try:
        for m in MAIL:
            path = write(folder, m.name, mail_text(m))
            assert not archive.ingest([path], workers=1).failed
            order.append(m.name)
        copy = next(m for m in MAIL if m.name == COPY_OF)
        path = write(folder, "f-gui-lai.txt", mail_text(copy, " Văn bản này gửi lại do lỗi đường truyền."))
        assert not archive.ingest([path], workers=1).failed
        order.append(path.name)
        archive.set_office(OFFICE, OFFICE_CODES)
    finally:
        archive.close()
    return order
