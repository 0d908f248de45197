"""Tables written for people: XLSX that Excel and LibreOffice open as they are (a title, a
bold frozen header, column widths, wrapped text, dates as dates), CSV in UTF-8 with a BOM
(Excel reads Vietnamese right only with it), JSON Lines for scripts."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

DATE_FORMAT = "dd/mm/yyyy"
FORMATS = ("csv", "xlsx", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "jsonl": "application/x-ndjson; charset=utf-8"}


@dataclass(frozen=True)
class Column:
    title: str        # the header, in Vietnamese
    key: str          # the field's name in JSON Lines
    width: float = 14  # in characters of the sheet's default font


def cell_date(iso: str | None) -> dt.date | str | None:
    """A full ISO date as a date; one printed without its day (`2026-06`) or month (`2023`)
    stays text in the form a Vietnamese reader writes it (`06/2026`)."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return iso
    return "/".join(reversed(parts))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)  # lines above the header (XLSX only)
    sheet: str = "Sheet1"

    def to_dicts(self) -> list[dict]:
        return [{c.key: (v.isoformat() if isinstance(v, dt.date) else v) for c, v in zip(self.columns, row)}
                for row in self.rows]

    def to_dict(self) -> dict:
        return {"title": self.title, "columns": [c.title for c in self.columns], "rows": self.to_dicts()}

    def render(self, fmt: str) -> bytes:
        if fmt == "csv":
            return self.csv_bytes()
        if fmt == "xlsx":
            return self.xlsx_bytes()
        if fmt == "jsonl":
            return self.jsonl_bytes()
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")

    def csv_bytes(self) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow([c.title for c in self.columns])
        for row in self.rows:
            writer.writerow(["" if v is None else _plain(v) for v in row])
        return out.getvalue().encode("utf-8-sig")

    def jsonl_bytes(self) -> bytes:
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in self.to_dicts()).encode("utf-8")

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

        wb = Workbook()
        ws = wb.active
        ws.title = self.sheet[:31]
        n = len(self.columns)
        top = Alignment(wrap_text=True, vertical="top")
        for i, line in enumerate(self.title, start=1):
            ws.cell(row=i, column=1, value=line).font = Font(bold=i == 1, size=14 if i == 1 else 11)
            ws.cell(row=i, column=1).alignment = Alignment(horizontal="center")
            if n > 1:
                ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=n)
        header_row = len(self.title) + 1
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        for j, col in enumerate(self.columns, start=1):
            cell = ws.cell(row=header_row, column=j, value=col.title)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = box
            ws.column_dimensions[get_column_letter(j)].width = col.width
        for i, row in enumerate(self.rows, start=header_row + 1):
            for j, value in enumerate(row, start=1):
                cell = ws.cell(row=i, column=j, value=value)
                cell.alignment = top
                cell.border = box
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
