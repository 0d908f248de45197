"""Search results out: the hit list as a table (CSV, XLSX, JSON Lines), the same columns as
the list on the page and the command line, every hit up to the limit asked for."""
from __future__ import annotations

from index.office._tables import Column, Table, cell_date
from index.search import plain

MAX_EXPORT = 10_000  # hits in one download: a whole year of an office's letters

HIT_COLUMNS = [
    Column("STT", "rank", 6), Column("Số, ký hiệu", "code", 20), Column("Loại văn bản", "doc_type", 14),
    Column("Ngày ban hành", "issued_date", 13), Column("Cơ quan ban hành", "issuer", 32),
    Column("Trích yếu", "subject", 55), Column("Điểm", "score", 8), Column("Số bản trùng", "copies", 9),
    Column("Đoạn trích", "snippet", 50), Column("Mã văn bản", "id", 22),
]


def hits_table(query: str, result: dict) -> Table:
    """The hits of `Archive.search`'s RESULT, in their order, as a table."""
    rows = []
    for rank, h in enumerate(result.get("hits") or [], start=1):
        score = h.get("score")
        rows.append([rank, h.get("code"), h.get("doc_type"), cell_date(h.get("issued_date")), h.get("issuer"),
                     h.get("subject"), round(score, 4) if isinstance(score, (int, float)) else None,
                     len(h.get("copies") or []), plain(h.get("snippet") or "", "", "") or None, h.get("id")])
    title = [f"KẾT QUẢ TÌM KIẾM: {query}", f"{result.get('total', len(rows))} kết quả, xuất {len(rows)}"]
    return Table(HIT_COLUMNS, rows, title, "Kết quả tìm kiếm")
