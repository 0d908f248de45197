"""The rows a page of search results shows, read from the catalog in one query.

A hit needs a document's header columns and its text (for the snippet), not the whole
record: one `SELECT … WHERE id IN (…)` with the text taken out of the record's JSON by
SQLite costs about half of reading and parsing each record in Python, one at a time."""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from index.search._snippets import SCAN

_COLUMNS = "id, code, doc_type, issued_date, issuer, subject, substr(json_extract(record, '$.text'), 1, ?)"


def hit_rows(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, dict]:
    """id → {id, code, doc_type, issued_date, issuer, subject, text} for the ids the catalog
    holds (a snippet looks for words in the first `SCAN` characters of a text and shows at most
    a few hundred beyond them, so no more are read)."""
    out: dict[str, dict] = {}
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), 500):  # SQLite limits the number of parameters of a statement
        chunk = ids[i:i + 500]
        rows = db.execute(f"SELECT {_COLUMNS} FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
                          [SCAN + 1000, *chunk])
        for doc_id, code, doc_type, issued, issuer, subject, text in rows:
            out[doc_id] = {"id": doc_id, "code": code, "doc_type": doc_type, "issued_date": issued,
                           "issuer": issuer, "subject": subject, "text": text or ""}
    return out
