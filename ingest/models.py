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
class Signature:
    """One digital signature (chữ ký số) embedded in a PDF (ingest/signatures.py, SCHEMA.md
    `signatures`). `error`: why it could not be checked, None when it could."""

    signer: str | None = None
    organization: str | None = None
    signed_at: str | None = None
    intact: bool = False
    whole_file: bool = False
    trusted: bool | None = None
    error: str | None = None

    @property
    def altered(self) -> bool:
        """Changed after signing, or not checkable: what the ingest report and `--signed altered` name."""
        return not (self.intact and self.whole_file) or self.error is not None

    def to_dict(self) -> dict:
        d = asdict(self)
        if d["error"] is None:  # the SCHEMA shape; the reason only where there is one
            del d["error"]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Signature:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Extracted:
    """One document found in one file. `text` is NFC; for PDFs the header's left column comes
    first, then its right column, then the body, the order in which the fields are read."""

    text: str
    source: Source
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    margins: list[Line] = field(default_factory=list)  # running heads, page numbers, stamps: set aside
    signatures: list[Signature] = field(default_factory=list)  # the file's, on each of its documents


class IngestError(Exception):
    """A file that cannot be read; the message is the one-line reason shown in reports."""
