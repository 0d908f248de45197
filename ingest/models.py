"""The values that `ingest/` hands to `nlp/`: text per document, with layout lines."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Line:
    """One printed line. `column` tells the two header columns apart (`left`, `right`) from
    full-width text (`full`); plain-text files have only `full` lines."""

    text: str
    page: int = 1
    top: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    column: str = "full"
    fonts: tuple[str, ...] = ()
    size: float = 0.0
    bold: bool = False
    runs: tuple[tuple[str, str], ...] = ()  # (font name, text) per run of one font, PDFs only
    last_page: int = 0  # where a paragraph joined across a page break ends (0: on `page`)


@dataclass
class Source:
    path: str
    sha256: str
    format: str
    part: int = 0
    pages: list[int] = field(default_factory=list)
    method: str = "text"
    repaired_encoding: str | None = None
    active_content: list[str] = field(default_factory=list)  # ingest/active.py: JavaScript, attachments

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extracted:
    """One document found in one file. `text` is NFC; for PDFs the header's left column comes
    first, then its right column, then the body, the order in which the fields are read."""

    text: str
    source: Source
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    margins: list[Line] = field(default_factory=list)  # running heads, page numbers, stamps: set aside


class IngestError(Exception):
    """A file that cannot be read; the message is the one-line reason shown in reports."""
