"""DOCX letters: paragraphs and tables in body order; a header table is read cell by cell,
left cell first, as in a PDF's two header columns."""
from __future__ import annotations

from ingest.models import IngestError, Line


def read_docx(path: str) -> list[Line]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(path)
    except Exception as exc:
        raise IngestError(f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:120]})") from exc
    lines: list[Line] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Line(text=Paragraph(child, document).text))
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells = list(dict.fromkeys(row.cells))  # merged cells repeat
                for ci, cell in enumerate(cells):
                    column = "full" if len(cells) == 1 else ("left" if ci == 0 else "right")
                    for para in cell.paragraphs:
                        lines.append(Line(text=para.text, column=column))
                    lines.append(Line(text="", column=column))
    return lines
