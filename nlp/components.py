"""The readers of a letter as spaCy pipeline components.

Each component runs one reader (header, issuer, recipients, signer, references, deadlines,
attachments) on `doc.text`, writes its part of the record on `doc._.record`, and notes where
its answer is printed in `doc._.findings` as (start, end, label, code); the last one,
`congvan_spans`, cuts the tokens at those edges and puts the findings on `doc.spans["record"]`
(all of them) and `doc.ents` (the view without overlaps). The record and the entity view come
from the same pass.

A component that fails on an odd text logs it and leaves its part empty: the others still
read (one bad field never loses the rest)."""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from nlp.attachments import find_attachments
from nlp.codes import Code, as_letter, type_letters_hold
from nlp.deadlines import find_deadlines
from nlp.header import Header, enacted_date, read_header, recipients
from nlp.issuer import issuer_from_header
from nlp.locate import code_at, date_at, line_offset, phrase_at
from nlp.models import Issuer
from nlp.references import find_references
from nlp.signer import find_signer
from text.letter_parts import DEPUTISING, SIGNED_FOR

log = logging.getLogger(__name__)

NORMATIVE_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh", "Nghị định", "Thông tư", "Thông tư liên tịch",
                   "Văn bản hợp nhất"}

# Entity labels, one per field of the record that is printed; the order is the precedence
# where two overlap: references first, they are the links a reader follows.
LABELS = ("DOC_REF", "DEADLINE", "DOC_CODE", "DATE", "LOC", "ORG", "SUBJECT", "RECIPIENT", "PERSON")
_RANK = {label: k for k, label in enumerate(LABELS)}

for _name in ("record", "header", "parsed", "findings"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _guarded(fn: Callable[[Doc], None]) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        if doc.user_data.get(_RECORD_KEY) is None:
            return doc
        doc.user_data.setdefault(_FINDINGS_KEY, [])
        try:
            fn(doc)
        except Exception:  # one odd document must not stop a batch
            src = doc._.record.source or {}
            log.exception("%s failed for %s part %s", fn.__name__, src.get("path"), src.get("part"))
        return doc

    component.__name__ = fn.__name__
    component.__doc__ = fn.__doc__
    return component


# the extensions' slots in `Doc.user_data` (spaCy's layout), read directly on the hot path:
# each `doc._` builds a fresh accessor object
_RECORD_KEY = ("._.", "record", None, None)
_FINDINGS_KEY = ("._.", "findings", None, None)


def _find(doc: Doc, where: tuple[int, int] | None, label: str, code: str | None = None) -> None:
    if where and where[0] < where[1]:
        doc.user_data[_FINDINGS_KEY].append((where[0], where[1], label, code))


def _header_end(doc: Doc) -> int:
    h = doc._.header
    return line_offset(doc._.record.text, h.body_line) if h is not None else len(doc._.record.text)


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


def _on_behalf_of(authority: str | None) -> str | None:
    """`TM. CHÍNH PHỦ KT. THỦ TƯỚNG`: the body a signer signs for (`thay mặt`) names the issuer
    where the header is missing (a gazette page whose header is an image)."""
    m = re.match(rf"(?:{SIGNED_FOR})\s*(.+?)(?:\s+(?:{DEPUTISING}).*)?$", authority or "")
    return m.group(1).strip() if m else None


@_guarded
def header(doc: Doc) -> None:
    """Number and symbol, type, date and place, subject, stamps."""
    rec = doc._.record
    text = rec.text
    h = doc._.header = read_header(text)
    parsed = h.parsed
    if parsed and not h.type_word and not type_letters_hold(parsed, h.subject_line):
        parsed = as_letter(parsed)  # `0342/CT-TTHT` of a Cục Thuế: a công văn, its body `CT`
    doc._.parsed = parsed  # the code as the record reads it, for the issuer and the deadlines
    rec.code = h.code
    if parsed:
        rec.number, rec.symbol, rec.system = parsed.number, parsed.symbol, parsed.system
    rec.doc_type = doc_type_of(h, parsed)
    rec.issued_date = h.issued_date or enacted_date(text)
    rec.place = h.place
    rec.subject = h.subject
    rec.marks = h.marks
    end = _header_end(doc)
    if rec.code:
        lo, hi = h.code_span or (0, None)
        _find(doc, phrase_at(text, rec.code, lo, hi) or code_at(text, rec.code, lo, hi) or phrase_at(text, rec.code),
              "DOC_CODE")
    date = date_at(text, rec.issued_date, 0, end) or date_at(text, rec.issued_date)
    if date:
        _find(doc, date, "DATE")
        if rec.place:  # `Hà Nội, ngày …`: the place is printed on the date's line, before it
            _find(doc, phrase_at(text, rec.place, text.rfind("\n", 0, date[0]) + 1, date[0], last=True), "LOC")
    if rec.subject:
        _find(doc, phrase_at(text, rec.subject, 0, end) or phrase_at(text, rec.subject), "SUBJECT")


@_guarded
def issuer(doc: Doc) -> None:
    """The issuing body from the header's capitals (or the code's body letters)."""
    h, rec, parsed = doc._.header, doc._.record, doc._.parsed
    rec.issuer = (issuer_from_header(h.issuer_lines, parsed, rec.text) if h and (h.issuer_lines or parsed)
                  else Issuer())
    if rec.issuer.name:
        _find(doc, phrase_at(rec.text, rec.issuer.name, 0, _header_end(doc)) or phrase_at(rec.text, rec.issuer.name),
              "ORG")


@_guarded
def addressees(doc: Doc) -> None:
    """Who the letter is sent to (`Kính gửi: …`)."""
    rec = doc._.record
    text = rec.text
    rec.recipients = recipients(text)
    after = max(text.find("Kính gửi"), 0)
    for r in rec.recipients:
        _find(doc, phrase_at(text, r, after), "RECIPIENT")


@_guarded
def signer(doc: Doc) -> None:
    """The signing block; its `TM. …` names the issuer where the header does not."""
    rec, h = doc._.record, doc._.header
    text = rec.text
    rec.signer = find_signer(text, h.body_line if h else 0)
    if not rec.issuer.name and not (h and h.issuer_lines):
        rec.issuer.name = _on_behalf_of(rec.signer.authority)
    if rec.signer.name:
        _find(doc, phrase_at(text, rec.signer.name, last=True), "PERSON")


@_guarded
def references(doc: Doc) -> None:
    """Documents cited, with their offsets."""
    h, rec = doc._.header, doc._.record
    text = rec.text
    skip = (h.code_span,) if h and h.code_span else ()
    rec.references = find_references(text, skip=skip, own_code=h.code if h else None)
    for ref in rec.references:
        if 0 <= ref.start < ref.end <= len(text):
            _find(doc, (ref.start, ref.end), "DOC_REF", ref.code)


@_guarded
def deadlines(doc: Doc) -> None:
    """Dated tasks for the reader; normative texts (numbered with their year) state rules and
    transitions, not tasks."""
    rec, parsed = doc._.record, doc._.parsed
    normative = bool(parsed and parsed.year) or rec.doc_type in NORMATIVE_TYPES
    rec.deadlines = [] if normative else find_deadlines(rec.text)
    for d in rec.deadlines:
        _find(doc, phrase_at(rec.text, d.text), "DEADLINE")


@_guarded
def attachments(doc: Doc) -> None:
    """What the letter sends along."""
    doc._.record.attachments = find_attachments(doc._.record.text)


def _cut(doc: Doc, edges: list[int]) -> tuple[Doc, list[tuple[int, int]]]:
    """The same text with a token edge at every offset of `edges` (sorted; tokens split, none
    merged), and the (start, end) offsets of its tokens."""
    text = doc._.record.text if doc._.record is not None else doc.text  # Doc.text joins the tokens
    words: list[str] = []
    spaces: list[bool] = []
    bounds: list[tuple[int, int]] = []
    split = False
    for tok in doc:
        a = tok.idx
        b = a + len(tok)
        k = bisect_right(edges, a)
        cuts = [a]
        while k < len(edges) and edges[k] < b:
            cuts.append(edges[k])
            k += 1
        split = split or len(cuts) > 1
        cuts.append(b)
        for x, y in zip(cuts, cuts[1:]):
            words.append(text[x:y])
            spaces.append(False)
            bounds.append((x, y))
        spaces[-1] = bool(tok.whitespace_)
    if not split:
        return doc, bounds
    out = Doc(doc.vocab, words=words, spaces=spaces)
    out.user_data.update(doc.user_data)  # the custom extensions (record, header, findings)
    return out, bounds


def spans(doc: Doc) -> Doc:
    """The findings as `doc.spans["record"]` and, without overlaps, `doc.ents`."""
    found = doc._.findings or []
    doc, bounds = _cut(doc, sorted({e for a, b, _, _ in found for e in (a, b)}))
    by_char = {a: i for i, (a, _) in enumerate(bounds)}
    by_end = {b: i + 1 for i, (_, b) in enumerate(bounds)}
    group = [Span(doc, by_char[a], by_end[b], label=label, kb_id=code or "") for a, b, label, code in found
             if a in by_char and b in by_end]
    doc.spans["record"] = SpanGroup(doc, name="record", spans=group)
    chosen: list[Span] = []
    taken = bytearray(len(doc))  # tokens already under a chosen span
    for s in sorted(group, key=lambda s: _RANK[s.label_]):  # stable: text order within a label
        if not any(taken[s.start:s.end]):
            chosen.append(s)
            taken[s.start:s.end] = b"\x01" * (s.end - s.start)
    doc.ents = sorted(chosen, key=lambda s: s.start)
    return doc


_STEPS = (("congvan_header", header), ("congvan_issuer", issuer), ("congvan_recipients", addressees),
          ("congvan_signer", signer), ("congvan_references", references), ("congvan_deadlines", deadlines),
          ("congvan_attachments", attachments), ("congvan_spans", spans))
for _name, _fn in _STEPS:
    Language.component(_name, func=_fn)

COMPONENTS = tuple(name for name, _ in _STEPS)
SPANS_STEP = "congvan_spans"  # the findings as spans: the entity view's step, not the record's
