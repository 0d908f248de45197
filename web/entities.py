"""The document text with its entities marked the way displaCy shows them.

The spans are the `doc.ents` of the spaCy pass that reads the record (`Archive.entities`):
each reader put where it found its answer, so nothing is searched for here. spaCy's
`displacy.render(..., style="ent", manual=True)` does the rendering, so all text is escaped
by it; our template only adds a link around a reference's text."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from index.archive import Entity

# label shown on the mark: css class, title (tooltip)
LABELS: dict[str, tuple[str, str]] = {
    "SỐ KÝ HIỆU": ("ent-code", "Số và ký hiệu văn bản"),
    "ĐỊA DANH": ("ent-date", "Địa danh nơi ban hành"),
    "NGÀY BAN HÀNH": ("ent-date", "Ngày ban hành"),
    "CƠ QUAN BAN HÀNH": ("ent-org", "Cơ quan ban hành"),
    "TRÍCH YẾU": ("ent-subject", "Trích yếu nội dung"),
    "KÍNH GỬI": ("ent-recipient", "Nơi nhận (kính gửi)"),
    "NGƯỜI KÝ": ("ent-signer", "Người ký"),
    "VĂN BẢN DẪN CHIẾU": ("ent-ref", "Văn bản được trích dẫn"),
    "THỜI HẠN": ("ent-deadline", "Thời hạn phải thực hiện"),
}
# the pipeline's entity labels (nlp/components.py) as the page names them
SHOWN: dict[str, str] = {
    "DOC_CODE": "SỐ KÝ HIỆU", "LOC": "ĐỊA DANH", "DATE": "NGÀY BAN HÀNH", "ORG": "CƠ QUAN BAN HÀNH",
    "SUBJECT": "TRÍCH YẾU", "RECIPIENT": "KÍNH GỬI", "PERSON": "NGƯỜI KÝ", "DOC_REF": "VĂN BẢN DẪN CHIẾU",
    "DEADLINE": "THỜI HẠN",
}

TEMPLATE = ('<mark class="entity {cls}" title="{title}">{open}{text}{close}'
            '<span class="entity-label">{label}</span></mark>')


@dataclass
class Span:
    start: int
    end: int
    label: str
    href: str | None = None


def spans_of(ents: Sequence[Entity], ref_href: Callable[[str], str | None]) -> list[Span]:
    """The page's marks for the pipeline's entities (already without overlaps, in text order):
    Vietnamese labels, a link on each reference to the document it cites."""
    out = []
    for e in ents:
        label = SHOWN.get(e.label)
        if label is None:  # a label the page does not show
            continue
        href = ref_href(e.code) if e.label == "DOC_REF" and e.code else None
        out.append(Span(e.start, e.end, label, href))
    return out


def render(text: str, ents: Sequence[Entity], ref_href: Callable[[str], str | None]) -> Markup:
    """The text as displaCy's entity view (HTML, every character of the text escaped)."""
    from spacy import displacy  # spaCy is heavy: imported on first use

    marks = []
    for s in spans_of(ents, ref_href):
        if not 0 <= s.start < s.end <= len(text):
            continue
        cls, title = LABELS[s.label]
        link_open = f'<a class="ref-link" href="{escape(s.href)}">' if s.href else ""
        marks.append({"start": s.start, "end": s.end, "label": s.label,
                      "params": {"cls": cls, "title": str(escape(title)), "open": link_open,
                                 "close": "</a>" if s.href else ""}})
    html = displacy.render({"text": text, "ents": marks, "title": None}, style="ent", manual=True,
                           jupyter=False, options={"template": TEMPLATE})
    return Markup(html)
