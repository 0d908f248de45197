"""Tesseract's words, cleaned before layout reads them.

Two kinds of error would otherwise change the layout lines that `nlp/` reads:
- Specks of a copier or fax read as lone punctuation (`.`, `..`, `_`, `¬`) standing between
  the header's two columns: they fill the gap that tells the columns apart, or stretch a line
  to the wrong side of the page. Tesseract is unsure of them (confidence under ~55 on the seed
  scans, where printed dashes and stars score over 80): such a mark is dropped, and so is a
  mark with a wide gap to a word beside it. A list dash at the start of its row, or a mark
  alone on its row, stays.
- Slashes in italics: the subject opener `V/v` (Nghị định 30/2020, Hướng dẫn 36: the
  trích yếu of a công văn) is read `V⁄`, `V⁄%`, with the fraction slash and the `v` lost; the
  fraction slash is never meant in these documents' text.
"""
from __future__ import annotations

import re
from typing import Protocol

_FRACTION_SLASH = "\u2044"
_VV = re.compile(r"^[VW][/\u2044|][%vVy4]?$")


class Box(Protocol):
    text: str
    x0: float
    x1: float
    size: float


MARK_CONFIDENCE = 60.0  # Tesseract's 0-100 word confidence


def is_mark(text: str) -> bool:
    return not any(c.isalnum() for c in text)


def unsure_mark(text: str, confidence: float) -> bool:
    """A punctuation-only word that Tesseract is unsure of: a speck, not print."""
    return is_mark(text) and confidence < MARK_CONFIDENCE


def _lone_mark(row: list[Box], i: int) -> bool:
    w = row[i]
    if not is_mark(w.text) or len(row) == 1:
        return False
    room = max(x.size for x in row) or 12.0
    left_far = i > 0 and w.x0 - row[i - 1].x1 > room
    right_far = i < len(row) - 1 and row[i + 1].x0 - w.x1 > room
    return left_far or right_far


def clean_row(row: list[Box]) -> list[Box]:
    """A printed row's words (left to right) without speck marks, with OCR slips repaired."""
    kept = [w for i, w in enumerate(row) if not _lone_mark(row, i)]
    for k, w in enumerate(kept):
        if k == 0 and _VV.match(w.text):
            w.text = "V/v"
        elif _FRACTION_SLASH in w.text:
            w.text = w.text.replace(_FRACTION_SLASH, "/")
    return kept
