"""Plain text and Markdown files: decoding, markdown artefacts, legacy encodings."""
from __future__ import annotations

import re

from ingest.models import IngestError
from ingest.utf8 import mostly_utf8

# Texts pasted from web pages or converters carry emphasis markers and autolinks.
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_STARS_ONLY = re.compile(r"^\s*\*{2,}\s*$", re.M)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1258/cp1252 as a last resort."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise IngestError("binary data, not a text file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if (text := mostly_utf8(data)) is not None:  # a few stray bytes do not make it cp1258
        return text
    for codec in ("cp1258", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def strip_markdown(text: str) -> str:
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _STARS_ONLY.sub("", text)
    return text.replace("**", "")
