"""The Tantivy engine (the `tantivy` package, Rust): the same fields and query language as
the Whoosh engine, much faster at indexing and at answering."""
from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import tantivy
from tantivy import Occur
from tantivy import Query as TQ

from index.search._engine import (
    BARE_CODE,
    CITED_CODE,
    COPY,
    FACET_FIELDS,
    FOLDED,
    LETTER,
    OWN_CODE,
    PAIR_FIELDS,
    PROXIMITY,
    SIGNER,
    WORD_FIELDS,
    EngineHit,
    EngineResult,
    doc_fields,
    pair_terms,
    signed_terms,
)
from index.search._query_language import Code, Or, Phrase, Query, Signer, Word
from nlp.models import Record
from text.fold import fold

_WORDS = "congvan_words"  # tokens are made by index.search._tokens; split on white space only
_TEXT = ("subject", "subject_f", "head", "head_f", "body", "body_f", "signer", "signer_f", "issuer_f")
_KEYWORDS = ("code", "cites", "subject_pairs", "head_pairs")



def _document(rec: Record, copies: frozenset[str] | set[str] = frozenset()) -> tantivy.Document:
    """The document of REC, with its role (`index.search._engine.COPY` when it is among COPIES)."""
    fields = {k: [v] for k, v in doc_fields(rec).items()}
    fields["role"] = [COPY if rec.id in copies else LETTER]
    return tantivy.Document(**fields)


def _analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
            .filter(tantivy.Filter.remove_long(120)).build())


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    # fast: the ids of every match are read as an aggregation, not one stored document each
    # (the copies of letters that a query matches: `matching_ids`)
    b.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    for name in _TEXT:
        b.add_text_field(name, tokenizer_name=_WORDS, index_option="position")
    for name in _KEYWORDS:
        b.add_text_field(name, tokenizer_name=_WORDS, index_option="freq")
    b.add_text_field("doc_type", fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("doc_type_f", tokenizer_name="raw", index_option="basic")
    b.add_text_field("issuer", fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("role", tokenizer_name="raw", index_option="basic")
    b.add_text_field("signed", tokenizer_name="raw", index_option="basic")
    b.add_text_field("secrecy", tokenizer_name="raw", index_option="basic")
    b.add_integer_field("year", indexed=True, fast=True)
    b.add_integer_field("date", indexed=True, fast=True)
    return b.build()


_FACET_AGGS = {name: {"terms": {"field": name, "size": 100}} for name in FACET_FIELDS}
# every document has a date value (0 when unknown): counting them counts the matches
_COUNT_AGGS = {**_FACET_AGGS, "_total": {"value_count": {"field": "date"}}}
_POOL: ThreadPoolExecutor | None = None
# the deepest page whose excluded documents are dropped after ranking (`search`): beyond it the
# hits read and dropped would cost more than the excluding clause
_PAGE_DEPTH = 200


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:  # made on first use: a process that never searches (an ingest worker) has no threads
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="congvan-facets")
    return _POOL


def _forget_pool() -> None:
    global _POOL
    _POOL = None  # a forked child has none of its parent's threads: it makes its own pool if it searches


os.register_at_fork(after_in_child=_forget_pool)


def _counts_less(searcher: tantivy.Searcher, whole: TQ, less: TQ | None) -> dict:
    """The count aggregations of WHOLE less those of LESS (documents WHOLE also matches), in
    the shape Tantivy gives them. A value outside the first 100 of a facet of WHOLE is missing
    (as it is from any count): the facets shown are the first few."""
    result = searcher.aggregate(whole, _COUNT_AGGS)
    if less is None:
        return result
    minus = searcher.aggregate(less, _COUNT_AGGS)
    out = {"_total": {"value": (result.get("_total", {}).get("value") or 0)
                      - (minus.get("_total", {}).get("value") or 0)}}
    for name in _FACET_AGGS:
        taken = Counter({b["key"]: int(b["doc_count"]) for b in minus.get(name, {}).get("buckets", [])})
        buckets = [{"key": b["key"], "doc_count": int(b["doc_count"]) - taken[b["key"]]}
                   for b in result.get(name, {}).get("buckets", [])]
        out[name] = {"buckets": [b for b in buckets if b["doc_count"] > 0]}
    return out


def facet_counts(result: dict) -> dict[str, dict[str, int]]:
    """Tantivy's terms aggregations → {facet: {value: count}}, without the empty value (and year 0)."""
    out = {}
    for name in _FACET_AGGS:
        buckets = result.get(name, {}).get("buckets", [])
        out[name] = {str(int(b["key"]) if isinstance(b["key"], float) else b["key"]): int(b["doc_count"])
                     for b in buckets if b["key"] not in ("", 0, 0.0, None)}
    return out


class TantivyEngine:
    name = "tantivy"
    has_roles = True  # documents carry their role (COPY / LETTER): see `_document`

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.schema = schema()
        self._open()

    def _open(self) -> None:
        reuse = tantivy.Index.exists(str(self.folder))
        self.index = tantivy.Index(self.schema, path=str(self.folder), reuse=reuse)
        self.index.register_tokenizer(_WORDS, _analyzer())
        self.index.reload()

    def count(self) -> int:
        self.index.reload()
        return self.index.searcher().num_docs

    @contextmanager
    def _writing(self, heap_size: int, num_threads: int) -> Iterator[tantivy.IndexWriter]:
        """One writer whose changes are committed together (or rolled back), then seen by readers."""
        writer = self.index.writer(heap_size=heap_size, num_threads=num_threads)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.index.reload()

    def add(self, records: list[Record], copies: frozenset[str] | set[str] = frozenset()) -> None:
        """Add or replace RECORDS in one commit, those of COPIES marked as copies."""
        big = len(records) > 50
        with self._writing(128_000_000 if big else 32_000_000, 0 if big else 1) as writer:
            for rec in records:
                writer.delete_documents_by_term("id", rec.id)
                writer.add_document(_document(rec, copies))

    def role_ids(self, role: str = COPY) -> set[str]:
        """The ids of the documents indexed with ROLE."""
        self.index.reload()
        searcher = self.index.searcher()
        q = TQ.term_query(self.schema, "role", role)
        n = searcher.search(q, limit=1, count=True).count or 0
        if not n:
            return set()
        return {searcher.doc(addr)["id"][0] for _, addr in searcher.search(q, limit=n).hits}

    def add_all(self, records: Iterable[Record], copies: frozenset[str] | set[str] = frozenset()) -> int:
        """Fill an empty index (a rebuild from the catalog): one writer and one commit for the
        whole stream, no deletes. A commit per batch cost a segment, merges and a reader reload
        each time; a run killed before the commit leaves the index empty, and so rebuilt."""
        n = 0
        with self._writing(128_000_000, 0) as writer:
            for rec in records:
                writer.add_document(_document(rec, copies))
                n += 1
        return n

    def ids(self) -> set[str]:
        self.index.reload()
        searcher = self.index.searcher()
        if not searcher.num_docs:
            return set()
        found = searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs)
        return {searcher.doc(addr)["id"][0] for _, addr in found.hits}

    def delete(self, ids: Iterable[str]) -> None:
        with self._writing(32_000_000, 1) as writer:
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)

    def clear(self) -> None:
        self.index = None
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._open()

    # -- queries ------------------------------------------------------------------------
    def _text(self, fields: tuple[str, str], words: list[str], weight: float) -> TQ:
        exact, folded = fields
        fwords = [fold(w) for w in words]
        if fwords == words:  # typed without diacritics: every spelling is equally meant
            q = TQ.term_query(self.schema, folded, fwords[0]) if len(words) == 1 else \
                TQ.phrase_query(self.schema, folded, fwords)
            return TQ.boost_query(q, weight)
        if len(words) == 1:
            qe = TQ.term_query(self.schema, exact, words[0])
            qf = TQ.term_query(self.schema, folded, fwords[0])
        else:
            qe = TQ.phrase_query(self.schema, exact, words)
            qf = TQ.phrase_query(self.schema, folded, fwords)
        return TQ.boolean_query([(Occur.Should, TQ.boost_query(qe, weight)),
                                 (Occur.Should, TQ.boost_query(qf, weight * FOLDED))])

    def _node(self, node, boost: float = 1.0, fields=WORD_FIELDS) -> TQ:
        if isinstance(node, Word | Phrase):
            words = [node.text] if isinstance(node, Word) else node.words
            return TQ.boolean_query([(Occur.Should, self._text((exact, folded), words, weight * boost))
                                     for exact, folded, weight in fields])
        if isinstance(node, Signer):
            words = [node.node.text] if isinstance(node.node, Word) else node.node.words
            return self._text(("signer", "signer_f"), words, SIGNER)
        if isinstance(node, Code):
            cq = node.query
            terms = [(t, 1.0) for t in cq.full] + [(t, 0.5) for t in cq.pairs]
            parts = [(Occur.Should, TQ.boost_query(TQ.term_query(self.schema, "code", t), OWN_CODE * w * boost))
                     for t, w in terms]
            parts += [(Occur.Should, TQ.boost_query(TQ.term_query(self.schema, "cites", t), CITED_CODE * w * boost))
                      for t, w in terms]
            return TQ.boolean_query(parts)
        if isinstance(node, Or):
            return TQ.boolean_query([(Occur.Should, self._node(n)) for n in node.items])
        raise TypeError(f"cannot compile {node!r}")

    def _near(self, pair: Phrase) -> TQ:
        """Two query words side by side in the subject or the head: one pair term per field."""
        term = pair_terms([fold(w) for w in pair.words])[0]
        return TQ.boolean_query([(Occur.Should, TQ.boost_query(TQ.term_query(self.schema, name, term),
                                                               weight * PROXIMITY))
                                 for name, weight in PAIR_FIELDS])

    def compile(self, q: Query, any_word: bool = False, exclude: Iterable[str] = (),
                within: Iterable[str] | None = None, also: Iterable[str] | None = None,
                role: str | None = None) -> TQ:
        occur = Occur.Should if any_word else Occur.Must
        clauses = [(occur, self._node(n)) for n in q.must]
        clauses += [(Occur.Should, self._near(p)) for p in q.proximity]
        main = TQ.boolean_query(clauses) if clauses else TQ.all_query()
        if q.bare_code is not None:
            main = TQ.boolean_query([(Occur.Should, self._node(Code(q.bare_code), BARE_CODE)),
                                     (Occur.Should, main)])
        return self._restrict(q, main, [self._node(n) for n in q.must_not], exclude, within, also, role)

    def _restrict(self, q: Query, main: TQ, nots: list[TQ], exclude: Iterable[str],
                  within: Iterable[str] | None = None, also: Iterable[str] | None = None,
                  role: str | None = None) -> TQ:
        """`main` without the documents of `exclude`, only among `within` when given, only
        those of `role` when given (LETTER: no copy; COPY: only copies), with the documents
        of `also` added (letters found through one of their copies), all within the query's
        filters and without the documents of `nots`."""
        parts = [(Occur.Must, main)]
        if role == LETTER:  # the few copies' term left out: cheaper than requiring every letter's
            parts.append((Occur.MustNot, TQ.term_query(self.schema, "role", COPY)))
        elif role == COPY:
            parts.append((Occur.Must, TQ.const_score_query(TQ.term_query(self.schema, "role", COPY), 0.0)))
        exclude = list(exclude)
        if exclude:  # one set of terms, not a clause per id: an archive may hold thousands of copies
            parts.append((Occur.MustNot, TQ.term_set_query(self.schema, "id", exclude)))
        if within is not None:
            parts.append((Occur.Must, TQ.const_score_query(TQ.term_set_query(self.schema, "id", list(within)), 0.0)))
        text = TQ.boolean_query(parts)
        also = list(also or ())
        if also:  # letters found through a copy: in the results whatever their own text, scored 0 by it
            text = TQ.boolean_query([(Occur.Should, text),
                                     (Occur.Should, TQ.const_score_query(TQ.term_set_query(self.schema, "id", also),
                                                                         0.0))])
        parts = [(Occur.Must, text)]
        parts += [(Occur.MustNot, n) for n in nots]  # of every document found, copies' letters too
        f = q.filters
        filters: list[TQ] = []
        if f.doc_types:
            filters.append(TQ.boolean_query([(Occur.Should, TQ.term_query(self.schema, "doc_type_f", t))
                                             for t in f.doc_types]))
        for w in f.issuer:
            filters.append(TQ.term_query(self.schema, "issuer_f", w))
        if f.since or f.until:
            filters.append(TQ.range_query(self.schema, "date", tantivy.FieldType.Integer,
                                          f.since or 1, f.until or 99999999))
        if f.year:
            filters.append(TQ.term_query(self.schema, "year", f.year))
        if f.signed:
            filters.append(TQ.boolean_query([(Occur.Should, TQ.term_query(self.schema, "signed", t))
                                             for t in signed_terms(f.signed)]))
        parts += [(Occur.Must, TQ.const_score_query(x, 0.0)) for x in filters]
        # what the viewer may not see: one term per secrecy level, the ids of the rest
        parts += [(Occur.MustNot, TQ.term_query(self.schema, "secrecy", lvl)) for lvl in f.hidden_levels]
        if f.hidden_ids:
            parts.append((Occur.MustNot, TQ.term_set_query(self.schema, "id", sorted(f.hidden_ids))))
        return TQ.boolean_query(parts)

    # -- the same documents, unranked (for facet counts) ----------------------------------
    # A word's clause in `compile` looks in six fields: subject, head and body, exact and
    # folded. To count matches only the folded subject and body are needed: a document with
    # the exact form has the folded one in the same place (folding only drops marks), and the
    # head is the start of the body. So this query finds the same documents as `compile` with
    # a third of the posting lists, and without the proximity phrases, which only rank (their
    # words are among the clauses) except in `any_word` mode, where they are kept, folded.
    def _match_text(self, fields: tuple[str, ...], words: list[str]) -> TQ:
        fwords = [fold(w) for w in words]
        parts = [TQ.term_query(self.schema, f, fwords[0]) if len(fwords) == 1 else
                 TQ.phrase_query(self.schema, f, fwords) for f in fields]
        return parts[0] if len(parts) == 1 else TQ.boolean_query([(Occur.Should, x) for x in parts])

    def _match_node(self, node, fields: tuple[str, ...] = ("subject_f", "body_f")) -> TQ:
        if isinstance(node, Word | Phrase):
            return self._match_text(fields, [node.text] if isinstance(node, Word) else node.words)
        if isinstance(node, Signer):
            return self._match_text(("signer_f",), [node.node.text] if isinstance(node.node, Word) else node.node.words)
        if isinstance(node, Or):
            return TQ.boolean_query([(Occur.Should, self._match_node(n)) for n in node.items])
        return self._node(node)  # codes: their own few terms already

    def match_query(self, q: Query, any_word: bool = False, exclude: Iterable[str] = (),
                    within: Iterable[str] | None = None, also: Iterable[str] | None = None,
                    role: str | None = None) -> TQ:
        """The documents that `compile(q, any_word, exclude, within, also)` finds, found more
        cheaply, unranked."""
        occur = Occur.Should if any_word else Occur.Must
        clauses = [(occur, self._match_node(n)) for n in q.must]
        if any_word:
            clauses += [(Occur.Should, self._near(p)) for p in q.proximity]
        main = TQ.boolean_query(clauses) if clauses else TQ.all_query()
        if q.bare_code is not None:
            main = TQ.boolean_query([(Occur.Should, self._node(Code(q.bare_code))), (Occur.Should, main)])
        return self._restrict(q, main, [self._match_node(n) for n in q.must_not], exclude, within, also, role)

    def search(self, query: Query, limit: int = 10, offset: int = 0, sort: str = "score",
               facets: bool = True, any_word: bool = False, exclude: Iterable[str] = (),
               within: Iterable[str] | None = None, also: Iterable[str] | None = None,
               excluded_matches: Iterable[str] | None = None, role: str | None = None) -> EngineResult:
        """One page of hits, the total and the facets. EXCLUDED_MATCHES, when the caller knows
        them, holds every document of EXCLUDE that the query may match (the copies its words
        matched): the counts are then made without the excluding clause, less these documents'."""
        exclude = exclude if isinstance(exclude, set | frozenset) else set(exclude)
        # Excluded documents (the copies of letters, thousands at 100k) are dropped from the
        # ranked hits here rather than by a term-set clause: such a clause costs ~8 ms per query
        # at 100k (the id dictionary walked for every id), a few more hits read cost well under
        # one. The total then comes from the facet count, which keeps the clause; deep pages
        # and counts without facets keep it too.
        by_python = bool(exclude) and facets and offset + limit <= _PAGE_DEPTH
        # with `also` in score order, the ranked hits are the query's own matches (the caller
        # ranks the letters added for their copies); total and facets are the whole union's
        q = self.compile(query, any_word, () if by_python else exclude, within, None if sort == "score" else also,
                         role)
        searcher = self.index.searcher()
        # the facet counts (and then the total) walk every match again: with the unranked query
        # (a third of the posting lists) and on a second thread (Tantivy lets go of the GIL),
        # beside the ranked search, which then need not count
        counts = None
        if facets and by_python and within is None and excluded_matches is not None:
            # the same counts without the term set of every excluded document: the matches
            # counted whole, less those among the few excluded documents that match
            minus = sorted(set(excluded_matches) & exclude)
            counts = _pool().submit(_counts_less, searcher, self.match_query(query, any_word, (), None, also, role),
                                    self.match_query(query, any_word, (), minus, None, role) if minus else None)
        elif facets:
            counts = _pool().submit(searcher.aggregate, self.match_query(query, any_word, exclude, within, also, role),
                                    _COUNT_AGGS)
        kwargs: dict = {"count": not facets}
        if sort in ("date", "date_asc"):
            kwargs["order_by_field"] = "date"
            kwargs["order"] = tantivy.Order.Desc if sort == "date" else tantivy.Order.Asc
        try:
            if by_python:
                hits = self._ranked_without(searcher, q, exclude, limit, offset, sort, kwargs)
            else:
                res = searcher.search(q, limit=limit, offset=offset, **kwargs)
                hits = [EngineHit(searcher.doc(addr)["id"][0], float(key) if sort == "score" else 0.0)
                        for key, addr in res.hits]
        finally:
            result = counts.result() if counts is not None else {}
        if not facets:
            return EngineResult(res.count or 0, hits)
        return EngineResult(int(result.get("_total", {}).get("value") or 0), hits, facet_counts(result))

    @staticmethod
    def _ranked_without(searcher, q: TQ, exclude: set[str] | frozenset[str], limit: int, offset: int,
                        sort: str, kwargs: dict) -> list[EngineHit]:
        """Hits OFFSET:OFFSET+LIMIT of Q once the documents of EXCLUDE are left out: the first
        hits asked for, then four times as many while too many of them were excluded. The
        order of the others is the engine's, as with the clause."""
        need = offset + limit
        asked = need + 10
        while True:
            res = searcher.search(q, limit=asked, **kwargs)
            kept = []
            for key, addr in res.hits:
                doc_id = searcher.doc(addr)["id"][0]
                if doc_id not in exclude:
                    kept.append(EngineHit(doc_id, float(key) if sort == "score" else 0.0))
            if len(kept) >= need or len(res.hits) < asked:
                return kept[offset:need]
            asked *= 4

    def matching_ids(self, query: Query, any_word: bool = False, within: Iterable[str] | None = None,
                     role: str | None = None) -> set[str]:
        """Every document the query matches (among `within`, of `role`), unranked: their ids
        read from the id column of the matches, not from each stored document."""
        within = None if within is None else list(within)
        searcher = self.index.searcher()
        size = max(1, len(within)) if within is not None else \
            max(1, searcher.doc_freq("role", COPY) if role == COPY else searcher.num_docs)
        agg = {"ids": {"terms": {"field": "id", "size": size, "segment_size": size}}}
        q = self.match_query(query, any_word, (), within, None, role)
        try:
            result = searcher.aggregate(q, agg)
            return {b["key"] for b in result.get("ids", {}).get("buckets", [])}
        except ValueError:  # more buckets than an aggregation may make: each stored id instead
            found = searcher.search(q, limit=max(1, searcher.search(q, limit=1, count=True).count or 1))
            return {searcher.doc(addr)["id"][0] for _, addr in found.hits}

    def doc_freqs(self, field: str, terms: Iterable[str]) -> dict[str, int]:
        searcher = self.index.searcher()
        return {t: searcher.doc_freq(field, t) for t in terms}

    def terms_with_prefix(self, field: str, prefix: str, limit: int = 2000) -> list[str]:
        return [t for t, _ in self.index.searcher().terms_with_prefix(field, prefix, limit=limit)]

    def close(self) -> None:
        # drop the index now: its files are memory-mapped, and must not stay mapped after
        # the archive is closed (a file changed under a live mapping kills the process)
        self.index = None
