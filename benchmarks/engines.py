"""The full-text engines compared by the benchmarks, over the same records and fields:
Whoosh (what the archive ships, `index/fulltext.py`), SQLite FTS5, and tantivy.

Each indexes `subject` and `body` as typed and their folded twins (`nlp.fold`: no diacritics,
`đ` → `d`), and answers a query on all four fields, the folded fields with the folded query,
so all three do the same work as `WhooshIndex.search`."""
from __future__ import annotations

import importlib
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from nlp.fold import fold
from nlp.models import Record


class Engine:
    name = ""

    def build(self, records: Iterable[Record]) -> int: ...
    def open(self) -> None: ...
    def search(self, query: str, limit: int = 10) -> list[str]: ...
    def close(self) -> None: ...


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, folder: Path):
        self.folder = folder
        self.ix = None

    def build(self, records: Iterable[Record]) -> int:
        from index.fulltext import WhooshIndex
        shutil.rmtree(self.folder, ignore_errors=True)
        ix = WhooshIndex(self.folder)
        recs = list(records)
        ix.rebuild(recs)
        ix.close()
        return len(recs)

    def open(self) -> None:
        from index.fulltext import WhooshIndex
        self.ix = WhooshIndex(self.folder)

    def search(self, query: str, limit: int = 10) -> list[str]:
        return [h.id for h in self.ix.search(query, limit=limit)[1]]

    def close(self) -> None:
        if self.ix is not None:
            self.ix.close()


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


class TantivyEngine(Engine):
    """tantivy through its Python binding, directly (used when `index.tantivy_engine` is absent)."""

    name = "tantivy"

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = None

    @staticmethod
    def _schema():
        import tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        for f in ("subject", "body", "subject_f", "body_f"):
            sb.add_text_field(f, stored=False)
        return sb.build()

    def build(self, records: Iterable[Record]) -> int:
        import tantivy
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        index = tantivy.Index(self._schema(), path=str(self.folder))
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        n = 0
        for rec in records:
            subject = rec.subject or ""
            writer.add_document(tantivy.Document(id=rec.id, subject=subject, body=rec.text,
                                                 subject_f=fold(subject), body_f=fold(rec.text)))
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        return n

    def open(self) -> None:
        import tantivy
        self.index = tantivy.Index.open(str(self.folder))
        self.index.reload()

    def search(self, query: str, limit: int = 10) -> list[str]:
        words = [w for w in "".join(c if c.isalnum() else " " for c in query).split() if w]
        if not words:
            return []
        ex = " OR ".join(f'subject:"{w.lower()}"^3 OR body:"{w.lower()}"' for w in words)
        fo = " OR ".join(f'subject_f:"{fold(w)}"^1.5 OR body_f:"{fold(w)}"^0.5' for w in words)
        q = self.index.parse_query(f"{ex} OR {fo}")
        searcher = self.index.searcher()
        hits = searcher.search(q, limit).hits
        return [searcher.doc(addr)["id"][0] for _, addr in hits]


class ProjectTantivy(Engine):
    """The project's own tantivy engine (`index.tantivy_engine`), driven through the same
    calls as `WhooshIndex`: `(folder)`, `rebuild(records)`, `search(q, limit)`, `close()`."""

    name = "tantivy (index.tantivy_engine)"

    def __init__(self, folder: Path, cls):
        self.folder, self.cls, self.ix = folder, cls, None

    def build(self, records: Iterable[Record]) -> int:
        shutil.rmtree(self.folder, ignore_errors=True)
        recs = list(records)
        ix = self.cls(self.folder)
        ix.rebuild(recs)
        ix.close()
        return len(recs)

    def open(self) -> None:
        self.ix = self.cls(self.folder)

    def search(self, query: str, limit: int = 10) -> list[str]:
        total, hits = self.ix.search(query, limit=limit)
        return [h.id for h in hits]

    def close(self) -> None:
        if self.ix is not None and hasattr(self.ix, "close"):
            self.ix.close()


def tantivy_engine(folder: Path) -> Engine:
    """The project's tantivy engine when it exists and has the `WhooshIndex` shape, else ours."""
    try:
        mod = importlib.import_module("index.tantivy_engine")
    except ImportError:
        return TantivyEngine(folder)
    for name in dir(mod):
        cls = getattr(mod, name)
        if isinstance(cls, type) and all(hasattr(cls, m) for m in ("rebuild", "search")):
            return ProjectTantivy(folder, cls)
    return TantivyEngine(folder)


def engines(work: Path) -> list[Engine]:
    return [WhooshEngine(work / "whoosh"), Fts5Engine(work / "fts5"), tantivy_engine(work / "tantivy")]
