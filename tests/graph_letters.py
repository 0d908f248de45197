"""Small hand-written letters in the two numbering forms, for the graph tests."""
from __future__ import annotations

from pathlib import Path


def letter(code: str, date: tuple[int, int, int] | None, body: str, issuer: str = "BAN TUYÊN GIÁO TRUNG ƯƠNG",
           parent: str | None = "BAN CHẤP HÀNH TRUNG ƯƠNG", place: str = "Hà Nội",
           subject: str = "triển khai thực hiện") -> str:
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM" if "-" in code.split("/")[0] or code.startswith("-") else \
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    when = f"{place}, ngày {date[2]:02d} tháng {date[1]:02d} năm {date[0]}" if date else f"{place}, ngày  tháng  năm"
    head = f"{parent}\n{issuer}" if parent else issuer
    return (f"{head}\n\n{motto}\n\n{when}\n\nSố: {code}\n\nV/v {subject}\n\nKính gửi: Các cơ quan, đơn vị\n\n"
            f"{body}\n\nNơi nhận:\n- Như trên;\n- Lưu VT.\n\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n\nNguyễn Văn An\n")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
