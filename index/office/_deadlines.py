"""What is due (issue 19): every dated obligation the archive's letters set (the record's
`deadlines`, read by `nlp.deadlines`), with the letter it comes from and the letters that
answer it (index/office/_answers.py), filtered and sorted by date. One letter is one list of
obligations: its copies (index/letters.py) fold into it.

The obligations are a table of the catalog, written with each document (`store`) and filled
once from the stored records for a catalog written before it existed (`migrate`); a catalog
on read-only media without it is read from the records themselves (slower, same answer).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from index.catalog import obligations_source
from index.dedup import Letters
from index.office._answers import answered_by, ref_doc
from index.search import folded_tokens, parse_date

_CHUNK = 900


def day(value: str | None, end: bool = False) -> str | None:
    """A date as typed (`15/9/2025`, `2025-09-15`, `9/2025`, `2025`) as an ISO bound: the first
    day it covers, or with `end` the last (`2025-09-99`, which sorts after every day of it).
    Raises `QueryError` with a Vietnamese message on anything else."""
    if value is None or not value.strip():
        return None
    n = parse_date(value, end=end)
    return f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"


@dataclass
class DeadlineFilter:
    since: str | None = None     # ISO bounds, as `day` gives them
    until: str | None = None
    overdue: bool = False        # only dates before `today`
    open_only: bool = False      # only what no later letter answers
    issuer: str | None = None    # words of the issuer's name, with or without diacritics
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Obligation:
    date: str
    text: str
    document: dict
    answered_by: list[dict]
    today: dt.date

    @property
    def overdue(self) -> bool:
        """Past its date with no answer."""
        return self.date < self.today.isoformat() and not self.answered_by

    def to_dict(self) -> dict:
        return {"date": self.date, "text": self.text, "document": self.document, "answered_by": self.answered_by}


@dataclass
class Deadlines:
    items: list[Obligation]

    def to_dict(self) -> dict:
        return {"deadlines": [o.to_dict() for o in self.items]}

    def to_ics(self, url_base: str | None = None) -> bytes:
        """The iCalendar file of these obligations (index/office/_ics.py), links to the page at `url_base`."""
        from index.office._ics import DEFAULT_URL_BASE, calendar  # the calendar library only for this export
        return calendar(self.items, url_base or DEFAULT_URL_BASE)


_DOC = ("d.id AS id, d.key AS key, d.code AS code, d.doc_type AS doc_type, d.issued_date AS issued_date, "
        "d.subject AS subject, d.issuer AS issuer, json_extract(d.record, '$.issuer.parent') AS parent")


def _documents(db: sqlite3.Connection, ids: list[str]) -> dict[str, sqlite3.Row]:
    out: dict[str, sqlite3.Row] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        for row in db.execute(f"SELECT {_DOC} FROM documents d WHERE d.id IN ({','.join('?' * len(chunk))})", chunk):
            out[row["id"]] = row
    return out


def find(db: sqlite3.Connection, letters: Letters, f: DeadlineFilter,
         answers: Callable[[list[str]], dict[str, list[dict]]] | None = None) -> Deadlines:
    """The obligations that pass `f`, by date (then the letter's code), one per letter and date."""
    where, args = ["date IS NOT NULL"], []
    if f.since:
        where.append("date >= ?")
        args.append(f.since)
    if f.until:
        where.append("date <= ?")
        args.append(f.until)
    if f.overdue:
        where.append("date < ?")
        args.append(f.today.isoformat())
    rows = db.execute(f"SELECT id, date, text FROM {obligations_source(db)} WHERE {' AND '.join(where)} "
                      "ORDER BY date, id", args).fetchall()
    by_letter: dict[tuple[str, str], str] = {}
    for doc_id, date, text in rows:  # a copy's words only where the representative has none for that date
        rep = letters.representative(doc_id)
        if doc_id == rep or (rep, date) not in by_letter:
            by_letter[(rep, date)] = text
    docs = _documents(db, sorted({rep for rep, _ in by_letter}))
    if f.issuer:
        wanted = set(folded_tokens(f.issuer))
        docs = {i: d for i, d in docs.items()
                if wanted <= set(folded_tokens(" ".join(x for x in (d["issuer"], d["parent"]) if x)))}
    keep = [(rep, date, text) for (rep, date), text in by_letter.items() if rep in docs]
    answered = (answers or (lambda ids: answered_by(db, letters, ids)))(sorted({rep for rep, _, _ in keep}))
    items = [Obligation(date, text, ref_doc(docs[rep]), answered.get(rep, []), f.today) for rep, date, text in keep]
    if f.open_only:
        items = [o for o in items if not o.answered_by]
    items.sort(key=lambda o: (o.date, o.document["code"] or "", o.document["id"]))
    return Deadlines(items)


def asks(db: sqlite3.Connection, letters: Letters, doc_id: str) -> bool:
    """Whether the letter of DOC_ID (any of its copies) sets an obligation on its reader."""
    rep = letters.representative(doc_id)
    ids = [rep] + [c.id for c in letters.copies.get(rep, [])]
    src = obligations_source(db)
    marks = ",".join("?" * len(ids))
    return db.execute(f"SELECT 1 FROM {src} WHERE id IN ({marks}) AND date IS NOT NULL LIMIT 1", ids).fetchone() \
        is not None

