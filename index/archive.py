"""`Archive`: the one API that the command line and the web page call.

archive/
  catalog.sqlite3   the source of truth (SQLite, WAL)
  tantivy-N/        the full-text index (fulltext-N/ with Whoosh, the engine chosen at
  tantivy.current   creation), derived: rebuilt from the catalog beside the one in use when
                    missing, stale or damaged, then swapped in by renaming the pointer file
  originals/ab/…    every ingested file, kept once by sha256 (`.incoming/`: copies being read)
"""
from __future__ import annotations

import datetime
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path

from index import signing
from index.access import (
    ACTIONS,
    CLEARANCE_NAMES,
    CLEARANCES,
    FULL,
    ROLE_NAMES,
    ROLES,
    Account,
    AccountError,
    Accounts,
    AuditLog,
    Entry,
    Viewer,
    hidden_levels,
    restricted,
    session_secret,
)
from index.catalog import (
    ArchiveBusy,
    BackupError,
    BackupReport,
    Catalog,
    CheckResult,
    RestoreReport,
    backup_archive,
    check_archive,
    fsync_path,
    holder,
    record_key,
    restore_archive,
    secret_ids,
    writer_lock,
)
from index.dedup import DedupConfig, DedupIndex, Letters, cited_once, group_facets
from index.dedup import clusters as dedup_clusters
from index.dedup.signatures import signatures_of
from index.graph import FIRST_PAGE, GROUP_PAGE, CitationGraph, Lookup, Paging, Resolver, index_terms, parse_code_query
from index.office import (
    DIRECTIONS,
    FORMATS,
    MAX_EXPORT,
    MEDIA_TYPES,
    DeadlineFilter,
    Deadlines,
    Office,
    OfficeError,
    Register,
    answered_by,
)
from index.office import asks as asks_for_answer
from index.office import day as deadline_day
from index.office import find as find_deadlines
from index.pipeline import Limits, WriteTimeout, read_files, write_deadline
from index.results import (
    Answers,
    Citations,
    Clusters,
    Duplicate,
    GraphData,
    IngestReport,
    Original,
    SearchResult,
    Similar,
    Stats,
    Trace,
)
from index.search import CLOSE as SNIPPET_CLOSE
from index.search import OPEN as SNIPPET_OPEN
from index.search import SIGNED_STATES, Filters, FullText, IndexBatch, QueryError
from index.search import plain as plain_snippet
from index.signing import Root, TrustError, VerifyReport, describe, verdict, verify_files
from ingest import SUPPORTED, IngestError, extract
from ingest.intake import Skipped, digest_of, discard, printable, shown_name, stage, walk
from ingest.models import Extracted, Signature, Source
from nlp import Record, parse
from nlp.codes import code_key
from nlp.models import Entity
from nlp.parse import entities as entities_of

# What the shells (search_cli.py, web/) take from the layers below: they import nothing else.
__all__ = [
    "ACTIONS", "Account", "AccountError", "Answers", "Archive", "ArchiveBusy", "BackupError", "BackupReport",
    "CLEARANCES", "CLEARANCE_NAMES", "CheckResult", "Citations", "Clusters", "DIRECTIONS", "Deadlines",
    "DedupConfig", "Duplicate", "Entry", "FIRST_PAGE", "FORMATS", "FULL", "GROUP_PAGE", "GraphData",
    "IngestError", "IngestReport", "Limits", "Lookup", "MAX_EXPORT", "MEDIA_TYPES", "Office", "OfficeError",
    "Original", "Paging", "QueryError", "ROLES", "ROLE_NAMES", "Record", "Register", "RestoreReport",
    "SNIPPET_CLOSE", "SNIPPET_OPEN", "SUPPORTED", "SearchResult", "Signature", "Similar", "Stats", "Trace",
    "TrustError", "VerifyReport", "Viewer", "cited_once", "code_key", "deadline_day", "describe", "holder",
    "plain_snippet", "printable", "verdict",
]


def read_file(path: str, ocr: str = "auto") -> tuple[str, list[dict] | None, str | None]:
    """Worker: extract and parse one file. Returns (path, record dicts, error)."""
    try:
        records = [parse(doc).to_dict() for doc in extract(path, ocr=ocr)]
        return path, records, None
    except IngestError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a bug or a hostile file must not stop the batch
        return path, None, f"could not be read ({type(exc).__name__}: {str(exc)[:160]})"



def _signed_state(state: str | None) -> str | None:
    """`--signed` as asked; `QueryError` (Vietnamese) for a state that is none of the three."""
    if not state:
        return None
    if state not in SIGNED_STATES:
        raise QueryError(f"chữ ký số: chọn một trong {', '.join(SIGNED_STATES)} (không phải {state!r})")
    return state


INCOMING = Path("originals") / ".incoming"  # copies made while hashing, moved into place once stored


def is_read_only(root: Path) -> bool:
    """Whether nothing can be written under `root` (read-only media or mount; $CONGVAN_READ_ONLY=1
    forces it, which is also how tests check the path as root, whom permission bits do not stop)."""
    if os.environ.get("CONGVAN_READ_ONLY", "").strip() not in ("", "0"):
        return True
    if not (root / "catalog.sqlite3").is_file():
        return False  # a new archive: made below, or the error says why it cannot be
    try:
        with tempfile.TemporaryFile(dir=root):
            return False
    except OSError as exc:
        return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


class Archive:
    def __init__(self, root: str | Path, engine: str | None = None, viewer: Viewer = FULL):
        self.root = Path(root)
        # who asks (index/access/): every answer leaves out what they may not see
        self.viewer = viewer
        self._base = self  # the archive whose open catalog and index a view shares (`as_viewer`)
        # searched, shown, traced and served from where it lies, writing nothing (issue 17)
        self.read_only = is_read_only(self.root)
        if not self.read_only:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / "originals").mkdir(exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite3", read_only=self.read_only)
        self._fulltext: FullText | None = None
        self._dedup: DedupIndex | None = None
        self._accounts: Accounts | None = None
        self._audit: AuditLog | None = None
        self.engine = self._engine_choice(engine)

    def as_viewer(self, viewer: Viewer) -> Archive:
        """This archive as VIEWER sees it: the same open catalog, index and copy groups, every
        answer without the documents VIEWER may not see. Closing the view closes nothing."""
        view = object.__new__(Archive)
        view.__dict__.update({k: v for k, v in self._base.__dict__.items() if k not in ("_hidden_by", "_letters")})
        view.viewer, view._base = viewer, self._base
        return view

    def hidden(self) -> frozenset[str]:
        """The ids of the documents this archive's viewer may not see: those stamped above
        their clearance and every copy of such a letter (a letter is as secret as its most
        secret copy). Empty for a viewer cleared for everything, without reading anything."""
        return self._secrecy()[1]

    def _secrecy(self) -> tuple[frozenset[str], frozenset[str]]:
        """(the documents stamped above the viewer's clearance, those and every copy of their
        letters), read again only when the catalog changed; kept per clearance on the archive
        that views share, so that a page asked as the same person reads them once."""
        if self.viewer.sees_all:
            return frozenset(), frozenset()
        db = self.catalog.db
        moved = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
        by_clearance = self._base.__dict__.setdefault("_hidden_by", {})
        cached = by_clearance.get(self.viewer.clearance)
        if cached is not None and cached[0] == moved:
            return cached[1]
        marked = frozenset(secret_ids(db, hidden_levels(self.viewer)))
        out: frozenset[str] = frozenset()
        if marked:
            letters = self.letters()
            reps = {letters.representative(i) for i in marked}
            out = marked | reps | {i for i, r in letters.rep.items() if r in reps}
        by_clearance[self.viewer.clearance] = (moved, (marked, out))
        return marked, out

    def _sees(self, doc_id: str | None) -> bool:
        return doc_id is None or doc_id not in self.hidden()

    def must_write(self) -> None:
        """Raise `OSError(EROFS)` on a read-only archive, before any lock or file is touched."""
        if self.read_only:
            raise OSError(errno.EROFS, "the archive is on read-only media", str(self.root))

    def _engine_choice(self, wanted: str | None) -> str:
        """The search engine is chosen when the archive is created and kept in its catalog;
        naming another one later switches the archive to it (the index is rebuilt)."""
        from index.search import DEFAULT_ENGINE, ENGINES
        row = self.catalog.db.execute("SELECT value FROM meta WHERE name = 'engine'").fetchone()
        if wanted is not None and wanted not in ENGINES:
            raise ValueError(f"unknown search engine {wanted!r}; choose one of {', '.join(ENGINES)}")
        engine = wanted or (row[0] if row else DEFAULT_ENGINE)
        if (row is None or row[0] != engine) and not self.read_only:
            self.catalog.db.execute("INSERT OR REPLACE INTO meta VALUES ('engine', ?)", (engine,))
        return engine

    # -- storage -----------------------------------------------------------------------
    @property
    def fulltext(self) -> FullText:
        if self._base is not self:
            return self._base.fulltext
        if self._fulltext is None:
            # the index marks each copy (index/engine.py COPY): from the copy groups, read when written
            ft = FullText(self.root, self.engine, self.catalog.documents, self.catalog.count, rebuild_stale=False,
                          read_only=self.read_only, copies=lambda: self.letters().hidden(), record=self.catalog.record)
            if not self.read_only and (ft.stale() or self._writing()):
                try:  # a reader may rebuild a stale index only when no writer is at work
                    with writer_lock(self.root, what="index rebuild"):
                        ft.rebuild_stale = True
                        ft.refresh()
                except ArchiveBusy:  # a writer is at work: read the index as it is, never rebuild under it
                    pass
            # a reader takes the writer lock only for a stale index: else opening for a search
            # would make a writer starting at that moment fail as busy
            ft.rebuild_guard = partial(writer_lock, self.root, what="index rebuild")
            self._fulltext = ft
        return self._fulltext

    def _writing(self) -> bool:
        """Whether this thread holds the archive's writer lock (an ingest, a reindex)."""
        from index.catalog import holds
        return holds(self.root)

    def reindex(self, engine: str | None = None, wait: float = 0.0) -> int:
        """Rebuild the full-text index from the catalog (with `engine`, switch to it first);
        citation keys are recomputed too, so an archive follows the current rules."""
        from index.graph.citations import rekey
        self.must_write()
        with writer_lock(self.root, wait=wait, what="congvan reindex"):
            rekey(self.catalog.db)
            signing.backfill(self.catalog.db, self.root)  # PDFs stored before records had signatures
            if engine is not None and engine != self.engine:
                if self._fulltext is not None:
                    self._fulltext.close()
                    self._fulltext = None
                self.engine = self._engine_choice(engine)
            was_open = self._fulltext is not None
            if was_open or not self.fulltext.rebuilt_on_open:  # opening may have rebuilt it already
                self.fulltext.rebuild()
        return self.catalog.count()

    # -- who asks (issue 20): accounts, the audit log, the web page's signing key -------------
    def accounts(self, clock: Callable[[], float] | None = None) -> Accounts:
        """The people who share this archive (`index/access/_accounts.py`); `clock` for tests."""
        if clock is not None:
            return Accounts(self.catalog.db, writable=not self.read_only, clock=clock)
        if self._accounts is None:  # made once: its table is created on first use
            self._accounts = Accounts(self.catalog.db, writable=not self.read_only)
        return self._accounts

    def audit(self, clock: Callable[[], float] | None = None) -> AuditLog:
        """The append-only log of who did what (`index/access/_audit.py`)."""
        if clock is not None:
            return AuditLog(self.catalog.db, writable=not self.read_only, clock=clock)
        if self._audit is None:
            self._audit = AuditLog(self.catalog.db, writable=not self.read_only)
        return self._audit

    def session_secret(self) -> bytes:
        return session_secret(self.root, writable=not self.read_only)

    def close(self) -> None:
        if self._base is not self:  # a view (`as_viewer`): the archive it looks through stays open
            return
        if self._fulltext is not None:
            self._fulltext.close()
        self.catalog.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _keep_original(self, copy: Path, sha256: str) -> str:
        """Move the copy made while hashing (`ingest.intake.stage`) to `originals/ab/<sha256>`."""
        rel = Path("originals") / sha256[:2] / sha256
        target = self.root / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fsync_path(copy)  # on disk before the catalog row that names it is committed
            os.replace(copy, target)  # atomic, one file system: a killed run never leaves half a file
        discard(copy)
        return str(rel)

    # -- ingest ------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workers: int | None = None, ocr: str = "auto",
               progress: Callable[[int, int, str], None] | None = None, limits: Limits | None = None,
               wait: float = 0.0, follow_symlinks: bool = False,
               provenance: Mapping[str, dict] | None = None) -> IngestReport:
        """Ingest files and folders as the archive's one writer (`ArchiveBusy` if another
        process writes and does not finish within `wait` s); each file is read under `limits`.
        Symbolic links are left out (each reported) unless `follow_symlinks`. `provenance` is
        what the caller knows of a file beyond its bytes (an upload's name and sender), by the
        path given, kept in the `source` of its records."""
        self.must_write()
        with writer_lock(self.root, wait=wait, what="congvan ingest"):
            report = self._ingest(paths, workers, ocr, progress, limits or Limits.from_env(), follow_symlinks,
                                  provenance or {})
        hidden = self.hidden()
        if hidden:  # a file that copies a letter the clerk may not see: stored, the letter not named
            report.duplicates = [d for d in report.duplicates
                                 if d.get("of") not in hidden and d.get("id") not in hidden]
        return report

    def _stage_all(self, paths: Iterable[str | Path], follow_symlinks: bool,
                   report: IngestReport) -> dict[str, tuple[str, str]]:
        """Each new file copied into `originals/.incoming` while hashed: {copy: (path, sha256)}.
        Files already held are reported unchanged; links and unreadable files fail alone."""
        incoming = self.root / INCOMING
        shutil.rmtree(incoming, ignore_errors=True)  # a killed run's copies (we hold the writer lock)
        staged: dict[str, tuple[str, str]] = {}
        for f in walk(paths, follow_symlinks):
            if isinstance(f, Skipped):
                report.failed.append({"path": shown_name(f.path), "error": f.reason})
                continue
            path, name = str(f), shown_name(f)
            if not os.path.lexists(f) or os.path.isdir(f):
                report.failed.append({"path": name, "error": "no such file"})
                continue
            try:
                digest = digest_of(f, follow_symlinks)
                if not self.catalog.has_file(digest):
                    copy, digest = stage(f, incoming, follow_symlinks)  # the copy's hash is the truth
                    if not self.catalog.has_file(digest):
                        staged[str(copy)] = (path, digest)
                        continue
                    discard(copy)
            except IngestError as exc:
                report.failed.append({"path": name, "error": str(exc)})
                continue
            if self.catalog.file_for_path(path) != digest:  # the same file under a new path
                report.duplicates.extend(self._same_file(name, digest))
            self.catalog.add_path(path, digest)
            report.unchanged.append({"path": name})
        return staged

    def _ingest(self, paths: Iterable[str | Path], workers: int | None, ocr: str,
                progress: Callable[[int, int, str], None] | None, limits: Limits,
                follow_symlinks: bool = False, provenance: Mapping[str, dict] | None = None) -> IngestReport:
        report = IngestReport()
        try:
            return self._read_and_store(self._stage_all(paths, follow_symlinks, report), workers, ocr,
                                        progress, limits, report, provenance or {})
        finally:  # the copies of files not stored (a run stopped by a full disk, Ctrl+C)
            shutil.rmtree(self.root / INCOMING, ignore_errors=True)

    def _read_and_store(self, staged: dict[str, tuple[str, str]], workers: int | None, ocr: str,
                        progress: Callable[[int, int, str], None] | None, limits: Limits,
                        report: IngestReport, provenance: Mapping[str, dict]) -> IngestReport:
        workers = workers or os.cpu_count() or 1

        # the duplicate signatures are made by the workers beside the parse: this process, which
        # writes catalog, signatures and index for all of them, is what limits a batch of letters
        prepare = partial(signatures_of, cfg=self.dedup_index.config)

        def results():  # bounded worker processes (index/workers.py): a bad file fails alone
            # each worker reads the copy made while hashing, never the source again (issue 17)
            yield from read_files(list(staged), ocr, limits, workers, prepare)

        # opened before the catalog changes, so that an index left behind is rebuilt first; then
        # written in batches (index/index_batch.py). A run that stops early leaves it behind the
        # catalog, which the next open sees by its count and rebuilds.
        batch = IndexBatch(self.fulltext.add) if staged else None
        try:
            self._store_all(staged, results(), progress, limits, report, batch, provenance)
        finally:  # a run stopped by a full disk keeps what it stored searchable, if the index can be written
            if batch is not None:
                try:
                    batch.flush()
                except Exception:  # the next open sees the index behind the catalog and rebuilds it
                    pass
        return report

    def _store_all(self, staged: dict[str, tuple[str, str]], results: Iterable, progress, limits: Limits,
                   report: IngestReport, batch: IndexBatch | None, provenance: Mapping[str, dict]) -> None:
        done = 0
        for copy, recs, error, sigs in results:
            path, digest = staged[copy]
            name = shown_name(path)
            done += 1
            if progress:
                progress(done, len(staged), name)
            if error is not None:
                discard(Path(copy))
                report.failed.append({"path": name, "error": error})
                continue
            for r in recs:  # read from the copy: the record names the file as it was given
                r["source"]["path"] = name
            records = [Record.from_dict(r) for r in recs]
            for r in records:
                r.source.update(provenance.get(path, {}))
            try:
                self._store(path, Path(copy), digest, records, sigs, limits.timeout, report)
            except WriteTimeout:
                report.failed.append({"path": name, "error": (
                    f"ghi vào kho mất hơn giới hạn {limits.timeout:g} s; tệp này không được lưu "
                    "(--timeout hoặc $CONGVAN_TIMEOUT)")})
                continue
            batch.add(records)
            row = {"path": name, "ids": [r.id for r in records]}
            if records[0].source.get("active_content"):  # served only as a download: the report says so
                row["active_content"] = records[0].source["active_content"]
            report.ingested.append(row)
            if any(sig.altered for sig in records[0].signatures):  # named in the report, stored all the same
                report.altered.append({"path": name, "ids": row["ids"],
                                       "signatures": [verdict(sig) for sig in records[0].signatures]})

    def _store(self, path: str, copy: Path, digest: str, records: list[Record], sigs,
               timeout: float, report: IngestReport) -> None:
        """The writer's share of one file, bounded by `timeout` like its parse: the original
        kept, the catalog transaction, the duplicate check. Past the limit the file is not
        stored at all (`WriteTimeout`): its transaction is rolled back and a new original removed."""
        target = self.root / "originals" / digest[:2] / digest
        new_original = not target.exists()
        size = copy.stat().st_size
        try:
            with write_deadline(timeout):
                original = self._keep_original(copy, digest)
                known = [self.catalog.record(r.id) is not None for r in records]
                self.catalog.add_file(path, digest, records[0].source["format"], size, original, records)
        except WriteTimeout:
            if new_original and not self.catalog.has_file(digest):
                target.unlink(missing_ok=True)
            raise
        try:  # bounded too; past the limit the file stays stored, only its copies go unnamed
            with write_deadline(timeout):
                report.duplicates.extend(self._check_duplicates(shown_name(path), records, known, sigs))
        except WriteTimeout:
            pass

    # -- queries -----------------------------------------------------------------------
    @staticmethod
    def parse(path: str | Path, ocr: str = "auto") -> list[Record]:
        """The records of one file, read and parsed as ingest would, storing nothing.
        Raises `IngestError` with the reason when the file cannot be read."""
        return [parse(doc) for doc in extract(str(path), ocr=ocr)]

    def lookup(self, typed: str) -> Lookup | None:
        """What a code typed by a person names (`index.lookup`): the document to open, or the
        node known only by citation, and the other letters it also names; None when the
        archive holds nothing of it. `show`, `refs`, `cited-by`, `trace` and the web page all
        resolve what was typed through this, once."""
        # copy groups are read only when a code names several documents, not for an id
        found = Resolver(self.catalog.db, lambda doc_id: self.letters().representative(doc_id)).resolve(typed)
        hidden = self.hidden()
        if found is None or not hidden:
            return found
        others = tuple(i for i in found.others if i not in hidden)
        if found.doc_id is None or found.doc_id not in hidden:
            return Lookup(found.typed, found.key, found.doc_id, others)
        if others:  # the letters of that code the viewer may see: the likeliest opens
            return Lookup(found.typed, self.catalog.key_of(others[0]) or others[0], others[0], others[1:])
        return None  # as unknown: "forbidden" would tell that it exists

    def opens(self, typed: str, hits: Iterable[Mapping] = ()) -> Lookup | None:
        """What a text typed in a search box opens instead of a list of results: a document id
        or a code in any spelling (`57-KL/TW`, `57 kl tw`, `kl 57`) that the archive holds or
        cites; else, for a code, the first of `hits` (the query's results) when it carries that
        code. None for an ordinary query. The command line and the web page both ask this."""
        typed = typed.strip()
        code = parse_code_query(typed)
        if not typed or (len(typed.split()) > 1 and code is None):
            return None
        found = self.lookup(typed)
        if found is not None and found.doc_id:
            return found
        top = next(iter(hits), None)
        if code is not None and top is not None and top.get("code") \
                and set(index_terms(top["code"])) & set(code.full):
            return Lookup(typed=typed, key=top.get("key") or top["code"], doc_id=top["id"])
        return found

    def get(self, key: str | Lookup) -> Record | None:
        """A document by id, by code in any common spelling, or by canonical key (or as
        already looked up)."""
        found = key if isinstance(key, Lookup) else self.lookup(key)
        return self.record(found.doc_id) if found is not None and found.doc_id else None

    def entities(self, key: str) -> list[Entity]:
        """Where a document's findings are printed in its text, in text order, without overlaps:
        the `doc.ents` of the spaCy pass that reads the record (`nlp.parse`), run on the text
        the catalog keeps. Empty for an unknown key."""
        rec = self.get(key)
        if rec is None:
            return []
        src = rec.source or {}
        source = Source(path=src.get("path") or "", sha256=src.get("sha256") or "", format=src.get("format") or "txt",
                        part=src.get("part") or 0)
        return entities_of(Extracted(text=rec.text, source=source))

    def record(self, doc_id: str) -> Record | None:
        """The document whose id is DOC_ID, nothing else (`get` also reads codes); None for
        one the viewer may not see."""
        return self.catalog.record(doc_id) if self._sees(doc_id) else None

    def count(self) -> int:
        """How many documents the archive holds (that the viewer may see)."""
        return self.catalog.count() - len(self.hidden())

    def others(self, found: Lookup | None, limit: int | None = None) -> list[dict]:
        """The ref-docs of the other letters a typed code also names (`Lookup.others`), the
        most likely `limit` of them."""
        ids = [i for i in (found.others if found is not None else ()) if self._sees(i)][:limit]
        return [self.ref_doc(r) for r in map(self.record, ids) if r is not None]

    def _target(self, key: str | Lookup) -> str:
        """What the citation graph is asked about for KEY: the node it names, resolved once
        (as typed when nothing matches)."""
        found = key if isinstance(key, Lookup) else self.lookup(key)
        return found.target if found is not None else key

    def search(self, query: str, limit: int = 10, doc_type: str | None = None,
               year: int | None = None, issuer: str | None = None, since: str | None = None,
               until: str | None = None, offset: int = 0, sort: str = "score",
               signed: str | None = None) -> SearchResult:
        """Ranked, paged, faceted full-text search (see `index.query` for the language).
        Raises `QueryError` with a message for the user on a bad query."""
        from index.search import doc_type_filter, folded_tokens, parse_date
        filters = Filters(doc_types=[doc_type_filter(doc_type)] if doc_type else [],
                          issuer=folded_tokens(issuer) if issuer else [],
                          since=parse_date(since) if since else None,
                          until=parse_date(until, end=True) if until else None, year=year,
                          signed=_signed_state(signed))
        self._only_visible(filters)
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
        if result.get("suggestion") and not self.viewer.sees_all:
            # "did you mean" offers the index's words, a hidden letter's too: only one that finds
            # something this viewer may see is offered
            again = self.fulltext.search(self.catalog, result["suggestion"], limit=1, filters=filters,
                                         letters=letters)
            if not again["total"]:
                result["suggestion"] = None
        return SearchResult.from_dict(result)

    def _only_visible(self, filters: Filters) -> Filters:
        """FILTERS with what the viewer may not see left out, in the engine's query: so that
        total, facets and pages are the viewer's (the levels' terms, the ids of the rest)."""
        if not self.viewer.sees_all:
            marked, hidden = self._secrecy()
            filters.hidden_levels = hidden_levels(self.viewer)
            filters.hidden_ids = hidden - marked
        return filters

    def letters(self) -> Letters:
        """The copy groups of the archive (index/letters.py), read again when the relations change."""
        # `data_version` moves when another connection commits, `total_changes` when this one
        # writes: while neither has moved, nothing is counted again (counting costs ms at 100k)
        if self._base is not self:
            return self._base.letters()
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

    def references(self, key: str | Lookup) -> Citations:
        """What a document cites, each target resolved (index/graph.py)."""
        hidden = self.hidden()
        if self._unknown(key):
            return Citations(key=key, documents=[])  # a code printed only on hidden letters: unknown
        target = self._target(key)
        if target in hidden:
            return Citations(key=key.typed if isinstance(key, Lookup) else key, documents=[])
        result = CitationGraph(self.catalog.db).references(target)
        if hidden:
            result["documents"] = [restricted.as_citation(d) if d.get("id") in hidden else d
                                   for d in result["documents"]]
        result["documents"] = self.letters().fold_docs(result["documents"])
        return Citations.from_dict(result)

    def cited_by(self, key: str | Lookup, paging: Paging | None = None) -> Citations:
        """Which documents cite KEY; works for documents known only by citation too. With
        `paging`, a document that many cite answers grouped and paged (index/citer_groups.py)."""
        if self._hidden_id(key):
            return Citations(key=str(key), documents=[])
        graph = CitationGraph(self.catalog.db)
        target = self._target(key)
        fold = self._fold()
        grouped = graph.cited_by_grouped(target, paging, fold) if paging is not None else None
        if grouped is not None:
            return Citations.from_dict(grouped)
        result = graph.cited_by(target)
        result["documents"] = fold(result["documents"])  # copies of one letter: one entry
        if not result["documents"] and self._unknown(key):  # nothing visible names it: as unknown
            return Citations(key=key, documents=[])
        return Citations.from_dict(result)

    def _hidden_id(self, key: str | Lookup) -> bool:
        """Whether KEY, as typed, is the id of a document the viewer may not see."""
        return isinstance(key, str) and key.strip() in self.hidden()

    def _unknown(self, key: str | Lookup) -> bool:
        """Whether KEY, as typed, names nothing the viewer may see (a code printed only on
        hidden letters): such a node answers as an unknown one, never by its record's key."""
        return bool(self.hidden()) and isinstance(key, str) and self.lookup(key) is None

    def _fold(self) -> Callable[[list[dict]], list[dict]]:
        """Citers as the viewer sees them: copies of one letter as one, hidden letters left out."""
        letters, hidden = self.letters(), self.hidden()
        if not hidden:
            return letters.fold_docs
        return lambda docs: letters.fold_docs(restricted.visible(docs, hidden))

    def trace(self, key: str | Lookup, depth: int = 3, paging: Paging | None = None) -> Trace:
        """The tree of documents that cite KEY, level by level (who implements it). With
        `paging`, a document that many cite answers grouped and paged (index/citer_groups.py)."""
        letters, hidden = self.letters(), self.hidden()
        unknown = {"key": str(key), "code": str(key), "id": None, "doc_type": None, "issued_date": None,
                   "issuer": None, "subject": None, "children": []}
        if self._hidden_id(key):
            return Trace(unknown)
        tree = CitationGraph(self.catalog.db).trace(self._target(key), depth=depth, paging=paging,
                                                    fold=self._fold())
        if hidden:
            tree = restricted.trace_tree(tree, hidden)
            if not tree["children"] and "groups" not in tree and self._unknown(key):
                return Trace(unknown)
        return Trace(letters.fold_tree(tree))

    def graph(self, around: str | Lookup | None = None, depth: int = 2) -> GraphData:
        """Nodes and edges of the citation graph (all of it, or around one document)."""
        g = CitationGraph(self.catalog.db)
        hidden = self.hidden()
        if around:
            target = self._target(around)
            if target in hidden or self._hidden_id(around) or self._unknown(around):
                return GraphData(nodes=[], edges=[], center=None)
            nodes, edges, center = g.around(target, depth=depth)
        else:
            (nodes, edges), center = g.load_all(), None
        shown = list(nodes.values())
        if hidden:
            shown, edges = restricted.graph(shown, edges, hidden)
        return GraphData(nodes=shown, edges=edges, center=center)

    def stats(self) -> Stats:
        """Documents by type, issuer and year; the most cited; citations still unresolved."""
        return Stats(**CitationGraph(self.catalog.db).stats(hidden=self.hidden()))

    def original(self, doc_id: str) -> Original | None:
        """The kept original file of document DOC_ID: (path, format, file name as ingested).
        Only files inside `originals/` are ever returned; None for one the viewer may not see."""
        if not self._sees(doc_id):
            return None
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
        return Original(path, row["format"], name or path.name)

    def check(self, repair: bool = False, deep: bool = False) -> CheckResult:
        """Whether catalog, originals and full-text index agree; with `repair`, what is
        derived is rebuilt, lost originals recovered, leftovers of interrupted runs removed."""
        return check_archive(self, repair=repair, deep=deep)

    # -- digital signatures (issue 21) ----------------------------------------------------
    def trust_roots(self) -> list[Root]:
        """The CA certificates this archive trusts (index/signing/)."""
        return signing.roots(self.catalog.db)

    def trust_add(self, path: str | Path) -> list[Root]:
        """Add the CA certificate(s) of a .pem or .cer file; `TrustError` when one is not a CA."""
        self.must_write()
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise TrustError(f"không đọc được tệp {path} ({exc.strerror or type(exc).__name__})") from exc
        return signing.add_root(self.catalog.db, data)

    def trust_remove(self, fingerprint: str) -> Root:
        self.must_write()
        return signing.remove_root(self.catalog.db, fingerprint)

    def signatures(self, rec: Record) -> list[Signature]:
        """REC's digital signatures with `trusted` judged against the roots held now (index/signing/)."""
        if not rec.signatures:
            return []
        found = self.original(rec.id)
        return signing.current(rec.signatures, found[0] if found else None, self.catalog.db,
                              rec.source.get("sha256") or rec.id)

    def verify(self, paths: Iterable[str | Path]) -> VerifyReport:
        """Check the signatures of files without ingesting them, against this archive's roots."""
        return verify_files(paths, [r.der for r in self.trust_roots()] or None)

    @staticmethod
    def verify_without_archive(paths: Iterable[str | Path]) -> VerifyReport:
        """As `verify`, with no trust roots (`trusted` null)."""
        return verify_files(paths, None)

    # -- duplicates ----------------------------------------------------------------------
    @property
    def dedup_index(self) -> DedupIndex:
        if self._base is not self:
            return self._base.dedup_index
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

    @property
    def dedup_config(self) -> DedupConfig:
        """The thresholds new documents are checked with (the archive's, see `dedup`); set
        for this `Archive` alone, they hold for its next ingest without being stored."""
        return self.dedup_index.config

    @dedup_config.setter
    def dedup_config(self, config: DedupConfig) -> None:
        self.dedup_index.config = config

    def first_path(self, doc_id: str) -> str | None:
        """The file that first brought document DOC_ID's text, as the duplicate index recorded it."""
        return self.dedup_index.first_path(doc_id) if self._sees(doc_id) else None

    def duplicates(self, key: str | Lookup) -> list[Duplicate]:
        """What the document KEY duplicates or continues, and what duplicates or continues it."""
        rec = self.get(key)
        if rec is None:
            return []
        out = []
        for e in self.dedup_index.edges_of(rec.id):
            other = e.of if e.id == rec.id else e.id
            if not self._sees(other):
                continue
            other_path = e.path if e.id != rec.id else self.dedup_index.first_path(e.of)
            other_rec = self.catalog.record(other)
            out.append(Duplicate(path=other_path or None, id=other, of=rec.id, relation=e.relation,
                                 similarity=e.similarity, code=other_rec.code if other_rec else None,
                                 issued_date=other_rec.issued_date if other_rec else None))
        return out

    def dedup(self, config: DedupConfig | None = None, recheck: bool = False, wait: float = 0.0) -> Clusters:
        """Clusters of duplicates, near-duplicates, series and conflicts. With `config`, the
        thresholds are stored for this archive; with `recheck` (or a new config), every
        document is checked again against those before it (the relations are derived data).
        Those two write, as the archive's one writer (`ArchiveBusy` past `wait` s)."""
        index = self.dedup_index
        if config is not None or recheck:
            self.must_write()
            with writer_lock(self.root, wait=wait, what="congvan dedup"):
                if config is not None:
                    config.save(self.catalog.db)
                    index.config = config
                self._recheck()
                self.fulltext.sync_roles()  # a document that became a copy, or stopped being one
        out = []
        for c in dedup_clusters(index.edges(), index.first_path):
            for m in c["members"]:
                rec = self.catalog.record(m["id"])
                m["code"] = rec.code if rec else None
            c["members"] = [{k: m[k] for k in ("id", "code", "path", "similarity")} for m in c["members"]]
            out.append(c)
        hidden = self.hidden()
        return Clusters(restricted.clusters(out, hidden) if hidden else out)

    def _recheck(self) -> None:
        docs = self.catalog.db.execute("SELECT id, key FROM documents ORDER BY rowid").fetchall()
        self.dedup_index.rebuild(docs)

    def similar(self, key: str | Lookup, limit: int = 10) -> Similar:
        """Precedent letters like KEY: same topic in other years, same template elsewhere."""
        rec = self.get(key)
        if rec is None:
            return Similar(key=key.typed if isinstance(key, Lookup) else key, documents=[])
        found = self.fulltext.similar(self.catalog, rec, limit=limit, filters=self._only_visible(Filters()))
        docs = [{**self.ref_doc(other), "similarity": sim} for other, sim in found]
        letters = self.letters()  # its own copies are not precedents; other letters' copies fold
        docs = letters.fold_docs([d for d in docs if letters.representative(d["id"]) != letters.representative(rec.id)])
        return Similar(key=record_key(rec) or rec.id, documents=docs)

    # -- the office's work: what is due, what is answered (issue 19) ------------------------
    def deadlines(self, since: str | None = None, until: str | None = None, overdue: bool = False,
                  open_only: bool = False, issuer: str | None = None,
                  today: datetime.date | None = None) -> Deadlines:
        """Every obligation the letters set (index/office/_deadlines.py), by date, one list per letter,
        each with the letters that answer it. Dates as typed (`15/9/2025`, `2025-09-15`, `9/2025`);
        `QueryError` with a Vietnamese message on a bad one. `today` decides what is overdue."""
        f = DeadlineFilter(deadline_day(since), deadline_day(until, end=True), overdue, open_only, issuer,
                           today or datetime.date.today())
        found = find_deadlines(self.catalog.db, self.letters(), f)
        hidden = self.hidden()
        if hidden:
            found.items = [o for o in found.items if o.document.get("id") not in hidden]
            for o in found.items:
                o.answered_by = restricted.visible(o.answered_by, hidden)
        return found

    def answers(self, doc_id: str) -> Answers:
        """Whether the letter of DOC_ID asks for something (sets a deadline), and the later
        letters that answer it (index/office/_answers.py), copies folded."""
        letters, hidden = self.letters(), self.hidden()
        if doc_id in hidden:
            return Answers(False, [])
        rep = letters.representative(doc_id)
        return Answers(asks_for_answer(self.catalog.db, letters, doc_id),
                       restricted.visible(answered_by(self.catalog.db, letters, [rep]).get(rep, []), hidden))

    # -- the office's work: its registers, results out, a watched folder (issue 19) ---------
    def office(self) -> Office | None:
        """The office that keeps the archive (`congvan config office`), None until it is set."""
        from index.catalog import settings
        data = settings.get(self.catalog.db, "office")
        return Office.from_dict(data) if data else None

    def set_office(self, name: str, codes: Iterable[str] = (), wait: float = 0.0) -> Office:
        """Set the office's name and authority codes (`OfficeError` says what is wrong)."""
        from index.catalog import settings
        office = Office.make(name, tuple(codes))
        self.must_write()
        with writer_lock(self.root, wait=wait, what="congvan config office"):
            settings.put(self.catalog.db, "office", office.to_dict())
        return office

    def register(self, direction: str, year: int, office: Office | None = None) -> Register:
        """The sổ đăng ký văn bản đến (`in`) or đi (`out`) of YEAR (index/office/_registers.py), for
        OFFICE or the one set; `OfficeError` when none is."""
        from index.office import register
        office = office or self.office()
        if office is None:
            raise OfficeError("chưa đặt cơ quan của kho: congvan config office --name \"…\" --code MÃ")
        return register(self.catalog.db, self.letters(), office, direction, year, self.hidden())

    def export_search(self, query: str, fmt: str, limit: int = MAX_EXPORT, **filters) -> bytes:
        """Every hit of a search (up to LIMIT) as CSV, XLSX or JSON Lines (index/office/_export.py);
        FILTERS as `search` takes them."""
        from index.office import hits_table
        result = self.search(query, limit=max(1, min(limit, MAX_EXPORT)), **filters)
        return hits_table(query, result).render(fmt)

    def watch(self, folders: Iterable[str | Path], **options) -> int:
        """Ingest what arrives in FOLDERS until stopped (index/office/_watch.py); the files ingested."""
        from index.office import watch
        return watch(self, [Path(f) for f in folders], **options)


    # -- backup ----------------------------------------------------------------------------
    def backup(self, dest: str | Path) -> BackupReport:
        """A consistent copy in DEST while the archive is in use (`index/catalog/_backup.py`):
        the catalog's online snapshot, then the originals it names; no writer lock is taken."""
        return backup_archive(self.catalog.db, self.root, Path(dest))

    @classmethod
    def restore(cls, src: str | Path, folder: str | Path) -> RestoreReport:
        """A working archive in FOLDER (absent or empty) from the backup at SRC, its full-text
        index rebuilt from the restored catalog."""
        def build_index(root: Path) -> int:
            archive = cls(root)
            try:
                return archive.fulltext.count()  # opening a missing index builds it from the catalog
            finally:
                archive.close()
        return restore_archive(Path(src), Path(folder), build_index)
