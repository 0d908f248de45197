"""Text of one document (`Extracted`) → `Record`: header fields, references, deadlines.

The rules live in small modules (header, issuer, signer, references, deadlines); this one
puts their answers together and decides the document type, which several of them inform."""
from __future__ import annotations

import hashlib
import logging
import re

from ingest.models import Extracted
from ingest.normalize import nfc, unify_tones
from nlp.attachments import find_attachments
from nlp.codes import Code, as_letter, type_letters_hold
from nlp.deadlines import find_deadlines
from nlp.header import Header, enacted_date, read_header, recipients
from nlp.issuer import issuer_from_header
from nlp.letters import HOMOGLYPHS
from nlp.models import Issuer, Record
from nlp.references import find_references
from nlp.signer import find_signer

log = logging.getLogger(__name__)
NORMATIVE_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch",
                   "Văn bản hợp nhất"}


# Only a word ending in o/u + a toned a/e/y can change under `unify_tones` (`hoà` → `hòa`): run
# it on those alone, which gives the same text several times faster than on every word. Anchored
# at a word's start, so a long word is walked once, not once per letter (issue 17).
_TONE_CANDIDATE = re.compile(r"(?<!\w)\w*[oOuU][àáãảạÀÁÃẢẠèéẽẻẹÈÉẼẺẸỳýỹỷỵỲÝỸỶỴ](?!\w)")


def record_id(text: str, part: int) -> str:
    """Stable across re-ingests: a hash of the text with spacing and tone placement unified."""
    flat = _TONE_CANDIDATE.sub(lambda m: unify_tones(m.group()), nfc(" ".join(text.split())))
    digest = hashlib.sha256(flat.encode()).hexdigest()[:16]
    return f"{digest}-{part}"


def doc_type_of(h: Header, parsed: Code | None) -> str | None:
    """The type word printed (`Luật số:`, the title line) wins over the symbol's letters, which
    mislead (`-QĐ/TW` may be a Quy định); a consolidated text keeps its own type; a letter with
    a `V/v` line and no type letters is a công văn."""
    if parsed and parsed.type_abbrev and parsed.type_abbrev.upper() == "VBHN":
        return "Văn bản hợp nhất"
    if h.type_word:
        return h.type_word
    if parsed and parsed.doc_type:
        return parsed.doc_type
    if parsed and parsed.year:  # công văn numbers carry no year
        return None
    if h.code or h.subject:
        return "Công văn" if (h.subject or (parsed and parsed.system == "state")) else None
    return None


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _on_behalf_of(authority: str | None) -> str | None:
    """`TM. CHÍNH PHỦ KT. THỦ TƯỚNG`: the body a signer signs for (`thay mặt`) names the issuer
    where the header is missing (a gazette page whose header is an image)."""
    m = re.match(r"(?:TM\.|T/M)\s*(.+?)(?:\s+(?:KT\.|K/T|TL\.|T/L|TUQ\.).*)?$", authority or "")
    return m.group(1).strip() if m else None


def parse(doc: Extracted) -> Record:
    """The record of one extracted document; bad text yields a sparse record, never an exception."""
    # Icelandic eth for Đ, Cyrillic look-alikes for Latin: same length, offsets hold
    text = nfc(doc.text).replace("Ð", "Đ")
    if _CYRILLIC.search(text):  # str.translate walks every character: only where it is needed
        text = text.translate(HOMOGLYPHS)
    rec = Record(id=record_id(text, doc.source.part), source=doc.source.to_dict(), text=text,
                 signatures=list(doc.signatures))
    try:
        _fill(rec, text)
    except Exception:  # one odd document must not stop a batch
        log.exception("parse failed for %s part %s", doc.source.path, doc.source.part)
    _issuer_from_signature(rec)
    return rec


def _issuer_from_signature(rec: Record) -> None:
    """Where neither the header nor the text names the issuer (a scan whose header OCR could not
    read), the organization of the first intact digital signature does: the certificate names
    the body that signed the file. `issuer.source` says so."""
    if rec.issuer.name:
        return
    org = next((s.organization for s in rec.signatures if s.organization and s.intact), None)
    if org:
        rec.issuer.name, rec.issuer.source = org, "signature"


def _fill(rec: Record, text: str) -> None:
    h = read_header(text)
    parsed = h.parsed
    if parsed and not h.type_word and not type_letters_hold(parsed, h.subject_line):
        parsed = as_letter(parsed)  # `0342/CT-TTHT` of a Cục Thuế: a công văn, its body `CT`
    rec.code = h.code
    if parsed:
        rec.number, rec.symbol, rec.system = parsed.number, parsed.symbol, parsed.system
    rec.doc_type = doc_type_of(h, parsed)
    rec.issued_date = h.issued_date or enacted_date(text)
    rec.place = h.place
    rec.issuer = issuer_from_header(h.issuer_lines, parsed, text) if (h.issuer_lines or parsed) else Issuer()
    rec.subject = h.subject
    rec.marks = h.marks
    rec.recipients = recipients(text)
    rec.signer = find_signer(text, h.body_line)
    if not rec.issuer.name and not h.issuer_lines:
        rec.issuer.name = _on_behalf_of(rec.signer.authority)
    rec.references = find_references(text, skip=(h.code_span,) if h.code_span else (), own_code=h.code)
    # Normative texts (numbered with their year) state rules and transitions, not tasks for a reader.
    normative = bool(parsed and parsed.year) or rec.doc_type in NORMATIVE_TYPES
    rec.deadlines = [] if normative else find_deadlines(text)
    rec.attachments = find_attachments(text)
