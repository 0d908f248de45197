"""The sổ đăng ký văn bản đến and đi of Nghị định 30/2020/NĐ-CP (Phụ lục IV), from the catalog.

One row per letter: the copies of one letter (`index.dedup`) are one row, shown by its
representative, with how many copies the archive holds in the notes. A letter belongs to a
year by its date of issue (a letter without one, by the day it arrived). The incoming
register numbers its letters (Số đến) in the order they were received, that is ingested
(the first copy to arrive; a batch in the order of its files), from 1 each year; the
outgoing register lists the office's letters by date and number. Which letters are the
office's own is `_office`'s rule: `out` holds those, `in` all the others.

Columns the archive cannot know (who received the letter inside the office, the signature
for receipt, the number of copies sent) are left blank for the văn thư to fill in.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from index.dedup import Letters
from index.office._office import Office
from index.office._tables import Column, Table, cell_date
from text.fold import fold

DIRECTIONS = ("in", "out")
TITLES = {"in": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "out": "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}
IN_COLUMNS = [
    Column("Ngày đến", "ngay_den", 12), Column("Số đến", "so_den", 8), Column("Tác giả", "tac_gia", 30),
    Column("Số, ký hiệu", "so_ky_hieu", 20), Column("Ngày tháng", "ngay_thang", 12),
    Column("Tên loại và trích yếu nội dung", "trich_yeu", 55),
    Column("Đơn vị hoặc người nhận", "nguoi_nhan", 20), Column("Ký nhận", "ky_nhan", 12),
    Column("Ghi chú", "ghi_chu", 22),
]
OUT_COLUMNS = [
    Column("Số, ký hiệu văn bản", "so_ky_hieu", 20), Column("Ngày tháng văn bản", "ngay_thang", 12),
    Column("Tên loại và trích yếu nội dung", "trich_yeu", 55), Column("Người ký", "nguoi_ky", 24),
    Column("Nơi nhận văn bản", "noi_nhan", 36), Column("Đơn vị, người nhận bản lưu", "ban_luu", 20),
    Column("Số lượng bản", "so_luong_ban", 10), Column("Ghi chú", "ghi_chu", 22),
]

_ROWS = """
SELECT d.rowid AS n, d.id, d.code, d.doc_type, d.issued_date, d.issuer, d.subject,
       json_extract(d.record, '$.issuer.parent') AS parent, json_extract(d.record, '$.issuer.code') AS authority,
       json_extract(d.record, '$.recipients') AS recipients, json_extract(d.record, '$.signer') AS signer,
       json_extract(d.record, '$.marks') AS marks, f.ingested_at, p.place
FROM documents d JOIN files f ON f.sha256 = d.sha256 LEFT JOIN doc_places p ON p.id = d.id
"""


@dataclass
class Letter:
    """One letter of a register: its representative's row and when its first copy arrived."""
    head: sqlite3.Row
    arrived: float
    first: int  # the catalog order of its first copy, which breaks ties of arrival
    copies: int = 0

    @property
    def year(self) -> int:
        issued = self.head["issued_date"] or ""
        return int(issued[:4]) if issued[:4].isdigit() else dt.datetime.fromtimestamp(self.arrived).year


@dataclass
class Register:
    direction: str
    year: int
    office: Office
    table: Table = field(default_factory=lambda: Table([]))

    def to_dict(self) -> dict:
        return {"direction": self.direction, "year": self.year, "office": self.office.to_dict(),
                "columns": [c.title for c in self.table.columns], "rows": self.table.to_dicts()}

    def render(self, fmt: str) -> bytes:
        return self.table.render(fmt)


def letters_of(db: sqlite3.Connection, letters: Letters) -> list[Letter]:
    """Every letter of the catalog, copies folded, with the arrival of its first copy."""
    rows = db.execute(_ROWS).fetchall()
    by_id = {r["id"]: r for r in rows}
    out: dict[str, Letter] = {}
    for r in rows:
        rep = letters.representative(r["id"])
        head = by_id.get(rep, r)
        entry = out.get(rep)
        if entry is None:
            out[rep] = Letter(head, r["ingested_at"], r["n"])
            continue
        entry.copies += 1
        if (r["ingested_at"], r["n"]) < (entry.arrived, entry.first):
            entry.arrived, entry.first = r["ingested_at"], r["n"]
    return list(out.values())


def is_own(office: Office, head: sqlite3.Row) -> bool:
    authority = head["authority"]
    if not authority and head["code"]:
        from nlp.codes import parse_code
        parsed = parse_code(head["code"])
        authority = parsed.authority if parsed else None
    return office.issued(head["issuer"], head["parent"], authority, head["place"])


def register(db: sqlite3.Connection, letters: Letters, office: Office, direction: str, year: int,
             hidden: frozenset[str] = frozenset()) -> Register:
    """The register DIRECTION (`in` or `out`) of YEAR for OFFICE, without the letters of HIDDEN
    (a viewer may not see them, index/access/: never a row, never a number)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown register {direction!r}; choose in or out")
    chosen = [x for x in letters_of(db, letters)
              if x.year == year and is_own(office, x.head) == (direction == "out") and x.head["id"] not in hidden]
    title = [f"{TITLES[direction]} – năm {year}", office.name]
    sheet = f"{'Văn bản đến' if direction == 'in' else 'Văn bản đi'} {year}"
    if direction == "in":
        chosen.sort(key=lambda x: (x.arrived, x.first))
        rows = [_in_row(i, x) for i, x in enumerate(chosen, start=1)]
        return Register(direction, year, office, Table(IN_COLUMNS, rows, title, sheet))
    chosen.sort(key=lambda x: (x.head["issued_date"] or "9999", _number(x.head["code"]), x.arrived, x.first))
    return Register(direction, year, office, Table(OUT_COLUMNS, [_out_row(x) for x in chosen], title, sheet))


def _number(code: str | None) -> tuple[int, str]:
    m = re.match(r"\d+", code or "")
    return (int(m.group()), code or "") if m else (10**9, code or "")


def _summary(head: sqlite3.Row) -> str | None:
    """`Công văn: …`; a subject that begins with its type's name (`Kế hoạch phòng chống…`) alone."""
    kind, subject = head["doc_type"], head["subject"]
    if kind and subject and fold(subject).startswith(fold(kind) + " "):
        return subject[:1].upper() + subject[1:]
    return ": ".join(p for p in (kind, subject) if p) or None


def _notes(x: Letter) -> str | None:
    marks = _json(x.head["marks"]) or {}
    notes = [m for m in (marks.get("urgency"), marks.get("secrecy")) if m]
    if marks.get("draft"):
        notes.append("Dự thảo")
    if x.copies:
        notes.append(f"Kho giữ {x.copies + 1} bản")
    return "; ".join(notes) or None


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


def _in_row(number: int, x: Letter) -> list[Any]:
    h = x.head
    return [dt.datetime.fromtimestamp(x.arrived).date(), number, h["issuer"], h["code"], cell_date(h["issued_date"]),
            _summary(h), None, None, _notes(x)]


def _out_row(x: Letter) -> list[Any]:
    h = x.head
    signer = _json(h["signer"]) or {}
    who = signer.get("name")
    if who and signer.get("position"):
        who = f"{who} ({signer['position']})"
    recipients = "; ".join(_json(h["recipients"]) or []) or None
    return [h["code"], cell_date(h["issued_date"]), _summary(h), who, recipients, None, None, _notes(x)]
