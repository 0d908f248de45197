"""The full-text side of an archive: one engine (Whoosh or Tantivy, see `index.engine`),
derived from the catalog and rebuilt from it whenever it is missing, stale or damaged.

Writes are safe: one writer at a time (a file lock beside the index), retries when the
engine reports its own lock busy, and an index that fails to open or to write is rebuilt
from the catalog instead of failing the command. Search results are assembled here from the
engine's ids and the catalog's records (snippets, facets, "did you mean", precedents)."""
from __future__ import annotations

import logging
import math
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from index.analysis import folded_tokens, syllables
from index.engine import ENGINES, Engine, EngineHit, EngineResult, IndexLocked, open_engine, retry, write_lock
from index.hits import hit_rows
from index.letters import Letters
from index.query import Filters, Or, Phrase, Query, QueryError, Word, parse
from index.snippets import snippet
from nlp.fold import fold
from nlp.models import Record

log = logging.getLogger(__name__)
FOLDERS = {"whoosh": "fulltext", "tantivy": "tantivy"}
BATCH = 500
VERSION = "6"  # of the fields and analysis; an index of another version is rebuilt (6: ids as a fast column)

__all__ = ["FullText", "QueryError", "IndexLocked", "ENGINES"]


class FullText:
    def __init__(self, root: Path, engine: str, records: Callable[[], Iterable[Record]],
                 expected: Callable[[], int], rebuild_stale: bool = True):
        if engine not in ENGINES:
            raise ValueError(f"unknown search engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.name = engine
        self.folder = Path(root) / FOLDERS[engine]
        self._records = records
        self._expected = expected
        self.rebuilt_on_open = False
        # a reader opening while an ingest writes sees counts that differ for a moment: it
        # must read the index as it is, never rebuild it under the writer
        self.rebuild_stale = rebuild_stale
        self.engine: Engine = self._open()
        if rebuild_stale and (self.engine.count() != expected() or self._version() != VERSION):
            self.rebuild()
            self.rebuilt_on_open = True

    def _version(self) -> str | None:
        try:
            return (self.folder / "congvan-version").read_text().strip()
        except OSError:
            return None

    def _open(self) -> Engine:
        try:
            return open_engine(self.name, self.folder)
        except Exception as exc:  # a damaged index is rebuilt, never fatal: the catalog has it all
            log.warning("full-text index %s could not be opened (%s); rebuilding from the catalog", self.folder, exc)
            shutil.rmtree(self.folder, ignore_errors=True)
            engine = open_engine(self.name, self.folder)
            self.engine = engine
            self._fill()
            return engine

    def _fill(self) -> None:
        if hasattr(self.engine, "add_all"):  # the engine fills itself in one commit (Tantivy)
            self.engine.add_all(self._records())
            return
        batch: list[Record] = []
        for rec in self._records():
            batch.append(rec)
            if len(batch) >= BATCH:
                self.engine.add(batch)
                batch = []
        if batch:
            self.engine.add(batch)

    # -- writes -------------------------------------------------------------------------
    def count(self) -> int:
        return self.engine.count()

    def add(self, records: list[Record]) -> None:
        with write_lock(self.folder):
            try:
                retry(lambda: self.engine.add(records))
            except IndexLocked:
                raise
            except Exception as exc:
                log.warning("writing the full-text index failed (%s); rebuilding it from the catalog", exc)
                self._rebuild_locked()

    def rebuild(self) -> None:
        """Drop the index and fill it again from the catalog."""
        with write_lock(self.folder):
            self._rebuild_locked()

    def _rebuild_locked(self) -> None:
        try:
            self.engine.clear()
        except Exception:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.engine = open_engine(self.name, self.folder)
        self._fill()
        (self.folder / "congvan-version").write_text(VERSION)

    def close(self) -> None:
        self.engine.close()

    # -- reads --------------------------------------------------------------------------
    def query(self, q: Query, **kwargs) -> EngineResult:
        return self._ask("search", q, **kwargs)

    def matching_ids(self, q: Query, **kwargs) -> set[str]:
        return self._ask("matching_ids", q, **kwargs)

    def _ask(self, method: str, q: Query, **kwargs):
        try:
            return getattr(self.engine, method)(q, **kwargs)
        except (QueryError, ValueError, TypeError):
            raise
        except Exception as exc:
            # a concurrent commit may have removed the files just listed: open again and retry;
            # only an index still unreadable then is damaged, and rebuilt from the catalog
            try:
                self.engine.close()
                self.engine = open_engine(self.name, self.folder)
                return getattr(self.engine, method)(q, **kwargs)
            except Exception:
                if not self.rebuild_stale:
                    raise
            log.warning("full-text search failed (%s); rebuilding the index from the catalog", exc)
            self.rebuild()
            return getattr(self.engine, method)(q, **kwargs)

    def search(self, catalog, text: str, limit: int = 10, offset: int = 0, sort: str = "score",
               filters: Filters | None = None, letters: Letters | None = None) -> dict:
        """The `congvan search --json` shape of SCHEMA.md, plus `suggestion` ("did you mean",
        or null) and `relaxed` (true when no document had every word, so any word counted).
        With `letters` (the copy groups of `index.letters`), a hit is a letter: found when any
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
        if any_word:
            # the fallback when no letter holds every word: through the representatives only
            # (any word of a long query is in most copies; searching them all would be the cost)
            return self.query(q, limit=limit, offset=offset, sort=sort, any_word=True,
                              exclude=hidden), {}, False
        # a copy is matched on its words alone; the filters (type, issuer, dates) are the
        # letter's, read from its representative by the main query
        words_only = replace(q, filters=Filters())
        matched = self.matching_ids(words_only, any_word=any_word, within=hidden)
        found: dict[str, list[str]] = {}
        for copy in sorted(matched):
            found.setdefault(letters.representative(copy), []).append(copy)
        if not found or sort != "score":
            res = self.query(q, limit=limit, offset=offset, sort=sort, any_word=any_word, exclude=hidden,
                             also=found, excluded_matches=matched)
            return res, found, False
        res, own = self._rank_letters(q, words_only, letters, hidden, matched, found, limit, offset, any_word)
        return res, {i: c for i, c in found.items() if i not in own}, True

    def _rank_letters(self, q: Query, words_only: Query, letters: Letters, hidden: frozenset[str],
                      matched: set[str], found: dict[str, list[str]], limit: int, offset: int,
                      any_word: bool) -> tuple[EngineResult, set[str]]:
        """The letters of page OFFSET:OFFSET+LIMIT by score, the letter's score being the best of
        its own and its copies'. The first K = OFFSET+LIMIT letters are among the first K by
        their own score (A) and the first K by their best copy's (B): a letter in neither has K
        letters above it either way. So both are asked for K, merged (equal scores in the engine's
        order, own before copies', so that page n+1 goes on where page n ended), and cut; total
        and facets are the main query's, which holds every letter once. Also returned: the
        letters ranked by their own text (their snippet is their own)."""
        need = offset + limit
        main = self.query(q, limit=need, sort="score", any_word=any_word, exclude=hidden, also=found,
                          excluded_matches=matched)
        best: dict[str, float] = {}
        asked = need
        while True:
            ranked = self.query(words_only, limit=asked, facets=False, any_word=any_word, within=matched)
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

    def similar(self, catalog, rec: Record, limit: int = 10) -> list[tuple[Record, float]]:
        """Precedents: documents sharing this one's key terms (its subject's words, and the
        body's rarest frequent words), ranked by how much of the document's own score they reach."""
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
        q = Query(rec.subject or "", must=[Or([n]) for n in nodes])
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
