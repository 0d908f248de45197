"""The document record of ../shared/SCHEMA.md as dataclasses, with `to_dict`/`from_dict`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.models import Signature


@dataclass
class Issuer:
    name: str | None = None
    parent: str | None = None
    code: str | None = None
    source: str | None = None  # `signature`: named by the organization of the file's digital signature


@dataclass
class Signer:
    name: str | None = None
    position: str | None = None
    authority: str | None = None


@dataclass
class Reference:
    text: str
    code: str | None
    doc_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    start: int = 0
    end: int = 0
    relation: str = "cites"  # cites | replaces | amends | repeals | guides | forwards | amended_by …
    place: str | None = None  # the place of the cited body, as its `của …` names it (`Đà Nẵng`)
    place_level: str | None = None  # `province` or `local` where `của …` names a body of that level
    about: str | None = None  # what the citing text says the cited document is about (`về …`)


@dataclass
class Deadline:
    date: str
    text: str


@dataclass
class Marks:
    """The header's stamps (SCHEMA.md `marks`): a draft, độ khẩn, độ mật."""
    draft: bool = False
    urgency: str | None = None  # Khẩn | Thượng khẩn | Hỏa tốc
    secrecy: str | None = None  # Mật | Tối mật | Tuyệt mật

    def add(self, other: Marks | None) -> None:
        """Take what `other` stamps; the first stamp of a kind read stays."""
        if other:
            self.draft = self.draft or other.draft
            self.urgency = self.urgency or other.urgency
            self.secrecy = self.secrecy or other.secrecy


@dataclass
class Record:
    id: str
    source: dict[str, Any]
    text: str
    code: str | None = None
    number: str | None = None
    symbol: str | None = None
    system: str | None = None
    doc_type: str | None = None
    issued_date: str | None = None
    place: str | None = None
    issuer: Issuer = field(default_factory=Issuer)
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    references: list[Reference] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    marks: Marks = field(default_factory=Marks)
    attachments: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # chữ ký số of the source PDF, signing order

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["signatures"] = [s.to_dict() for s in self.signatures]
        text = d.pop("text")
        d["text"] = text  # the long field last, as in SCHEMA.md
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        d = dict(d)
        d["issuer"] = Issuer(**(d.get("issuer") or {}))
        d["signer"] = Signer(**(d.get("signer") or {}))
        d["references"] = [Reference(**r) for r in d.get("references") or []]
        d["deadlines"] = [Deadline(**x) for x in d.get("deadlines") or []]
        d["marks"] = Marks(**(d.get("marks") or {}))  # records stored before marks existed have none
        d["signatures"] = [Signature.from_dict(s) for s in d.get("signatures") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Entity:
    """Where a finding of the record is printed: `text[start:end]`, its label (one of
    `nlp.components.LABELS`) and, for a reference, the code it cites."""
    start: int
    end: int
    label: str
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
