"""`congvan check`: do the catalog, the originals and the full-text index agree?

The catalog is the source of truth and is never changed here. What is derived from it is
repaired (`--repair`): the full-text index gets the documents it lacks and loses the ones the
catalog does not have, or is rebuilt whole when it cannot be read. An original that is missing
or damaged is copied again from the path it was ingested from, when that file still has the
same sha256. Leftovers of interrupted runs (`*.part` copies, originals that no catalog row
names because the run died before its transaction) are removed. Repairs take the archive's
writer lock, so they never race an ingest."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from index.catalog._lock import writer_lock
from ingest import sha256_file


@dataclass
class CheckResult:
    problems: list[dict] = field(default_factory=list)  # {"kind", "detail", "repaired"}
    notes: list[str] = field(default_factory=list)  # worth knowing, not inconsistent
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is left unrepaired."""
        return all(p["repaired"] for p in self.problems)

    def add(self, kind: str, detail: str, repaired: bool = False) -> None:
        self.problems.append({"kind": kind, "detail": detail, "repaired": repaired})

    def to_dict(self) -> dict:
        return {"ok": self.ok, "counts": self.counts, "problems": self.problems, "notes": self.notes}

    def summary(self) -> str:
        c = self.counts
        head = (f"{c.get('files', 0)} file(s), {c.get('documents', 0)} document(s) in the catalog, "
                f"{c.get('originals', 0)} original(s), {c.get('indexed', 0)} in the full-text index")
        if not self.problems:
            return f"consistent: {head}"
        left = sum(not p["repaired"] for p in self.problems)
        fixed = len(self.problems) - left
        return f"{'INCONSISTENT' if left else 'repaired'}: {head}; {fixed} repaired, {left} left"


def _check_catalog(db, result: CheckResult) -> set[str]:
    rows = db.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        result.add("catalog", "SQLite integrity check failed: " + "; ".join(str(r[0]) for r in rows[:5]))
    for row in db.execute("PRAGMA foreign_key_check").fetchall()[:20]:
        result.add("catalog", f"row {row[1]} of table {row[0]} points to a missing {row[2]} row")
    ids: set[str] = set()
    for doc_id, record in db.execute("SELECT id, record FROM documents"):
        try:
            ok = json.loads(record).get("id") == doc_id
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            result.add("catalog", f"document {doc_id}: its stored record is unreadable or has another id")
        ids.add(doc_id)
    # A file is written with its documents in one transaction, so a file without documents is
    # not a torn write: its text equals documents that another file brought first (same id).
    for (sha,) in db.execute("SELECT sha256 FROM files f WHERE NOT EXISTS "
                             "(SELECT 1 FROM documents d WHERE d.sha256 = f.sha256)"):
        result.notes.append(f"file {sha[:12]}… has no documents of its own: same text as another file's")
    return ids


def _recover_original(db, root: Path, sha: str, target: Path) -> bool:
    """Copy the original again from a path it was ingested from, if that file is unchanged."""
    for (path,) in db.execute("SELECT path FROM paths WHERE sha256 = ?", (sha,)):
        src = Path(os.fsdecode(path))  # a name that is not UTF-8 is stored as its bytes
        if src.is_file() and sha256_file(src) == sha:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
            return True
    return False


def _check_originals(db, root: Path, result: CheckResult, repair: bool, deep: bool) -> None:
    named: set[Path] = set()
    files = db.execute("SELECT sha256, size, original FROM files").fetchall()
    for sha, size, original in files:
        path = (root / original).resolve()
        named.add(path)
        if not path.is_file():
            problem = "missing"
        elif path.stat().st_size != size:
            problem = f"has {path.stat().st_size} bytes, the catalog says {size}"
        elif deep and sha256_file(path) != sha:
            problem = "does not match its sha256"
        else:
            continue
        fixed = repair and _recover_original(db, root, sha, path)
        if fixed:
            note = "; copied again from its source"
        elif repair:
            note = "; its source file is gone or changed: re-ingest it from a copy"
        else:
            note = "; `congvan check --repair` copies it again from its source if unchanged"
        result.add("original", f"{original} {problem}{note}", fixed)
    base = root / "originals"
    seen = 0
    for path in sorted(base.rglob("*")) if base.is_dir() else []:
        if not path.is_file():
            continue
        if path.suffix == ".part":
            if repair:
                path.unlink(missing_ok=True)
            result.add("leftover", f"{path.relative_to(root)}: half-copied file of an interrupted run", repair)
        elif path.resolve() not in named:
            if repair:
                path.unlink(missing_ok=True)
            result.add("leftover", f"{path.relative_to(root)}: original of a file whose ingest was "
                                   "interrupted before its catalog transaction", repair)
        else:
            seen += 1
    result.counts["originals"] = seen


def _check_index(archive, ids: set[str], result: CheckResult, repair: bool) -> None:
    from index.search import FullText, current_folder, open_engine

    folder = current_folder(archive.root, archive.engine)
    try:
        engine = open_engine(archive.engine, folder)  # as is: `Archive.fulltext` would quietly rebuild it
        indexed = engine.ids()
    except Exception as exc:  # damaged on disk: derived data, rebuilt from the catalog
        result.counts["indexed"] = 0
        if repair:
            shutil.rmtree(folder, ignore_errors=True)
            # written with the copies' roles, as `Archive.fulltext` writes it (else searches take the id path)
            ft = FullText(archive.root, archive.engine, archive.catalog.documents, archive.catalog.count,
                          copies=lambda: archive.letters().hidden(), record=archive.catalog.record)
            result.counts["indexed"] = len(ft.engine.ids())
            ft.close()
        fix = "rebuilt from the catalog" if repair else "`congvan check --repair` rebuilds it"
        result.add("index", f"full-text index unreadable ({type(exc).__name__}: {str(exc)[:120]}); {fix}", repair)
        return
    missing, extra = ids - indexed, indexed - ids
    result.counts["indexed"] = len(indexed)
    if missing or extra:
        if repair:
            if extra:
                engine.delete(sorted(extra))
            if missing:
                engine.add([r for r in (archive.catalog.record(i) for i in sorted(missing)) if r is not None])
            result.counts["indexed"] = len(engine.ids())
        result.add("index", f"{len(missing)} document(s) of the catalog not in the full-text index, "
                            f"{len(extra)} indexed but not in the catalog", repair)
    engine.close()


def check_archive(archive, repair: bool = False, deep: bool = False) -> CheckResult:
    """Verify (and with `repair`, fix what is derived); the writer lock is taken to repair."""
    result = CheckResult()
    db = archive.catalog.db
    if archive._fulltext is not None:  # look at the index on disk, not a handle opened earlier
        archive._fulltext.close()
        archive._fulltext = None

    def run() -> None:
        ids = _check_catalog(db, result)
        result.counts["documents"] = len(ids)
        result.counts["files"] = db.execute("SELECT count(*) FROM files").fetchone()[0]
        _check_originals(db, archive.root, result, repair, deep)
        _check_index(archive, ids, result, repair)

    if repair:
        archive.must_write()
        with writer_lock(archive.root, what="congvan check --repair"):
            run()
    else:
        run()
    return result
