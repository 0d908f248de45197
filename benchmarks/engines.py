"""The full-text engines compared by the benchmarks, over the same records: the archive's own
two (`index.search._engine`: Whoosh and Tantivy, the default), driven through the engine interface
exactly as `index.search._fulltext.FullText` drives them, and SQLite FTS5 as the baseline a user
would otherwise reach for.

The project's engines index the fields of `index.search._engine.doc_fields` and answer the parsed
query of `index.search._query_language.parse`; FTS5 indexes `subject` and `body` as typed and their folded
twins (`text.fold`) and ORs every word over all four, the nearest it comes to the same work."""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from nlp.models import Record
from text.fold import fold


class Engine:
    name = ""
    folder: Path

    def build(self, records: Iterable[Record]) -> int: ...
    def open(self) -> None: ...
    def search(self, query: str, limit: int = 10) -> list[str]: ...
    def close(self) -> None: ...


class ProjectEngine(Engine):
    """`index.search._engine.open_engine(name)`: filled as a rebuild from the catalog fills it (`add_all`
    where the engine has it, else `add` in batches of `index.search._fulltext.BATCH`), searched with
    `search(parse(text))`."""

    def __init__(self, name: str, folder: Path):
        self.name, self.folder, self.engine = name, folder, None

    def build(self, records: Iterable[Record]) -> int:
        from index.search import BATCH, open_engine
        shutil.rmtree(self.folder, ignore_errors=True)
        eng = open_engine(self.name, self.folder)
        if hasattr(eng, "add_all"):
            n = eng.add_all(records)
            eng.close()
            return n
        n, batch = 0, []
        for rec in records:
            batch.append(rec)
            n += 1
            if len(batch) >= BATCH:
                eng.add(batch)
                batch = []
        if batch:
            eng.add(batch)
        eng.close()
        return n

    def open(self) -> None:
        from index.search import open_engine
        self.engine = open_engine(self.name, self.folder)

    def search(self, query: str, limit: int = 10) -> list[str]:
        from index.search import parse_query
        return [h.id for h in self.engine.search(parse_query(query), limit=limit).hits]

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None


def _fts_query(text: str) -> str:
    # every word as a quoted term, OR'ed: like the Whoosh parser's OrGroup, and safe from FTS5 syntax
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " OR ".join(f'"{w}"' for w in words)


class Fts5Engine(Engine):
    name = "sqlite-fts5"

    def __init__(self, folder: Path):
        self.folder = folder
        self.db: sqlite3.Connection | None = None

    def build(self, records: Iterable[Record]) -> int:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        db = sqlite3.connect(str(self.folder / "fts.sqlite3"))
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, subject, body, subject_f, body_f, "
                   "tokenize='unicode61')")
        n = 0
        with db:
            for rec in records:
                subject = rec.subject or ""
                db.execute("INSERT INTO docs VALUES (?,?,?,?,?)",
                           (rec.id, subject, rec.text, fold(subject), fold(rec.text)))
                n += 1
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.commit()
        db.close()
        return n

    def open(self) -> None:
        self.db = sqlite3.connect(str(self.folder / "fts.sqlite3"))

    def search(self, query: str, limit: int = 10) -> list[str]:
        exact, folded = _fts_query(query.lower()), _fts_query(fold(query))
        if not exact:
            return []
        q = f"{{subject body}} : ({exact}) OR {{subject_f body_f}} : ({folded})"
        rows = self.db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 3.0, 1.0, 1.5, 0.5) "
                               "LIMIT ?", (q, limit)).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def engines(work: Path) -> list[Engine]:
    return [ProjectEngine("tantivy", work / "tantivy"), ProjectEngine("whoosh", work / "whoosh"),
            Fts5Engine(work / "fts5")]
