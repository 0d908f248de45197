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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from index.catalog import Catalog, record_key
from index.citer_groups import Paging
from index.dedup import DedupConfig, DedupIndex
from index.dedup import clusters as dedup_clusters
from index.dedup.signatures import signatures_of
from index.fulltext import FullText
from index.graph import CitationGraph
from index.index_batch import IndexBatch
from index.letters import Letters, group_facets
from index.lock import ArchiveBusy, writer_lock
from index.lookup import Lookup, Resolver
from index.workers import Limits, read_files
from ingest import SUPPORTED, IngestError, extract, sha256_file
from nlp import Record, parse


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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Archive:
    def __init__(self, root: str | Path, engine: str | None = None):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "originals").mkdir(exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite3")
        self._fulltext: FullText | None = None
        self._dedup: DedupIndex | None = None
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
            try:  # a reader may rebuild a stale index only when no writer is at work
                with writer_lock(self.root, what="index rebuild"):
                    self._fulltext = FullText(self.root, self.engine, self.catalog.documents, self.catalog.count)
            except ArchiveBusy:  # an ingest is writing: read the index as it is, never rebuild under it
                self._fulltext = FullText(self.root, self.engine, self.catalog.documents, self.catalog.count,
                                          rebuild_stale=False)
        return self._fulltext

    def reindex(self, engine: str | None = None, wait: float = 0.0) -> int:
        """Rebuild the full-text index from the catalog (with `engine`, switch to it first);
        citation keys are recomputed too, so an archive follows the current rules."""
        from index.citations import rekey
        with writer_lock(self.root, wait=wait, what="congvan reindex"):
            rekey(self.catalog.db)
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
            _fsync(tmp)  # on disk before the catalog row that names it is committed
            os.replace(tmp, target)  # atomic: a killed run never leaves half a file
        return str(rel)

    # -- ingest ------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workers: int | None = None, ocr: str = "auto",
               progress: Callable[[int, int, str], None] | None = None, limits: Limits | None = None,
               wait: float = 0.0, provenance: Mapping[str, dict] | None = None) -> IngestReport:
        """Ingest files and folders as the archive's one writer (`ArchiveBusy` if another
        process writes and does not finish within `wait` s); each file is read under `limits`.
        `provenance` is what the caller knows of a file beyond its bytes (an upload's name and
        sender), kept in the `source` of its records."""
        with writer_lock(self.root, wait=wait, what="congvan ingest"):
            return self._ingest(paths, workers, ocr, progress, limits, provenance or {})

    def _ingest(self, paths: Iterable[str | Path], workers: int | None, ocr: str,
                progress: Callable[[int, int, str], None] | None, limits: Limits | None,
                provenance: Mapping[str, dict]) -> IngestReport:
        report = IngestReport()
        todo: list[tuple[str, str]] = []
        for f in iter_files(paths):
            if not f.is_file():
                report.failed.append({"path": str(f), "error": "no such file"})
                continue
            digest = sha256_file(f)
            if self.catalog.has_file(digest):
                if self.catalog.file_for_path(str(f)) != digest:  # the same file under a new path
                    report.duplicates.extend(self._same_file(str(f), digest))
                self.catalog.add_path(str(f), digest)
                report.unchanged.append({"path": str(f)})
                continue
            todo.append((str(f), digest))
        workers = workers or os.cpu_count() or 1
        done = 0

        # the duplicate signatures are made by the workers beside the parse: this process, which
        # writes catalog, signatures and index for all of them, is what limits a batch of letters
        prepare = partial(signatures_of, cfg=self.dedup_index.config)

        def results():  # bounded worker processes (index/workers.py): a bad file fails alone
            yield from read_files([p for p, _ in todo], ocr, limits, workers, prepare)

        digests = dict(todo)
        # opened before the catalog changes, so that an index left behind is rebuilt first; then
        # written in batches (index/index_batch.py). A run that stops early leaves it behind the
        # catalog, which the next open sees by its count and rebuilds.
        batch = IndexBatch(self.fulltext.add) if todo else None
        for path, recs, error, sigs in results():
            done += 1
            if progress:
                progress(done, len(todo), path)
            if error is not None:
                report.failed.append({"path": path, "error": error})
                continue
            records = [Record.from_dict(r) for r in recs]
            for r in records:
                r.source.update(provenance.get(path, {}))
            digest = digests[path]
            original = self._keep_original(Path(path), digest)
            known = [self.catalog.record(r.id) is not None for r in records]
            self.catalog.add_file(path, digest, records[0].source["format"], Path(path).stat().st_size,
                                  original, records)
            report.duplicates.extend(self._check_duplicates(path, records, known, sigs))
            batch.add(records)
            row = {"path": path, "ids": [r.id for r in records]}
            if records[0].source.get("active_content"):  # served only as a download: the report says so
                row["active_content"] = records[0].source["active_content"]
            report.ingested.append(row)
        if batch is not None:
            batch.flush()
        return report

    # -- queries -----------------------------------------------------------------------
    def lookup(self, typed: str) -> Lookup | None:
        """What a code typed by a person names (`index.lookup`): the document to open, or the
        node known only by citation, and the other letters it also names; None when the
        archive holds nothing of it. `show`, `refs`, `cited-by`, `trace` and the web page all
        resolve what was typed through this."""
        # copy groups are read only when a code names several documents, not for an id
        return Resolver(self.catalog.db, lambda doc_id: self.letters().representative(doc_id)).resolve(typed)

    def get(self, key: str) -> Record | None:
        """A document by id, by code in any common spelling, or by canonical key."""
        found = self.lookup(key)
        return self.catalog.record(found.doc_id) if found is not None and found.doc_id else None

    def _target(self, key: str) -> str:
        """What the citation graph is asked about for a typed KEY (as typed when nothing matches)."""
        found = self.lookup(key)
        return found.target if found is not None else key

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
        # One hit per letter (index/letters.py): a letter is found when any of its copies
        # matches (a line only a re-sent copy holds), shown as its representative; the engine
        # counts, facets and pages letters (index/fulltext.py), and the hit lists its copies.
        letters = self.letters()
        result = self.fulltext.search(self.catalog, query, limit=limit, offset=offset, sort=sort, filters=filters,
                                      letters=letters)
        for hit in result["hits"]:
            copies = letters.copies_of(hit["id"])
            if copies:
                hit["copies"] = copies
        result["facets"] = group_facets(result.get("facets") or {})
        return result

    def letters(self) -> Letters:
        """The copy groups of the archive (index/letters.py), read again when the relations change."""
        # `data_version` moves when another connection commits, `total_changes` when this one
        # writes: while neither has moved, nothing is counted again (counting costs ms at 100k)
        db = self.catalog.db
        moved = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
        cached = getattr(self, "_letters", None)
        if cached is not None and cached[2] == moved:
            return cached[1]
        stamp = db.execute(
            "SELECT count(*), max(found_at), (SELECT count(*) FROM documents) FROM duplicates").fetchone()
        stamp = tuple(stamp)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Letters.load(db))
        self._letters = (*cached[:2], moved)
        return self._letters[1]

    def ref_doc(self, rec: Record) -> dict:
        return {"id": rec.id, "key": record_key(rec), "code": rec.code, "doc_type": rec.doc_type,
                "issued_date": rec.issued_date, "subject": rec.subject}

    def references(self, key: str) -> dict:
        """What a document cites, each target resolved (index/graph.py)."""
        result = CitationGraph(self.catalog.db).references(self._target(key))
        result["documents"] = self.letters().fold_docs(result["documents"])
        return result

    def cited_by(self, key: str, paging: Paging | None = None) -> dict:
        """Which documents cite KEY; works for documents known only by citation too. With
        `paging`, a document that many cite answers grouped and paged (index/citer_groups.py)."""
        graph = CitationGraph(self.catalog.db)
        target = self._target(key)
        grouped = graph.cited_by_grouped(target, paging, self.letters().fold_docs) if paging is not None else None
        if grouped is not None:
            return grouped
        result = graph.cited_by(target)
        result["documents"] = self.letters().fold_docs(result["documents"])  # copies of one letter: one entry
        return result

    def trace(self, key: str, depth: int = 3, paging: Paging | None = None) -> dict:
        """The tree of documents that cite KEY, level by level (who implements it). With
        `paging`, a document that many cite answers grouped and paged (index/citer_groups.py)."""
        letters = self.letters()
        tree = CitationGraph(self.catalog.db).trace(self._target(key), depth=depth, paging=paging,
                                                    fold=letters.fold_docs)
        return letters.fold_tree(tree)

    def graph(self, around: str | None = None, depth: int = 2) -> dict:
        """Nodes and edges of the citation graph (all of it, or around one document)."""
        g = CitationGraph(self.catalog.db)
        if around:
            nodes, edges, center = g.around(self._target(around), depth=depth)
        else:
            (nodes, edges), center = g.load_all(), None
        return {"nodes": list(nodes.values()), "edges": edges, "center": center}

    def stats(self) -> dict:
        """Documents by type, issuer and year; the most cited; citations still unresolved."""
        return CitationGraph(self.catalog.db).stats()

    def original(self, doc_id: str) -> tuple[Path, str, str] | None:
        """The kept original file of document DOC_ID: (path, format, file name as ingested).
        Only files inside `originals/` are ever returned."""
        row = self.catalog.db.execute(
            "SELECT f.original, f.format FROM documents d JOIN files f ON f.sha256 = d.sha256 "
            "WHERE d.id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        base = (self.root / "originals").resolve()
        path = (self.root / row["original"]).resolve()
        if base not in path.parents or not path.is_file():
            return None
        rec = self.catalog.record(doc_id)
        name = Path((rec.source.get("path") if rec else None) or "").name
        return path, row["format"], name or path.name

    # -- duplicates ----------------------------------------------------------------------
    @property
    def dedup_index(self) -> DedupIndex:
        if self._dedup is None:
            self._dedup = DedupIndex(self.catalog.db, self.catalog.record)
        return self._dedup

    def _check_duplicates(self, path: str, records: list[Record], known: list[bool],
                          sigs: list | None = None) -> list[dict]:
        """The new documents of one file, checked against the archive (never fails the batch)."""
        out = []
        if not isinstance(sigs, list) or len(sigs) != len(records):
            sigs = [None] * len(records)
        for rec, was_known, sig in zip(records, known, sigs):
            try:
                matches = self.dedup_index.check_and_store(rec, path, self.catalog.key_of(rec.id), was_known, sig)
            except Exception:  # a signature must never cost the file its ingest
                continue
            out += [{"path": path, "id": rec.id, "of": m.of, "relation": m.relation,
                     "similarity": m.similarity} for m in matches]
        return out

    def _same_file(self, path: str, digest: str) -> list[dict]:
        rows = self.catalog.db.execute("SELECT id FROM documents WHERE sha256 = ?", (digest,)).fetchall()
        out = []
        for (doc_id,) in rows:
            self.dedup_index.save_edges(doc_id, [self.dedup_index.self_match(doc_id)], path)
            out.append({"path": path, "id": doc_id, "of": doc_id, "relation": "duplicate", "similarity": 1.0})
        return out

    def duplicates(self, key: str) -> list[dict]:
        """What the document KEY duplicates or continues, and what duplicates or continues it."""
        rec = self.get(key)
        if rec is None:
            return []
        out = []
        for e in self.dedup_index.edges_of(rec.id):
            other = e.of if e.id == rec.id else e.id
            other_path = e.path if e.id != rec.id else self.dedup_index.first_path(e.of)
            other_rec = self.catalog.record(other)
            out.append({"path": other_path or None, "id": other, "of": rec.id, "relation": e.relation,
                        "similarity": e.similarity, "code": other_rec.code if other_rec else None,
                        "issued_date": other_rec.issued_date if other_rec else None})
        return out

    def dedup(self, config: DedupConfig | None = None, recheck: bool = False) -> dict:
        """Clusters of duplicates, near-duplicates, series and conflicts. With `config`, the
        thresholds are stored for this archive; with `recheck` (or a new config), every
        document is checked again against those before it (the relations are derived data)."""
        index = self.dedup_index
        if config is not None:
            config.save(self.catalog.db)
            index.config = config
            recheck = True
        if recheck:
            self._recheck()
        out = []
        for c in dedup_clusters(index.edges(), index.first_path):
            for m in c["members"]:
                rec = self.catalog.record(m["id"])
                m["code"] = rec.code if rec else None
            c["members"] = [{k: m[k] for k in ("id", "code", "path", "similarity")} for m in c["members"]]
            out.append(c)
        return {"clusters": out}

    def _recheck(self) -> None:
        docs = self.catalog.db.execute("SELECT id, key FROM documents ORDER BY rowid").fetchall()
        self.dedup_index.rebuild(docs)

    def similar(self, key: str, limit: int = 10) -> dict:
        """Precedent letters like KEY: same topic in other years, same template elsewhere."""
        rec = self.get(key)
        if rec is None:
            return {"key": key, "documents": []}
        docs = [{**self.ref_doc(other), "similarity": sim}
                for other, sim in self.fulltext.similar(self.catalog, rec, limit=limit)]
        letters = self.letters()  # its own copies are not precedents; other letters' copies fold
        docs = letters.fold_docs([d for d in docs if letters.representative(d["id"]) != letters.representative(rec.id)])
        return {"key": record_key(rec) or rec.id, "documents": docs}
