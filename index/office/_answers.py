"""Answered or not (issue 19): which later letters answer a letter that asks for something.

A letter B *answers* a letter A when B is dated after A (its issue date is later on every
part both print: `2025-09` is not known to be after `2025-09-10`), is not a copy of A, and
either says that it answers A (`Trả lời Công văn số …`, `Phúc đáp …`: the reference relation
`answers` that `nlp.references` reads), or cites A in any way and comes from one of A's
recipients (`nlp.bodies.addressed_to`: the issuer of B among A's `Kính gửi`). Who cites
whom is the citation graph's answer (`CitationGraph.citing`: undated citations and the
places of local codes resolved as `cited-by` resolves them). Copies of A count as A, and
copies of one answering letter are one answer. See docs/deadlines.md for what it cannot know.
"""
from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from index.dedup import Letters
from index.graph import CitationGraph
from nlp.bodies import addressed_to

# mentions that say nothing of an answer: a cover letter sending A along
_NOT_CITING = {"forwards"}
_CHUNK = 900


def is_later(b: str | None, a: str | None) -> bool:
    """Whether date `b` is after date `a`, on the parts both print (ISO, as precise as printed)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return b[:n] > a[:n]


def _rows(db: sqlite3.Connection, ids: Iterable[str], columns: str) -> dict[str, sqlite3.Row]:
    todo = list(dict.fromkeys(ids))
    out: dict[str, sqlite3.Row] = {}
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i:i + _CHUNK]
        for row in db.execute(f"SELECT {columns} FROM documents d LEFT JOIN doc_places p ON p.id = d.id "
                              f"WHERE d.id IN ({','.join('?' * len(chunk))})", chunk):
            out[row["id"]] = row
    return out


_ASKER = ("d.id AS id, d.key AS key, d.issued_date AS issued_date, "
          "json_extract(d.record, '$.recipients') AS recipients")
_ANSWERER = ("d.id AS id, d.key AS key, d.code AS code, d.doc_type AS doc_type, d.issued_date AS issued_date, "
             "d.subject AS subject, d.issuer AS issuer, json_extract(d.record, '$.issuer.parent') AS parent, "
             "json_extract(d.record, '$.issuer.code') AS issuer_code, p.place AS place")


def ref_doc(row: sqlite3.Row) -> dict:
    """SCHEMA.md's ref-doc, with the issuer's name (added, as `cited-by` adds it)."""
    return {"id": row["id"], "key": row["key"], "code": row["code"], "doc_type": row["doc_type"],
            "issued_date": row["issued_date"], "subject": row["subject"], "issuer": row["issuer"]}


@contextmanager
def _acyclic() -> Iterator[None]:
    """Rows, sets and dicts of tens of thousands of letters, none in a cycle: the cyclic
    collector would walk them again and again and free nothing (as in index/graph.py)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def answered_by(db: sqlite3.Connection, letters: Letters, letter_ids: Iterable[str]) -> dict[str, list[dict]]:
    """For each letter (its representative's id), the ref-docs of the letters that answer it,
    oldest first, copies folded; letters nobody answers map to `[]`."""
    with _acyclic():
        return _answered_by(db, letters, list(letter_ids))


def _answered_by(db: sqlite3.Connection, letters: Letters, letter_ids: list[str]) -> dict[str, list[dict]]:
    reps = list(dict.fromkeys(letters.representative(i) for i in letter_ids))
    members = {rep: [rep] + [c.id for c in letters.copies.get(rep, [])] for rep in reps}
    askers = _rows(db, (m for ms in members.values() for m in ms), _ASKER)
    graph = CitationGraph(db)
    graph.docs(askers)  # one read for all, and `citing` given the row reads no family it does not need
    found: dict[str, dict[str, set[str]]] = {}  # rep → citing id → relations
    for rep, ids in members.items():
        cites: dict[str, set[str]] = {}
        for i in ids:
            doc = graph.doc(i)
            if doc is None or not doc["key"]:
                continue
            for src, rels in graph.citing(doc["key"], doc).items():
                cites.setdefault(src, set()).update(rels)
        found[rep] = {s: r - _NOT_CITING for s, r in cites.items() if r - _NOT_CITING}
    answerers = _rows(db, (s for c in found.values() for s in c), _ANSWERER)
    out: dict[str, list[dict]] = {}
    for rep, cites in found.items():
        asker = askers.get(rep)
        if asker is None:
            out[rep] = []
            continue
        recipients: list[str] = []
        for i in members[rep]:  # what any copy read of its addressees
            for r in json.loads(askers[i]["recipients"] or "[]") if i in askers else []:
                if r not in recipients:
                    recipients.append(r)
        docs = []
        for src, rels in cites.items():
            b = answerers.get(src)
            if b is None or letters.representative(src) == rep or not is_later(b["issued_date"], asker["issued_date"]):
                continue
            if "answers" in rels or addressed_to(recipients, b["issuer"], b["parent"], b["issuer_code"], b["place"]):
                docs.append(ref_doc(b))
        docs.sort(key=lambda d: (d["issued_date"] or "", d["code"] or "", d["id"]))
        out[rep] = letters.fold_docs(docs)
    return out
