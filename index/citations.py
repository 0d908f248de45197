"""What a citation says beyond its code: the place that joins a local authority's key, the
relation the text states (`thay thế`, `sửa đổi, bổ sung`, `hướng dẫn thi hành`…), and the
words that describe the cited document. Pure functions over a `Record`; the catalog calls
them while it writes a file, so nothing here touches the database except `store_citations`."""
from __future__ import annotations

import re
import sqlite3

from nlp.codes import LOCAL_AUTHORITIES, canonical_key, parse_code
from nlp.models import Record, Reference

CITATIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS citations (
    src TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT,
    about TEXT,
    PRIMARY KEY (src, ord)
);
CREATE INDEX IF NOT EXISTS documents_sha256_part ON documents(sha256, part);
"""

# `TỈNH ỦY HƯNG YÊN`, `UBND TỈNH QUẢNG NINH`, `của UBND tỉnh Nghệ An`, `Thành ủy Hà Nội`.
_PROVINCE = re.compile(
    r"(?:tỉnh\s+ủy|thành\s+ủy|tỉnh|thành\s+phố|tp\.)\s+(?P<name>(?!ủy\b|trực\b|thuộc\b)[^\W\d_][^,;()\n]{1,40})",
    re.I,
)


def province_in(name: str | None) -> str | None:
    """The province or city named in an issuing body's name, or None."""
    if not name:
        return None
    m = _PROVINCE.search(name)
    if not m:
        return None
    words = m.group("name").split()
    # A name is two or three words (`Hưng Yên`, `Bà Rịa - Vũng Tàu`); stop at a following body.
    out: list[str] = []
    for w in words:
        if out and w[:1].islower() and w != "-":
            break
        out.append(w)
    return " ".join(out).strip(" -") or None


def document_place(rec: Record) -> str | None:
    """The place that joins the key of a document with a local authority code: the province in
    the issuer's name (the date line often names the provincial capital, not the province)."""
    return province_in(rec.issuer.parent) or province_in(rec.issuer.name) or rec.place


def is_local(code: str | None) -> bool:
    parsed = parse_code(code) if code else None
    return bool(parsed and parsed.authority and parsed.authority.upper() in LOCAL_AUTHORITIES)


def citation_place(ref: Reference, citing: Record) -> str | None:
    """`của UBND tỉnh X` names the place; otherwise a local code is the citing letter's own."""
    return province_in(ref.issuer) or document_place(citing)


def citation_key(ref: Reference, citing: Record) -> str:
    """The canonical key of a citation (SCHEMA.md). An undated citation gets the citing letter's
    year, which `index.graph` treats as an upper bound when it resolves the citation."""
    year = (ref.date or citing.issued_date or "")[:4] or None
    return canonical_key(ref.code or "", year, citation_place(ref, citing))


# -- relations ---------------------------------------------------------------------------
_VERBS = [
    ("replaces", r"thay\s+thế"),
    ("amends", r"sửa\s+đổi(?:\s*,\s*bổ\s+sung)?|đính\s+chính"),
    ("repeals", r"bãi\s+bỏ|hủy\s+bỏ"),
    ("guides", r"hướng\s+dẫn\s+(?:thi\s+hành|thực\s+hiện|triển\s+khai|chi\s+tiết)|quy\s+định\s+chi\s+tiết"),
]
PASSIVE = {"replaces": "replaced_by", "amends": "amended_by", "repeals": "repealed_by", "guides": "guided_by"}
_VERB = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _VERBS), re.I)
_PASSIVE = re.compile(r"(?:được|bị)\s*$", re.I)
_BY = re.compile(r"^\s*bởi\b", re.I)
# What may stand between the verb and the cited code: `một số điều của`, `khoản 2 Điều 3`, a type word.
_GAP_MAX = 70
_CLAUSE_END = re.compile(r"[;:]|\.\s|\n\s*\n")


def relation_of(text: str, ref: Reference, others: list[Reference] | None = None) -> str:
    """The relation the text states between the citing document and `ref`: `replaces`,
    `amends`, `repeals`, `guides`, their passive forms (`amended_by`…) when the text says the
    citing document is what was changed (`được sửa đổi bởi …`), or `cites`."""
    if ref.relation and ref.relation != "cites":
        return ref.relation
    start = ref.start
    if start <= 0 or start > len(text):
        return "cites"
    window_start = max(0, start - 200)
    window = text[window_start:start]
    ends = list(_CLAUSE_END.finditer(window))
    if ends:
        window_start += ends[-1].end()
        window = text[window_start:start]
    verbs = list(_VERB.finditer(window))
    if not verbs:
        return "cites"
    m = verbs[-1]
    gap = window[m.end():]
    if len(gap) > _GAP_MAX:
        return "cites"
    # Another document cited between the verb's clause start and the verb is the verb's subject
    # (`Nghị định 47/2024/NĐ-CP sửa đổi, bổ sung Nghị định 30/2020/NĐ-CP`): not ours.
    verb_at = window_start + m.start()
    for other in others or []:
        if other is not ref and window_start <= other.start < verb_at:
            return "cites"
    name = m.lastgroup or "cites"
    before = text[max(0, verb_at - 12):verb_at]
    if _PASSIVE.search(before) or _BY.match(gap):
        return PASSIVE[name]
    return name


# `… của Bộ Chính trị về tiếp tục nâng cao …;` → what the letter says the cited document is about.
_ABOUT = re.compile(r"^[^;\n]{0,160}?\bvề\s+(?:việc\s+)?(?P<about>[^;\n]{4,200}?)"
                    r"(?=[;\n]|\.\s|\.$|,\s*(?:trong|Ban|Bộ)\b|$)")


def about_of(text: str, ref: Reference) -> str | None:
    m = _ABOUT.match(text[ref.end: ref.end + 360])
    return " ".join(m.group("about").split()).rstrip(" ,.") if m else None


def store_citations(db: sqlite3.Connection, rec: Record) -> None:
    """The words of each citation of `rec` (for documents known only by citation)."""
    db.execute("DELETE FROM citations WHERE src = ?", (rec.id,))
    for i, ref in enumerate(rec.references):
        if not ref.code:
            continue
        db.execute("INSERT OR REPLACE INTO citations VALUES (?,?,?,?)",
                   (rec.id, i, ref.text, about_of(rec.text, ref)))
