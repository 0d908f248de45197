"""Text of one document (`Extracted`) → `Record`: header fields, references, deadlines."""
from __future__ import annotations

import hashlib
import re

from ingest.models import Extracted
from ingest.normalize import unify_tones
from ingest.split import is_motto
from nlp.codes import compact, parse_code
from nlp.dates import DATE_LINE, NUMERIC, WORDY, find_dates, iso
from nlp.doctypes import TYPE_WORDS
from nlp.models import Deadline, Issuer, Record, Reference, Signer

CODE = r"\d*[a-z]?\s*[-/]\s*(?:(?:19|20)\d\d\s*/\s*)?[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s*[-/]\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*"
NUMBER_LINE = re.compile(rf"^\s*S\s*ố\s*:?\s*(?P<code>{CODE})", re.M)
TYPE_ALT = "|".join(re.escape(t) for t in TYPE_WORDS)
REFERENCE = re.compile(
    rf"(?P<type>{TYPE_ALT}|văn bản)?\s*(?:số\s*:?\s*)?(?P<code>(?<![\w/-])\d+[a-z]?\s*[-/]\s*"
    rf"(?:(?:19|20)\d\d\s*/\s*)?[A-ZĐ][A-Za-zĐđ0-9&]*(?:[-/][A-ZĐ][A-Za-zĐđ0-9&]*)+)",
    re.I,
)
AUTHORITY = re.compile(r"^(K/?T\.?|KT\.|T/?M\.?|TM\.|T/?L\.?|TL\.|TUQ\.|Q\.)\s*\S", re.I)
DEADLINE = re.compile(r"(?:trước|chậm nhất|hạn chót|không muộn hơn|đến hết)\s+(?:ngày\s+)?", re.I)


def record_id(text: str, part: int) -> str:
    digest = hashlib.sha256(unify_tones(" ".join(text.split())).encode()).hexdigest()[:16]
    return f"{digest}-{part}"


def _header_lines(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if line.strip().lower().startswith(("kính gửi", "căn cứ")):
            return lines[:i]
    return lines[:25]


def _issuer(header: list[str], code: str | None) -> Issuer:
    body: list[str] = []
    for line in header:
        s = line.strip().strip("*").strip()
        if not s:
            if body:
                break
            continue
        if is_motto(s) or s.lower().startswith(("số", "v/v")) or DATE_LINE.search(s):
            break
        if any(c.isalpha() for c in s) and s == s.upper():
            body.append(s)
        elif body:
            break
    parsed = parse_code(code) if code else None
    authority = parsed.authority if parsed else None
    if not body:
        return Issuer(None, None, authority)
    if len(body) >= 2 and body[0].startswith(("BAN CHẤP HÀNH", "TỈNH ỦY", "THÀNH ỦY", "UBND", "ĐẢNG ỦY")):
        return Issuer(" ".join(body[1:]), body[0], authority)
    return Issuer(" ".join(body), None, authority)


def _subject(header: list[str]) -> str | None:
    for i, line in enumerate(header):
        s = line.strip()
        if s.lower().startswith("v/v"):
            parts = [s[3:].strip(" :")]
            for nxt in header[i + 1:]:
                if not nxt.strip():
                    break
                parts.append(nxt.strip())
            return " ".join(" ".join(parts).split()) or None
    return None


def _recipients(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        m = re.match(r"^\s*Kính\s+gửi\s*:?\s*(.*)$", line, re.I)
        if not m:
            continue
        items: list[str] = []
        buf = m.group(1).strip()
        for nxt in lines[i + 1:]:
            s = nxt.strip()
            if not s:
                break
            if s.startswith(("-", "–", "+")) or not buf:
                if buf:
                    items.append(buf)
                buf = s
            else:
                buf += " " + s
        if buf:
            items.append(buf)
        return [x.strip(" -–+,;.") for x in items if x.strip(" -–+,;.")]
    return []


def _signer(lines: list[str]) -> Signer:
    for i in range(len(lines) - 1, -1, -1):
        s = lines[i].strip()
        if AUTHORITY.match(s):
            rest = [x.strip() for x in lines[i + 1:] if x.strip()]
            position = rest[0].capitalize() if len(rest) >= 2 else None
            name = rest[1] if len(rest) >= 2 else (rest[0] if rest else None)
            return Signer(name, position, s)
    return Signer()


def _references(text: str, own_code: str | None) -> list[Reference]:
    refs: list[Reference] = []
    for m in REFERENCE.finditer(text):
        code = compact(m.group("code"))
        if own_code and code == own_code:
            continue
        parsed = parse_code(code)
        if parsed is None:
            continue
        tail = text[m.end(): m.end() + 80]
        when = None
        dm = re.match(r"\s*,?\s*(?:ngày\s*)?", tail)
        dates = find_dates(tail[: 40])
        if dm and dates and dates[0][0] <= dm.end() + 1:
            when = dates[0][2]
        issuer_m = re.search(r"^[^;.]*?\bcủa\s+([^;,.]+?)(?:\s+về\b|[;,.]|$)", tail)
        doc_type = m.group("type")
        doc_type = doc_type[0].upper() + doc_type[1:] if doc_type else parsed.doc_type
        if doc_type and doc_type.lower() == "văn bản":
            doc_type = "văn bản"
        refs.append(Reference(
            text=text[m.start(): m.end()].strip(), code=code, doc_type=doc_type, date=when,
            issuer=issuer_m.group(1).strip() if issuer_m else None, start=m.start(), end=m.end(),
        ))
    return refs


def _deadlines(text: str) -> list[Deadline]:
    out: list[Deadline] = []
    for m in DEADLINE.finditer(text):
        window = text[m.end(): m.end() + 40]
        for rx in (NUMERIC, WORDY):
            dm = rx.match(window) or rx.match("ngày " + window)
            if dm:
                value = iso(dm.group("y"), dm.group("m"), dm.group("d"))
                if value and value not in {d.date for d in out}:
                    out.append(Deadline(value, text[m.start(): m.end() + dm.end()].strip()))
                break
    return out


def parse(doc: Extracted) -> Record:
    """The record of one extracted document."""
    text = doc.text
    lines = text.split("\n")
    header = _header_lines(lines)
    m = NUMBER_LINE.search("\n".join(header))
    code = compact(m.group("code")) if m else None
    parsed = parse_code(code) if code else None
    date_m = DATE_LINE.search("\n".join(header))
    issued = iso(date_m.group("y"), date_m.group("m"), date_m.group("d")) if date_m else None
    place = date_m.group("place").strip(" *") if date_m else None
    subject = _subject(header)
    doc_type = parsed.doc_type if parsed else None
    if doc_type is None and subject:
        doc_type = "Công văn"
    return Record(
        id=record_id(text, doc.source.part),
        source=doc.source.to_dict(),
        text=text,
        code=code,
        number=parsed.number if parsed else None,
        symbol=parsed.symbol if parsed else None,
        system=parsed.system if parsed else None,
        doc_type=doc_type,
        issued_date=issued,
        place=place,
        issuer=_issuer(header, code),
        subject=subject,
        recipients=_recipients(lines),
        signer=_signer(lines),
        references=_references(text, code),
        deadlines=_deadlines(text),
    )
