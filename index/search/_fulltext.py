"""The full-text side of an archive: one engine (Whoosh or Tantivy, see `index.search._engine`),
derived from the catalog and rebuilt from it whenever it is missing, stale or damaged.

Writes are safe: one writer at a time (a file lock beside the index), retries when the
engine reports its own lock busy, and an index that fails to open or to write is rebuilt
from the catalog instead of failing the command. Search results are assembled here from the
engine's ids and the catalog's records (snippets, facets, "did you mean", precedents)."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from index.catalog import fsync_path
from index.dedup import Letters
from index.search._engine import (
    COPY,
    ENGINES,
    LETTER,
    Engine,
    EngineHit,
    EngineResult,
    IndexLocked,
    open_engine,
    retry,
    write_lock,
)
from index.search._hits import hit_rows
from index.search._query_language import Filters, Or, Phrase, Query, QueryError, Word, parse
from index.search._snippets import snippet
from index.search._tokens import folded_tokens, syllables
from nlp.models import Record
from text.fold import fold

log = logging.getLogger(__name__)
FOLDERS = {"whoosh": "fulltext", "tantivy": "tantivy"}
BATCH = 500
# of the fields and analysis; an index of another version is rebuilt (6: ids as a fast column;
# 7: each document's role, copy or letter; 8: `signed`, what its digital signatures say;
# 9: each document's secrecy level)
VERSION = "9"
# in the index folder: the digest of the copies whose roles the index holds, written after the
# commit that made them so (removed before it): a reader whose copies have another digest does
# not trust the roles, and searches through the ids of its copies instead
ROLES = "congvan-roles"

__all__ = ["FullText", "QueryError", "IndexLocked", "ENGINES"]


IN_USE = ".congvan-in-use"  # in each index folder: a shared flock while a handle reads it


def current_folder(root: Path, engine: str) -> Path:
    """The index folder in use: the one `<folder>.current` names (`tantivy-3`), written
    atomically when a rebuild is complete; else the unversioned folder (`tantivy/`) of an archive
    made before versions, or of a new one until its first build."""
    name = FOLDERS[engine]
    try:
        named = (Path(root) / f"{name}.current").read_text(encoding="utf-8").strip()
    except OSError:
        return Path(root) / name
    return Path(root) / named if re.fullmatch(rf"{re.escape(name)}-\d+", named) else Path(root) / name


def _hold(folder: Path) -> int | None:
    """A shared lock on `folder` for as long as a handle reads it, so that no rebuild removes it
    meanwhile; None where it cannot be taken (a read-only archive, which no rebuild touches)."""
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):
        try:
            fd = os.open(folder / IN_USE, flags, 0o644)
        except OSError:
            continue
        fcntl.flock(fd, fcntl.LOCK_SH)
        return fd
    return None


def _release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def copies_digest(copies: Iterable[str]) -> str:
    return hashlib.sha1("\n".join(sorted(copies)).encode("utf-8")).hexdigest()



class FullText:
    """The index of one engine. A rebuild never touches the index in use: it fills a new
    folder beside it and then points `<folder>.current` at it in one atomic rename, so a search
    during a rebuild reads the complete old index, and a rebuild that is killed leaves it in use
    (its half-built folder is removed by the next rebuild). Readers follow the pointer on each
    query; an old folder is removed once no reader holds it."""

    def __init__(self, root: Path, engine: str, records: Callable[[], Iterable[Record]],
                 expected: Callable[[], int], rebuild_stale: bool = True, read_only: bool = False,
                 copies: Callable[[], frozenset[str]] | None = None,
                 record: Callable[[str], Record | None] | None = None):
        """COPIES: the ids of the archive's copies that are not their letter's representative
        (`Letters.hidden`), RECORD: one record of the catalog; with both, an engine that keeps
        roles (Tantivy) is written with them."""
        if engine not in ENGINES:
            raise ValueError(f"unknown search engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.name = engine
        self.root = Path(root)
        self.base = self.root / FOLDERS[engine]  # names the write lock, and the unversioned folder
        self._records = records
        self._expected = expected
        self._copies = copies
        self._record = record
        self._digests: tuple[frozenset[str], str] | None = None  # the last copies asked about, their digest
        self.rebuilt_on_open = False
        self._in_use: int | None = None
        self.read_only = read_only  # on read-only media: read as it is, never rebuilt nor swept
        # how a reader becomes the archive's writer to rebuild a damaged index (`Archive` sets it)
        self.rebuild_guard: Callable[[], AbstractContextManager] | None = None
        self._scratch: Path | None = None  # a private copy of an index its engine cannot open read-only
        # a reader opening while an ingest writes sees counts that differ for a moment: it
        # must read the index as it is, never rebuild it under the writer
        self.rebuild_stale = rebuild_stale
        self.engine: Engine = self._open()
        if rebuild_stale:
            self.refresh()

    def stale(self) -> bool:
        """Whether the index lags the catalog (a run killed between commits) or is of an older version."""
        return self.engine.count() != self._expected() or self._version() != VERSION

    def refresh(self) -> None:
        """As the archive's writer: rebuild a stale index, else sweep what killed rebuilds left."""
        if self.stale():
            self.rebuild()
            self.rebuilt_on_open = True
        else:
            self.sweep()
            if not self.read_only:
                self.sync_roles()

    def _version(self) -> str | None:
        try:
            return (self.folder / "congvan-version").read_text().strip()
        except OSError:
            return None

    def _attach(self) -> None:
        """Point `folder` and the shared hold at the current folder (the pointer read again if
        a rebuild swapped and swept it in between)."""
        for _ in range(10):
            folder = current_folder(self.root, self.name)
            hold = _hold(folder) if folder.is_dir() else None
            if current_folder(self.root, self.name) == folder:
                break
            _release(hold)
        _release(self._in_use)
        self.folder, self._in_use = folder, hold

    def _open(self) -> Engine:
        self._attach()
        if self.read_only:
            return self._open_read_only()
        try:
            return open_engine(self.name, self.folder)
        except Exception as exc:  # a damaged index is rebuilt, never fatal: the catalog has it all
            log.warning("full-text index %s could not be opened (%s); rebuilding from the catalog", self.folder, exc)
            self.engine = None
            with write_lock(self.base):
                self._rebuild_locked()
            return self.engine

    def _open_read_only(self) -> Engine:
        """The index of a read-only archive. Tantivy takes a lock file to open an index, which
        read-only media refuse: it then reads a private copy in the temporary folder."""
        try:
            return open_engine(self.name, self.folder)
        except Exception as exc:
            log.info("index %s cannot be opened in place (%s); reading a temporary copy", self.folder, exc)
        self._drop_scratch()
        self._scratch = Path(tempfile.mkdtemp(prefix="congvan-index-"))
        copy = self._scratch / self.folder.name
        shutil.copytree(self.folder, copy, ignore=shutil.ignore_patterns(IN_USE, "*.lock"))
        return open_engine(self.name, copy)

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _follow(self) -> None:
        """Read the index a rebuild has swapped in, if one has."""
        if current_folder(self.root, self.name) != self.folder:
            old = self.engine
            self.engine = self._open()
            if old is not None and old is not self.engine:
                old.close()
            self.sweep()  # the folder just left may have been the last one held

    def sweep(self) -> None:
        """`_sweep` if no rebuild is running (else the rebuild sweeps when it is done)."""
        if self.read_only:
            return
        try:
            with write_lock(self.base, timeout=0):
                self._sweep()
        except (IndexLocked, OSError):
            pass

    def _fill(self, engine: Engine) -> None:
        if self._keeps_roles(engine):  # the engine fills itself in one commit (Tantivy), roles too
            copies = self._copies()
            engine.add_all(self._records(), copies)
            (engine.folder / ROLES).write_text(copies_digest(copies))
            return
        if hasattr(engine, "add_all"):
            engine.add_all(self._records())
            return
        batch: list[Record] = []
        for rec in self._records():
            batch.append(rec)
            if len(batch) >= BATCH:
                engine.add(batch)
                batch = []
        if batch:
            engine.add(batch)

    # -- writes -------------------------------------------------------------------------
    def count(self) -> int:
        return self.engine.count()

    def _keeps_roles(self, engine: Engine | None = None) -> bool:
        return self._copies is not None and getattr(engine or self.engine, "has_roles", False)

    def _write_roles(self, records: list[Record]) -> None:
        """RECORDS written, and the documents whose role changed since the last write (a file
        that became a copy, a letter whose representative changed) written again, in one
        commit; the roles' digest is removed before and written after it."""
        if not self._keeps_roles():
            if getattr(self.engine, "has_roles", False):  # written without the copy groups: roles unknown now
                (self.folder / ROLES).unlink(missing_ok=True)
            self.engine.add(records)
            return
        copies = self._copies()
        marker = self.folder / ROLES
        try:
            if marker.read_text().strip() == copies_digest(copies) and not records:
                return
        except OSError:
            pass
        written = {r.id for r in records}
        changed = (copies ^ self.engine.role_ids()) - written
        again = [r for r in (self._record(i) for i in sorted(changed)) if r is not None] if self._record else []
        marker.unlink(missing_ok=True)
        if records or again:
            self.engine.add(records + again, copies)
        marker.write_text(copies_digest(copies))

    def sync_roles(self) -> None:
        """As the archive's writer: re-write the documents whose role changed (after the copy
        groups changed without an ingest, e.g. `congvan dedup --recheck`)."""
        if self._keeps_roles():
            with write_lock(self.base):
                retry(lambda: self._write_roles([]))

    def roles_current(self, copies: frozenset[str]) -> bool:
        """Whether the index's roles are those of COPIES (else they are not used)."""
        if not getattr(self.engine, "has_roles", False):
            return False
        if self._digests is None or self._digests[0] is not copies:
            self._digests = (copies, copies_digest(copies))
        try:
            return (self.folder / ROLES).read_text().strip() == self._digests[1]
        except OSError:
            return False

    def add(self, records: list[Record]) -> None:
        with write_lock(self.base):
            try:
                retry(lambda: self._write_roles(records))
            except IndexLocked:
                raise
            except Exception as exc:
                log.warning("writing the full-text index failed (%s); rebuilding it from the catalog", exc)
                self._rebuild_locked()

    def rebuild(self) -> None:
        """Fill a new index from the catalog beside the one in use, then swap them."""
        with write_lock(self.base):
            self._rebuild_locked()

    def _next_folder(self) -> Path:
        taken = [int(m.group(1)) for p in self.root.glob(f"{FOLDERS[self.name]}-*")
                 if (m := re.fullmatch(rf"{re.escape(FOLDERS[self.name])}-(\d+)", p.name))]
        return self.root / f"{FOLDERS[self.name]}-{max(taken, default=0) + 1}"

    def _rebuild_locked(self) -> None:
        self._sweep()
        folder = self._next_folder()
        engine = open_engine(self.name, folder)
        try:
            self._fill(engine)
            (folder / "congvan-version").write_text(VERSION)
            fsync_path(folder)
        except BaseException:
            engine.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        hold = _hold(folder)
        pointer = self.root / f"{FOLDERS[self.name]}.current"
        tmp = pointer.with_name(f".{pointer.name}.{os.getpid()}")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(folder.name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, pointer)  # the swap: readers see the old index or the new one, never none
        fsync_path(self.root)
        old = self.engine
        _release(self._in_use)
        self.engine, self.folder, self._in_use = engine, folder, hold
        if old is not None:
            old.close()
        self._sweep()

    def _sweep(self) -> None:
        """Remove the index folders not in use: older ones no reader holds any more, half-built
        ones of a killed rebuild (with the write lock held, no rebuild is running)."""
        current = current_folder(self.root, self.name)
        name = FOLDERS[self.name]
        for tmp in self.root.glob(f".{name}.current.*"):
            tmp.unlink(missing_ok=True)
        for folder in [self.root / name, *self.root.glob(f"{name}-*")]:
            if folder == current or not folder.is_dir() or not re.fullmatch(rf"{re.escape(name)}(-\d+)?", folder.name):
                continue
            try:
                fd = os.open(folder / IN_USE, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a reader still has it open: removed by a later rebuild
            try:
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(fd)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        _release(self._in_use)
        self._in_use = None
        self._drop_scratch()

    # -- reads --------------------------------------------------------------------------
    def query(self, q: Query, **kwargs) -> EngineResult:
        return self._ask("search", q, **kwargs)

    def matching_ids(self, q: Query, **kwargs) -> set[str]:
        return self._ask("matching_ids", q, **kwargs)

    def _ask(self, method: str, q: Query, **kwargs):
        try:
            self._follow()
            return getattr(self.engine, method)(q, **kwargs)
        except (QueryError, ValueError, TypeError):
            raise
        except Exception as exc:
            # a concurrent commit may have removed the files just listed: open again and retry;
            # only an index still unreadable then is damaged, and rebuilt from the catalog
            try:
                self.engine.close()
                self.engine = self._open()
                return getattr(self.engine, method)(q, **kwargs)
            except Exception:
                if self.read_only or (not self.rebuild_stale and self.rebuild_guard is None):
                    raise
            log.warning("full-text search failed (%s); rebuilding the index from the catalog", exc)
            if self.rebuild_stale:
                self.rebuild()
            else:  # a reader: only as the archive's writer, never under an ingest (`ArchiveBusy` then)
                with self.rebuild_guard():
                    self.rebuild()
            return getattr(self.engine, method)(q, **kwargs)

    def search(self, catalog, text: str, limit: int = 10, offset: int = 0, sort: str = "score",
               filters: Filters | None = None, letters: Letters | None = None) -> dict:
        """The `congvan search --json` shape of SCHEMA.md, plus `suggestion` ("did you mean",
        or null) and `relaxed` (true when no document had every word, so any word counted).
        With `letters` (the copy groups of `index.dedup.copies`), a hit is a letter: found when any
        of its copies matches, shown as its representative, its snippet cut from a copy that
        matches; total and facets count letters."""
        q = parse(text, filters)
        res, found, ranked = self._letter_query(q, letters, limit, offset, sort, any_word=False)
        relaxed = False
        if res.total == 0 and len(q.must) > 1:
            res, found, ranked = self._letter_query(q, letters, limit, offset, sort, any_word=True)
            relaxed = res.total > 0
            if relaxed:  # an ingest may have committed in between: ask once more for every word
                strict = self._letter_query(q, letters, limit, offset, sort, any_word=False)
                if strict[0].total:
                    (res, found, ranked), relaxed = strict, False
        words = q.words()
        # the snippet of a letter that ranks by a copy's score is that copy's; in date order,
        # of a letter that does not match the query itself
        source = {h.id: found[h.id][0] for h in res.hits if h.id in found} if ranked else \
            self._snippet_sources(q, res.hits, found, relaxed)
        rows = hit_rows(catalog.db, [h.id for h in res.hits] + list(source.values()))
        hits = []
        for h in res.hits:
            row = rows.get(h.id)
            if row is None:
                continue
            row = dict(row)
            text = row.pop("text")
            if source.get(h.id) in rows:
                text = rows[source[h.id]]["text"]
            hits.append({**row, "score": round(h.score, 4), "snippet": snippet(text, words)})
        return {"total": res.total, "hits": hits, "facets": res.facets,
                "suggestion": self.suggest(q) if (relaxed or res.total == 0 or res.total < 3) else None,
                "relaxed": relaxed}

    def _letter_query(self, q: Query, letters: Letters | None, limit: int, offset: int, sort: str,
                      any_word: bool) -> tuple[EngineResult, dict[str, list[str]], bool]:
        """One page of letters: (the engine's result, each letter found through copies → those
        copies, the best first, whether those letters rank by their copies). The copies are
        left out of the main query and the letters whose copies match are added to it, so each
        letter is one hit and the engine's total, facets and date order count letters; a letter
        ranks by the best score of its own text and its copies' (see `_rank_letters`)."""
        hidden = letters.hidden() if letters is not None else frozenset()
        if not hidden:
            return self.query(q, limit=limit, offset=offset, sort=sort, any_word=any_word), {}, False
        if self.roles_current(hidden):
            # each document's role (copy or letter) is one term of the index: no set of ids
            page = self._letters_page(q, letters, hidden, limit, offset, sort, any_word, by_role=True)
            if page is not None:
                return page
            log.info("the index's roles disagree with the copy groups (a write in between): searching by ids")
        return self._letters_page(q, letters, hidden, limit, offset, sort, any_word, by_role=False)

    def _letters_page(self, q: Query, letters: Letters, hidden: frozenset[str], limit: int, offset: int,
                      sort: str, any_word: bool, by_role: bool
                      ) -> tuple[EngineResult, dict[str, list[str]], bool] | None:
        """`_letter_query` with the copies told apart by the index's roles (BY_ROLE) or by
        their ids. By role, None when what the index found disagrees with LETTERS (a copy
        marked as a letter on the page, a letter marked as a copy among the matches)."""
        no_copies: dict = {"role": LETTER} if by_role else {"exclude": hidden}
        if any_word:
            # the fallback when no letter holds every word: through the representatives only
            # (any word of a long query is in most copies; searching them all would be the cost)
            res = self.query(q, limit=limit, offset=offset, sort=sort, any_word=True, **no_copies)
            return (res, {}, False) if self._agrees(res, hidden, by_role) else None
        # a copy is matched on its words alone; the filters (type, issuer, dates) are the
        # letter's, read from its representative by the main query
        words_only = replace(q, filters=Filters())
        only_copies: dict = {"role": COPY} if by_role else {"within": hidden}
        matched = self.matching_ids(words_only, any_word=any_word, **only_copies)
        if by_role and not matched <= hidden:
            return None
        found: dict[str, list[str]] = {}
        for copy in sorted(matched):
            found.setdefault(letters.representative(copy), []).append(copy)
        if not by_role:  # the counts less the few copies that match, not the clause of every copy
            no_copies["excluded_matches"] = matched
        if not found or sort != "score":
            res = self.query(q, limit=limit, offset=offset, sort=sort, any_word=any_word, also=found, **no_copies)
            return (res, found, False) if self._agrees(res, hidden, by_role) else None
        res, own = self._rank_letters(q, words_only, letters, matched, found, limit, offset, any_word,
                                      no_copies, {"role": COPY} if by_role else {"within": matched})
        if not self._agrees(res, hidden, by_role):
            return None
        return res, {i: c for i, c in found.items() if i not in own}, True

    @staticmethod
    def _agrees(res: EngineResult, hidden: frozenset[str], by_role: bool) -> bool:
        """No copy on the page (searched by ids, none can be)."""
        return not by_role or not any(h.id in hidden for h in res.hits)

    def _rank_letters(self, q: Query, words_only: Query, letters: Letters, matched: set[str],
                      found: dict[str, list[str]], limit: int, offset: int, any_word: bool,
                      no_copies: dict, only_matched: dict) -> tuple[EngineResult, set[str]]:
        """The letters of page OFFSET:OFFSET+LIMIT by score, the letter's score being the best of
        its own and its copies'. The first K = OFFSET+LIMIT letters are among the first K by
        their own score (A) and the first K by their best copy's (B): a letter in neither has K
        letters above it either way. So both are asked for K, merged (equal scores in the engine's
        order, own before copies', so that page n+1 goes on where page n ended), and cut; total
        and facets are the main query's, which holds every letter once. Also returned: the
        letters ranked by their own text (their snippet is their own)."""
        need = offset + limit
        main = self.query(q, limit=need, sort="score", any_word=any_word, also=found, **no_copies)
        best: dict[str, float] = {}
        asked = need
        while True:
            ranked = self.query(words_only, limit=asked, facets=False, any_word=any_word, **only_matched)
            best = {}
            for h in ranked.hits:
                rep = letters.representative(h.id)
                if rep not in best:
                    best[rep] = h.score
                    found[rep] = [h.id] + [c for c in found[rep] if c != h.id]
            if len(best) >= need or len(ranked.hits) >= len(matched):
                break  # K letters (a letter may have several copies among the first K), or all of them
            asked *= 2
        if not q.filters.empty() or q.must_not:  # a letter found through a copy keeps the letter's filters
            allowed = self.matching_ids(replace(q, must=[], proximity=[], bare_code=None), any_word=False,
                                        within=list(best))
            best = {i: s for i, s in best.items() if i in allowed}
        scores: dict[str, tuple[float, int, int]] = {}
        for rank, h in enumerate(main.hits):  # the query's own matches (the engine ranks no letter added)
            scores[h.id] = (h.score, 0, rank)
        for rank, (doc_id, score) in enumerate(best.items()):
            if doc_id not in scores or score > scores[doc_id][0]:
                scores[doc_id] = (score, 1, rank)
        order = sorted(scores, key=lambda i: (-scores[i][0], scores[i][1], scores[i][2]))
        page = [EngineHit(i, scores[i][0]) for i in order[offset:offset + limit]]
        own = {i for i in order[offset:offset + limit] if scores[i][1] == 0 and scores[i][0] > 0}
        return EngineResult(main.total, page, main.facets), own

    def _snippet_sources(self, q: Query, hits: list, found: dict[str, list[str]], any_word: bool) -> dict[str, str]:
        """Hit id → the copy its snippet is cut from, for the letters that do not match the
        query themselves but through a copy (a line only the re-sent copy holds), or that rank
        by a copy's score."""
        pending = [h.id for h in hits if h.id in found]
        if not pending:
            return {}
        own = self.matching_ids(replace(q, filters=Filters()), any_word=any_word, within=pending)
        return {i: found[i][0] for i in pending if i not in own}

    def suggest(self, q: Query) -> str | None:
        """The query with each word that the index does not know replaced by the nearest
        word it does know (folded, by edit distance, the most common on ties)."""
        changed = False
        out = q.text
        for w in q.words():
            fw = fold(w)
            if len(fw) < 3 or fw.isdigit() or self.engine.doc_freqs("body_f", [fw])[fw] > 0:
                continue
            vocab = self.engine.terms_with_prefix("body_f", fw[0], limit=5000)
            best = None
            for t in vocab:
                d = Levenshtein.distance(fw, t, score_cutoff=2)
                if d <= (1 if len(fw) <= 4 else 2) and t != fw:
                    best = min(best or (d, t), (d, t))
            if best:
                close = [t for t in vocab if Levenshtein.distance(fw, t) == best[0]]
                freqs = self.engine.doc_freqs("body_f", close)
                pick = max(close, key=lambda t: (freqs[t], t))
                out = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", pick, out, count=1, flags=re.I)
                if pick not in out:  # the word was typed in another tone placement or case
                    out = " ".join(pick if fold(x) == fw else x for x in out.split())
                changed = True
        return out if changed else None

    def similar(self, catalog, rec: Record, limit: int = 10,
                filters: Filters | None = None) -> list[tuple[Record, float]]:
        """Precedents: documents sharing this one's key terms (its subject's words, and the
        body's rarest frequent words), ranked by how much of the document's own score they reach;
        among those `filters` allow (what a viewer may see)."""
        n = max(self.engine.count(), 1)
        subject = syllables(rec.subject or "")
        tf = Counter(t for t in folded_tokens(rec.text) if len(t) > 1 and not t.isdigit())
        common = [t for t, _ in tf.most_common(200)]
        df = self.engine.doc_freqs("body_f", common)
        weight = {t: tf[t] ** 0.5 * math.log(1 + n / (1 + df[t])) for t in common if df[t] < 0.5 * n or n < 5}
        top = sorted(weight, key=weight.get, reverse=True)[:20]
        nodes: list = [Word(t) for t in top]
        nodes += [Phrase(subject[i:i + 2]) for i in range(len(subject) - 1)]
        if not nodes:
            return []
        q = Query(rec.subject or "", must=[Or([n]) for n in nodes], filters=filters or Filters())
        res = self.query(q, limit=limit + 1, facets=False, any_word=True)
        self_score = next((h.score for h in res.hits if h.id == rec.id), None)
        if self_score is None:
            self_score = max([h.score for h in res.hits] or [1.0])
        out = []
        for h in res.hits:
            if h.id == rec.id:
                continue
            other = catalog.record(h.id)
            if other is not None:
                out.append((other, round(min(1.0, h.score / self_score), 3)))
        return out[:limit]
