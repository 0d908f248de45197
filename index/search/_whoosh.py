"""The Whoosh engine (the `whoosh3` fork): pure Python, the default."""
from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, NUMERIC, TEXT, Schema

from index.search._engine import (
    BARE_CODE,
    CITED_CODE,
    FOLDED,
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


def schema() -> Schema:
    words = SpaceSeparatedTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        subject=TEXT(analyzer=words, phrase=True),
        subject_f=TEXT(analyzer=words, phrase=True),
        head=TEXT(analyzer=words, phrase=True),
        head_f=TEXT(analyzer=words, phrase=True),
        body=TEXT(analyzer=words, phrase=True),
        body_f=TEXT(analyzer=words, phrase=True),
        signer=TEXT(analyzer=words, phrase=True),
        signer_f=TEXT(analyzer=words, phrase=True),
        code=TEXT(analyzer=words, phrase=False),
        cites=TEXT(analyzer=words, phrase=False),
        subject_pairs=TEXT(analyzer=words, phrase=False),
        head_pairs=TEXT(analyzer=words, phrase=False),
        doc_type=ID(sortable=True),
        doc_type_f=ID(),
        issuer=ID(sortable=True),
        issuer_f=TEXT(analyzer=words, phrase=True),
        year=NUMERIC(sortable=True),
        date=NUMERIC(sortable=True, bits=32),
        signed=ID(),
        secrecy=ID(),
    )


def _text(fields: tuple[str, str], words: list[str], weight: float) -> wq.Query:
    exact, folded = fields
    fwords = [fold(w) for w in words]
    if fwords == words:  # typed without diacritics: every spelling is equally meant
        return wq.Term(folded, fwords[0], boost=weight) if len(words) == 1 else wq.Phrase(folded, fwords, boost=weight)
    if len(words) == 1:
        return wq.Or([wq.Term(exact, words[0], boost=weight), wq.Term(folded, fwords[0], boost=weight * FOLDED)])
    return wq.Or([wq.Phrase(exact, words, boost=weight), wq.Phrase(folded, fwords, boost=weight * FOLDED)])


def compile_node(node, boost: float = 1.0, fields=WORD_FIELDS) -> wq.Query:
    if isinstance(node, Word | Phrase):
        words = [node.text] if isinstance(node, Word) else node.words
        return wq.Or([_text((exact, folded), words, weight * boost) for exact, folded, weight in fields])
    if isinstance(node, Signer):
        words = [node.node.text] if isinstance(node.node, Word) else node.node.words
        return _text(("signer", "signer_f"), words, SIGNER)
    if isinstance(node, Code):
        cq = node.query
        terms = [(t, 1.0) for t in cq.full] + [(t, 0.5) for t in cq.pairs]
        return wq.Or([wq.Term("code", t, boost=OWN_CODE * w * boost) for t, w in terms]
                     + [wq.Term("cites", t, boost=CITED_CODE * w * boost) for t, w in terms])
    if isinstance(node, Or):
        return wq.Or([compile_node(n) for n in node.items])
    raise TypeError(f"cannot compile {node!r}")


def compile_query(q: Query, any_word: bool = False, exclude: Iterable[str] = (),
                  within: Iterable[str] | None = None,
                  also: Iterable[str] | None = None) -> tuple[wq.Query, wq.Query | None, wq.Query | None]:
    """The scoring query, the filter query (documents allowed) and the mask query (documents
    left out: the NOT clauses and `exclude`) of `q`; only `within` when given, with the
    documents of `also` added (letters found through one of their copies). The NOT clauses are
    a mask, not an `AndNot`: whoosh3's `AndNot` under a phrase lets excluded documents through
    when every match is collected (facets, counts)."""
    clauses = [compile_node(n) for n in q.must]
    main: wq.Query = (wq.Or if any_word else wq.And)(clauses) if clauses else wq.Every()
    if q.proximity:
        near = wq.Or([wq.Term(name, pair_terms([fold(w) for w in p.words])[0], boost=weight * PROXIMITY)
                      for p in q.proximity for name, weight in PAIR_FIELDS])
        main = wq.Or([main, near]) if any_word else wq.AndMaybe(main, near)
    if q.bare_code is not None:
        main = wq.Or([compile_node(Code(q.bare_code), BARE_CODE), main])
    also = list(also or ())
    if also:  # letters found through a copy: in the results whatever their own text
        main = wq.Or([main, wq.ConstantScoreQuery(wq.Or([wq.Term("id", i) for i in also]), score=0.0)])
    f = q.filters
    nots = [compile_node(n) for n in q.must_not] + [wq.Term("id", i) for i in exclude]
    # what the viewer may not see (index/access/): its secrecy levels' terms, the ids of the rest
    nots += [wq.Term("secrecy", lvl) for lvl in f.hidden_levels] + [wq.Term("id", i) for i in sorted(f.hidden_ids)]
    filters: list[wq.Query] = []
    if within is not None:
        filters.append(wq.Or([wq.Term("id", i) for i in within]) if within else wq.NullQuery)
    if f.doc_types:
        filters.append(wq.Or([wq.Term("doc_type_f", t) for t in f.doc_types]))
    if f.issuer:
        filters.append(wq.And([wq.Term("issuer_f", w) for w in f.issuer]))
    if f.since or f.until:
        filters.append(wq.NumericRange("date", f.since or 1, f.until or 99999999))
    if f.year:
        filters.append(wq.Term("year", f.year))
    if f.signed:
        filters.append(wq.Or([wq.Term("signed", t) for t in signed_terms(f.signed)]))
    return main, (wq.And(filters) if filters else None), (wq.Or(nots) if nots else None)


class WhooshEngine:
    name = "whoosh"

    def __init__(self, folder: Path):
        self.folder = folder
        if windex.exists_in(str(folder)):
            self.ix = windex.open_dir(str(folder))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            self.ix = windex.create_in(str(folder), schema())

    def count(self) -> int:
        return self.ix.doc_count()

    def add(self, records: list[Record]) -> None:
        writer = self.ix.writer(timeout=5.0, limitmb=256)
        try:
            for rec in records:
                writer.update_document(**doc_fields(rec))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def ids(self) -> set[str]:
        with self.ix.searcher() as searcher:
            reader = searcher.reader()
            terms = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("id")]
            if not reader.has_deletions():
                return set(terms)
            return {t for t in terms if searcher.document_number(id=t) is not None}

    def delete(self, ids: Iterable[str]) -> None:
        writer = self.ix.writer(timeout=5.0)
        for doc_id in ids:
            writer.delete_by_term("id", doc_id)
        writer.commit()

    def clear(self) -> None:
        self.ix.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.ix = windex.create_in(str(self.folder), schema())

    def search(self, query: Query, limit: int = 10, offset: int = 0, sort: str = "score",
               facets: bool = True, any_word: bool = False, exclude: Iterable[str] = (),
               within: Iterable[str] | None = None, also: Iterable[str] | None = None,
               excluded_matches: Iterable[str] | None = None) -> EngineResult:
        # `excluded_matches` is a hint for Tantivy's counts (`TantivyEngine.search`): here the
        # excluded documents are always left out by the query itself
        main, filt, mask = compile_query(query, any_word, exclude, within, also)
        # with `also`, the ranked hits are those of the query's own text (a letter found only
        # through a copy is ranked by the caller), total and facets those of the whole union
        ranked = compile_query(query, any_word, exclude, within)[0] if also and sort == "score" else main
        kwargs: dict = {"filter": filt, "mask": mask, "limit": offset + limit}
        if within is not None or mask is not None:
            # whoosh3 returns another top N than its full ranking's first N under an id filter
            # or a mask (checked on copies of letters: the top 3 of `lưu OR ghi` without the
            # copies lacked a letter its top 6 holds, so pages repeated one): rank every match, then cut
            kwargs["limit"] = None
        if sort in ("date", "date_asc"):
            kwargs["sortedby"] = "date"
            kwargs["reverse"] = sort == "date"
        groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in ("doc_type", "issuer", "year")}
        with self.ix.searcher() as searcher:
            results = searcher.search(ranked, groupedby=groups if facets and ranked is main else None, **kwargs)
            hits = [EngineHit(r["id"], float(r.score or 0.0)) for r in results[offset:offset + limit]]
            counted = results
            if ranked is not main:
                counted = searcher.search(main, filter=filt, mask=mask, limit=1, groupedby=groups if facets else None)
            out = EngineResult(len(counted), hits)
            if facets:
                for name in ("doc_type", "issuer", "year"):
                    found = counted.groups(name)
                    out.facets[name] = {str(k): int(v) for k, v in found.items() if k not in ("", 0, None)}
        return out

    def matching_ids(self, query: Query, any_word: bool = False, within: Iterable[str] | None = None) -> set[str]:
        """Every document the query matches (among `within`), unranked."""
        main, filt, mask = compile_query(query, any_word, (), within)
        with self.ix.searcher() as searcher:
            allowed = None if filt is None else set(searcher.docs_for_query(filt))
            masked = set() if mask is None else set(searcher.docs_for_query(mask))
            return {searcher.stored_fields(n)["id"] for n in searcher.docs_for_query(main)
                    if (allowed is None or n in allowed) and n not in masked}

    def doc_freqs(self, field: str, terms: Iterable[str]) -> dict[str, int]:
        with self.ix.searcher() as searcher:
            return {t: searcher.doc_frequency(field, t) for t in terms}

    def terms_with_prefix(self, field: str, prefix: str, limit: int = 2000) -> list[str]:
        out = []
        with self.ix.searcher() as searcher:
            for t in searcher.reader().expand_prefix(field, prefix):
                out.append(t.decode("utf-8") if isinstance(t, bytes) else t)
                if len(out) >= limit:
                    break
        return out

    def close(self) -> None:
        self.ix.close()
