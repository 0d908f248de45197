"""`Archive`: the one API that the command line and the web page call.

archive/
  catalog.sqlite3   the source of truth (SQLite, WAL)
  fulltext/         Whoosh index (or tantivy/, the engine chosen at creation), derived;
                    rebuilt from the catalog when missing, stale or damaged
  originals/ab/…    every ingested file, kept once by sha256
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from index.catalog import Catalog, record_key
from index.fulltext import FullText
from ingest import SUPPORTED, IngestError, extract, sha256_file
from nlp import Record, parse
from nlp.codes import canonical_key, code_key, parse_code


@dataclass
class IngestReport:
    ingested: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ingested": self.ingested, "unchanged": self.unchanged,
                "duplicates": self.duplicates, "failed": self.failed}


def iter_files(paths: Iterable[str | Path]) -> Iterable[Path]:
    """Files named, and the supported files under folders named, in a stable order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith("."):
                    yield f
        else:
            yield p


def read_file(path: str, ocr: str = "auto") -> tuple[str, list[dict] | None, str | None]:
    """Worker: extract and parse one file. Returns (path, record dicts, error)."""
    try:
        records = [parse(doc).to_dict() for doc in extract(path, ocr=ocr)]
        return path, records, None
    except IngestError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a bug or a hostile file must not stop the batch
        return path, None, f"could not be read ({type(exc).__name__}: {str(exc)[:160]})"


class Archive:
    def __init__(self, root: str | Path, engine: str | None = None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "originals").mkdir(exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        self._fulltext: FullText | None = None
        self.engine = self._engine_choice(engine)

    def _engine_choice(self, wanted: str | None) -> str:
        """The search engine is chosen when the archive is created and kept in its catalog;
        naming another one later switches the archive to it (the index is rebuilt)."""
        from index.engine import DEFAULT_ENGINE, ENGINES
        row = self.catalog.db.execute("SELECT value FROM meta WHERE name = 'engine'").fetchone()
        if wanted is not None and wanted not in ENGINES:
            raise ValueError(f"unknown search engine {wanted!r}; choose one of {', '.join(ENGINES)}")
        engine = wanted or (row[0] if row else DEFAULT_ENGINE)
        if row is None or row[0] != engine:
            self.catalog.db.execute("INSERT OR REPLACE INTO meta VALUES ('engine', ?)", (engine,))
        return engine

    # -- storage -----------------------------------------------------------------------
    @property
    def fulltext(self) -> FullText:
        if self._fulltext is None:
            self._fulltext = FullText(self.root, self.engine, self.catalog.documents, self.catalog.count)
        return self._fulltext

    def reindex(self, engine: str | None = None) -> int:
        """Rebuild the full-text index from the catalog (with `engine`, switch to it first)."""
        if engine is not None and engine != self.engine:
            if self._fulltext is not None:
                self._fulltext.close()
                self._fulltext = None
            self.engine = self._engine_choice(engine)
        was_open = self._fulltext is not None
        if was_open or not self.fulltext.rebuilt_on_open:  # opening may have rebuilt it already
            self.fulltext.rebuild()
        return self.catalog.count()

    def close(self) -> None:
        if self._fulltext is not None:
            self._fulltext.close()
        self.catalog.close()

    def _keep_original(self, path: Path, sha256: str) -> str:
        rel = Path("originals") / sha256[:2] / sha256
        target = self.root / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)  # atomic: a killed run never leaves half a file
        return str(rel)

    # -- ingest ------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workers: int | None = None, ocr: str = "auto",
               progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        report = IngestReport()
        todo: list[tuple[str, str]] = []
        for f in iter_files(paths):
            if not f.is_file():
                report.failed.append({"path": str(f), "error": "no such file"})
                continue
            digest = sha256_file(f)
            if self.catalog.has_file(digest):
                self.catalog.add_path(str(f), digest)
                report.unchanged.append({"path": str(f)})
                continue
            todo.append((str(f), digest))
        workers = workers or os.cpu_count() or 1
        done = 0

        def results():
            if workers <= 1 or len(todo) <= 1:
                for path, _ in todo:
                    yield read_file(path, ocr)
            else:
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    yield from pool.map(read_file, [p for p, _ in todo], [ocr] * len(todo))

        digests = dict(todo)
        for path, recs, error in results():
            done += 1
            if progress:
                progress(done, len(todo), path)
            if error is not None:
                report.failed.append({"path": path, "error": error})
                continue
            records = [Record.from_dict(r) for r in recs]
            digest = digests[path]
            original = self._keep_original(Path(path), digest)
            self.catalog.add_file(path, digest, records[0].source["format"], Path(path).stat().st_size,
                                  original, records)
            self.fulltext.add(records)
            report.ingested.append({"path": path, "ids": [r.id for r in records]})
        return report

    # -- queries -----------------------------------------------------------------------
    def get(self, key: str) -> Record | None:
        """A document by id, by code in any common spelling, or by canonical key."""
        rec = self.catalog.record(key)
        if rec:
            return rec
        ids = self.catalog.ids_for_code(code_key(key))
        if not ids and parse_code(key) is None:
            return None
        return self.catalog.record(ids[0]) if ids else None

    def search(self, query: str, limit: int = 10, doc_type: str | None = None,
               year: int | None = None, issuer: str | None = None, since: str | None = None,
               until: str | None = None, offset: int = 0, sort: str = "score") -> dict:
        """Ranked, paged, faceted full-text search (see `index.query` for the language).
        Raises `index.query.QueryError` with a message for the user on a bad query."""
        from index.analysis import folded_tokens
        from index.query import Filters, doc_type_filter, parse_date
        filters = Filters(doc_types=[doc_type_filter(doc_type)] if doc_type else [],
                          issuer=folded_tokens(issuer) if issuer else [],
                          since=parse_date(since) if since else None,
                          until=parse_date(until, end=True) if until else None, year=year)
        return self.fulltext.search(self.catalog, query, limit=limit, offset=offset, sort=sort, filters=filters)

    def ref_doc(self, rec: Record) -> dict:
        return {"id": rec.id, "key": record_key(rec), "code": rec.code, "doc_type": rec.doc_type,
                "issued_date": rec.issued_date, "subject": rec.subject}

    def references(self, key: str) -> dict:
        rec = self.get(key)
        if rec is None:
            return {"key": key, "documents": []}
        docs = []
        for row in self.catalog.cited(rec.id):
            docs.append({"id": row["target"], "key": row["key"], "code": row["code"],
                         "doc_type": row["doc_type"], "issued_date": row["date"],
                         "subject": row["subject"]})
        return {"key": record_key(rec), "documents": docs}

    def cited_by(self, key: str) -> dict:
        rec = self.get(key)
        the_key = record_key(rec) if rec else canonical_key(key)
        rows = self.catalog.citing(the_key) if rec else self._citing_code(key)
        return {"key": the_key, "documents": [dict(r) for r in rows]}

    def _citing_code(self, code: str) -> list:
        ck = code_key(code)
        return self.catalog.db.execute(
            "SELECT DISTINCT d.id, d.key, d.code, d.doc_type, d.issued_date, d.subject "
            "FROM refs r JOIN documents d ON d.id = r.src "
            "WHERE r.key = ? OR r.key LIKE ? ORDER BY d.issued_date", (ck, ck + "@%")).fetchall()

    def trace(self, key: str, depth: int = 3) -> dict:
        """The tree of documents that cite KEY, level by level (who implements it)."""
        rec = self.get(key)
        root_key = record_key(rec) if rec else canonical_key(key)
        seen: set[str] = set()

        def node(k: str, code: str | None, doc_id: str | None, level: int) -> dict:
            seen.add(k)
            children = []
            if level < depth:
                rows = self.catalog.citing(k) if doc_id or level else self._citing_code(code or k)
                for row in rows:
                    if row["key"] and row["key"] not in seen:
                        children.append(node(row["key"], row["code"], row["id"], level + 1))
            return {"key": k, "code": code, "id": doc_id, "children": children}

        return node(root_key, rec.code if rec else key, rec.id if rec else None, 0)

    def similar(self, key: str, limit: int = 10) -> dict:
        """Precedent letters like KEY: same topic in other years, same template elsewhere."""
        rec = self.get(key)
        if rec is None:
            return {"key": key, "documents": []}
        docs = [{**self.ref_doc(other), "similarity": sim}
                for other, sim in self.fulltext.similar(self.catalog, rec, limit=limit)]
        return {"key": record_key(rec) or rec.id, "documents": docs}
