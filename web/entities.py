"""The document text with its entities marked the way displaCy shows them.

The spans come from the record itself: references carry their offsets; the other fields
(code, date line, issuer, subject, addressees, signer, deadlines) are found in the text.
spaCy's `displacy.render(..., style="ent", manual=True)` does the rendering, so all text
is escaped by it; our template only adds a link around a reference's text."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from index.archive import Record

# label shown on the mark, css class, title (tooltip)
LABELS: dict[str, tuple[str, str]] = {
    "SỐ KÝ HIỆU": ("ent-code", "Số và ký hiệu văn bản"),
    "NGÀY BAN HÀNH": ("ent-date", "Địa danh và ngày ban hành"),
    "CƠ QUAN BAN HÀNH": ("ent-org", "Cơ quan ban hành"),
    "TRÍCH YẾU": ("ent-subject", "Trích yếu nội dung"),
    "KÍNH GỬI": ("ent-recipient", "Nơi nhận (kính gửi)"),
    "NGƯỜI KÝ": ("ent-signer", "Người ký"),
    "VĂN BẢN DẪN CHIẾU": ("ent-ref", "Văn bản được trích dẫn"),
    "THỜI HẠN": ("ent-deadline", "Thời hạn phải thực hiện"),
}

TEMPLATE = ('<mark class="entity {cls}" title="{title}">{open}{text}{close}'
            '<span class="entity-label">{label}</span></mark>')

_DATE_LINE = r"ngày\s*\d{0,2}\s*tháng\s*\d{0,2}\s*năm\s*\d{4}"


@dataclass
class Span:
    start: int
    end: int
    label: str
    href: str | None = None


def _loose(phrase: str) -> re.Pattern | None:
    """A pattern for a phrase as it is printed: any whitespace (line breaks) between words,
    and optional spaces around the `-` and `/` of a code."""
    words = phrase.split()
    if not words:
        return None
    parts = []
    for w in words:
        pieces = re.split(r"([-/])", w)  # odd items are the separators
        parts.append("".join(rf"\s*{re.escape(p)}\s*" if i % 2 else re.escape(p) for i, p in enumerate(pieces)))
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def _find(text: str, phrase: str | None, start: int = 0, last: bool = False) -> tuple[int, int] | None:
    if not phrase:
        return None
    pat = _loose(phrase)
    if pat is None:
        return None
    found = None
    for m in pat.finditer(text, start):
        found = (m.start(), m.end())
        if not last:
            break
    return found


def spans_of(rec: Record, ref_href: Callable[[str], str | None]) -> list[Span]:
    """Non-overlapping entity spans of a record, in text order. References come first when
    two overlap: they are the links the reader follows."""
    text = rec.text
    wanted: list[Span] = []
    for ref in rec.references:
        if 0 <= ref.start < ref.end <= len(text):
            wanted.append(Span(ref.start, ref.end, "VĂN BẢN DẪN CHIẾU", ref_href(ref.code) if ref.code else None))
    for d in rec.deadlines:
        if (where := _find(text, d.text)):
            wanted.append(Span(*where, "THỜI HẠN"))
    if (where := _find(text, rec.code)):
        wanted.append(Span(*where, "SỐ KÝ HIỆU"))
    if rec.issued_date:
        place = re.escape(rec.place) + r",?\s*" if rec.place else ""
        m = re.search(place + _DATE_LINE, text, re.IGNORECASE) or re.search(_DATE_LINE, text, re.IGNORECASE)
        if m:
            wanted.append(Span(m.start(), m.end(), "NGÀY BAN HÀNH"))
    if (where := _find(text, rec.issuer.name)):
        wanted.append(Span(*where, "CƠ QUAN BAN HÀNH"))
    if (where := _find(text, rec.subject)):
        wanted.append(Span(*where, "TRÍCH YẾU"))
    after = text.find("Kính gửi")
    for r in rec.recipients:
        if (where := _find(text, r, max(after, 0))):
            wanted.append(Span(*where, "KÍNH GỬI"))
    if (where := _find(text, rec.signer.name, last=True)):
        wanted.append(Span(*where, "NGƯỜI KÝ"))

    chosen: list[Span] = []
    for s in wanted:
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def render(rec: Record, ref_href: Callable[[str], str | None]) -> Markup:
    """The text as displaCy's entity view (HTML, every character of the text escaped)."""
    from spacy import displacy  # spaCy is heavy: imported on first use

    ents = []
    for s in spans_of(rec, ref_href):
        cls, title = LABELS[s.label]
        link_open = f'<a class="ref-link" href="{escape(s.href)}">' if s.href else ""
        ents.append({"start": s.start, "end": s.end, "label": s.label,
                     "params": {"cls": cls, "title": str(escape(title)), "open": link_open,
                                "close": "</a>" if s.href else ""}})
    html = displacy.render({"text": rec.text, "ents": ents, "title": None}, style="ent", manual=True,
                           jupyter=False, options={"template": TEMPLATE})
    return Markup(html)
