"""DOCX letters: paragraphs and tables in body order; a header table is read cell by cell,
left cell first, as in a PDF's two header columns.

Word sets paragraphs apart by spacing, not by empty lines, while `nlp/` reads a block (the
`V/v` subject, the `Kính gửi` list) up to an empty line, as in a typed letter and in PDF text.
So an empty line follows every paragraph, except inside an enumeration (a paragraph that ends
with `,` `;` or `:` runs on into the next, like the items of `Kính gửi:`), and every table cell.
"""
from __future__ import annotations

from ingest.models import IngestError, Line

_RUNS_ON = (",", ";", ":")


def _paragraph_lines(texts: list[str], column: str) -> list[Line]:
    """The paragraphs of one flow (the body, or one table cell) with empty lines between blocks."""
    out: list[Line] = []
    texts = [t for t in texts if t.strip()]
    for k, text in enumerate(texts):
        out.append(Line(text=text, column=column))
        last = k == len(texts) - 1
        if last or (column == "full" and not text.rstrip().endswith(_RUNS_ON)):
            out.append(Line(text="", column=column))
    return out


def read_docx(path: str) -> list[Line]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(path)
    except Exception as exc:
        raise IngestError(f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:120]})") from exc
    lines: list[Line] = []
    pending: list[str] = []  # body paragraphs since the last table

    def flush() -> None:
        lines.extend(_paragraph_lines(pending, "full"))
        pending.clear()

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            pending.append(Paragraph(child, document).text)
        elif tag == "tbl":
            flush()
            table = Table(child, document)
            for row in table.rows:
                cells = list(dict.fromkeys(row.cells))  # merged cells repeat
                for ci, cell in enumerate(cells):
                    column = "full" if len(cells) == 1 else ("left" if ci == 0 else "right")
                    lines.extend(_paragraph_lines([p.text for p in cell.paragraphs], column))
    flush()
    return lines
