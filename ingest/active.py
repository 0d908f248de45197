"""Active content in a PDF: what a PDF viewer may run or unpack, as opposed to what it shows.

A file is flagged by the objects it is made of, never by its text: every object of the file
(object streams included, through pdfminer, which pdfplumber already brings) is looked at for

- `javascript`: an action of type /JavaScript or a /JS entry (document open, page, field or
  annotation actions, the /Names tree's /JavaScript);
- `attachments`: embedded files (/EmbeddedFiles, a file specification's /EF, an /EmbeddedFile
  stream) and file-attachment annotations;
- `launch`: a /Launch action (a viewer asked to start a program or open another file).

Such a file is still read and archived; its original is then only served as a download
(web/app.py). The words "JavaScript" printed in a letter's body are in a content stream, which
is never decoded here, so they do not flag it. Names are compared after pdfminer decodes their
`#xx` escapes (`/Java#53cript` is /JavaScript)."""
from __future__ import annotations

import re
from pathlib import Path

from pdfminer.psparser import PSLiteral

KINDS = ("javascript", "attachments", "launch")
MAX_OBJECTS = 500_000  # a bound on the walk; a real letter has a few thousand objects
MAX_DEPTH = 32         # nesting of inline dictionaries and arrays inside one object


def _name(value: object) -> str | None:
    return value.name if isinstance(value, PSLiteral) else None


def _kinds_of_dict(d: dict) -> set[str]:
    found: set[str] = set()
    action = _name(d.get("S"))
    if "JS" in d or action == "JavaScript" or "JavaScript" in d:
        found.add("javascript")
    if action == "Launch":
        found.add("launch")
    if "EmbeddedFiles" in d or "EF" in d or _name(d.get("Type")) == "EmbeddedFile" \
            or _name(d.get("Subtype")) == "FileAttachment":
        found.add("attachments")
    return found


def _walk(obj: object, found: set[str], depth: int = 0) -> None:
    """Inline dictionaries and arrays of one object; references are objects of their own,
    visited by the caller, so nothing here follows them."""
    if depth > MAX_DEPTH:
        return
    attrs = getattr(obj, "attrs", None)  # a stream: its dictionary, never its data
    if isinstance(attrs, dict):
        obj = attrs
    if isinstance(obj, dict):
        found |= _kinds_of_dict(obj)
        for value in obj.values():
            if isinstance(value, (dict, list)):
                _walk(value, found, depth + 1)
    elif isinstance(obj, list):
        for value in obj:
            if isinstance(value, (dict, list)):
                _walk(value, found, depth + 1)


def _by_objects(path: Path) -> set[str]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    found: set[str] = set()
    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        seen: set[int] = set()
        for xref in doc.xrefs:
            for objid in xref.get_objids():
                if objid in seen:
                    continue
                seen.add(objid)
                if len(seen) > MAX_OBJECTS:
                    return found
                try:
                    obj = doc.getobj(objid)
                except Exception:  # one damaged object: the others are still looked at
                    continue
                _walk(obj, found)
        for xref in doc.xrefs:  # the trailer may hold the catalog inline in a damaged file
            _walk(getattr(xref, "trailer", None), found)
    return found


_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.S)
_NAME = re.compile(rb"/((?:[^\s/<>\[\]()%{}#]|#[0-9A-Fa-f]{2})+)")
_RAW_KINDS = {"JavaScript": "javascript", "JS": "javascript", "EmbeddedFiles": "attachments",
              "EmbeddedFile": "attachments", "EF": "attachments", "FileAttachment": "attachments",
              "Launch": "launch"}


def _by_names(data: bytes) -> set[str]:
    """For a file pdfminer cannot open: the names outside stream data, `#xx` decoded."""
    found = set()
    for m in _NAME.finditer(_STREAM.sub(b" ", data)):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), m.group(1))
        kind = _RAW_KINDS.get(name.decode("latin-1"))
        if kind:
            found.add(kind)
    return found


def active_content(path: str | Path) -> list[str]:
    """The kinds of active content in the PDF at PATH, in `KINDS` order; [] for none."""
    path = Path(path)
    try:
        found = _by_objects(path)
    except Exception:  # a file pdfminer cannot open: look at its raw names instead
        try:
            found = _by_names(path.read_bytes())
        except OSError:
            found = set()
    return [k for k in KINDS if k in found]
