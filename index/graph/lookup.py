"""A code as a person types it → the document it opens, and the others it also names.

One resolver for `show`, `refs`, `cited-by`, `trace` and the web page's search box. In order:
a document id; an exact canonical key (`57-KL/TW@2023`, `1337-CV/BTGTU@2024#hung-yen`); then
the code itself, without the place and year that keys carry, in any spelling
(`index.graph.codequery`: `08-CT/TU` = `8-CT/TU` = `8/CT-TU` = `8 ct tu`, `TTDN` for `TTĐN`, `kl 57`):
every printed code of a document or a citation is stored with its spelling-free form in
`code_terms`, so a typed code meets the documents of every place and year that print it.

Where several letters carry the code (`-CV/TU` of every provincial committee, numbers that
restart each year), the most likely opens: the year asked (`@2024` or a code that carries its
year), then the newest, then the most cited; `others` lists the rest in that order. Copies of
one letter (`index.dedup.copies`) count once, through the copy that stands for the letter."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from index.graph.codequery import candidates, code_parts, parse_code_query
from nlp.codes import code_key, key_code, parse_code

CODE_TERMS_SCHEMA = """
CREATE TABLE IF NOT EXISTS code_terms (
    term TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (term, code)
) WITHOUT ROWID;
"""
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class Lookup:
    """What a typed code names: `key` the node to open (the document's canonical key, or the
    code of a document known only by citation), `doc_id` the archived document (None when it
    is known only by citation), `others` the ids of the other archived letters it also names,
    most likely first."""
    typed: str
    key: str
    doc_id: str | None
    others: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """What the citation graph is asked about: the document's id, else the node's key."""
        return self.doc_id or self.key


def code_term(code: str) -> str:
    """The spelling-free form of a code: `08-CT/TU` and `8/CT-TU` → `8|CT|TU`."""
    return "|".join(code_parts(key_code(code)))


def store_code(db: sqlite3.Connection, code: str | None) -> None:
    """Remember a printed code (a document's own or a cited one) under its spelling-free form."""
    if code:
        term = code_term(code)
        if term:
            db.execute("INSERT OR IGNORE INTO code_terms VALUES (?, ?)", (term, code_key(code)))


def _typed_terms(text: str) -> list[str]:
    """The spelling-free forms a typed code may stand for (`kl 57` → `57|KL`)."""
    forms = [text, *candidates(text)]
    out: list[str] = []
    for f in forms:
        term = code_term(f)
        if term and term not in out:
            out.append(term)
    return out


def _year_asked(text: str) -> str | None:
    """The year a typed code asks for: `…@2024`, or the year a state code carries."""
    _, _, rest = text.partition("@")
    if rest[:4].isdigit():
        return rest[:4]
    parsed = parse_code(key_code(text))
    return str(parsed.year) if parsed and parsed.year else None


class Resolver:
    """Resolution over one catalog connection; `representative` folds copies of one letter."""

    def __init__(self, db: sqlite3.Connection, representative: Callable[[str], str] = lambda i: i):
        self.db = db
        self.representative = representative

    def resolve(self, typed: str) -> Lookup | None:
        text = " ".join(typed.split())
        if not text:
            return None
        row = self.db.execute("SELECT id, key FROM documents WHERE id = ?", (text,)).fetchone()
        if row is not None:
            return Lookup(typed, row[1] or row[0], row[0])
        if "@" in text or "#" in text:
            exact = self._exact_key(typed, text)
            if exact is not None:
                return exact
        families = self._families(text)
        if not families:
            return None
        docs = self._documents(families)
        if docs:
            return self._choose(typed, text, docs)
        # known only by citation: the code cited most often
        cited = max(families, key=lambda c: (self._cited(c, prefix=True), c))
        return Lookup(typed, cited, None)

    def _exact_key(self, typed: str, text: str) -> Lookup | None:
        rest, _, place = text.partition("#")
        code, _, year = rest.partition("@")
        key = code_key(code) + (f"@{year}" if year else "") + (f"#{place.lower()}" if place else "")
        rows = self.db.execute("SELECT id FROM documents WHERE key = ? ORDER BY issued_date DESC, id",
                               (key,)).fetchall()
        if rows:
            return Lookup(typed, key, self.representative(rows[0][0]))
        if self.db.execute("SELECT 1 FROM refs WHERE key = ? LIMIT 1", (key,)).fetchone():
            return Lookup(typed, key, None)
        return None

    def _families(self, text: str) -> list[str]:
        """The canonical codes (`code_key`) that the typed text may be a spelling of."""
        terms = _typed_terms(key_code(text))
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        found = [r[0] for r in self.db.execute(
            f"SELECT DISTINCT code FROM code_terms WHERE term IN ({marks}) ORDER BY code", terms)]
        if found or parse_code_query(text) is None:
            return found
        # a code typed without its authority (`kl 57`): every code that starts with what was typed
        out: list[str] = []
        for term in terms:
            for (code,) in self.db.execute("SELECT DISTINCT code FROM code_terms WHERE term >= ? AND term < ? "
                                           "ORDER BY code LIMIT 50", (term + "|", term + "|" + _TOP)):
                if code not in out:
                    out.append(code)
        return out

    def _documents(self, families: list[str]) -> list[sqlite3.Row]:
        out = []
        for code in families:
            out += [r for r in self.db.execute(
                "SELECT id, key, issued_date FROM documents WHERE key >= ? AND key < ?", (code, code + _TOP))
                if key_code(r[1]) == code]
        return out

    def _cited(self, key: str, prefix: bool = False) -> int:
        """Citations of a node key (with `prefix`: of a code, every year and place of it)."""
        if prefix:
            return self.db.execute("SELECT count(*) FROM refs WHERE key >= ? AND key < ?",
                                   (key, key + _TOP)).fetchone()[0]
        return self.db.execute("SELECT count(*) FROM refs WHERE key = ?", (key,)).fetchone()[0]

    def _choose(self, typed: str, text: str, docs: list[sqlite3.Row]) -> Lookup:
        year = _year_asked(text)
        by_id = {d["id"]: d for d in docs}
        letters: dict[str, sqlite3.Row] = {}
        for d in docs:  # one entry per letter, through the copy that stands for it
            rep = self.representative(d["id"])
            if rep in by_id:
                letters.setdefault(rep, by_id[rep])
            else:  # the fullest copy prints another code: this copy is what was asked for
                letters.setdefault(d["id"], d)
        ranked = sorted(letters.items(), key=lambda kv: (
            (kv[1]["issued_date"] or "")[:4] == year if year else False,
            kv[1]["issued_date"] or "",
            self._cited(kv[1]["key"]),
            kv[0]), reverse=True)
        first_id, first = ranked[0]
        return Lookup(typed, first["key"], first_id, tuple(i for i, _ in ranked[1:]))
