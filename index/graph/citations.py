"""The keys that join a citation to a document: the place that joins a local authority's key,
from what `nlp` read of the citation (`Reference.place`, `place_level`) and of the citing
letter. Nothing here reads a document's text for meaning: the relation a text states and what
it says a cited document is about are the Reference's own fields (`nlp.references.describe`);
this module stores and joins them. `rekey` brings an archive written by older code to the
current rules (`CATALOG_VERSION`), on open or with `congvan reindex`."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from index.graph.lookup import CODE_TERMS_SCHEMA, store_code
from nlp.codes import LOCAL_AUTHORITIES, canonical_key, parse_code
from nlp.models import Record, Reference
from nlp.places import PROVINCIAL_CODES, body_place, clean_place, province, provinces_in, slug

PLACES_SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_places (
    id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    place TEXT,
    province TEXT
);
CREATE INDEX IF NOT EXISTS doc_places_place ON doc_places(place);
-- covering: `CitationGraph.province_of` counts a place's provinces from the index alone
CREATE INDEX IF NOT EXISTS doc_places_place_province ON doc_places(place, province);
"""

CITATIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS citations (
    src TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT,
    about TEXT,
    PRIMARY KEY (src, ord)
);
CREATE INDEX IF NOT EXISTS documents_sha256_part ON documents(sha256, part);
""" + PLACES_SCHEMA + CODE_TERMS_SCHEMA + """
-- Covering indexes for a directive that thousands of letters cite (`index.graph.traversal`): its
-- citations read from the key index alone, and what grouping needs of each citing letter (date,
-- code, issuer, place) without reading its ~3 KB row. `refs_key` (key alone) is replaced by the
-- covering one; an older catalog gets them on its next writable open.
DROP INDEX IF EXISTS refs_key;
CREATE INDEX IF NOT EXISTS refs_key_cited ON refs(key, src, ord, code, doc_type, date, issuer, relation);
CREATE UNIQUE INDEX IF NOT EXISTS documents_citer ON documents(id, issued_date, code, issuer);
CREATE UNIQUE INDEX IF NOT EXISTS doc_places_citer ON doc_places(id, place, province);
"""



@dataclass(frozen=True)
class Where:
    """Where an issuing body sits: its own unit (a district, or the province for a provincial
    body) and the province that unit lies in (None when the letter does not say)."""
    place: str | None
    province: str | None


def province_in(name: str | None) -> str | None:
    """The province named in an issuing body's name (`UBND TỈNH QUẢNG NINH`), or None."""
    level, place = body_place(name)
    return place if level == "province" else None


def document_where(rec: Record) -> Where:
    """The place of the body that issued `rec`: from its own header line (`HUYỆN ỦY X`, `UBND
    TỈNH Y`), else from the line above it (`SỞ Y TẾ` under `UBND TỈNH Y`), else the date line.
    A district's province comes from the line above (`TỈNH ỦY Y`) or the provinces its text
    names (`… của UBND tỉnh Y`)."""
    level, place = body_place(rec.issuer.name)
    p_level, p_place = body_place(rec.issuer.parent)
    if level == "province" and place:
        return Where(place, place)
    if level != "local" or not place:
        if p_level == "local" and p_place:  # a district's office: the district
            place, level = p_place, "local"
        elif p_place:
            return Where(p_place, p_place)
    if level == "local" and place:
        named = provinces_in(rec.text or "")
        prov = (p_place if p_level == "province" else None) or province(clean_place(rec.place)) or \
            (Counter(named).most_common(1)[0][0] if named else None)
        return Where(place, prov)
    dateline = clean_place(rec.place)
    known = province(dateline)
    if known:
        return Where(known, known)
    named = provinces_in(rec.text or "")
    return Where(dateline, Counter(named).most_common(1)[0][0] if named else None)


def document_place(rec: Record) -> str | None:
    """The place that joins the key of a document with a local authority code: the unit of its
    issuing body (the district for a district's letter, else the province)."""
    return document_where(rec).place


# Pure functions of a citation's code (and year, place), asked for every citation of every letter
# written or rekeyed: the same codes recur across letters, so they are worth remembering.
_cached_key = lru_cache(maxsize=100_000)(canonical_key)


@lru_cache(maxsize=100_000)
def is_local(code: str | None) -> bool:
    parsed = parse_code(code) if code else None
    return bool(parsed and parsed.authority and parsed.authority.upper() in LOCAL_AUTHORITIES)


def citation_place(ref: Reference, citing: Record, where: Where | None = None) -> str | None:
    """The place of a cited local authority: the one its `của …` names (`ref.place`, read by
    `nlp.references`: `Sở Y tế thành phố Đà Nẵng` is Đà Nẵng's, whoever cites it); else the
    citing letter's province when `của …` names a provincial body or the code is a provincial
    body's (`SYT`, `TU`, `BTGTU`…: a district letter citing them means its province's); else
    the citing letter's own place (`index.graph` may move it to a closer match at query time)."""
    if ref.place:
        return ref.place
    level = ref.place_level
    where = where or document_where(citing)
    parsed = parse_code(ref.code) if ref.code else None
    auth = parsed.authority.upper() if parsed and parsed.authority else ""
    if level == "province" or (level is None and auth in PROVINCIAL_CODES):
        return where.province or where.place
    return where.place


def citation_key(ref: Reference, citing: Record, where: Where | None = None) -> str:
    """The canonical key of a citation (SCHEMA.md). An undated citation gets the citing letter's
    year, which `index.graph` treats as an upper bound when it resolves the citation."""
    year = (ref.date or citing.issued_date or "")[:4] or None
    return _cached_key(ref.code or "", year, citation_place(ref, citing, where) if is_local(ref.code) else None)


def place_named(issuer: str | None) -> bool:
    """Whether a citation's `của …` names the place of the cited body (else its key's place
    is a guess that `index.graph` may improve)."""
    return body_place(issuer)[1] is not None


def store_place(db: sqlite3.Connection, rec: Record, where: Where | None = None) -> None:
    where = where or document_where(rec)
    db.execute("INSERT OR REPLACE INTO doc_places VALUES (?,?,?)",
               (rec.id, slug(where.place) if where.place else None,
                slug(where.province) if where.province else None))


def _documents(db: sqlite3.Connection, page: int = 1000):
    """(id, record) of every document, a page at a time: all records at once were ~1 GB at 100k."""
    last = 0
    while True:
        rows = db.execute("SELECT rowid, id, record FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?",
                          (last, page)).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield from ((doc_id, raw) for _, doc_id, raw in rows)


# Version of what the catalog derives from records (keys, relations, places, code terms): an
# archive written by older code is brought up to it on open (`migrate`). 2: relations, cited
# places and `about` read in `nlp` and stored with each reference; `code_terms` for lookups.
CATALOG_VERSION = "2"


def rekey(db: sqlite3.Connection) -> int:
    """Recompute every document's and citation's key from the stored records (after the rules
    that make keys change): documents, refs and places, in one transaction. What `nlp` reads of
    each reference (relation, cited place, `about`) is read again from the record's text, so a
    record written by older code gets it too. Returns the count."""
    from nlp.models import Record as _Record
    from nlp.references import describe
    n = 0
    db.execute("BEGIN IMMEDIATE")
    try:
        for doc_id, raw in _documents(db):
            try:
                rec = _Record.from_dict(json.loads(raw))
            except (ValueError, TypeError, KeyError):
                continue  # a row this code cannot read keeps its keys
            before = [(r.relation, r.place, r.place_level, r.about) for r in rec.references]
            describe(rec.text or "", rec.references)
            if before != [(r.relation, r.place, r.place_level, r.about) for r in rec.references]:
                db.execute("UPDATE documents SET record = ? WHERE id = ?",
                           (json.dumps(rec.to_dict(), ensure_ascii=False), doc_id))
            where = document_where(rec)
            year = rec.issued_date[:4] if rec.issued_date else None
            key = canonical_key(rec.code, year, where.place) if rec.code else None
            db.execute("UPDATE documents SET key = ? WHERE id = ?", (key, doc_id))
            store_code(db, rec.code)
            for i, ref in enumerate(rec.references):
                if ref.code:
                    db.execute("UPDATE refs SET key = ?, relation = ? WHERE src = ? AND ord = ?",
                               (citation_key(ref, rec, where), ref.relation, doc_id, i))
                    db.execute("UPDATE citations SET about = ? WHERE src = ? AND ord = ?", (ref.about, doc_id, i))
                    store_code(db, ref.code)
            store_place(db, rec, where)
            n += 1
        db.execute("INSERT OR REPLACE INTO meta VALUES ('catalog.version', ?)", (CATALOG_VERSION,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return n


def migrate(db: sqlite3.Connection) -> bool:
    """Bring a catalog written by older code to `CATALOG_VERSION` (once; True when it ran). A
    new catalog is marked current at once."""
    row = db.execute("SELECT value FROM meta WHERE name = 'catalog.version'").fetchone()
    if row is not None and row[0] == CATALOG_VERSION:
        return False
    if db.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('catalog.version', ?)", (CATALOG_VERSION,))
        return False
    try:
        rekey(db)
    except sqlite3.OperationalError:  # read-only, or a writer holds it: the next open tries again
        return False
    return True


def store_citations(db: sqlite3.Connection, rec: Record, where: Where | None = None) -> None:
    """The words of each citation of `rec` (for documents known only by citation), and where
    its issuing body sits (for resolving local codes; `where` when the caller has it)."""
    store_place(db, rec, where)
    store_code(db, rec.code)
    db.execute("DELETE FROM citations WHERE src = ?", (rec.id,))
    for i, ref in enumerate(rec.references):
        if not ref.code:
            continue
        store_code(db, ref.code)
        db.execute("INSERT OR REPLACE INTO citations VALUES (?,?,?,?)", (rec.id, i, ref.text, ref.about))
